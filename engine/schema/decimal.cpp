#include "engine/schema/decimal.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace thaiyyal::schema {

std::optional<Decimal> Decimal::parse(std::string_view s) {
  Decimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    d.negative_ = s[i] == '-';
    ++i;
  }
  std::string digits;
  std::int64_t exponent = 0;
  bool any = false;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    digits.push_back(s[i++]);
    any = true;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      digits.push_back(s[i++]);
      --exponent;
      any = true;
    }
  }
  if (!any) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i >= s.size()) return std::nullopt;
    std::int64_t e = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (e < 1000000000000LL) e = e * 10 + (s[i] - '0');
      ++i;
    }
    exponent += neg ? -e : e;
  }
  if (i != s.size()) return std::nullopt;
  std::size_t lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    d.negative_ = false;
    return d;
  }
  digits.erase(0, lead);
  std::size_t last = digits.find_last_not_of('0');
  exponent += static_cast<std::int64_t>(digits.size() - 1 - last);
  digits.resize(last + 1);
  d.digits_ = std::move(digits);
  d.exponent_ = exponent;
  return d;
}

int Decimal::compare(const Decimal& o) const {
  if (is_zero() && o.is_zero()) return 0;
  if (is_zero()) return o.negative_ ? 1 : -1;
  if (o.is_zero()) return negative_ ? -1 : 1;
  if (negative_ != o.negative_) return negative_ ? -1 : 1;
  int mag = 0;
  std::int64_t a = exponent_ + static_cast<std::int64_t>(digits_.size());
  std::int64_t b = o.exponent_ + static_cast<std::int64_t>(o.digits_.size());
  if (a != b) {
    mag = a < b ? -1 : 1;
  } else {
    std::size_t n = std::max(digits_.size(), o.digits_.size());
    for (std::size_t k = 0; k < n && mag == 0; ++k) {
      char x = k < digits_.size() ? digits_[k] : '0';
      char y = k < o.digits_.size() ? o.digits_[k] : '0';
      if (x != y) mag = x < y ? -1 : 1;
    }
  }
  return negative_ ? -mag : mag;
}

namespace {

// digits mod m (m < 2^63).
std::uint64_t digits_mod(const std::string& digits, std::uint64_t m) {
  unsigned __int128 r = 0;
  for (char c : digits) r = (r * 10 + static_cast<unsigned>(c - '0')) % m;
  return static_cast<std::uint64_t>(r);
}

// Multiplicity of prime p in the integer `digits`, capped at `cap`.
int valuation(const std::string& digits, std::uint64_t p, int cap) {
  std::uint64_t pk = 1;
  int k = 0;
  while (k < cap) {
    if (pk > (static_cast<std::uint64_t>(1) << 62) / p) break;
    if (digits_mod(digits, pk * p) != 0) break;
    pk *= p;
    ++k;
  }
  return k;
}

}  // namespace

bool Decimal::is_multiple_of(const Decimal& divisor) const {
  if (is_zero()) return true;
  if (divisor.is_zero()) return false;
  // value = A·10^p, divisor = B·10^q with A, B free of trailing zeros.
  // A·10^p / (B·10^q) is an integer iff B | A·10^(p-q) (p >= q); for p < q
  // it never is, because A is not divisible by 10.
  std::int64_t e = exponent_ - divisor.exponent_;
  if (e < 0) return false;
  if (divisor.digits_.size() > 18) {
    // Divisors from schemas are float64 literals (<= 17 digits); anything
    // longer is handled approximately.
    long double q = std::strtold((digits_ + "e" + std::to_string(e)).c_str(), nullptr) /
                    std::strtold(divisor.digits_.c_str(), nullptr);
    return std::floor(q) == q;
  }
  std::uint64_t b = std::strtoull(divisor.digits_.c_str(), nullptr, 10);
  int x = 0, y = 0;
  while (b % 2 == 0) {
    b /= 2;
    ++x;
  }
  while (b % 5 == 0) {
    b /= 5;
    ++y;
  }
  if (b != 1 && digits_mod(digits_, b) != 0) return false;
  std::int64_t v2 = valuation(digits_, 2, 64) + e;
  std::int64_t v5 = valuation(digits_, 5, 27) + e;
  return v2 >= x && v5 >= y;
}

std::string big_float_g10(std::string_view literal) {
  // big.Float.SetRat keeps 64 mantissa bits, as x86 long double does.
  long double x = std::strtold(std::string(literal).c_str(), nullptr);
  if (x == 0) return "0";
  std::string out;
  if (x < 0) {
    out.push_back('-');
    x = -x;
  }
  if (std::isinf(x)) return out + "+Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9Le", x);
  std::string mant;
  const char* p = buf;
  for (; *p != 'e'; ++p) {
    if (*p != '.') mant.push_back(*p);
  }
  int e10 = std::atoi(p + 1);
  while (mant.size() > 1 && mant.back() == '0') mant.pop_back();
  const int n = static_cast<int>(mant.size());
  const int dexp = e10 + 1;  // value = 0.mant × 10^dexp
  int eprec = 10;
  if (eprec > n && n >= dexp) eprec = n;
  const int exp = dexp - 1;
  if (exp < -4 || exp >= eprec) {
    int prec = std::min(10, n);
    out.push_back(mant[0]);
    if (prec > 1) {
      out.push_back('.');
      out.append(mant, 1, static_cast<std::size_t>(prec - 1));
    }
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out.push_back('0');
    out += std::to_string(a);
    return out;
  }
  int prec = 10;
  if (prec > dexp) prec = n;
  int frac = std::max(prec - dexp, 0);
  if (dexp > 0) {
    for (int i = 0; i < dexp; ++i) out.push_back(i < n ? mant[static_cast<std::size_t>(i)] : '0');
  } else {
    out.push_back('0');
  }
  if (frac > 0) {
    out.push_back('.');
    for (int i = 1; i <= frac; ++i) {
      int k = dexp + i - 1;
      out.push_back(k >= 0 && k < n ? mant[static_cast<std::size_t>(k)] : '0');
    }
  }
  return out;
}

}  // namespace thaiyyal::schema
