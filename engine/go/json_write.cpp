// JSON output compatible with Go encoding/json (values.md §6).
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "engine/common/checked_size.hpp"
#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"
#include "engine/go/unicode.hpp"

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

#if defined(__GNUC__)
#define THAIYYAL_JSON_INLINE inline __attribute__((always_inline))
#else
#define THAIYYAL_JSON_INLINE inline
#endif

// Appends to a std::string through a raw pointer: the string is resized
// ahead of the writes (the extension doubles with the bytes written so far,
// so the zero-filling of resize stays proportional to the output) and
// trimmed to the written length by finish(). On an exception the string is
// restored to its original length. Growth is checked against the run's
// memory budget first (a shared value written many times over can expand
// without bound).
class Sink {
 public:
  Sink(std::string& out, std::size_t hint) : out_(out), original_size_(out.size()) {
    out_.resize(original_size_ + hint);
    p_ = out_.data() + original_size_;
    end_ = out_.data() + out_.size();
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() {
    if (!finished_) out_.resize(original_size_);
  }
  void finish() {
    out_.resize(static_cast<std::size_t>(p_ - out_.data()));
    finished_ = true;
  }

  // Makes room for n more bytes and returns the write position; the caller
  // then calls advance_to() with the new end.
  THAIYYAL_JSON_INLINE char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    return p_;
  }
  THAIYYAL_JSON_INLINE void advance_to(char* p) { p_ = p; }
  THAIYYAL_JSON_INLINE void put(char c) {
    if (p_ == end_) grow(1);
    *p_++ = c;
  }
  THAIYYAL_JSON_INLINE void put(const char* s, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    std::memcpy(p_, s, n);
    p_ += n;
  }
  THAIYYAL_JSON_INLINE void put(std::string_view s) { put(s.data(), s.size()); }

 private:
  void grow(std::size_t n) {
    std::size_t used = static_cast<std::size_t>(p_ - out_.data());
    std::size_t written = used - original_size_;
    const std::uint64_t size = saturating_add(used, saturating_add(n > written ? n : written, 64));
    run_memory::ensure_available(size);
    out_.resize(size);
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  std::string& out_;
  std::size_t original_size_;
  char* p_;
  char* end_;
  bool finished_ = false;
};

void write_string(Sink& out, std::string_view s, JsonStyle style) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const bool html = style == JsonStyle::Go;
  out.put('"');
  std::size_t start = 0;  // first byte not yet copied
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t cls = kClass.v[p[i]];
    if (cls == kPlain || (cls == kHtml && !html)) {
      ++i;
      continue;
    }
    if (cls == kNonAscii) {
      std::size_t len = go::unicode::sequence_length(p + i, n - i);
      if (len == 3 && p[i] == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
        out.put(s.data() + start, i - start);
        out.put(p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
        i += 3;
        start = i;
      } else if (len == 0) {
        out.put(s.data() + start, i - start);
        out.put("\\ufffd", 6);
        ++i;
        start = i;
      } else {
        i += len;
      }
      continue;
    }
    out.put(s.data() + start, i - start);
    const unsigned char c = p[i];
    switch (c) {
      case '"':
        out.put("\\\"", 2);
        break;
      case '\\':
        out.put("\\\\", 2);
        break;
      case '\b':
        out.put("\\b", 2);
        break;
      case '\f':
        out.put("\\f", 2);
        break;
      case '\n':
        out.put("\\n", 2);
        break;
      case '\r':
        out.put("\\r", 2);
        break;
      case '\t':
        out.put("\\t", 2);
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.put(esc, 6);
        break;
      }
    }
    ++i;
    start = i;
  }
  out.put(s.data() + start, n - start);
  out.put('"');
}

[[noreturn]] void throw_unsupported(double d) {
  std::string msg = "json: unsupported value: ";
  append_go_float(msg, d);
  throw JsonWriteError(msg);
}

inline void write_number(Sink& out, double d) {
  if (!std::isfinite(d)) throw_unsupported(d);
  char* p = out.reserve(kMaxJsonNumberLength);
  out.advance_to(write_json_number(p, d));
}

inline void write_int(Sink& out, std::int64_t i) {
  char* p = out.reserve(24);
  out.advance_to(std::to_chars(p, p + 24, i).ptr);
}

inline void write_json_number_literal(Sink& out, const std::string& literal) {
  // Go writes an empty json.Number as 0.
  if (literal.empty()) {
    out.put('0');
  } else {
    out.put(literal);
  }
}

