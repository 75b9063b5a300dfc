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
using Cache = LruCache<std::string, PayloadPlan>;

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

PayloadKey payload_key(std::string_view payload_bytes) {
  return PayloadKey{payload_bytes, Cache::hash_of(payload_bytes)};
}

PayloadPlan* payload_plan_find(const PayloadKey& key) {
  Cache& c = cache();
  if (payload_cache_capacity() == 0) {
    c.evict_to(0);  // turned off: keep nothing
    return nullptr;
  }
  return c.find(key.bytes, key.hash);
}

void payload_plan_add(const PayloadKey& key, PayloadPlan entry) {
  Cache& c = cache();
  const std::size_t capacity = static_cast<std::size_t>(payload_cache_capacity());
  if (key.bytes.size() > kMaxCachedPayloadBytes) {
    c.evict_to(capacity);
    return;
  }
  c.insert(std::string(key.bytes), key.hash, std::move(entry), capacity);
}

PayloadCacheStats payload_plan_cache_stats() {
  const Cache& c = cache();
  return PayloadCacheStats{static_cast<int>(c.size()), c.hits(), c.misses()};
}

}  // namespace thaiyyal::pg
