// Type inference from `data` keys (workflow-format.md §4): exact,
// case-sensitive key names; a key whose value is null still counts.
#include <algorithm>
#include <array>

#include "engine/plan/payload.hpp"

namespace thaiyyal {

std::string infer_node_type(const Object& data) {
  auto has = [&](std::string_view key) { return data.find(key) != nullptr; };
  if (has("value")) return "number";
  if (has("text")) return "text_input";
  if (has("boolean_value")) return "boolean_input";
  if (has("date_value")) return "date_input";
  if (has("datetime_value")) return "datetime_input";
  if (has("mode")) return "visualization";
  if (has("op")) return "operation";
  if (has("text_op")) return "text_operation";
  if (has("url")) return "http";
  if (has("condition")) return has("true_path") ? "condition" : "filter";
  if (has("expression") && has("initial_value")) return "reduce";
  if (const Value* e = data.find("expression"); e && e->is_string() && !e->as_string().empty()) {
    return "expression";
  }
  if (has("var_name") && has("var_op")) return "variable";
  if (has("field") || has("fields")) return "extract";
  if (has("transform_type")) return "transform";
  if (has("accum_op")) return "accumulator";
  if (has("counter_op")) return "counter";
  if (has("cases")) return "switch";
  if (has("join_strategy")) return "join";
  if (has("paths")) return "split";
  if (has("duration")) return "delay";
  if (has("cache_op") && has("cache_key")) return "cache";
  if (has("context_name") || has("context_values")) return "context_variable";
  if (has("max_attempts") || has("backoff_strategy")) return "retry";
  if (has("fallback_value") || has("continue_on_error")) return "try_catch";
  if (has("timeout") && has("timeout_action")) return "timeout";
  return "";
}

bool is_reference_node_type(std::string_view type) {
  static constexpr std::array<std::string_view, 53> kTypes = {"number",
                                                              "operation",
                                                              "visualization",
                                                              "text_input",
                                                              "boolean_input",
                                                              "date_input",
                                                              "datetime_input",
                                                              "text_operation",
                                                              "http",
                                                              "condition",
                                                              "for_each",
                                                              "while_loop",
                                                              "filter",
                                                              "map",
                                                              "reduce",
                                                              "expression",
                                                              "slice",
                                                              "sort",
                                                              "find",
                                                              "flat_map",
                                                              "group_by",
                                                              "unique",
                                                              "chunk",
                                                              "reverse",
                                                              "partition",
                                                              "zip",
                                                              "sample",
                                                              "range",
                                                              "compact",
                                                              "transpose",
                                                              "variable",
                                                              "extract",
                                                              "transform",
                                                              "accumulator",
                                                              "counter",
                                                              "parse",
                                                              "format",
                                                              "switch",
                                                              "parallel",
                                                              "join",
                                                              "split",
                                                              "delay",
                                                              "cache",
                                                              "retry",
                                                              "try_catch",
                                                              "timeout",
                                                              "rate_limiter",
                                                              "throttle",
                                                              "schema_validator",
                                                              "paginator",
                                                              "context_variable",
                                                              "context_constant",
                                                              "renderer"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

}  // namespace thaiyyal
