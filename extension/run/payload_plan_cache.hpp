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

// nullptr on a miss (counted). On a hit, `*stats_hash` (when given) is
// the payload's hash as the statistics identify it (stats/run_tracker.hpp),
// computed once when the plan was added.
std::shared_ptr<const WorkflowPlan> payload_plan_find(std::string_view payload_bytes,
                                                      std::uint64_t* stats_hash = nullptr);
// Adds a plan (evicting the least recently used) with the payload's
// statistics hash; ignores payloads that are too large or a capacity of 0.
void payload_plan_add(std::string_view payload_bytes, std::shared_ptr<const WorkflowPlan> plan,
                      std::uint64_t stats_hash = 0);
PayloadCacheStats payload_plan_cache_stats();

}  // namespace thaiyyal::pg
