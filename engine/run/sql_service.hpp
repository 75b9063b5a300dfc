// What the SQL nodes need from a database host. The PostgreSQL extension
// implements it with SPI (prepared, kept plans; set-based batches); it runs
// with the calling role's privileges and the caller's transaction.
#pragma once

#include <cstdint>
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
};

}  // namespace thaiyyal
