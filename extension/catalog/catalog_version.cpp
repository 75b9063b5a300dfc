// Catalog version checks (see catalog_version.hpp).
#include "extension/catalog/catalog_version.hpp"

#include <string>

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/pg_extension.h"
#include "commands/extension.h"
#include "utils/fmgroids.h"
}

namespace thaiyyal::pg {

namespace {

// The extension whose catalog was last found current (DROP and CREATE
// EXTENSION give it a new oid).
Oid verified_extension = InvalidOid;

}  // namespace

std::string installed_catalog_version() {
  const char* version = pg_call([]() noexcept -> const char* {
    const Oid extension = get_extension_oid("thaiyyal", true);
    if (!OidIsValid(extension)) return nullptr;
    // pg_extension has no syscache: one index probe by oid.
    Relation rel = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(extension));
    SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    char* found = nullptr;
    if (HeapTupleIsValid(tuple)) {
      bool isnull = false;
      const Datum d =
          heap_getattr(tuple, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);
      if (!isnull) found = TextDatumGetCString(d);
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return found;
  });
  return version == nullptr ? std::string() : std::string(version);
}

void require_catalog_version() {
  const Oid extension = pg_call([]() noexcept { return get_extension_oid("thaiyyal", true); });
  if (OidIsValid(extension) && extension == verified_extension) return;
  const std::string installed = installed_catalog_version();
  if (installed == kCatalogVersion) {
    verified_extension = extension;
    return;
  }
  if (installed.empty()) {
    throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                   "the thaiyyal extension is not installed in this database", {},
                   "Run CREATE EXTENSION thaiyyal.");
  }
  throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                 "thaiyyal " + installed +
                     " is installed in this database, but the library serves " + kCatalogVersion,
                 {}, "Run ALTER EXTENSION thaiyyal UPDATE in this database.");
}

}  // namespace thaiyyal::pg
