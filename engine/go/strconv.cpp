// Go's strconv number text (values.md §3, §4, §6). Comments name the Go
// function whose observable output is reproduced.
#include "engine/go/strconv.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "engine/go/unicode.hpp"

namespace thaiyyal {

namespace {

// ---------------------------------------------------------------------------
// Shortest round-trip digits.

// The value is 0.d1d2...dn × 10^(exp + 1), i.e. d1.d2...dn × 10^exp.
struct ShortestDigits {
  char d[32];
  int n = 0;
  int exp = 0;
};

constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

// Fast path for values with few decimals (2.5, 12.34, 0.001): when
// a == r / 10^k for an integer r below 10^15, r's digits are the shortest
// round-trip digits, because two different decimals of at most 15
// significant digits never map to the same double (DBL_DIG).
inline bool short_decimal_digits(double a, ShortestDigits& out) {
  for (int k = 0; k <= 9; ++k) {
    double t = a * kPow10[k];
    if (t >= 1e15) return false;
    double r = std::nearbyint(t);
    if (r != 0 && r / kPow10[k] == a) {
      std::uint64_t m = static_cast<std::uint64_t>(r);
      char buf[24] = {};
      int len = 0;
      do {
        buf[len++] = static_cast<char>('0' + m % 10);
        m /= 10;
      } while (m != 0);
      // buf holds the digits reversed; skip trailing zeros.
      int lo = 0;
      while (buf[lo] == '0') ++lo;
      int n = 0;
      for (int i = len - 1; i >= lo; --i) out.d[n++] = buf[i];
      out.n = n;
      out.exp = len - 1 - k;
      return true;
    }
  }
  return false;
}

// Precondition: a is finite and > 0.
inline void shortest_digits(double a, ShortestDigits& out) {
  if (short_decimal_digits(a, out)) return;
  char buf[40];
  auto res = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific);
  const char* p = buf;
  const char* end = res.ptr;
  int n = 0;
  out.d[n++] = *p++;
  if (p < end && *p == '.') {
    ++p;
    while (p < end && *p != 'e') out.d[n++] = *p++;
  }
  // p at 'e'
  ++p;
  bool neg = *p == '-';
  ++p;
  int e = 0;
  while (p < end) e = e * 10 + (*p++ - '0');
  // to_chars never emits trailing zeros in the shortest form, but be safe.
  while (n > 1 && out.d[n - 1] == '0') --n;
  out.n = n;
  out.exp = neg ? -e : e;
}

// The layouts below write into a caller's buffer of at least kNumberBuf
// bytes (sign + 17 digits + "0.00000" or an exponent: at most 25) and
// return the end.
constexpr std::size_t kNumberBuf = kMaxJsonNumberLength;

// strconv 'f' layout of the shortest digits (precision -1).
char* write_fixed(char* p, const ShortestDigits& s) {
  if (s.exp >= 0) {
    int int_len = s.exp + 1;
    if (s.n <= int_len) {
      std::memcpy(p, s.d, static_cast<std::size_t>(s.n));
      p += s.n;
      std::memset(p, '0', static_cast<std::size_t>(int_len - s.n));
      p += int_len - s.n;
    } else {
      std::memcpy(p, s.d, static_cast<std::size_t>(int_len));
      p += int_len;
      *p++ = '.';
      std::memcpy(p, s.d + int_len, static_cast<std::size_t>(s.n - int_len));
      p += s.n - int_len;
    }
  } else {
    *p++ = '0';
    *p++ = '.';
    std::memset(p, '0', static_cast<std::size_t>(-s.exp - 1));
    p += -s.exp - 1;
    std::memcpy(p, s.d, static_cast<std::size_t>(s.n));
    p += s.n;
  }
  return p;
}

// strconv 'e' layout of the shortest digits; `min_exp_digits` is 2 for
// strconv and 1 for encoding/json (which strips the padding of e-0X).
char* write_exponent_form(char* p, const ShortestDigits& s, int min_exp_digits) {
  *p++ = s.d[0];
  if (s.n > 1) {
    *p++ = '.';
    std::memcpy(p, s.d + 1, static_cast<std::size_t>(s.n - 1));
    p += s.n - 1;
  }
  *p++ = 'e';
  int e = s.exp;
  if (e < 0) {
    *p++ = '-';
    e = -e;
  } else {
    *p++ = '+';
  }
  if (e < 10) {
    if (min_exp_digits >= 2) *p++ = '0';
    *p++ = static_cast<char>('0' + e);
  } else if (e < 100) {
    *p++ = static_cast<char>('0' + e / 10);
    *p++ = static_cast<char>('0' + e % 10);
  } else {
    *p++ = static_cast<char>('0' + e / 100);
    *p++ = static_cast<char>('0' + (e / 10) % 10);
    *p++ = static_cast<char>('0' + e % 10);
  }
  return p;
}

// ---------------------------------------------------------------------------
// strconv.ParseFloat helpers.

inline char lower(char c) {
  return static_cast<char>(c | 0x20);
}

// strconv.underscoreOK: underscores only between digits (or after a base
// prefix), never leading or trailing.
bool underscore_ok(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

std::size_t common_prefix_len_ignore_case(std::string_view s, std::string_view prefix) {
  std::size_t n = std::min(s.size(), prefix.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (lower(s[i]) != prefix[i]) return i;
  }
  return n;
}

// strconv.special: infinities and NaN. Returns consumed length or 0.
std::size_t parse_special(std::string_view s, double& out) {
  if (s.empty()) return 0;
  std::size_t nsign = 0;
  double sign = 1;
  std::string_view rest = s;
  char c = s[0];
  if (c == '+' || c == '-') {
    if (c == '-') sign = -1;
    nsign = 1;
    rest.remove_prefix(1);
    c = 'i';  // Go falls through to the infinity case only.
  }
  if (c == 'i' || c == 'I') {
    std::size_t n = common_prefix_len_ignore_case(rest, "infinity");
    if (n > 3 && n < 8) n = 3;
    if (n == 3 || n == 8) {
      out = sign * std::numeric_limits<double>::infinity();
      return nsign + n;
    }
  } else if (c == 'n' || c == 'N') {
    if (common_prefix_len_ignore_case(rest, "nan") == 3) {
      out = std::numeric_limits<double>::quiet_NaN();
      return 3;
    }
  }
  return 0;
}

// strconv.atofHex for float64.
double atof_hex(std::uint64_t mantissa, int exp, bool neg, bool trunc, bool& overflow) {
  constexpr int kMantBits = 52;
  constexpr int kExpBits = 11;
  constexpr int kBias = -1023;
  constexpr int kMaxExp = (1 << kExpBits) + kBias - 2;
  constexpr int kMinExp = kBias + 1;
  exp += kMantBits;
  while (mantissa != 0 && (mantissa >> (kMantBits + 2)) == 0) {
    mantissa <<= 1;
    --exp;
  }
  if (trunc) mantissa |= 1;
  while ((mantissa >> (1 + kMantBits + 2)) != 0) {
    mantissa = (mantissa >> 1) | (mantissa & 1);
    ++exp;
  }
  while (mantissa > 1 && exp < kMinExp - 2) {
    mantissa = (mantissa >> 1) | (mantissa & 1);
    ++exp;
  }
  std::uint64_t round = mantissa & 3;
  mantissa >>= 2;
  round |= mantissa & 1;
  exp += 2;
  if (round == 3) {
    ++mantissa;
    if (mantissa == (std::uint64_t{1} << (1 + kMantBits))) {
      mantissa >>= 1;
      ++exp;
    }
  }
  if ((mantissa >> kMantBits) == 0) exp = kBias;
  overflow = false;
  if (exp > kMaxExp) {
    mantissa = std::uint64_t{1} << kMantBits;
    exp = kMaxExp + 1;
    overflow = true;
  }
  std::uint64_t bits = mantissa & ((std::uint64_t{1} << kMantBits) - 1);
  bits |= static_cast<std::uint64_t>((exp - kBias) & ((1 << kExpBits) - 1)) << kMantBits;
  if (neg) bits |= std::uint64_t{1} << 63;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// Go strconv.ParseFloat(s, 64). Returns false on syntax error; `overflow`
// reports Go's range error (the value is then ±Inf).
bool go_parse_float(std::string_view s, double& out, bool& overflow) {
  overflow = false;
  if (s.empty()) return false;
  if (std::size_t n = parse_special(s, out); n != 0) return n == s.size();

  // strconv.readFloat
  std::size_t i = 0;
  bool neg = false;
  if (s[0] == '+') {
    ++i;
  } else if (s[0] == '-') {
    neg = true;
    ++i;
  }
  bool hex = false;
  std::uint64_t base = 10;
  int max_mant_digits = 19;
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && lower(s[i + 1]) == 'x') {
    hex = true;
    base = 16;
    max_mant_digits = 16;
    i += 2;
    exp_char = 'p';
  }
  bool underscores = false, sawdot = false, sawdigits = false, trunc = false;
  int nd = 0, nd_mant = 0, dp = 0;
  std::uint64_t mantissa = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (sawdot) break;
      sawdot = true;
      dp = nd;
      continue;
    }
    if (c >= '0' && c <= '9') {
      sawdigits = true;
      if (c == '0' && nd == 0) {
        --dp;
        continue;
      }
      ++nd;
      if (nd_mant < max_mant_digits) {
        mantissa = mantissa * base + static_cast<std::uint64_t>(c - '0');
        ++nd_mant;
      } else if (c != '0') {
        trunc = true;
      }
      continue;
    }
    if (hex && lower(c) >= 'a' && lower(c) <= 'f') {
      sawdigits = true;
      ++nd;
      if (nd_mant < max_mant_digits) {
        mantissa = mantissa * 16 + static_cast<std::uint64_t>(lower(c) - 'a' + 10);
        ++nd_mant;
      } else {
        trunc = true;
      }
      continue;
    }
    break;
  }
  if (!sawdigits) return false;
  if (!sawdot) dp = nd;
  if (hex) {
    dp *= 4;
    nd_mant *= 4;
  }
  int e = 0;
  int esign = 1;
  if (i < s.size() && lower(s[i]) == exp_char) {
    ++i;
    if (i >= s.size()) return false;
    if (s[i] == '+') {
      ++i;
    } else if (s[i] == '-') {
      ++i;
      esign = -1;
    }
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); ++i) {
      if (s[i] == '_') {
        underscores = true;
        continue;
      }
      if (e < 10000) e = e * 10 + (s[i] - '0');
    }
    dp += e * esign;
  } else if (hex) {
    return false;  // a hex float needs its p exponent
  }
  if (i != s.size()) return false;
  if (underscores && !underscore_ok(s)) return false;

  if (hex) {
    int exp = mantissa != 0 ? dp - nd_mant : 0;
    out = atof_hex(mantissa, exp, neg, trunc, overflow);
    return true;
  }

  // Decimal: std::from_chars rounds correctly, like Go. Strip the sign and
  // the underscores first.
  std::size_t start = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  std::string_view body = s.substr(start);
  std::string scratch;
  if (underscores) {
    scratch.reserve(body.size());
    for (char c : body) {
      if (c != '_') scratch.push_back(c);
    }
    body = scratch;
  }
  double v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    // Mantissa digits are non-zero (a zero mantissa never overflows), so the
    // decimal magnitude decides overflow versus underflow.
    if (mantissa != 0 && dp > 0) {
      v = std::numeric_limits<double>::infinity();
      overflow = true;
    } else {
      v = 0;
    }
  } else if (res.ec != std::errc() || res.ptr != body.data() + body.size()) {
    return false;
  }
  out = neg ? -v : v;
  return true;
}

}  // namespace

