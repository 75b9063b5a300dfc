// Checkpoints of queued runs (docs/DURABLE_RUNS.md), the worker's side of
// engine/run/journaling_host.hpp: the journal of a run's earlier attempts is
// loaded from thaiyyal.run_checkpoints when an attempt starts, and what the
// attempt learns is appended to it -- a SQL node's entries in its
// statement's transaction, an HTTP answer or a long wait at once, the rest
// with the run's end (finish_run).
//
// Every write is fenced by the claim: it succeeds only while the run is
// `running` on this worker (FOR SHARE of the run's row, so a recovery
// cannot take the run back in between); otherwise the transaction -- and
// with it a SQL node's effects -- rolls back. The entries written with the
// run's end follow finish_run, whose UPDATE is their fence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// Inside a WorkerTransaction: the run's checkpoints in the order they were
// written. Throws JournalFormatError for a damaged checkpoint.
std::vector<JournalEntry> load_checkpoints(std::int64_t run_id);

// Inside a WorkerTransaction: appends `entries` (nothing when empty); false
// when this worker no longer holds the run.
bool append_checkpoint(std::int64_t run_id, const std::vector<JournalEntry>& entries);

// Inside the WorkerTransaction that wrote the run's end with finish_run
// (which fenced it): appends `entries` (nothing when empty).
void append_final_checkpoint(std::int64_t run_id, const std::vector<JournalEntry>& entries);

class WorkerCheckpointWriter final : public CheckpointWriter {
 public:
  explicit WorkerCheckpointWriter(std::int64_t run_id) : run_id_(run_id) {}
  // In a transaction of its own, committed synchronously: an HTTP answer or
  // a wait that is recorded is never asked again, even after a server crash.
  void write_now(const std::vector<JournalEntry>& entries) override;
  // In the SQL node's transaction (WorkerSqlService::*_with_checkpoint).
  void write_in_statement_transaction(const std::vector<JournalEntry>& entries) override;

 private:
  std::int64_t run_id_;
};

// The run's part of every Idempotency-Key its HTTP requests carry.
std::string idempotency_key_of(std::int64_t run_id);

}  // namespace thaiyyal::pg
