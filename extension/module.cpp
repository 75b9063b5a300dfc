// Library entry: PostgreSQL's module magic and _PG_init.
//
// Loaded on demand, the library defines its parameters. Preloaded
// (shared_preload_libraries), it also sets up the background workers'
// shared memory, the statistics' shared memory (stats/stats_shmem.hpp), the DROP DATABASE hook and
// the launcher -- except during a binary upgrade, when nothing must run.
#include "extension/run/gucs.hpp"
#include "extension/stats/stats_shmem.hpp"
#include "extension/workers/drop_database_hook.hpp"
#include "extension/workers/queue_shmem.hpp"
#include "extension/workers/worker_gucs.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "postmaster/bgworker.h"

PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);
}

namespace {

void register_launcher() noexcept {
  BackgroundWorker worker;
  memset(&worker, 0, sizeof(worker));
  snprintf(worker.bgw_name, BGW_MAXLEN, "thaiyyal launcher");
  snprintf(worker.bgw_type, BGW_MAXLEN, "thaiyyal launcher");
  worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
  worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
  worker.bgw_restart_time = 5;  // seconds
  snprintf(worker.bgw_library_name, BGW_MAXLEN, "thaiyyal");
  snprintf(worker.bgw_function_name, BGW_MAXLEN, "thaiyyal_launcher_main");
  RegisterBackgroundWorker(&worker);
}

}  // namespace

extern "C" void _PG_init(void) {
  thaiyyal::pg::invoke_cpp([]() -> Datum {
    thaiyyal::pg::pg_call([]() noexcept {
      thaiyyal::pg::define_gucs();
      if (process_shared_preload_libraries_in_progress && !IsBinaryUpgrade) {
        thaiyyal::pg::install_queue_shmem_hooks();
        thaiyyal::pg::stats::install_stats_shmem_hooks();
        thaiyyal::pg::install_drop_database_hook();
        if (thaiyyal::pg::worker_count() > 0) register_launcher();
      }
    });
    return static_cast<Datum>(0);
  });
}
