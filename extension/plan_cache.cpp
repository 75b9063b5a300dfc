// Per-backend LRU of compiled workflow plans (see plan_cache.hpp). Pure C++:
// a backend has one thread, so no locking.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <unordered_map>
#include <utility>

#include "runtime/engine.hpp"

#include "catalog_gucs.hpp"
#include "plan_cache.hpp"

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

struct Entry {
  PlanCacheKey key;
  std::shared_ptr<const WorkflowPlan> plan;
};

struct Cache {
  std::list<Entry> entries;  // most recently used first
  std::unordered_map<PlanCacheKey, std::list<Entry>::iterator, KeyHash> index;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
};

Cache& cache() {
  static Cache c;
  return c;
}

void evict_to(Cache& c, std::size_t size) {
  while (c.entries.size() > size) {
    c.index.erase(c.entries.back().key);
    c.entries.pop_back();
  }
}

}  // namespace

std::shared_ptr<const WorkflowPlan> plan_cache_find(const PlanCacheKey& key) {
  Cache& c = cache();
  auto it = c.index.find(key);
  if (it == c.index.end()) {
    ++c.misses;
    return nullptr;
  }
  ++c.hits;
  c.entries.splice(c.entries.begin(), c.entries, it->second);
  return it->second->plan;
}

void plan_cache_add(const PlanCacheKey& key, std::shared_ptr<const WorkflowPlan> plan) {
  Cache& c = cache();
  const std::size_t capacity = static_cast<std::size_t>(plan_cache_capacity());
  if (auto it = c.index.find(key); it != c.index.end()) {
    it->second->plan = std::move(plan);
    c.entries.splice(c.entries.begin(), c.entries, it->second);
  } else if (capacity > 0) {
    evict_to(c, capacity - 1);
    c.entries.push_front(Entry{key, std::move(plan)});
    c.index.emplace(key, c.entries.begin());
  }
  evict_to(c, capacity);
}

PlanCacheStats plan_cache_stats() {
  const Cache& c = cache();
  return PlanCacheStats{static_cast<int>(c.entries.size()), c.hits, c.misses};
}

}  // namespace thaiyyal::pg
