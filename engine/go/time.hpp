// Ports of Go's time as Thaiyyal outputs show it (values.md §1.3, §7):
// RFC 3339 and Time.String() in UTC, ParseDuration and Duration.String().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

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
