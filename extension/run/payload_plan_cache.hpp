// The per-backend cache of plans compiled by thaiyyal_execute, keyed by the
// payload's exact jsonb bytes.
//
// jsonb is a canonical binary form (keys sorted and de-duplicated), so equal
// bytes are the same payload and compile to the same plan; a hit skips the
// jsonb -> Value conversion and the compile, which are most of the cost of a
// call (docs/PERFORMANCE.md). Different spellings of one number (1.0, 1.00)
// are different bytes: a miss, never a wrong hit. Plans are immutable and
// shared, so an entry evicted while a (nested) run uses it stays alive.
//
// Bounded by thaiyyal.payload_cache_size entries (0 = off); payloads larger
// than kMaxCachedPayloadBytes are never cached.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "engine/thaiyyal.hpp"

namespace thaiyyal::pg {

constexpr std::size_t kMaxCachedPayloadBytes = 1 << 20;

struct PayloadCacheStats {
  int entries = 0;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
};

// A payload as the cache keys it: its bytes and their hash, computed once
// per call (for the lookup and, after a miss, the insert).
struct PayloadKey {
  std::string_view bytes;
  std::size_t hash = 0;
};
PayloadKey payload_key(std::string_view payload_bytes);

struct PayloadPlan {
  std::shared_ptr<const WorkflowPlan> plan;
  // The payload's hash as the statistics identify it
  // (stats/run_tracker.hpp), once a call that tracks statistics needed it.
  std::uint64_t stats_hash = 0;
  bool has_stats_hash = false;
};

// The cached entry, valid until the next payload_plan_add, or nullptr on a
// miss (counted).
PayloadPlan* payload_plan_find(const PayloadKey& key);
// Adds an entry (evicting the least recently used); ignores payloads that
// are too large or a capacity of 0.
void payload_plan_add(const PayloadKey& key, PayloadPlan entry);
PayloadCacheStats payload_plan_cache_stats();

}  // namespace thaiyyal::pg
