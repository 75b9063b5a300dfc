// The background worker processes (see docs/WORKERS.md).
//
// Launcher: one static background worker (registered in _PG_init when the
// library is preloaded). It connects to no database (shared catalogs
// only), so it never blocks DROP DATABASE. While thaiyyal.database exists
// and is not being dropped it keeps thaiyyal.workers dynamic workers
// running, restarting one that exited no sooner than kRestartDelayMs after
// its previous start (no crash loops), and asks the workers for a recovery
// pass whenever one of them is gone.
//
// Worker: connects to thaiyyal.database as the bootstrap superuser, takes
// its slot in shared memory, and loops: recovery when due, claim a run,
// execute it, and when the queue is empty sleep on its latch until an
// enqueuing transaction commits (commit_actions.cpp sets the latch), the next
// delayed run is due, or thaiyyal.poll_interval passes.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "extension/catalog/catalog_version.hpp"
#include "extension/workers/queue_shmem.hpp"
#include "extension/workers/queued_runs.hpp"
#include "extension/workers/worker_gucs.hpp"
#include "extension/workers/worker_signals.hpp"
#include "extension/workers/worker_transaction.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_database.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/snapmgr.h"

PGDLLEXPORT void thaiyyal_launcher_main(Datum main_arg);
PGDLLEXPORT void thaiyyal_worker_main(Datum main_arg);
}

