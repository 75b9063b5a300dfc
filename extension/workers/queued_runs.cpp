// Claiming, executing, recording and recovering queued runs (queued_runs.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_gucs.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/catalog/run_recorder.hpp"
#include "extension/catalog/workflow_store.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/run/gucs.hpp"
#include "extension/run/pg_host.hpp"
#include "extension/run/plan_cache.hpp"
#include "extension/run/run_support.hpp"
#include "extension/stats/run_tracker.hpp"
#include "extension/workers/durable_run.hpp"
#include "extension/workers/queue_shmem.hpp"
#include "extension/workers/queued_runs.hpp"
#include "extension/workers/worker_gucs.hpp"
#include "extension/workers/worker_sql_service.hpp"
#include "extension/workers/worker_transaction.hpp"

#include "extension/boundary/pg_guard.hpp"

#include <csignal>

extern "C" {
#include "catalog/pg_collation.h"
#include "pgstat.h"
}

namespace thaiyyal::pg {

namespace {

std::string text_value(Datum d) {
  char* c = pg_call([d]() noexcept { return TextDatumGetCString(d); });
  return std::string(c);
}

Datum column(int row, int attno, bool* isnull) {
  return result_value(row, attno, isnull);
}

// Errors that a later attempt may not see again: serialization failures
// and deadlocks, lock timeouts, resource shortages, and shutdowns / crashes
// of other processes (class 57P).
bool transient(int sqlerrcode) {
  const int category = ERRCODE_TO_CATEGORY(sqlerrcode);
  return category == ERRCODE_TO_CATEGORY(ERRCODE_T_R_SERIALIZATION_FAILURE) ||
         category == ERRCODE_TO_CATEGORY(ERRCODE_INSUFFICIENT_RESOURCES) ||
         sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE || sqlerrcode == ERRCODE_ADMIN_SHUTDOWN ||
         sqlerrcode == ERRCODE_CRASH_SHUTDOWN || sqlerrcode == ERRCODE_CANNOT_CONNECT_NOW;
}

// Capped exponential back-off with +-25 % jitter, in milliseconds.
double retry_delay_for_attempt(int attempt) {
  const double base = retry_delay_ms();
  const double cap = retry_max_delay_ms();
  const double exponential = base * std::pow(2.0, attempt > 1 ? attempt - 1 : 0);
  static std::mt19937_64 generator{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  return std::min(cap, exponential) * jitter(generator);
}

// How a run ended, as the finish statement writes it.
struct RunEnd {
  std::string status;  // succeeded | failed | cancelled | queued (retry)
  std::string error_code;
  Value error;  // {"code","message","detail",...} or null
  std::optional<double> retry_in_ms;
  const WorkflowPlan* plan = nullptr;
  const RunOutcome* outcome = nullptr;
};

Value error_object(const std::string& code, const std::string& message,
                   const std::string& detail = {}) {
  std::vector<std::pair<std::string, Value>> fields{{"code", Value::string(code)},
                                                    {"message", Value::string(message)}};
  if (!detail.empty()) fields.emplace_back("detail", Value::string(detail));
  return make_object(std::move(fields));
}

RunEnd failed(const std::string& code, const std::string& message, const std::string& detail = {}) {
  RunEnd end;
  end.status = "failed";
  end.error_code = code;
  end.error = error_object(code, message, detail);
  return end;
}

// Another attempt after a back-off, or failed once the attempts are used up.
RunEnd retry_or_fail(const ClaimedRun& run, const std::string& code, const std::string& message,
                     const std::string& detail = {}) {
  if (run.attempts - run.attempts_base >= max_attempts()) return failed(code, message, detail);
  RunEnd end;
  end.status = "queued";
  end.error_code = code;
  end.error = error_object(code, message, detail);
  end.retry_in_ms = retry_delay_for_attempt(run.attempts);
  return end;
}

// The worker's view of a run in progress: a stop (cancel, lease) through
// its slot, progress in pg_stat_activity.
class WorkerRunObserver final : public RunObserver {
 public:
  WorkerRunObserver(int slot, const ClaimedRun& run, std::string workflow)
      : slot_(slot), run_(run), workflow_(std::move(workflow)) {
    report("starting", "");
  }
  const char* stop_requested() override {
    switch (slot_stop_reason(slot_)) {
      case StopReason::None:
        return nullptr;
      case StopReason::Cancel:
        return "thaiyyal run cancelled";
      case StopReason::Lease:
        return "thaiyyal run stopped: its lease expired (thaiyyal.run_lease)";
    }
    return nullptr;
  }
  void node_starting(std::string_view node_id, std::string_view node_type) override {
    report(node_id, node_type);
  }

 private:
  void report(std::string_view node_id, std::string_view node_type) {
    std::string line = "thaiyyal run " + std::to_string(run_.id) + " (workflow \"" + workflow_ +
                       "\", attempt " + std::to_string(run_.attempts) + "): node " +
                       std::string(node_id);
    if (!node_type.empty()) line += " (" + std::string(node_type) + ")";
    const char* text = line.c_str();
    pg_call([text]() noexcept { pgstat_report_activity(STATE_RUNNING, text); });
  }

  int slot_;
  const ClaimedRun& run_;
  std::string workflow_;
};

}  // namespace

// What the claim's transaction loaded for a run (ClaimedRun::loaded).
struct LoadedRun {
  std::shared_ptr<const WorkflowPlan> plan;
  std::string workflow;
  Value input;
  // The role's settings apply (RunIdentity): its limits, its record_nodes.
  Limits limits;
  // What earlier attempts recorded (durable_run.hpp).
  std::vector<JournalEntry> checkpoints;
  RecordNodes record_nodes = RecordNodes::Errors;
  std::optional<RunEnd> refused;  // set when the run may not execute
};

namespace {

// Inside the claim's transaction: what the run executes, as whom, with
// which limits, and what its earlier attempts recorded.
LoadedRun load_run(const ClaimedRun& run, double& batch_lease_ms) {
  LoadedRun loaded;
  Datum id = Int64GetDatum(run.id);
  catalog_sql::load_run.execute(&id, " ", 1);
  if (result_rows() != 1) {
    loaded.refused = failed("TH004", "the run's workflow version no longer exists");
    return loaded;
  }
  bool isnull = false;
  const Datum input = column(0, 2, &isnull);
  if (!isnull) loaded.input = jsonb_to_value(DatumGetJsonbP(input));
  const bool role_exists = DatumGetBool(column(0, 3, &isnull));
  const bool role_superuser = DatumGetBool(column(0, 4, &isnull));
  loaded.workflow = text_value(column(0, 5, &isnull));
  const PlanCacheKey key{DatumGetObjectId(column(0, 6, &isnull)), 0, run.revision};

  if (!role_exists) {
    loaded.refused = failed("42704", "the role that queued the run no longer exists");
  } else if (role_superuser && !allow_superuser_runs()) {
    loaded.refused = failed("42501", "the run was queued by a superuser",
                            "thaiyyal.allow_superuser_runs is off.");
  } else {
    RunIdentity identity(run.role, run.tenant);
    Datum tenant = text_datum(run.tenant);
    catalog_sql::may_act_for.execute(&tenant, " ", 1);
    const bool may_act = result_rows() == 1 && DatumGetBool(column(0, 1, &isnull)) && !isnull;
    loaded.limits = current_limits();
    loaded.record_nodes = record_nodes_level();
    identity.end();
    // A role whose thaiyyal.max_execution_time (ALTER ROLE ... SET) is
    // longer than the server's gets a lease to match; a run later in a
    // batch also waits for the runs before it (batch_lease_ms: their leases).
    // Renewed only when the claim's lease (the server's limit for every run
    // of the claim) is too short for that.
    batch_lease_ms += static_cast<double>(run_lease_ms(loaded.limits.max_execution_time_ms));
    if (batch_lease_ms > run.leased_ms) {
      Datum lease[3] = {Int64GetDatum(run.id), Int32GetDatum(MyProcPid),
                        Float8GetDatum(batch_lease_ms)};
      catalog_sql::renew_lease.execute(lease, "   ", 0);
    }
    if (!may_act) {
      loaded.refused =
          failed("42501", "the role that queued the run may no longer act for tenant \"" +
                              run.tenant + "\"");
    }
  }
  if (!loaded.refused) {
    loaded.plan = plan_cache_find(key);
    if (loaded.plan == nullptr) {
      WorkflowRevision stored = fetch_revision(run.revision);
      if (!stored.found) {
        loaded.refused = failed("TH004", "the run's workflow version no longer exists");
      } else {
        try {
          loaded.plan = compile_payload(stored.definition);
        } catch (const SqlError& e) {
          loaded.refused = failed(unpack_sql_state(e.sqlstate()), e.what(), e.detail());
        }
        if (loaded.plan != nullptr) plan_cache_add(key, loaded.plan);
      }
    }
  }
  if (!loaded.refused) {
    try {
      loaded.checkpoints = load_checkpoints(run.id);
    } catch (const JournalFormatError& e) {
      loaded.refused = failed("TH005", "the run's checkpoints cannot be read: " + e.message(),
                              "Fork the run from its first node to execute it anew.");
    }
  }
  return loaded;
}

// load_run in a subtransaction: a PostgreSQL error while loading (a role
// setting that cannot be applied, say) fails the run with that error
// instead of aborting the claim, which would leave the run at the head of
// the queue to fail again.
std::shared_ptr<LoadedRun> load_claimed_run(const ClaimedRun& run, double& batch_lease_ms) {
  try {
    return std::make_shared<LoadedRun>(
        in_subtransaction([&] { return load_run(run, batch_lease_ms); }));
  } catch (const PgError& e) {
    const ErrorInfo info = capture_error(e);
    auto loaded = std::make_shared<LoadedRun>();
    loaded->refused = failed(unpack_sql_state(info.sqlerrcode), info.message, info.detail);
    return loaded;
  }
}

// Executes outside any transaction; SQL nodes get their own. The run goes
// through the journal of its earlier attempts (`journal`): what they
// recorded is replayed, what this attempt learns is checkpointed.
RunEnd run_plan(int slot, const ClaimedRun& run, const LoadedRun& loaded, RunJournal& journal,
                RunOutcome& outcome) {
  const Limits& limits = loaded.limits;
  RunOptions options;
  options.input = loaded.input;
  options.record_node_timings = loaded.record_nodes != RecordNodes::None;

  const TimestampTz deadline =
      limits.max_execution_time_ms > 0
          ? GetCurrentTimestamp() + static_cast<TimestampTz>(limits.max_execution_time_ms) * 1000
          : 0;
  WorkerRunObserver observer(slot, run, loaded.workflow);
  WorkerSqlService sql(run.role, run.tenant, deadline);
  PgHost host;
  host.set_sql(&sql);
  host.set_observer(&observer);
  WorkerCheckpointWriter checkpoints(run.id);
  JournalingHost durable(host, journal, checkpoints, idempotency_key_of(run.id));
  RunEnd end;
  end.plan = loaded.plan.get();
  try {
    outcome = execute(*loaded.plan, durable, limits, options);
    host.rethrow_pending_error();
  } catch (const JournalMismatch& e) {
    return failed("TH005", e.message(),
                  "The run's checkpoints do not fit what node " + e.node() +
                      " executes now; retry it from that node (thaiyyal.retry(run, from_node)).");
  } catch (const PgError& e) {
    const ErrorInfo info = capture_error(e);
    switch (slot_stop_reason(slot)) {
      case StopReason::Cancel:
        end.status = "cancelled";
        end.error = error_object(unpack_sql_state(info.sqlerrcode), "the run was cancelled");
        return end;
      case StopReason::Lease:
        return retry_or_fail(run, "TH003",
                             "attempt " + std::to_string(run.attempts) +
                                 " outlived its lease (thaiyyal.run_lease) and was stopped");
      case StopReason::None:
        break;
    }
    if (transient(info.sqlerrcode)) {
      return retry_or_fail(run, unpack_sql_state(info.sqlerrcode), info.message, info.detail);
    }
    return failed(unpack_sql_state(info.sqlerrcode), info.message, info.detail);
  } catch (const SqlError& e) {
    return failed(unpack_sql_state(e.sqlstate()), e.what(), e.detail());
  } catch (const std::bad_alloc&) {
    return failed("53200", "out of memory");
  } catch (const std::exception& e) {
    // What thaiyyal_execute reports as XX000: recorded, not retried.
    return failed("XX000", std::string("thaiyyal internal error: ") + e.what());
  }
  end.outcome = &outcome;
  switch (outcome.status) {
    case RunOutcome::Status::Succeeded:
      end.status = "succeeded";
      break;
    case RunOutcome::Status::NodeFailed: {
      std::string detail =
          "node " + outcome.failed_node_id + " (type " + outcome.failed_node_type + ")";
      if (!outcome.node_detail.empty()) detail += ": " + outcome.node_detail;
      end.status = "failed";
      end.error_code = "TH001";
      end.error = error_object("TH001", outcome.error, detail);
      break;
    }
    case RunOutcome::Status::TimedOut:
      end.status = "failed";
      end.error_code = "TH002";
      end.error = error_object("TH002", outcome.error);
      break;
    case RunOutcome::Status::MemoryExceeded:
      end.status = "failed";
      end.error_code = "53200";
      end.error = error_object(
          "53200", memory_exceeded_message(outcome, limits),
          "node " + outcome.failed_node_id + " (type " + outcome.failed_node_type + ")");
      break;
  }
  return end;
}

}  // namespace

// A run this worker executed whose end is not written yet: it is written in
// the transaction that claims the worker's next run, so that a run costs one
// synchronous commit, not two (finish_and_claim_next).
struct ExecutedRun {
  ClaimedRun run;
  RecordNodes record_nodes = RecordNodes::Errors;
  std::shared_ptr<const WorkflowPlan> plan;
  RunJournal journal;
  RunOutcome outcome;
  RunEnd end;  // points into outcome and plan
};

void ExecutedRunDeleter::operator()(ExecutedRun* executed) const noexcept {
  delete executed;
}

namespace {

// Inside a transaction that commits synchronously: writes the end of the
// run, then the checkpoints still pending; false (having written nothing:
// finish_run is fenced by the claim) when the claim was lost meanwhile.
bool write_run_end(ExecutedRun& executed) {
  const ClaimedRun& run = executed.run;
  RunEnd& end = executed.end;
  const RecordNodes level = executed.record_nodes;
  const RunJournal& journal = executed.journal;
  Jsonb* result = nullptr;
  if (end.outcome != nullptr && end.status != "queued") {
    try {
      result = value_to_jsonb(result_to_value(end.outcome->result), CurrentMemoryContext);
    } catch (const SqlError& e) {  // NaN / Inf in the Result
      end = failed(unpack_sql_state(e.sqlstate()), e.what(), e.detail());
    }
  }
  Jsonb* error = end.error.is_null() ? nullptr : value_to_jsonb(end.error, CurrentMemoryContext);
  Datum values[7] = {Int64GetDatum(run.id),
                     text_datum(end.status),
                     end.error_code.empty() ? Datum(0) : text_datum(end.error_code),
                     Int32GetDatum(MyProcPid),
                     result != nullptr ? JsonbPGetDatum(result) : Datum(0),
                     Float8GetDatum(end.retry_in_ms.value_or(0)),
                     error != nullptr ? JsonbPGetDatum(error) : Datum(0)};
  const char nulls[8] = {' ',
                         ' ',
                         end.error_code.empty() ? 'n' : ' ',
                         ' ',
                         result != nullptr ? ' ' : 'n',
                         end.retry_in_ms ? ' ' : 'n',
                         error != nullptr ? ' ' : 'n',
                         '\0'};
  catalog_sql::finish_run.execute(values, nulls, 0);
  if (result_rows() != 1) return false;
  append_final_checkpoint(run.id, journal.pending());

  const bool run_failed = end.status != "succeeded";
  if (end.outcome != nullptr && end.plan != nullptr &&
      (level == RecordNodes::All || (level == RecordNodes::Errors && run_failed))) {
    record_run_nodes(run.id, run.tenant, node_rows(*end.plan, *end.outcome, true, &journal),
                     run.attempts);
  }
  return true;
}

// After the transaction that wrote the end committed: wake thaiyyal.wait().
void run_end_committed(const ExecutedRun& executed, bool recorded) {
  if (recorded) {
    broadcast_run_finished();
    return;
  }
  const std::string id = std::to_string(executed.run.id);
  const char* text = id.c_str();
  pg_call([text]() noexcept {
    ereport(LOG, (errmsg("thaiyyal worker: run %s was taken back by recovery while it "
                         "executed; its outcome is discarded",
                         text)));
  });
}

// The ends of executed runs in a transaction of their own; then the worker
// holds no run.
void finish_alone(int slot, const std::vector<ExecutedRun*>& executed) {
  std::vector<char> recorded(executed.size(), 0);
  {
    WorkerTransaction transaction;
    commit_synchronously();
    for (std::size_t i = 0; i < executed.size(); ++i) recorded[i] = write_run_end(*executed[i]);
    transaction.commit();
  }
  release_slot_runs(slot);
  for (std::size_t i = 0; i < executed.size(); ++i) run_end_committed(*executed[i], recorded[i]);
}

std::vector<ExecutedRun*> raw(const std::vector<ExecutedRunPtr>& executed) {
  std::vector<ExecutedRun*> runs;
  runs.reserve(executed.size());
  for (const ExecutedRunPtr& e : executed) runs.push_back(e.get());
  return runs;
}

// Claims up to `limit` runs at the head of `tenant`'s queue, appended to
// `runs` in queue order; how many it got.
int claim_in_tenant(int slot, const std::string& tenant, int limit, std::vector<ClaimedRun>& runs) {
  // The server's time limit for now; load_run renews each lease with the
  // role's own once its settings are known.
  const double lease = static_cast<double>(run_lease_ms(current_limits().max_execution_time_ms));
  Datum values[4] = {Int32GetDatum(MyProcPid), Float8GetDatum(lease), text_datum(tenant),
                     Int32GetDatum(limit)};
  catalog_sql::claim_in_tenant.execute(values, "    ", 0);
  struct Claimed {
    ClaimedRun run;
    std::int32_t priority;
    TimestampTz run_at;
  };
  std::vector<Claimed> claimed;
  claimed.reserve(result_rows());
  for (std::uint64_t i = 0; i < result_rows(); ++i) {
    const int row = static_cast<int>(i);
    bool isnull = false;
    Claimed c;
    c.run.id = DatumGetInt64(column(row, 1, &isnull));
    c.run.tenant = text_value(column(row, 2, &isnull));
    c.run.role = DatumGetObjectId(column(row, 3, &isnull));
    c.run.attempts = DatumGetInt32(column(row, 4, &isnull));
    c.run.revision = DatumGetInt64(column(row, 5, &isnull));
    c.run.attempts_base = DatumGetInt32(column(row, 6, &isnull));
    c.priority = DatumGetInt32(column(row, 7, &isnull));
    c.run_at = DatumGetTimestampTz(column(row, 8, &isnull));
    c.run.leased_ms = lease * static_cast<double>(result_rows());
    // The slot holds the run before the claim is visible, so a cancel that
    // sees the run running always finds the worker.
    hold_slot_run(slot, c.run.id);
    claimed.push_back(std::move(c));
  }
  // RETURNING has no order: execute in the queue's (claim_in_tenant's ORDER BY).
  std::sort(claimed.begin(), claimed.end(), [](const Claimed& a, const Claimed& b) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (a.run_at != b.run_at) return a.run_at < b.run_at;
    return a.run.id < b.run.id;
  });
  for (Claimed& c : claimed) runs.push_back(std::move(c.run));
  return static_cast<int>(claimed.size());
}

}  // namespace

std::string installed_version_in_worker() {
  WorkerTransaction transaction;
  catalog_sql::installed_version.execute(nullptr, nullptr, 1);
  const std::string version = result_rows() == 1 ? result_text(0, 1) : std::string();
  transaction.commit();
  return version;
}

namespace {

std::int32_t tenant_hash(const std::string& tenant) {
  const char* name = tenant.c_str();
  return pg_call([name]() noexcept {
    return DatumGetInt32(
        DirectFunctionCall1Coll(hashtext, C_COLLATION_OID, CStringGetTextDatum(name)));
  });
}

// Holds the worker's "claiming for tenant X" flag (queue_shmem.hpp) until
// it is destroyed -- after the claim's transaction has committed.
class TenantClaimFlag {
 public:
  explicit TenantClaimFlag(int slot) : slot_(slot) {}
  ~TenantClaimFlag() { end(); }
  TenantClaimFlag(const TenantClaimFlag&) = delete;
  TenantClaimFlag& operator=(const TenantClaimFlag&) = delete;

