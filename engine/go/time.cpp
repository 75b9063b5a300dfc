// Go's time text (values.md §1.3, §7). Comments name the Go function whose
// observable output is reproduced.
#include "engine/go/time.hpp"

#include <charconv>
#include <cstring>
#include <limits>
#include <system_error>

#include "engine/go/calendar.hpp"

namespace thaiyyal {

namespace {

using go::civil_from_unix_nanos;
using go::CivilTime;

inline void append_2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

// Go's appendInt(b, year, 4): sign, then at least four digits.
void append_year(std::string& out, std::int64_t year) {
  std::uint64_t u = static_cast<std::uint64_t>(year);
  if (year < 0) {
    out.push_back('-');
    u = 0 - u;
  }
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, u);
  std::size_t len = static_cast<std::size_t>(res.ptr - buf);
  if (len < 4) out.append(4 - len, '0');
  out.append(buf, len);
}

// "2006-01-02<sep>15:04:05" followed by ".999999999" (trimmed).
void append_date_time(std::string& out, const CivilTime& t, char sep) {
  append_year(out, t.year);
  out.push_back('-');
  append_2(out, t.month);
  out.push_back('-');
  append_2(out, t.day);
  out.push_back(sep);
  append_2(out, t.hour);
  out.push_back(':');
  append_2(out, t.minute);
  out.push_back(':');
  append_2(out, t.second);
  if (t.nanos != 0) {
    char frac[9];
    std::int64_t v = t.nanos;
    for (int i = 8; i >= 0; --i) {
      frac[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    int len = 9;
    while (len > 0 && frac[len - 1] == '0') --len;
    out.push_back('.');
    out.append(frac, static_cast<std::size_t>(len));
  }
}

// ---------------------------------------------------------------------------
// Durations.

constexpr std::uint64_t kNanosecond = 1;
constexpr std::uint64_t kMicrosecond = 1000 * kNanosecond;
constexpr std::uint64_t kMillisecond = 1000 * kMicrosecond;
constexpr std::uint64_t kSecond = 1000 * kMillisecond;
constexpr std::uint64_t kMinute = 60 * kSecond;
constexpr std::uint64_t kHour = 60 * kMinute;
constexpr std::uint64_t kTwo63 = std::uint64_t{1} << 63;

std::uint64_t duration_unit(std::string_view u) {
  switch (u.size()) {
    case 1:
      if (u[0] == 's') return kSecond;
      if (u[0] == 'm') return kMinute;
      if (u[0] == 'h') return kHour;
      return 0;
    case 2:
      if (u == "ns") return kNanosecond;
      if (u == "us") return kMicrosecond;
      if (u == "ms") return kMillisecond;
      return 0;
    case 3:
      if (u == "\xC2\xB5s" || u == "\xCE\xBCs") return kMicrosecond;  // µs, μs
      return 0;
    default:
      return 0;
  }
}

// time.fmtFrac: writes ".ddd" (trailing zeros trimmed) before position w.
int fmt_frac(char* buf, int w, std::uint64_t& v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    int digit = static_cast<int>(v % 10);
    print = print || digit != 0;
    if (print) buf[--w] = static_cast<char>('0' + digit);
    v /= 10;
  }
  if (print) buf[--w] = '.';
  return w;
}

int fmt_int(char* buf, int w, std::uint64_t v) {
  if (v == 0) {
    buf[--w] = '0';
  } else {
    while (v > 0) {
      buf[--w] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  }
  return w;
}

}  // namespace

// ---------------------------------------------------------------------------
// Time

std::string format_rfc3339_nano(std::int64_t unix_nanos) {
  std::string out;
  out.reserve(30);
  append_date_time(out, civil_from_unix_nanos(unix_nanos), 'T');
  out.push_back('Z');
  return out;
}

std::string format_go_time_string(std::int64_t unix_nanos) {
  std::string out;
  out.reserve(40);
  append_date_time(out, civil_from_unix_nanos(unix_nanos), ' ');
  out.append(" +0000 UTC", 10);
  return out;
}

// ---------------------------------------------------------------------------
// Durations

std::optional<std::int64_t> parse_go_duration(std::string_view s) {
  std::uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  while (!s.empty()) {
    std::uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return std::nullopt;
    // leadingInt
    std::size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (v > kTwo63 / 10) return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
      if (v > kTwo63) return std::nullopt;
    }
    bool pre = i != 0;
    s.remove_prefix(i);
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      // leadingFraction
      std::size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && s[j] >= '0' && s[j] <= '9'; ++j) {
        if (overflow) continue;
        if (f > (kTwo63 - 1) / 10) {
          overflow = true;
          continue;
        }
        std::uint64_t y = f * 10 + static_cast<std::uint64_t>(s[j] - '0');
        if (y > kTwo63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j != 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return std::nullopt;
    std::size_t k = 0;
    for (; k < s.size(); ++k) {
      char c = s[k];
      if (c == '.' || (c >= '0' && c <= '9')) break;
    }
    if (k == 0) return std::nullopt;  // missing unit
    std::uint64_t unit = duration_unit(s.substr(0, k));
    if (unit == 0) return std::nullopt;  // unknown unit
    s.remove_prefix(k);
    if (v > kTwo63 / unit) return std::nullopt;
    v *= unit;
    if (f > 0) {
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kTwo63) return std::nullopt;
    }
    d += v;
    if (d > kTwo63) return std::nullopt;
  }
  if (neg) return static_cast<std::int64_t>(0 - d);
  if (d > kTwo63 - 1) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::optional<std::int64_t> parse_duration_or_millis(std::string_view s) {
  if (auto d = parse_go_duration(s)) return d;
  // strconv.Atoi: optional sign, decimal digits, int64 range.
  std::string_view digits = s;
  bool neg = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    neg = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return std::nullopt;
  std::uint64_t u = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (u > (kTwo63 - digit) / 10) return std::nullopt;
    u = u * 10 + digit;
  }
  if (!neg && u > kTwo63 - 1) return std::nullopt;
  std::uint64_t ms = neg ? 0 - u : u;
  // time.Duration(ms) * time.Millisecond wraps around like Go's int64.
  return static_cast<std::int64_t>(ms * kMillisecond);
}

std::string invalid_duration_message(std::string_view s) {
  std::string out = "invalid duration format: ";
  out.append(s);
  out.append(" (use formats like '5s', '10m', '1h')");
  return out;
}

std::string format_go_duration(std::int64_t nanos) {
  char buf[32];
  int w = sizeof buf;
  std::uint64_t u = static_cast<std::uint64_t>(nanos);
  bool neg = nanos < 0;
  if (neg) u = 0 - u;
  if (u < kSecond) {
    int prec = 0;
    buf[--w] = 's';
    --w;
    if (u == 0) {
      buf[w] = '0';
      return std::string(buf + w, sizeof buf - static_cast<std::size_t>(w));
    } else if (u < kMicrosecond) {
      prec = 0;
      buf[w] = 'n';
    } else if (u < kMillisecond) {
      prec = 3;
      // U+00B5 micro sign.
      --w;
      buf[w] = '\xC2';
      buf[w + 1] = '\xB5';
    } else {
      prec = 6;
      buf[w] = 'm';
    }
    w = fmt_frac(buf, w, u, prec);
    w = fmt_int(buf, w, u);
  } else {
    buf[--w] = 's';
    w = fmt_frac(buf, w, u, 9);
    w = fmt_int(buf, w, u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      w = fmt_int(buf, w, u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        w = fmt_int(buf, w, u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf + w, sizeof buf - static_cast<std::size_t>(w));
}

}  // namespace thaiyyal
