// Per-backend LRU of thaiyyal_execute's compiled plans (payload_plan_cache.hpp).
// Pure C++: a backend has one thread, so no locking.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "engine/thaiyyal.hpp"

#include "extension/catalog/catalog_gucs.hpp"
#include "extension/run/lru_cache.hpp"
#include "extension/run/payload_plan_cache.hpp"

namespace thaiyyal::pg {

namespace {

struct CachedPlan {
  std::shared_ptr<const WorkflowPlan> plan;
  std::uint64_t stats_hash = 0;
};

// Keyed by the payload's bytes, looked up by a view of them.
using Cache = LruCache<std::string, CachedPlan>;

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

std::shared_ptr<const WorkflowPlan> payload_plan_find(std::string_view payload_bytes,
                                                      std::uint64_t* stats_hash) {
  Cache& c = cache();
  if (payload_cache_capacity() == 0) {
    c.evict_to(0);  // turned off: keep nothing
    return nullptr;
  }
  const CachedPlan* cached = c.find(payload_bytes);
  if (cached == nullptr) return nullptr;
  if (stats_hash != nullptr) *stats_hash = cached->stats_hash;
  return cached->plan;
}

void payload_plan_add(std::string_view payload_bytes, std::shared_ptr<const WorkflowPlan> plan,
                      std::uint64_t stats_hash) {
  Cache& c = cache();
  const std::size_t capacity = static_cast<std::size_t>(payload_cache_capacity());
  if (payload_bytes.size() > kMaxCachedPayloadBytes) {
    c.evict_to(capacity);
    return;
  }
  c.insert(std::string(payload_bytes), CachedPlan{std::move(plan), stats_hash}, capacity);
}

PayloadCacheStats payload_plan_cache_stats() {
  const Cache& c = cache();
  return PayloadCacheStats{static_cast<int>(c.size()), c.hits(), c.misses()};
}

}  // namespace thaiyyal::pg
