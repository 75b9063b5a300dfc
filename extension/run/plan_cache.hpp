// The per-backend cache of compiled workflow plans used by thaiyyal.run.
//
// Key: (workflow id, revision) -- and the table's OID, see PlanCacheKey.
// thaiyyal.workflows takes a new revision from
// a sequence on every insert and update (a trigger enforces it for direct
// UPDATEs too), and sequence values are never handed out twice -- not even
// when the saving transaction rolls back, which is why the version number
// alone would not do: BEGIN; save (version 2, definition A); run; ROLLBACK;
// save (version 2 again, definition B) must not run A. A cached plan is
// therefore used only while its exact definition is the one the lookup
// finds, in every session, without any invalidation messages; entries of
// replaced or dropped workflows are simply never hit again and age out of
// the LRU (thaiyyal.plan_cache_size entries, 0 = no caching).
//
// Plans are immutable and shared (shared_ptr), so evicting an entry while a
// run (perhaps a nested one) still uses its plan is safe.
#pragma once

#include <cstdint>
#include <memory>

#include "engine/thaiyyal.hpp"

namespace thaiyyal::pg {

struct PlanCacheKey {
  // OID of the thaiyyal.workflows table: DROP / CREATE EXTENSION in the
  // same session starts ids and revisions again at 1 in a new table.
  std::uint32_t table;
  std::int64_t workflow_id;
  std::int64_t revision;
  bool operator==(const PlanCacheKey&) const = default;
};

struct PlanCacheStats {
  int entries = 0;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
};

// nullptr on a miss (counted).
std::shared_ptr<const WorkflowPlan> plan_cache_find(const PlanCacheKey& key);
// Adds a plan, evicting the least recently used beyond the capacity.
void plan_cache_add(const PlanCacheKey& key, std::shared_ptr<const WorkflowPlan> plan);
PlanCacheStats plan_cache_stats();

}  // namespace thaiyyal::pg
