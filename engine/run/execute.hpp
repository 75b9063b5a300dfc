// Plan -> Result: running a compiled plan against a Host under Limits, and
// writing its Result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/plan/compile.hpp"
#include "engine/run/host.hpp"
#include "engine/run/limits.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

// The Result object (workflow-format.md §7).
struct Result {
  std::string execution_id;
  std::string workflow_id;  // omitted from output when empty
  Object node_results;
  Value final_output;
  std::vector<std::string> errors;
};

struct RunOutcome {
  enum class Status {
    Succeeded,
    NodeFailed,  // `error` = "error executing node <id>: <message>"
    TimedOut,    // `error` = "workflow execution timeout: exceeded <d>"
    // Limits::max_run_memory was exceeded while `failed_node_id` ran;
    // `error` = "workflow run exceeded its memory limit (<size>) in node
    // \"<id>\"".
    MemoryExceeded,
  };
  Status status = Status::Succeeded;
  Result result;
  std::string error;
  // NodeFailed, MemoryExceeded: the failing node; NodeFailed: the bare node
  // message.
  std::string failed_node_id;
  std::string failed_node_type;
  std::string node_message;
  std::string node_detail;  // NodeError::detail(), e.g. a SQLSTATE

  // RunOptions::record_node_timings: one entry per executed node, in
  // execution order (the failing node last, with failed = true).
  struct NodeTiming {
    std::size_t node_index;    // index into the plan's nodes
    std::int64_t duration_ns;  // on the host's monotonic clock
    bool failed = false;
  };
  std::vector<NodeTiming> node_timings;

  // The most the run's values held at once, as its memory budget counted it
  // (common/run_memory.hpp), in bytes.
  std::uint64_t peak_memory = 0;

  // The run's time on the host's monotonic clock, for statistics and the
  // slow-run log (two clock reads per run).
  std::int64_t duration_ns = 0;
};

struct RunOptions {
  // Run input (thaiyyal.run / thaiyyal_execute's second argument): what
  // `workflow_input` nodes emit; an object's keys also override the values of
  // context_variable / context_constant entries of the same name. null = none.
  Value input;
  // Fill RunOutcome::node_timings (two monotonic clock reads per node).
  bool record_node_timings = false;
  // Fill RunOutcome::node_timings without reading the clock (every
  // duration_ns 0): which nodes executed and which failed, for statistics
  // that time only a sample of runs. record_node_timings wins.
  bool record_executed_nodes = false;
};

// Runs the plan. Node failures, the workflow time limit and the memory
// budget are reported in the outcome; exceptions thrown by the host
// (cancellation) propagate. A value nested too deeply for the stack fails the
// node that walks it (common/stack_depth.hpp); the caller may install a
// StackLimit of its own (the extension derives one from max_stack_depth).
RunOutcome execute(const WorkflowPlan& plan, Host& host, const Limits& limits,
                   const RunOptions& options = {});

// The Result as JSON text in the reference's field order. Throws
// JsonWriteError for NaN/Inf.
std::string result_to_json(const Result& result);
// The Result as a Value (object with sorted keys) for other encoders.
Value result_to_value(const Result& result);
// The same, taking the node results over instead of copying them.
Value result_to_value(Result&& result);

// Convenience for tests and benchmarks: JSON text in, Result JSON out.
// Throws PayloadError or JsonParseError; node failures come back as a
// Result whose `errors` is set.
std::string execute_json(std::string_view payload_json, Host& host, const Limits& limits = {});

}  // namespace thaiyyal
