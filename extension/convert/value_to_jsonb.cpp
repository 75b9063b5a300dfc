// engine Value -> jsonb, written straight into jsonb's binary format in
// one C++ buffer (JsonbWriter below), then copied once into the caller's
// memory context. PostgreSQL is called, each time in its own guard, only for
// the Numerics (int64_to_numeric / numeric_in), encoding conversion and
// interrupts. It replaced a JsonbValue tree handed to JsonbValueToJsonb
// (two thirds of a cached thaiyyal_execute call); the bytes are the same --
// checked against JsonbValueToJsonb over the conformance corpus and the
// pg_regress suite when it was written.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
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

// Writes jsonb's binary format directly (utils/jsonb.h, the layout
// convertToJsonb in jsonb_util.c produces, byte for byte): no JsonbValue
// tree, one buffer. Containers are int-aligned, their header is the element
// count with JB_FARRAY / JB_FOBJECT, then one JEntry per child (an object's
// keys first, then its values in the same order), then the children's data;
// every JB_OFFSET_STRIDE-th JEntry holds the end offset instead of the
// length. Numerics come from int64_to_numeric / numeric_in as before; what
// thaiyyal.max_run_memory bounds and the errors are the tree builder's.
class JsonbWriter {
 public:
  explicit JsonbWriter(std::uint64_t max_bytes) : max_bytes_(max_bytes) {
    const int encoding = GetDatabaseEncoding();
    convert_encoding_ = encoding != PG_UTF8 && encoding != PG_SQL_ASCII;
    buf_.swap(kept_buffer());
    keys_.swap(kept_keys());
  }

  ~JsonbWriter() {
    // The backend keeps the buffers for the next result, unless one grew
    // large (a big result should not pin its memory).
    if (buf_.capacity() <= kKeptBytes) buf_.swap(kept_buffer());
    keys_.clear();
    if (keys_.capacity() <= kKeptBytes / sizeof(Key)) keys_.swap(kept_keys());
  }

  JsonbWriter(const JsonbWriter&) = delete;
  JsonbWriter& operator=(const JsonbWriter&) = delete;

  Jsonb* write(const Value& v, MemoryContext result_context) {
    buf_.assign(VARHDRSZ, '\0');
    if (is_container(v)) {
      write_value(v);
    } else {
      // A raw scalar is stored as a one-element array flagged JB_FSCALAR.
      pad_to_int();
      append_u32(1 | JB_FARRAY | JB_FSCALAR);
      const std::size_t jentry_at = reserve_jentries(1);
      const std::size_t data_start = buf_.size();
      std::uint32_t meta = write_value(v);
      const std::size_t total = buf_.size() - data_start;
      check_total(total, "array");
      meta = (meta & JENTRY_TYPEMASK) | static_cast<std::uint32_t>(total) | JENTRY_HAS_OFF;
      put_u32(jentry_at, meta);
    }
    return copy_out(result_context);
  }

  // The engine's Result as result_to_value + write would give it, without
  // building the Value: its top-level object is written here, in jsonb's
  // key order ("errors", "workflow_id", "execution_id", "final_output",
  // "node_results": shorter keys first, then bytewise).
  Jsonb* write_result(const Result& result, MemoryContext result_context) {
    buf_.assign(VARHDRSZ, '\0');
    check_depth();
    const bool errors = !result.errors.empty();
    const bool workflow = !result.workflow_id.empty();
    const std::size_t n = 3 + (errors ? 1 : 0) + (workflow ? 1 : 0);
    charge(n * sizeof(JsonbPair));
    std::string_view keys[5];
    std::size_t k = 0;
    if (errors) keys[k++] = "errors";
    if (workflow) keys[k++] = "workflow_id";
    keys[k++] = "execution_id";
    keys[k++] = "final_output";
    keys[k++] = "node_results";
    pad_to_int();
    append_u32(static_cast<std::uint32_t>(n) | JB_FOBJECT);
    const std::size_t jentry_at = reserve_jentries(2 * n);
    const std::size_t data_start = buf_.size();
    for (std::size_t i = 0; i < n; ++i) {
      append(keys[i]);
      const std::size_t total = buf_.size() - data_start;
      const std::uint32_t meta = i == 0
                                     ? static_cast<std::uint32_t>(total) | JENTRY_HAS_OFF
                                     : JENTRY_ISSTRING | static_cast<std::uint32_t>(keys[i].size());
      put_u32(jentry_at + 4 * i, meta);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t start = buf_.size();
      std::uint32_t type = JENTRY_ISSTRING;
      if (keys[i] == "errors") {
        write_string_array(result.errors);
        type = JENTRY_ISCONTAINER;
      } else if (keys[i] == "workflow_id") {
        append(string_bytes(result.workflow_id));
      } else if (keys[i] == "execution_id") {
        append(string_bytes(result.execution_id));
      } else if (keys[i] == "final_output") {
        type = write_value(result.final_output) & JENTRY_TYPEMASK;
      } else {
        write_object(result.node_results);
        type = JENTRY_ISCONTAINER;
      }
      const std::size_t length = buf_.size() - start;
      check_total(length, "object");
      check_total(buf_.size() - data_start, "object");
      put_u32(jentry_at + 4 * (n + i), type | static_cast<std::uint32_t>(length));
    }
    return copy_out(result_context);
  }

