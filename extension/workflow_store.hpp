// Reading stored workflows for thaiyyal.run (SPI, kept plans; needs an open
// SpiConnection). Row-level security and the caller's privileges apply.
#pragma once

#include <cstdint>
#include <string>

#include "value/value.hpp"

namespace thaiyyal::pg {

struct WorkflowRef {
  std::string tenant;  // the current tenant (thaiyyal.require_tenant())
  bool found = false;
  std::uint32_t table = 0;  // tableoid of the row
  std::int64_t id = 0;
  std::int32_t version = 0;
  std::int64_t revision = 0;
};

// The current tenant's workflow `name`: (id, version, revision) only, by
// the (tenant, name) unique index. Raises 42501 (PgError) when the role may
// not act for the tenant the setting names.
WorkflowRef lookup_workflow(const std::string& name);

struct WorkflowDefinition {
  bool found = false;
  std::int32_t version = 0;
  std::int64_t revision = 0;
  Value definition;
};

// The definition of workflow `id` as it is now (with its version and
// revision, which may be newer than a lookup made just before).
WorkflowDefinition fetch_definition(std::int64_t id);

}  // namespace thaiyyal::pg
