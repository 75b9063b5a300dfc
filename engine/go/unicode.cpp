#include "engine/go/unicode.hpp"

#include <algorithm>

#include "engine/go/unicode_tables.hpp"

namespace thaiyyal::go::unicode {
namespace {

using tables::CodeRange;
using tables::DeltaRange;
using tables::Table;

char32_t apply(const Table<DeltaRange>& table, char32_t cp) {
  // Last range whose lo <= cp.
  const DeltaRange* it = std::upper_bound(table.begin(), table.end(), cp,
                                          [](char32_t c, const DeltaRange& r) { return c < r.lo; });
  if (it == table.begin()) return cp;
  --it;
  if (cp > it->hi || (cp - it->lo) % static_cast<char32_t>(it->stride) != 0) return cp;
  return static_cast<char32_t>(static_cast<std::int64_t>(cp) + it->delta);
}

bool in(const Table<CodeRange>& table, char32_t cp) {
  const CodeRange* it = std::upper_bound(table.begin(), table.end(), cp,
                                         [](char32_t c, const CodeRange& r) { return c < r.lo; });
  return it != table.begin() && cp <= (it - 1)->hi;
}

bool ascii_upper(char32_t cp) {
  return cp >= 'A' && cp <= 'Z';
}
bool ascii_lower(char32_t cp) {
  return cp >= 'a' && cp <= 'z';
}

template <bool kUpper>
void append_mapped(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (kUpper && ascii_lower(c)) c = static_cast<unsigned char>(c - 32);
      if (!kUpper && ascii_upper(c)) c = static_cast<unsigned char>(c + 32);
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const Rune r = decode(s, i);
    append_utf8(out, kUpper ? to_upper(r.cp) : to_lower(r.cp));
    i += r.len;
  }
}

}  // namespace

Rune decode(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  switch (sequence_length(p, s.size() - i)) {
    case 1:
      return {p[0], 1, true};
    case 2:
      return {static_cast<char32_t>(((p[0] & 0x1F) << 6) | (p[1] & 0x3F)), 2, true};
    case 3:
      return {static_cast<char32_t>(((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)),
              3, true};
    case 4:
      return {static_cast<char32_t>(((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
                                    ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)),
              4, true};
    default:
      return {kReplacement, 1, false};
  }
}

void append_repaired(std::string& out, std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = sequence_length(s + i, text.size() - i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) cp = kReplacement;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const Rune r = decode(s, i);
    if (!r.valid) return false;
    i += r.len;
  }
  return true;
}

std::size_t count_runes(std::string_view s) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    i += static_cast<unsigned char>(s[i]) < 0x80 ? 1 : decode(s, i).len;
    ++count;
  }
  return count;
}

char32_t to_upper(char32_t cp) {
  if (cp < 0x80) return ascii_lower(cp) ? cp - 32 : cp;
  return apply(tables::upper, cp);
}

char32_t to_lower(char32_t cp) {
  if (cp < 0x80) return ascii_upper(cp) ? cp + 32 : cp;
  return apply(tables::lower, cp);
}

char32_t to_title(char32_t cp) {
  if (cp < 0x80) return ascii_lower(cp) ? cp - 32 : cp;
  return apply(tables::title, cp);
}

void append_title_full(std::string& out, char32_t cp) {
  const auto* it =
      std::lower_bound(tables::special_title.begin(), tables::special_title.end(), cp,
                       [](const tables::SpecialMapping& m, char32_t c) { return m.cp < c; });
  if (it != tables::special_title.end() && it->cp == cp) {
    out += it->utf8;
  } else {
    append_utf8(out, to_title(cp));
  }
}

char32_t fold_min(char32_t cp) {
  if (cp < 0x80) return ascii_lower(cp) ? cp - 32 : cp;
  return apply(tables::fold_min, cp);
}

bool is_upper(char32_t cp) {
  return cp < 0x80 ? ascii_upper(cp) : in(tables::upper_case, cp);
}
bool is_lower(char32_t cp) {
  return cp < 0x80 ? ascii_lower(cp) : in(tables::lower_case, cp);
}
bool is_letter(char32_t cp) {
  return cp < 0x80 ? ascii_upper(cp) || ascii_lower(cp) : in(tables::letter, cp);
}
bool is_digit(char32_t cp) {
  return cp < 0x80 ? cp >= '0' && cp <= '9' : in(tables::digit, cp);
}
bool is_space(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return in(tables::white_space, cp);
}
bool is_print(char32_t cp) {
  // The space is the one separator Go counts as printable.
  if (cp < 0x80) return cp >= ' ' && cp < 0x7f;
  return in(tables::print, cp);
}
bool is_cased(char32_t cp) {
  return in(tables::cased, cp);
}
bool is_case_ignorable(char32_t cp) {
  return in(tables::case_ignorable, cp);
}

WordBreak word_break(char32_t cp) {
  if (in(tables::word_letter, cp)) return WordBreak::Letter;
  if (in(tables::word_mid, cp)) return WordBreak::Mid;
  return WordBreak::Break;
}

void append_upper(std::string& out, std::string_view s) {
  append_mapped<true>(out, s);
}
void append_lower(std::string& out, std::string_view s) {
  append_mapped<false>(out, s);
}

std::string to_upper(std::string_view s) {
  std::string out;
  append_upper(out, s);
  return out;
}

std::string to_lower(std::string_view s) {
  std::string out;
  append_lower(out, s);
  return out;
}

std::string_view trim_space(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    const Rune r = decode(s, b);
    if (!r.valid || !is_space(r.cp)) break;
    b += r.len;
  }
  std::size_t e = s.size();
  while (e > b) {
    // Step back to the start of the last rune.
    std::size_t start = e - 1;
    while (start > b && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 && e - start < 4) {
      --start;
    }
    const Rune r = decode(s, start);
    // Not a complete rune ending at e: an invalid byte, not space.
    if (!r.valid || start + r.len != e || !is_space(r.cp)) break;
    e = start;
  }
  return s.substr(b, e - b);
}

}  // namespace thaiyyal::go::unicode
