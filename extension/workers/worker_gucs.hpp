// Configuration parameters of the background workers:
//
//   thaiyyal.workers          worker processes in the pool (postmaster start;
//                             0 = no workers)
//   thaiyyal.database         the database they serve (postmaster start;
//                             empty = cron.database_name, else postgres)
//   thaiyyal.poll_interval    fallback poll for missed wake-ups and delayed
//                             runs; also how often crash recovery runs
//   thaiyyal.max_attempts     attempts of a run before it is parked as failed
//   thaiyyal.retry_delay      first retry delay (and the minimum wait after a
//                             crash); doubles per attempt, jittered
//   thaiyyal.retry_max_delay  cap of the retry delay
//   thaiyyal.run_lease        how long a claimed run may stay running before
//                             its worker is told to stop it (0 =
//                             max_execution_time + 1 minute, or 1 hour
//                             without a time limit)
//   thaiyyal.tenant_max_running
//                             runs of one tenant executing at once (0 = no
//                             cap); the workers are shared between tenants
//   thaiyyal.worker_batch     runs a worker claims at once and finishes in
//                             one commit (64, fewer when runs are slow;
//                             1 while a tenant cap is set)
//   thaiyyal.allow_superuser_runs
//                             superuser only: whether runs may be queued or
//                             scheduled as a superuser (off)
//   thaiyyal.max_user_priority, thaiyyal.priority_role
//                             superuser only: the priorities a role may give
//                             its runs are -max..max, unless it is a member of
//                             priority_role (or a superuser)
#pragma once

#include <cstdint>

namespace thaiyyal::pg {

// Registers the parameters (inside pg_call, from define_gucs()).
void define_worker_gucs() noexcept;

int worker_count();
const char* worker_database();
int poll_interval_ms();
int max_attempts();
int retry_delay_ms();
int retry_max_delay_ms();
// The lease in milliseconds for a run with this time limit (the default
// resolved: the limit plus a minute, one hour without a limit).
std::int64_t run_lease_ms(std::int64_t max_execution_time_ms);
int tenant_max_running();
// thaiyyal.worker_batch; 1 while a per-tenant cap is set (a worker claims
// for one tenant at a time there: queue_shmem.hpp begin_tenant_claim).
int worker_batch();
bool allow_superuser_runs();
int max_user_priority();
// The role named by thaiyyal.priority_role, or "" when unset.
const char* priority_role();

}  // namespace thaiyyal::pg
