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
//                             recovery takes it back (0 = max_execution_time
//                             + 1 minute, or 1 hour without a time limit)
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
// The lease in milliseconds, with the default resolved.
std::int64_t run_lease_ms();

}  // namespace thaiyyal::pg