 private:
  Jsonb* copy_out(MemoryContext result_context) {
    const char* data = buf_.data();
    const std::size_t size = buf_.size();
    return pg_call([&]() noexcept -> Jsonb* {
      free_pending();
      auto* jsonb = static_cast<Jsonb*>(MemoryContextAlloc(result_context, size));
      std::memcpy(jsonb, data, size);
      SET_VARSIZE(jsonb, size);
      return jsonb;
    });
  }

  static bool is_container(const Value& v) {
    return v.kind() == Kind::Object ||
           ((v.kind() == Kind::Array || v.kind() == Kind::RecordList) && !v.is_nil_array());
  }

  // Writes v's data at the end of the buffer; returns its JEntry: type bits
  // and its length (alignment padding included).
  std::uint32_t write_value(const Value& v) {
    const std::size_t start = buf_.size();
    std::uint32_t type = 0;
    switch (v.kind()) {
      case Kind::Null:
        return JENTRY_ISNULL;
      case Kind::Bool:
        return v.as_bool() ? JENTRY_ISBOOL_TRUE : JENTRY_ISBOOL_FALSE;
      case Kind::Number:
        write_double(v.as_number());
        type = JENTRY_ISNUMERIC;
        break;
      case Kind::Int:
        charge(kNumberCharge);
        write_int(v.as_int());
        type = JENTRY_ISNUMERIC;
        break;
      case Kind::String:
        append(string_bytes(v.as_string()));
        type = JENTRY_ISSTRING;
        break;
      case Kind::Time: {
        std::string text = format_rfc3339_nano(v.as_time_nanos());
        charge(sizeof(std::string) + text.size());
        append(string_bytes(text));
        type = JENTRY_ISSTRING;
        break;
      }
      case Kind::JsonNumber:
        write_json_number(v.as_string());
        type = JENTRY_ISNUMERIC;
        break;
      case Kind::Array:
      case Kind::RecordList:
        if (v.is_nil_array()) return JENTRY_ISNULL;
        write_array(v.as_array());
        type = JENTRY_ISCONTAINER;
        break;
      case Kind::Object:
        write_object(v.as_object());
        type = JENTRY_ISCONTAINER;
        break;
      default:
        throw std::logic_error("value_to_jsonb: unknown value kind");
    }
    const std::size_t length = buf_.size() - start;
    if (length > JENTRY_OFFLENMASK) check_total(length, "array");
    return type | static_cast<std::uint32_t>(length);
  }

