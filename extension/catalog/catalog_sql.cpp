// The catalog's SQL (see catalog_sql.hpp).
#include "extension/catalog/catalog_sql.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg::catalog_sql {

// ------------------------------------------------------------------ tenancy

KeptStatement require_tenant("SELECT thaiyyal.require_tenant()", {});

KeptStatement may_act_for("SELECT thaiyyal.may_act_for($1)", {TEXTOID});

// --------------------------------------------------------- stored workflows

KeptStatement lookup_workflow(
    "SELECT w.id, w.version, w.revision, w.tableoid FROM thaiyyal.workflows w"
    " WHERE w.tenant = $1 AND w.name = $2",
    {TEXTOID, TEXTOID});

KeptStatement lookup_version(
    "SELECT v.revision FROM thaiyyal.workflow_versions v"
    " WHERE v.workflow_id = $1 AND v.version = $2",
    {INT8OID, INT4OID});

KeptStatement fetch_revision(
    "SELECT v.workflow_id, v.version, v.definition FROM thaiyyal.workflow_versions v"
    " WHERE v.revision = $1",
    {INT8OID});

// The definition's CHECK constraint validates it (22023); the triggers
// bump the version and keep the new version row.
KeptStatement save_workflow(
    "INSERT INTO thaiyyal.workflows AS w (tenant, name, definition, created_by, updated_by)"
    " VALUES ($1, $2, $3, $4, $4)"
    " ON CONFLICT ON CONSTRAINT workflows_tenant_name_key"
    " DO UPDATE SET definition = EXCLUDED.definition, updated_by = EXCLUDED.updated_by"
    " RETURNING w.id",
    {TEXTOID, TEXTOID, JSONBOID, TEXTOID});

KeptStatement drop_workflow("DELETE FROM thaiyyal.workflows w WHERE w.tenant = $1 AND w.name = $2",
                            {TEXTOID, TEXTOID});

// -------------------------------------------------------------- run history

KeptStatement record_run(
    "WITH run AS ("
    " INSERT INTO thaiyyal.runs (workflow_id, workflow_version, workflow_revision, tenant, status,"
    "  attempts, run_by, run_by_role, created_at, run_at, started_at, finished_at)"
    " VALUES ($1, $2, $3, $4, 'succeeded', 1, $5, $6, $7, $7, $7, $8)"
    " RETURNING id, tenant),"
    " payload AS ("
    " INSERT INTO thaiyyal.run_payloads (run_id, tenant, input, result)"
    " SELECT run.id, run.tenant, $9, $10 FROM run)"
    " SELECT id FROM run",
    {INT8OID, INT4OID, INT8OID, TEXTOID, TEXTOID, OIDOID, TIMESTAMPTZOID, TIMESTAMPTZOID, JSONBOID,
     JSONBOID});

// The rows of a later attempt of a queued run follow those of the earlier
// ones (seq goes on).
KeptStatement record_run_nodes(
    "INSERT INTO thaiyyal.run_nodes (run_id, seq, tenant, node_id, node_type, status,"
    " duration_us, output, error, attempt)"
    " SELECT $1, n.seq + coalesce((SELECT pg_catalog.max(x.seq) FROM thaiyyal.run_nodes x"
    "  WHERE x.run_id = $1), 0), $2, n.node_id, n.node_type, n.status, n.duration_us,"
    "  n.output, n.error, $4"
    " FROM pg_catalog.jsonb_to_recordset($3) AS n(seq integer, node_id text, node_type text,"
    "  status text, duration_us bigint, output jsonb, error text)",
    {INT8OID, TEXTOID, JSONBOID, INT4OID});

KeptStatement purge_tenant_batch(
    "DELETE FROM thaiyyal.runs"
    " WHERE id = ANY (ARRAY(SELECT r.id FROM thaiyyal.runs r"
    "  WHERE r.tenant = $1 AND r.finished_at < $2"
    "  ORDER BY r.finished_at LIMIT $3 FOR UPDATE SKIP LOCKED))",
    {TEXTOID, TIMESTAMPTZOID, INT4OID});

KeptStatement purge_all_batch(
    "DELETE FROM thaiyyal.runs"
    " WHERE id = ANY (ARRAY(SELECT r.id FROM thaiyyal.runs r"
    "  WHERE r.finished_at < $1"
    "  ORDER BY r.finished_at LIMIT $2 FOR UPDATE SKIP LOCKED))",
    {TIMESTAMPTZOID, INT4OID});

