// Stored workflow lookups (see workflow_store.hpp).
#include "extension/catalog/workflow_store.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/catalog/direct_rows.hpp"
#include "extension/convert/jsonb_to_value.hpp"

namespace thaiyyal::pg {

SqlError no_such_workflow(const std::string& name, const std::string& tenant) {
  return SqlError(ERRCODE_UNDEFINED_OBJECT, "workflow \"" + name + "\" does not exist",
                  "The tenant is \"" + tenant + "\".");
}

WorkflowRef lookup_workflow(const std::string& tenant, const std::string& name,
                            std::optional<std::int32_t> version) {
  WorkflowRef ref;
  bool isnull = false;
  switch (find_workflow_directly(tenant, name, ref)) {
    case DirectLookup::Found:
      break;
    case DirectLookup::NotFound:
      throw no_such_workflow(name, tenant);
    case DirectLookup::Unavailable: {
      Datum values[2] = {text_datum(tenant), text_datum(name)};
      catalog_sql::lookup_workflow.execute(values, "  ", 1);
      if (result_rows() != 1) throw no_such_workflow(name, tenant);
      ref.id = DatumGetInt64(result_value(0, 1, &isnull));
      ref.version = DatumGetInt32(result_value(0, 2, &isnull));
      ref.revision = DatumGetInt64(result_value(0, 3, &isnull));
      ref.table = DatumGetObjectId(result_value(0, 4, &isnull));
      break;
    }
  }
  if (!version || *version == ref.version) return ref;

  Datum keys[2] = {Int64GetDatum(ref.id), Int32GetDatum(*version)};
  catalog_sql::lookup_version.execute(keys, "  ", 1);
  if (result_rows() != 1) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT,
                   "workflow \"" + name + "\" has no version " + std::to_string(*version),
                   "Its current version is " + std::to_string(ref.version) + ".");
  }
  ref.version = *version;
  ref.revision = DatumGetInt64(result_value(0, 1, &isnull));
  return ref;
}

WorkflowRevision fetch_revision(std::int64_t revision) {
  Datum arg = Int64GetDatum(revision);
  catalog_sql::fetch_revision.execute(&arg, " ", 1);
  WorkflowRevision result;
  if (result_rows() != 1) return result;
  bool isnull = false;
  result.found = true;
  result.workflow_id = DatumGetInt64(result_value(0, 1, &isnull));
  result.version = DatumGetInt32(result_value(0, 2, &isnull));
  const Datum definition = result_value(0, 3, &isnull);
  result.definition =
      jsonb_to_value(pg_call([definition]() noexcept { return DatumGetJsonbP(definition); }));
  SPITupleTable* table = SPI_tuptable;
  pg_call([table]() noexcept { SPI_freetuptable(table); });
  return result;
}

}  // namespace thaiyyal::pg