  bool begin(std::int32_t hash) {
    active_ = begin_tenant_claim(slot_, hash);
    return active_;
  }
  void end() {
    if (active_) end_tenant_claim(slot_);
    active_ = false;
  }

 private:
  int slot_;
  bool active_ = false;
};

// Whether the tenant is below the cap, counted now (a fresh snapshot).
bool below_cap(const std::string& tenant, int cap) {
  Datum value = text_datum(tenant);
  catalog_sql::running_in_tenant.execute(&value, " ", 1);
  bool isnull = false;
  return DatumGetInt64(column(0, 1, &isnull)) < cap;
}

}  // namespace

namespace {

// One transaction, committed synchronously: the ends of `executed`, then
// the claim of the next batch (thaiyyal.worker_batch runs, shared between
// the tenants with due runs in fairness order). The slot holds the executed
// runs until the claim's commit, and the claimed ones from before it.
bool finish_and_claim(int slot, const std::vector<ExecutedRun*>& executed, int max_batch,
                      std::vector<char>& recorded, std::vector<ClaimedRun>& runs, long& wait_ms) {
  const int cap = tenant_max_running();
  TenantClaimFlag flag(slot);  // outlives the transaction
  WorkerTransaction transaction;
  // Durable: once a run is recorded as finished, it must not run again; a
  // claim counts an attempt.
  commit_synchronously();
  prefer_index_scans();
  for (std::size_t i = 0; i < executed.size(); ++i) recorded[i] = write_run_end(*executed[i]);
  // Tenants with due runs in fairness order; a tenant whose head another
  // worker is claiming right now (SKIP LOCKED) yields to the next one.
  Datum values[2] = {Int32GetDatum(last_tenant_hash()),
                     Int64GetDatum(static_cast<std::int64_t>(cap))};
  catalog_sql::claim_candidates.execute(values, "  ", 0);
  std::vector<std::string> tenants;
  tenants.reserve(result_rows());
  for (std::uint64_t i = 0; i < result_rows(); ++i) {
    tenants.push_back(result_text(static_cast<int>(i), 1));
  }
  // With a tenant cap the batch is one run (worker_batch()): the flag
  // covers one tenant, held until the commit.
  int remaining = std::max(1, std::min(max_batch, worker_batch()));
  for (std::size_t i = 0; i < tenants.size() && remaining > 0; ++i) {
    const std::string& tenant = tenants[i];
    const std::int32_t hash = tenant_hash(tenant);
    if (cap > 0 && (!flag.begin(hash) || !below_cap(tenant, cap))) {
      flag.end();
      continue;
    }
    // An equal share of what is left for each tenant still to come.
    const int tenants_left = static_cast<int>(tenants.size() - i);
    const int share = (remaining + tenants_left - 1) / tenants_left;
    const int got = claim_in_tenant(slot, tenant, share, runs);
    if (got > 0) {
      set_last_tenant_hash(hash);
      remaining -= got;
      if (cap > 0) break;
    } else {
      flag.end();
    }
  }
  if (!runs.empty()) {
    double batch_lease_ms = 0;
    for (ClaimedRun& run : runs) run.loaded = load_claimed_run(run, batch_lease_ms);
    transaction.commit();
    return true;
  }
  catalog_sql::next_due.execute(nullptr, nullptr, 1);
  bool isnull = true;
  const Datum due = result_rows() == 1 ? column(0, 1, &isnull) : Datum(0);
  wait_ms = -1;
  if (!isnull) {
    const double ms = DatumGetFloat8(due);
    wait_ms = ms <= 0 ? 0 : static_cast<long>(std::min(ms + 1, 2147483647.0));
  }
  transaction.commit();
  return false;
}

}  // namespace

bool finish_and_claim_next(int slot, std::vector<ExecutedRunPtr> executed, int max_batch,
                           std::vector<ClaimedRun>& runs, long& wait_ms) {
  const std::vector<ExecutedRun*> ended = raw(executed);
  std::vector<char> recorded(ended.size(), 0);
  runs.clear();
  bool claimed = false;
  try {
    claimed = finish_and_claim(slot, ended, max_batch, recorded, runs, wait_ms);
  } catch (...) {
    // The claim's transaction failed: the ends are written alone, as the
    // runs must not wait for recovery to be executed again.
    runs.clear();
    if (!ended.empty()) finish_alone(slot, ended);
    release_slot_runs(slot);
    throw;
  }
  // Committed: the worker holds the claimed runs only.
  std::vector<std::int64_t> ids;
  ids.reserve(runs.size());
  for (const ClaimedRun& run : runs) ids.push_back(run.id);
  keep_slot_runs(slot, ids.data(), static_cast<int>(ids.size()));
  for (std::size_t i = 0; i < ended.size(); ++i) run_end_committed(*ended[i], recorded[i]);
  if (!claimed) pg_call([]() noexcept { pgstat_report_activity(STATE_IDLE, nullptr); });
  return claimed;
}

void finish_executed_runs(int slot, std::vector<ExecutedRunPtr> executed) {
  if (!executed.empty()) finish_alone(slot, raw(executed));
  release_slot_runs(slot);
}

ExecutedRunPtr execute_claimed_run(int slot, const ClaimedRun& run) {
  LoadedRun& loaded = *run.loaded;
  ExecutedRunPtr executed(new ExecutedRun);
  executed->run = run;
  executed->record_nodes = loaded.record_nodes;
  executed->plan = loaded.plan;
  executed->journal = RunJournal(loaded.checkpoints);
  loaded.checkpoints.clear();
  if (loaded.refused) {
    executed->end = std::move(*loaded.refused);
  } else {
    // The slot names the run it executes now: a cancel or an expired lease
    // asked for while it waited in the batch applies from its start.
    set_slot_run(slot, run.id);
    RunTracker tracker;  // statistics, slow-run log (extension/stats)
    tracker.set_stored(run.tenant, loaded.workflow, run.revision);
    tracker.start();
    executed->end = run_plan(slot, run, loaded, executed->journal, executed->outcome);
    tracker.finish_queued(loaded.plan, executed->end.outcome, executed->end.status,
                          executed->end.error_code, run.id);
    set_slot_run(slot, 0);
  }
  return executed;
}

std::int64_t recover_runs() {
  WorkerTransaction transaction;
  prefer_index_scans();
  Datum values[3] = {Int32GetDatum(max_attempts()),
                     Float8GetDatum(static_cast<double>(retry_delay_ms())),
                     Float8GetDatum(static_cast<double>(retry_max_delay_ms()))};
  catalog_sql::recover_orphaned_runs.execute(values, "   ", 0);
  const std::uint64_t moved = result_rows();

  // Runs whose lease expired while their worker still executes them are
  // never taken back (that would execute them twice): the worker is told
  // to stop; one that has not stopped kOverdueGraceMs later is terminated,
  // and the next pass recovers its run.
  Datum grace = Float8GetDatum(static_cast<double>(kOverdueGraceMs));
  catalog_sql::overdue_runs.execute(&grace, " ", 0);
  for (std::uint64_t i = 0; i < result_rows(); ++i) {
    bool isnull = false;
    const std::int64_t id = DatumGetInt64(column(static_cast<int>(i), 1, &isnull));
    const auto pid = static_cast<pid_t>(DatumGetInt32(column(static_cast<int>(i), 2, &isnull)));
    const bool overdue = DatumGetBool(column(static_cast<int>(i), 3, &isnull));
    signal_stop(id, StopReason::Lease);
    if (overdue && worker_executes(pid, id)) {
      const std::string text = std::to_string(id);
      const char* run_text = text.c_str();
      pg_call([pid, run_text]() noexcept {
        ereport(LOG, (errmsg("thaiyyal worker: terminating worker %d, which has not stopped run "
                             "%s since its lease expired",
                             static_cast<int>(pid), run_text)));
        (void)kill(pid, SIGTERM);
      });
    }
  }
  transaction.commit();
  if (moved > 0) {
    const long count = static_cast<long>(moved);
    pg_call([count]() noexcept {
      ereport(LOG, (errmsg("thaiyyal worker: recovered %ld interrupted run(s)", count)));
    });
    broadcast_run_finished();
    wake_workers();
  }
  return static_cast<std::int64_t>(moved);
}

}  // namespace thaiyyal::pg
