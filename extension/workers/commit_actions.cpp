// Commit-time wake-ups and cancels (see commit_actions.hpp).
#include "extension/workers/commit_actions.hpp"

#include <cstdint>
#include <string>

#include "extension/workers/queue_shmem.hpp"
#include "extension/workers/worker_gucs.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "commands/dbcommands.h"
}

namespace thaiyyal::pg {

namespace {

// Plain C data: the callback runs inside PostgreSQL's commit.
bool wake_at_commit = false;
std::int64_t* cancels_at_commit = nullptr;  // in TopMemoryContext
int cancel_count = 0;
int cancel_capacity = 0;
bool callback_registered = false;

void at_transaction_end(XactEvent event, void*) {
  if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT) {
    if (wake_at_commit) wake_workers();
    for (int i = 0; i < cancel_count; ++i) signal_stop(cancels_at_commit[i], StopReason::Cancel);
    if (cancel_count > 0) broadcast_run_finished();  // queued runs became cancelled
  }
  if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT ||
      event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT ||
      event == XACT_EVENT_PREPARE) {
    wake_at_commit = false;
    cancel_count = 0;
  }
}

void ensure_callback() noexcept {
  if (!callback_registered) {
    RegisterXactCallback(at_transaction_end, nullptr);
    callback_registered = true;
  }
}

}  // namespace

void wake_workers_at_commit() {
  pg_call([]() noexcept {
    ensure_callback();
    wake_at_commit = true;
  });
}

void cancel_at_commit(std::int64_t run_id) {
  pg_call([run_id]() noexcept {
    ensure_callback();
    if (cancel_count == cancel_capacity) {
      const int capacity = cancel_capacity == 0 ? 8 : cancel_capacity * 2;
      const Size bytes = sizeof(std::int64_t) * static_cast<Size>(capacity);
      cancels_at_commit = static_cast<std::int64_t*>(
          cancels_at_commit == nullptr ? MemoryContextAlloc(TopMemoryContext, bytes)
                                       : repalloc(cancels_at_commit, bytes));
      cancel_capacity = capacity;
    }
    cancels_at_commit[cancel_count++] = run_id;
  });
}

std::string missing_workers_reason() {
  if (queue_shared() == nullptr) {
    return "thaiyyal is not in shared_preload_libraries: no background worker will execute "
           "queued runs";
  }
  if (worker_count() == 0) {
    return "thaiyyal.workers is 0: no background worker will execute queued runs";
  }
  const char* serving = worker_database();
  const bool here = pg_call(
      [serving]() noexcept { return strcmp(get_database_name(MyDatabaseId), serving) == 0; });
  if (!here) {
    return std::string("the thaiyyal workers serve database \"") + serving +
           "\" (thaiyyal.database), not this one: no worker will execute runs queued here";
  }
  return {};
}

}  // namespace thaiyyal::pg
