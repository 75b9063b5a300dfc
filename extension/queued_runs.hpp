// The queue operations of a background worker, each its own short
// transaction (worker_transaction.hpp):
//
//   claim_next_run      queued -> running (attempts + 1, worker pid, lease),
//                       FOR UPDATE SKIP LOCKED through runs_queue_idx in
//                       priority order, then oldest run_at first
//   execute_claimed_run load the plan (plan cache), execute outside any
//                       transaction as the run's role, then write status,
//                       result or error and node rows in one transaction
//   recover_runs        running runs whose lease expired or whose worker is
//                       gone: back to queued (after a back-off) with the
//                       attempt counted, or parked as failed / cancelled
#pragma once

#include <cstdint>
#include <string>

#include "pg_guard.hpp"

namespace thaiyyal::pg {

struct ClaimedRun {
  std::int64_t id = 0;
  std::int64_t workflow_id = 0;
  std::string tenant;
  Oid role = InvalidOid;
  int attempts = 0;
};

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

// Whether the extension is installed in this database (checked in its own
// transaction).
bool extension_installed();

}  // namespace thaiyyal::pg
