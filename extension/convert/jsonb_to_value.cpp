// jsonb -> engine Value by walking jsonb's binary container format.
//
// A jsonb datum is a tree of JsonbContainers (utils/jsonb.h): a header with
// the element count and kind, one JEntry per child (type bits plus either the
// child's length or, every JB_OFFSET_STRIDE children, its end offset), then
// the children's data. Objects store all keys first, then all values in the
// same order. Scalars are stored inline (strings: raw bytes, not
// NUL-terminated; numerics and nested containers: INTALIGN'ed). This is the
// on-disk format, stable across releases (pg_upgrade keeps jsonb as is), and
// the macros used here are the public ones of utils/jsonb.h.
//
// The walk itself calls no PostgreSQL function, so it needs no guard; the
// few calls it does make (numeric_out, encoding conversion,
// CHECK_FOR_INTERRUPTS) each go through pg_call.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"
#include "extension/convert/jsonb_to_value.hpp"

namespace thaiyyal::pg {

namespace {

enum class NumberStatus { Ok, OutOfRange, NotFinite };

// Parses numeric_out's text (-?digits[.digits], or NaN/Infinity) into a
// double with correct rounding. Plain C, no allocation: runs inside pg_call.
NumberStatus parse_numeric_text(const char* text, double* out, bool* integral) noexcept {
  if (std::strcmp(text, "NaN") == 0 || std::strcmp(text, "Infinity") == 0 ||
      std::strcmp(text, "-Infinity") == 0) {
    return NumberStatus::NotFinite;
  }
  *integral = std::strchr(text, '.') == nullptr;
  // Fast path: integers of up to 15 digits are exact in a double.
  if (*integral) {
    const char* p = text;
    const bool negative = *p == '-';
    if (negative) ++p;
    const std::size_t digits = std::strlen(p);
    if (digits > 0 && digits <= 15) {
      std::int64_t v = 0;
      for (; *p != '\0'; ++p) v = v * 10 + (*p - '0');
      *out = static_cast<double>(negative ? -v : v);
      return NumberStatus::Ok;
    }
  }
  // numeric_out never uses exponents, so the text is the exact decimal
  // value; strtod rounds it correctly (the backend runs with LC_NUMERIC=C).
  // Underflow rounds to zero or a subnormal as Go's ParseFloat does; only
  // overflow is an error.
  char* end = nullptr;
  const double d = std::strtod(text, &end);
  if (std::isinf(d)) return NumberStatus::OutOfRange;
  *out = d;
  return NumberStatus::Ok;
}

// The start of numeric_out's text of a huge number ("1000...", only the
// first characters kept) and the number of digits before its decimal point,
// as a short literal in Go's style: "1e+400", "-1.5e+309".
std::string scientific(const char* text, std::size_t integer_digits) {
  std::string_view t(text);
  std::string sign;
  if (!t.empty() && t.front() == '-') {
    sign = "-";
    t.remove_prefix(1);
  }
  const std::size_t dot = t.find('.');
  const std::string_view int_part = t.substr(0, dot);
  if (int_part.empty() || int_part.front() < '1' || int_part.front() > '9') {
    return sign + std::string(t);  // not a huge integer part: show as is
  }
  std::string digits(int_part.substr(1));
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  std::string out = sign + int_part.front();
  if (!digits.empty()) out += "." + digits.substr(0, 16);
  return out + "e+" + std::to_string(integer_digits - 1);
}

// End offset of child `index` whose data starts at `offset`.
inline std::uint32_t entry_end(const JsonbContainer* jc, std::uint32_t index,
                               std::uint32_t offset) {
  const JEntry je = jc->children[index];
  return JBE_HAS_OFF(je) ? JBE_OFFLENFLD(je) : offset + JBE_OFFLENFLD(je);
}

// The payload nesting limit, checked alike by the reader (to Values) and
// the writer (to JSON text), so that both refuse the same documents.
inline void check_payload_depth(std::size_t depth) {
  if (depth > kMaxPayloadDepth) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                   "failed to parse payload: JSON nesting depth exceeds the maximum of " +
                       std::to_string(kMaxPayloadDepth));
  }
}

class JsonbReader {
 public:
  JsonbReader() {
    const int encoding = GetDatabaseEncoding();
    convert_encoding_ = encoding != PG_UTF8 && encoding != PG_SQL_ASCII;
  }

