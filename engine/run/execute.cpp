// One run of a plan (execution.md §1, §3, §5, §8).
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/scratch.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/time.hpp"
#include "engine/plan/plan.hpp"
#include "engine/run/execute.hpp"
#include "engine/run/run_context.hpp"
#include "engine/run/workflow_timeout.hpp"

namespace thaiyyal {
namespace {

// execution.md §5.2
bool handle_satisfied(const Value& output, const std::string& handle) {
  if (!output.is_object()) return false;
  const Object& obj = output.as_object();
  if (const Value* path = obj.find("path");
      path && path->is_string() && path->as_string() == handle) {
    return true;
  }
  if (const Value* path = obj.find("output_path");
      path && path->is_string() && path->as_string() == handle) {
    return true;
  }
  if (handle == "true" || handle == "false") {
    const bool want_true = handle == "true";
    if (const Value* p = obj.find(want_true ? "true_path" : "false_path"); p && p->is_bool()) {
      return p->as_bool();
    }
    if (const Value* met = obj.find("condition_met"); met && met->is_bool()) {
      return want_true ? met->as_bool() : !met->as_bool();
    }
  }
  return false;
}

// execution.md §5.1
bool should_run(const PlanNode& node, const RunContext& run) {
  if (node.incoming.empty()) return true;
  bool any_satisfied = false;
  for (const PlanEdge& edge : node.incoming) {
    const Value* source = run.result(edge.source);
    if (source == nullptr) continue;
    if (!edge.handle) return true;
    if (!any_satisfied && handle_satisfied(*source, *edge.handle)) any_satisfied = true;
  }
  return any_satisfied;
}

// 16 lowercase hex digits of 64 random bits.
std::string new_execution_id(Host& host) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = host.random_u64();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, bits >>= 4) id[static_cast<std::size_t>(i)] = kHex[bits & 0xf];
  return id;
}

// workflow-format.md §7.2, choosing the first qualifying node in payload
// order where the reference picks at random.
Value choose_final_output(const WorkflowPlan& plan, const RunContext& run) {
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
      const PlanNode& node = plan.nodes[i];
      if (!node.is_terminal || (pass == 0 && node.is_context_node)) continue;
      if (const Value* r = run.result(i)) return *r;
    }
  }
  return Value();
}

