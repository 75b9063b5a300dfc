// Resilience nodes (nodes.md): retry, try_catch, timeout, rate_limiter,
// throttle. Nothing is re-executed or timed: retry and try_catch inspect an
// input object with an `error` key, timeout reads a simulated
// `execution_time`. Every wait goes through RunContext::sleep_nanos.
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <optional>

#include "engine/go/fmt.hpp"
#include "engine/go/strings.hpp"
#include "engine/go/time.hpp"
#include "engine/nodes/node_util.hpp"
#include "engine/run/workflow_timeout.hpp"

namespace thaiyyal {
namespace {

constexpr std::int64_t kSecond = 1000000000;

// Go's time.Duration(f) for a float64 as compiled for amd64 (CVTTSD2SQ):
// truncation toward zero, and the "integer indefinite" INT64_MIN for NaN and
// out-of-range values. A back-off that overflows therefore does not wait,
// as in the reference.
std::int64_t go_duration_from_float(double f) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(f >= -kTwo63 && f < kTwo63)) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(f);
}

// Go int64 multiplication (wraps on overflow).
std::int64_t go_mul(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}

// The "is an error" test shared by retry and try_catch: an object with an
// `error` key (whatever its value, null included).
const Value* error_field(const Value& input) {
  return input.is_object() ? input.as_object().find("error") : nullptr;
}

// --- retry ------------------------------------------------------------------

struct RetryConfig {
  std::optional<std::int64_t> max_attempts;  // nullopt = default 3
  std::string backoff;
  std::int64_t initial_delay = kSecond;
  std::int64_t max_delay = 30 * kSecond;
  double multiplier = 2.0;
  std::vector<std::string> retry_on_errors;

  // The back-off slept after failed attempt `attempt` (1-based).
  std::int64_t delay_after(std::int64_t attempt) const {
    std::int64_t delay = initial_delay;
    if (backoff == "exponential") {
      delay = go_duration_from_float(static_cast<double>(initial_delay) *
                                     std::pow(multiplier, static_cast<double>(attempt - 1)));
    } else if (backoff == "linear") {
      delay = go_mul(initial_delay, attempt);
    }
    return delay > max_delay ? max_delay : delay;
  }
};

RetryConfig retry_config(const NodeData& data) {
  RetryConfig c;
  c.max_attempts = data.integer("max_attempts");
  c.backoff = data.string_or("backoff_strategy", "exponential");
  // Unparseable delays silently keep their defaults.
  if (auto text = data.string("initial_delay")) {
    if (auto d = parse_duration_or_millis(*text)) c.initial_delay = *d;
  }
  if (auto text = data.string("max_delay")) {
    if (auto d = parse_duration_or_millis(*text)) c.max_delay = *d;
  }
  c.multiplier = data.number("multiplier").value_or(2.0);
  c.retry_on_errors = data.strings("retry_on_errors");
  return c;
}

std::unique_ptr<NodeExecutor> compile_retry(const NodeData& data) {
  return make_executor([c = retry_config(data)](RunContext& run,
                                                const std::vector<Value>& inputs) -> Value {
    if (inputs.empty()) throw NodeError("retry node requires at least one input");
    const std::int64_t max_attempts = c.max_attempts.value_or(3);
    // The reference crashes here (execution.md §8.4; docs/COMPATIBILITY.md).
    if (max_attempts <= 0) {
      throw NodeError("max_attempts must be positive, got " + std::to_string(max_attempts));
    }
    const Value& input = inputs[0];
    const Value* error = error_field(input);
    if (error == nullptr) {
      return out({{"attempts", integer(1)}, {"success", Value::boolean(true)}, {"value", input}});
    }
    // The input never changes, so every attempt sees the same error.
    const std::string message = error->is_string() ? error->as_string() : std::string();
    bool listed = c.retry_on_errors.empty();
    for (const std::string& pattern : c.retry_on_errors) {
      if (go::find_substring(message, pattern) != std::string::npos) {
        listed = true;
        break;
      }
    }
    if (!listed) throw NodeError("error not in retry list: " + message);
    for (std::int64_t attempt = 1; attempt < max_attempts; ++attempt) {
      const std::int64_t delay = c.delay_after(attempt);
      if (delay > 0) {
        run.sleep_nanos(delay);
      } else {
        // Nothing to wait for: stay interruptible and bounded by the
        // workflow deadline even for huge max_attempts.
        run.check_interrupts();
        if (run.deadline_passed()) throw WorkflowTimeout();
      }
    }
    throw NodeError("max retry attempts (" + std::to_string(max_attempts) +
                    ") reached: " + message);
  });
}

