// Array ordering and grouping nodes: sort, group_by, unique.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_array_grouping_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
