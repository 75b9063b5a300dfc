// The catalog version this library serves. A server may run a newer
// library than a database's installed extension until ALTER EXTENSION
// thaiyyal UPDATE has run there; the catalog functions then refuse with a
// clear error instead of failing on missing tables, and the workers idle.
#pragma once

#include <string>

namespace thaiyyal::pg {

inline constexpr const char* kCatalogVersion = "0.3.0";

// The installed version of the extension in this database ("" when it is
// not installed). Needs a transaction.
std::string installed_catalog_version();

// ERROR 55000 with a HINT to run ALTER EXTENSION ... UPDATE when this
// database's catalog is not kCatalogVersion. Cheap after the first success
// in a backend.
void require_catalog_version();

}  // namespace thaiyyal::pg
