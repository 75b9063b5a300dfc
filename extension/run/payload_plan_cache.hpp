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
#include <optional>
#include <string_view>

#include "engine/thaiyyal.hpp"

namespace thaiyyal::pg {

constexpr std::size_t kMaxCachedPayloadBytes = 1 << 20;

struct PayloadCacheStats {
  int entries = 0;
  std::int64_t hits = 0;
  std::int64_t misses = 0;
};

// The hash of a payload's bytes: the cache's key hash, and the payload's
// identity in the statistics (stats/run_tracker.hpp, `payload_hash`).
std::uint64_t payload_hash(std::string_view payload_bytes);

// The cached plan, or nullptr on a miss (counted). `hash` receives
// payload_hash(payload_bytes), for payload_plan_add after a miss; it is
// computed only when the payload is not the most recently used one (whose
// hash is kept), and stays empty when the cache is off.
std::shared_ptr<const WorkflowPlan> payload_plan_find(std::string_view payload_bytes,
                                                      std::optional<std::uint64_t>& hash);
// Adds a plan (evicting the least recently used) under the payload's hash
// from payload_plan_find; ignores payloads that are too large or a capacity
// of 0.
void payload_plan_add(std::string_view payload_bytes, std::uint64_t hash,
                      std::shared_ptr<const WorkflowPlan> plan);
PayloadCacheStats payload_plan_cache_stats();

}  // namespace thaiyyal::pg
