// Date functions (language.md §6.5). All calendar computations are in UTC.
// String arguments are parsed like Go's time.Parse with the reference's
// layouts, tried in its order: RFC 3339, RFC 822, RFC 1123, "2006-01-02",
// "2006-01-02 15:04:05", "2006-01-02T15:04:05".
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

#include "engine/expr/compare.hpp"
#include "engine/expr/evaluator.hpp"
#include "engine/go/calendar.hpp"

namespace thaiyyal::expr {

namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// An instant: seconds since the Unix epoch and nanoseconds in [0, 1e9).
struct Instant {
  std::int64_t sec = 0;
  std::int64_t nsec = 0;
};

using go::days_from_civil;
using go::floor_div;

Instant from_nanos(std::int64_t nanos) {
  Instant t;
  t.sec = floor_div(nanos, kNanosPerSecond);
  t.nsec = nanos % kNanosPerSecond;  // not nanos - sec * 1e9: overflows near INT64_MIN
  if (t.nsec < 0) t.nsec += kNanosPerSecond;
  return t;
}

// ---- a small port of Go's time.Parse for the layouts above ----

enum class Elem : std::uint8_t {
  Year4,       // 2006
  Year2,       // 06
  Month2,      // 01
  MonthName,   // Jan
  Day2,        // 02
  Weekday,     // Mon
  Hour,        // 15 (one or two digits)
  Minute2,     // 04
  Second2,     // 05, with an optional fraction after it
  ZoneISO,     // Z07:00
  ZoneAbbrev,  // MST
  Space,       // one or more spaces
  Dash,
  Colon,
  Comma,
  T,
};

using Layout = std::initializer_list<Elem>;

const Layout kRFC3339 = {Elem::Year4,   Elem::Dash,  Elem::Month2,  Elem::Dash,
                         Elem::Day2,    Elem::T,     Elem::Hour,    Elem::Colon,
                         Elem::Minute2, Elem::Colon, Elem::Second2, Elem::ZoneISO};
const Layout kRFC822 = {Elem::Day2,    Elem::Space, Elem::MonthName, Elem::Space,
                        Elem::Year2,   Elem::Space, Elem::Hour,      Elem::Colon,
                        Elem::Minute2, Elem::Space, Elem::ZoneAbbrev};
const Layout kRFC1123 = {Elem::Weekday, Elem::Comma,     Elem::Space, Elem::Day2,
                         Elem::Space,   Elem::MonthName, Elem::Space, Elem::Year4,
                         Elem::Space,   Elem::Hour,      Elem::Colon, Elem::Minute2,
                         Elem::Colon,   Elem::Second2,   Elem::Space, Elem::ZoneAbbrev};
const Layout kDate = {Elem::Year4, Elem::Dash, Elem::Month2, Elem::Dash, Elem::Day2};
const Layout kDateTimeSpace = {Elem::Year4,   Elem::Dash,  Elem::Month2, Elem::Dash,
                               Elem::Day2,    Elem::Space, Elem::Hour,   Elem::Colon,
                               Elem::Minute2, Elem::Colon, Elem::Second2};
const Layout kDateTimeT = {Elem::Year4,   Elem::Dash,  Elem::Month2, Elem::Dash,
                           Elem::Day2,    Elem::T,     Elem::Hour,   Elem::Colon,
                           Elem::Minute2, Elem::Colon, Elem::Second2};

bool digit_at(std::string_view s, std::size_t i) {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}

// Go getnum: one or two digits (exactly two when `fixed`).
bool getnum(std::string_view& s, bool fixed, int& out) {
  if (!digit_at(s, 0)) return false;
  if (!digit_at(s, 1)) {
    if (fixed) return false;
    out = s[0] - '0';
    s.remove_prefix(1);
    return true;
  }
  out = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Go lookup: case-insensitive prefix match against a table of names.
int lookup(std::string_view& s, const std::array<std::string_view, 12>& names, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view n = names[i];
    if (s.size() < n.size()) continue;
    bool match = true;
    for (std::size_t k = 0; k < n.size(); ++k) {
      if (lower(s[k]) != lower(n[k])) {
        match = false;
        break;
      }
    }
    if (match) {
      s.remove_prefix(n.size());
      return static_cast<int>(i);
    }
  }
  return -1;
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
                                                    "Sat", "",    "",    "",    "",    ""};

// Go parseSignedOffset: "+h" / "-hh" up to 12; length consumed or 0.
std::size_t signed_offset_len(std::string_view v) {
  if (v.empty() || (v[0] != '+' && v[0] != '-')) return 0;
  std::size_t i = 1;
  std::int64_t x = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
    x = x * 10 + (v[i] - '0');
    if (x > 1000000) return 0;
    ++i;
  }
  if (i == 1 || x > 12) return 0;
  return i;
}