  Value read_root(const JsonbContainer* root) {
    if (JsonContainerIsScalar(root)) {
      // A raw scalar is stored as a one-element array.
      const char* base = reinterpret_cast<const char*>(&root->children[1]);
      return read_entry(root, 0, base, 0, 0);
    }
    return read_container(root, 1);
  }

 private:
  Value read_container(const JsonbContainer* jc, std::size_t depth) {
    check_payload_depth(depth);
    const std::uint32_t count = JsonContainerSize(jc);
    if (JsonContainerIsObject(jc)) {
      const char* base = reinterpret_cast<const char*>(&jc->children[2 * count]);
      std::vector<Object::Entry> entries;
      entries.reserve(count);
      std::uint32_t offset = 0;
      for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t end = entry_end(jc, i, offset);
        entries.emplace_back(read_string(base + offset, end - offset), Value());
        offset = end;
      }
      for (std::uint32_t i = 0; i < count; ++i) {
        entries[i].second = read_entry(jc, count + i, base, offset, depth);
        offset = entry_end(jc, count + i, offset);
      }
      // jsonb keys are unique; from_entries puts them in byte-wise order.
      return Value::object(Object::from_entries(std::move(entries)));
    }
    const char* base = reinterpret_cast<const char*>(&jc->children[count]);
    Array items;
    items.reserve(count);
    std::uint32_t offset = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
      items.push_back(read_entry(jc, i, base, offset, depth));
      offset = entry_end(jc, i, offset);
    }
    return Value::array(std::move(items));
  }

  Value read_entry(const JsonbContainer* jc, std::uint32_t index, const char* base,
                   std::uint32_t offset, std::size_t depth) {
    if (++values_read_ % kInterruptInterval == 0) {
      pg_call([]() noexcept { CHECK_FOR_INTERRUPTS(); });
    }
    const JEntry je = jc->children[index];
    if (JBE_ISNULL(je)) return Value::null();
    if (JBE_ISBOOL_TRUE(je)) return Value::boolean(true);
    if (JBE_ISBOOL_FALSE(je)) return Value::boolean(false);
    if (JBE_ISSTRING(je)) {
      return Value::string(read_string(base + offset, entry_end(jc, index, offset) - offset));
    }
    const char* data = base + INTALIGN(offset);
    if (JBE_ISNUMERIC(je)) {
      return read_number(reinterpret_cast<const NumericData*>(data));
    }
    return read_container(reinterpret_cast<const JsonbContainer*>(data), depth + 1);
  }

  Value read_number(const NumericData* numeric) {
    double value = 0;
    bool integral = false;
    NumberStatus status = NumberStatus::Ok;
    char literal[kLiteralExcerpt + 1];
    literal[0] = '\0';
    std::size_t integer_digits = 0;
    pg_call([&]() noexcept {
      char* text = DatumGetCString(
          DirectFunctionCall1(numeric_out, NumericGetDatum(const_cast<NumericData*>(numeric))));
      status = parse_numeric_text(text, &value, &integral);
      if (status != NumberStatus::Ok) {
        strlcpy(literal, text, sizeof literal);
        integer_digits = std::strcspn(text, ".") - (text[0] == '-' ? 1 : 0);
      }
      pfree(text);
    });
    if (status != NumberStatus::Ok) {
      throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                     "failed to parse payload: number " + scientific(literal, integer_digits) +
                         " out of range",
                     "Workflow numbers must fit in a double precision float.");
    }
    return Value::number(value, integral);
  }

  std::string read_string(const char* data, std::uint32_t length) {
    if (!convert_encoding_ || length == 0) return std::string(data, length);
    const char* converted = pg_call([&]() noexcept -> const char* {
      return pg_server_to_any(data, static_cast<int>(length), PG_UTF8);
    });
    if (converted == data) return std::string(data, length);
    std::string out(converted);
    pg_call([&]() noexcept { pfree(const_cast<char*>(converted)); });
    return out;
  }

  static constexpr std::size_t kInterruptInterval = 65536;
  static constexpr std::size_t kLiteralExcerpt = 64;
  bool convert_encoding_ = false;
  std::size_t values_read_ = 0;
};

