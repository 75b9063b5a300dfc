#include "engine/expr/compare.hpp"

#include <cmath>
#include <cstring>
#include <string>

#include "engine/common/interrupts.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/expr/lexer.hpp"
#include "engine/go/json.hpp"

namespace thaiyyal::expr {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

Equality equals_at(const Value& a, const Value& b, int depth);

// The walks below recurse into containers: the stack is checked there and
// interrupts polled per element (a value sharing one container many times is
// small in memory but long to walk).
Equality equal_arrays(const Array& x, const Array& y, int depth) {
  if (x.size() != y.size()) return Equality::False;
  if (depth >= kMaxValueDepth) return Equality::TooDeep;
  check_stack_depth();
  for (std::size_t i = 0; i < x.size(); ++i) {
    poll_interrupts();
    Equality e = equals_at(x[i], y[i], depth + 1);
    if (e != Equality::True) return e;
  }
  return Equality::True;
}

Equality equal_objects(const Object& x, const Object& y, int depth) {
  if (x.size() != y.size()) return Equality::False;
  if (depth >= kMaxValueDepth) return Equality::TooDeep;
  check_stack_depth();
  // Both are sorted by key: equal key sets line up.
  auto xi = x.begin();
  auto yi = y.begin();
  for (; xi != x.end(); ++xi, ++yi) {
    if (xi->first != yi->first) return Equality::False;
  }
  xi = x.begin();
  yi = y.begin();
  for (; xi != x.end(); ++xi, ++yi) {
    poll_interrupts();
    Equality e = equals_at(xi->second, yi->second, depth + 1);
    if (e != Equality::True) return e;
  }
  return Equality::True;
}

Equality equals_at(const Value& a, const Value& b, int depth) {
  const Kind ka = a.kind();
  const Kind kb = b.kind();
  if (ka == Kind::Null || kb == Kind::Null) return ka == kb ? Equality::True : Equality::False;
  auto result = [](bool t) { return t ? Equality::True : Equality::False; };
  if (ka == Kind::Time || kb == Kind::Time) {
    return result(ka == kb && a.as_time_nanos() == b.as_time_nanos());
  }
  if (a.is_numeric() || b.is_numeric()) {
    double x, y;
    if (to_number(a, x) && to_number(b, y)) return result(x == y);
    return Equality::False;
  }
  if (ka != kb) return Equality::False;
  switch (ka) {
    case Kind::String:
      return result(a.as_string() == b.as_string());
    case Kind::Bool:
      return result(a.as_bool() == b.as_bool());
    case Kind::Array:
      return equal_arrays(a.as_array(), b.as_array(), depth);
    case Kind::Object:
      return equal_objects(a.as_object(), b.as_object(), depth);
    default:
      return Equality::False;  // record-lists, json-numbers
  }
}

int kind_rank(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return 0;
    case Kind::Bool:
      return 1;
    case Kind::Number:
    case Kind::Int:
      return 2;
    case Kind::String:
      return 3;
    case Kind::Array:
      return 4;
    case Kind::Object:
      return 5;
    case Kind::Time:
      return 6;
    case Kind::RecordList:
      return 7;
    case Kind::JsonNumber:
      return 8;
  }
  return 9;
}

template <typename T>
int three_way(const T& x, const T& y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

std::string object_text(const Value& v) {
  std::string out;
  try {
    write_json(out, v, JsonStyle::Plain);
  } catch (const JsonWriteError&) {
    out.clear();
  }
  return out;
}

int compare_sequences(const Array& x, const Array& y) {
  check_stack_depth();
  std::size_t n = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < n; ++i) {
    poll_interrupts();
    int c = sort_compare(x[i], y[i]);
    if (c != 0) return c;
  }
  return three_way(x.size(), y.size());
}

inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::uint64_t hash_number(double d) {
  if (d == 0) d = 0;  // -0 == 0
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return mix(0x4E554D, bits);
}

}  // namespace

std::string_view kind_name(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return "bool";
    case Kind::Number:
    case Kind::Int:
      return "number";
    case Kind::String:
      return "string";
    case Kind::Array:
      return "array";
    case Kind::Object:
      return "object";
    case Kind::RecordList:
      return "record-list";
    case Kind::Time:
      return "time";
    case Kind::JsonNumber:
      return "json-number";
  }
  return "null";
}

bool numeric_string(std::string_view s, double& out) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0;
  while (i < n && is_digit(s[i])) {
    ++i;
    ++int_digits;
  }
  std::size_t frac_digits = 0;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && is_digit(s[i])) {
      ++i;
      ++frac_digits;
    }
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < n && is_digit(s[i])) {
      ++i;
      ++exp_digits;
    }
    if (exp_digits == 0) return false;
  }
  if (i != n) return false;
  out = parse_decimal(s);
  return true;
}