namespace thaiyyal::pg {

namespace {

constexpr long kRestartDelayMs = 5000;
// A batch holds about this much of the runs' recent execution time: small
// runs are claimed many at a time (one commit for all), a run of 100 ms
// alone -- another tenant's runs never wait behind a long batch.
constexpr double kBatchBudgetMs = 10.0;
constexpr long kErrorPauseMs = 1000;
constexpr long kMaxErrorPauseMs = 60000;

void handle_signals_and_config() {
  pg_call([]() noexcept {
    CHECK_FOR_INTERRUPTS();
    if (ConfigReloadPending) {
      ConfigReloadPending = false;
      ProcessConfigFile(PGC_SIGHUP);
    }
  });
}

void wait_for_latch(long timeout_ms) {
  pg_call([timeout_ms]() noexcept {
    (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                    timeout_ms < 0 ? 0 : timeout_ms, PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
  });
}

std::int64_t now_ms() {
  return GetCurrentTimestamp() / 1000;
}

bool take_recovery_request() {
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  const bool requested = shared->recovery_requested;
  shared->recovery_requested = false;
  SpinLockRelease(&shared->mutex);
  return requested;
}

std::uint64_t launcher_generation() {
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  const std::uint64_t generation = shared->launcher_generation;
  SpinLockRelease(&shared->mutex);
  return generation;
}

void release_slot_at_exit(int, Datum arg) {
  release_worker_slot(DatumGetInt32(arg));
}

// After an error of the loop's bookkeeping (a recovery pass, say) while
// runs' ends are still unwritten: write them now, best effort -- if that
// fails too, recovery brings them back and they resume from their
// checkpoints. Either way the worker holds no run afterwards: the rest of
// its batch goes back through recovery.
void settle(int slot, std::vector<ExecutedRunPtr>& executed) noexcept {
  try {
    finish_executed_runs(slot, std::move(executed));
  } catch (...) {
  }
  executed.clear();
  release_slot_runs(slot);
}

// The worker's loop. Returns when the worker should exit (a new launcher
// took over).
void worker_loop(int slot, std::uint64_t generation, MemoryContext loop_context) {
  std::int64_t last_recovery_ms = 0;
  bool installed = false;
  std::string reported_version = "?";  // the mismatch last logged
  // Consecutive failed iterations: the pause after an error doubles up to a
  // minute, so a persistent problem logs a line a minute, not a second.
  int failures = 0;
  // The runs executed last, whose ends the next claim's transaction writes.
  std::vector<ExecutedRunPtr> executed;
  // Moving average of how long a run took to execute (a new worker assumes
  // the budget: it starts with batches of one).
  double recent_run_ms = kBatchBudgetMs;
  for (;;) {
    MemoryContextReset(loop_context);
    MemoryContextSwitchTo(loop_context);
    handle_signals_and_config();
    if (launcher_generation() != generation) {
      finish_executed_runs(slot, std::move(executed));
      return;
    }
    long wait_ms = poll_interval_ms();
    try {
      if (!installed) {
        // A database whose extension is older than this library (before
        // ALTER EXTENSION UPDATE) or missing: idle, say so once.
        const std::string version = installed_version_in_worker();
        installed = version == kCatalogVersion;
        if (!installed && version != reported_version) {
          reported_version = version;
          const char* text = version.c_str();
          pg_call([text]() noexcept {
            if (text[0] == '\0') {
              ereport(LOG, (errmsg("thaiyyal worker: the extension is not installed in this "
                                   "database; waiting for CREATE EXTENSION thaiyyal")));
            } else {
              ereport(LOG, (errmsg("thaiyyal worker: thaiyyal %s is installed in this database, "
                                   "but this library serves %s; waiting for ALTER EXTENSION "
                                   "thaiyyal UPDATE",
                                   text, kCatalogVersion)));
            }
          });
        }
      }
      if (installed) {
        const std::int64_t now = now_ms();
        if (take_recovery_request() || now - last_recovery_ms >= poll_interval_ms()) {
          recover_runs();
          last_recovery_ms = now;
        }
        std::vector<ClaimedRun> batch;
        long due_ms = -1;
        const int max_batch = static_cast<int>(std::clamp(
            kBatchBudgetMs / std::max(recent_run_ms, 0.001), 1.0, static_cast<double>(kMaxBatch)));
        if (finish_and_claim_next(slot, std::move(executed), max_batch, batch, due_ms)) {
          executed.clear();
          for (const ClaimedRun& run : batch) {
            const std::int64_t started_us = GetCurrentTimestamp();
            executed.push_back(execute_claimed_run(slot, run));
            const double took_ms = static_cast<double>(GetCurrentTimestamp() - started_us) / 1000;
            recent_run_ms = 0.8 * recent_run_ms + 0.2 * took_ms;
          }
          failures = 0;
          continue;  // record them with the next claim, before sleeping
        }
        executed.clear();
        if (due_ms >= 0) wait_ms = std::min(wait_ms, due_ms);
      }
      failures = 0;
    } catch (const PgError& e) {
      ++failures;
      const ErrorInfo info = capture_error(e);
      settle(slot, executed);
      log_worker_error("error", info);
      installed = false;  // DROP EXTENSION is one reason: check again
    } catch (const SqlError& e) {
      ++failures;
      settle(slot, executed);
      log_worker_error("error", ErrorInfo{e.sqlstate(), e.what(), e.detail()});
    } catch (const std::exception& e) {
      ++failures;
      settle(slot, executed);
      log_worker_error("internal error", ErrorInfo{ERRCODE_INTERNAL_ERROR, e.what(), {}});
    }
    if (failures > 0) {
      wait_ms = std::min(kMaxErrorPauseMs, kErrorPauseMs << std::min(failures - 1, 6));
    }
    wait_for_latch(wait_ms);
  }
}

// ---------------------------------------------------------------- launcher

// A heap scan of pg_database, as the autovacuum launcher does: a process
// connected to no database may not use get_database_oid's index scan (it
// would need pg_class when the shared relcache init file is missing).
bool database_exists(const char* name) {
  return pg_call([name]() noexcept {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    (void)GetTransactionSnapshot();
    Relation relation = table_open(DatabaseRelationId, AccessShareLock);
    TableScanDesc scan = table_beginscan_catalog(relation, 0, nullptr);
    bool exists = false;
    HeapTuple tuple;
    while (!exists && HeapTupleIsValid(tuple = heap_getnext(scan, ForwardScanDirection))) {
      const Form_pg_database database = reinterpret_cast<Form_pg_database>(GETSTRUCT(tuple));
      exists = strcmp(NameStr(database->datname), name) == 0 && database->datconnlimit != -2;
    }
    table_endscan(scan);
    table_close(relation, AccessShareLock);
    CommitTransactionCommand();
    return exists;
  });
}

bool register_worker(int slot, BackgroundWorkerHandle** handle) {
  BackgroundWorker worker;
  memset(&worker, 0, sizeof(worker));
  snprintf(worker.bgw_name, BGW_MAXLEN, "thaiyyal worker %d", slot);
  snprintf(worker.bgw_type, BGW_MAXLEN, "thaiyyal worker");
  worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
  worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
  worker.bgw_restart_time = BGW_NEVER_RESTART;  // the launcher restarts it
  snprintf(worker.bgw_library_name, BGW_MAXLEN, "thaiyyal");
  snprintf(worker.bgw_function_name, BGW_MAXLEN, "thaiyyal_worker_main");
  worker.bgw_main_arg = Int32GetDatum(slot);
  worker.bgw_notify_pid = MyProcPid;
  return RegisterDynamicBackgroundWorker(&worker, handle);
}

bool slot_occupied(int slot) {
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  const bool occupied = shared->slots[slot].pid != 0;
  SpinLockRelease(&shared->mutex);
  return occupied;
}

void request_recovery() {
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  shared->recovery_requested = true;
  SpinLockRelease(&shared->mutex);
}

void launcher_exit(int, Datum) {
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  if (shared->launcher_pid == MyProcPid) {
    shared->launcher_pid = 0;
    shared->launcher_latch = nullptr;
  }
  SpinLockRelease(&shared->mutex);
}

void launcher_loop() {
  QueueShared* shared = queue_shared();
  const int count = std::min(worker_count(), kMaxWorkers);
  BackgroundWorkerHandle* handles[kMaxWorkers] = {};
  std::int64_t started_ms[kMaxWorkers] = {};
  bool reported_missing = false;
  bool reported_no_slot = false;
  for (;;) {
    handle_signals_and_config();
    SpinLockAcquire(&shared->mutex);
    const bool dropping = shared->database_dropping;
    SpinLockRelease(&shared->mutex);
    const bool serve = !dropping && database_exists(worker_database());
    if (!serve && !dropping && !reported_missing) {
      const char* name = worker_database();
      pg_call([name]() noexcept {
        ereport(LOG, (errmsg("thaiyyal launcher: database \"%s\" does not exist; workers start "
                             "when it does",
                             name),
                      errhint("Set thaiyyal.database to the database where CREATE EXTENSION "
                              "thaiyyal was run.")));
      });
    }
    reported_missing = !serve && !dropping;

    long wait_ms = poll_interval_ms();
    bool worker_gone = false;
    for (int slot = 0; slot < count; ++slot) {
      pid_t pid = 0;
      BgwHandleStatus status = BGWH_STOPPED;
      if (handles[slot] != nullptr) {
        BackgroundWorkerHandle* handle = handles[slot];
        status =
            pg_call([handle, &pid]() noexcept { return GetBackgroundWorkerPid(handle, &pid); });
      }
      if (!serve) {
        if (handles[slot] != nullptr && status != BGWH_STOPPED) {
          BackgroundWorkerHandle* handle = handles[slot];
          pg_call([handle]() noexcept { TerminateBackgroundWorker(handle); });
        }
        continue;
      }
      if (handles[slot] != nullptr && status != BGWH_STOPPED) continue;
      if (handles[slot] != nullptr) {
        pfree(handles[slot]);
        handles[slot] = nullptr;
        worker_gone = true;
      }
      // A worker of an earlier launcher may still be leaving its slot.
      if (slot_occupied(slot)) {
        wait_ms = std::min(wait_ms, 100L);
        continue;
      }
      const std::int64_t since = now_ms() - started_ms[slot];
      if (started_ms[slot] != 0 && since < kRestartDelayMs) {
        wait_ms = std::min(wait_ms, static_cast<long>(kRestartDelayMs - since));
        continue;
      }
      BackgroundWorkerHandle* handle = nullptr;
      const bool registered =
          pg_call([slot, &handle]() noexcept { return register_worker(slot, &handle); });
      started_ms[slot] = now_ms();
      if (registered) {
        handles[slot] = handle;
        reported_no_slot = false;
      } else {
        if (!reported_no_slot) {  // once until a start succeeds again
          pg_call([]() noexcept {
            ereport(LOG, (errmsg("thaiyyal launcher: could not start a worker: no free "
                                 "background worker slot"),
                          errhint("Raise max_worker_processes.")));
          });
          reported_no_slot = true;
        }
        wait_ms = std::min(wait_ms, kRestartDelayMs);
      }
    }
    if (worker_gone) {
      // Its run, if any, is picked up by the others' next recovery pass.
      request_recovery();
      wake_workers();
    }
    wait_for_latch(wait_ms);
  }
}

}  // namespace

}  // namespace thaiyyal::pg

using namespace thaiyyal::pg;

extern "C" void thaiyyal_launcher_main(Datum) {
  pqsignal(SIGTERM, die);
  pqsignal(SIGHUP, SignalHandlerForConfigReload);
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);  // shared catalogs only
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  shared->launcher_pid = MyProcPid;
  shared->launcher_latch = &MyProc->procLatch;
  // Workers of an earlier launcher exit when they see the change.
  ++shared->launcher_generation;
  SpinLockRelease(&shared->mutex);
  before_shmem_exit(launcher_exit, 0);
  try {
    launcher_loop();
  } catch (...) {
    // Every PostgreSQL call above is guarded; what reaches here is a
    // failure the loop could not handle. Exit with 1: the postmaster
    // restarts the launcher after bgw_restart_time.
  }
  proc_exit(1);
}

