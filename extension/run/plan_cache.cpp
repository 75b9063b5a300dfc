// Per-backend LRU of compiled workflow plans (see plan_cache.hpp). Pure C++:
// a backend has one thread, so no locking.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

#include "engine/thaiyyal.hpp"

#include "extension/catalog/catalog_gucs.hpp"
#include "extension/run/lru_cache.hpp"
#include "extension/run/plan_cache.hpp"

namespace thaiyyal::pg {

namespace {

struct KeyHash {
  std::size_t operator()(const PlanCacheKey& k) const noexcept {
    std::size_t h = std::hash<std::int64_t>{}(k.workflow_id);
    for (const std::size_t v :
         {std::hash<std::int64_t>{}(k.revision), std::hash<std::uint32_t>{}(k.table)}) {
      h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    return h;
  }
};

using Cache = LruCache<PlanCacheKey, std::shared_ptr<const WorkflowPlan>, KeyHash>;

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

std::shared_ptr<const WorkflowPlan> plan_cache_find(const PlanCacheKey& key) {
  auto* plan = cache().find(key);
  return plan == nullptr ? nullptr : *plan;
}

void plan_cache_add(const PlanCacheKey& key, std::shared_ptr<const WorkflowPlan> plan) {
  cache().insert(key, std::move(plan), static_cast<std::size_t>(plan_cache_capacity()));
}

PlanCacheStats plan_cache_stats() {
  const Cache& c = cache();
  return PlanCacheStats{static_cast<int>(c.size()), c.hits(), c.misses()};
}

}  // namespace thaiyyal::pg
