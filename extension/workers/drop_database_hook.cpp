// Lets DROP DATABASE of thaiyyal.database proceed (PostgreSQL 15 refuses to
// drop a database that background workers are connected to): a
// ProcessUtility hook in the dropping backend tells the launcher to stop
// the workers, waits for them to leave (at most the 5 seconds DROP DATABASE
// itself would wait), and lets the launcher start them again when the
// command is over -- if the database still exists. CREATE DATABASE of
// thaiyyal.database wakes the launcher, so workers start without waiting for
// its next poll.
#include "extension/workers/drop_database_hook.hpp"

#include "extension/workers/queue_shmem.hpp"
#include "extension/workers/worker_gucs.hpp"

#include "extension/boundary/pg_includes.hpp"

extern "C" {
#include "nodes/parsenodes.h"
}

namespace thaiyyal::pg {

namespace {

ProcessUtility_hook_type previous_utility_hook = nullptr;

void set_dropping(bool dropping) {
  QueueShared* shared = queue_shared();
  SpinLockAcquire(&shared->mutex);
  shared->database_dropping = dropping;
  Latch* launcher = shared->launcher_latch;
  SpinLockRelease(&shared->mutex);
  if (launcher != nullptr) SetLatch(launcher);
}

bool workers_connected() {
  QueueShared* shared = queue_shared();
  bool any = false;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) any = any || shared->slots[i].pid != 0;
  SpinLockRelease(&shared->mutex);
  return any;
}

void utility_hook(PlannedStmt* pstmt, const char* query_string, bool read_only_tree,
                  ProcessUtilityContext context, ParamListInfo params, QueryEnvironment* query_env,
                  DestReceiver* dest, QueryCompletion* qc) {
  Node* statement = pstmt->utilityStmt;
  const bool ours = queue_shared() != nullptr && IsA(statement, DropdbStmt) &&
                    strcmp(castNode(DropdbStmt, statement)->dbname, worker_database()) == 0;
  const bool created = queue_shared() != nullptr && IsA(statement, CreatedbStmt) &&
                       strcmp(castNode(CreatedbStmt, statement)->dbname, worker_database()) == 0;
  if (ours) {
    set_dropping(true);
    for (int waited_ms = 0; waited_ms < 5000 && workers_connected(); waited_ms += 50) {
      (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50,
                      PG_WAIT_EXTENSION);
      ResetLatch(MyLatch);
      CHECK_FOR_INTERRUPTS();
    }
  }
  // clang-format off
  PG_TRY();
  {
    if (previous_utility_hook != nullptr) {
      previous_utility_hook(pstmt, query_string, read_only_tree, context, params, query_env, dest,
                            qc);
    } else {
      standard_ProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env,
                              dest, qc);
    }
  }
  PG_FINALLY();
  {
    if (ours) set_dropping(false);
  }
  PG_END_TRY();
  // clang-format on
  if (created) set_dropping(false);  // wakes the launcher: workers start now
}

}  // namespace

void install_drop_database_hook() noexcept {
  previous_utility_hook = ProcessUtility_hook;
  ProcessUtility_hook = utility_hook;
}

}  // namespace thaiyyal::pg
