// SQL entry points of stored workflows:
//
//   thaiyyal.run(name text, input jsonb DEFAULT NULL) RETURNS jsonb
//   thaiyyal.validate_workflow(definition jsonb) RETURNS boolean
//   thaiyyal.plan_cache_stats() -> (plans, hits, misses, sql_plans, sql_hits, sql_misses,
//                                    payload_plans, payload_hits, payload_misses)
//
// thaiyyal.run, inside invoke_cpp (pg_guard.hpp) and one SPI connection:
//   1. lookup_workflow: (id, version, revision) of the current tenant's
//      workflow by the (tenant, name) unique index -- the definition is not
//      read; 42501 when the role may not act for the tenant;
//   2. the plan cache (plan_cache.hpp) by (id, revision); only on a miss is
//      the definition read, converted and compiled;
//   3. execute with PgHost + SpiSqlService (sql_query / sql_batch nodes) in
//      the caller's transaction; a failure raises TH001 / TH002 exactly as
//      thaiyyal_execute does -- which rolls back the caller's transaction,
//      and with it everything the run wrote (nothing is recorded);
//   4. on success: record_run (runs + run_payloads in one statement) and,
//      with thaiyyal.record_nodes = all, one insert of all node rows;
//   5. return the Result.
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/engine.hpp"
#include "runtime/limits.hpp"
#include "value/value.hpp"

#include "catalog_gucs.hpp"
#include "gucs.hpp"
#include "jsonb_to_value.hpp"
#include "payload_plan_cache.hpp"
#include "pg_host.hpp"
#include "plan_cache.hpp"
#include "run_recorder.hpp"
#include "run_support.hpp"
#include "spi_sql_service.hpp"
#include "spi_support.hpp"
#include "value_to_jsonb.hpp"
#include "workflow_store.hpp"

#include "pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

SqlError no_such_workflow(const std::string& name, const std::string& tenant) {
  return SqlError(ERRCODE_UNDEFINED_OBJECT, "workflow \"" + name + "\" does not exist",
                  "The tenant is \"" + tenant + "\".");
}

Datum run_stored_workflow(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) {
    throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workflow name must not be null");
  }
  // It records the run: refuse a read-only transaction (or a standby) up
  // front, before the workflow has done anything.
  pg_call([]() noexcept { PreventCommandIfReadOnly("thaiyyal.run()"); });
  CallMemoryContext call_context("thaiyyal.run");

  const std::string name =
      pg_call([fcinfo]() noexcept { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
  Jsonb* input_jsonb = nullptr;
  Value input;
  if (!PG_ARGISNULL(1)) {
    input_jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(1); });
    input = jsonb_to_value(input_jsonb);
  }

  SpiSqlService sql;  // its scratch context lives in the call context
  SpiConnection spi;

  const WorkflowRef ref = lookup_workflow(name);
  if (!ref.found) throw no_such_workflow(name, ref.tenant);
  PlanCacheKey key{ref.table, ref.id, ref.revision};
  std::int32_t version = ref.version;
  std::shared_ptr<const WorkflowPlan> plan = plan_cache_find(key);
  if (plan == nullptr) {
    // Dropped or replaced since the lookup: use what is there now.
    WorkflowDefinition stored = fetch_definition(ref.id);
    if (!stored.found) throw no_such_workflow(name, ref.tenant);
    plan = compile_payload(stored.definition);
    version = stored.version;
    key.revision = stored.revision;
    plan_cache_add(key, plan);
  }

  const Limits limits = current_limits();
  const RecordNodes record_nodes = record_nodes_level();
  RunOptions options;
  options.input = input;
  options.record_node_timings = record_nodes == RecordNodes::All;

  PgHost host;
  host.set_sql(&sql);
  const TimestampTz started_at = GetCurrentTimestamp();
  const RunOutcome outcome = execute(*plan, host, limits, options);
  host.rethrow_pending_error();
  sql.rethrow_pending_error();
  throw_if_failed(outcome, limits);
  const TimestampTz finished_at = GetCurrentTimestamp();

  Jsonb* result = value_to_jsonb(result_to_value(outcome.result), call_context.outer());
  RunRecord record;
  record.workflow_id = ref.id;
  record.workflow_version = version;
  record.tenant = ref.tenant;
  record.started_at = started_at;
  record.finished_at = finished_at;
  record.input = input_jsonb;
  record.result = result;
  const std::int64_t run_id = record_run(record);
  if (record_nodes == RecordNodes::All) {
    record_run_nodes(run_id, ref.tenant, node_rows(*plan, outcome, true));
  }
  spi.finish();
  return JsonbPGetDatum(result);
}

Datum validate_definition(FunctionCallInfo fcinfo) {
  CallMemoryContext call_context("thaiyyal.validate_workflow");
  const Jsonb* jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  compile_payload(jsonb_to_value(jsonb));
  return BoolGetDatum(true);
}

Datum cache_statistics(FunctionCallInfo fcinfo) {
  const PlanCacheStats plans = plan_cache_stats();
  const SqlPlanCacheStats statements = sql_plan_cache_stats();
  const PayloadCacheStats payloads = payload_plan_cache_stats();
  Datum values[9] = {Int32GetDatum(plans.entries),    Int64GetDatum(plans.hits),
                     Int64GetDatum(plans.misses),     Int32GetDatum(statements.entries),
                     Int64GetDatum(statements.hits),  Int64GetDatum(statements.misses),
                     Int32GetDatum(payloads.entries), Int64GetDatum(payloads.hits),
                     Int64GetDatum(payloads.misses)};
  return pg_call([fcinfo, &values]() noexcept {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
      elog(ERROR, "thaiyyal.plan_cache_stats must return a composite type");
    }
    bool nulls[9] = {false, false, false, false, false, false, false, false, false};
    return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
  });
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_run) {
  return thaiyyal::pg::run_stored_workflow(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_validate_workflow) {
  return thaiyyal::pg::validate_definition(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_plan_cache_stats) {
  return thaiyyal::pg::cache_statistics(fcinfo);
}
