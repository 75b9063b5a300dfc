// `parse`: JSON, CSV, TSV, YAML, XML text to values.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_parse_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
