// `schema_validator`: JSON Schema validation.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_schema_validator_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
