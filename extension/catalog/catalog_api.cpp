// The catalog's write API. Each function checks the caller as the caller
// (its tenant through thaiyyal.require_tenant(), its role), then writes as
// the catalog owner (identity.hpp) with the tenant and role as parameters:
// ordinary roles have no write privilege on thaiyyal.* themselves.
//
//   thaiyyal.save_workflow(name text, definition jsonb, force boolean) RETURNS bigint
//   thaiyyal.drop_workflow(name text) RETURNS void
//   thaiyyal.enqueue(workflow, input, run_at, priority, idempotency_key, version) RETURNS bigint
//   thaiyyal.cancel(run_id bigint) RETURNS boolean
//   thaiyyal.purge_runs_batch(cutoff timestamptz, batch_size integer) RETURNS bigint
//   thaiyyal._worker_executing(pid integer, run_id bigint) RETURNS boolean
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/api_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/catalog/catalog_version.hpp"
#include "extension/catalog/workflow_checks.hpp"
#include "extension/catalog/workflow_store.hpp"
#include "extension/workers/commit_actions.hpp"
#include "extension/workers/queue_shmem.hpp"
#include "extension/workers/worker_gucs.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "utils/acl.h"
}

namespace thaiyyal::pg {

namespace {

// Ordinary roles give their runs priorities in -max..max; superusers and
// members of thaiyyal.priority_role any.
void check_priority(const Caller& caller, std::int32_t priority) {
  const std::int64_t bound = max_user_priority();
  if (priority >= -bound && priority <= bound) return;
  if (caller.superuser) return;
  const std::string role = priority_role();
  if (!role.empty()) {
    const char* name = role.c_str();
    const Oid role_oid = caller.role;
    const bool member = pg_call([name, role_oid]() noexcept {
      const Oid privileged = get_role_oid(name, true);
      return OidIsValid(privileged) && is_member_of_role(role_oid, privileged);
    });
    if (member) return;
  }
  throw SqlError(ERRCODE_INSUFFICIENT_PRIVILEGE,
                 "priority " + std::to_string(priority) + " is outside the range role \"" +
                     caller.role_name + "\" may use",
                 "Allowed: -" + std::to_string(bound) + " to " + std::to_string(bound) +
                     " (thaiyyal.max_user_priority).",
                 role.empty() ? "A superuser can set thaiyyal.priority_role to a role whose "
                                "members may use any priority."
                              : "Members of role \"" + role +
                                    "\" (thaiyyal.priority_role) may use any priority.");
}

Datum save_workflow(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "workflow name");
  require_arg(fcinfo, 1, "workflow definition");
  const std::string name = text_arg(fcinfo, 0);
  if (name.empty())
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "workflow name must not be empty");
  const Datum definition = PG_GETARG_DATUM(1);
  const bool force = PG_NARGS() > 2 && !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);

  // What thaiyyal.check_workflow reports: errors refuse the save unless
  // forced (a definition that does not compile never saves: the table's
  // CHECK constraint), warnings are a NOTICE.
  const std::vector<Diagnostic> diagnostics =
      diagnose_definition(pg_call([definition]() noexcept { return DatumGetJsonbP(definition); }));
  if (!force) refuse_errors(name, diagnostics);

  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  AsCatalogOwner owner;
  Datum values[4] = {text_datum(caller.tenant), text_datum(name), definition,
                     text_datum(caller.role_name)};
  catalog_sql::save_workflow.execute(values, "    ", 1);
  const std::int64_t id = first_int8();
  owner.end();
  spi.finish();
  report_warnings(name, diagnostics);
  return Int64GetDatum(id);
}

Datum drop_workflow(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "workflow name");
  const std::string name = text_arg(fcinfo, 0);
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  AsCatalogOwner owner;
  Datum values[2] = {text_datum(caller.tenant), text_datum(name)};
  catalog_sql::drop_workflow.execute(values, "  ", 0);
  if (result_rows() == 0) throw no_such_workflow(name, caller.tenant);
  owner.end();
  spi.finish();
  PG_RETURN_VOID();
}