extern "C" void thaiyyal_worker_main(Datum main_arg) {
  const int slot = DatumGetInt32(main_arg);
  pqsignal(SIGTERM, die);
  pqsignal(SIGHUP, SignalHandlerForConfigReload);
  install_worker_sigint_handler();
  BackgroundWorkerUnblockSignals();
  const std::uint64_t generation = launcher_generation();
  BackgroundWorkerInitializeConnection(worker_database(), nullptr, 0);
  claim_worker_slot(slot);
  before_shmem_exit(release_slot_at_exit, Int32GetDatum(slot));
  // Idle polls, recovery passes and SQL-node commits need not wait for the
  // WAL flush: losing one in a crash only means work is done again. The
  // claim (it counts the attempt) and the end of a run commit synchronously
  // (queued_runs.cpp, commit_synchronously), which also flushes everything
  // before them.
  SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);
  pgstat_report_activity(STATE_IDLE, nullptr);

  MemoryContext loop_context =
      AllocSetContextCreate(TopMemoryContext, "thaiyyal worker loop", ALLOCSET_DEFAULT_SIZES);
  // PostgreSQL errors caught in C++ are copied here: it outlives the
  // transactions whose abort would free them.
  thaiyyal::pg::detail::error_copy_context = loop_context;
  try {
    worker_loop(slot, generation, loop_context);
  } catch (...) {
    proc_exit(1);
  }
  proc_exit(0);
}
