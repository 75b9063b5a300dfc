// RFC 8259 JSON -> Value, single pass, with Go encoding/json's error texts
// (scanner.go) and string decoding (invalid UTF-8 and lone surrogates become
// U+FFFD).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/common/interrupts.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/json.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal {

namespace {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Bytes that end the fast path of string scanning: the closing quote, a
// backslash, control characters and non-ASCII bytes.
constexpr auto kStringStop = [] {
  struct Table {
    bool v[256];
  } t{};
  for (int c = 0; c < 0x20; ++c) t.v[c] = true;
  for (int c = 0x80; c < 0x100; ++c) t.v[c] = true;
  t.v[static_cast<unsigned char>('"')] = true;
  t.v[static_cast<unsigned char>('\\')] = true;
  return t;
}();

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Go's quoteChar: how the scanner names the offending byte.
std::string quote_char(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  std::string q = "'";
  // strconv.Quote(string(rune(c))) without the double quotes.
  switch (c) {
    case '\a':
      q += "\\a";
      break;
    case '\b':
      q += "\\b";
      break;
    case '\f':
      q += "\\f";
      break;
    case '\n':
      q += "\\n";
      break;
    case '\r':
      q += "\\r";
      break;
    case '\t':
      q += "\\t";
      break;
    case '\v':
      q += "\\v";
      break;
    case '\\':
      q += "\\\\";
      break;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      if (c < 0x20 || c == 0x7F) {
        q += "\\x";
        q += kHex[c >> 4];
        q += kHex[c & 0xF];
      } else if (c < 0x80) {
        q += static_cast<char>(c);
      } else if (c < 0xA1 || c == 0xAD) {
        // U+0080..U+00A0 and U+00AD are not printable for strconv.
        q += "\\u00";
        q += kHex[c >> 4];
        q += kHex[c & 0xF];
      } else {
        go::unicode::append_utf8(q, c);
      }
      break;
    }
  }
  q += '\'';
  return q;
}

// The parser's scratch stacks, kept per thread between parses so that a
// parse does not regrow them from nothing; each parser takes them (a nested
// parse would find them empty) and gives them back empty, unless they grew
// beyond kKeptScratch elements (one huge document should not pin its memory).
struct ParserScratch {
  std::vector<Value> values;
  std::vector<Object::Entry> entries;
  std::vector<std::uint32_t> order;
};
constexpr std::size_t kKeptScratch = 4096;
thread_local ParserScratch cached_scratch;