bool to_number(const Value& v, double& out) {
  switch (v.kind()) {
    case Kind::Number:
      out = v.as_number();
      return true;
    case Kind::Int:
      out = static_cast<double>(v.as_int());
      return true;
    case Kind::String:
      return numeric_string(v.as_string(), out);
    default:
      return false;
  }
}

Equality equals(const Value& a, const Value& b) {
  return equals_at(a, b, 0);
}

bool ordered(CompareOp op, const Value& a, const Value& b) {
  int c;
  if (a.is_numeric() || b.is_numeric()) {
    double x, y;
    if (!to_number(a, x) || !to_number(b, y)) return false;
    switch (op) {
      case CompareOp::Lt:
        return x < y;
      case CompareOp::Le:
        return x <= y;
      case CompareOp::Gt:
        return x > y;
      case CompareOp::Ge:
        return x >= y;
      default:
        return false;
    }
  }
  if (a.is_string() && b.is_string()) {
    c = a.as_string().compare(b.as_string());
  } else if (a.is_time() && b.is_time()) {
    c = three_way(a.as_time_nanos(), b.as_time_nanos());
  } else {
    return false;
  }
  switch (op) {
    case CompareOp::Lt:
      return c < 0;
    case CompareOp::Le:
      return c <= 0;
    case CompareOp::Gt:
      return c > 0;
    case CompareOp::Ge:
      return c >= 0;
    default:
      return false;
  }
}

bool compare_values(CompareOp op, const Value& a, const Value& b) {
  switch (op) {
    case CompareOp::Eq:
      return equals(a, b) == Equality::True;
    case CompareOp::Ne:
      return equals(a, b) == Equality::False;
    default:
      return ordered(op, a, b);
  }
}

bool depth_within(const Value& v, int max_depth) {
  switch (v.kind()) {
    case Kind::Array:
    case Kind::RecordList:
      if (max_depth < 1) return false;
      check_stack_depth();
      for (const Value& e : v.as_array()) {
        poll_interrupts();
        if ((e.is_array() || e.is_object() || e.is_record_list()) &&
            !depth_within(e, max_depth - 1)) {
          return false;
        }
      }
      return true;
    case Kind::Object:
      if (max_depth < 1) return false;
      check_stack_depth();
      for (const auto& entry : v.as_object()) {
        poll_interrupts();
        const Value& e = entry.second;
        if ((e.is_array() || e.is_object() || e.is_record_list()) &&
            !depth_within(e, max_depth - 1)) {
          return false;
        }
      }
      return true;
    default:
      return true;
  }
}

int sort_compare(const Value& a, const Value& b) {
  int ra = kind_rank(a);
  int rb = kind_rank(b);
  if (ra != rb) return three_way(ra, rb);
  switch (a.kind()) {
    case Kind::Null:
      return 0;
    case Kind::Bool:
      return three_way(a.as_bool(), b.as_bool());
    case Kind::Number:
    case Kind::Int: {
      double x = a.as_double();
      double y = b.as_double();
      // NaN (never produced by the language) first, to keep the order total.
      if (std::isnan(x) || std::isnan(y)) return three_way(!std::isnan(x), !std::isnan(y));
      return three_way(x, y);
    }
    case Kind::String:
    case Kind::JsonNumber: {
      int c = a.as_string().compare(b.as_string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Kind::Time:
      return three_way(a.as_time_nanos(), b.as_time_nanos());
    case Kind::Array:
    case Kind::RecordList:
      return compare_sequences(a.as_array(), b.as_array());
    case Kind::Object: {
      int c = object_text(a).compare(object_text(b));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
  }
  return 0;
}

std::uint64_t equality_hash(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return 0x6E756C6Cull;
    case Kind::Bool:
      return v.as_bool() ? 0x74727565ull : 0x66616C73ull;
    case Kind::Number:
    case Kind::Int:
      return hash_number(v.as_double());
    case Kind::String: {
      double d;
      if (numeric_string(v.as_string(), d)) return hash_number(d);
      return hash_bytes(v.as_string());
    }
    case Kind::Time:
      return mix(0x54494D45ull, static_cast<std::uint64_t>(v.as_time_nanos()));
    case Kind::Array: {
      check_stack_depth();
      std::uint64_t h = mix(0x415252ull, v.as_array().size());
      for (const Value& e : v.as_array()) {
        poll_interrupts();
        h = mix(h, equality_hash(e));
      }
      return h;
    }
    case Kind::Object: {
      check_stack_depth();
      std::uint64_t h = mix(0x4F424Aull, v.as_object().size());
      for (const auto& [k, e] : v.as_object()) {
        poll_interrupts();
        h = mix(h, hash_bytes(k));
        h = mix(h, equality_hash(e));
      }
      return h;
    }
    case Kind::RecordList:
    case Kind::JsonNumber:
      // Never == to anything: any hash will do.
      return 0x52454Cull;
  }
  return 0;
}

}  // namespace thaiyyal::expr
