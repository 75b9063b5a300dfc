// Go's `unicode` and `unicode/utf8` packages, and the word and case rules of
// golang.org/x/text/cases, over the generated UCD 15.0 tables
// (unicode_tables.cpp). The one place the engine decodes UTF-8 and maps case
// (values.md §8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go::unicode {

constexpr char32_t kReplacement = 0xFFFD;  // utf8.RuneError

// Length (1..4) of the well-formed UTF-8 sequence at s[0], or 0 when the
// bytes there are not one (overlong forms, surrogates, code points above
// U+10FFFF, truncated sequences): utf8.DecodeRune's test, inline because
// the JSON reader and writer call it per non-ASCII byte. available >= 1.
inline std::size_t sequence_length(const unsigned char* s, std::size_t available) noexcept {
  const unsigned char c = s[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return (available >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0xF0) {
    if (available < 3) return 0;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // surrogates
    return (s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80) ? 3 : 0;
  }
  if (c > 0xF4 || available < 4) return 0;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;
  return (s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) ? 4 : 0;
}

struct Rune {
  char32_t cp;      // kReplacement for an invalid sequence
  std::size_t len;  // bytes consumed (1 for an invalid sequence)
  bool valid;
};

// utf8.DecodeRuneInString(s[i:]) (i < s.size()).
Rune decode(std::string_view s, std::size_t i);
// The rune at s[pos] (pos < s.size()), advancing pos past it; U+FFFD and
// one byte for an invalid sequence (a `for range` step over a Go string).
inline char32_t decode_next(std::string_view s, std::size_t& pos) {
  const Rune r = decode(s, pos);
  pos += r.len;
  return r.cp;
}
// utf8.AppendRune: surrogates and values above U+10FFFF become U+FFFD.
void append_utf8(std::string& out, char32_t cp);
// utf8.ValidString.
bool valid_utf8(std::string_view s);
// Appends text with every byte that does not start a well-formed sequence
// replaced by U+FFFD, as encoding/json writes invalid strings.
void append_repaired(std::string& out, std::string_view text);
// utf8.RuneCountInString: every invalid byte counts as one.
std::size_t count_runes(std::string_view s);

// unicode.ToUpper / ToLower / ToTitle (simple, one-to-one mappings).
char32_t to_upper(char32_t cp);
char32_t to_lower(char32_t cp);
char32_t to_title(char32_t cp);
// The full title mapping (SpecialCasing.txt when it has an unconditional
// entry, else to_title): ß → "Ss", ﬁ → "Fi".
void append_title_full(std::string& out, char32_t cp);
// The smallest rune of cp's unicode.SimpleFold orbit ('ſ' → 'S',
// KELVIN SIGN → 'K', 'k' → 'K').
char32_t fold_min(char32_t cp);

// unicode.IsUpper / IsLower / IsLetter / IsDigit / IsSpace / IsPrint.
bool is_upper(char32_t cp);
bool is_lower(char32_t cp);
bool is_letter(char32_t cp);
bool is_digit(char32_t cp);
bool is_space(char32_t cp);
bool is_print(char32_t cp);
// The Cased and Case_Ignorable properties (Unicode chapter 3).
bool is_cased(char32_t cp);
bool is_case_ignorable(char32_t cp);

// Word-break categories as x/text/cases approximates UAX #29 for title
// casing: letters and digits (and what extends them) continue a word, one
// "mid" character (', ., :, ·, …) may sit inside it, anything else breaks.
enum class WordBreak : std::uint8_t { Letter, Mid, Break };
WordBreak word_break(char32_t cp);

// strings.ToUpper / strings.ToLower (invalid bytes become U+FFFD).
void append_upper(std::string& out, std::string_view s);
void append_lower(std::string& out, std::string_view s);
std::string to_upper(std::string_view s);
std::string to_lower(std::string_view s);
// strings.TrimSpace.
std::string_view trim_space(std::string_view s);

}  // namespace thaiyyal::go::unicode