// ------------------------------------------------------------ the queue API

KeptStatement find_idempotent_run(
    "SELECT r.id FROM thaiyyal.runs r WHERE r.tenant = $1 AND r.idempotency_key = $2",
    {TEXTOID, TEXTOID});

KeptStatement enqueue_run(
    "WITH run AS ("
    " INSERT INTO thaiyyal.runs AS r (workflow_id, workflow_version, workflow_revision, tenant,"
    "  status, priority, run_at, idempotency_key, run_by, run_by_role)"
    " VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9)"
    " ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
    " RETURNING r.id, r.tenant),"
    " payload AS ("
    " INSERT INTO thaiyyal.run_payloads (run_id, tenant, input)"
    " SELECT run.id, run.tenant, $10 FROM run)"
    " SELECT id FROM run",
    {INT8OID, INT4OID, INT8OID, TEXTOID, INT4OID, TIMESTAMPTZOID, TEXTOID, TEXTOID, OIDOID,
     JSONBOID});

KeptStatement cancel_run(
    "UPDATE thaiyyal.runs r"
    " SET status = CASE WHEN r.status = 'queued' THEN 'cancelled' ELSE r.status END,"
    "  finished_at = CASE WHEN r.status = 'queued' THEN pg_catalog.now() ELSE r.finished_at END,"
    "  cancel_requested = true"
    " WHERE r.id = $1 AND r.tenant = $2 AND r.status IN ('queued', 'running')"
    " RETURNING r.status",
    {INT8OID, TEXTOID});

KeptStatement run_of_tenant(
    "SELECT r.status, r.run_by_role, r.workflow_revision FROM thaiyyal.runs r"
    " WHERE r.id = $1 AND r.tenant = $2",
    {INT8OID, TEXTOID});

// Runs queued again (retry, retry_runs): the result and error of the
// earlier attempts go, their node rows and checkpoints stay, and the markers
// ($4: cut markers and lenient, engine/run/journal.hpp) are appended to the
// checkpoints. Attempts go on counting; max_attempts counts from here.
KeptStatement retry_runs(
    "WITH run AS ("
    " UPDATE thaiyyal.runs r SET status = 'queued', attempts_base = r.attempts,"
    "  run_at = pg_catalog.now(), started_at = NULL, finished_at = NULL, error_code = NULL,"
    "  cancel_requested = false, worker_pid = NULL, lease_expires_at = NULL"
    " WHERE r.id = ANY ($1) AND r.tenant = $2 AND r.run_by_role = $3"
    "  AND r.status IN ('failed', 'cancelled') AND r.workflow_revision IS NOT NULL"
    " RETURNING r.id, r.tenant, r.attempts),"
    " payload AS ("
    " UPDATE thaiyyal.run_payloads p SET result = NULL, error = NULL FROM run"
    " WHERE p.run_id = run.id),"
    " marks AS ("
    " INSERT INTO thaiyyal.run_checkpoints (run_id, seq, tenant, attempt, entries)"
    " SELECT run.id, coalesce((SELECT pg_catalog.max(c.seq) FROM thaiyyal.run_checkpoints c"
    "  WHERE c.run_id = run.id), 0) + 1, run.tenant, run.attempts, $4 FROM run)"
    " SELECT id FROM run",
    {INT8ARRAYOID, TEXTOID, OIDOID, BYTEAOID});

// Failed or cancelled runs of a workflow of the tenant, queued by the role,
// finished since $4 with status $5.
KeptStatement runs_to_retry(
    "SELECT r.id FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id"
    " WHERE w.tenant = $1 AND w.name = $2 AND r.tenant = $1 AND r.run_by_role = $3"
    "  AND r.finished_at >= $4 AND r.status = $5 AND r.workflow_revision IS NOT NULL"
    " ORDER BY r.id",
    {TEXTOID, TEXTOID, OIDOID, TIMESTAMPTZOID, TEXTOID});

