// Identity and search_path of catalog statements (see identity.hpp).
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_sql.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "utils/syscache.h"
}

namespace thaiyyal::pg {

GucNestLevel::GucNestLevel() {
  level_ = pg_call([]() noexcept { return NewGUCNestLevel(); });
}

GucNestLevel::~GucNestLevel() {
  if (reverted_) return;
  try {
    revert();
  } catch (...) {
    // An error is unwinding: the (sub)transaction's abort reverts the level.
  }
}

void GucNestLevel::revert() {
  if (reverted_) return;
  reverted_ = true;
  const int level = level_;
  pg_call([level]() noexcept { AtEOXact_GUC(false, level); });
}

namespace {
constexpr char kFixedSearchPath[] = "pg_catalog, pg_temp";
}  // namespace

FixedSearchPath::FixedSearchPath() {
  // Already fixed by an enclosing scope (a catalog statement inside
  // AsCatalogOwner): setting it again would only cost a GUC save and
  // restore on every statement.
  const bool fixed = pg_call([]() noexcept {
    return namespace_search_path != nullptr && strcmp(namespace_search_path, kFixedSearchPath) == 0;
  });
  if (fixed) return;
  level_.emplace();
  pg_call([]() noexcept {
    (void)set_config_option("search_path", kFixedSearchPath, PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
  });
}

Oid catalog_owner() {
  return pg_call([]() noexcept {
    const Oid ns = get_namespace_oid("thaiyyal", false);
    const Oid runs = get_relname_relid("runs", ns);
    if (!OidIsValid(runs)) elog(ERROR, "thaiyyal: table thaiyyal.runs does not exist");
    HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(runs));
    if (!HeapTupleIsValid(tuple)) elog(ERROR, "thaiyyal: cache lookup failed for thaiyyal.runs");
    const Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relowner;
    ReleaseSysCache(tuple);
    return owner;
  });
}

AsCatalogOwner::AsCatalogOwner() {
  const Oid owner = catalog_owner();
  Oid saved_user = InvalidOid;
  int saved_context = 0;
  pg_call([owner, &saved_user, &saved_context]() noexcept {
    GetUserIdAndSecContext(&saved_user, &saved_context);
    SetUserIdAndSecContext(
        owner, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
  });
  saved_user_ = saved_user;
  saved_security_context_ = saved_context;
}

AsCatalogOwner::~AsCatalogOwner() {
  // Never leave the owner's identity behind, not even while an exception
  // unwinds (a caller may catch it and carry on).
  const Oid user = saved_user_;
  const int context = saved_security_context_;
  if (!ended_) SetUserIdAndSecContext(user, context);
}

void AsCatalogOwner::end() {
  if (ended_) return;
  ended_ = true;
  SetUserIdAndSecContext(saved_user_, saved_security_context_);
}

Caller require_caller_tenant() {
  // The common case answered here: thaiyyal.tenant empty or the current
  // role's own name. Then thaiyyal.current_tenant() is CURRENT_USER and
  // thaiyyal.may_act_for() says yes before any lookup ("IF tenant =
  // CURRENT_USER") -- the same answer without running require_tenant()'s
  // PL/pgSQL through SPI, which was most of a thaiyyal.run call
  // (docs/notes/2026-12-06-performance-second-pass.md).
  struct Own {
    bool own;
    Oid role;
    char* role_name;
    bool superuser;
  };
  const Own own = pg_call([]() noexcept {
    Own o{};
    o.role = GetUserId();
    o.role_name = GetUserNameFromId(o.role, false);
    const char* setting = GetConfigOption("thaiyyal.tenant", true, false);
    o.own = setting == nullptr || setting[0] == '\0' || strcmp(setting, o.role_name) == 0;
    if (o.own) o.superuser = superuser_arg(o.role);
    return o;
  });
  if (own.own) return Caller{own.role, own.role_name, own.superuser, own.role_name};

  catalog_sql::require_tenant.execute(nullptr, nullptr, 1);
  struct Row {
    Oid role;
    char* role_name;
    bool superuser;
    char* tenant;
  };
  const Row row = pg_call([]() noexcept {
    Row r{};
    if (SPI_processed != 1) elog(ERROR, "thaiyyal: require_tenant returned no row");
    bool isnull = false;
    const Datum tenant = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
    r.tenant = TextDatumGetCString(tenant);
    r.role = GetUserId();
    r.role_name = GetUserNameFromId(r.role, false);
    r.superuser = superuser_arg(r.role);
    SPI_freetuptable(SPI_tuptable);
    return r;
  });
  return Caller{row.role, row.role_name, row.superuser, row.tenant};
}

}  // namespace thaiyyal::pg
