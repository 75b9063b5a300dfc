// A small latency histogram for cumulative statistics (thaiyyal.stat_workflows'
// p50 / p95 / p99): 128 buckets, four per power of two of microseconds, from
// 1 us to about 71 minutes. A bucket is found with integer operations only
// (no logarithm on the hot path) and a quantile is reported as the middle
// of its bucket, so it is off by at most 1/8 of the value (12.5 %); it is
// clamped to the observed minimum and maximum.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::latency {

inline constexpr int kBuckets = 128;

// Bucket 4e + s holds [2^e (1 + s/4), 2^e (1 + (s+1)/4)) microseconds;
// below 1 us is bucket 0, from 2^32 us on the last one.
constexpr int bucket_of(std::int64_t nanos) {
  if (nanos < 1000) return 0;
  const std::uint64_t us = static_cast<std::uint64_t>(nanos) / 1000;
  const int e = std::bit_width(us) - 1;
  if (e >= 32) return kBuckets - 1;
  const int s =
      e >= 2 ? static_cast<int>((us >> (e - 2)) & 3) : static_cast<int>((us << (2 - e)) & 3);
  return 4 * e + s;
}

// The bounds of a bucket, in milliseconds.
constexpr double bucket_lower_ms(int bucket) {
  const int e = bucket / 4;
  const int s = bucket % 4;
  return static_cast<double>(std::uint64_t{1} << e) * (1.0 + s / 4.0) / 1000.0;
}
constexpr double bucket_upper_ms(int bucket) {
  return bucket % 4 == 3 ? static_cast<double>(std::uint64_t{1} << (bucket / 4 + 1)) / 1000.0
                         : bucket_lower_ms(bucket + 1);
}

// The time below which a fraction q (0 < q <= 1) of the `total` calls
// counted in `counts` (kBuckets entries) fall, in milliseconds: the middle
// of the bucket that holds the ceil(q * total)-th call, clamped to
// [min_ms, max_ms]. 0 when nothing was counted.
inline double quantile_ms(const std::uint64_t* counts, std::uint64_t total, double q, double min_ms,
                          double max_ms) {
  if (total == 0) return 0;
  std::uint64_t rank = static_cast<std::uint64_t>(q * static_cast<double>(total));
  if (static_cast<double>(rank) < q * static_cast<double>(total)) ++rank;
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  int bucket = kBuckets - 1;
  for (int b = 0; b < kBuckets; ++b) {
    seen += counts[b];
    if (seen >= rank) {
      bucket = b;
      break;
    }
  }
  double value = bucket == 0 ? 0.0005 : (bucket_lower_ms(bucket) + bucket_upper_ms(bucket)) / 2;
  if (value < min_ms) value = min_ms;
  if (value > max_ms) value = max_ms;
  return value;
}

}  // namespace thaiyyal::latency
