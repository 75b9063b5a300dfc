// Per-backend LRU of thaiyyal_execute's compiled plans (payload_plan_cache.hpp).
// Pure C++: a backend has one thread, so no locking.
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "runtime/engine.hpp"

#include "catalog_gucs.hpp"
#include "payload_plan_cache.hpp"

namespace thaiyyal::pg {

namespace {

struct Entry {
  std::string payload;  // the jsonb bytes; the index's keys view them
  std::shared_ptr<const WorkflowPlan> plan;
};

struct Cache {
  std::list<Entry> entries;  // most recently used first; nodes never move
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
};

Cache& cache() {
  static Cache c;
  return c;
}

void evict_to(Cache& c, std::size_t size) {
  while (c.entries.size() > size) {
    c.index.erase(std::string_view(c.entries.back().payload));
    c.entries.pop_back();
  }
}

}  // namespace

std::shared_ptr<const WorkflowPlan> payload_plan_find(std::string_view payload_bytes) {
  Cache& c = cache();
  if (payload_cache_capacity() == 0) {
    evict_to(c, 0);  // turned off: keep nothing
    return nullptr;
  }
  auto it = c.index.find(payload_bytes);
  if (it == c.index.end()) {
    ++c.misses;
    return nullptr;
  }
  ++c.hits;
  c.entries.splice(c.entries.begin(), c.entries, it->second);
  return it->second->plan;
}

void payload_plan_add(std::string_view payload_bytes, std::shared_ptr<const WorkflowPlan> plan) {
  Cache& c = cache();
  const std::size_t capacity = static_cast<std::size_t>(payload_cache_capacity());
  if (capacity == 0 || payload_bytes.size() > kMaxCachedPayloadBytes) {
    evict_to(c, capacity);
    return;
  }
  if (auto it = c.index.find(payload_bytes); it != c.index.end()) {
    it->second->plan = std::move(plan);
    c.entries.splice(c.entries.begin(), c.entries, it->second);
    return;
  }
  evict_to(c, capacity - 1);
  c.entries.push_front(Entry{std::string(payload_bytes), std::move(plan)});
  c.index.emplace(std::string_view(c.entries.front().payload), c.entries.begin());
}

PayloadCacheStats payload_plan_cache_stats() {
  const Cache& c = cache();
  return PayloadCacheStats{static_cast<int>(c.entries.size()), c.hits, c.misses};
}

}  // namespace thaiyyal::pg
