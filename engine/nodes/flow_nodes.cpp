// Loop and flow nodes: for_each, while_loop, parallel, join, split, delay.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_flow_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
