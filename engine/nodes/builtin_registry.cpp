// The list of built-in node families. A family file defines its types and
// registers them through one function declared in node_type.hpp.
#include "nodes/node_type.hpp"

namespace thaiyyal {

const NodeRegistry& NodeRegistry::builtin() {
  static const NodeRegistry registry = [] {
    NodeRegistry r;
    register_input_nodes(r);
    register_operation_nodes(r);
    register_text_operation_nodes(r);
    register_output_nodes(r);
    register_condition_nodes(r);
    register_switch_nodes(r);
    register_expression_nodes(r);
    register_variable_nodes(r);
    register_extract_nodes(r);
    register_transform_nodes(r);
    register_context_nodes(r);
    return r;
  }();
  return registry;
}

}  // namespace thaiyyal
