// The queue operations of a background worker, each its own short
// transaction (worker_transaction.hpp):
//
//   finish_and_claim_next
//                       the ends of the runs executed last, and
//                       queued -> running (attempts + 1, worker pid, lease)
//                       for a batch of up to thaiyyal.worker_batch runs:
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
#include <vector>

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

struct ClaimedRun {
  std::int64_t id = 0;
  std::int64_t revision = 0;  // thaiyyal.workflow_versions: what the run executes
  std::string tenant;
  Oid role = InvalidOid;
  int attempts = 0;       // every attempt so far, this one included
  int attempts_base = 0;  // attempts before the last thaiyyal.retry
  double leased_ms = 0;   // the lease its claim gave it (from the claim)
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

// In one transaction, committed synchronously: writes the ends of
// `executed` (then thaiyyal.wait() is woken), and claims the next batch of
// up to `max_batch` runs (at most thaiyyal.worker_batch). True with `runs` filled, in the order to
// execute them, when runs were claimed (the claim is committed and the
// worker's slot holds them). Otherwise `wait_ms` is how long until the next
// delayed run is due (or -1 when none is queued). One synchronous commit per
// batch: with fsync on, the WAL flush is what a small run costs.
bool finish_and_claim_next(int slot, std::vector<ExecutedRunPtr> executed, int max_batch,
                           std::vector<ClaimedRun>& runs, long& wait_ms);

// Executes a claimed run (loaded by its claim); its end is written by the
// next finish_and_claim_next (or finish_executed_runs). Errors of the
// bookkeeping itself propagate (PgError / SqlError); recovery then brings
// back the runs the worker no longer holds.
ExecutedRunPtr execute_claimed_run(int slot, const ClaimedRun& run);

// Writes the ends of `executed` in a transaction of their own; afterwards
// the worker holds no run (it is about to stop, or recovers from an error:
// the unexecuted rest of its batch goes back through recovery).
void finish_executed_runs(int slot, std::vector<ExecutedRunPtr> executed);

// Crash recovery; returns the number of runs it moved.
std::int64_t recover_runs();

// The version of the extension installed in this database, "" when it is
// not (checked in its own transaction).
std::string installed_version_in_worker();

}  // namespace thaiyyal::pg
