// The engine's SqlService (engine/run/sql_service.hpp) on SPI: what the
// sql_query and sql_batch nodes run.
//
//  * Every node call runs in its own internal subtransaction: a failing
//    statement is rolled back alone and becomes a NodeError whose detail is
//    "SQLSTATE xxxxx[: <PostgreSQL DETAIL>]"; the caller's transaction stays
//    usable. Query cancel (class 57) and serialization failures / deadlocks
//    (class 40) are re-raised unchanged instead.
//  * Statements run as the current role, in the caller's transaction, with
//    a fresh snapshot each (SPI read_only = false): privileges, row-level
//    security and read-only transactions apply as to any other statement.
//    Settings a statement changes (SET, SET LOCAL, set_config) are reverted
//    when it ends: a SQL node never changes the caller's session.
//  * Prepared plans are kept per backend in an LRU keyed by the statement
//    text and the parameters' value kinds (thaiyyal.sql_plan_cache_size).
//    Parameter types are inferred from the statement, as for untyped
//    parameters sent by a client (`WHERE id = $1` with a bigint id binds $1
//    as bigint); a parameter the statement leaves undetermined gets a type
//    from its value's kind (string text, number numeric, bool boolean,
//    array/object jsonb, null text). Values are converted with the type's
//    input function, arrays into array types element by element, and any
//    value into json/jsonb as its JSON text.
//  * Rows come back as objects: row_to_json of each row, parsed by the
//    engine's JSON parser. This is PostgreSQL's own JSON mapping for every
//    type (numbers as numbers, booleans, json/jsonb nested, arrays as
//    arrays, composites as objects, timestamps as ISO 8601 strings, NULL as
//    null, NaN/Infinity as strings); numbers beyond the double range come
//    back as strings holding their digits. Results of the common column
//    types are read without the text, to the same Values (row_values.hpp).
//  * sql_batch resolves the table (search_path applies; unknown tables and
//    columns are node errors naming them) and writes all rows with one
//    statement over jsonb_populate_recordset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// One per run; needs an SPI connection for the whole run (SpiConnection,
// opened before the service is used).
class SpiSqlService final : public SqlService {
 public:
  SpiSqlService();

  SqlQueryResult query(std::string_view query, const std::vector<Value>& params,
                       std::int64_t max_rows) override;
  std::int64_t batch(std::string_view table, SqlBatchMode mode, const std::vector<std::string>& key,
                     const Value& rows) override;

  // Throws the error an earlier call let through (a cancel), if any.
  void rethrow_pending_error() const;

 private:
  template <typename Fn>
  auto guarded_statement(Fn&& body) -> decltype(body());

  SqlQueryResult run_query(std::string_view query, const std::vector<Value>& params,
                           std::int64_t max_rows);
  std::int64_t run_batch(std::string_view table, SqlBatchMode mode,
                         const std::vector<std::string>& key, const Value& rows);

  // Scratch memory of one statement, reset after each.
  MemoryContext statement_context_;
  bool has_pending_error_ = false;
  ErrorData* pending_error_ = nullptr;
};

// Statistics of this backend's statement cache.
struct SqlPlanCacheStats {
  int entries = 0;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
};
SqlPlanCacheStats sql_plan_cache_stats();

}  // namespace thaiyyal::pg
