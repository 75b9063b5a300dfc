// jsonb -> engine Value, converted directly from jsonb's binary container
// format (no JSON text round trip).
#pragma once

#include <cstddef>
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

// Containers nested deeper than this are refused (the engine's own JSON
// parser has the same limit, engine/go/json.hpp).
inline constexpr std::size_t kMaxPayloadDepth = 512;

// Converts a detoasted jsonb datum. Numbers become Kind::Number (double,
// correctly rounded; integral_literal when the numeric has no fractional
// digits); object keys come out sorted as Object requires; strings are
// converted from the database encoding to UTF-8.
//
// Throws SqlError 22023 (invalid_parameter_value) for a number outside the
// double range or nesting deeper than kMaxPayloadDepth, and PgError for a
// PostgreSQL error (out of memory, encoding conversion, query cancel).
Value jsonb_to_value(const Jsonb* jsonb);

// The same jsonb as JSON text in `out` (replaced), for the engine's text
// decoder (compile_workflow_json), which builds no Value tree: parse_json of
// the text is jsonb_to_value of the datum. Members are in jsonb's order
// except that a member named "type" comes first in its object (a node's type
// before its data). Same errors as jsonb_to_value.
void jsonb_to_json_text(const Jsonb* jsonb, std::string& out);

}  // namespace thaiyyal::pg
