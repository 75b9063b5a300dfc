// Reading stored workflows and their versions (SPI, kept plans; needs an
// open SpiConnection). Run as the catalog owner (AsCatalogOwner) after the
// caller's tenant was checked: the tenant is always given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

struct WorkflowRef {
  Oid table = InvalidOid;  // thaiyyal.workflows: with the revision, the plan cache key
  std::int64_t id = 0;
  std::int32_t version = 0;
  std::int64_t revision = 0;
};

// The tenant's workflow `name` at `version` (its current version when
// absent): ERROR 42704 when the tenant has no such workflow or version.
WorkflowRef lookup_workflow(const std::string& tenant, const std::string& name,
                            std::optional<std::int32_t> version);

struct WorkflowRevision {
  bool found = false;
  std::int64_t workflow_id = 0;
  std::int32_t version = 0;
  Value definition;
};

// The immutable definition of a revision.
WorkflowRevision fetch_revision(std::int64_t revision);

SqlError no_such_workflow(const std::string& name, const std::string& tenant);

}  // namespace thaiyyal::pg
