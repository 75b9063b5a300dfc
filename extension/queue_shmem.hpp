// Shared memory of the background workers (present only when thaiyyal is in
// shared_preload_libraries): one slot per worker with its pid, latch and
// the run it is executing, the launcher's latch, the condition variable
// thaiyyal.wait() sleeps on, and the "database is being dropped" flag.
//
// Everything here is plain C on PostgreSQL primitives; callers use it from
// C++ inside pg_call or from C callbacks.
#pragma once

#include <cstdint>

#include "pg_includes.hpp"

extern "C" {
#include "storage/condition_variable.h"
#include "storage/spin.h"
}

namespace thaiyyal::pg {

// Upper bound of thaiyyal.workers (shared memory is sized from the setting).
constexpr int kMaxWorkers = 64;

struct WorkerSlot {
  pid_t pid;              // 0 = free
  Latch* latch;           // the worker's process latch
  std::int64_t run_id;    // the run it executes, 0 when idle
  bool cancel_requested;  // thaiyyal.cancel() of that run
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
// The run a worker executes (0 = idle); clears its cancel flag.
void set_slot_run(int index, std::int64_t run_id) noexcept;
// Whether the current run of slot `index` was cancelled.
bool slot_cancel_requested(int index) noexcept;

// Sets the latch of every worker that is idle (or of all workers with
// `all`): something was queued.
void wake_workers() noexcept;
// Flags the worker executing `run_id` (if any) and sets its latch; true
// when a worker had it.
bool signal_cancel(std::int64_t run_id) noexcept;
// Whether `pid` is a live thaiyyal worker (a slot holds it).
bool is_live_worker(pid_t pid) noexcept;
// Wakes every thaiyyal.wait() sleeper.
void broadcast_run_finished() noexcept;

}  // namespace thaiyyal::pg