// Values can be nested far deeper than any parsed input (a reduce can wrap
// its accumulator once per element); the writers recurse, so they refuse
// such values instead of overflowing the stack.
constexpr std::size_t kMaxWriteDepth = 10000;

[[noreturn]] void too_deep() {
  throw JsonWriteError("json: value nested too deeply (more than 10000 levels)");
}

void write_compact(Sink& out, const Value& v, JsonStyle style, std::size_t depth = 0);

// Containers are where the writers recurse and where they can spend long:
// the stack is checked on entry and interrupts polled per element.
void write_object(Sink& out, const Object& obj, JsonStyle style, std::size_t depth) {
  if (depth >= kMaxWriteDepth) too_deep();
  check_stack_depth();
  out.put('{');
  bool first = true;
  for (const auto& [key, item] : obj) {
    poll_interrupts();
    if (!first) out.put(',');
    first = false;
    write_string(out, key, style);
    out.put(':');
    write_compact(out, item, style, depth + 1);
  }
  out.put('}');
}

void write_compact(Sink& out, const Value& v, JsonStyle style, std::size_t depth) {
  switch (v.kind()) {
    case Kind::Null:
      out.put("null", 4);
      return;
    case Kind::Bool:
      if (v.as_bool()) {
        out.put("true", 4);
      } else {
        out.put("false", 5);
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
      if (v.is_nil_array()) {
        out.put("null", 4);
        return;
      }
      if (depth >= kMaxWriteDepth) too_deep();
      check_stack_depth();
      const Array& items = v.as_array();
      out.put('[');
      for (std::size_t i = 0; i < items.size(); ++i) {
        poll_interrupts();
        if (i != 0) out.put(',');
        write_compact(out, items[i], style, depth + 1);
      }
      out.put(']');
      return;
    }
    case Kind::Object:
      write_object(out, v.as_object(), style, depth);
      return;
  }
}

inline void newline_indent(Sink& out, std::size_t depth) {
  char* p = out.reserve(1 + depth * 2);
  *p++ = '\n';
  std::memset(p, ' ', depth * 2);
  out.advance_to(p + depth * 2);
}

// json.MarshalIndent(v, "", "  ").
void write_pretty(Sink& out, const Value& v, std::size_t depth) {
  if (v.is_array() || v.is_record_list() || v.is_object()) {
    if (depth >= kMaxWriteDepth) too_deep();
    check_stack_depth();
  }
  switch (v.kind()) {
    case Kind::Array:
    case Kind::RecordList: {
      const Array& items = v.as_array();
      if (v.is_nil_array()) {
        out.put("null", 4);
        return;
      }
      if (items.empty()) {
        out.put("[]", 2);
        return;
      }
      out.put('[');
      for (std::size_t i = 0; i < items.size(); ++i) {
        poll_interrupts();
        if (i != 0) out.put(',');
        newline_indent(out, depth + 1);
        write_pretty(out, items[i], depth + 1);
      }
      newline_indent(out, depth);
      out.put(']');
      return;
    }
    case Kind::Object: {
      const Object& obj = v.as_object();
      if (obj.empty()) {
        out.put("{}", 2);
        return;
      }
      out.put('{');
      bool first = true;
      for (const auto& [key, item] : obj) {
        poll_interrupts();
        if (!first) out.put(',');
        first = false;
        newline_indent(out, depth + 1);
        write_string(out, key, JsonStyle::Go);
        out.put(": ", 2);
        write_pretty(out, item, depth + 1);
      }
      newline_indent(out, depth);
      out.put('}');
      return;
    }
    default:
      write_compact(out, v, JsonStyle::Go);
      return;
  }
}

}  // namespace

void write_json(std::string& out, const Value& v, JsonStyle style) {
  Sink sink(out, 64);
  write_compact(sink, v, style);
  sink.finish();
}

void write_json(std::string& out, const Object& obj, JsonStyle style) {
  Sink sink(out, 64);
  write_object(sink, obj, style, 0);
  sink.finish();
}

std::string to_json(const Value& v, JsonStyle style) {
  std::string out;
  write_json(out, v, style);
  return out;
}

std::string to_json_pretty(const Value& v) {
  std::string out;
  Sink sink(out, 64);
  write_pretty(sink, v, 0);
  sink.finish();
  return out;
}

void write_json_string(std::string& out, std::string_view s, JsonStyle style) {
  Sink sink(out, s.size() + 2);
  write_string(sink, s, style);
  sink.finish();
}

}  // namespace thaiyyal
