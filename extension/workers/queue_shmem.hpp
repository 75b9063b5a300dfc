// Shared memory of the background workers (present only when thaiyyal is in
// shared_preload_libraries): one slot per worker with its pid, latch and
// the run it is executing, the launcher's latch, the condition variable
// thaiyyal.wait() sleeps on, and the "database is being dropped" flag.
//
// Everything here is plain C on PostgreSQL primitives; callers use it from
// C++ inside pg_call or from C callbacks.
#pragma once

#include <cstdint>

#include "extension/boundary/pg_includes.hpp"

extern "C" {
#include "storage/condition_variable.h"
#include "storage/spin.h"
}

namespace thaiyyal::pg {

// Upper bound of thaiyyal.workers (shared memory is sized from the setting).
constexpr int kMaxWorkers = 64;
// Upper bound of thaiyyal.worker_batch: runs a worker claims in one
// transaction (and whose ends it writes in one).
constexpr int kMaxBatch = 64;

// Why a worker must stop the run it executes.
enum class StopReason : std::uint8_t {
  None,
  Cancel,  // thaiyyal.cancel()
  Lease,   // the run outlived its lease (thaiyyal.run_lease)
};

struct WorkerSlot {
  pid_t pid;            // 0 = free
  Latch* latch;         // the worker's process latch
  std::int64_t run_id;  // the run it executes now, 0 when none
  StopReason stop;      // set for that run by a cancel or an expired lease
  // Every run the worker holds: claimed (running in thaiyyal.runs) and its
  // end not committed yet -- the batch it executes and, until the next
  // claim commits, the runs it executed. Recovery never takes these back.
  int held_count;
  std::int64_t held[2 * kMaxBatch];
  // A stop asked for a held run before it started; it becomes `stop` when
  // the run starts.
  StopReason held_stop[2 * kMaxBatch];
  // Under thaiyyal.tenant_max_running: the tenant (hashtext) this worker is
  // claiming a run of, until its claim has committed.
  bool claiming;
  std::int32_t claiming_hash;
};

struct QueueShared {
  slock_t mutex;  // protects everything below except the condition variable
  pid_t launcher_pid;
  Latch* launcher_latch;
  // DROP DATABASE of thaiyyal.database in progress (utility hook): the
  // launcher stops the workers and starts none until it is over.
  bool database_dropping;
  // Set by the launcher when a worker is gone: the next worker to look runs
  // crash recovery at once instead of at its next poll.
  bool recovery_requested;
  // Bumped by every launcher start; workers of an older launcher exit.
  std::uint64_t launcher_generation;
  int slot_count;
  // hashtext() of the tenant the last claim served: the claim goes
  // round-robin between tenants from there.
  std::int32_t last_tenant_hash;
  // Broadcast whenever a run reaches a final status (thaiyyal.wait).
  ConditionVariable run_finished;
  WorkerSlot slots[kMaxWorkers];
};

// nullptr when the library was not preloaded (no shared memory).
QueueShared* queue_shared() noexcept;

// _PG_init while preloading: request the memory and install the startup
// hook that creates it.
void install_queue_shmem_hooks() noexcept;

// A worker takes slot `index` / leaves it (on exit).
void claim_worker_slot(int index) noexcept;
void release_worker_slot(int index) noexcept;
// The run a worker executes now (0 = none); its stop reason is what was
// asked for it while it was held.
void set_slot_run(int index, std::int64_t run_id) noexcept;
// The runs a worker holds (see WorkerSlot::held): add one, or forget all.
// Adding happens before the claim commits, so a cancel that sees the run
// running always finds the worker.
void hold_slot_run(int index, std::int64_t run_id) noexcept;
// Keeps only these held runs (at once: none of them is ever unheld in
// between).
void keep_slot_runs(int index, const std::int64_t* run_ids, int count) noexcept;
void release_slot_runs(int index) noexcept;
// Why the current run of slot `index` must stop (None: it need not).
StopReason slot_stop_reason(int index) noexcept;

// Sets the latch of every worker that is idle (or of all workers with
// `all`): something was queued.
void wake_workers() noexcept;
// Tells the worker executing `run_id` (if any) to stop it: the reason in
// its slot, its latch set (waits and node boundaries see it), and SIGINT,
// which cancels the SQL statement it may be executing (the worker only
// lets SIGINT through while a SQL node runs: worker_signals.hpp). True
// when a worker had the run.
bool signal_stop(std::int64_t run_id, StopReason reason) noexcept;
// Whether `pid` is a live thaiyyal worker holding (executing, about to
// execute, or finishing) `run_id`.
bool worker_executes(pid_t pid, std::int64_t run_id) noexcept;
// With a per-tenant cap, two workers must not count a tenant's running
// runs at the same time (both would see room for one more): a worker
// claims for a tenant only while no other worker does. False when another
// worker is claiming for a tenant with the same hash.
bool begin_tenant_claim(int index, std::int32_t tenant_hash) noexcept;
void end_tenant_claim(int index) noexcept;
// The round-robin cursor of the claim.
std::int32_t last_tenant_hash() noexcept;
void set_last_tenant_hash(std::int32_t hash) noexcept;
// Wakes every thaiyyal.wait() sleeper.
void broadcast_run_finished() noexcept;

}  // namespace thaiyyal::pg