  // An array of strings (the Result's "errors"), as write_array writes an
  // Array of string Values.
  void write_string_array(const std::vector<std::string>& items) {
    check_depth();
    const std::size_t n = items.size();
    charge(saturating_mul(n == 0 ? 1 : n, sizeof(JsonbValue)));
    pad_to_int();
    append_u32(static_cast<std::uint32_t>(n) | JB_FARRAY);
    const std::size_t jentry_at = reserve_jentries(n);
    const std::size_t data_start = buf_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view bytes = string_bytes(items[i]);
      append(bytes);
      const std::size_t total = buf_.size() - data_start;
      check_total(total, "array");
      std::uint32_t meta = JENTRY_ISSTRING | static_cast<std::uint32_t>(bytes.size());
      if (i % JB_OFFSET_STRIDE == 0) meta = static_cast<std::uint32_t>(total) | JENTRY_HAS_OFF;
      put_u32(jentry_at + 4 * i, meta);
    }
  }

  void write_array(const Array& items) {
    check_depth();
    const std::size_t n = items.size();
    charge(saturating_mul(n == 0 ? 1 : n, sizeof(JsonbValue)));
    pad_to_int();
    append_u32(static_cast<std::uint32_t>(n) | JB_FARRAY);
    const std::size_t jentry_at = reserve_jentries(n);
    const std::size_t data_start = buf_.size();
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t meta = write_value(items[i]);
      const std::size_t total = buf_.size() - data_start;
      check_total(total, "array");
      if (i % JB_OFFSET_STRIDE == 0) {
        meta = (meta & JENTRY_TYPEMASK) | static_cast<std::uint32_t>(total) | JENTRY_HAS_OFF;
      }
      put_u32(jentry_at + 4 * i, meta);
    }
  }

  struct Key {
    std::string_view bytes;
    std::uint32_t order;
  };

  void write_object(const Object& object) {
    check_depth();
    const auto& entries = object.entries();
    const std::size_t n = entries.size();
    charge(saturating_mul(n == 0 ? 1 : n, sizeof(JsonbPair)));
    // jsonb's key order (shorter first, then bytewise); keys made equal by
    // repairing or converting keep the later entry, as a JSON reader of
    // Go's output would.
    // This object's keys are a segment of one stack shared by every object
    // of the result (nested objects push theirs after it and pop them).
    const std::size_t base = keys_.size();
    for (std::size_t i = 0; i < n; ++i) {
      keys_.push_back({string_bytes(entries[i].first), static_cast<std::uint32_t>(i)});
    }
    Key* const keys = keys_.data() + base;
    std::sort(keys, keys + n, [](const Key& a, const Key& b) {
      if (a.bytes.size() != b.bytes.size()) return a.bytes.size() < b.bytes.size();
      const int c = a.bytes.compare(b.bytes);
      if (c != 0) return c < 0;
      return a.order < b.order;
    });
    std::size_t kept = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (kept > 0 && keys[kept - 1].bytes == keys[k].bytes) {
        keys[kept - 1] = keys[k];
      } else {
        keys[kept++] = keys[k];
      }
    }
    pad_to_int();
    append_u32(static_cast<std::uint32_t>(kept) | JB_FOBJECT);
    const std::size_t jentry_at = reserve_jentries(2 * kept);
    const std::size_t data_start = buf_.size();
    for (std::size_t i = 0; i < kept; ++i) {
      const Key key = keys_[base + i];
      append(key.bytes);
      const std::size_t total = buf_.size() - data_start;
      check_total(total, "object");
      std::uint32_t meta = JENTRY_ISSTRING | static_cast<std::uint32_t>(key.bytes.size());
      if (i % JB_OFFSET_STRIDE == 0) meta = static_cast<std::uint32_t>(total) | JENTRY_HAS_OFF;
      put_u32(jentry_at + 4 * i, meta);
    }
    for (std::size_t i = 0; i < kept; ++i) {
      // keys_ may grow (and move) inside: index, do not keep pointers.
      std::uint32_t meta = write_value(entries[keys_[base + i].order].second);
      const std::size_t total = buf_.size() - data_start;
      check_total(total, "object");
      if ((i + kept) % JB_OFFSET_STRIDE == 0) {
        meta = (meta & JENTRY_TYPEMASK) | static_cast<std::uint32_t>(total) | JENTRY_HAS_OFF;
      }
      put_u32(jentry_at + 4 * (kept + i), meta);
    }
    keys_.resize(base);
  }

  void write_double(double d) {
    if (!std::isfinite(d)) {
      throw SqlError(ERRCODE_FLOATING_POINT_EXCEPTION,
                     std::isnan(d) ? "json: unsupported value: NaN"
                                   : (d > 0 ? "json: unsupported value: +Inf"
                                            : "json: unsupported value: -Inf"),
                     "The workflow result contains a number that JSON cannot represent.");
    }
    if (d == std::trunc(d) && std::fabs(d) < kExactIntegerLimit) {
      charge(kNumberCharge);
      write_int(static_cast<std::int64_t>(d));
      return;
    }
    // Shortest digits that read back as the same double ("1.5", "1e+300",
    // "5e-324"); numeric_in accepts every such form.
    charge(kNumberCharge + sizeof(std::string) + 32);
    char text[40];
    const auto result = std::to_chars(text, text + sizeof text - 1, d);
    *result.ptr = '\0';
    write_numeric_text(text, &d);
  }

  void write_json_number(const std::string& literal) {
    if (!is_json_number(literal)) {
      std::string shown;
      go::unicode::append_repaired(shown, literal.substr(0, 64));
      throw SqlError(ERRCODE_INVALID_TEXT_REPRESENTATION,
                     "json: invalid number literal \"" + shown + "\"");
    }
    charge(kNumberCharge);
    write_numeric_text(literal.c_str());
  }

  void write_int(std::int64_t i) {
    pad_to_int();
    NumericSlot& slot = int_numerics()[slot_of(static_cast<std::uint64_t>(i))];
    if (slot.size != 0 && slot.key == static_cast<std::uint64_t>(i)) {
      append(std::string_view(slot.bytes, slot.size));
      return;
    }
    append_numeric(pg_call([&]() noexcept {
      free_pending();
      return int64_to_numeric(i);
    }));
    remember(slot, static_cast<std::uint64_t>(i));
  }

  // A double's shortest text, or a JsonNumber's literal (key: its bits or 0).
  void write_numeric_text(const char* text, const double* d = nullptr) {
    pad_to_int();
    std::uint64_t bits = 0;
    NumericSlot* slot = nullptr;
    if (d != nullptr) {
      std::memcpy(&bits, d, sizeof bits);
      slot = &double_numerics()[slot_of(bits)];
      if (slot->size != 0 && slot->key == bits) {
        append(std::string_view(slot->bytes, slot->size));
        return;
      }
    }
    append_numeric(pg_call([&]() noexcept {
      free_pending();
      return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
                                                 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
    }));
    if (slot != nullptr) remember(*slot, bits);
  }

  // Numerics of recent numbers, per backend: results repeat the same small
  // integers and values, and int64_to_numeric / numeric_in (a guarded call,
  // a palloc and a pfree each) were a tenth of a cached thaiyyal_execute.
  // Direct-mapped by the number; a slot keeps the exact key, so a hit is
  // always the same Numeric bytes.
  struct NumericSlot {
    std::uint64_t key = 0;
    std::uint8_t size = 0;  // 0 = empty
    char bytes[31];
  };
  static constexpr std::size_t kNumericSlots = 256;
  static std::size_t slot_of(std::uint64_t key) {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> 56);
  }
  static NumericSlot* int_numerics() {
    static NumericSlot slots[kNumericSlots];
    return slots;
  }
  static NumericSlot* double_numerics() {
    static NumericSlot slots[kNumericSlots];
    return slots;
  }
  // The Numeric just appended (pending_) into `slot`, if it fits.
  void remember(NumericSlot& slot, std::uint64_t key) {
    const std::size_t size = VARSIZE_ANY(pending_);
    if (size > sizeof slot.bytes) return;
    slot.key = key;
    slot.size = static_cast<std::uint8_t>(size);
    std::memcpy(slot.bytes, pending_, size);
  }

  // Copies a Numeric into the buffer; it is freed by the next number's (or
  // the final) pg_call, so that no PostgreSQL call runs outside a guard.
  void append_numeric(Numeric numeric) {
    pending_ = numeric;
    append(std::string_view(reinterpret_cast<const char*>(numeric), VARSIZE_ANY(numeric)));
  }

  // Inside pg_call only.
  void free_pending() noexcept {
    if (pending_ != nullptr) pfree(pending_);
    pending_ = nullptr;
  }

  // Whether every byte is in 0x01..0x7F: eight bytes at a time (a byte is
  // 0 when subtracting one borrows into its top bit, which no plain byte
  // has; a non-ASCII byte has it set already).
  static bool plain_ascii(std::string_view s) noexcept {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t bad = 0;
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      bad |= (w | (w - kOnes)) & kHighs;
    }
    for (; n > 0; ++p, --n) bad |= static_cast<unsigned char>(*p) - 1u >= 0x7Fu;
    return bad == 0;
  }

  // The bytes a string is stored as: NUL refused, invalid UTF-8 repaired,
  // converted to the database encoding (the view may point into scratch
  // storage kept until the end).
  std::string_view string_bytes(std::string_view s) {
    // Most keys and strings are ASCII without NUL: valid UTF-8 and, in a
    // UTF-8 database, stored as they are. One branch-free pass decides.
    if (!convert_encoding_ && plain_ascii(s)) {
      check_string_length(s.size());
      return s;
    }
    if (s.find('\0') != std::string_view::npos) {
      throw SqlError(ERRCODE_UNTRANSLATABLE_CHARACTER, "unsupported Unicode escape sequence",
                     "\\u0000 cannot be converted to text.");
    }
    if (!go::unicode::valid_utf8(s)) {
      charge(sizeof(std::string) + 3 * s.size());
      std::string& repaired = *texts_.emplace_back(std::make_unique<std::string>());
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
    return s;
  }

  static void check_string_length(std::size_t length) {
    if (length > JENTRY_OFFLENMASK) {
      throw SqlError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, "string too long to represent as jsonb string",
                     "Due to an implementation restriction, jsonb strings cannot exceed " +
                         std::to_string(JENTRY_OFFLENMASK) + " bytes.");
    }
  }

  static void check_total(std::size_t total, const char* what) {
    if (total > JENTRY_OFFLENMASK) [[unlikely]]
      total_too_large(what);
  }

  [[noreturn, gnu::cold, gnu::noinline]] static void total_too_large(const char* what) {
    throw SqlError(ERRCODE_PROGRAM_LIMIT_EXCEEDED, std::string("total size of jsonb ") + what +
                                                       " elements exceeds the maximum of " +
                                                       std::to_string(JENTRY_OFFLENMASK) +
                                                       " bytes");
  }

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
    if (stack_is_too_deep()) {
      throw SqlError(ERRCODE_STATEMENT_TOO_COMPLEX, "stack depth limit exceeded",
                     "The workflow result is nested too deeply to be converted to jsonb.",
                     "Increase the configuration parameter \"max_stack_depth\", after ensuring "
                     "the platform's stack depth limit is adequate.");
    }
  }

  void pad_to_int() { buf_.resize(INTALIGN(buf_.size()), '\0'); }
  void append(std::string_view bytes) { buf_.append(bytes.data(), bytes.size()); }
  void append_u32(std::uint32_t v) { buf_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  std::size_t reserve_jentries(std::size_t n) {
    const std::size_t at = buf_.size();
    buf_.resize(at + sizeof(JEntry) * n, '\0');
    return at;
  }
  void put_u32(std::size_t at, std::uint32_t v) { std::memcpy(buf_.data() + at, &v, sizeof v); }

  // What one number cost in the JsonbValue tree this writer replaced: the
  // bound of thaiyyal.max_run_memory stays where it was.
  static constexpr std::size_t kNumberCharge = 24;
  static constexpr std::size_t kKeptBytes = 64 * 1024;

  static std::string& kept_buffer() {
    static std::string kept;
    return kept;
  }
  static std::vector<Key>& kept_keys() {
    static std::vector<Key> kept;
    return kept;
  }

  std::uint64_t max_bytes_;
  std::uint64_t bytes_ = 0;
  std::uint64_t charges_ = 0;
  bool convert_encoding_ = false;
  std::string buf_;
  Numeric pending_ = nullptr;
  std::vector<Key> keys_;
  // Repaired strings the buffer's keys may point into (rare: invalid UTF-8).
  std::vector<std::unique_ptr<std::string>> texts_;
};

}  // namespace

Jsonb* value_to_jsonb(const Value& value, MemoryContext result_context) {
  return JsonbWriter(static_cast<std::uint64_t>(max_run_memory_bytes()))
      .write(value, result_context);
}

Jsonb* result_to_jsonb(const Result& result, MemoryContext result_context) {
  return JsonbWriter(static_cast<std::uint64_t>(max_run_memory_bytes()))
      .write_result(result, result_context);
}

}  // namespace thaiyyal::pg