class Parser {
 public:
  Parser(std::string_view text, const JsonParseOptions& options)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        max_depth_(options.max_depth),
        decoder_(options.allow_trailing),
        overflow_as_string_(options.out_of_range_as_string),
        numbers_as_json_number_(options.numbers_as_json_number) {
    values_.swap(cached_scratch.values);
    entries_.swap(cached_scratch.entries);
    order_.swap(cached_scratch.order);
  }
  ~Parser() {
    values_.clear();
    entries_.clear();
    if (values_.capacity() <= kKeptScratch) values_.swap(cached_scratch.values);
    if (entries_.capacity() <= kKeptScratch) entries_.swap(cached_scratch.entries);
    if (order_.capacity() <= kKeptScratch) order_.swap(cached_scratch.order);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  Value parse_document(std::size_t& consumed) {
    skip_space();
    if (p_ == end_) {
      // Go: Unmarshal says "unexpected end of JSON input", Decoder.Decode
      // returns io.EOF.
      throw JsonParseError(decoder_ ? "EOF" : "unexpected end of JSON input",
                           static_cast<std::size_t>(p_ - begin_));
    }
    Value v = parse_value();
    consumed = static_cast<std::size_t>(p_ - begin_);
    if (!decoder_) {
      skip_space();
      if (p_ != end_) fail(*p_, "after top-level value");
    }
    if (deferred_error_) throw JsonParseError(*deferred_error_, deferred_offset_);
    return v;
  }

 private:
  [[noreturn]] void fail(char c, const char* context) {
    std::string msg = "invalid character ";
    msg += quote_char(static_cast<unsigned char>(c));
    msg += ' ';
    msg += context;
    throw JsonParseError(std::move(msg), static_cast<std::size_t>(p_ - begin_));
  }

  // End of input where the scanner state accepts a space (Go then reports
  // "unexpected end").
  [[noreturn]] void fail_eof() {
    throw JsonParseError(decoder_ ? "unexpected EOF" : "unexpected end of JSON input",
                         static_cast<std::size_t>(p_ - begin_));
  }

  // End of input where the scanner state rejects a space: Unmarshal's
  // eof() feeds a ' ' and reports that character.
  [[noreturn]] void fail_eof_space(const char* context) {
    if (decoder_) fail_eof();
    fail(' ', context);
  }

  // The byte at p_, or the appropriate error at end of input.
  inline char peek_or_eof_space(const char* context) {
    if (p_ == end_) fail_eof_space(context);
    return *p_;
  }

  inline void skip_space() {
    while (p_ != end_ && is_space(*p_)) ++p_;
  }

  // Containers recurse (max_depth may be set high) and may hold many
  // members: the stack is checked on entry, interrupts polled per member.
  void enter(char c) {
    if (++depth_ > max_depth_) fail(c, "exceeded max depth");
    check_stack_depth();
  }

  Value parse_value() {
    // Precondition: p_ != end_, at a non-space byte.
    char c = *p_;
    switch (c) {
      case '{':
        return parse_object();
      case '[':
        return parse_array();
      case '"':
        return parse_string_value();
      case 't':
        expect_literal("true", "in literal true (expecting ");
        return Value::boolean(true);
      case 'f':
        expect_literal("false", "in literal false (expecting ");
        return Value::boolean(false);
      case 'n':
        expect_literal("null", "in literal null (expecting ");
        return Value::null();
      default:
        if (c == '-' || is_digit(c)) return parse_number();
        fail(c, "looking for beginning of value");
    }
  }

  void expect_literal(const char* word, const char* context_prefix) {
    ++p_;  // first letter already matched
    for (const char* w = word + 1; *w != '\0'; ++w) {
      if (p_ == end_ || *p_ != *w) {
        std::string context = context_prefix;
        context += '\'';
        context += *w;
        context += "')";
        if (p_ == end_) {
          if (decoder_) fail_eof();
          fail(' ', context.c_str());
        }
        fail(*p_, context.c_str());
      }
      ++p_;
    }
  }

  Value parse_number() {
    const char* start = p_;
    bool integral = true;
    if (*p_ == '-') {
      ++p_;
      char c = peek_or_eof_space("in numeric literal");
      if (!is_digit(c)) fail(c, "in numeric literal");
    }
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (p_ != end_ && *p_ == '.') {
      integral = false;
      ++p_;
      char c = peek_or_eof_space("after decimal point in numeric literal");
      if (!is_digit(c)) fail(c, "after decimal point in numeric literal");
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      char c = peek_or_eof_space("in exponent of numeric literal");
      if (!is_digit(c)) fail(c, "in exponent of numeric literal");
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    const std::size_t len = static_cast<std::size_t>(p_ - start);
    if (numbers_as_json_number_) return Value::json_number(std::string(start, len));
    if (integral) {
      // Up to 15 digits are exact in a double.
      const char* d = start + (*start == '-' ? 1 : 0);
      std::size_t nd = static_cast<std::size_t>(p_ - d);
      if (nd <= 15) {
        std::int64_t v = 0;
        for (const char* q = d; q != p_; ++q) v = v * 10 + (*q - '0');
        double x = static_cast<double>(v);
        return Value::number(*start == '-' ? -x : x, true);
      }
    }
    double x = 0;
    auto res = std::from_chars(start, p_, x, std::chars_format::general);
    if (res.ec == std::errc::result_out_of_range) {
      if (is_overflow(start, p_)) {
        if (overflow_as_string_) return Value::string(std::string(start, len));
        if (!deferred_error_) {
          deferred_error_ = "json: cannot unmarshal number " + std::string(start, len) +
                            " into Go value of type float64";
          deferred_offset_ = static_cast<std::size_t>(start - begin_);
        }
        return Value::null();
      }
      x = *start == '-' ? -0.0 : 0.0;  // underflow: Go returns zero silently
    }
    return Value::number(x, integral);
  }

  // Whether an out-of-range literal is too large (rather than too small):
  // the decimal point position of its first significant digit is positive.
  static bool is_overflow(const char* s, const char* end) {
    if (*s == '-') ++s;
    std::int64_t dp = 0;
    bool seen_nonzero = false, in_fraction = false;
    for (; s != end && *s != 'e' && *s != 'E'; ++s) {
      if (*s == '.') {
        in_fraction = true;
        continue;
      }
      if (!seen_nonzero) {
        if (*s == '0') {
          if (in_fraction) --dp;
          continue;
        }
        seen_nonzero = true;
      }
      if (!in_fraction) ++dp;
    }
    if (!seen_nonzero) return false;
    if (s != end) {
      ++s;
      bool neg = false;
      if (*s == '+' || *s == '-') neg = *s++ == '-';
      std::int64_t e = 0;
      for (; s != end; ++s) {
        if (e < 100000000) e = e * 10 + (*s - '0');
      }
      dp += neg ? -e : e;
    }
    return dp > 0;
  }

  // Parses a string literal starting at the opening quote.
  std::string parse_string() {
    std::string_view plain;
    if (scan_plain_string(plain)) return std::string(plain);
    std::string out(plain);
    parse_string_slow(out);
    return out;
  }

  // The same as a value: a literal without escapes is copied once, straight
  // into the value's box.
  Value parse_string_value() {
    std::string_view plain;
    if (scan_plain_string(plain)) return Value::string(plain);
    std::string out(plain);
    parse_string_slow(out);
    return Value::string(std::move(out));
  }

  // Scans a string literal from its opening quote. Without escapes or
  // control characters: true, `plain` = its bytes, p_ past the closing
  // quote. Otherwise false, `plain` = the bytes before p_, where the slow
  // path continues.
  bool scan_plain_string(std::string_view& plain) {
    ++p_;  // opening quote
    const char* run = p_;
    // Fast path: printable ASCII without escapes up to the closing quote.
    while (end_ - p_ >= 4) {
      if (kStringStop.v[static_cast<unsigned char>(p_[0])]) goto stop;
      if (kStringStop.v[static_cast<unsigned char>(p_[1])]) {
        p_ += 1;
        goto stop;
      }
      if (kStringStop.v[static_cast<unsigned char>(p_[2])]) {
        p_ += 2;
        goto stop;
      }
      if (kStringStop.v[static_cast<unsigned char>(p_[3])]) {
        p_ += 3;
        goto stop;
      }
      p_ += 4;
    }
    while (p_ != end_ && !kStringStop.v[static_cast<unsigned char>(*p_)]) ++p_;
  stop:
    plain = std::string_view(run, static_cast<std::size_t>(p_ - run));
    if (p_ != end_ && *p_ == '"') {
      ++p_;
      return true;
    }
    return false;
  }

  void parse_string_slow(std::string& out) {
    const char* run = p_;
    while (true) {
      if (p_ == end_) fail_eof();
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.append(run, p_);
        ++p_;
        return;
      }
      if (c < 0x20) fail(static_cast<char>(c), "in string literal");
      if (c < 0x80 && c != '\\') {
        ++p_;
        continue;
      }
      out.append(run, p_);
      if (c == '\\') {
        parse_escape(out);
      } else {
        std::size_t len = go::unicode::sequence_length(reinterpret_cast<const unsigned char*>(p_),
                                                       static_cast<std::size_t>(end_ - p_));
        if (len == 0) {
          out.append(kReplacement, 3);
          ++p_;
        } else {
          out.append(p_, len);
          p_ += len;
        }
      }
      run = p_;
    }
  }

  // Reads the four hex digits of a \u escape at p_ (just after "\u").
  std::uint32_t read_hex4() {
    std::uint32_t r = 0;
    for (int i = 0; i < 4; ++i) {
      char c = peek_or_eof_space("in \\u hexadecimal character escape");
      int h = hex_value(c);
      if (h < 0) fail(c, "in \\u hexadecimal character escape");
      r = (r << 4) | static_cast<std::uint32_t>(h);
      ++p_;
    }
    return r;
  }

  void parse_escape(std::string& out) {
    ++p_;  // backslash
    char c = peek_or_eof_space("in string escape code");
    ++p_;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return;
      case 'b':
        out.push_back('\b');
        return;
      case 'f':
        out.push_back('\f');
        return;
      case 'n':
        out.push_back('\n');
        return;
      case 'r':
        out.push_back('\r');
        return;
      case 't':
        out.push_back('\t');
        return;
      case 'u': {
        std::uint32_t r = read_hex4();
        if (r >= 0xD800 && r < 0xE000) {
          // A high surrogate followed by an escaped low surrogate forms a
          // pair; anything else is U+FFFD and the next escape stands alone.
          if (r < 0xDC00 && end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
            std::uint32_t r2 = 0;
            bool ok = true;
            for (int i = 2; i < 6; ++i) {
              int h = hex_value(p_[i]);
              if (h < 0) {
                ok = false;
                break;
              }
              r2 = (r2 << 4) | static_cast<std::uint32_t>(h);
            }
            if (ok && r2 >= 0xDC00 && r2 < 0xE000) {
              p_ += 6;
              go::unicode::append_utf8(out, 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00));
              return;
            }
          }
          out.append(kReplacement, 3);
          return;
        }
        go::unicode::append_utf8(out, r);
        return;
      }
      default:
        --p_;
        fail(c, "in string escape code");
    }
  }

  // Containers collect their members on shared scratch stacks (values_,
  // entries_) and are built once, at their exact size, when they close.
  Value parse_array() {
    enter('[');
    ++p_;
    skip_space();
    if (p_ == end_) fail_eof();
    if (*p_ == ']') {
      ++p_;
      --depth_;
      return Value::array();
    }
    const std::size_t base = values_.size();
    while (true) {
      poll_interrupts();
      if (p_ == end_) fail_eof();
      values_.push_back(parse_value());
      skip_space();
      if (p_ == end_) fail_eof();
      char c = *p_;
      if (c == ',') {
        ++p_;
        skip_space();
        continue;
      }
      if (c == ']') {
        ++p_;
        break;
      }
      fail(c, "after array element");
    }
    --depth_;
    const auto first = values_.begin() + static_cast<std::ptrdiff_t>(base);
    Array items(std::make_move_iterator(first), std::make_move_iterator(values_.end()));
    values_.erase(first, values_.end());
    return Value::array(std::move(items));
  }

  Value parse_object() {
    enter('{');
    ++p_;
    skip_space();
    if (p_ == end_) fail_eof();
    if (*p_ == '}') {
      ++p_;
      --depth_;
      return Value::empty_object();
    }
    const std::size_t base = entries_.size();
    bool sorted = true;
    while (true) {
      poll_interrupts();
      if (p_ == end_) fail_eof();
      if (*p_ != '"') fail(*p_, "looking for beginning of object key string");
      std::string key = parse_string();
      skip_space();
      if (p_ == end_) fail_eof();
      if (*p_ != ':') fail(*p_, "after object key");
      ++p_;
      skip_space();
      if (p_ == end_) fail_eof();
      Value v = parse_value();
      if (sorted && entries_.size() > base && !key_less(entries_.back().first, key)) sorted = false;
      entries_.emplace_back(std::move(key), std::move(v));
      skip_space();
      if (p_ == end_) fail_eof();
      char c = *p_;
      if (c == ',') {
        ++p_;
        skip_space();
        continue;
      }
      if (c == '}') {
        ++p_;
        break;
      }
      fail(c, "after object key:value pair");
    }
    --depth_;
    // The members, in key order, as the object's entries: no comparisons
    // beyond the order check above when they came in order.
    const std::size_t n = entries_.size() - base;
    std::vector<Object::Entry> members;
    members.reserve(n);
    if (sorted) {
      for (std::size_t i = base; i < entries_.size(); ++i)
        members.push_back(std::move(entries_[i]));
    } else {
      // Stable sort of member indices by key; equal keys stay in payload
      // order, and the last of each run wins.
      order_.resize(n);
      for (std::size_t i = 0; i < n; ++i) order_[i] = static_cast<std::uint32_t>(base + i);
      auto key_less = [this](std::uint32_t x, std::uint32_t y) {
        return entries_[x].first < entries_[y].first;
      };
      if (n > 32) {
        std::stable_sort(order_.begin(), order_.end(), key_less);
      } else {
        for (std::size_t i = 1; i < n; ++i) {
          std::uint32_t x = order_[i];
          std::size_t j = i;
          while (j > 0 && key_less(x, order_[j - 1])) {
            order_[j] = order_[j - 1];
            --j;
          }
          order_[j] = x;
        }
      }
      for (std::size_t i = 0; i < n; ++i) {
        Object::Entry& e = entries_[order_[i]];
        if (i + 1 < n && entries_[order_[i + 1]].first == e.first) continue;
        members.push_back(std::move(e));
      }
    }
    entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(base), entries_.end());
    Object obj = Object::from_sorted_unique(std::move(members));
    return Value::object(std::move(obj));
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  bool decoder_;
  bool overflow_as_string_;
  bool numbers_as_json_number_;
  std::optional<std::string> deferred_error_;
  std::size_t deferred_offset_ = 0;
  std::vector<Value> values_;
  std::vector<Object::Entry> entries_;
  std::vector<std::uint32_t> order_;
};

}  // namespace

Value parse_json(std::string_view text, const JsonParseOptions& options) {
  std::size_t consumed = 0;
  Parser parser(text, options);
  return parser.parse_document(consumed);
}

Value parse_json_prefix(std::string_view text, std::size_t& consumed,
                        const JsonParseOptions& options) {
  Parser parser(text, options);
  return parser.parse_document(consumed);
}

}  // namespace thaiyyal
