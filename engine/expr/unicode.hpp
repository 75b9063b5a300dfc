// UTF-8 and the bits of Go's `unicode` package the language needs
// (values.md §8): rune decoding as Go's utf8.DecodeRuneInString, simple
// per-code-point case mapping (unicode.ToUpper / ToLower), and white space
// (unicode.IsSpace, strings.TrimSpace).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/no_postgres.hpp"

namespace thaiyyal::expr::unicode {

constexpr char32_t kReplacement = 0xFFFD;

struct Rune {
  char32_t cp;      // kReplacement for an invalid sequence
  std::size_t len;  // bytes consumed (1 for an invalid sequence)
  bool valid;
};

// Go utf8.DecodeRuneInString at offset i (i < s.size()).
Rune decode(std::string_view s, std::size_t i);
void append_utf8(std::string& out, char32_t cp);
bool valid_utf8(std::string_view s);
// Go utf8.RuneCountInString: every invalid byte counts as one.
std::size_t count_runes(std::string_view s);

// Go unicode.ToUpper / unicode.ToLower (simple case mapping).
char32_t to_upper(char32_t cp);
char32_t to_lower(char32_t cp);
// Go strings.ToUpper / strings.ToLower: invalid bytes become U+FFFD.
void append_upper(std::string& out, std::string_view s);
void append_lower(std::string& out, std::string_view s);

// Go unicode.IsSpace.
bool is_space(char32_t cp);
// Go strings.TrimSpace.
std::string_view trim_space(std::string_view s);

}  // namespace thaiyyal::expr::unicode
