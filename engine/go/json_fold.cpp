#include "engine/go/json_fold.hpp"

#include "engine/go/unicode.hpp"

namespace thaiyyal::go {
namespace {

// The next folded rune of s at i (advancing i). Invalid bytes decode to
// U+FFFD, as utf8.DecodeRune does inside foldName.
char32_t next_folded(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
  }
  const unicode::Rune r = unicode::decode(s, i);
  i += r.len;
  return unicode::fold_min(r.cp);
}

}  // namespace

bool json_names_fold_equal(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (next_folded(a, i) != next_folded(b, j)) return false;
  }
  return i == a.size() && j == b.size();
}

}  // namespace thaiyyal::go
