// Workflow state nodes: accumulator, counter, cache.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_state_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
