// Result encoding (workflow-format.md §7.1) and the text-in/text-out helper.
#include <utility>

#include "engine/go/json.hpp"
#include "engine/run/execute.hpp"

namespace thaiyyal {

std::string result_to_json(const Result& result) {
  // Struct field order of the reference's Result, not sorted.
  std::string out;
  out.reserve(512);
  out += "{\"execution_id\":";
  write_json_string(out, result.execution_id);
  if (!result.workflow_id.empty()) {
    out += ",\"workflow_id\":";
    write_json_string(out, result.workflow_id);
  }
  out += ",\"node_results\":";
  write_json(out, result.node_results);
  out += ",\"final_output\":";
  write_json(out, result.final_output);
  if (!result.errors.empty()) {
    out += ",\"errors\":[";
    for (std::size_t i = 0; i < result.errors.size(); ++i) {
      if (i > 0) out += ',';
      write_json_string(out, result.errors[i]);
    }
    out += ']';
  }
  out += '}';
  return out;
}

Value result_to_value(const Result& result) {
  Result copy = result;
  return result_to_value(std::move(copy));
}

Value result_to_value(Result&& result) {
  Object obj;
  obj.set("execution_id", Value::string(result.execution_id));
  if (!result.workflow_id.empty()) obj.set("workflow_id", Value::string(result.workflow_id));
  obj.set("node_results", Value::object(std::move(result.node_results)));
  obj.set("final_output", std::move(result.final_output));
  if (!result.errors.empty()) {
    Array errors;
    for (const std::string& e : result.errors) errors.push_back(Value::string(e));
    obj.set("errors", Value::array(std::move(errors)));
  }
  return Value::object(std::move(obj));
}

std::string execute_json(std::string_view payload_json, Host& host, const Limits& limits) {
  auto plan = compile_workflow_json(payload_json);
  RunOutcome outcome = execute(*plan, host, limits);
  return result_to_json(outcome.result);
}

}  // namespace thaiyyal