Datum enqueue(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "workflow name");
  const std::string workflow = text_arg(fcinfo, 0);
  const std::int32_t priority = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3);
  std::optional<std::string> key;
  if (!PG_ARGISNULL(4)) key = text_arg(fcinfo, 4);
  std::optional<std::int32_t> version;
  if (!PG_ARGISNULL(5)) version = PG_GETARG_INT32(5);

  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  refuse_superuser_runs(caller, "queue runs");
  check_priority(caller, priority);

  AsCatalogOwner owner;
  const WorkflowRef ref = lookup_workflow(caller.tenant, workflow, version);
  if (key) {
    Datum values[2] = {text_datum(caller.tenant), text_datum(*key)};
    catalog_sql::find_idempotent_run.execute(values, "  ", 1);
    if (result_rows() == 1) {
      const std::int64_t id = first_int8();
      owner.end();
      spi.finish();
      return Int64GetDatum(id);
    }
  }
  const TimestampTz run_at =
      PG_ARGISNULL(2) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(2);
  Datum values[10] = {Int64GetDatum(ref.id),
                      Int32GetDatum(ref.version),
                      Int64GetDatum(ref.revision),
                      text_datum(caller.tenant),
                      Int32GetDatum(priority),
                      TimestampTzGetDatum(run_at),
                      key ? text_datum(*key) : Datum(0),
                      text_datum(caller.role_name),
                      ObjectIdGetDatum(caller.role),
                      PG_ARGISNULL(1) ? Datum(0) : PG_GETARG_DATUM(1)};
  const char nulls[11] = {
      ' ', ' ', ' ', ' ', ' ', ' ', key ? ' ' : 'n', ' ', ' ', PG_ARGISNULL(1) ? 'n' : ' ', '\0'};
  catalog_sql::enqueue_run.execute(values, nulls, 1);
  std::int64_t id = 0;
  if (result_rows() == 1) {
    id = first_int8();
  } else {
    // A concurrent enqueue with the same key committed first.
    Datum lookup[2] = {text_datum(caller.tenant), text_datum(*key)};
    catalog_sql::find_idempotent_run.execute(lookup, "  ", 1);
    id = first_int8();
    owner.end();
    spi.finish();
    return Int64GetDatum(id);
  }
  owner.end();
  spi.finish();

  wake_workers_at_commit();
  const std::string problem = missing_workers_reason();
  if (!problem.empty()) {
    const std::string message = "run " + std::to_string(id) + " is queued, but " + problem;
    const char* text = message.c_str();
    pg_call([text]() noexcept {
      ereport(WARNING,
              (errmsg_internal("%s", text),
               errhint("Add thaiyyal to shared_preload_libraries, set thaiyyal.database to this "
                       "database and restart the server; or execute synchronously with "
                       "thaiyyal.run().")));
    });
  }
  return Int64GetDatum(id);
}

Datum cancel(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "run id");
  const std::int64_t run_id = PG_GETARG_INT64(0);
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  AsCatalogOwner owner;
  Datum values[2] = {Int64GetDatum(run_id), text_datum(caller.tenant)};
  catalog_sql::cancel_run.execute(values, "  ", 1);
  const bool changed = result_rows() == 1;
  if (!changed) {
    catalog_sql::run_of_tenant.execute(values, "  ", 1);
    if (result_rows() == 0) throw no_such_run(run_id);
  }
  owner.end();
  spi.finish();
  // At COMMIT: the worker executing it stops (node boundary, wait or SQL
  // statement), and waiters wake up.
  if (changed) cancel_at_commit(run_id);
  PG_RETURN_BOOL(changed);
}

Datum purge_runs_batch(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "cutoff");
  require_arg(fcinfo, 1, "batch size");
  const TimestampTz cutoff = PG_GETARG_TIMESTAMPTZ(0);
  const std::int32_t batch = PG_GETARG_INT32(1);
  if (batch < 1) throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, "batch size must be positive");
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  AsCatalogOwner owner;
  if (caller.superuser) {
    Datum values[2] = {TimestampTzGetDatum(cutoff), Int32GetDatum(batch)};
    catalog_sql::purge_all_batch.execute(values, "  ", 0);
  } else {
    Datum values[3] = {text_datum(caller.tenant), TimestampTzGetDatum(cutoff),
                       Int32GetDatum(batch)};
    catalog_sql::purge_tenant_batch.execute(values, "   ", 0);
  }
  const auto deleted = static_cast<std::int64_t>(result_rows());
  owner.end();
  spi.finish();
  return Int64GetDatum(deleted);
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_save_workflow) {
  return thaiyyal::pg::save_workflow(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_drop_workflow) {
  return thaiyyal::pg::drop_workflow(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_enqueue) {
  return thaiyyal::pg::enqueue(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_cancel) {
  return thaiyyal::pg::cancel(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_purge_runs_batch) {
  return thaiyyal::pg::purge_runs_batch(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_worker_executing) {
  PG_RETURN_BOOL(
      thaiyyal::pg::worker_executes(static_cast<pid_t>(PG_GETARG_INT32(0)), PG_GETARG_INT64(1)));
}
