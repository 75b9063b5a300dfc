// Helpers shared by the array node families (array_expression_nodes.cpp,
// array_shape_nodes.cpp, array_grouping_nodes.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "engine/common/interrupts.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal::array_util {

// The "not-an-array pass-through" object (nodes.md §0), returned
// successfully when in[0] is not an array (a record-list is not one).
inline Value not_an_array(const Value& input) {
  Object obj;
  obj.reserve(3);
  obj.append_sorted("error", Value::string("input is not an array"));
  obj.append_sorted("input", input);
  obj.append_sorted("original_type", Value::string(go_type_name(input)));
  return Value::object(std::move(obj));
}

// Go's int(f) for a float64 on amd64: truncation toward zero; NaN and values
// outside the int64 range give the "integer indefinite" value INT64_MIN.
inline std::int64_t go_int(double d) {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<std::int64_t>(d);
}

// Go int addition (wraps around on overflow).
inline std::int64_t go_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

// An `any` data field read the way the reference reads it with
// `x.(float64)`: only a JSON number counts (truncated to a Go int);
// anything else is "absent".
inline std::optional<std::int64_t> int_field(const NodeData& data, std::string_view key) {
  std::optional<double> d = data.number(key);
  if (!d) return std::nullopt;
  return go_int(*d);
}

// The array a `filter` / `partition` works on: in[0] itself when it is an
// array, else the first of the keys range, array, items, data, values of an
// object input whose value is an array; nullptr otherwise.
inline const Value* extract_array(const Value& input) {
  if (input.is_array()) return &input;
  if (!input.is_object()) return nullptr;
  for (std::string_view key : {"range", "array", "items", "data", "values"}) {
    const Value* v = input.find(key);
    if (v != nullptr && v->is_array()) return v;
  }
  return nullptr;
}

// A uniform integer in [0, n) (n > 0) from a 64-bit engine, by rejection so
// that the result depends only on the engine's output sequence (unlike
// std::uniform_int_distribution, whose algorithm is library-specific).
inline std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
  for (;;) {
    std::uint64_t r = rng();
    if (r >= threshold) return r % n;
  }
}

}  // namespace thaiyyal::array_util
