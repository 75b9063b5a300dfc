// Who catalog statements run as, and with which search_path.
//
// Every statement on the catalog runs with search_path = pg_catalog,
// pg_temp (FixedSearchPath, which KeptStatement::execute sets for each
// statement), so that no schema a caller can write to ever resolves a name
// or an operator in it -- the callers include superusers.
// Writes run as the owner of the catalog tables (AsCatalogOwner), after the
// API has checked the caller as the caller: ordinary roles have no write
// privileges on thaiyyal.* at all.
#pragma once

#include <optional>
#include <string>

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// A GUC nest level: settings changed inside it are reverted by revert()
// (or by the abort of the enclosing (sub)transaction when an error
// unwinds past it).
class GucNestLevel {
 public:
  GucNestLevel();
  ~GucNestLevel();
  GucNestLevel(const GucNestLevel&) = delete;
  GucNestLevel& operator=(const GucNestLevel&) = delete;

  void revert();

 private:
  int level_ = 0;
  bool reverted_ = false;
};

// search_path = pg_catalog, pg_temp until the end of the scope. Nothing to
// do (no GUC nest level, whose revert walks every setting) when an
// enclosing scope fixed it already.
class FixedSearchPath {
 public:
  FixedSearchPath();
  ~FixedSearchPath() = default;
  FixedSearchPath(const FixedSearchPath&) = delete;
  FixedSearchPath& operator=(const FixedSearchPath&) = delete;

 private:
  std::optional<GucNestLevel> level_;
};

// The owner of the catalog tables (the role that created the extension).
Oid catalog_owner();

// Acts as the catalog owner, in a security-restricted operation, until end()
// or the end of the scope; then the caller's identity is back.
class AsCatalogOwner {
 public:
  AsCatalogOwner();
  ~AsCatalogOwner();
  AsCatalogOwner(const AsCatalogOwner&) = delete;
  AsCatalogOwner& operator=(const AsCatalogOwner&) = delete;

  void end();

 private:
  Oid saved_user_ = InvalidOid;
  int saved_security_context_ = 0;
  bool ended_ = false;
  // No FixedSearchPath here: every statement run as the owner is a
  // KeptStatement, which fixes it itself, and the hot paths as the owner
  // (direct_rows.hpp) resolve no names; a GUC level per scope cost more than
  // the catalog lookups of thaiyyal.run.
};

// The calling role and the tenant it acts for.
struct Caller {
  Oid role = InvalidOid;
  std::string role_name;
  bool superuser = false;
  std::string tenant;
};

// The caller and its current tenant (thaiyyal.require_tenant(), evaluated
// as the caller): ERROR 42501 when the role may not act for the tenant
// that thaiyyal.tenant names. Needs an SPI connection.
Caller require_caller_tenant();

}  // namespace thaiyyal::pg