// A new queued run of the source run's workflow ($4: the revision; $5:
// input, NULL = the source's), with the source's checkpoints and then the
// markers ($6).
KeptStatement fork_run(
    "WITH source AS ("
    " SELECT r.id, r.tenant, r.priority, r.run_by, r.run_by_role, r.workflow_id, p.input"
    " FROM thaiyyal.runs r LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id"
    " WHERE r.id = $1 AND r.tenant = $2 AND r.run_by_role = $3),"
    " target AS ("
    " SELECT v.version FROM thaiyyal.workflow_versions v, source"
    " WHERE v.revision = $4 AND v.workflow_id = source.workflow_id),"
    " run AS ("
    " INSERT INTO thaiyyal.runs AS r (workflow_id, workflow_version, workflow_revision, tenant,"
    "  status, priority, run_by, run_by_role)"
    " SELECT source.workflow_id, target.version, $4, source.tenant, 'queued', source.priority,"
    "  source.run_by, source.run_by_role FROM source, target"
    " RETURNING r.id, r.tenant),"
    " payload AS ("
    " INSERT INTO thaiyyal.run_payloads (run_id, tenant, input)"
    " SELECT run.id, run.tenant, CASE WHEN $5::jsonb IS NULL THEN source.input ELSE $5 END"
    " FROM run, source),"
    " copied AS ("
    " INSERT INTO thaiyyal.run_checkpoints (run_id, seq, tenant, attempt, entries)"
    " SELECT run.id, c.seq, run.tenant, 0, c.entries"
    " FROM run, thaiyyal.run_checkpoints c WHERE c.run_id = $1),"
    " marks AS ("
    " INSERT INTO thaiyyal.run_checkpoints (run_id, seq, tenant, attempt, entries)"
    " SELECT run.id, coalesce((SELECT pg_catalog.max(c.seq) FROM thaiyyal.run_checkpoints c"
    "  WHERE c.run_id = $1), 0) + 1, run.tenant, 0, $6 FROM run)"
    " SELECT id FROM run",
    {INT8OID, TEXTOID, OIDOID, INT8OID, JSONBOID, BYTEAOID});

KeptStatement run_state(
    "SELECT r.status, p.result, p.error ->> 'message', r.xmin"
    " FROM thaiyyal.runs r LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id"
    " WHERE r.id = $1",
    {INT8OID});

// -------------------------------------------------------- pictures of runs

KeptStatement run_for_picture(
    "SELECT r.status, r.workflow_revision,"
    " (extract(epoch FROM r.finished_at - r.started_at) * 1000)::float8,"
    " p.error ->> 'message', w.name, r.workflow_version"
    " FROM thaiyyal.runs r"
    " LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id"
    " LEFT JOIN thaiyyal.workflows w ON w.id = r.workflow_id"
    " WHERE r.id = $1",
    {INT8OID});

KeptStatement run_node_states(
    "SELECT n.node_id, n.status, n.duration_us, n.error FROM thaiyyal.run_nodes n"
    " WHERE n.run_id = $1 ORDER BY n.seq",
    {INT8OID});

KeptStatement definition_of_revision(
    "SELECT v.definition FROM thaiyyal.workflow_versions v WHERE v.revision = $1", {INT8OID});

// ------------------------------------------------------- background workers

KeptStatement installed_version(
    "SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'thaiyyal'", {});

// Tenants with queued runs, found by a skip scan of runs_queue_idx (one
// index probe per tenant, whatever the backlog), that have a due run and
// are under the per-tenant cap ($2, 0 = none). Fewest running runs first;
// ties go round-robin: the first tenant whose hash follows the last
// served one ($1).
KeptStatement claim_candidates(
    "WITH RECURSIVE queued(tenant) AS ("
    " (SELECT r.tenant FROM thaiyyal.runs r WHERE r.status = 'queued'"
    "  ORDER BY r.tenant LIMIT 1)"
    " UNION ALL"
    " SELECT (SELECT r.tenant FROM thaiyyal.runs r"
    "  WHERE r.status = 'queued' AND r.tenant > q.tenant ORDER BY r.tenant LIMIT 1)"
    " FROM queued q WHERE q.tenant IS NOT NULL),"
    " candidates AS ("
    " SELECT q.tenant, (SELECT pg_catalog.count(*) FROM thaiyyal.runs r"
    "  WHERE r.tenant = q.tenant AND r.status = 'running') AS running"
    " FROM queued q WHERE q.tenant IS NOT NULL"
    "  AND EXISTS (SELECT FROM thaiyyal.runs r WHERE r.tenant = q.tenant"
    "   AND r.status = 'queued' AND r.run_at <= pg_catalog.now()))"
    " SELECT c.tenant, c.running FROM candidates c"
    " WHERE $2 = 0 OR c.running < $2"
    " ORDER BY c.running, pg_catalog.hashtext(c.tenant COLLATE \"C\") <= $1,"
    "  pg_catalog.hashtext(c.tenant COLLATE \"C\")",
    {INT4OID, INT8OID});

