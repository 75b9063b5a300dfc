// engine Value -> jsonb.
//
// Two phases, so that C++ and PostgreSQL work never interleave inside one
// guard:
//  1. C++ only: walk the Value and build a JsonbValue tree (jbvArray /
//     jbvObject / scalars) in C++-owned memory. Strings point into the Value
//     (or into repaired copies owned by the builder); numbers are recorded as
//     slots holding an int64 or their shortest round-trip text.
//  2. One pg_call: turn the number slots into Numerics and hand the tree to
//     JsonbValueToJsonb, which lays out the binary datum in the caller's
//     memory context. The tree needs no palloc of its own: JsonbValueToJsonb
//     only reads it.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/checked_size.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/go/time.hpp"
#include "engine/thaiyyal.hpp"

#include "engine/go/unicode.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/run/gucs.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

// 2^53: every integer of smaller magnitude is exactly representable.
constexpr double kExactIntegerLimit = 9007199254740992.0;

// JSON number literal grammar (RFC 8259), for json-number values.
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

// jsonb's key order: shorter keys first, then bytewise (jsonb_util.c,
// lengthCompareJsonbStringValue).
bool jsonb_key_less(const JsonbPair& a, const JsonbPair& b) {
  const int la = a.key.val.string.len, lb = b.key.val.string.len;
  if (la != lb) return la < lb;
  const int c =
      std::memcmp(a.key.val.string.val, b.key.val.string.val, static_cast<std::size_t>(la));
  if (c != 0) return c < 0;
  return a.order < b.order;
}

bool jsonb_key_equal(const JsonbPair& a, const JsonbPair& b) {
  return a.key.val.string.len == b.key.val.string.len &&
         std::memcmp(a.key.val.string.val, b.key.val.string.val,
                     static_cast<std::size_t>(a.key.val.string.len)) == 0;
}

class JsonbBuilder {
 public:
  // `max_bytes` bounds the tree built in phase 1 (0 = unbounded): a value
  // that shares one container many times is small, its jsonb tree is not.
  explicit JsonbBuilder(std::uint64_t max_bytes) : max_bytes_(max_bytes) {
    const int encoding = GetDatabaseEncoding();
    convert_encoding_ = encoding != PG_UTF8 && encoding != PG_SQL_ASCII;
  }

  void build(const Value& v, JsonbValue* out) {
    switch (v.kind()) {
      case Kind::Null:
        out->type = jbvNull;
        return;
      case Kind::Bool:
        out->type = jbvBool;
        out->val.boolean = v.as_bool();
        return;
      case Kind::Number:
        add_double(v.as_number(), out);
        return;
      case Kind::Int:
        add_int(v.as_int(), out);
        return;
      case Kind::String:
        add_string(v.as_string(), out);
        return;
      case Kind::Time:
        add_owned_string(format_rfc3339_nano(v.as_time_nanos()), out);
        return;
      case Kind::JsonNumber:
        add_json_number(v.as_string(), out);
        return;
      case Kind::Array:
      case Kind::RecordList:
        if (v.is_nil_array()) {
          out->type = jbvNull;
          return;
        }
        add_array(v.as_array(), out);
        return;
      case Kind::Object:
        add_object(v.as_object(), out);
        return;
    }
    throw std::logic_error("value_to_jsonb: unknown value kind");
  }

  Jsonb* finish(JsonbValue* root, MemoryContext result_context) {
    NumberSlot* const slots = numbers_.data();
    const std::size_t count = numbers_.size();
    return pg_call([&]() noexcept -> Jsonb* {
      for (std::size_t i = 0; i < count; ++i) {
        NumberSlot& slot = slots[i];
        slot.target->type = jbvNumeric;
        if (slot.text == nullptr) {
          slot.target->val.numeric = int64_to_numeric(slot.integer);
        } else {
          slot.target->val.numeric =
              DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(slot.text),
                                                  ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
        }
      }
      MemoryContext old = MemoryContextSwitchTo(result_context);
      Jsonb* jsonb = JsonbValueToJsonb(root);
      MemoryContextSwitchTo(old);
      return jsonb;
    });
  }

