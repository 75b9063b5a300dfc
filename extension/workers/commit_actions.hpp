// Work for the COMMIT of the current transaction: waking the workers when a
// run was queued, and telling the worker that executes a run to stop when
// it was cancelled. Nothing happens on abort, and nothing at PREPARE
// TRANSACTION (the rows become visible at COMMIT PREPARED, from any
// session; the workers' fallback poll finds them).
#pragma once

#include <cstdint>
#include <string>

namespace thaiyyal::pg {

void wake_workers_at_commit();
void cancel_at_commit(std::int64_t run_id);

// Why a run queued in this database would not be executed (no preloaded
// library, no workers, workers serving another database), or "".
std::string missing_workers_reason();

}  // namespace thaiyyal::pg