// Up to $4 runs at the head of tenant $3's queue. A worker executes them
// one after the other, so each is leased for the whole batch ($2 per run);
// load_run then renews each lease with the role's own limit.
KeptStatement claim_in_tenant(
    "WITH next AS ("
    " SELECT r.id FROM thaiyyal.runs r"
    " WHERE r.tenant = $3 AND r.status = 'queued' AND r.run_at <= pg_catalog.now()"
    " ORDER BY r.priority DESC, r.run_at, r.id"
    " LIMIT $4 FOR UPDATE SKIP LOCKED)"
    " UPDATE thaiyyal.runs r"
    " SET status = 'running', attempts = r.attempts + 1, worker_pid = $1,"
    "  started_at = pg_catalog.now(), finished_at = NULL,"
    "  lease_expires_at = pg_catalog.now()"
    "   + $2 * (SELECT pg_catalog.count(*) FROM next) * interval '1 millisecond'"
    " FROM next WHERE r.id = next.id"
    " RETURNING r.id, r.tenant, r.run_by_role, r.attempts, r.workflow_revision, r.attempts_base,"
    "  r.priority, r.run_at",
    {INT4OID, FLOAT8OID, TEXTOID, INT4OID});

KeptStatement running_in_tenant(
    "SELECT pg_catalog.count(*) FROM thaiyyal.runs r WHERE r.tenant = $1 AND r.status = 'running'",
    {TEXTOID});

KeptStatement renew_lease(
    "UPDATE thaiyyal.runs r"
    " SET lease_expires_at = pg_catalog.now() + $3 * interval '1 millisecond'"
    " WHERE r.id = $1 AND r.status = 'running' AND r.worker_pid = $2",
    {INT8OID, INT4OID, FLOAT8OID});

KeptStatement next_due(
    "SELECT extract(epoch FROM pg_catalog.min(r.run_at) - pg_catalog.clock_timestamp())"
    "::float8 * 1000 FROM thaiyyal.runs r WHERE r.status = 'queued'",
    {});

KeptStatement load_run(
    "SELECT v.version, p.input, ro.rolname IS NOT NULL, coalesce(ro.rolsuper, false), w.name,"
    " w.tableoid"
    " FROM thaiyyal.runs r"
    " JOIN thaiyyal.workflow_versions v ON v.revision = r.workflow_revision"
    " JOIN thaiyyal.workflows w ON w.id = v.workflow_id"
    " LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id"
    " LEFT JOIN pg_catalog.pg_roles ro ON ro.oid = r.run_by_role"
    " WHERE r.id = $1",
    {INT8OID});

// Only the worker that holds the claim may finish the run: after a
// recovery took it back, the write finds no row and the outcome is
// discarded.
KeptStatement finish_run(
    "WITH run AS ("
    " UPDATE thaiyyal.runs r"
    " SET status = $2,"
    "  finished_at = CASE WHEN $2 = 'queued' THEN NULL ELSE pg_catalog.now() END,"
    "  error_code = $3, worker_pid = NULL, lease_expires_at = NULL,"
    "  run_at = CASE WHEN $6 IS NULL THEN r.run_at"
    "   ELSE pg_catalog.now() + $6 * interval '1 millisecond' END"
    " WHERE r.id = $1 AND r.status = 'running' AND r.worker_pid = $4"
    " RETURNING r.id, r.tenant)"
    " INSERT INTO thaiyyal.run_payloads AS p (run_id, tenant, result, error)"
    " SELECT run.id, run.tenant, $5, $7 FROM run"
    " ON CONFLICT (run_id) DO UPDATE SET result = EXCLUDED.result, error = EXCLUDED.error"
    " RETURNING p.run_id",
    {INT8OID, TEXTOID, TEXTOID, INT4OID, JSONBOID, FLOAT8OID, JSONBOID});

// The checkpoints of a run, in the order they were written.
KeptStatement load_checkpoints(
    "SELECT c.entries FROM thaiyyal.run_checkpoints c WHERE c.run_id = $1 ORDER BY c.seq",
    {INT8OID});

