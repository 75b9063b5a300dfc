// JSON output compatible with Go encoding/json (values.md §6).
#include <cmath>
#include <cstdint>

#include "format/go_format.hpp"
#include "json/json.hpp"

namespace thaiyyal {

namespace {

// Byte classes for string escaping.
enum : std::uint8_t {
  kPlain = 0,    // copied as is
  kEscape = 1,   // control characters, '"', '\\'
  kHtml = 2,     // '<', '>', '&': escaped in JsonStyle::Go only
  kNonAscii = 3  // start (or stray continuation) of a multi-byte sequence
};

constexpr auto kClass = [] {
  struct Table {
    std::uint8_t v[256];
  } t{};
  for (int c = 0; c < 0x20; ++c) t.v[c] = kEscape;
  t.v[static_cast<unsigned char>('"')] = kEscape;
  t.v[static_cast<unsigned char>('\\')] = kEscape;
  t.v[static_cast<unsigned char>('<')] = kHtml;
  t.v[static_cast<unsigned char>('>')] = kHtml;
  t.v[static_cast<unsigned char>('&')] = kHtml;
  for (int c = 0x80; c < 0x100; ++c) t.v[c] = kNonAscii;
  return t;
}();

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at s[i] (Go's utf8.DecodeRune rules:
// no overlongs, no surrogates, nothing above U+10FFFF), 0 when invalid.
inline std::size_t utf8_sequence_length(const unsigned char* s, std::size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
  }
  if (c < 0xF0) {
    if (n < 3) return 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80) return 0;
    return 3;
  }
  if (c < 0xF5) {
    if (n < 4) return 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
    return 4;
  }
  return 0;
}

void write_string(std::string& out, std::string_view s, JsonStyle style) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const bool html = style == JsonStyle::Go;
  out.push_back('"');
  std::size_t start = 0;  // first byte not yet copied
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t cls = kClass.v[p[i]];
    if (cls == kPlain || (cls == kHtml && !html)) {
      ++i;
      continue;
    }
    if (cls == kNonAscii) {
      std::size_t len = utf8_sequence_length(p + i, n - i);
      if (len == 3 && p[i] == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
        out.append(s.data() + start, i - start);
        out.append(p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
        i += 3;
        start = i;
      } else if (len == 0) {
        out.append(s.data() + start, i - start);
        out.append("\\ufffd", 6);
        ++i;
        start = i;
      } else {
        i += len;
      }
      continue;
    }
    out.append(s.data() + start, i - start);
    const unsigned char c = p[i];
    switch (c) {
      case '"':
        out.append("\\\"", 2);
        break;
      case '\\':
        out.append("\\\\", 2);
        break;
      case '\b':
        out.append("\\b", 2);
        break;
      case '\f':
        out.append("\\f", 2);
        break;
      case '\n':
        out.append("\\n", 2);
        break;
      case '\r':
        out.append("\\r", 2);
        break;
      case '\t':
        out.append("\\t", 2);
        break;
      default: {
        char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, 6);
        break;
      }
    }
    ++i;
    start = i;
  }
  out.append(s.data() + start, n - start);
  out.push_back('"');
}

[[noreturn]] void throw_unsupported(double d) {
  std::string msg = "json: unsupported value: ";
  append_go_float(msg, d);
  throw JsonWriteError(msg);
}

inline void write_number(std::string& out, double d) {
  if (!std::isfinite(d)) throw_unsupported(d);
  append_json_number(out, d);
}

inline void write_int(std::string& out, std::int64_t i) {
  char buf[24];
  char* end = buf + sizeof buf;
  char* p = end;
  std::uint64_t u = static_cast<std::uint64_t>(i);
  if (i < 0) u = 0 - u;
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (i < 0) *--p = '-';
  out.append(p, static_cast<std::size_t>(end - p));
}

inline void write_json_number_literal(std::string& out, const std::string& literal) {
  // Go writes an empty json.Number as 0.
  if (literal.empty()) {
    out.push_back('0');
  } else {
    out.append(literal);
  }
}

void write_compact(std::string& out, const Value& v, JsonStyle style) {
  switch (v.kind()) {
    case Kind::Null:
      out.append("null", 4);
      return;
    case Kind::Bool:
      if (v.as_bool()) {
        out.append("true", 4);
      } else {
        out.append("false", 5);
      }
      return;
    case Kind::Number:
      write_number(out, v.as_number());
      return;
    case Kind::Int:
      write_int(out, v.as_int());
      return;
    case Kind::String:
      write_string(out, v.as_string(), style);
      return;
    case Kind::JsonNumber:
      write_json_number_literal(out, v.as_string());
      return;
    case Kind::Time:
      write_string(out, format_rfc3339_nano(v.as_time_nanos()), style);
      return;
    case Kind::Array:
    case Kind::RecordList: {
      const Array& items = v.as_array();
      out.push_back('[');
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out.push_back(',');
        write_compact(out, items[i], style);
      }
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      const Object& obj = v.as_object();
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : obj) {
        if (!first) out.push_back(',');
        first = false;
        write_string(out, key, style);
        out.push_back(':');
        write_compact(out, item, style);
      }
      out.push_back('}');
      return;
    }
  }
}

inline void newline_indent(std::string& out, std::size_t depth) {
  out.push_back('\n');
  out.append(depth * 2, ' ');
}

// json.MarshalIndent(v, "", "  ").
void write_pretty(std::string& out, const Value& v, std::size_t depth) {
  switch (v.kind()) {
    case Kind::Array:
    case Kind::RecordList: {
      const Array& items = v.as_array();
      if (items.empty()) {
        out.append("[]", 2);
        return;
      }
      out.push_back('[');
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out.push_back(',');
        newline_indent(out, depth + 1);
        write_pretty(out, items[i], depth + 1);
      }
      newline_indent(out, depth);
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      const Object& obj = v.as_object();
      if (obj.empty()) {
        out.append("{}", 2);
        return;
      }
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : obj) {
        if (!first) out.push_back(',');
        first = false;
        newline_indent(out, depth + 1);
        write_string(out, key, JsonStyle::Go);
        out.append(": ", 2);
        write_pretty(out, item, depth + 1);
      }
      newline_indent(out, depth);
      out.push_back('}');
      return;
    }
    default:
      write_compact(out, v, JsonStyle::Go);
      return;
  }
}

}  // namespace

void write_json(std::string& out, const Value& v, JsonStyle style) {
  write_compact(out, v, style);
}

std::string to_json(const Value& v, JsonStyle style) {
  std::string out;
  write_compact(out, v, style);
  return out;
}

std::string to_json_pretty(const Value& v) {
  std::string out;
  write_pretty(out, v, 0);
  return out;
}

void write_json_string(std::string& out, std::string_view s, JsonStyle style) {
  write_string(out, s, style);
}

}  // namespace thaiyyal
