// Calendar arithmetic after Howard Hinnant's days_from_civil and
// civil_from_days ("chrono-Compatible Low-Level Date Algorithms"): exact for
// every int64 day count the engine produces, no tables, no time zone.
#include "engine/go/calendar.hpp"

#include <array>

namespace thaiyyal::go {

namespace {
constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
}  // namespace

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilTime civil_from_unix(std::int64_t seconds, std::int64_t nanos) {
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t sod = seconds - days * kSecondsPerDay;
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  CivilTime t;
  t.year = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  t.month = static_cast<int>(m);
  t.day = static_cast<int>(d);
  t.hour = static_cast<int>(sod / 3600);
  t.minute = static_cast<int>((sod / 60) % 60);
  t.second = static_cast<int>(sod % 60);
  t.nanos = nanos;
  return t;
}

CivilTime civil_from_unix_nanos(std::int64_t unix_nanos) {
  // The remainder is taken directly: seconds * kNanosPerSecond overflows for
  // the earliest instants (INT64_MIN nanoseconds is 1677-09-21T00:12:43.145224192).
  std::int64_t nanos = unix_nanos % kNanosPerSecond;
  if (nanos < 0) nanos += kNanosPerSecond;
  return civil_from_unix(floor_div(unix_nanos, kNanosPerSecond), nanos);
}

bool is_leap_year(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned days_in_month(unsigned month, std::int64_t year) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

}  // namespace thaiyyal::go
