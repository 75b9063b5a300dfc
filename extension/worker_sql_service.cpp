// WorkerSqlService (worker_sql_service.hpp).
#include "worker_sql_service.hpp"

#include "spi_sql_service.hpp"
#include "worker_transaction.hpp"

namespace thaiyyal::pg {

template <typename Fn>
auto WorkerSqlService::in_run_transaction(Fn&& body) {
  WorkerTransaction transaction;
  RunIdentity identity(role_, tenant_);
  SpiSqlService service;
  auto result = body(service);
  service.rethrow_pending_error();
  identity.end();
  transaction.commit();
  return result;
}

SqlQueryResult WorkerSqlService::query(std::string_view query, const std::vector<Value>& params,
                                       std::int64_t max_rows) {
  return in_run_transaction(
      [&](SpiSqlService& service) { return service.query(query, params, max_rows); });
}

std::int64_t WorkerSqlService::batch(std::string_view table, SqlBatchMode mode,
                                     const std::vector<std::string>& key, const Value& rows) {
  return in_run_transaction(
      [&](SpiSqlService& service) { return service.batch(table, mode, key, rows); });
}

}  // namespace thaiyyal::pg