// The run itself; `outcome` has its ids set.
void run_plan(const WorkflowPlan& plan, Host& host, const Limits& limits, const RunOptions& options,
              std::uint64_t memory_limit, RunOutcome& outcome) {
  RunContext run(plan, host, limits);
  run.set_run_start(host.now_unix_nanos());
  run.set_run_input(options.input);
  if (limits.max_execution_time_ms > 0) {
    run.set_deadline(host.monotonic_nanos() + limits.max_execution_time_ms * 1000000);
  }

  auto fail_node = [&](std::size_t index, const std::string& message) {
    const PlanNode& node = plan.nodes[index];
    outcome.status = RunOutcome::Status::NodeFailed;
    outcome.failed_node_id = node.id;
    outcome.failed_node_type = node.type;
    outcome.node_message = message;
    outcome.error = "error executing node " + node.id + ": " + message;
    outcome.result.errors.push_back(outcome.error);
  };
  auto exceed_memory = [&](std::size_t index) {
    const PlanNode& node = plan.nodes[index];
    outcome.status = RunOutcome::Status::MemoryExceeded;
    outcome.failed_node_id = node.id;
    outcome.failed_node_type = node.type;
    outcome.error = "workflow run exceeded its memory limit (" + memory_size_text(memory_limit) +
                    ") in node \"" + node.id + "\"";
    outcome.result.errors.push_back(outcome.error);
  };
  auto time_out = [&] {
    outcome.status = RunOutcome::Status::TimedOut;
    outcome.error = "workflow execution timeout: exceeded " +
                    format_go_duration(limits.max_execution_time_ms * 1000000);
  };

  std::int64_t executed = 0;
  const bool observe_nodes = host.observes_nodes();
  // Checked here, once, so that a run that records nothing per node makes
  // no call per node for it.
  const bool track_nodes = options.record_node_timings || options.record_executed_nodes;
  // The inputs of one node at a time, in the thread's kept vector.
  ScratchVector<Value, struct NodeInputs> inputs_lease;
  std::vector<Value>& inputs = inputs_lease.items;
  std::size_t most_inputs = 0;
  for (const PlanNode& node : plan.nodes) most_inputs = std::max(most_inputs, node.incoming.size());
  inputs.reserve(most_inputs);
  if (track_nodes) outcome.node_timings.reserve(plan.order.size());
  for (std::size_t index : plan.order) {
    host.check_interrupts();
    if (run.deadline_passed()) {
      time_out();
      return;
    }
    const PlanNode& node = plan.nodes[index];
    if (!should_run(node, run)) continue;

    ++executed;
    if (limits.max_node_executions > 0 && executed > limits.max_node_executions) {
      fail_node(index, "maximum node executions exceeded: " + std::to_string(executed) +
                           " (limit: " + std::to_string(limits.max_node_executions) + ")");
      return;
    }

    inputs.clear();
    for (const PlanEdge& edge : node.incoming) {
      if (const Value* r = run.result(edge.source)) inputs.push_back(*r);
    }
    run.set_current_node(index);
    if (observe_nodes) host.node_starting(node.id, node.type);
    const bool timed = options.record_node_timings;
    const std::int64_t started = timed ? host.monotonic_nanos() : 0;
    auto record_timing = [&](bool failed) {
      if (timed || options.record_executed_nodes) {
        outcome.node_timings.push_back(
            {index, timed ? host.monotonic_nanos() - started : 0, failed});
      }
    };
    auto fail = [&] {
      if (track_nodes) record_timing(true);
      if (observe_nodes) host.node_finished(node.id, false);
    };
    try {
      run.store_result(index, node.executor->execute(run, inputs));
    } catch (const NodeError& e) {
      fail();
      fail_node(index, e.what());
      outcome.node_detail = e.detail();
      return;
    } catch (const WorkflowTimeout&) {
      fail();
      time_out();
      return;
    } catch (const RunMemoryExceeded&) {
      fail();
      exceed_memory(index);
      return;
    } catch (const StackDepthExceeded& e) {
      fail();
      fail_node(index, e.what());
      return;
    } catch (const std::length_error& e) {
      // A value too large or too deeply nested for a formatter or a
      // container: the node's failure, not the engine's.
      fail();
      fail_node(index, e.what());
      return;
    }
    if (track_nodes) record_timing(false);
    if (observe_nodes) host.node_finished(node.id, true);
  }

  // index_by_id is sorted by id and ids are unique: the entries are made in
  // key order, without a sort.
  std::vector<Object::Entry> node_results;
  node_results.reserve(plan.nodes.size());
  for (const auto& [id, i] : plan.index_by_id) {
    if (const Value* r = run.result(i)) node_results.emplace_back(id, *r);
  }
  outcome.result.node_results = Object::from_sorted_unique(std::move(node_results));
  outcome.result.final_output = choose_final_output(plan, run);
}

}  // namespace

RunOutcome execute(const WorkflowPlan& plan, Host& host, const Limits& limits,
                   const RunOptions& options) {
  RunOutcome outcome;
  outcome.result.execution_id = new_execution_id(host);
  outcome.result.workflow_id = plan.workflow_id;
  // For the run's duration: its memory budget, and the host as the thread's
  // interrupt source for code that has no Host at hand (writers, walks).
  // Every value the run creates is charged to the budget; those still alive
  // when it ends (the Result) are simply no longer counted.
  const std::uint64_t memory_limit =
      limits.max_run_memory > 0 ? static_cast<std::uint64_t>(limits.max_run_memory) : 0;
  RunMemoryBudget memory(memory_limit);
  InterruptScope interrupts(host);
  const std::int64_t started = host.monotonic_nanos();
  run_plan(plan, host, limits, options, memory_limit, outcome);
  outcome.duration_ns = host.monotonic_nanos() - started;
  outcome.peak_memory = memory.peak();
  return outcome;
}

}  // namespace thaiyyal
