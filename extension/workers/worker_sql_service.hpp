// The SQL nodes' database access inside a background worker: each
// sql_query / sql_batch call is its own short transaction (the run itself
// executes outside any transaction), executed as the role that queued the
// run with the run's tenant, through the same SpiSqlService that
// thaiyyal.run uses (kept plans, subtransaction per statement, errors as
// node errors with the SQLSTATE in DETAIL).
//
// A statement's effects are therefore committed when the node finishes, as
// in a client's autocommit mode -- together with the run's checkpoint
// (*_with_checkpoint, docs/DURABLE_RUNS.md): the checkpoint is written as
// the worker, after the role's identity ended, in the statement's
// transaction, so a resumed attempt finds either both or neither, and never
// executes a committed statement again.
//
// Each transaction applies the role's own settings (ALTER ROLE / DATABASE
// ... SET: search_path, work_mem, lock_timeout, ...) and arms
// statement_timeout with the smaller of the role's statement_timeout and
// the time left until the run's deadline; thaiyyal.cancel() and an expired
// lease cancel the statement (worker_signals.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

class WorkerSqlService final : public SqlService {
 public:
  // deadline: when the run's thaiyyal.max_execution_time ends (0 = none).
  WorkerSqlService(Oid role, std::string tenant, TimestampTz deadline)
      : role_(role), tenant_(std::move(tenant)), deadline_(deadline) {}

  SqlQueryResult query(std::string_view query, const std::vector<Value>& params,
                       std::int64_t max_rows) override;
  std::int64_t batch(std::string_view table, SqlBatchMode mode, const std::vector<std::string>& key,
                     const Value& rows) override;
  SqlQueryResult query_with_checkpoint(std::string_view query, const std::vector<Value>& params,
                                       std::int64_t max_rows,
                                       const QueryCheckpoint& checkpoint) override;
  std::int64_t batch_with_checkpoint(std::string_view table, SqlBatchMode mode,
                                     const std::vector<std::string>& key, const Value& rows,
                                     const BatchCheckpoint& checkpoint) override;

 private:
  // body(service) runs as the run's role; then, as the worker and before
  // the commit, after(result).
  template <typename Fn, typename After>
  auto in_run_transaction(Fn&& body, After&& after);

  Oid role_;
  std::string tenant_;
  TimestampTz deadline_;
};

}  // namespace thaiyyal::pg
