// Resilience nodes: retry, try_catch, timeout, rate_limiter, throttle.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_resilience_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
