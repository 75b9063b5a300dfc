// JSON text <-> Value.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

class JsonParseError : public std::runtime_error {
 public:
  JsonParseError(std::string message, std::size_t offset)
      : std::runtime_error(std::move(message)), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

struct JsonParseOptions {
  // Containers nested deeper than this are refused: every later walk of the
  // value may then recurse safely.
  std::size_t max_depth = 512;
  // Accept trailing content after the first value (Go's Decoder.Decode as
  // used by the `parse` node) instead of failing.
  bool allow_trailing = false;
  // A number literal too large for float64 becomes a string holding the
  // literal instead of failing (the `parse` node decodes with UseNumber and
  // falls back to json.Number.String() when Float64() fails).
  bool out_of_range_as_string = false;
  // Keep every number as Kind::JsonNumber holding its literal text (Go's
  // json.Number; the `http` node decodes response bodies this way).
  bool numbers_as_json_number = false;
};

// RFC 8259 JSON. Numbers become Kind::Number (integral_literal set when the
// literal has no fraction or exponent); objects are sorted with "last
// duplicate wins". Throws JsonParseError with Go's message texts
// ("invalid character 'k' looking for beginning of value", "unexpected end of
// JSON input"; with allow_trailing, Decoder's "EOF" / "unexpected EOF"). A
// number too large for float64 is an error reported after syntax errors:
// "json: cannot unmarshal number <literal> into Go value of type float64";
// one too small becomes 0 as in Go.
Value parse_json(std::string_view text, const JsonParseOptions& options = {});
// Same, reporting how many bytes the first value consumed (allow_trailing).
Value parse_json_prefix(std::string_view text, std::size_t& consumed,
                        const JsonParseOptions& options = {});

enum class JsonStyle {
  // Go encoding/json: sorted keys, <>& escaped as \u003c..., U+2028/9
  // escaped, invalid UTF-8 replaced by U+FFFD.
  Go,
  // Same without HTML escaping (the expression language's text form).
  Plain,
};

class JsonWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends the JSON text of v. NaN/±Inf throw JsonWriteError with Go's
// message "json: unsupported value: NaN" (values.md §6). Time values are
// written as RFC 3339 strings, record-lists as arrays, json-numbers verbatim.
void write_json(std::string& out, const Value& v, JsonStyle style = JsonStyle::Go);
// The same for an object held outside a Value (no copy into a box).
void write_json(std::string& out, const Object& obj, JsonStyle style = JsonStyle::Go);
std::string to_json(const Value& v, JsonStyle style = JsonStyle::Go);
// Go json.MarshalIndent(v, "", "  ") (the `format` node's pretty_print).
std::string to_json_pretty(const Value& v);
// Appends a JSON string literal with the given escaping style.
void write_json_string(std::string& out, std::string_view s, JsonStyle style = JsonStyle::Go);

}  // namespace thaiyyal
