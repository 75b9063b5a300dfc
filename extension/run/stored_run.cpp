// SQL entry points of stored workflows:
//
//   thaiyyal.run(name text, input jsonb DEFAULT NULL, version integer DEFAULT NULL) RETURNS jsonb
//   thaiyyal.plan_cache_stats() -> (plans, hits, misses, sql_plans, sql_hits, sql_misses,
//                                    payload_plans, payload_hits, payload_misses)
//
// thaiyyal.run, inside invoke_cpp (pg_guard.hpp) and one SPI connection:
//   1. the caller's tenant (thaiyyal.require_tenant(), as the caller: 42501
//      when the role may not act for it);
//   2. as the catalog owner: (id, version, revision) of the tenant's
//      workflow, at the requested version or its current one -- the
//      definition is not read;
//   3. the plan cache (plan_cache.hpp) by (table, id, revision); only on a
//      miss is the revision's definition read, converted and compiled;
//   4. execute AS THE CALLER with PgHost + SpiSqlService (sql_query /
//      sql_batch nodes) in the caller's transaction: running another
//      member's workflow is calling that member's code with one's own
//      privileges (docs/SECURITY.md). A failure raises TH001 / TH002
//      exactly as thaiyyal_execute does -- which rolls back the caller's
//      transaction, and with it everything the run wrote (nothing is
//      recorded);
//   5. on success, as the catalog owner and when thaiyyal.record_runs = all
//      (the default): record_run (runs + run_payloads in one statement) and,
//      with thaiyyal.record_nodes = all, one insert of all node rows;
//   6. return the Result.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_gucs.hpp"
#include "extension/catalog/catalog_version.hpp"
#include "extension/catalog/run_recorder.hpp"
#include "extension/catalog/workflow_store.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/run/gucs.hpp"
#include "extension/run/payload_plan_cache.hpp"
#include "extension/run/plan_cache.hpp"
#include "extension/run/run_support.hpp"
#include "extension/run/tracked_execution.hpp"
#include "extension/sql_nodes/spi_sql_service.hpp"
#include "extension/stats/run_tracker.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

Datum run_stored_workflow(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) {
    throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workflow name must not be null");
  }
  // A run that will be recorded (thaiyyal.record_runs = all) writes: refuse
  // a read-only transaction (or a standby) up front, before the workflow has
  // done anything. Unrecorded runs may read only.
  const bool record = record_runs_level() == RecordRuns::All;
  if (record) pg_call([]() noexcept { PreventCommandIfReadOnly("thaiyyal.run()"); });
  require_catalog_version();
  CallMemoryContext call_context("thaiyyal.run");

  const std::string name =
      pg_call([fcinfo]() noexcept { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
  Jsonb* input_jsonb = nullptr;
  Value input;
  if (!PG_ARGISNULL(1)) {
    input_jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(1); });
    input = jsonb_to_value(input_jsonb);
  }
  std::optional<std::int32_t> version;
  if (PG_NARGS() > 2 && !PG_ARGISNULL(2)) version = PG_GETARG_INT32(2);

  SpiSqlService sql;  // its scratch context lives in the call context
  SpiConnection spi;

  const Caller caller = require_caller_tenant();
  WorkflowRef ref;
  std::shared_ptr<const WorkflowPlan> plan;
  RunTracker tracker;  // statistics, slow-run log
  {
    AsCatalogOwner owner;
    ref = lookup_workflow(caller.tenant, name, version);
    const PlanCacheKey key{ref.table, ref.id, ref.revision};
    plan = plan_cache_find(key);
    if (plan == nullptr) {
      WorkflowRevision stored = fetch_revision(ref.revision);
      if (!stored.found) throw no_such_workflow(name, caller.tenant);  // dropped meanwhile
      const std::int64_t compile_started = tracker_clock_ns();
      plan = compile_payload(stored.definition);
      tracker.set_plan(false, tracker_clock_ns() - compile_started);
      plan_cache_add(key, plan);
    } else {
      tracker.set_plan(true, -1);
    }
    owner.end();
  }
  tracker.set_stored(caller.tenant, name, ref.revision);

  const Limits limits = current_limits();
  const RecordNodes record_nodes = record_nodes_level();
  RunOptions options;
  options.input = input;
  options.record_node_timings = record && record_nodes == RecordNodes::All;
  tracker.configure(options);

  const TimestampTz started_at = GetCurrentTimestamp();
  const RunOutcome outcome = execute_tracked(*plan, sql, limits, options, tracker);
  if (outcome.status != RunOutcome::Status::Succeeded) tracker.finish(plan, outcome);
  throw_if_failed(outcome, limits);
  const TimestampTz finished_at = GetCurrentTimestamp();

  Jsonb* result = result_to_jsonb(outcome.result, call_context.outer());
  if (!record) {
    // record_runs = failed | none: a succeeded run leaves no row (and so no
    // node rows either).
    spi.finish();
    return JsonbPGetDatum(result);
  }
  RunRecord row;
  row.workflow_id = ref.id;
  row.workflow_version = ref.version;
  row.workflow_revision = ref.revision;
  row.tenant = caller.tenant;
  row.run_by = caller.role_name;
  row.run_by_role = caller.role;
  row.started_at = started_at;
  row.finished_at = finished_at;
  row.input = input_jsonb;
  row.result = result;
  {
    AsCatalogOwner owner;
    const std::int64_t run_id = record_run(row);
    if (record_nodes == RecordNodes::All) {
      record_run_nodes(run_id, caller.tenant, node_rows(*plan, outcome, true));
    }
    owner.end();
    tracker.finish(plan, outcome, run_id);
  }
  spi.finish();
  return JsonbPGetDatum(result);
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

THAIYYAL_PG_FUNCTION(thaiyyal_plan_cache_stats) {
  return thaiyyal::pg::cache_statistics(fcinfo);
}
