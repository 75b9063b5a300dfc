// engine Value -> jsonb, written directly in jsonb's binary format (no JSON
// text round trip, no JsonbValue tree).
#pragma once

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

// Converts `value` into a jsonb datum allocated in `result_context`.
//
// Encoding follows Go encoding/json as the reference emits it
// (values.md §6), as far as jsonb can carry it:
//  * Number: the double's shortest round-trip digits (std::to_chars) read by
//    numeric_in, so every double survives exactly (float8_numeric would keep
//    only 15 significant digits); integral values below 2^53 go through
//    int64_to_numeric. -0 becomes 0 (numeric has no negative zero).
//  * Int: int64_to_numeric. JsonNumber: numeric_in of its literal text.
//  * NaN/±Inf: SqlError 22P01 "json: unsupported value: NaN" (Go's message).
//  * Time: RFC 3339 string (format_rfc3339_nano). RecordList: array.
//  * Strings: invalid UTF-8 bytes become U+FFFD as in Go; a NUL character
//    cannot be stored in jsonb (SqlError 22P05, as PostgreSQL reports for
//    "\u0000"); converted to the database encoding when it is not UTF-8.
//  * Object keys are put in jsonb's key order by this function.
//  * The conversion is bounded by thaiyyal.max_run_memory
//    (SqlError 53200): a value that shares one container many times over is
//    small in the engine and huge as jsonb. Interrupts are checked meanwhile.
//
// Throws SqlError or PgError.
Jsonb* value_to_jsonb(const Value& value, MemoryContext result_context);

// value_to_jsonb(result_to_value(result), ...) without the Value: the same
// bytes, errors and bounds, written from the engine's Result directly.
Jsonb* result_to_jsonb(const Result& result, MemoryContext result_context);

}  // namespace thaiyyal::pg
