// `http`: GET through the host, with the reference protections.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_http_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
