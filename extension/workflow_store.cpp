// Stored workflow lookups (see workflow_store.hpp).
#include <cstdint>
#include <string>

#include "value/value.hpp"

#include "jsonb_to_value.hpp"
#include "spi_support.hpp"
#include "workflow_store.hpp"

#include "pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

// One row: the tenant, and the workflow's columns or NULLs.
KeptStatement lookup_statement(
    "SELECT t.tenant, w.id, w.version, w.revision, w.tableoid "
    "FROM thaiyyal.require_tenant() AS t(tenant) "
    "LEFT JOIN thaiyyal.workflows w ON w.tenant = t.tenant AND w.name = $1",
    {TEXTOID});

KeptStatement definition_statement(
    "SELECT w.version, w.revision, w.definition FROM thaiyyal.workflows w WHERE w.id = $1",
    {INT8OID});

// Column `attno` of the first result row; *isnull set. Plain C.
Datum first_row_value(int attno, bool* isnull) noexcept {
  return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, attno, isnull);
}

}  // namespace

WorkflowRef lookup_workflow(const std::string& name) {
  const char* c_name = name.c_str();
  Datum arg = pg_call([c_name]() noexcept { return CStringGetTextDatum(c_name); });
  lookup_statement.execute(&arg, " ", 0);

  struct Row {
    char* tenant;
    bool found;
    Oid table;
    std::int64_t id;
    std::int32_t version;
    std::int64_t revision;
  };
  const Row row = pg_call([]() noexcept {
    Row r{nullptr, false, InvalidOid, 0, 0, 0};
    if (SPI_processed != 1) elog(ERROR, "thaiyyal: workflow lookup returned no row");
    bool isnull = false;
    r.tenant = TextDatumGetCString(first_row_value(1, &isnull));
    const Datum id = first_row_value(2, &isnull);
    if (!isnull) {
      r.found = true;
      r.id = DatumGetInt64(id);
      r.version = DatumGetInt32(first_row_value(3, &isnull));
      r.revision = DatumGetInt64(first_row_value(4, &isnull));
      r.table = DatumGetObjectId(first_row_value(5, &isnull));
    }
    SPI_freetuptable(SPI_tuptable);
    return r;
  });
  return WorkflowRef{row.tenant, row.found, row.table, row.id, row.version, row.revision};
}

WorkflowDefinition fetch_definition(std::int64_t id) {
  Datum arg = Int64GetDatum(id);
  definition_statement.execute(&arg, " ", 0);

  struct Row {
    bool found;
    std::int32_t version;
    std::int64_t revision;
    Jsonb* definition;
  };
  const Row row = pg_call([]() noexcept {
    Row r{false, 0, 0, nullptr};
    if (SPI_processed == 1) {
      bool isnull = false;
      r.found = true;
      r.version = DatumGetInt32(first_row_value(1, &isnull));
      r.revision = DatumGetInt64(first_row_value(2, &isnull));
      r.definition = DatumGetJsonbP(first_row_value(3, &isnull));  // detoasted copy
    }
    return r;
  });
  WorkflowDefinition result;
  if (!row.found) return result;
  result.found = true;
  result.version = row.version;
  result.revision = row.revision;
  result.definition = jsonb_to_value(row.definition);
  SPITupleTable* table = SPI_tuptable;
  pg_call([table]() noexcept { SPI_freetuptable(table); });
  return result;
}

}  // namespace thaiyyal::pg
