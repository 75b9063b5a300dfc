#include "engine/run/run_context.hpp"

#include <algorithm>
#include <limits>

#include "engine/common/interrupts.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/plan/plan.hpp"
#include "engine/run/node_executor.hpp"
#include "engine/run/workflow_timeout.hpp"

namespace thaiyyal {
namespace {

// execution.md §7.2: depth of a value; a scalar at level k counts k+1, a
// container the maximum over its children one level down (k if empty).
// The walk stops descending below `cap` levels (the answer is then "more
// than cap"), so a pathologically deep value cannot overflow the stack.
std::int64_t nesting_depth(const Value& v, std::int64_t level, std::int64_t cap) {
  if (level > cap) return level;
  if (v.is_array() || v.is_object()) {
    check_stack_depth();
    poll_interrupts();
  }
  if (v.is_array()) {
    std::int64_t deepest = level;
    for (const Value& e : v.as_array()) {
      deepest = std::max(deepest, nesting_depth(e, level + 1, cap));
      if (deepest > cap) break;
    }
    return deepest;
  }
  if (v.is_object()) {
    std::int64_t deepest = level;
    for (const auto& [k, e] : v.as_object()) {
      deepest = std::max(deepest, nesting_depth(e, level + 1, cap));
      if (deepest > cap) break;
    }
    return deepest;
  }
  return level + 1;
}

constexpr std::int64_t kHardDepthCap = 10000;

// Returns the reason a value may not be stored, or "".
std::string validate_value(const Value& v, const Limits& limits) {
  if (v.is_null()) return {};
  // Values deeper than any limit can express are refused before the
  // element-wise checks recurse into them.
  if ((v.is_array() || v.is_object()) && nesting_depth(v, 0, kHardDepthCap) > kHardDepthCap) {
    return "value too deeply nested: more than " + std::to_string(kHardDepthCap) + " levels";
  }
  if (v.is_string() && limits.max_string_length > 0 &&
      static_cast<std::int64_t>(v.as_string().size()) > limits.max_string_length) {
    return "string too long: " + std::to_string(v.as_string().size()) +
           " bytes (limit: " + std::to_string(limits.max_string_length) + ")";
  }
  if (v.is_array()) {
    const Array& items = v.as_array();
    if (limits.max_array_length > 0 &&
        static_cast<std::int64_t>(items.size()) > limits.max_array_length) {
      return "array too large: " + std::to_string(items.size()) +
             " elements (limit: " + std::to_string(limits.max_array_length) + ")";
    }
    check_stack_depth();
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll_interrupts();
      std::string inner = validate_value(items[i], limits);
      if (!inner.empty()) return "array element " + std::to_string(i) + ": " + inner;
    }
  }
  if (limits.max_context_depth > 0) {
    std::int64_t depth = nesting_depth(v, 0, std::max(limits.max_context_depth, kHardDepthCap));
    if (depth > limits.max_context_depth) {
      return "value too deeply nested: " + std::to_string(depth) +
             " levels (limit: " + std::to_string(limits.max_context_depth) + ")";
    }
  }
  return {};
}

}  // namespace

RunContext::RunContext(const WorkflowPlan& plan, Host& host, const Limits& limits)
    : plan_(plan), host_(host), limits_(limits) {
  results_.items.resize(plan.nodes.size());
}

RunContext::~RunContext() = default;

const Value* RunContext::find_variable(std::string_view name) const {
  auto it = variables_.find(name);
  return it == variables_.end() ? nullptr : &it->second;
}

void RunContext::set_variable(const std::string& name, Value value) {
  std::string reason = validate_value(value, limits_);
  if (!reason.empty()) throw NodeError("variable validation failed: " + reason);
  auto it = variables_.find(name);
  if (it != variables_.end()) {
    it->second = std::move(value);
    return;
  }
  if (limits_.max_variables > 0 &&
      static_cast<std::int64_t>(variables_.size()) >= limits_.max_variables) {
    throw NodeError("maximum variables exceeded: " + std::to_string(variables_.size()) +
                    " (limit: " + std::to_string(limits_.max_variables) + ")");
  }
  variables_.emplace(name, std::move(value));
}

void RunContext::set_context_variable(const std::string& name, Value v) {
  context_variables_[name] = std::move(v);
}

void RunContext::set_context_constant(const std::string& name, Value v) {
  context_constants_[name] = std::move(v);
}

const Value* RunContext::context_value(std::string_view key) const {
  if (auto it = context_variables_.find(key); it != context_variables_.end()) return &it->second;
  if (auto it = context_constants_.find(key); it != context_constants_.end()) return &it->second;
  return nullptr;
}

const Value* RunContext::node_result(std::string_view node_id) const {
  auto index = plan_.find_node(node_id);
  return index ? result(*index) : nullptr;
}

std::mt19937_64& RunContext::random() {
  if (!random_) random_ = std::make_unique<std::mt19937_64>(host_.random_u64());
  return *random_;
}

NodeRunState* RunContext::node_state(std::size_t node_index) const {
  return node_index < node_states_.size() ? node_states_[node_index].get() : nullptr;
}

void RunContext::set_node_state(std::size_t node_index, std::unique_ptr<NodeRunState> state) {
  if (node_states_.size() <= node_index) node_states_.resize(plan_.nodes.size());
  node_states_[node_index] = std::move(state);
}

void RunContext::sleep_nanos(std::int64_t nanos) {
  if (nanos <= 0) return;
  // Saturate: a Go duration may be as long as INT64_MAX nanoseconds.
  const std::int64_t now = host_.monotonic_nanos();
  std::int64_t wake = (now > 0 && nanos > std::numeric_limits<std::int64_t>::max() - now)
                          ? std::numeric_limits<std::int64_t>::max()
                          : now + nanos;
  bool capped = false;
  if (deadline_ != 0 && wake > deadline_) {
    wake = deadline_;
    capped = true;
  }
  for (;;) {
    host_.check_interrupts();
    std::int64_t remaining = wake - host_.monotonic_nanos();
    if (remaining <= 0) break;
    host_.sleep_nanos(remaining);
  }
  if (capped) throw WorkflowTimeout();
}

}  // namespace thaiyyal
