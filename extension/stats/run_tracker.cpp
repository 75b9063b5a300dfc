// Statistics and the slow-run log of one run (run_tracker.hpp).
#include "extension/stats/run_tracker.hpp"

#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>
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

// What the statistics need of a plan, worked out once per plan: each node's
// type as an index into the plan's distinct types, and the hashes of the
// node keys. Kept per backend by plan address, checked against the plan's
// lifetime (a weak pointer: a freed plan's address may come back).
struct PlanShape {
  std::weak_ptr<const WorkflowPlan> plan;
  std::vector<std::uint32_t> type_of;      // by payload index
  std::vector<const std::string*> types;   // distinct, first use first
  std::vector<std::uint64_t> type_hashes;  // stats::node_hash(type, "")
  // stats::node_hash(type, id), by payload index: only thaiyyal.track = all
  // counts per node, so they are worked out on first use (node_hash_of).
  std::vector<std::uint64_t> node_hashes;
};

std::uint64_t node_hash_of(PlanShape& shape, const WorkflowPlan& plan, std::size_t i) {
  if (shape.node_hashes.empty()) {
    shape.node_hashes.resize(plan.nodes.size());
    for (std::size_t k = 0; k < plan.nodes.size(); ++k) {
      shape.node_hashes[k] = stats::node_hash(plan.nodes[k].type, plan.nodes[k].id);
    }
  }
  return shape.node_hashes[i];
}

PlanShape& plan_shape(const std::shared_ptr<const WorkflowPlan>& plan) {
  static std::unordered_map<const WorkflowPlan*, PlanShape> shapes;
  constexpr std::size_t kMostShapes = 256;
  auto it = shapes.find(plan.get());
  if (it != shapes.end() && !it->second.plan.expired()) return it->second;
  if (it == shapes.end() && shapes.size() >= kMostShapes) shapes.clear();
  PlanShape& shape = shapes[plan.get()];
  shape = PlanShape{};
  shape.plan = plan;
  const std::size_t n = plan->nodes.size();
  shape.type_of.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const PlanNode& node = plan->nodes[i];
    std::size_t t = 0;
    while (t < shape.types.size() && *shape.types[t] != node.type) ++t;
    if (t == shape.types.size()) {
      shape.types.push_back(&node.type);
      shape.type_hashes.push_back(stats::node_hash(node.type, {}));
    }
    shape.type_of[i] = static_cast<std::uint32_t>(t);
  }
  return shape;
}

// The run's nodes folded per node type, and per node with track = all.
// `timed`: the node timings hold real times. Nodes without a timing entry
// were skipped -- or, in a run that stopped, not reached when they come
// after the last executed node in execution order (as node_states decides;
// written out here because this runs for every tracked run).
void node_samples(const std::shared_ptr<const WorkflowPlan>& plan, const RunOutcome& outcome,
                  const stats::NodeKey& base, bool timed, bool per_node, std::int64_t revision,
                  std::vector<stats::NodeSample>& out) {
  PlanShape& shape = plan_shape(plan);
  const std::size_t n = plan->nodes.size();
  enum : std::uint8_t { kNone, kSucceeded, kFailed, kSkipped };
  // Scratch space kept from run to run (a backend runs one thing at a time).
  static std::vector<std::uint8_t> mark;
  static std::vector<std::int64_t> times;
  static std::vector<stats::NodeCounters> per_type;
  mark.assign(n, kNone);
  if (timed) times.assign(n, 0);
  for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
    if (timing.node_index >= n) continue;
    mark[timing.node_index] = timing.failed ? kFailed : kSucceeded;
    if (timed) times[timing.node_index] = timing.duration_ns;
  }
  if (outcome.status == RunOutcome::Status::Succeeded) {
    for (std::uint8_t& m : mark) {
      if (m == kNone) m = kSkipped;
    }
  } else {
    std::size_t last = 0;  // positions before it were passed over: skipped
    for (std::size_t p = 0; p < plan->order.size(); ++p) {
      if (mark[plan->order[p]] != kNone) last = p + 1;
    }
    for (std::size_t p = 0; p + 1 < last; ++p) {
      std::uint8_t& m = mark[plan->order[p]];
      if (m == kNone) m = kSkipped;
    }
  }
  per_type.assign(shape.types.size(), stats::NodeCounters{});
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t m = mark[i];
    if (m == kNone) continue;  // not reached
    stats::NodeCounters& c = per_type[shape.type_of[i]];
    double ms = 0;
    if (m == kSkipped) {
      ++c.skips;
    } else {
      ++c.executions;
      if (m == kFailed) ++c.failures;
      if (timed) {
        ms = static_cast<double>(times[i]) / 1e6;
        ++c.timed_executions;
        c.timed_ms += ms;
        if (ms > c.max_ms) c.max_ms = ms;
      }
    }
    if (per_node) {
      stats::NodeCounters one{};
      one.skips = m == kSkipped ? 1 : 0;
      one.executions = m == kSkipped ? 0 : 1;
      one.failures = m == kFailed ? 1 : 0;
      one.timed_executions = timed && m != kSkipped ? 1 : 0;
      one.timed_ms = ms;
      one.max_ms = ms;
      const PlanNode& node = plan->nodes[i];
      stats::NodeKey key = base;
      key.revision = revision;
      key.node_hash = node_hash_of(shape, *plan, i);
      out.push_back({key, node.type.c_str(), node.id.c_str(), one});
    }
  }
  for (std::size_t t = 0; t < shape.types.size(); ++t) {
    const stats::NodeCounters& c = per_type[t];
    if (c.executions == 0 && c.skips == 0) continue;
    stats::NodeKey key = base;
    key.node_hash = shape.type_hashes[t];
    out.push_back({key, shape.types[t]->c_str(), "", c});
  }
}

