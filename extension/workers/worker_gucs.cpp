// Parameters of the background workers (see worker_gucs.hpp).
#include "extension/workers/worker_gucs.hpp"

#include <climits>

#include "extension/run/gucs.hpp"
#include "extension/workers/queue_shmem.hpp"

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

namespace {

int guc_workers = 2;
char* guc_database = nullptr;
int guc_poll_interval_ms = 10000;
int guc_max_attempts = 3;
int guc_retry_delay_ms = 1000;
int guc_retry_max_delay_ms = 300000;
int guc_run_lease_ms = 0;
int guc_tenant_max_running = 0;
int guc_worker_batch = 64;
bool guc_allow_superuser_runs = false;
int guc_max_user_priority = 100;
char* guc_priority_role = nullptr;

}  // namespace

void define_worker_gucs() noexcept {
  // PostgreSQL refuses (FATAL) PGC_POSTMASTER parameters defined after
  // startup. Loaded on demand, the library has no workers, and these two
  // parameters only describe what a preloading server would do.
  const GucContext startup =
      process_shared_preload_libraries_in_progress ? PGC_POSTMASTER : PGC_SUSET;
  DefineCustomIntVariable(
      "thaiyyal.workers", "Background worker processes that execute queued runs.",
      "Needs thaiyyal in shared_preload_libraries; 0 starts no workers.", &guc_workers, guc_workers,
      0, kMaxWorkers, startup, 0, nullptr, nullptr, nullptr);
  DefineCustomStringVariable("thaiyyal.database", "Database whose queued runs the workers execute.",
                             "Empty: cron.database_name when set, else postgres.", &guc_database,
                             "", startup, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "thaiyyal.poll_interval", "Fallback poll of the workers (wake-ups normally come at COMMIT).",
      "Also the period of crash recovery (expired leases, runs of dead workers).",
      &guc_poll_interval_ms, guc_poll_interval_ms, 100, INT_MAX, PGC_SIGHUP, GUC_UNIT_MS, nullptr,
      nullptr, nullptr);
  DefineCustomIntVariable(
      "thaiyyal.max_attempts", "Attempts of a queued run before it is parked as failed.",
      "Counts worker crashes, expired leases and transient errors "
      "(serialization failures, deadlocks, shutdowns).",
      &guc_max_attempts, guc_max_attempts, 1, 1000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "thaiyyal.retry_delay", "Delay before the first retry of a queued run (doubles per attempt).",
      "Also the minimum wait before a run interrupted by a crash restarts.", &guc_retry_delay_ms,
      guc_retry_delay_ms, 0, INT_MAX, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("thaiyyal.retry_max_delay", "Upper bound of the retry delay.", nullptr,
                          &guc_retry_max_delay_ms, guc_retry_max_delay_ms, 0, INT_MAX, PGC_SIGHUP,
                          GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "thaiyyal.run_lease", "How long a worker may hold a run before recovery takes it back.",
      "0 = thaiyyal.max_execution_time plus one minute (one hour when there is no time limit).",
      &guc_run_lease_ms, guc_run_lease_ms, 0, INT_MAX, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr,
      nullptr);
  DefineCustomIntVariable(
      "thaiyyal.tenant_max_running", "Runs of one tenant the workers execute at once (0 = no cap).",
      "The workers are shared between tenants: fewest running first, then round-robin.",
      &guc_tenant_max_running, guc_tenant_max_running, 0, kMaxWorkers, PGC_SIGHUP, 0, nullptr,
      nullptr, nullptr);
  DefineCustomIntVariable(
      "thaiyyal.worker_batch",
      "Runs a worker claims at once, and whose ends it writes in one commit.",
      "With fsync on a commit's WAL flush is most of what a small run costs; 1 = one run per "
      "commit. Ignored while thaiyyal.tenant_max_running is set.",
      &guc_worker_batch, guc_worker_batch, 1, kMaxBatch, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomBoolVariable(
      "thaiyyal.allow_superuser_runs", "Allows runs to be queued and scheduled as a superuser.",
      "Off: a queued run executes as the role that queued it, and any member of its tenant may "
      "edit the workflow it runs.",
      &guc_allow_superuser_runs, guc_allow_superuser_runs, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("thaiyyal.max_user_priority",
                          "Largest priority (in absolute value) a role may give its queued runs.",
                          "Members of thaiyyal.priority_role and superusers may use any priority.",
                          &guc_max_user_priority, guc_max_user_priority, 0, INT_MAX, PGC_SUSET, 0,
                          nullptr, nullptr, nullptr);
  DefineCustomStringVariable(
      "thaiyyal.priority_role", "Role whose members may give their queued runs any priority.",
      "Empty: superusers only.", &guc_priority_role, "", PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

int worker_count() {
  return guc_workers;
}

const char* worker_database() {
  if (guc_database != nullptr && guc_database[0] != '\0') return guc_database;
  // Unset: the database pg_cron uses, where schedules and the queue must
  // meet anyway; else postgres (pg_cron's default too).
  const char* cron = GetConfigOption("cron.database_name", true, false);
  return cron != nullptr && cron[0] != '\0' ? cron : "postgres";
}

int poll_interval_ms() {
  return guc_poll_interval_ms;
}

int max_attempts() {
  return guc_max_attempts;
}

int retry_delay_ms() {
  return guc_retry_delay_ms;
}

int retry_max_delay_ms() {
  return guc_retry_max_delay_ms;
}

std::int64_t run_lease_ms(std::int64_t max_execution_time_ms) {
  if (guc_run_lease_ms > 0) return guc_run_lease_ms;
  return max_execution_time_ms > 0 ? max_execution_time_ms + 60000 : 3600000;
}

int tenant_max_running() {
  return guc_tenant_max_running;
}

int worker_batch() {
  return guc_tenant_max_running > 0 ? 1 : guc_worker_batch;
}

bool allow_superuser_runs() {
  return guc_allow_superuser_runs;
}

int max_user_priority() {
  return guc_max_user_priority;
}

const char* priority_role() {
  return guc_priority_role != nullptr ? guc_priority_role : "";
}

}  // namespace thaiyyal::pg
