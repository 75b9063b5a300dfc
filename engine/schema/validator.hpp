// A JSON Schema validator (drafts 4, 6 and 7) that reproduces
// xeipuuv/gojsonschema v1.2.0 as the `schema_validator` node uses it:
// gojsonschema.Validate(NewBytesLoader(schema), NewBytesLoader(document)).
// Errors come out in gojsonschema's order with its types, English
// descriptions and JSON-context field names. See docs/SCHEMA_VALIDATOR.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::schema {

enum class Draft : int { Draft4 = 4, Draft6 = 6, Draft7 = 7, Hybrid = 0x7fffffff };

struct ValidationError {
  std::string type;         // "required", "invalid_type", "number_gte", ...
  std::string field;        // "(root)", "a", "a.b", "arr.0"
  std::string description;  // "b is required", ...
  Value value;              // the offending part of the document
};

struct SchemaOptions {
  // SchemaLoader.Draft: the draft used when "$schema" names none of the
  // known meta-schemas (Hybrid = gojsonschema's default).
  Draft default_draft = Draft::Hybrid;
  // SchemaLoader.AutoDetect: honour "$schema".
  bool auto_detect = true;
  // Bounds (exceeding them throws SchemaLimitError).
  std::size_t max_subschemas = 200000;
  std::size_t max_depth = 2000;            // compile and validation recursion
  std::uint64_t max_steps = 100000000;     // validation steps per validate()
  std::function<void()> check_interrupts;  // called regularly when set
};

// The schema cannot be loaded; what() is gojsonschema's error text.
class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A protection limit was hit (deep $ref recursion, huge inputs, ...), where
// the reference would overflow its stack or run unbounded.
class SchemaLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The document gojsonschema sees for an engine value: its Go JSON encoding
// decoded with UseNumber. Numbers become Kind::JsonNumber holding their JSON
// text, record-lists arrays, times RFC 3339 strings, invalid UTF-8 U+FFFD.
// Throws JsonWriteError ("json: unsupported value: NaN") like json.Marshal.
Value to_document(const Value& v);

struct SchemaImpl;

class Schema {
 public:
  // `document` as produced by to_document. Throws SchemaError.
  static std::unique_ptr<Schema> compile(const Value& document, const SchemaOptions& options = {});
  ~Schema();

  // Validates a document (from to_document). Throws SchemaLimitError.
  std::vector<ValidationError> validate(const Value& document) const;

 private:
  Schema();
  std::unique_ptr<SchemaImpl> impl_;
};

}  // namespace thaiyyal::schema