// The same walk writing JSON text instead of building a Value: the text the
// engine's text decoder (compile_workflow_json) reads with no Value tree.
// Numbers are written as numeric_out prints them (the exact decimal, no
// exponent) after the same range check as read_number, strings and keys
// converted to UTF-8 and escaped, so that parse_json of the text is the Value
// jsonb_to_value builds (the decoder's general path relies on that for its
// errors).
class JsonbTextWriter {
 public:
  explicit JsonbTextWriter(std::string& out) : out_(out) {
    const int encoding = GetDatabaseEncoding();
    convert_encoding_ = encoding != PG_UTF8 && encoding != PG_SQL_ASCII;
    // Writes go through a cursor into the string's whole capacity (no
    // per-character capacity check); finish() cuts it to what was written.
    out_.resize(out_.capacity());
    pos_ = out_.data();
    end_ = pos_ + out_.size();
  }

  void write_root(const JsonbContainer* root) {
    if (JsonContainerIsScalar(root)) {
      const char* base = reinterpret_cast<const char*>(&root->children[1]);
      write_entry(root, 0, base, 0, 0);
      return;
    }
    write_container(root, 1);
  }

  void finish() { out_.resize(static_cast<std::size_t>(pos_ - out_.data())); }

 private:
  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) >= n) return;
    const std::size_t used = static_cast<std::size_t>(pos_ - out_.data());
    out_.resize(std::max(2 * out_.size(), used + n + 256));
    pos_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }

  void put(char c) {
    reserve(1);
    *pos_++ = c;
  }

  void put(const char* data, std::size_t length) {
    reserve(length);
    std::memcpy(pos_, data, length);
    pos_ += length;
  }

  void write_container(const JsonbContainer* jc, std::size_t depth) {
    check_payload_depth(depth);
    const std::uint32_t count = JsonContainerSize(jc);
    if (JsonContainerIsObject(jc)) {
      const char* base = reinterpret_cast<const char*>(&jc->children[2 * count]);
      // Keys first, then the values in the same order: two offsets walk
      // the two halves side by side.
      // A member named "type" is written first: jsonb sorts keys by length,
      // then bytes, which puts a node's "data" before its "type", and the
      // text decoder decodes data typed in one pass once it knows the type
      // (member order means nothing in JSON, and jsonb has no duplicates).
      std::uint32_t key_offset = 0;
      std::uint32_t values_start = 0;
      std::uint32_t type_index = count;
      std::uint32_t type_key_offset = 0;
      for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t key_end = entry_end(jc, i, values_start);
        if (key_end - values_start == 4 && std::memcmp(base + values_start, "type", 4) == 0) {
          type_index = i;
          type_key_offset = values_start;
        }
        values_start = key_end;
      }
      put('{');
      if (type_index != count) {
        std::uint32_t type_value_offset = values_start;
        for (std::uint32_t i = 0; i < type_index; ++i) {
          type_value_offset = entry_end(jc, count + i, type_value_offset);
        }
        write_string(base + type_key_offset, 4);
        put(':');
        write_entry(jc, count + type_index, base, type_value_offset, depth);
      }
      std::uint32_t value_offset = values_start;
      bool first = type_index == count;
      for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t key_end = entry_end(jc, i, key_offset);
        if (i != type_index) {
          if (!first) put(',');
          first = false;
          write_string(base + key_offset, key_end - key_offset);
          put(':');
          write_entry(jc, count + i, base, value_offset, depth);
        }
        key_offset = key_end;
        value_offset = entry_end(jc, count + i, value_offset);
      }
      put('}');
      return;
    }
    const char* base = reinterpret_cast<const char*>(&jc->children[count]);
    std::uint32_t offset = 0;
    put('[');
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i > 0) put(',');
      write_entry(jc, i, base, offset, depth);
      offset = entry_end(jc, i, offset);
    }
    put(']');
  }

  void write_entry(const JsonbContainer* jc, std::uint32_t index, const char* base,
                   std::uint32_t offset, std::size_t depth) {
    if (++values_written_ % kInterruptInterval == 0) {
      pg_call([]() noexcept { CHECK_FOR_INTERRUPTS(); });
    }
    const JEntry je = jc->children[index];
    if (JBE_ISNULL(je)) {
      put("null", 4);
    } else if (JBE_ISBOOL_TRUE(je)) {
      put("true", 4);
    } else if (JBE_ISBOOL_FALSE(je)) {
      put("false", 5);
    } else if (JBE_ISSTRING(je)) {
      write_string(base + offset, entry_end(jc, index, offset) - offset);
    } else if (JBE_ISNUMERIC(je)) {
      write_number(reinterpret_cast<const NumericData*>(base + INTALIGN(offset)));
    } else {
      write_container(reinterpret_cast<const JsonbContainer*>(base + INTALIGN(offset)), depth + 1);
    }
  }

  void write_number(const NumericData* numeric) {
    double value = 0;
    bool integral = false;
    NumberStatus status = NumberStatus::Ok;
    char literal[kLiteralExcerpt + 1];
    literal[0] = '\0';
    std::size_t integer_digits = 0;
    char* text = nullptr;
    pg_call([&]() noexcept {
      text = DatumGetCString(
          DirectFunctionCall1(numeric_out, NumericGetDatum(const_cast<NumericData*>(numeric))));
      status = parse_numeric_text(text, &value, &integral);
      if (status != NumberStatus::Ok) {
        strlcpy(literal, text, sizeof literal);
        integer_digits = std::strcspn(text, ".") - (text[0] == '-' ? 1 : 0);
      }
    });
    if (status != NumberStatus::Ok) {
      pg_call([text]() noexcept { pfree(text); });
      throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                     "failed to parse payload: number " + scientific(literal, integer_digits) +
                         " out of range",
                     "Workflow numbers must fit in a double precision float.");
    }
    put(text, std::strlen(text));
    pg_call([text]() noexcept { pfree(text); });
  }

  void write_string(const char* data, std::uint32_t length) {
    if (convert_encoding_ && length > 0) {
      const char* converted = pg_call([&]() noexcept -> const char* {
        return pg_server_to_any(data, static_cast<int>(length), PG_UTF8);
      });
      if (converted != data) {
        const std::string utf8(converted);
        pg_call([&]() noexcept { pfree(const_cast<char*>(converted)); });
        write_utf8_string(utf8.data(), utf8.size());
        return;
      }
    }
    write_utf8_string(data, length);
  }

  // "..." with JSON's escapes for '"', '\\' and control characters (\u00XX);
  // everything else, UTF-8 included, is copied as is.
  void write_utf8_string(const char* data, std::size_t length) {
    static constexpr char kHex[] = "0123456789abcdef";
    reserve(6 * length + 2);  // every byte escaped, at worst
    char* p = pos_;
    *p++ = '"';
    std::size_t i = 0;
    // Eight bytes at a time while none needs an escape (most strings: ids,
    // types, expressions): a byte below 0x20, '"' or '\\' shows in the mask.
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    for (; i + 8 <= length; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, data + i, 8);
      const std::uint64_t quote = w ^ (kOnes * '"');       // 0 where '"'
      const std::uint64_t backslash = w ^ (kOnes * '\\');  // 0 where '\\'
      const std::uint64_t special = ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
                                    ((backslash - kOnes) & ~backslash);
      if ((special & kHighs) != 0) break;
      std::memcpy(p, data + i, 8);
      p += 8;
    }
    for (; i < length; ++i) {
      const unsigned char c = static_cast<unsigned char>(data[i]);
      if (c >= 0x20 && c != '"' && c != '\\') {
        *p++ = static_cast<char>(c);
      } else if (c == '"' || c == '\\') {
        *p++ = '\\';
        *p++ = static_cast<char>(c);
      } else {
        *p++ = '\\';
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = kHex[c >> 4];
        *p++ = kHex[c & 0xF];
      }
    }
    *p++ = '"';
    pos_ = p;
  }

  static constexpr std::size_t kInterruptInterval = 65536;
  static constexpr std::size_t kLiteralExcerpt = 64;
  std::string& out_;
  char* pos_;
  char* end_;
  bool convert_encoding_ = false;
  std::size_t values_written_ = 0;
};

}  // namespace

Value jsonb_to_value(const Jsonb* jsonb) {
  return JsonbReader().read_root(&jsonb->root);
}

void jsonb_to_json_text(const Jsonb* jsonb, std::string& out) {
  JsonbTextWriter writer(out);
  writer.write_root(&jsonb->root);
  writer.finish();
}

}  // namespace thaiyyal::pg
