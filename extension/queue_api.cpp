// SQL functions of the run queue (the rest of the API is PL/pgSQL in the
// extension script):
//
//   thaiyyal._wake_workers_at_commit() RETURNS text
//       the workers' latches are set when the calling transaction commits
//       (thaiyyal.enqueue); returns why no worker will pick the run up, or
//       NULL when workers are there
//   thaiyyal._cancel_at_commit(run_id bigint) RETURNS void
//       at commit, flags the worker executing the run (thaiyyal.cancel)
//   thaiyyal._worker_alive(pid integer) RETURNS boolean
//       whether pid is a live thaiyyal worker (crash recovery)
//   thaiyyal.wait(run_id bigint, timeout interval) RETURNS jsonb
//       {"status", "result", "error"} once the run is final, or its current
//       status when the timeout passes; sleeps on a condition variable that
//       workers broadcast when a run ends (no polling)
#include <cstdint>
#include <string>

#include "value/value.hpp"

#include "jsonb_to_value.hpp"
#include "queue_shmem.hpp"
#include "run_support.hpp"
#include "spi_support.hpp"
#include "value_to_jsonb.hpp"
#include "worker_gucs.hpp"

#include "pg_guard.hpp"

extern "C" {
#include "commands/dbcommands.h"
#include "utils/snapmgr.h"
}

namespace thaiyyal::pg {

namespace {

// Work for the commit of the current transaction. Plain C data: the
// callback runs inside PostgreSQL's commit.
bool wake_at_commit = false;
std::int64_t* cancels_at_commit = nullptr;  // in TopMemoryContext
int cancel_count = 0;
int cancel_capacity = 0;
bool callback_registered = false;

void at_transaction_end(XactEvent event, void*) {
  if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT) {
    if (wake_at_commit) wake_workers();
    for (int i = 0; i < cancel_count; ++i) signal_cancel(cancels_at_commit[i]);
    if (cancel_count > 0) broadcast_run_finished();  // queued runs became cancelled
  }
  // PREPARE TRANSACTION: the wake-up would come too early (the rows become
  // visible at COMMIT PREPARED, from any session); the fallback poll finds
  // them.
  if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT ||
      event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
      event == XACT_EVENT_PREPARE) {
    wake_at_commit = false;
    cancel_count = 0;
  }
}

void ensure_callback() noexcept {
  if (!callback_registered) {
    RegisterXactCallback(at_transaction_end, nullptr);
    callback_registered = true;
  }
}

// Why a queued run would not be executed, or empty.
std::string missing_workers_reason() {
  if (queue_shared() == nullptr) {
    return "thaiyyal is not in shared_preload_libraries: no background worker will execute "
           "queued runs";
  }
  if (worker_count() == 0)
    return "thaiyyal.workers is 0: no background worker will execute queued runs";
  const char* serving = worker_database();
  const bool here = pg_call(
      [serving]() noexcept { return strcmp(get_database_name(MyDatabaseId), serving) == 0; });
  if (!here) {
    return std::string("the thaiyyal workers serve database \"") + serving +
           "\" (thaiyyal.database), not this one: no worker will execute runs queued here";
  }
  return {};
}

Datum wake_workers_at_commit(FunctionCallInfo fcinfo) {
  pg_call([]() noexcept {
    ensure_callback();
    wake_at_commit = true;
  });
  const std::string reason = missing_workers_reason();
  if (reason.empty()) PG_RETURN_NULL();
  const char* text = reason.c_str();
  return pg_call([text]() noexcept { return PointerGetDatum(cstring_to_text(text)); });
}

KeptStatement cancel_requested_statement(
    "SELECT 1 FROM thaiyyal.runs r WHERE r.id = $1 AND r.cancel_requested", {INT8OID});

Datum cancel_at_commit(FunctionCallInfo fcinfo) {
  const std::int64_t run_id = PG_GETARG_INT64(0);
  // Only a run the caller sees (row-level security) and has asked to cancel:
  // calling this directly cannot stop another tenant's run.
  {
    SpiConnection spi;
    Datum id = Int64GetDatum(run_id);
    cancel_requested_statement.execute(&id, " ", 1);
    const bool requested = SPI_processed == 1;
    spi.finish();
    if (!requested) PG_RETURN_VOID();
  }
  pg_call([run_id]() noexcept {
    ensure_callback();
    if (cancel_count == cancel_capacity) {
      const int capacity = cancel_capacity == 0 ? 8 : cancel_capacity * 2;
      const Size bytes = sizeof(std::int64_t) * static_cast<Size>(capacity);
      cancels_at_commit = static_cast<std::int64_t*>(
          cancels_at_commit == nullptr ? MemoryContextAlloc(TopMemoryContext, bytes)
                                       : repalloc(cancels_at_commit, bytes));
      cancel_capacity = capacity;
    }
    cancels_at_commit[cancel_count++] = run_id;
  });
  PG_RETURN_VOID();
}

Datum worker_alive(FunctionCallInfo fcinfo) {
  PG_RETURN_BOOL(is_live_worker(static_cast<pid_t>(PG_GETARG_INT32(0))));
}