// Go parseTimeZone: the length of a zone abbreviation, 0 if none.
std::size_t zone_abbrev_len(std::string_view v) {
  if (v.size() < 3) return 0;
  if (v.size() >= 4 && (v.substr(0, 4) == "ChST" || v.substr(0, 4) == "MeST")) return 4;
  if (v.substr(0, 3) == "GMT") return 3 + signed_offset_len(v.substr(3));
  if (v[0] == '+' || v[0] == '-') return signed_offset_len(v);
  std::size_t upper = 0;
  while (upper < 6 && upper < v.size() && v[upper] >= 'A' && v[upper] <= 'Z') ++upper;
  switch (upper) {
    case 3:
      return 3;
    case 4:
      return (v[3] == 'T' || v.substr(0, 4) == "WITA") ? 4 : 0;
    case 5:
      return v[4] == 'T' ? 5 : 0;
    default:
      return 0;
  }
}

bool parse_layout(std::string_view s, Layout layout, Instant& out) {
  std::int64_t year = 1970;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::int64_t nsec = 0;
  std::int64_t offset = 0;  // seconds east of UTC
  for (Elem e : layout) {
    switch (e) {
      case Elem::Year4: {
        if (s.size() < 4 || !digit_at(s, 0)) return false;
        std::int64_t y = 0;
        for (std::size_t i = 0; i < 4; ++i) {
          if (!digit_at(s, i)) return false;
          y = y * 10 + (s[i] - '0');
        }
        year = y;
        s.remove_prefix(4);
        break;
      }
      case Elem::Year2: {
        if (s.size() < 2 || !digit_at(s, 0) || !digit_at(s, 1)) return false;
        int y = (s[0] - '0') * 10 + (s[1] - '0');
        year = y >= 69 ? 1900 + y : 2000 + y;
        s.remove_prefix(2);
        break;
      }
      case Elem::Month2:
        if (!getnum(s, true, month) || month < 1 || month > 12) return false;
        break;
      case Elem::MonthName: {
        int m = lookup(s, kMonths, 12);
        if (m < 0) return false;
        month = m + 1;
        break;
      }
      case Elem::Day2:
        if (!getnum(s, true, day)) return false;
        break;
      case Elem::Weekday:
        if (lookup(s, kDays, 7) < 0) return false;
        break;
      case Elem::Hour:
        if (!getnum(s, false, hour) || hour > 23) return false;
        break;
      case Elem::Minute2:
        if (!getnum(s, true, minute) || minute > 59) return false;
        break;
      case Elem::Second2:
        if (!getnum(s, true, second) || second > 59) return false;
        // A fraction may follow the seconds even though the layout has none.
        if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') && digit_at(s, 1)) {
          std::size_t n = 1;
          while (digit_at(s, n)) ++n;
          std::int64_t frac = 0;
          std::size_t used = 0;
          for (std::size_t i = 1; i < n && used < 9; ++i, ++used) frac = frac * 10 + (s[i] - '0');
          for (; used < 9; ++used) frac *= 10;
          nsec = frac;
          s.remove_prefix(n);
        }
        break;
      case Elem::ZoneISO: {
        if (!s.empty() && s[0] == 'Z') {
          s.remove_prefix(1);
          break;
        }
        if (s.size() < 6 || s[3] != ':' || (s[0] != '+' && s[0] != '-')) return false;
        std::string_view hh = s.substr(1, 2);
        std::string_view mm = s.substr(4, 2);
        int h, m;
        if (!getnum(hh, true, h) || !getnum(mm, true, m)) return false;
        if (h > 24 || m > 60) return false;
        offset = (h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
        s.remove_prefix(6);
        break;
      }
      case Elem::ZoneAbbrev: {
        // Without a matching local zone Go keeps the wall clock as UTC
        // (offset 0); "UTC" is UTC.
        if (s.size() >= 3 && s.substr(0, 3) == "UTC") {
          s.remove_prefix(3);
          break;
        }
        std::size_t n = zone_abbrev_len(s);
        if (n == 0) return false;
        s.remove_prefix(n);
        break;
      }
      case Elem::Space:
        if (s.empty() || s[0] != ' ') return false;
        while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
        break;
      case Elem::Dash:
      case Elem::Colon:
      case Elem::Comma:
      case Elem::T: {
        const char c = e == Elem::Dash    ? '-'
                       : e == Elem::Colon ? ':'
                       : e == Elem::Comma ? ','
                                          : 'T';
        if (s.empty() || s[0] != c) return false;
        s.remove_prefix(1);
        break;
      }
    }
  }
  if (!s.empty()) return false;  // extra text
  if (day < 1 ||
      static_cast<unsigned>(day) > go::days_in_month(static_cast<unsigned>(month), year)) {
    return false;
  }
  out.sec =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
      hour * 3600 + minute * 60 + second - offset;
  out.nsec = nsec;
  return true;
}

bool parse_date_string(std::string_view s, Instant& out) {
  for (Layout layout : {kRFC3339, kRFC822, kRFC1123, kDate, kDateTimeSpace, kDateTimeT}) {
    if (parse_layout(s, layout, out)) return true;
  }
  return false;
}

