// What every workflow-running entry point does for statistics
// (thaiyyal.stat_workflows / stat_nodes, stats_shmem.hpp) and the slow-run
// log (thaiyyal.log_min_duration), in one object per run:
//
//   RunTracker tracker;                        // reads thaiyyal.track, log_min_duration
//   tracker.set_payload(hash) / set_stored(tenant, name, revision);
//   tracker.configure(options);                // what execute() records of the nodes
//   tracker.start();
//   try { outcome = execute(...); ... } catch (...) { tracker.finish_with_current_exception();
//   throw; } tracker.finish(plan, outcome, run_id);
//
// Recording takes the statistics' lock once (stats_shmem.hpp); the run's
// nodes are folded per node type (and per node with track = all) before.
// Which nodes executed, were skipped or failed is counted for every run;
// node *times* cost two clock reads per node, so only a sample of runs is
// timed (thaiyyal.node_timing_sample_rate) -- every run while
// thaiyyal.log_min_duration is on (the log names the slowest nodes) or
// when the caller times nodes anyway (thaiyyal.record_nodes = all).
// Nothing here ever fails a run: errors while recording are dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/thaiyyal.hpp"

#include "extension/stats/stats_gucs.hpp"

namespace thaiyyal::pg {

class RunTracker {
 public:
  RunTracker();

  // Whether this run is counted or may be logged at all.
  bool active() const { return track_ != Track::None || log_min_duration_ms_ >= 0; }
  // Sets what execute() records of the nodes (RunOptions::record_node_timings
  // for a timed run, record_executed_nodes otherwise); a caller that set
  // record_node_timings itself keeps it. Call after setting the options.
  void configure(RunOptions& options);

  // A thaiyyal_execute payload (identified by payload_hash of its jsonb
  // bytes, run/payload_plan_cache.hpp: the payload plan cache's key hash)
  // run by the current role.
  void set_payload(std::uint64_t payload_hash);
  // A stored workflow's revision, run for `tenant`.
  void set_stored(std::string tenant, std::string name, std::int64_t revision);
  void set_plan(bool cache_hit, std::int64_t compile_ns) {
    plan_cache_hit_ = cache_hit;
    compile_ns_ = compile_ns;
  }
  void set_sql_rows(std::int64_t read, std::int64_t written) {
    rows_read_ = read;
    rows_written_ = written;
  }

  // Just before execute(): the fallback clock for runs that end in an
  // exception (read only when the run is tracked).
  void start() {
    if (active()) started_ = std::chrono::steady_clock::now();
  }

  // After execute() returned: the run's status is the outcome's.
  void finish(const std::shared_ptr<const WorkflowPlan>& plan, const RunOutcome& outcome,
              std::int64_t run_id = 0);
  // A queued run as the worker ended it: status succeeded / failed /
  // cancelled / queued (to be retried), error_code its SQLSTATE; `outcome`
  // null when execute() raised an error.
  void finish_queued(const std::shared_ptr<const WorkflowPlan>& plan, const RunOutcome* outcome,
                     std::string_view status, std::string_view error_code, std::int64_t run_id);
  // Inside a catch block: the run ended with the exception in flight (a
  // PostgreSQL error such as a cancel, or an SqlError).
  void finish_with_current_exception() noexcept;

 private:
  void record(const WorkflowPlan* plan, const std::shared_ptr<const WorkflowPlan>* shared,
              const RunOutcome* outcome, std::string_view sqlstate, std::string_view status,
              std::int64_t run_id);

  Track track_;
  int log_min_duration_ms_;
  bool stored_ = false;
  std::string tenant_;
  std::string name_;
  std::int64_t workflow_ = 0;  // revision or payload hash
  bool plan_cache_hit_ = false;
  std::int64_t compile_ns_ = -1;  // -1: not compiled for this run
  std::int64_t rows_read_ = 0;
  std::int64_t rows_written_ = 0;
  std::chrono::steady_clock::time_point started_;
  bool timed_ = false;
  bool finished_ = false;
};

// A monotonic clock reading in nanoseconds, for compile times.
inline std::int64_t tracker_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace thaiyyal::pg
