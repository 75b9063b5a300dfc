// Every SQL statement the extension runs on its own catalog (thaiyyal.*),
// in one place, as pg_cron keeps its job_metadata.c: what reads and writes
// workflows, versions, runs and their payloads can be reviewed here.
//
// All are KeptStatements (spi_support.hpp): prepared once per backend,
// executed with search_path = pg_catalog, pg_temp. The comment of each says
// as whom it runs:
//   caller  the calling role: row-level security and its privileges apply;
//   owner   inside AsCatalogOwner (identity.hpp), after the API checked the
//           caller: the tenant and role are always parameters;
//   worker  a background worker (bootstrap superuser), between runs.
#pragma once

#include "extension/boundary/spi_support.hpp"

namespace thaiyyal::pg::catalog_sql {

// --- tenancy (caller)
// () -> tenant | ERROR 42501
extern KeptStatement require_tenant;
// (tenant) -> may_act_for(tenant)
extern KeptStatement may_act_for;

// --- stored workflows (owner)
// (tenant, name) -> id, version, revision, tableoid
extern KeptStatement lookup_workflow;
// (workflow id, version) -> revision
extern KeptStatement lookup_version;
// (revision) -> workflow id, version, definition
extern KeptStatement fetch_revision;
// (tenant, name, definition, role name) -> id
extern KeptStatement save_workflow;
// (tenant, name) -> deleted rows
extern KeptStatement drop_workflow;

// --- run history (owner)
// (workflow id, version, revision, tenant, role name, role oid, started,
//  finished, input, result) -> run id
extern KeptStatement record_run;
// (run id, tenant, node rows jsonb, attempt)
extern KeptStatement record_run_nodes;
// (tenant, cutoff, batch size) -> deleted rows; and every tenant's
extern KeptStatement purge_tenant_batch;
extern KeptStatement purge_all_batch;

// --- the queue API (owner)
// (tenant, idempotency key) -> run id
extern KeptStatement find_idempotent_run;
// (workflow id, version, revision, tenant, priority, run_at, key, role
//  name, role oid, input) -> run id, or no row when the key was taken
extern KeptStatement enqueue_run;
// (run id, tenant) -> status after the cancel
extern KeptStatement cancel_run;
// (run id, tenant) -> status, run_by_role, workflow_revision
extern KeptStatement run_of_tenant;
// (run ids, tenant, role oid, markers bytea) -> run ids re-queued
extern KeptStatement retry_runs;
// (tenant, workflow name, role oid, since, status) -> run ids
extern KeptStatement runs_to_retry;
// (source run id, tenant, role oid, revision, input or NULL, markers) -> new run id
extern KeptStatement fork_run;
// (run id) -> status, result, error message, xmin (caller: thaiyyal.wait)
extern KeptStatement run_state;

// --- pictures of runs (caller: row-level security shows only the current
// tenant's runs)
// (run id) -> status, workflow_revision, ms from start to finish, error
// message, workflow name, workflow version
extern KeptStatement run_for_picture;
// (run id) -> node_id, status, duration_us, error, in execution order
extern KeptStatement run_node_states;
// (revision) -> definition
extern KeptStatement definition_of_revision;

// --- background workers (worker)
// () -> the installed extension version
extern KeptStatement installed_version;
// (last served tenant hash, per-tenant cap) -> tenant, running; tenants
// with due runs, in the order the claim tries them
extern KeptStatement claim_candidates;
// (worker pid, lease ms, tenant) -> id, tenant, run_by_role, attempts,
// workflow_revision, attempts_base
extern KeptStatement claim_in_tenant;
// (tenant) -> its running runs
extern KeptStatement running_in_tenant;
// (run id, worker pid, lease ms): the lease from now, once the run's own
// limits are known
extern KeptStatement renew_lease;
// () -> ms until the next delayed run is due
extern KeptStatement next_due;
// (run id) -> workflow version, input, role exists, role is superuser,
// workflow name, tableoid of thaiyyal.workflows
extern KeptStatement load_run;
// (run id, status, error code, version, worker pid, result, retry ms, error)
extern KeptStatement finish_run;
// (run id) -> entries bytea, in order
extern KeptStatement load_checkpoints;
// (run id, worker pid, entries bytea) -> seq; no row when the claim was lost
extern KeptStatement write_checkpoint;
extern KeptStatement write_final_checkpoint;
// (max attempts, retry delay ms, retry max delay ms) -> run id: runs whose
// worker is gone, back to queued or parked
extern KeptStatement recover_orphaned_runs;
// (grace ms) -> run id, worker pid, overdue: running runs whose lease
// expired while their worker still executes them
extern KeptStatement overdue_runs;

}  // namespace thaiyyal::pg::catalog_sql
