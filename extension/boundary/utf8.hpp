// UTF-8 validation and Go-style repair, shared by the error-message copier
// and the jsonb encoder. Pure C++ (no PostgreSQL), no allocation except in
// append_repaired.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace thaiyyal::pg {

// Length (1..4) of the well-formed UTF-8 sequence at s[0], or 0 when the
// bytes there are not well-formed (overlong forms, surrogates, code points
// above U+10FFFF, truncated sequences) -- the same test as Go's
// utf8.DecodeRuneInString.
inline std::size_t utf8_sequence_length(const unsigned char* s, std::size_t available) noexcept {
  const unsigned char c = s[0];
  if (c < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (available < n) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  }
  return n;
}

inline bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(s + i, text.size() - i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Appends `text` with every byte that does not start a well-formed sequence
// replaced by U+FFFD, as Go's encoding/json does.
inline void append_repaired(std::string& out, std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = utf8_sequence_length(s + i, text.size() - i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
}

}  // namespace thaiyyal::pg
