// The queue operations of a background worker, each its own short
// transaction (worker_transaction.hpp):
//
//   finish_and_claim_next
//                       the end of the run executed last, and
//                       queued -> running (attempts + 1, worker pid, lease):
//                       tenants with due runs, fewest running first, then
//                       round-robin (thaiyyal.tenant_max_running caps
//                       them); within a tenant FOR UPDATE SKIP LOCKED
//                       through runs_queue_idx by priority, then run_at
//   execute_claimed_run load the pinned revision's plan (plan cache),
//                       execute it outside any transaction as the run's role
//                       with that role's settings; its status, result or
//                       error and node rows are written by the next
//                       finish_and_claim_next
//   recover_runs        running runs whose worker is gone: back to queued
//                       (after a back-off) with the attempt counted, or
//                       parked as failed / cancelled; running runs whose
//                       lease expired while their worker lives: that worker
//                       is told to stop (and terminated if it does not)
#pragma once

#include <cstdint>
#include <memory>
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
  // What the claim's transaction loaded for it (queued_runs.cpp).
  std::shared_ptr<struct LoadedRun> loaded;
};

// How long after a stop for an expired lease a worker that still executes
// the run is terminated.
constexpr long kOverdueGraceMs = 30000;

// A run the worker executed whose end is not written yet (queued_runs.cpp).
struct ExecutedRun;
struct ExecutedRunDeleter {
  void operator()(ExecutedRun* executed) const noexcept;
};
using ExecutedRunPtr = std::unique_ptr<ExecutedRun, ExecutedRunDeleter>;

// In one transaction, committed synchronously: writes the end of `executed`
// (when given; then thaiyyal.wait() is woken), and claims the next run. True
// with `run` filled when a run was claimed (the claim is committed and the
// worker's slot names the run). Otherwise `wait_ms` is how long until the
// next delayed run is due (or -1 when none is queued). One commit per run
// instead of two: with fsync on, the WAL flush is what a small run costs.
bool finish_and_claim_next(int slot, ExecutedRunPtr executed, ClaimedRun& run, long& wait_ms);

// Loads and executes a claimed run; its end is written by the next
// finish_and_claim_next (or finish_executed_run). Errors of the bookkeeping
// itself propagate (PgError / SqlError); the lease then brings the run back.
ExecutedRunPtr execute_claimed_run(int slot, const ClaimedRun& run);

// Writes the end of `executed` in a transaction of its own (the worker is
// about to stop).
void finish_executed_run(int slot, ExecutedRunPtr executed);

// Crash recovery; returns the number of runs it moved.
std::int64_t recover_runs();

// The version of the extension installed in this database, "" when it is
// not (checked in its own transaction).
std::string installed_version_in_worker();

}  // namespace thaiyyal::pg
