// Array nodes driven by expressions: filter, map, reduce, find, partition.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_array_expression_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
