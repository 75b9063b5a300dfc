// Statistics and the slow-run log of one run (run_tracker.hpp).
#include "extension/stats/run_tracker.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "engine/plan/explain.hpp"
#include "engine/run/run_summary.hpp"

#include "extension/stats/stats_shmem.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "common/hashfn.h"
#include "common/pg_prng.h"
#include "utils/inval.h"
#include "utils/syscache.h"
}

namespace thaiyyal::pg {

namespace {

// Copies `text` into a fixed buffer, cut at a character boundary.
void copy_clipped(char* dst, std::size_t size, std::string_view text) {
  int length = static_cast<int>(text.size());
  if (text.size() >= size) {
    const char* data = text.data();
    const int limit = static_cast<int>(size) - 1;
    length =
        pg_call([data, length, limit]() noexcept { return pg_mbcliplen(data, length, limit); });
  }
  memcpy(dst, text.data(), static_cast<std::size_t>(length));
  dst[length] = '\0';
}

// The current role's name, looked up once per role and kept until a change
// of pg_authid invalidates it (a rename).
struct RoleName {
  Oid role = InvalidOid;
  std::string name;
  bool callback_registered = false;
};

RoleName& role_name_cache() {
  static RoleName cache;
  return cache;
}

void forget_role_name(Datum, int, uint32) {
  role_name_cache().role = InvalidOid;
}

const std::string& current_role_name() {
  RoleName& cache = role_name_cache();
  const Oid role = GetUserId();
  if (cache.role == role) return cache.name;
  if (!cache.callback_registered) {
    pg_call([]() noexcept { CacheRegisterSyscacheCallback(AUTHOID, forget_role_name, Datum(0)); });
    cache.callback_registered = true;
  }
  const char* name = pg_call([role]() noexcept { return GetUserNameFromId(role, false); });
  cache.name = name;
  cache.role = role;
  return cache.name;
}

std::string_view outcome_sqlstate(const RunOutcome& outcome) {
  switch (outcome.status) {
    case RunOutcome::Status::Succeeded:
      return {};
    case RunOutcome::Status::NodeFailed:
      return "TH001";
    case RunOutcome::Status::TimedOut:
      return "TH002";
    case RunOutcome::Status::MemoryExceeded:
      return "53200";
  }
  return "XX000";
}

std::string sqlstate_text(int code) {
  return unpack_sql_state(code);
}

// The run's nodes folded per node type, and per node with track = all.
// `timed`: the node timings hold real times.
void node_samples(const WorkflowPlan& plan, const RunOutcome& outcome, const stats::NodeKey& base,
                  bool timed, bool per_node, std::int64_t revision,
                  std::vector<stats::NodeSample>& out) {
  // Scratch space kept from run to run (a backend runs one thing at a time).
  static std::vector<NodeRunReport::State> states;
  static std::vector<std::int64_t> times;
  node_states(plan, outcome, states);
  times.assign(timed ? plan.nodes.size() : 0, 0);
  if (timed) {
    for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
      if (timing.node_index < times.size()) times[timing.node_index] = timing.duration_ns;
    }
  }
  // Per type first, by name (a workflow has few types), keys built once.
  struct TypeCount {
    const std::string* type;
    stats::NodeCounters counters;
  };
  static std::vector<TypeCount> types;
  types.clear();
  auto fold = [](stats::NodeCounters& into, const stats::NodeCounters& c) {
    into.executions += c.executions;
    into.skips += c.skips;
    into.failures += c.failures;
    into.timed_executions += c.timed_executions;
    into.timed_ms += c.timed_ms;
    if (c.max_ms > into.max_ms) into.max_ms = c.max_ms;
  };
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    const NodeRunReport::State state = states[i];
    if (state == NodeRunReport::State::NotReached || state == NodeRunReport::State::Unknown) {
      continue;
    }
    stats::NodeCounters sample{};
    if (state == NodeRunReport::State::Skipped) {
      sample.skips = 1;
    } else {
      sample.executions = 1;
      sample.failures = state == NodeRunReport::State::Failed ? 1 : 0;
      if (timed) {
        sample.timed_executions = 1;
        sample.timed_ms = static_cast<double>(times[i]) / 1e6;
        sample.max_ms = sample.timed_ms;
      }
    }
    const PlanNode& node = plan.nodes[i];
    auto it = std::find_if(types.begin(), types.end(),
                           [&node](const TypeCount& t) { return *t.type == node.type; });
    if (it == types.end()) {
      types.push_back({&node.type, sample});
    } else {
      fold(it->counters, sample);
    }
    if (per_node) {
      stats::NodeKey key = base;
      key.revision = revision;
      key.node_hash = stats::node_hash(node.type, node.id);
      out.push_back({key, node.type.c_str(), node.id.c_str(), sample});
    }
  }
  for (const TypeCount& t : types) {
    stats::NodeKey key = base;
    key.node_hash = stats::node_hash(*t.type, {});
    out.push_back({key, t.type->c_str(), "", t.counters});
  }
}

}  // namespace

std::uint64_t payload_stats_hash(std::string_view payload_bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(payload_bytes.data());
  const int length = static_cast<int>(payload_bytes.size());
  return pg_call([data, length]() noexcept { return hash_bytes_extended(data, length, 0); });
}

// Without the shared memory (the library was not preloaded) nothing is
// counted, and nothing is prepared for counting.
RunTracker::RunTracker()
    : track_(stats::stats_available() ? track_level() : Track::None),
      log_min_duration_ms_(log_min_duration_ms()) {}

void RunTracker::set_payload(std::uint64_t payload_hash) {
  if (!active()) return;
  stored_ = false;
  workflow_ = static_cast<std::int64_t>(payload_hash);
  tenant_ = current_role_name();
}