// --- try_catch --------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_try_catch(const NodeData& data) {
  const Value* given = data.get("fallback_value");
  Value fallback = given != nullptr ? *given : Value();
  const bool continue_on_error = data.boolean("continue_on_error").value_or(true);
  std::string error_output_path = data.string_or("error_output_path", "");
  return make_executor([fallback = std::move(fallback), continue_on_error,
                        error_output_path = std::move(error_output_path)](
                           RunContext&, const std::vector<Value>& inputs) -> Value {
    if (inputs.empty()) throw NodeError("try-catch node requires at least one input");
    const Value* error = error_field(inputs[0]);
    if (error == nullptr) {
      return out({{"error_caught", Value::boolean(false)}, {"value", inputs[0]}});
    }
    std::string message = error->is_string() ? error->as_string() : go_v(*error);
    if (!continue_on_error) throw NodeError("error caught: " + message);
    std::vector<Object::Entry> entries{{"error_caught", Value::boolean(true)},
                                       {"error_message", str(std::move(message))},
                                       {"value", fallback}};
    // Informational only: it does not drive handles.
    if (!error_output_path.empty())
      entries.emplace_back("error_output_path", str(error_output_path));
    return out(std::move(entries));
  });
}

// --- timeout ----------------------------------------------------------------

std::unique_ptr<NodeExecutor> compile_timeout(const NodeData& data) {
  std::string text = data.string_or("timeout", "");
  std::optional<std::int64_t> limit = parse_duration_or_millis(text);
  // Anything but "error" continues with a partial result.
  const bool fail_on_timeout = data.string_or("timeout_action", "error") == "error";
  return make_executor([text = std::move(text), limit, fail_on_timeout](
                           RunContext&, const std::vector<Value>& inputs) -> Value {
    if (!limit) throw NodeError("invalid timeout duration: " + text);
    if (inputs.empty()) throw NodeError("timeout node requires at least one input");
    const Value& input = inputs[0];
    // The simulated execution time: the input's `execution_time`, if it is a
    // parseable duration string.
    std::int64_t elapsed = 0;
    if (const Value* et = input.find("execution_time"); et != nullptr && et->is_string()) {
      elapsed = parse_duration_or_millis(et->as_string()).value_or(0);
    }
    const bool timed_out = elapsed > *limit;
    if (timed_out && fail_on_timeout) {
      throw NodeError("operation timed out after " + format_go_duration(elapsed) +
                      " (limit: " + format_go_duration(*limit) + ")");
    }
    std::vector<Object::Entry> entries{{"execution_time", str(format_go_duration(elapsed))},
                                       {"timed_out", Value::boolean(timed_out)},
                                       {"timeout_duration", str(format_go_duration(*limit))},
                                       {"value", input}};
    if (timed_out) {
      entries.emplace_back("partial_result", Value::boolean(true));
      entries.emplace_back("timeout_exceeded", Value::boolean(true));
    }
    return out(std::move(entries));
  });
}

// --- rate_limiter -----------------------------------------------------------

// Request instants (monotonic ns) of one rate_limiter node in this run.
struct RateLimiterState final : NodeRunState {
  std::deque<std::int64_t> requests;

  // Keeps the requests strictly younger than `window` (the reference keeps
  // t after now - window); written as an age so that no sum can overflow.
  void forget_older(std::int64_t now, std::int64_t window) {
    while (!requests.empty() && now - requests.front() >= window) requests.pop_front();
  }
};

std::string validate_rate_limiter(const NodeData& data) {
  if (!data.has("max_requests")) return "missing required field: max_requests";
  if (!data.has("per_duration")) return "missing required field: per_duration";
  return {};
}

std::unique_ptr<NodeExecutor> compile_rate_limiter(const NodeData& data) {
  const std::int64_t max_requests = data.integer("max_requests").value_or(10);
  std::string window_text = data.string_or("per_duration", "1s");
  std::optional<std::int64_t> window = parse_duration_or_millis(window_text);
  std::string strategy = data.string_or("strategy", "fixed_window");
  return make_executor(
      [max_requests, window_text = std::move(window_text), window, strategy = std::move(strategy)](
          RunContext& run, const std::vector<Value>& inputs) -> Value {
        if (!window) {
          throw NodeError("invalid per_duration format: " + invalid_duration_message(window_text));
        }
        if (strategy != "fixed_window") {
          throw NodeError("unsupported rate limit strategy: " + strategy +
                          " (only fixed_window supported)");
        }
        // The reference crashes here (execution.md §8.4; docs/COMPATIBILITY.md).
        if (max_requests <= 0) {
          throw NodeError("max_requests must be positive, got " + std::to_string(max_requests));
        }
        auto* state = static_cast<RateLimiterState*>(run.node_state(run.current_node()));
        if (state == nullptr) {
          auto fresh = std::make_unique<RateLimiterState>();
          state = fresh.get();
          run.set_node_state(run.current_node(), std::move(fresh));
        }
        // A node runs at most once per run, so in practice the window is empty
        // and nothing waits; a full window waits for its oldest request to age.
        Host& host = run.host();
        state->forget_older(host.monotonic_nanos(), *window);
        if (static_cast<std::int64_t>(state->requests.size()) >= max_requests) {
          run.sleep_nanos(*window - (host.monotonic_nanos() - state->requests.front()));
          state->forget_older(host.monotonic_nanos(), *window);
        }
        state->requests.push_back(host.monotonic_nanos());
        return out({{"max_requests", integer(max_requests)},
                    {"rate_limited", Value::boolean(true)},
                    {"requests_count", integer(static_cast<std::int64_t>(state->requests.size()))},
                    {"value", inputs.empty() ? Value() : inputs[0]},
                    {"window", str(window_text)}});
      });
}