// The shared entries of a workflow's last run in this backend, by its key
// (stats::RememberedEntries): used again while its node keys stay the same.
struct Remembered {
  std::vector<stats::NodeKey> node_keys;
  std::vector<void*> entries;
  std::uint64_t generation = 0;
};

struct WorkflowKeyHash {
  std::size_t operator()(const stats::WorkflowKey& k) const {
    return static_cast<std::size_t>(k.tenant_hash ^ (static_cast<std::uint64_t>(k.workflow) * 31) ^
                                    k.dbid);
  }
};

struct WorkflowKeyEqual {
  bool operator()(const stats::WorkflowKey& a, const stats::WorkflowKey& b) const {
    return memcmp(&a, &b, sizeof(a)) == 0;
  }
};

Remembered& remembered_for(const stats::WorkflowKey& key,
                           const std::vector<stats::NodeSample>& nodes) {
  static std::unordered_map<stats::WorkflowKey, Remembered, WorkflowKeyHash, WorkflowKeyEqual> runs;
  constexpr std::size_t kMostRemembered = 256;
  auto it = runs.find(key);
  if (it == runs.end()) {
    if (runs.size() >= kMostRemembered) runs.clear();
    it = runs.emplace(key, Remembered{}).first;
  }
  Remembered& last = it->second;
  bool same = last.node_keys.size() == nodes.size() && last.entries.size() == 1 + nodes.size();
  for (std::size_t i = 0; same && i < nodes.size(); ++i) {
    same = memcmp(&last.node_keys[i], &nodes[i].key, sizeof(stats::NodeKey)) == 0;
  }
  if (!same) {
    last.node_keys.clear();
    for (const stats::NodeSample& node : nodes) last.node_keys.push_back(node.key);
    last.entries.assign(1 + nodes.size(), nullptr);
    last.generation = 0;
  }
  return last;
}

}  // namespace

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

void RunTracker::finish(const std::shared_ptr<const WorkflowPlan>& plan, const RunOutcome& outcome,
                        std::int64_t run_id) {
  const std::string_view sqlstate = outcome_sqlstate(outcome);
  record(plan.get(), &plan, &outcome, sqlstate, sqlstate.empty() ? "succeeded" : "failed", run_id);
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

void RunTracker::finish_queued(const std::shared_ptr<const WorkflowPlan>& plan,
                               const RunOutcome* outcome, std::string_view status,
                               std::string_view error_code, std::int64_t run_id) {
  // The worker times nodes whenever it records node rows.
  timed_ = outcome != nullptr && !outcome->node_timings.empty();
  std::string_view sqlstate = error_code;
  if (status == "cancelled" && sqlstate.empty()) sqlstate = "57014";
  if (status != "succeeded" && sqlstate.empty()) sqlstate = "XX000";
  if (status == "succeeded") sqlstate = {};
  record(plan.get(), &plan, outcome, sqlstate,
         status == "queued" ? "failed, to be retried" : status, run_id);
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
    record(nullptr, nullptr, nullptr, sqlstate, sqlstate.starts_with("57") ? "cancelled" : "failed",
           0);
  } catch (...) {
    // Statistics never change how a run ends.
  }
}

void RunTracker::record(const WorkflowPlan* plan, const std::shared_ptr<const WorkflowPlan>* shared,
                        const RunOutcome* outcome, std::string_view sqlstate,
                        std::string_view status, std::int64_t run_id) {
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
        node_samples(*shared, *outcome, base, timed_, stored_ && track_ == Track::All, workflow_,
                     nodes);
      }
      Remembered& last = remembered_for(run.key, nodes);
      stats::RememberedEntries entries{last.generation, last.entries.data()};
      last.generation = 0;  // until add_run has succeeded
      const stats::WorkflowSample* sample = &run;
      const stats::NodeSample* samples = nodes.data();
      const int count = static_cast<int>(nodes.size());
      stats::RememberedEntries* remembered = &entries;
      pg_call([sample, samples, count, remembered]() noexcept {
        stats::add_run(*sample, samples, count, remembered);
      });
      last.generation = entries.generation;
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
