// Workflow state nodes (nodes.md, execution.md §6.2-§6.4): accumulator,
// counter, cache. Their state lives in the RunContext, so it is shared by
// every node of one run, mutated in execution order, and gone afterwards.
#include <limits>
#include <optional>

#include "engine/go/time.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

// --- accumulator ------------------------------------------------------------

// The value an unset accumulator starts from.
Value initial_accumulator(const std::string& op, const Value& configured) {
  if (!configured.is_null()) return configured;
  if (op == "sum" || op == "count") return Value::number(0);
  if (op == "product") return Value::number(1);
  if (op == "concat") return str("");
  if (op == "array") return Value::array();
  return Value();
}

Value accumulate(const std::string& op, Value accumulator, const Value& input) {
  if (op == "sum" || op == "product") {
    if (!accumulator.is_number()) throw NodeError("accumulator value is not a number");
    // Only float64 counts: node-generated ints are rejected (values.md §1.1).
    if (!input.is_number()) {
      throw NodeError(op + " accumulator requires numeric input, got " +
                      std::string(go_type_name(input)));
    }
    return Value::number(op == "sum" ? accumulator.as_number() + input.as_number()
                                     : accumulator.as_number() * input.as_number());
  }
  if (op == "concat") {
    if (!accumulator.is_string()) throw NodeError("accumulator value is not a string");
    if (!input.is_string()) {
      throw NodeError("concat accumulator requires string input, got " +
                      std::string(go_type_name(input)));
    }
    return str(accumulator.as_string() + input.as_string());
  }
  if (op == "array") {
    if (!accumulator.is_array()) throw NodeError("accumulator value is not an array");
    // A new box (the run's slot still shares the old one): charged to the
    // run's memory budget at its real size.
    Array items;
    items.reserve(accumulator.as_array().size() + 1);
    items = accumulator.as_array();
    items.push_back(input);
    return Value::array(std::move(items));
  }
  if (op == "count") {
    if (!accumulator.is_number()) throw NodeError("accumulator value is not a number");
    return Value::number(accumulator.as_number() + 1);
  }
  throw NodeError("unsupported accumulator operation: " + op);
}

bool known_accumulator_op(const std::string& op) {
  return op == "sum" || op == "product" || op == "concat" || op == "array" || op == "count";
}

std::unique_ptr<NodeExecutor> compile_accumulator(const NodeData& data) {
  std::string op = data.string_or("accum_op", "");
  std::vector<std::string> problems = problem_unless(
      known_accumulator_op(op), [&] { return "unsupported accumulator operation: " + op; });
  const Value* configured = data.get("initial_value");
  Value initial = configured != nullptr ? *configured : Value();
  return make_executor(
      [op = std::move(op), initial = std::move(initial)](
          RunContext& run, const std::vector<Value>& inputs) -> Value {
        // One slot per run. "Unset" is a null value: the reference tests for nil,
        // so an operation whose start value is null leaves the slot unset for the
        // next accumulator node.
        Value current = run.accumulator_set() ? run.accumulator() : Value();
        if (current.is_null()) {
          current = initial_accumulator(op, initial);
          run.set_accumulator(current);
        }
        if (inputs.empty()) return out({{"operation", str(op)}, {"value", current}});
        Value next = accumulate(op, std::move(current), inputs[0]);
        run.set_accumulator(next);
        return out({{"operation", str(op)}, {"value", std::move(next)}});
      },
      std::move(problems));
}

// --- counter ----------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_counter(const NodeData& data) {
  std::string op = data.string_or("counter_op", "");
  std::vector<std::string> problems =
      problem_unless(op == "increment" || op == "decrement" || op == "reset" || op == "get", [&] {
        return "unsupported counter operation: " + op +
               " (use increment, decrement, reset, or get)";
      });
  const double delta = data.number("delta").value_or(1.0);
  // Only a JSON number has an effect (a string initial_value is ignored).
  const std::optional<double> initial = data.number("initial_value");
  return make_executor(
      [op = std::move(op), delta, initial](RunContext& run, const std::vector<Value>&) -> Value {
        double counter = run.counter();
        if (initial) {
          counter = *initial;
          run.set_counter(counter);
        }
        if (op == "increment") {
          counter += delta;
        } else if (op == "decrement") {
          counter -= delta;
        } else if (op == "reset") {
          counter = initial.value_or(0.0);
        } else if (op != "get") {
          // The initial_value reset above has already happened.
          throw NodeError("unsupported counter operation: " + op +
                          " (use increment, decrement, reset, or get)");
        }
        run.set_counter(counter);
        return out({{"operation", str(op)}, {"value", Value::number(counter)}});
      },
      std::move(problems));
}

