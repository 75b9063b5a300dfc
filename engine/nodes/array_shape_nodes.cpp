// Array reshaping nodes: slice, reverse, chunk, compact, range, transpose, zip, sample, flat_map.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_array_shape_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
