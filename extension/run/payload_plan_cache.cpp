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

// Keyed by the payload's bytes, looked up by a view of them.
using Cache = LruCache<std::string, std::shared_ptr<const WorkflowPlan>>;
static_assert(sizeof(std::size_t) == sizeof(std::uint64_t));

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

std::uint64_t payload_hash(std::string_view payload_bytes) {
  return Cache::hash_of(payload_bytes);
}

std::shared_ptr<const WorkflowPlan> payload_plan_find(std::string_view payload_bytes,
                                                      std::optional<std::uint64_t>& hash) {
  Cache& c = cache();
  if (payload_cache_capacity() == 0) {
    c.evict_to(0);  // turned off: keep nothing
    return nullptr;
  }
  std::size_t h = 0;
  const std::shared_ptr<const WorkflowPlan>* cached = c.find(payload_bytes, &h);
  hash = h;
  return cached != nullptr ? *cached : nullptr;
}

void payload_plan_add(std::string_view payload_bytes, std::uint64_t hash,
                      std::shared_ptr<const WorkflowPlan> plan) {
  Cache& c = cache();
  const std::size_t capacity = static_cast<std::size_t>(payload_cache_capacity());
  if (payload_bytes.size() > kMaxCachedPayloadBytes) {
    c.evict_to(capacity);
    return;
  }
  c.insert(std::string(payload_bytes), hash, std::move(plan), capacity);
}

PayloadCacheStats payload_plan_cache_stats() {
  const Cache& c = cache();
  return PayloadCacheStats{static_cast<int>(c.size()), c.hits(), c.misses()};
}

}  // namespace thaiyyal::pg
