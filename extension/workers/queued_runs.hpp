// The queue operations of a background worker, each its own short
// transaction (worker_transaction.hpp):
//
//   claim_next_run      queued -> running (attempts + 1, worker pid, lease):
//                       tenants with due runs, fewest running first, then
//                       round-robin (thaiyyal.tenant_max_running caps
//                       them); within a tenant FOR UPDATE SKIP LOCKED
//                       through runs_queue_idx by priority, then run_at
//   execute_claimed_run load the pinned revision's plan (plan cache),
//                       execute it outside any transaction as the run's role
//                       with that role's settings, then write status,
//                       result or error and node rows in one transaction
//   recover_runs        running runs whose worker is gone: back to queued
//                       (after a back-off) with the attempt counted, or
//                       parked as failed / cancelled; running runs whose
//                       lease expired while their worker lives: that worker
//                       is told to stop (and terminated if it does not)
#pragma once

#include <cstdint>
#include <string>

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

struct ClaimedRun {
  std::int64_t id = 0;
  std::int64_t revision = 0;  // thaiyyal.workflow_versions: what the run executes
  std::string tenant;
  Oid role = InvalidOid;
  int attempts = 0;       // every attempt so far, this one included
  int attempts_base = 0;  // attempts before the last thaiyyal.retry
};

// How long after a stop for an expired lease a worker that still executes
// the run is terminated.
constexpr long kOverdueGraceMs = 30000;

// True with `run` filled when a run was claimed (the claim is committed and
// the worker's slot names the run). Otherwise `wait_ms` is how long until
// the next delayed run is due (or -1 when none is queued).
bool claim_next_run(int slot, ClaimedRun& run, long& wait_ms);

// Executes a claimed run to its end and records the outcome. Errors of the
// bookkeeping itself propagate (PgError / SqlError); the lease then brings
// the run back.
void execute_claimed_run(int slot, const ClaimedRun& run);

// Crash recovery; returns the number of runs it moved.
std::int64_t recover_runs();

// The version of the extension installed in this database, "" when it is
// not (checked in its own transaction).
std::string installed_version_in_worker();

}  // namespace thaiyyal::pg
