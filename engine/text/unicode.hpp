// UTF-8 and Unicode helpers with Go's semantics (values.md §8): per-code-
// point simple case mapping, Unicode White_Space, invalid bytes as U+FFFD.
// Case mapping uses glibc's C.UTF-8 tables through a private locale object,
// so it does not depend on the process locale (a PostgreSQL backend runs
// with the database's LC_CTYPE).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/no_postgres.hpp"

namespace thaiyyal::text {

constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at s[pos], advancing pos; invalid or truncated
// sequences yield U+FFFD and advance by one byte (Go's utf8.DecodeRune).
char32_t decode_utf8(std::string_view s, std::size_t& pos);
void append_utf8(std::string& out, char32_t cp);
bool is_valid_utf8(std::string_view s);
std::size_t count_code_points(std::string_view s);

char32_t to_upper(char32_t cp);
char32_t to_lower(char32_t cp);
char32_t to_title(char32_t cp);
bool is_upper(char32_t cp);
bool is_lower(char32_t cp);
bool is_letter(char32_t cp);
bool is_digit(char32_t cp);
// Unicode White_Space (Go unicode.IsSpace).
bool is_space(char32_t cp);

// Go strings.ToUpper / ToLower.
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
// Go strings.TrimSpace.
std::string_view trim_space(std::string_view s);

}  // namespace thaiyyal::text
