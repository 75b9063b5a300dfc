// Ports of Go's strconv as Thaiyyal outputs show it (values.md §3, §4, §6):
// the shortest round-trip text of a float64 in encoding/json's and in
// FormatFloat('g', -1)'s layouts, FormatInt, ParseFloat, ParseBool, and
// Quote (the %q of Go's error messages).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

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
// strconv.FormatInt(i, 10).
void append_go_int(std::string& out, std::int64_t i);

// Go strconv.ParseFloat(s, 64): the whole string must parse (values.md §3).
// Returns nullopt when Go would report a syntax error. Out-of-range values
// yield ±Inf as Go does (Go also reports an error then; callers that care
// use parse_go_float_strict).
std::optional<double> parse_go_float(std::string_view s);
// As above but out-of-range is also a failure (Go's err != nil).
std::optional<double> parse_go_float_strict(std::string_view s);
// Go strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view s);

// Go strconv.Quote: a double-quoted Go string literal. Printable runes
// (unicode.IsPrint) are kept as they are; others become \a, \n, …, \xNN
// (ASCII controls and invalid bytes), \uNNNN or \UNNNNNNNN.
std::string go_quote(std::string_view s);

}  // namespace thaiyyal