// Appends a checkpoint of the attempt the worker ($2) holds; no row when
// the claim was lost (a recovery took the run back). FOR SHARE: a recovery
// cannot take the run back while the checkpoint's transaction is open.
KeptStatement write_checkpoint(
    "INSERT INTO thaiyyal.run_checkpoints (run_id, seq, tenant, attempt, entries)"
    " SELECT r.id, coalesce((SELECT pg_catalog.max(c.seq) FROM thaiyyal.run_checkpoints c"
    "  WHERE c.run_id = r.id), 0) + 1, r.tenant, r.attempts, $3"
    " FROM thaiyyal.runs r"
    " WHERE r.id = $1 AND r.status = 'running' AND r.worker_pid = $2"
    " FOR SHARE OF r"
    " RETURNING seq",
    {INT8OID, INT4OID, BYTEAOID});

// The checkpoint written with a run's end (write_run_end), after finish_run
// in the same transaction: that UPDATE was the fence and holds the row.
// Not FOR SHARE before the UPDATE: a row locked and then updated by one
// transaction gets a MultiXact as its xmax, and index scans can never mark
// such dead rows as dead -- every claim then re-examined every run drained
// before it (GetMultiXactIdMembers was a fifth of a worker's time).
KeptStatement write_final_checkpoint(
    "INSERT INTO thaiyyal.run_checkpoints (run_id, seq, tenant, attempt, entries)"
    " SELECT r.id, coalesce((SELECT pg_catalog.max(c.seq) FROM thaiyyal.run_checkpoints c"
    "  WHERE c.run_id = r.id), 0) + 1, r.tenant, r.attempts, $2"
    " FROM thaiyyal.runs r WHERE r.id = $1"
    " RETURNING seq",
    {INT8OID, BYTEAOID});

// A run is taken back only when no live worker executes it: its worker
// crashed, was terminated, or the server restarted. (A live worker whose
// lease expired is stopped instead: overdue_runs.)
KeptStatement recover_orphaned_runs(
    "WITH stale AS ("
    " SELECT r.id FROM thaiyyal.runs r"
    " WHERE r.status = 'running'"
    "  AND (r.worker_pid IS NULL OR NOT thaiyyal._worker_executing(r.worker_pid, r.id))"
    " FOR UPDATE SKIP LOCKED),"
    " moved AS ("
    " UPDATE thaiyyal.runs r SET"
    "  status = CASE WHEN r.cancel_requested THEN 'cancelled'"
    "   WHEN r.attempts - r.attempts_base >= $1 THEN 'failed' ELSE 'queued' END,"
    "  finished_at = CASE WHEN r.cancel_requested OR r.attempts - r.attempts_base >= $1"
    "   THEN pg_catalog.now() END,"
    "  error_code = CASE WHEN r.cancel_requested THEN NULL ELSE 'TH003' END,"
    "  run_at = pg_catalog.now() + LEAST($3, $2 * pg_catalog.power(2,"
    "   GREATEST(r.attempts - r.attempts_base - 1, 0))) * (0.75 + 0.5 * pg_catalog.random())"
    "   * interval '1 millisecond',"
    "  worker_pid = NULL, lease_expires_at = NULL"
    " FROM stale WHERE r.id = stale.id"
    " RETURNING r.id, r.tenant, r.attempts - r.attempts_base AS attempts)"
    " INSERT INTO thaiyyal.run_payloads AS p (run_id, tenant, error)"
    " SELECT m.id, m.tenant, pg_catalog.jsonb_build_object('code', 'TH003', 'message',"
    "  pg_catalog.format('the worker executing attempt %s of %s stopped"
    " (crash, termination or server restart)', m.attempts, $1))"
    " FROM moved m"
    " ON CONFLICT (run_id) DO UPDATE SET error = EXCLUDED.error"
    " RETURNING p.run_id",
    {INT4OID, FLOAT8OID, FLOAT8OID});

KeptStatement overdue_runs(
    "SELECT r.id, r.worker_pid,"
    " r.lease_expires_at < pg_catalog.now() - $1 * interval '1 millisecond'"
    " FROM thaiyyal.runs r"
    " WHERE r.status = 'running' AND r.lease_expires_at < pg_catalog.now()"
    "  AND r.worker_pid IS NOT NULL AND thaiyyal._worker_executing(r.worker_pid, r.id)",
    {FLOAT8OID});

}  // namespace thaiyyal::pg::catalog_sql
