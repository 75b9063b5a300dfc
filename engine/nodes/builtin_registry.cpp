// The list of built-in node families. A family file defines its types and
// registers them through one function declared in node_type.hpp.
#include "engine/nodes/node_type.hpp"

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
    register_array_expression_nodes(r);
    register_array_shape_nodes(r);
    register_array_grouping_nodes(r);
    register_flow_nodes(r);
    register_state_nodes(r);
    register_resilience_nodes(r);
    register_parse_nodes(r);
    register_format_nodes(r);
    register_schema_validator_nodes(r);
    register_http_nodes(r);
    register_sql_nodes(r);
    register_workflow_input_nodes(r);
    // Legacy names used by some of the builder's bundled examples.
    r.alias("rangeNode", "range");
    r.alias("textOpNode", "text_operation");
    r.alias("retryNode", "retry");
    r.alias("tryCatchNode", "try_catch");
    r.alias("timeoutNode", "timeout");
    r.alias("parallelNode", "parallel");
    return r;
  }();
  return registry;
}

}  // namespace thaiyyal