// --- throttle ---------------------------------------------------------------

// The last request instant (monotonic ns) of one throttle node in this run.
struct ThrottleState final : NodeRunState {
  std::int64_t last_request = 0;
};

// Go's %f (six decimals, exact rounding as C printf).
std::string go_percent_f(double d) {
  // The longest %f of a double is 309 integer digits, a sign, a point and
  // six decimals.
  char buffer[400];
  const int n = std::snprintf(buffer, sizeof buffer, "%f", d);
  return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::unique_ptr<NodeExecutor> compile_throttle(const NodeData& data) {
  const double rps = data.number("requests_per_second").value_or(5.0);
  return make_executor([rps](RunContext& run, const std::vector<Value>& inputs) -> Value {
    if (!(rps > 0)) {
      throw NodeError("requests_per_second must be positive, got " + go_percent_f(rps));
    }
    const std::int64_t min_interval = go_duration_from_float(static_cast<double>(kSecond) / rps);
    auto* state = static_cast<ThrottleState*>(run.node_state(run.current_node()));
    std::int64_t waited = 0;
    if (state == nullptr) {
      auto fresh = std::make_unique<ThrottleState>();
      state = fresh.get();
      run.set_node_state(run.current_node(), std::move(fresh));
    } else {
      // Only a second request of the same node in one run can wait.
      const std::int64_t elapsed = run.host().monotonic_nanos() - state->last_request;
      if (elapsed < min_interval) {
        waited = min_interval - elapsed;
        run.sleep_nanos(waited);
      }
    }
    state->last_request = run.host().monotonic_nanos();
    return out({{"delay_ms", integer(waited / 1000000)},
                {"requests_per_second", Value::number(rps)},
                {"throttled", Value::boolean(true)},
                {"value", inputs.empty() ? Value() : inputs[0]}});
  });
}

}  // namespace

void register_resilience_nodes(NodeRegistry& registry) {
  registry.add(NodeTypeInfo{
      .type = "retry",
      .struct_name = "RetryData",
      .fields = {field("max_attempts", FieldType::Integer),
                 field("backoff_strategy", FieldType::String),
                 field("initial_delay", FieldType::String), field("max_delay", FieldType::String),
                 field("multiplier", FieldType::Number),
                 field("retry_on_errors", FieldType::StringArray)},
      .validate = nullptr,
      .compile = compile_retry});
  registry.add(NodeTypeInfo{.type = "try_catch",
                            .struct_name = "TryCatchData",
                            .fields = {field("fallback_value", FieldType::Any),
                                       field("continue_on_error", FieldType::Bool),
                                       field("error_output_path", FieldType::String)},
                            .validate = nullptr,
                            .compile = compile_try_catch});
  registry.add(NodeTypeInfo{
      .type = "timeout",
      .struct_name = "TimeoutData",
      .fields = {field("timeout", FieldType::String), field("timeout_action", FieldType::String)},
      .validate = THAIYYAL_REQUIRE_FIELD("timeout"),
      .compile = compile_timeout});
  registry.add(NodeTypeInfo{
      .type = "rate_limiter",
      .struct_name = "RateLimiterData",
      .fields = {field("max_requests", FieldType::Integer),
                 field("per_duration", FieldType::String), field("strategy", FieldType::String)},
      .validate = validate_rate_limiter,
      .compile = compile_rate_limiter});
  registry.add(NodeTypeInfo{.type = "throttle",
                            .struct_name = "ThrottleData",
                            .fields = {field("requests_per_second", FieldType::Number)},
                            .validate = THAIYYAL_REQUIRE_FIELD("requests_per_second"),
                            .compile = compile_throttle});
}

}  // namespace thaiyyal
