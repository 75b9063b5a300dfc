// What the SQL nodes need from a database host. The PostgreSQL extension
// implements it with SPI (prepared, kept plans; set-based batches); it runs
// with the calling role's privileges and the caller's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

struct SqlQueryResult {
  Array rows;              // one object per returned row
  std::int64_t count = 0;  // rows returned, or rows affected for DML
};

enum class SqlBatchMode { Insert, Upsert, Update };

class SqlService {
 public:
  virtual ~SqlService() = default;
  // Runs `query` with $1..$n bound to `params`. Throws NodeError (message
  // and detail with the SQLSTATE) when the statement fails.
  virtual SqlQueryResult query(std::string_view query, const std::vector<Value>& params,
                               std::int64_t max_rows) = 0;
  // Writes `rows` (an array of objects) into `table` in one set-based
  // statement; returns the number of rows written.
  virtual std::int64_t batch(std::string_view table, SqlBatchMode mode,
                             const std::vector<std::string>& key, const Value& rows) = 0;

  // Durable runs (engine/run/journal.hpp): the same statements, with
  // `checkpoint` called once the statement has succeeded, inside its
  // transaction and before it commits, so that what the checkpoint writes
  // commits with the statement's effects or not at all. A service whose
  // statements commit with their caller's transaction (thaiyyal.run) calls
  // it right after the statement: the default.
  using QueryCheckpoint = std::function<void(const SqlQueryResult& result)>;
  using BatchCheckpoint = std::function<void(std::int64_t written)>;
  virtual SqlQueryResult query_with_checkpoint(std::string_view query,
                                               const std::vector<Value>& params,
                                               std::int64_t max_rows,
                                               const QueryCheckpoint& checkpoint) {
    SqlQueryResult result = this->query(query, params, max_rows);
    checkpoint(result);
    return result;
  }
  virtual std::int64_t batch_with_checkpoint(std::string_view table, SqlBatchMode mode,
                                             const std::vector<std::string>& key, const Value& rows,
                                             const BatchCheckpoint& checkpoint) {
    const std::int64_t written = this->batch(table, mode, key, rows);
    checkpoint(written);
    return written;
  }
};

}  // namespace thaiyyal
