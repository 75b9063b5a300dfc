// Loop and flow nodes (nodes.md): for_each, while_loop, parallel, join,
// split, delay. None of them runs a sub-graph: loops only count, parallel
// and join only package their inputs (execution.md §9).
#include <optional>

#include "engine/expr/expression.hpp"
#include "engine/go/time.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

// `max_iterations` of for_each / while_loop: values <= 0 mean the default.
std::int64_t max_iterations(const NodeData& data, std::int64_t fallback) {
  std::optional<std::int64_t> max = data.integer("max_iterations");
  return (max && *max > 0) ? *max : fallback;
}

// --- for_each ---------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_for_each(const NodeData& data) {
  const std::int64_t max = max_iterations(data, 1000);
  return make_executor([max](RunContext&, const std::vector<Value>& inputs) -> Value {
    if (inputs.empty()) throw NodeError("for_each node needs at least 1 input");
    if (!inputs[0].is_array()) {
      throw NodeError("for_each node requires array input, got " +
                      std::string(go_type_name(inputs[0])));
    }
    const auto n = static_cast<std::int64_t>(inputs[0].as_array().size());
    if (n > max) {
      throw NodeError("for_each exceeds max iterations: " + std::to_string(n) + " > " +
                      std::to_string(max));
    }
    // Every (empty) iteration succeeds.
    return out({{"failed", integer(0)},
                {"input_count", integer(n)},
                {"iterations", integer(n)},
                {"successful", integer(n)}});
  });
}

// --- while_loop -------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_while_loop(const NodeData& data) {
  std::string condition = data.string_or("condition", "");
  const std::int64_t max = max_iterations(data, 100);
  return make_executor([condition = std::move(condition), max](RunContext&,
                                                               const std::vector<Value>& inputs) {
    if (inputs.empty()) throw NodeError("while_loop node needs at least 1 input");
    // The body never changes the value: a condition that holds once holds
    // until the iteration limit.
    if (expr::simple_numeric_test(condition, inputs[0])) {
      throw NodeError("while_loop exceeded max iterations: " + std::to_string(max));
    }
    return out(
        {{"condition", str(condition)}, {"final_value", inputs[0]}, {"iterations", integer(0)}});
  });
}

// --- parallel ---------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_parallel(const NodeData& data) {
  const std::int64_t concurrency = data.integer("max_concurrency").value_or(10);
  return make_executor([concurrency](RunContext&, const std::vector<Value>& inputs) -> Value {
    if (inputs.empty()) throw NodeError("parallel node requires at least one input");
    // The reference blocks forever on 0 and crashes on negative values
    // (execution.md §8.4; docs/COMPATIBILITY.md).
    if (concurrency <= 0) {
      throw NodeError("max_concurrency must be positive, got " + std::to_string(concurrency));
    }
    return out({{"concurrency", integer(concurrency)},
                {"count", integer(static_cast<std::int64_t>(inputs.size()))},
                {"results", Value::array(inputs)}});
  });
}

// --- join -------------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_join(const NodeData& data) {
  std::string strategy = data.string_or("join_strategy", "all");
  return make_executor([strategy = std::move(strategy)](RunContext&,
                                                        const std::vector<Value>& inputs) -> Value {
    const auto count = static_cast<std::int64_t>(inputs.size());
    if (strategy == "all") {
      if (inputs.empty()) {
        throw NodeError("join node with 'all' strategy requires at least one input");
      }
      return out(
          {{"count", integer(count)}, {"strategy", str("all")}, {"values", Value::array(inputs)}});
    }
    if (strategy == "any") {
      if (inputs.empty()) throw NodeError("join node with 'any' strategy has no inputs");
      return out({{"count", integer(count)}, {"strategy", str("any")}, {"value", inputs[0]}});
    }
    if (strategy == "first") {
      if (inputs.empty()) throw NodeError("join node with 'first' strategy has no inputs");
      return out({{"strategy", str("first")}, {"value", inputs[0]}});
    }
    throw NodeError("unsupported join strategy: " + strategy + " (use all, any, or first)");
  });
}

// --- split ------------------------------------------------------------------

std::string validate_split(const NodeData& data) {
  const Value* paths = data.get("paths");
  if (paths == nullptr || !paths->is_array() || paths->as_array().empty()) {
    return "missing required field: paths";
  }
  return {};
}

std::unique_ptr<NodeExecutor> compile_split(const NodeData& data) {
  const Value* given = data.get("paths");
  Value paths = given != nullptr ? *given : Value::array();
  return make_executor([paths = std::move(paths)](RunContext&,
                                                  const std::vector<Value>& inputs) -> Value {
    if (inputs.empty()) throw NodeError("split node requires at least one input");
    Object outputs;
    for (const Value& path : paths.as_array()) outputs.set(path.as_string(), inputs[0]);
    return out(
        {{"outputs", Value::object(std::move(outputs))}, {"paths", paths}, {"value", inputs[0]}});
  });
}

// --- delay ------------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_delay(const NodeData& data) {
  std::string text = data.string_or("duration", "");
  std::optional<std::int64_t> nanos = parse_duration_or_millis(text);
  return make_executor(
      [text = std::move(text), nanos](RunContext& run, const std::vector<Value>& inputs) -> Value {
        if (!nanos) throw NodeError("invalid duration format: " + invalid_duration_message(text));
        // Interruptible, and never past the workflow deadline (the run then
        // times out at once); a negative duration does not wait.
        run.sleep_nanos(*nanos);
        return out({{"delayed", Value::boolean(true)},
                    {"duration", str(text)},
                    {"value", inputs.empty() ? Value() : inputs[0]}});
      });
}

}  // namespace

void register_flow_nodes(NodeRegistry& registry) {
  registry.add(NodeTypeInfo{.type = "for_each",
                            .struct_name = "ForEachData",
                            .fields = {field("max_iterations", FieldType::Integer)},
                            .validate = nullptr,
                            .compile = compile_for_each});
  registry.add(NodeTypeInfo{.type = "while_loop",
                            .struct_name = "WhileLoopData",
                            .fields = {field("condition", FieldType::String),
                                       field("max_iterations", FieldType::Integer)},
                            .validate = THAIYYAL_REQUIRE_FIELD("condition"),
                            .compile = compile_while_loop});
  registry.add(NodeTypeInfo{
      .type = "parallel",
      .struct_name = "ParallelData",
      .fields = {field("max_concurrency", FieldType::Integer), field("timeout", FieldType::String)},
      .validate = nullptr,
      .compile = compile_parallel});
  registry.add(NodeTypeInfo{
      .type = "join",
      .struct_name = "JoinData",
      .fields = {field("join_strategy", FieldType::String), field("timeout", FieldType::String)},
      .validate = nullptr,
      .compile = compile_join});
  registry.add(NodeTypeInfo{.type = "split",
                            .struct_name = "SplitData",
                            .fields = {field("paths", FieldType::StringArray)},
                            .validate = validate_split,
                            .compile = compile_split});
  registry.add(NodeTypeInfo{.type = "delay",
                            .struct_name = "DelayData",
                            .fields = {field("duration", FieldType::String)},
                            .validate = THAIYYAL_REQUIRE_FIELD("duration"),
                            .compile = compile_delay});
}

}  // namespace thaiyyal