void RunTracker::set_stored(std::string tenant, std::string name, std::int64_t revision) {
  stored_ = true;
  tenant_ = std::move(tenant);
  name_ = std::move(name);
  workflow_ = revision;
}

void RunTracker::finish(const WorkflowPlan& plan, const RunOutcome& outcome, std::int64_t run_id) {
  const std::string_view sqlstate = outcome_sqlstate(outcome);
  record(&plan, &outcome, sqlstate, sqlstate.empty() ? "succeeded" : "failed", run_id);
}

void RunTracker::configure(RunOptions& options) {
  if (!active()) return;
  if (!options.record_node_timings) {
    const double rate = node_timing_sample_rate();
    options.record_node_timings =
        log_min_duration_ms_ >= 0 || (track_ != Track::None && rate > 0 &&
                                      (rate >= 1 || pg_prng_double(&pg_global_prng_state) < rate));
  }
  options.record_executed_nodes = track_ != Track::None;
  timed_ = options.record_node_timings;
}

void RunTracker::finish_queued(const WorkflowPlan* plan, const RunOutcome* outcome,
                               std::string_view status, std::string_view error_code,
                               std::int64_t run_id) {
  // The worker times nodes whenever it records node rows.
  timed_ = outcome != nullptr && !outcome->node_timings.empty();
  std::string_view sqlstate = error_code;
  if (status == "cancelled" && sqlstate.empty()) sqlstate = "57014";
  if (status != "succeeded" && sqlstate.empty()) sqlstate = "XX000";
  if (status == "succeeded") sqlstate = {};
  record(plan, outcome, sqlstate, status == "queued" ? "failed, to be retried" : status, run_id);
}

void RunTracker::finish_with_current_exception() noexcept {
  try {
    std::string sqlstate = "XX000";
    try {
      throw;
    } catch (const PgError& e) {
      sqlstate = sqlstate_text(e.sqlerrcode());
    } catch (const SqlError& e) {
      sqlstate = sqlstate_text(e.sqlstate());
    } catch (...) {
    }
    record(nullptr, nullptr, sqlstate, sqlstate.starts_with("57") ? "cancelled" : "failed", 0);
  } catch (...) {
    // Statistics never change how a run ends.
  }
}

void RunTracker::record(const WorkflowPlan* plan, const RunOutcome* outcome,
                        std::string_view sqlstate, std::string_view status, std::int64_t run_id) {
  if (finished_ || !active()) return;
  finished_ = true;
  const std::int64_t duration_ns = outcome != nullptr
                                       ? outcome->duration_ns
                                       : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::steady_clock::now() - started_)
                                             .count();
  try {
    if (track_ != Track::None && stats::stats_available()) {
      stats::WorkflowSample run;
      memset(&run, 0, sizeof(run));
      run.key.dbid = MyDatabaseId;
      run.key.stored = stored_ ? 1 : 0;
      run.key.workflow = workflow_;
      run.key.tenant_hash = stats::text_hash(tenant_);
      run.tenant = tenant_.c_str();
      run.name = name_.c_str();
      run.duration_ms = static_cast<double>(duration_ns) / 1e6;
      if (!sqlstate.empty()) copy_clipped(run.failure_class, 3, sqlstate.substr(0, 2));
      run.compiled = compile_ns_ >= 0;
      run.compile_ms = compile_ns_ >= 0 ? static_cast<double>(compile_ns_) / 1e6 : 0;
      run.plan_cache_hit = plan_cache_hit_;
      run.sql_rows_read = rows_read_;
      run.sql_rows_written = rows_written_;

      static std::vector<stats::NodeSample> nodes;  // kept from run to run
      nodes.clear();
      if (plan != nullptr && outcome != nullptr && !outcome->node_timings.empty()) {
        stats::NodeKey base;
        memset(&base, 0, sizeof(base));
        base.dbid = MyDatabaseId;
        base.tenant_hash = run.key.tenant_hash;
        node_samples(*plan, *outcome, base, timed_, stored_ && track_ == Track::All, workflow_,
                     nodes);
      }
      const stats::WorkflowSample* sample = &run;
      const stats::NodeSample* samples = nodes.data();
      const int count = static_cast<int>(nodes.size());
      pg_call([sample, samples, count]() noexcept { stats::add_run(*sample, samples, count); });
    }
  } catch (...) {
    // Statistics never change how a run ends.
  }

  if (log_min_duration_ms_ < 0 ||
      duration_ns < static_cast<std::int64_t>(log_min_duration_ms_) * 1000000) {
    return;
  }
  try {
    std::string workflow;
    if (stored_) {
      workflow = "\"" + name_ + "\" revision " + std::to_string(workflow_);
    } else {
      char hex[17];
      snprintf(hex, sizeof(hex), "%016llx",
               static_cast<unsigned long long>(static_cast<std::uint64_t>(workflow_)));
      workflow = std::string("payload ") + hex;
    }
    std::string status_text(status);
    if (!sqlstate.empty()) status_text += " (" + std::string(sqlstate) + ")";
    const std::vector<NodeTime> slowest = plan != nullptr && outcome != nullptr
                                              ? slowest_nodes(*plan, *outcome)
                                              : std::vector<NodeTime>{};
    const std::string message =
        "thaiyyal run: " + slow_run_message(duration_ns, workflow,
                                            run_id > 0 ? std::to_string(run_id) : "none",
                                            status_text, slowest);
    const char* text = message.c_str();
    pg_call([text]() noexcept { ereport(LOG, (errmsg("%s", text), errhidestmt(true))); });
  } catch (...) {
    // The log line is best effort, like the statistics.
  }
}

}  // namespace thaiyyal::pg