KeptStatement run_state_statement(
    "SELECT r.status, p.result, p.error ->> 'message', r.xmin"
    " FROM thaiyyal.runs r LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id"
    " WHERE r.id = $1",
    {INT8OID});

bool final_status(const std::string& status) {
  return status == "succeeded" || status == "failed" || status == "cancelled";
}

// Microseconds of an interval (months as 30 days, as PostgreSQL's
// interval comparisons do).
std::int64_t interval_micros(const Interval* interval) {
  return interval->time + static_cast<std::int64_t>(interval->day) * USECS_PER_DAY +
         static_cast<std::int64_t>(interval->month) * DAYS_PER_MONTH * USECS_PER_DAY;
}

Datum wait_for_run(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "run id must not be null");
  const std::int64_t run_id = PG_GETARG_INT64(0);
  std::int64_t timeout_us = 0;
  if (!PG_ARGISNULL(1)) timeout_us = interval_micros(PG_GETARG_INTERVAL_P(1));
  if (timeout_us < 0) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "timeout must not be negative");
  }
  CallMemoryContext call_context("thaiyyal.wait");
  const TimestampTz deadline = GetCurrentTimestamp() + timeout_us;
  QueueShared* shared = queue_shared();
  SpiConnection spi;
  for (;;) {
    if (shared != nullptr) {
      pg_call([shared]() noexcept { ConditionVariablePrepareToSleep(&shared->run_finished); });
    }
    Datum id = Int64GetDatum(run_id);
    run_state_statement.execute(&id, " ", 1);
    if (SPI_processed != 1) {
      throw SqlError(ERRCODE_UNDEFINED_OBJECT, "run " + std::to_string(run_id) + " does not exist",
                     "Runs of other tenants are not visible.");
    }
    bool isnull = false;
    const std::string status = pg_call([&isnull]() noexcept {
      return TextDatumGetCString(
          SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    });
    const TimestampTz now = GetCurrentTimestamp();
    if (final_status(status) || now >= deadline) {
      if (shared != nullptr) pg_call([]() noexcept { ConditionVariableCancelSleep(); });
      bool result_null = true;
      bool error_null = true;
      const Datum result = pg_call([&result_null]() noexcept {
        return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &result_null);
      });
      const Datum error = pg_call([&error_null]() noexcept {
        return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &error_null);
      });
      const bool done = final_status(status);
      Value out = make_object({
          {"status", Value::string(status)},
          {"result", done && !result_null ? jsonb_to_value(DatumGetJsonbP(result)) : Value()},
          {"error", done && !error_null ? Value::string(pg_call([error]() noexcept {
             return TextDatumGetCString(error);
           }))
                                        : Value()},
      });
      Jsonb* jsonb = value_to_jsonb(out, call_context.outer());
      spi.finish();
      return JsonbPGetDatum(jsonb);
    }
    // A run queued by this very transaction is invisible to the workers
    // until COMMIT: waiting for it could only time out.
    bool xmin_null = false;
    const bool own = pg_call([&xmin_null]() noexcept {
      const TransactionId xmin = DatumGetTransactionId(
          SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &xmin_null));
      return TransactionIdIsCurrentTransactionId(xmin);
    });
    if (own) {
      throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                     "run " + std::to_string(run_id) + " was queued or changed by this transaction",
                     "Workers see the run only after COMMIT.",
                     "Commit the transaction that called thaiyyal.enqueue, then wait.");
    }
    if (pg_call([]() noexcept { return IsolationUsesXactSnapshot(); })) {
      throw SqlError(ERRCODE_FEATURE_NOT_SUPPORTED, "thaiyyal.wait needs READ COMMITTED isolation",
                     "In REPEATABLE READ or SERIALIZABLE the run's status cannot change within "
                     "the transaction.");
    }
    const long remaining_ms = static_cast<long>((deadline - now + 999) / 1000);
    if (shared != nullptr) {
      // Woken by a broadcast when some run ends; re-check on every wake-up
      // (and at least once a second, in case a wake-up was missed).
      const long sleep_ms = remaining_ms < 1000 ? remaining_ms : 1000;
      pg_call([shared, sleep_ms]() noexcept {
        (void)ConditionVariableTimedSleep(&shared->run_finished, sleep_ms, PG_WAIT_EXTENSION);
      });
    } else {
      // Not preloaded: no worker will finish the run; sleep out the timeout
      // in cancellable steps.
      const long sleep_ms = remaining_ms < 1000 ? remaining_ms : 1000;
      pg_call([sleep_ms]() noexcept {
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, sleep_ms,
                        PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
        CHECK_FOR_INTERRUPTS();
      });
    }
    pg_call([]() noexcept { SPI_freetuptable(SPI_tuptable); });
  }
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_wake_workers_at_commit) {
  return thaiyyal::pg::wake_workers_at_commit(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_cancel_at_commit) {
  return thaiyyal::pg::cancel_at_commit(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_worker_alive) {
  return thaiyyal::pg::worker_alive(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_wait) {
  return thaiyyal::pg::wait_for_run(fcinfo);
}
