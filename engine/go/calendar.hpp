// The proleptic Gregorian calendar in UTC, as Go's time package computes it:
// the one conversion between instants and civil dates that time formatting
// and the expression language's date functions share.
#pragma once

#include <cstdint>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go {

// Division rounding towards negative infinity (Go's time uses it for
// instants before 1970).
std::int64_t floor_div(std::int64_t a, std::int64_t b);

struct CivilTime {
  std::int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0, minute = 0, second = 0;
  std::int64_t nanos = 0;  // [0, 1e9)
};

// The civil time of an instant given as seconds (+ nanoseconds in [0, 1e9))
// since 1970-01-01T00:00:00Z.
CivilTime civil_from_unix(std::int64_t seconds, std::int64_t nanos = 0);
// The same for an instant in nanoseconds since the epoch.
CivilTime civil_from_unix_nanos(std::int64_t unix_nanos);

// Days since 1970-01-01 of a date; month in 1..12, day in 1..31.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

bool is_leap_year(std::int64_t year);
// Days in month (1..12) of year.
unsigned days_in_month(unsigned month, std::int64_t year);

}  // namespace thaiyyal::go