void append_go_int(std::string& out, std::int64_t i) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, res.ptr);
}

// ---------------------------------------------------------------------------
// Numbers.

char* write_json_number(char* p, double d) {
  double a = std::fabs(d);
  if (a < 1e15 && a == std::trunc(a)) {
    // Whole numbers below 1e15 print as integers (shortest digits are the
    // integer's digits); this also covers 0 and -0.
    if (d == 0 && std::signbit(d)) {
      *p++ = '-';
      *p++ = '0';
      return p;
    }
    return std::to_chars(p, p + kMaxJsonNumberLength, static_cast<std::int64_t>(d)).ptr;
  }
  ShortestDigits s;
  shortest_digits(a, s);
  if (std::signbit(d)) *p++ = '-';
  // encoding/json: exponent form iff abs < 1e-6 || abs >= 1e21.
  if (a < 1e-6 || a >= 1e21) return write_exponent_form(p, s, 1);
  return write_fixed(p, s);
}

void append_json_number(std::string& out, double d) {
  char buf[kMaxJsonNumberLength];
  char* end = write_json_number(buf, d);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_go_float(std::string& out, double d) {
  if (std::isnan(d)) {
    out.append("NaN", 3);
    return;
  }
  if (std::isinf(d)) {
    out.append(d > 0 ? "+Inf" : "-Inf", 4);
    return;
  }
  double a = std::fabs(d);
  if (a < 1e6 && a == std::trunc(a)) {
    if (d == 0 && std::signbit(d)) {
      out.append("-0", 2);
      return;
    }
    append_go_int(out, static_cast<std::int64_t>(d));
    return;
  }
  ShortestDigits s;
  shortest_digits(a, s);
  char buf[kNumberBuf];
  char* p = buf;
  if (std::signbit(d)) *p++ = '-';
  // strconv 'g' with shortest precision: %e iff exp < -4 || exp >= 6.
  if (s.exp < -4 || s.exp >= 6) {
    p = write_exponent_form(p, s, 2);
  } else {
    p = write_fixed(p, s);
  }
  out.append(buf, static_cast<std::size_t>(p - buf));
}

std::string go_float(double d) {
  std::string out;
  append_go_float(out, d);
  return out;
}

// ---------------------------------------------------------------------------
// strconv.ParseFloat / ParseBool

std::optional<double> parse_go_float(std::string_view s) {
  double d;
  bool overflow;
  if (!go_parse_float(s, d, overflow)) return std::nullopt;
  return d;
}

std::optional<double> parse_go_float_strict(std::string_view s) {
  double d;
  bool overflow;
  if (!go_parse_float(s, d, overflow) || overflow) return std::nullopt;
  return d;
}

std::optional<bool> parse_go_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" || s == "False") {
    return false;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// strconv.Quote

std::string go_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto append_hex = [](std::string& out, std::uint32_t v, int digits) {
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
  };
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const go::unicode::Rune r = go::unicode::decode(s, i);
    const std::string_view bytes = s.substr(i, r.len);
    i += r.len;
    if (!r.valid) {
      // A byte that starts no valid sequence is shown as itself, not as
      // U+FFFD: the quoted text must still say which byte it was.
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(bytes[0]), 2);
      continue;
    }
    const char32_t cp = r.cp;
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (go::unicode::is_print(cp)) {
      out += bytes;
    } else if (cp == '\a') {
      out += "\\a";
    } else if (cp == '\b') {
      out += "\\b";
    } else if (cp == '\f') {
      out += "\\f";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\v') {
      out += "\\v";
    } else if (cp < ' ' || cp == 0x7f) {
      out += "\\x";
      append_hex(out, cp, 2);
    } else if (cp < 0x10000) {
      out += "\\u";
      append_hex(out, cp, 4);
    } else {
      out += "\\U";
      append_hex(out, cp, 8);
    }
  }
  out += '"';
  return out;
}

}  // namespace thaiyyal
