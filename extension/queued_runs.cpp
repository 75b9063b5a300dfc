// Claiming, executing, recording and recovering queued runs (queued_runs.hpp).
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "runtime/engine.hpp"
#include "runtime/limits.hpp"
#include "value/value.hpp"

#include "catalog_gucs.hpp"
#include "gucs.hpp"
#include "jsonb_to_value.hpp"
#include "pg_host.hpp"
#include "plan_cache.hpp"
#include "queue_shmem.hpp"
#include "queued_runs.hpp"
#include "run_recorder.hpp"
#include "run_support.hpp"
#include "spi_support.hpp"
#include "value_to_jsonb.hpp"
#include "worker_gucs.hpp"
#include "worker_sql_service.hpp"
#include "worker_transaction.hpp"
#include "workflow_store.hpp"

#include "pg_guard.hpp"

extern "C" {
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "pgstat.h"
}

namespace thaiyyal::pg {

namespace {

KeptStatement claim_statement(
    "WITH next AS ("
    " SELECT r.id FROM thaiyyal.runs r"
    " WHERE r.status = 'queued' AND r.run_at <= pg_catalog.now()"
    " ORDER BY r.priority DESC, r.run_at, r.id"
    " LIMIT 1 FOR UPDATE SKIP LOCKED)"
    " UPDATE thaiyyal.runs r"
    " SET status = 'running', attempts = r.attempts + 1, worker_pid = $1,"
    "  started_at = pg_catalog.now(), finished_at = NULL,"
    "  lease_expires_at = pg_catalog.now() + $2 * interval '1 millisecond'"
    " FROM next WHERE r.id = next.id"
    " RETURNING r.id, r.workflow_id, r.tenant, r.run_by_role, r.attempts",
    {INT4OID, FLOAT8OID});

KeptStatement next_due_statement(
    "SELECT extract(epoch FROM pg_catalog.min(r.run_at) - pg_catalog.clock_timestamp())"
    "::float8 * 1000 FROM thaiyyal.runs r WHERE r.status = 'queued'",
    {});

KeptStatement load_statement(
    "SELECT w.tableoid::oid, w.version, w.revision, w.tenant = r.tenant, p.input,"
    " ro.rolname IS NOT NULL, w.name"
    " FROM thaiyyal.runs r"
    " JOIN thaiyyal.workflows w ON w.id = r.workflow_id"
    " LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id"
    " LEFT JOIN pg_catalog.pg_roles ro ON ro.oid = r.run_by_role"
    " WHERE r.id = $1",
    {INT8OID});

KeptStatement may_act_statement("SELECT thaiyyal.may_act_for($1)", {TEXTOID});

// Only the worker that holds the claim may finish the run: after a
// recovery took it back, the write finds no row and the outcome is
// discarded.
KeptStatement finish_statement(
    "WITH run AS ("
    " UPDATE thaiyyal.runs r"
    " SET status = $2,"
    "  finished_at = CASE WHEN $2 = 'queued' THEN NULL ELSE pg_catalog.now() END,"
    "  error_code = $3, worker_pid = NULL, lease_expires_at = NULL,"
    "  workflow_version = coalesce($4, r.workflow_version),"
    "  run_at = CASE WHEN $7 IS NULL THEN r.run_at"
    "   ELSE pg_catalog.now() + $7 * interval '1 millisecond' END"
    " WHERE r.id = $1 AND r.status = 'running' AND r.worker_pid = $5"
    " RETURNING r.id, r.tenant)"
    " INSERT INTO thaiyyal.run_payloads AS p (run_id, tenant, result, error)"
    " SELECT run.id, run.tenant, $6, $8 FROM run"
    " ON CONFLICT (run_id) DO UPDATE SET result = EXCLUDED.result, error = EXCLUDED.error"
    " RETURNING p.run_id",
    {INT8OID, TEXTOID, TEXTOID, INT4OID, INT4OID, JSONBOID, FLOAT8OID, JSONBOID});

KeptStatement recover_statement(
    "WITH stale AS ("
    " SELECT r.id FROM thaiyyal.runs r"
    " WHERE r.status = 'running'"
    "  AND (r.lease_expires_at IS NULL OR r.lease_expires_at < pg_catalog.now()"
    "       OR r.worker_pid IS NULL OR NOT thaiyyal._worker_alive(r.worker_pid))"
    " FOR UPDATE SKIP LOCKED),"
    " moved AS ("
    " UPDATE thaiyyal.runs r SET"
    "  status = CASE WHEN r.cancel_requested THEN 'cancelled'"
    "   WHEN r.attempts >= $1 THEN 'failed' ELSE 'queued' END,"
    "  finished_at = CASE WHEN r.cancel_requested OR r.attempts >= $1 THEN pg_catalog.now() END,"
    "  error_code = CASE WHEN r.cancel_requested THEN NULL ELSE 'TH003' END,"
    "  run_at = pg_catalog.now() + LEAST($3, $2 * pg_catalog.power(2,"
    "   GREATEST(r.attempts - 1, 0))) * (0.75 + 0.5 * pg_catalog.random())"
    "   * interval '1 millisecond',"
    "  worker_pid = NULL, lease_expires_at = NULL"
    " FROM stale WHERE r.id = stale.id"
    " RETURNING r.id, r.tenant, r.attempts)"
    " INSERT INTO thaiyyal.run_payloads AS p (run_id, tenant, error)"
    " SELECT m.id, m.tenant, pg_catalog.jsonb_build_object('code', 'TH003', 'message',"
    "  pg_catalog.format('the worker executing attempt %s of %s stopped"
    " (crash, termination or expired lease)', m.attempts, $1))"
    " FROM moved m"
    " ON CONFLICT (run_id) DO UPDATE SET error = EXCLUDED.error"
    " RETURNING p.run_id",
    {INT4OID, FLOAT8OID, FLOAT8OID});

Datum text_datum(const std::string& s) {
  const char* c = s.c_str();
  return pg_call([c]() noexcept { return CStringGetTextDatum(c); });
}

std::string text_value(Datum d) {
  char* c = pg_call([d]() noexcept { return TextDatumGetCString(d); });
  return std::string(c);
}

// Value of column `attno` (1-based) of result row `row`.
Datum column(int row, int attno, bool* isnull) {
  return pg_call([row, attno, isnull]() noexcept {
    return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, attno, isnull);
  });
}

std::uint64_t processed() {
  return SPI_processed;
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

// The worker commits asynchronously by default (worker_main.cpp); a claim
// and a run's end must survive a crash: the claim carries the attempt count
// (a run that crashes its worker every time must still reach max_attempts)
// and the end must never be executed again.
void commit_synchronously() {
  pg_call([]() noexcept {
    (void)set_config_option("synchronous_commit", "on", PGC_SUSET, PGC_S_SESSION, GUC_ACTION_LOCAL,
                            true, 0, false);
  });
}

// How a run ended, as the finish statement writes it.
struct RunEnd {
  std::string status;  // succeeded | failed | cancelled | queued (retry)
  std::string error_code;
  Value error;  // {"code","message","detail",...} or null
  std::optional<std::int32_t> version;
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

// The worker's view of a run in progress: cancellation through its slot,
// progress in pg_stat_activity.
class WorkerRunObserver final : public RunObserver {
 public:
  WorkerRunObserver(int slot, const ClaimedRun& run, std::string workflow)
      : slot_(slot), run_(run), workflow_(std::move(workflow)) {
    report("starting", "");
  }
  bool cancel_requested() override { return slot_cancel_requested(slot_); }
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

struct LoadedRun {
  std::shared_ptr<const WorkflowPlan> plan;
  std::int32_t version = 0;
  std::string workflow;
  Value input;
  std::optional<RunEnd> refused;  // set when the run may not execute
};

LoadedRun load_run(const ClaimedRun& run) {
  LoadedRun loaded;
  WorkerTransaction transaction;
  Datum id = Int64GetDatum(run.id);
  load_statement.execute(&id, " ", 1);
  if (processed() != 1) {
    loaded.refused = failed("TH004", "the run's workflow no longer exists");
    transaction.commit();
    return loaded;
  }
  bool isnull = false;
  PlanCacheKey key{};
  key.table = DatumGetObjectId(column(0, 1, &isnull));
  key.workflow_id = run.workflow_id;
  loaded.version = DatumGetInt32(column(0, 2, &isnull));
  key.revision = DatumGetInt64(column(0, 3, &isnull));
  const bool same_tenant = DatumGetBool(column(0, 4, &isnull));
  const Datum input = column(0, 5, &isnull);
  if (!isnull) loaded.input = jsonb_to_value(DatumGetJsonbP(input));
  const bool role_exists = DatumGetBool(column(0, 6, &isnull));
  loaded.workflow = text_value(column(0, 7, &isnull));

  if (!same_tenant) {
    loaded.refused = failed("42501", "the run's workflow belongs to another tenant");
  } else if (!role_exists) {
    loaded.refused = failed("42704", "the role that queued the run no longer exists");
  } else {
    RunIdentity identity(run.role, run.tenant);
    Datum tenant = text_datum(run.tenant);
    may_act_statement.execute(&tenant, " ", 1);
    const bool may_act = processed() == 1 && DatumGetBool(column(0, 1, &isnull)) && !isnull;
    identity.end();
    if (!may_act) {
      loaded.refused =
          failed("42501", "the role that queued the run may no longer act for tenant \"" +
                              run.tenant + "\"");
    }
  }
  if (!loaded.refused) {
    loaded.plan = plan_cache_find(key);
    if (loaded.plan == nullptr) {
      WorkflowDefinition stored = fetch_definition(run.workflow_id);
      if (!stored.found) {
        loaded.refused = failed("TH004", "the run's workflow no longer exists");
      } else {
        try {
          loaded.plan = compile_payload(stored.definition);
        } catch (const SqlError& e) {
          loaded.refused = failed(unpack_sql_state(e.sqlstate()), e.what(), e.detail());
        }
        if (loaded.plan != nullptr) {
          key.revision = stored.revision;
          loaded.version = stored.version;
          plan_cache_add(key, loaded.plan);
        }
      }
    }
  }
  transaction.commit();
  return loaded;
}

// Executes outside any transaction; SQL nodes get their own.
RunEnd run_plan(int slot, const ClaimedRun& run, const LoadedRun& loaded, RunOutcome& outcome) {
  const Limits limits = current_limits();
  RunOptions options;
  options.input = loaded.input;
  options.record_node_timings = record_nodes_level() != RecordNodes::None;

  WorkerRunObserver observer(slot, run, loaded.workflow);
  WorkerSqlService sql(run.role, run.tenant);
  PgHost host;
  host.set_sql(&sql);
  host.set_observer(&observer);
  RunEnd end;
  end.version = loaded.version;
  end.plan = loaded.plan.get();
  try {
    outcome = execute(*loaded.plan, host, limits, options);
    host.rethrow_pending_error();
  } catch (const PgError& e) {
    const ErrorInfo info = capture_error(e);
    if (slot_cancel_requested(slot)) {
      end.status = "cancelled";
      end.error = error_object(unpack_sql_state(info.sqlerrcode), "the run was cancelled");
      return end;
    }
    if (transient(info.sqlerrcode) && run.attempts < max_attempts()) {
      end.status = "queued";
      end.error_code = unpack_sql_state(info.sqlerrcode);
      end.error = error_object(end.error_code, info.message, info.detail);
      end.retry_in_ms = retry_delay_for_attempt(run.attempts);
      return end;
    }
    RunEnd f = failed(unpack_sql_state(info.sqlerrcode), info.message, info.detail);
    f.version = loaded.version;
    return f;
  } catch (const SqlError& e) {
    RunEnd f = failed(unpack_sql_state(e.sqlstate()), e.what(), e.detail());
    f.version = loaded.version;
    return f;
  } catch (const std::bad_alloc&) {
    RunEnd f = failed("53200", "out of memory");
    f.version = loaded.version;
    return f;
  } catch (const std::exception& e) {
    // What thaiyyal_execute reports as XX000: recorded, not retried.
    RunEnd f = failed("XX000", std::string("thaiyyal internal error: ") + e.what());
    f.version = loaded.version;
    return f;
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
      Value error = error_object("TH001", outcome.error, detail);
      end.error = error;
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

// Writes the end of the run; false when the claim was lost meanwhile.
bool finish_run(const ClaimedRun& run, RunEnd end) {
  WorkerTransaction transaction;
  // Durable: once a run is recorded as finished, it must not run again.
  commit_synchronously();
  Jsonb* result = nullptr;
  if (end.outcome != nullptr && end.status != "queued") {
    try {
      result = value_to_jsonb(result_to_value(end.outcome->result), CurrentMemoryContext);
    } catch (const SqlError& e) {  // NaN / Inf in the Result
      end = failed(unpack_sql_state(e.sqlstate()), e.what(), e.detail());
    }
  }
  Jsonb* error = end.error.is_null() ? nullptr : value_to_jsonb(end.error, CurrentMemoryContext);
  Datum values[8] = {Int64GetDatum(run.id),
                     text_datum(end.status),
                     end.error_code.empty() ? Datum(0) : text_datum(end.error_code),
                     Int32GetDatum(end.version.value_or(0)),
                     Int32GetDatum(MyProcPid),
                     result != nullptr ? JsonbPGetDatum(result) : Datum(0),
                     Float8GetDatum(end.retry_in_ms.value_or(0)),
                     error != nullptr ? JsonbPGetDatum(error) : Datum(0)};
  const char nulls[9] = {' ',
                         ' ',
                         end.error_code.empty() ? 'n' : ' ',
                         end.version ? ' ' : 'n',
                         ' ',
                         result != nullptr ? ' ' : 'n',
                         end.retry_in_ms ? ' ' : 'n',
                         error != nullptr ? ' ' : 'n',
                         '\0'};
  finish_statement.execute(values, nulls, 0);
  if (processed() != 1) return false;  // the destructor rolls back

  const RecordNodes level = record_nodes_level();
  const bool run_failed = end.status != "succeeded";
  if (end.outcome != nullptr && end.plan != nullptr &&
      (level == RecordNodes::All || (level == RecordNodes::Errors && run_failed))) {
    record_run_nodes(run.id, run.tenant, node_rows(*end.plan, *end.outcome, true));
  }
  transaction.commit();
  return true;
}

}  // namespace

bool extension_installed() {
  WorkerTransaction transaction;
  const bool installed = pg_call([]() noexcept {
    return OidIsValid(get_extension_oid("thaiyyal", true)) &&
           OidIsValid(get_namespace_oid("thaiyyal", true));
  });
  transaction.commit();
  return installed;
}

bool claim_next_run(int slot, ClaimedRun& run, long& wait_ms) {
  WorkerTransaction transaction;
  Datum values[2] = {Int32GetDatum(MyProcPid), Float8GetDatum(static_cast<double>(run_lease_ms()))};
  claim_statement.execute(values, "  ", 1);
  if (processed() == 1) {
    bool isnull = false;
    run.id = DatumGetInt64(column(0, 1, &isnull));
    run.workflow_id = DatumGetInt64(column(0, 2, &isnull));
    run.tenant = text_value(column(0, 3, &isnull));
    run.role = DatumGetObjectId(column(0, 4, &isnull));
    run.attempts = DatumGetInt32(column(0, 5, &isnull));
    // The slot names the run before the claim is visible, so a cancel that
    // sees the run running always finds the worker.
    set_slot_run(slot, run.id);
    commit_synchronously();
    transaction.commit();
    return true;
  }
  next_due_statement.execute(nullptr, nullptr, 1);
  bool isnull = true;
  const Datum due = processed() == 1 ? column(0, 1, &isnull) : Datum(0);
  wait_ms = -1;
  if (!isnull) {
    const double ms = DatumGetFloat8(due);
    wait_ms = ms <= 0 ? 0 : static_cast<long>(std::min(ms + 1, 2147483647.0));
  }
  transaction.commit();
  return false;
}

void execute_claimed_run(int slot, const ClaimedRun& run) {
  LoadedRun loaded = load_run(run);
  RunOutcome outcome;
  RunEnd end;
  if (loaded.refused) {
    end = std::move(*loaded.refused);
  } else {
    end = run_plan(slot, run, loaded, outcome);
  }
  const bool recorded = finish_run(run, std::move(end));
  set_slot_run(slot, 0);
  pg_call([]() noexcept { pgstat_report_activity(STATE_IDLE, nullptr); });
  if (recorded) {
    broadcast_run_finished();
  } else {
    const std::string id = std::to_string(run.id);
    const char* text = id.c_str();
    pg_call([text]() noexcept {
      ereport(LOG, (errmsg("thaiyyal worker: run %s was taken back by recovery while it "
                           "executed; its outcome is discarded",
                           text)));
    });
  }
}

std::int64_t recover_runs() {
  WorkerTransaction transaction;
  Datum values[3] = {Int32GetDatum(max_attempts()),
                     Float8GetDatum(static_cast<double>(retry_delay_ms())),
                     Float8GetDatum(static_cast<double>(retry_max_delay_ms()))};
  recover_statement.execute(values, "   ", 0);
  const std::uint64_t moved = processed();
  for (std::uint64_t i = 0; i < moved; ++i) {
    bool isnull = false;
    // A live worker whose lease expired stops at its next node boundary.
    signal_cancel(DatumGetInt64(column(static_cast<int>(i), 1, &isnull)));
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
