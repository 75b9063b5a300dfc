// Per-run state (execution.md §6) and the services executors may use.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/common/scratch.hpp"
#include "engine/expr/expression.hpp"
#include "engine/run/host.hpp"
#include "engine/run/limits.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

class WorkflowPlan;

// Per-node scratch state that must survive within one run (rate_limiter
// windows and the like). Owned by the RunContext.
class NodeRunState {
 public:
  virtual ~NodeRunState() = default;
};

class RunContext final : public expr::Environment {
 public:
  RunContext(const WorkflowPlan& plan, Host& host, const Limits& limits);
  ~RunContext() override;

  Host& host() const { return host_; }
  const Limits& limits() const { return limits_; }
  const WorkflowPlan& plan() const { return plan_; }

  // The node being executed (index into the plan's nodes).
  std::size_t current_node() const { return current_node_; }
  void set_current_node(std::size_t index) { current_node_ = index; }

  // Node results, by plan node index (absent = not executed).
  const Value* result(std::size_t node_index) const {
    const ResultSlot& slot = results_.items[node_index];
    return slot.set ? &slot.value : nullptr;
  }
  void store_result(std::size_t node_index, Value v) {
    results_.items[node_index] = {std::move(v), true};
  }

  // Workflow variables (execution.md §6.1).
  const Value* find_variable(std::string_view name) const;
  // Validates and enforces MaxVariables; throws NodeError with the
  // reference's messages.
  void set_variable(const std::string& name, Value value);

  // The shared accumulator slot (§6.2): null pointer while unset.
  bool accumulator_set() const { return accumulator_set_; }
  const Value& accumulator() const { return accumulator_; }
  void set_accumulator(Value v) {
    accumulator_ = std::move(v);
    accumulator_set_ = true;
  }
  // The shared counter (§6.3).
  double counter() const { return counter_; }
  void set_counter(double v) { counter_ = v; }

  // Cache (§6.4): value and absolute expiry (monotonic ns).
  struct CacheEntry {
    Value value;
    std::int64_t expires_at;
  };
  std::map<std::string, CacheEntry, std::less<>>& cache() { return cache_; }

  // Context maps (§6.5).
  void set_context_variable(const std::string& name, Value v);
  void set_context_constant(const std::string& name, Value v);

  // Run input supplied by the caller (stored workflows, issue 4); null when
  // none.
  const Value& run_input() const { return run_input_; }
  void set_run_input(Value v) { run_input_ = std::move(v); }

  // A PRNG for nodes that are random in the reference (`sample`).
  std::mt19937_64& random();

  // HTTP requests made so far in this run (MaxHTTPCallsPerExec); returns
  // the count including this one.
  std::int64_t count_http_call() { return ++http_calls_; }

  NodeRunState* node_state(std::size_t node_index) const;
  void set_node_state(std::size_t node_index, std::unique_ptr<NodeRunState> state);

  // expr::Environment
  const Value* variable(std::string_view name) const override { return find_variable(name); }
  const Value* context_value(std::string_view key) const override;
  const Value* node_result(std::string_view node_id) const override;
  std::int64_t run_start_unix_nanos() const override { return run_start_unix_nanos_; }
  void check_interrupts() const override { host_.check_interrupts(); }

  void set_run_start(std::int64_t unix_nanos) { run_start_unix_nanos_ = unix_nanos; }

  // The run's deadline on the host's monotonic clock (0 = none).
  void set_deadline(std::int64_t monotonic_nanos) { deadline_ = monotonic_nanos; }
  bool deadline_passed() const { return deadline_ != 0 && host_.monotonic_nanos() > deadline_; }
  // Waits as a node would (delay, retry back-off): interruptible by the
  // host, and never past the run's deadline (throws WorkflowTimeout then).
  void sleep_nanos(std::int64_t nanos);

 private:
  const WorkflowPlan& plan_;
  Host& host_;
  const Limits& limits_;
  std::size_t current_node_ = 0;
  struct ResultSlot {
    Value value;
    bool set = false;
  };
  // One slot per plan node; the thread's kept vector (a backend runs one
  // workflow after another), so a run does not allocate it.
  ScratchVector<ResultSlot, struct RunResults> results_;
  std::map<std::string, Value, std::less<>> variables_;
  Value accumulator_;
  bool accumulator_set_ = false;
  double counter_ = 0;
  std::map<std::string, CacheEntry, std::less<>> cache_;
  std::map<std::string, Value, std::less<>> context_variables_;
  std::map<std::string, Value, std::less<>> context_constants_;
  Value run_input_;
  std::int64_t run_start_unix_nanos_ = 0;
  std::int64_t deadline_ = 0;
  std::unique_ptr<std::mt19937_64> random_;
  mutable std::vector<std::unique_ptr<NodeRunState>> node_states_;
  std::int64_t http_calls_ = 0;
};

}  // namespace thaiyyal
