// The reference's simple numeric test S (expressions.md §5.11), kept for
// `while_loop`: `true`/`false`, or `<op><threshold>` against a number (or an
// object's numeric `value`), with the threshold scanned like Go's
// fmt.Sscanf("%f").
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

#include "engine/expr/expression.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal::expr {

namespace {

// Go strconv.Atoi.
std::optional<long> go_atoi(std::string_view s) {
  std::size_t i = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= s.size()) return std::nullopt;
  long v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
    if (v > 1'000'000'000L) return std::nullopt;
  }
  return neg ? -v : v;
}

// fmt.Sscanf(s, "%f", &threshold): the threshold, or 0 when scanning fails.
double scan_threshold(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  // ss.SkipSpace: newlines are not space for Sscanf.
  while (i < n) {
    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (s[i] == '\n') return 0;
    go::unicode::Rune r = go::unicode::decode(s, i);
    if (!r.valid || !go::unicode::is_space(r.cp)) break;
    i += r.len;
  }
  if (i >= n) return 0;
  // ss.floatToken
  const std::size_t start = i;
  auto accept = [&](const char* set) {
    if (i < n && s[i] != '\0' && std::strchr(set, s[i]) != nullptr) {
      ++i;
      return true;
    }
    return false;
  };
  bool done = accept("nN") && accept("aA") && accept("nN");
  if (!done) {
    accept("+-");
    done = accept("iI") && accept("nN") && accept("fF");
  }
  if (!done) {
    const char* digits = "0123456789_";
    const char* exponent = "eEpP";
    if (accept("0") && accept("xX")) {
      digits = "0123456789aAbBcCdDeEfF_";
      exponent = "pP";
    }
    while (accept(digits)) {
    }
    if (accept(".")) {
      while (accept(digits)) {
      }
    }
    if (accept(exponent)) {
      accept("+-");
      while (accept("0123456789_")) {
      }
    }
  }
  const std::string_view token = s.substr(start, i - start);
  // ss.convertFloat
  const std::size_t p = token.find('p');
  if (p != std::string_view::npos) {
    std::optional<double> f = parse_go_float_strict(token.substr(0, p));
    if (!f) return 0;
    std::optional<long> e = go_atoi(token.substr(p + 1));
    if (!e) return 0;
    return std::ldexp(*f, static_cast<int>(*e));
  }
  std::optional<double> f = parse_go_float_strict(token);
  return f ? *f : 0;
}

}  // namespace

bool simple_numeric_test(std::string_view text, const Value& current) {
  if (text == "true") return true;
  if (text == "false") return false;
  double subject;
  if (current.is_number()) {
    subject = current.as_number();
  } else if (const Value* inner = current.find("value"); inner != nullptr && inner->is_number()) {
    subject = inner->as_number();
  } else {
    return false;
  }
  if (text.size() < 2) return false;
  const std::string_view two = text.substr(0, 2);
  std::string_view op;
  std::string_view rest;
  if (two == ">=" || two == "<=" || two == "==" || two == "!=") {
    op = two;
    rest = text.substr(2);
  } else if (text[0] == '>' || text[0] == '<') {
    op = text.substr(0, 1);
    rest = text.substr(1);
  } else {
    return false;
  }
  const double threshold = scan_threshold(rest);
  if (op == ">") return subject > threshold;
  if (op == "<") return subject < threshold;
  if (op == ">=") return subject >= threshold;
  if (op == "<=") return subject <= threshold;
  if (op == "==") return subject == threshold;
  return subject != threshold;
}

}  // namespace thaiyyal::expr