 private:
  // A number to be created in phase 2: int64_to_numeric(integer) when text
  // is null, numeric_in(text) otherwise.
  struct NumberSlot {
    JsonbValue* target;
    std::int64_t integer;
    const char* text;
  };

  // Counts what the tree takes before it is allocated, and checks for
  // interrupts now and then (a large result takes a while).
  void charge(std::uint64_t bytes) {
    bytes_ = saturating_add(bytes_, bytes);
    if (max_bytes_ != 0 && bytes_ > max_bytes_) {
      throw SqlError(ERRCODE_OUT_OF_MEMORY,
                     "workflow result too large to convert to jsonb: more than "
                     "thaiyyal.max_run_memory (" +
                         memory_size_text(max_bytes_) + ")",
                     "The result repeats shared values many times over.");
    }
    if (++charges_ % 4096 == 0) pg_call([]() noexcept { CHECK_FOR_INTERRUPTS(); });
  }

  void check_depth() {
    // stack_is_too_deep() only compares the stack pointer with the limit
    // derived from max_stack_depth; it never raises, so no guard is needed.
    if (stack_is_too_deep()) {
      throw SqlError(ERRCODE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded",
                     "The workflow result is nested too deeply to be converted to jsonb.",
                     "Increase the configuration parameter \"max_stack_depth\", after ensuring "
                     "the platform's stack depth limit is adequate.");
    }
  }

  void add_int(std::int64_t i, JsonbValue* out) {
    charge(sizeof(NumberSlot));
    out->type = jbvNumeric;
    numbers_.push_back(NumberSlot{out, i, nullptr});
  }

  void add_double(double d, JsonbValue* out) {
    if (!std::isfinite(d)) {
      throw SqlError(ERRCODE_FLOATING_POINT_EXCEPTION,
                     std::isnan(d) ? "json: unsupported value: NaN"
                                   : (d > 0 ? "json: unsupported value: +Inf"
                                            : "json: unsupported value: -Inf"),
                     "The workflow result contains a number that JSON cannot represent.");
    }
    if (d == std::trunc(d) && std::fabs(d) < kExactIntegerLimit) {
      add_int(static_cast<std::int64_t>(d), out);
      return;
    }
    // Shortest digits that read back as the same double ("1.5", "1e+300",
    // "5e-324"); numeric_in accepts every such form.
    charge(sizeof(NumberSlot) + sizeof(std::string) + 32);
    std::string& text = texts_.emplace_back(32, '\0');
    const auto result = std::to_chars(text.data(), text.data() + text.size(), d);
    text.resize(static_cast<std::size_t>(result.ptr - text.data()));
    out->type = jbvNumeric;
    numbers_.push_back(NumberSlot{out, 0, text.c_str()});
  }

  void add_json_number(const std::string& literal, JsonbValue* out) {
    if (!is_json_number(literal)) {
      std::string shown;
      go::unicode::append_repaired(shown, literal.substr(0, 64));
      throw SqlError(ERRCODE_INVALID_TEXT_REPRESENTATION,
                     "json: invalid number literal \"" + shown + "\"");
    }
    charge(sizeof(NumberSlot));
    out->type = jbvNumeric;
    numbers_.push_back(NumberSlot{out, 0, literal.c_str()});
  }

  // A string that must outlive the build (formatted here, not in the Value).
  void add_owned_string(std::string s, JsonbValue* out) {
    charge(sizeof(std::string) + s.size());
    add_string(texts_.emplace_back(std::move(s)), out);
  }

