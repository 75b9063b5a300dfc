// Go's textual conventions that leak into Thaiyyal outputs (values.md §3, §4,
// §6, §7): number formatting for JSON and for `%v`, `%v` of any value,
// strconv.ParseFloat / ParseBool, and time.Duration parsing and printing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/no_postgres.hpp"
#include "value/value.hpp"

namespace thaiyyal {

// JSON number text as Go encoding/json writes a float64 (values.md §6).
// Precondition: finite.
void append_json_number(std::string& out, double d);
// Same text written to buf, which must hold kMaxJsonNumberLength bytes;
// returns the end of the text.
inline constexpr std::size_t kMaxJsonNumberLength = 32;
char* write_json_number(char* buf, double d);
// Go `%v` / strconv.FormatFloat(f, 'g', -1, 64) (values.md §4).
void append_go_float(std::string& out, double d);
std::string go_float(double d);

// `%v` of any value (values.md §4).
void append_go_v(std::string& out, const Value& v);
std::string go_v(const Value& v);

// Go strconv.ParseFloat(s, 64): the whole string must parse (values.md §3).
// Returns nullopt when Go would report a syntax error. Out-of-range values
// yield ±Inf as Go does (Go also reports an error then; callers that care
// use parse_go_float_strict).
std::optional<double> parse_go_float(std::string_view s);
// As above but out-of-range is also a failure (Go's err != nil).
std::optional<double> parse_go_float_strict(std::string_view s);
// Go strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view s);

// Time values (values.md §1.3): RFC 3339 with trimmed nanoseconds, UTC.
std::string format_rfc3339_nano(std::int64_t unix_nanos);
// Go Time.String() in UTC: "2023-11-14 22:13:20 +0000 UTC".
std::string format_go_time_string(std::int64_t unix_nanos);

// Durations in nanoseconds (values.md §7).
// Go time.ParseDuration; nullopt on syntax error or overflow.
std::optional<std::int64_t> parse_go_duration(std::string_view s);
// The engine's parseDuration: ParseDuration, else a base-10 integer of
// milliseconds. nullopt when both fail.
std::optional<std::int64_t> parse_duration_or_millis(std::string_view s);
// "invalid duration format: <s> (use formats like '5s', '10m', '1h')"
std::string invalid_duration_message(std::string_view s);
// Go Duration.String().
std::string format_go_duration(std::int64_t nanos);

}  // namespace thaiyyal
