// thaiyyal_execute(payload jsonb, input jsonb DEFAULT NULL) RETURNS jsonb:
// runs one workflow payload and returns its Result object
// (workflow-format.md §7). A NULL payload gives NULL.
//
// Steps, all inside invoke_cpp (pg_guard.hpp):
//   1. a per-call memory context for everything PostgreSQL allocates on our
//      behalf (detoasted input, numeric texts); deleted when the call ends,
//      normally or by exception;
//   2. jsonb -> Value (jsonb_to_value.cpp), compile_workflow, execute with
//      PgHost, the run input, the SQL nodes' SpiSqlService (one SPI
//      connection for the call) and the limits from the thaiyyal.*
//      parameters;
//   3. the Result -> jsonb (value_to_jsonb.cpp), built in the caller's
//      memory context so it outlives step 1's context.
// Errors map to SQLSTATEs as documented in error_codes.hpp.
#include <memory>
#include <utility>

#include "runtime/engine.hpp"
#include "runtime/limits.hpp"
#include "value/value.hpp"

#include "gucs.hpp"
#include "jsonb_to_value.hpp"
#include "pg_host.hpp"
#include "run_support.hpp"
#include "spi_sql_service.hpp"
#include "spi_support.hpp"
#include "value_to_jsonb.hpp"

#include "pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

Datum execute_payload(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  CallMemoryContext call_context("thaiyyal_execute");

  const Jsonb* jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  const Value payload = jsonb_to_value(jsonb);
  RunOptions options;
  if (PG_NARGS() > 1 && !PG_ARGISNULL(1)) {
    const Jsonb* input = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(1); });
    options.input = jsonb_to_value(input);
  }

  std::shared_ptr<const WorkflowPlan> plan = compile_payload(payload);

  const Limits limits = current_limits();
  SpiSqlService sql;
  SpiConnection spi;
  PgHost host;
  host.set_sql(&sql);
  RunOutcome outcome = execute(*plan, host, limits, options);
  host.rethrow_pending_error();
  sql.rethrow_pending_error();
  throw_if_failed(outcome, limits);
  spi.finish();

  const Value result = result_to_value(outcome.result);
  return JsonbPGetDatum(value_to_jsonb(result, call_context.outer()));
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_execute) {
  return thaiyyal::pg::execute_payload(fcinfo);
}