  void add_string(std::string_view s, JsonbValue* out) {
    if (s.find('\0') != std::string_view::npos) {
      throw SqlError(ERRCODE_UNTRANSLATABLE_CHARACTER, "unsupported Unicode escape sequence",
                     "\\u0000 cannot be converted to text.");
    }
    if (!go::unicode::valid_utf8(s)) {
      charge(sizeof(std::string) + 3 * s.size());
      std::string& repaired = texts_.emplace_back();
      go::unicode::append_repaired(repaired, s);
      s = repaired;
    }
    check_string_length(s.size());
    if (convert_encoding_ && !s.empty()) {
      const char* data = s.data();
      const int length = static_cast<int>(s.size());
      const char* converted = pg_call(
          [&]() noexcept -> const char* { return pg_any_to_server(data, length, PG_UTF8); });
      if (converted != data) s = std::string_view(converted);
      check_string_length(s.size());
    }
    out->type = jbvString;
    out->val.string.len = static_cast<int>(s.size());
    out->val.string.val = const_cast<char*>(s.data());
  }

  static void check_string_length(std::size_t length) {
    if (length > JENTRY_OFFLENMASK) {
      throw SqlError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "string too long to represent as jsonb string",
                     "Due to an implementation restriction, jsonb strings cannot exceed " +
                         std::to_string(JENTRY_OFFLENMASK) + " bytes.");
    }
  }

  void add_array(const Array& items, JsonbValue* out) {
    check_depth();
    JsonbValue* elems = new_values(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) build(items[i], &elems[i]);
    out->type = jbvArray;
    out->val.array.nElems = static_cast<int>(items.size());
    out->val.array.elems = elems;
    out->val.array.rawScalar = false;
  }

  void add_object(const Object& object, JsonbValue* out) {
    check_depth();
    const auto& entries = object.entries();
    const std::size_t n = entries.size();
    charge(saturating_mul(n == 0 ? 1 : n, sizeof(JsonbPair)));
    auto& block = pair_blocks_.emplace_back(new JsonbPair[n == 0 ? 1 : n]());
    JsonbPair* pairs = block.get();
    // Keys first: the pairs must be in jsonb's key order before any value
    // is built, because number slots point at the value fields.
    for (std::size_t i = 0; i < n; ++i) {
      add_string(entries[i].first, &pairs[i].key);
      pairs[i].order = static_cast<std::uint32_t>(i);
    }
    std::sort(pairs, pairs + n, jsonb_key_less);
    // Object keys are unique, but repairing invalid UTF-8 or converting the
    // encoding can make two of them equal: keep the later one, as a JSON
    // reader of Go's output would.
    std::size_t kept = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (kept > 0 && jsonb_key_equal(pairs[kept - 1], pairs[k])) {
        pairs[kept - 1] = pairs[k];
      } else {
        pairs[kept++] = pairs[k];
      }
    }
    for (std::size_t k = 0; k < kept; ++k) build(entries[pairs[k].order].second, &pairs[k].value);
    out->type = jbvObject;
    out->val.object.nPairs = static_cast<int>(kept);
    out->val.object.pairs = pairs;
  }

  JsonbValue* new_values(std::size_t n) {
    charge(saturating_mul(n == 0 ? 1 : n, sizeof(JsonbValue)));
    return value_blocks_.emplace_back(new JsonbValue[n == 0 ? 1 : n]()).get();
  }

  std::uint64_t max_bytes_;
  std::uint64_t bytes_ = 0;
  std::uint64_t charges_ = 0;
  bool convert_encoding_ = false;
  std::vector<std::unique_ptr<JsonbValue[]>> value_blocks_;
  std::vector<std::unique_ptr<JsonbPair[]>> pair_blocks_;
  std::deque<std::string> texts_;  // deque: references stay valid as it grows
  std::vector<NumberSlot> numbers_;
};

}  // namespace

Jsonb* value_to_jsonb(const Value& value, MemoryContext result_context) {
  JsonbBuilder builder(static_cast<std::uint64_t>(max_run_memory_bytes()));
  JsonbValue root{};
  builder.build(value, &root);
  return builder.finish(&root, result_context);
}

}  // namespace thaiyyal::pg