std::int64_t clamp_to_int64(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
  if (d <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(d);  // truncates toward zero
}

// A date argument: time, date string or Unix seconds.
bool to_instant(Evaluator& ev, const Value& v, Instant& out, std::string& error) {
  switch (v.kind()) {
    case Kind::Time:
      out = from_nanos(v.as_time_nanos());
      return true;
    case Kind::Number:
    case Kind::Int:
      out.sec = v.is_int() ? v.as_int() : clamp_to_int64(v.as_number());
      out.nsec = 0;
      return true;
    case Kind::String:
      if (parse_date_string(v.as_string(), out)) return true;
      error = "unable to parse date/time: " + v.as_string();
      return false;
    default: {
      std::string text;
      if (!ev.append_text(text, v)) {
        error = ev.error().text();
        return false;
      }
      error = "unable to parse date/time: " + text;
      return false;
    }
  }
}

const Value* time_result(Evaluator& ev, const Instant& t, Value& slot) {
  // Representable as int64 nanoseconds (years 1678-2262)?
  if (t.sec > std::numeric_limits<std::int64_t>::max() / kNanosPerSecond - 1 ||
      t.sec < std::numeric_limits<std::int64_t>::min() / kNanosPerSecond + 1) {
    return ev.fail("date/time out of range");
  }
  slot = Value::time(t.sec * kNanosPerSecond + t.nsec);
  return &slot;
}

}  // namespace

const Value* call_date(Evaluator& ev, Function f, const Node& call, Value& slot) {
  const std::string_view name = function_name(f);
  if (f == Function::Now) {
    slot = Value::time(ev.env().run_start_unix_nanos());
    return &slot;
  }
  Value s0;
  const Value* a0 = ev.arg(call, 0, s0, name);
  if (a0 == nullptr) return nullptr;
  std::string error;
  switch (f) {
    case Function::FromEpoch:
    case Function::FromEpochMillis: {
      double d;
      if (!to_number(*a0, d)) return ev.fail(std::string(name) + "() requires numeric argument");
      const std::int64_t n = clamp_to_int64(std::trunc(d));
      Instant t;
      if (f == Function::FromEpoch) {
        t.sec = n;
      } else {
        t.sec = floor_div(n, 1000);
        t.nsec = (n - t.sec * 1000) * 1'000'000;
      }
      return time_result(ev, t, slot);
    }
    case Function::DateDiff: {
      Value s1;
      Instant a, b;
      if (!to_instant(ev, *a0, a, error)) return ev.fail("dateDiff() first argument: " + error);
      const Value* a1 = ev.arg(call, 1, s1, name);
      if (a1 == nullptr) return nullptr;
      if (!to_instant(ev, *a1, b, error)) return ev.fail("dateDiff() second argument: " + error);
      // Go Time.Sub: an int64 Duration, saturated; then Duration.Seconds().
      __int128 d = static_cast<__int128>(a.sec - b.sec) * kNanosPerSecond + (a.nsec - b.nsec);
      const auto max = static_cast<__int128>(std::numeric_limits<std::int64_t>::max());
      const auto min = static_cast<__int128>(std::numeric_limits<std::int64_t>::min());
      if (d > max) d = max;
      if (d < min) d = min;
      const auto nanos = static_cast<std::int64_t>(d);
      const std::int64_t whole = nanos / kNanosPerSecond;
      const std::int64_t frac = nanos % kNanosPerSecond;
      return number_result(ev, static_cast<double>(whole) + static_cast<double>(frac) / 1e9, slot);
    }
    case Function::DateAdd: {
      Instant t;
      if (!to_instant(ev, *a0, t, error)) return ev.fail("dateAdd() first argument: " + error);
      Value s1;
      const Value* a1 = ev.arg(call, 1, s1, name);
      if (a1 == nullptr) return nullptr;
      double secs;
      if (!to_number(*a1, secs)) return ev.fail("dateAdd() second argument must be numeric");
      if (std::fabs(secs) > 9.2e9) return ev.fail("date/time out of range");
      t.sec += static_cast<std::int64_t>(std::trunc(secs));
      return time_result(ev, t, slot);
    }
    default:
      break;
  }
  Instant t;
  if (!to_instant(ev, *a0, t, error)) return ev.fail(error);
  switch (f) {
    case Function::ParseDate:
      return time_result(ev, t, slot);
    case Function::ToEpoch:
      return number_result(ev, static_cast<double>(t.sec), slot);
    case Function::ToEpochMillis:
      return number_result(
          ev, static_cast<double>(t.sec) * 1000 + static_cast<double>(t.nsec / 1'000'000), slot);
    default:
      break;
  }
  if (t.sec > 4'000'000'000'000'000'000 / 1000 || t.sec < -4'000'000'000'000'000'000 / 1000) {
    return ev.fail("date/time out of range");
  }
  const go::CivilTime c = go::civil_from_unix(t.sec, t.nsec);
  double r = 0;
  switch (f) {
    case Function::Year:
      r = static_cast<double>(c.year);
      break;
    case Function::Month:
      r = c.month;
      break;
    case Function::Day:
      r = c.day;
      break;
    case Function::Hour:
      r = c.hour;
      break;
    default:
      r = c.minute;
      break;
  }
  return number_result(ev, r, slot);
}

}  // namespace thaiyyal::expr
