// A SqlService that counts what the SQL nodes of a run read and wrote, for
// thaiyyal.stat_workflows (sql_rows_read: rows sql_query returned;
// sql_rows_written: rows sql_batch wrote and rows a sql_query statement
// changed without returning them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/thaiyyal.hpp"

namespace thaiyyal::pg {

class CountingSql final : public SqlService {
 public:
  explicit CountingSql(SqlService& inner) : inner_(inner) {}

  SqlQueryResult query(std::string_view query, const std::vector<Value>& params,
                       std::int64_t max_rows) override {
    SqlQueryResult result = inner_.query(query, params, max_rows);
    const auto returned = static_cast<std::int64_t>(result.rows.size());
    rows_read_ += returned;
    if (result.count > returned) rows_written_ += result.count - returned;
    return result;
  }
  std::int64_t batch(std::string_view table, SqlBatchMode mode, const std::vector<std::string>& key,
                     const Value& rows) override {
    const std::int64_t written = inner_.batch(table, mode, key, rows);
    rows_written_ += written;
    return written;
  }

  std::int64_t rows_read() const { return rows_read_; }
  std::int64_t rows_written() const { return rows_written_; }

 private:
  SqlService& inner_;
  std::int64_t rows_read_ = 0;
  std::int64_t rows_written_ = 0;
};

}  // namespace thaiyyal::pg
