// Transactions of a background worker. A worker runs between transactions
// most of the time (a run executes outside any transaction, so that no
// transaction stays open across HTTP calls or waits); each piece of
// database work is one short top-level transaction.
#pragma once

#include <string>

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// StartTransactionCommand + an active snapshot + an SPI connection. commit()
// ends it; the destructor aborts a transaction that was not committed (an
// exception is unwinding). Either way the memory context current at
// construction is current again afterwards.
class WorkerTransaction {
 public:
  WorkerTransaction();
  ~WorkerTransaction();
  WorkerTransaction(const WorkerTransaction&) = delete;
  WorkerTransaction& operator=(const WorkerTransaction&) = delete;

  void commit();

 private:
  MemoryContext caller_context_;
  bool open_ = false;
};

// Inside a WorkerTransaction: act as `role` (the role that queued the run)
// with its per-role and per-database settings and the run's tenant in
// thaiyyal.tenant, in a security-restricted operation (no SET ROLE, no temp tables or other session
// state that could outlive the run in this pooled process). end() reverts every setting the
// statements changed and restores the worker's identity; on an exception
// the transaction's abort does the same.
class RunIdentity {
 public:
  RunIdentity(Oid role, const std::string& tenant);
  ~RunIdentity() = default;
  RunIdentity(const RunIdentity&) = delete;
  RunIdentity& operator=(const RunIdentity&) = delete;

  void end();

 private:
  Oid saved_user_ = InvalidOid;
  int saved_security_context_ = 0;
  int guc_nest_level_ = 0;
  bool ended_ = false;
};

// What a PgError said, copied out of PostgreSQL memory (which the abort that
// follows may free).
struct ErrorInfo {
  int sqlerrcode = 0;
  std::string message;
  std::string detail;
};
ErrorInfo capture_error(const PgError& error);

// Inside a WorkerTransaction: its commit waits for the WAL flush, whatever
// synchronous_commit the worker runs with (asynchronous by default,
// worker_main.cpp). For what must survive a server crash: a claim (it
// carries the attempt count), a run's end, a checkpoint of an answer that
// must never be asked again.
void commit_synchronously();

// For the rest of the current transaction: no bitmap scans and no
// sequential scans where an index serves. The queue's statements select by
// status, and every run that changed status leaves a dead index entry
// behind until VACUUM; a plain index scan marks the ones it finds dead so
// that later scans skip them, a bitmap scan re-reads them all every time (a
// claim took 17 ms after a 75,000-run backlog). And a worker keeps its
// plans: one made while a table was still empty (a new install) scanned
// it whole long after it had grown (a checkpoint lookup took 0.35 ms at
// 13,000 rows instead of 0.01).
void prefer_index_scans();

// Writes a LOG line for an error the worker handled.
void log_worker_error(const char* what, const ErrorInfo& error) noexcept;

}  // namespace thaiyyal::pg
