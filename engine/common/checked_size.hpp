// Overflow-safe size arithmetic for sizes computed from data (repeat counts,
// sums of string lengths, element counts). The results saturate at the
// largest value instead of wrapping: a saturated size is never available in a
// memory budget (common/run_memory.hpp) and never below a limit, so the check
// that follows refuses it instead of allocating a wrapped-around small size.
#pragma once

#include <cstdint>
#include <limits>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

inline constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

inline constexpr std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r;
  return __builtin_mul_overflow(a, b, &r) ? kSaturated : r;
}

inline constexpr std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? kSaturated : r;
}

}  // namespace thaiyyal