// --- cache ------------------------------------------------------------------

constexpr std::int64_t kDefaultCacheTtlNanos = 5LL * 60 * 1000000000;

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  if (b > 0 && a > kMax - b) return kMax;
  if (b < 0 && a < kMin - b) return kMin;
  return a + b;
}

std::string validate_cache(const NodeData& data) {
  if (!data.has("cache_op")) return "missing required field: cache_op";
  if (!data.has("cache_key")) return "missing required field: cache_key";
  return {};
}

std::unique_ptr<NodeExecutor> compile_cache(const NodeData& data) {
  std::string op = data.string_or("cache_op", "");
  std::vector<std::string> problems = problem_unless(
      op == "get" || op == "set" || op == "delete",
      [&] { return "unsupported cache operation: " + op + " (use get, set, or delete)"; });
  std::string key = data.string_or("cache_key", "");
  std::optional<std::string> ttl_text = data.string("ttl");
  std::optional<std::int64_t> ttl =
      ttl_text ? parse_duration_or_millis(*ttl_text) : kDefaultCacheTtlNanos;
  return make_executor(
      [op = std::move(op), key = std::move(key), ttl_text = std::move(ttl_text), ttl](
          RunContext& run, const std::vector<Value>& inputs) -> Value {
        if (op == "set") {
          if (inputs.empty()) throw NodeError("cache set operation requires an input value");
          if (!ttl) throw NodeError("invalid TTL format: " + invalid_duration_message(*ttl_text));
          const std::int64_t expires_at = saturating_add(run.host().monotonic_nanos(), *ttl);
          run.cache().insert_or_assign(key, RunContext::CacheEntry{inputs[0], expires_at});
          return out({{"key", str(key)},
                      {"operation", str("set")},
                      {"ttl", ttl_text ? str(*ttl_text) : Value()},
                      {"value", inputs[0]}});
        }
        if (op == "get") {
          auto& cache = run.cache();
          auto it = cache.find(key);
          // Expired once the clock is past the expiry instant.
          const bool found =
              it != cache.end() && run.host().monotonic_nanos() <= it->second.expires_at;
          return out({{"found", Value::boolean(found)},
                      {"key", str(key)},
                      {"operation", str("get")},
                      {"value", found ? it->second.value : Value()}});
        }
        if (op == "delete") {
          // The reference only reports success; the entry stays.
          return out(
              {{"deleted", Value::boolean(true)}, {"key", str(key)}, {"operation", str("delete")}});
        }
        throw NodeError("unsupported cache operation: " + op + " (use get, set, or delete)");
      },
      std::move(problems));
}

}  // namespace

void register_state_nodes(NodeRegistry& registry) {
  registry.add(NodeTypeInfo{
      .type = "accumulator",
      .struct_name = "AccumulatorData",
      .fields = {field("accum_op", FieldType::String), field("initial_value", FieldType::Any)},
      .validate = THAIYYAL_REQUIRE_FIELD("accum_op"),
      .compile = compile_accumulator});
  registry.add(NodeTypeInfo{
      .type = "counter",
      .struct_name = "CounterData",
      .fields = {field("counter_op", FieldType::String), field("delta", FieldType::Number),
                 field("initial_value", FieldType::Any)},
      .validate = THAIYYAL_REQUIRE_FIELD("counter_op"),
      .compile = compile_counter});
  registry.add(NodeTypeInfo{
      .type = "cache",
      .struct_name = "CacheData",
      .fields = {field("cache_op", FieldType::String), field("cache_key", FieldType::String),
                 field("ttl", FieldType::String), field("max_size", FieldType::Integer),
                 field("eviction", FieldType::String), field("storage", FieldType::String)},
      .validate = validate_cache,
      .compile = compile_cache});
}

}  // namespace thaiyyal
