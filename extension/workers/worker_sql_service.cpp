// WorkerSqlService (worker_sql_service.hpp).
#include "extension/workers/worker_sql_service.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>

#include "extension/sql_nodes/spi_sql_service.hpp"
#include "extension/workers/worker_signals.hpp"
#include "extension/workers/worker_transaction.hpp"

extern "C" {
#include "storage/proc.h"
}

namespace thaiyyal::pg {

namespace {

// The statement timeout of a SQL node: the role's statement_timeout (its
// settings are applied at this point), cut to the time left in the run.
int statement_timeout_ms(TimestampTz deadline) {
  int timeout = StatementTimeout;
  if (deadline != 0) {
    const TimestampTz now = GetCurrentTimestamp();
    const std::int64_t left_ms = deadline > now ? (deadline - now + 999) / 1000 : 1;
    if (timeout <= 0 || left_ms < timeout) {
      timeout = static_cast<int>(std::min<std::int64_t>(left_ms, INT_MAX));
    }
  }
  return timeout;
}

}  // namespace

template <typename Fn, typename After>
auto WorkerSqlService::in_run_transaction(Fn&& body, After&& after) {
  WorkerTransaction transaction;
  RunIdentity identity(role_, tenant_);
  CancellableSqlSection section;
  section.arm_statement_timeout(statement_timeout_ms(deadline_));
  SpiSqlService service;
  auto result = body(service);
  service.rethrow_pending_error();
  identity.end();
  after(result);
  transaction.commit();
  return result;
}

namespace {
constexpr auto kNothingAfter = [](const auto&) {};
}  // namespace

SqlQueryResult WorkerSqlService::query(std::string_view query, const std::vector<Value>& params,
                                       std::int64_t max_rows) {
  return in_run_transaction(
      [&](SpiSqlService& service) { return service.query(query, params, max_rows); },
      kNothingAfter);
}

std::int64_t WorkerSqlService::batch(std::string_view table, SqlBatchMode mode,
                                     const std::vector<std::string>& key, const Value& rows) {
  return in_run_transaction(
      [&](SpiSqlService& service) { return service.batch(table, mode, key, rows); }, kNothingAfter);
}

SqlQueryResult WorkerSqlService::query_with_checkpoint(std::string_view query,
                                                       const std::vector<Value>& params,
                                                       std::int64_t max_rows,
                                                       const QueryCheckpoint& checkpoint) {
  return in_run_transaction(
      [&](SpiSqlService& service) { return service.query(query, params, max_rows); },
      [&](const SqlQueryResult& result) { checkpoint(result); });
}

std::int64_t WorkerSqlService::batch_with_checkpoint(std::string_view table, SqlBatchMode mode,
                                                     const std::vector<std::string>& key,
                                                     const Value& rows,
                                                     const BatchCheckpoint& checkpoint) {
  return in_run_transaction(
      [&](SpiSqlService& service) { return service.batch(table, mode, key, rows); },
      [&](std::int64_t written) { checkpoint(written); });
}

}  // namespace thaiyyal::pg
