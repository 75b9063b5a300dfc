// `format`: values to JSON, CSV or TSV text.
// (Not implemented yet: the types are declared by the reference and fail
// with "not implemented" until this family lands.)
#include "nodes/node_util.hpp"

namespace thaiyyal {

void register_format_nodes(NodeRegistry&) {}

}  // namespace thaiyyal
