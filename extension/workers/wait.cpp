// thaiyyal.wait(run_id bigint, timeout interval) RETURNS jsonb
//     {"status", "result", "error"} once the run is final, or its current
//     status when the timeout passes; sleeps on a condition variable that
//     workers broadcast when a run ends (no polling). Reads as the caller:
//     row-level security decides which runs it sees.
//
// Also the C entry points that only thaiyyal 0.1.0's script declared
// (_wake_workers_at_commit, _cancel_at_commit, _worker_alive): until ALTER
// EXTENSION thaiyyal UPDATE has run, they say so.
#include <cstdint>
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/catalog/catalog_version.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/run/run_support.hpp"
#include "extension/workers/queue_shmem.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "utils/snapmgr.h"
}

namespace thaiyyal::pg {

namespace {

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
  require_catalog_version();
  CallMemoryContext call_context("thaiyyal.wait");
  const TimestampTz deadline = GetCurrentTimestamp() + timeout_us;
  QueueShared* shared = queue_shared();
  SpiConnection spi;
  for (;;) {
    if (shared != nullptr) {
      pg_call([shared]() noexcept { ConditionVariablePrepareToSleep(&shared->run_finished); });
    }
    Datum id = Int64GetDatum(run_id);
    catalog_sql::run_state.execute(&id, " ", 1);
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

THAIYYAL_PG_FUNCTION(thaiyyal_wait) {
  return thaiyyal::pg::wait_for_run(fcinfo);
}

// thaiyyal 0.1.0's internal functions.
THAIYYAL_PG_FUNCTION(thaiyyal_wake_workers_at_commit) {
  (void)fcinfo;
  thaiyyal::pg::require_catalog_version();
  PG_RETURN_NULL();
}

THAIYYAL_PG_FUNCTION(thaiyyal_cancel_at_commit) {
  (void)fcinfo;
  thaiyyal::pg::require_catalog_version();
  PG_RETURN_VOID();
}

THAIYYAL_PG_FUNCTION(thaiyyal_worker_alive) {
  (void)fcinfo;
  thaiyyal::pg::require_catalog_version();
  PG_RETURN_BOOL(false);
}
