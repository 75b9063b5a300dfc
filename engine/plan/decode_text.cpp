// JSON text -> Payload in one pass, without the document's Value tree: the
// payload's skeleton (the top-level object, the node and edge objects, ids,
// types, handles) is read straight into the Payload's structures, and the
// data of a node whose type is known is decoded field by field into its
// NodeData and compiled at once. Only values of `Any` fields, arrays and
// nested objects inside data, and members that no struct field takes are
// parsed as Values, by the general parser.
//
// This path keeps exactly the semantics of decode_payload(parse_json(text))
// by refusing (Bail) every text where they could differ or where there is an
// error to report: a syntax error anywhere, a type mismatch, a duplicate
// member of a decoded object ("last one wins" would need a second look), a
// member that matches a field only case-insensitively (Go's folded match), a
// member name with escapes or non-ASCII bytes, a number out of float64's
// range, a failed validation. The caller then runs the general path, which
// reports the exact error.
#include <charconv>
#include <cstring>
#include <initializer_list>
#include <system_error>

#include "engine/common/interrupts.hpp"
#include "engine/common/scratch.hpp"
#include "engine/go/json.hpp"
#include "engine/go/json_fold.hpp"
#include "engine/nodes/node_type.hpp"
#include "engine/plan/compile.hpp"
#include "engine/plan/decode_support.hpp"
#include "engine/plan/payload.hpp"

namespace thaiyyal {
namespace {

// Thrown when the general path must decode the payload; never escapes this
// file.
struct Bail {};
[[noreturn]] void bail() {
  throw Bail{};
}

// Containers enclosing a value, as the general parser counts them against
// JsonParseOptions::max_depth: the top-level object, the nodes array, a
// node object, its data object.
constexpr std::size_t kTopDepth = 1;
constexpr std::size_t kElementDepth = 3;  // members of a node or an edge
constexpr std::size_t kDataDepth = 4;     // members of a node's data
// Members of an object in an array field of a node's data (a switch case).
constexpr std::size_t kElementMemberDepth = kDataDepth + 2;
// Fields of such an element decoded here; a struct with more (none today)
// goes through the general decoding of the parsed array.
constexpr std::size_t kMaxElementFields = 8;
constexpr std::size_t kMaxDepth = JsonParseOptions{}.max_depth;

// Bytes that end a plain string: the quote, a backslash, control characters
// and non-ASCII bytes (the general parser decodes those).
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

// One comparison for the common case, a byte above the space (text written
// from jsonb has no whitespace at all).
inline bool is_space(char c) {
  return static_cast<unsigned char>(c) <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// A member name that Go would match, case-insensitively, to one of `fields`
// without being spelled exactly as it: the general path decides which wins.
bool folds_to_any(std::string_view key, std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) {
    if (go::json_names_fold_equal(key, f)) return true;
  }
  return false;
}

class TextDecoder {
 public:
  explicit TextDecoder(std::string_view text)
      : p_(text.data()), end_(text.data() + text.size()), registry_(NodeRegistry::builtin()) {}

  void decode(Payload& out) {
    skip_space();
    if (!literal_null()) {
      bool seen_id = false, seen_nodes = false, seen_edges = false;
      object([&](std::string_view key) {
        if (key_equal(key, "workflow_id")) {
          once(seen_id);
          if (auto s = nullable_string()) out.workflow_id = std::move(*s);
        } else if (key_equal(key, "nodes")) {
          once(seen_nodes);
          if (!literal_null()) array([&] { node(out); });
        } else if (key_equal(key, "edges")) {
          once(seen_edges);
          if (!literal_null()) array([&] { edge(out); });
        } else {
          if (folds_to_any(key, {"workflow_id", "nodes", "edges"})) bail();
          skip_value(kTopDepth);
        }
      });
    }
    skip_space();
    if (p_ != end_) bail();
  }

 private:
  void skip_space() {
    while (p_ != end_ && is_space(*p_)) ++p_;
  }
  // The next byte after spaces; end of input is an error.
  char next() {
    skip_space();
    if (p_ == end_) bail();
    return *p_;
  }
  void expect(char c) {
    if (next() != c) bail();
    ++p_;
  }
  // Consumes `null` at p_ (after spaces) if it is there.
  bool literal_null() {
    skip_space();
    if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
      p_ += 4;
      return true;
    }
    return false;
  }
  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) >= n && std::memcmp(p_, word, n) == 0) {
      p_ += n;
      return true;
    }
    return false;
  }
  static void once(bool& seen) {
    if (seen) bail();
    seen = true;
  }

  // A string literal at p_ without escapes, control characters or non-ASCII
  // bytes: its bytes, p_ past the closing quote. Otherwise false, p_
  // unchanged.
  bool plain_string(std::string_view& out) {
    const char* q = p_ + 1;
    const char* start = q;
    while (q != end_ && !kStringStop.v[static_cast<unsigned char>(*q)]) ++q;
    if (q == end_ || *q != '"') return false;
    out = std::string_view(start, static_cast<std::size_t>(q - start));
    p_ = q + 1;
    return true;
  }

  // Calls member(key) for every member of the object at p_ (after spaces);
  // member consumes the value.
  template <class F>
  void object(F&& member) {
    expect('{');
    if (next() == '}') {
      ++p_;
      return;
    }
    while (true) {
      if (next() != '"') bail();
      std::string_view key;
      if (!plain_string(key)) bail();
      expect(':');
      next();
      member(key);
      const char c = next();
      ++p_;
      if (c == ',') continue;
      if (c == '}') return;
      bail();
    }
  }

  template <class F>
  void array(F&& element) {
    expect('[');
    if (next() == ']') {
      ++p_;
      return;
    }
    while (true) {
      poll_interrupts();
      element();
      const char c = next();
      ++p_;
      if (c == ',') continue;
      if (c == ']') return;
      bail();
    }
  }

  // Any value at p_, by the general parser, limited to the nesting depth
  // left at `depth` enclosing containers.
  Value generic(std::size_t depth) {
    JsonParseOptions options;
    options.allow_trailing = true;
    options.max_depth = kMaxDepth - depth;
    std::size_t consumed = 0;
    Value v;
    try {
      v = parse_json_prefix(std::string_view(p_, static_cast<std::size_t>(end_ - p_)), consumed,
                            options);
    } catch (const JsonParseError&) {
      bail();
    }
    p_ += consumed;
    return v;
  }
  void skip_value(std::size_t depth) { (void)generic(depth); }

  // A value at p_ (after spaces): scalars read here, the rest by generic().
  Value value(std::size_t depth) {
    const char c = *p_;
    if (c == '"') {
      std::string_view s;
      if (plain_string(s)) return Value::string(s);
      return generic(depth);
    }
    if (c == '-' || is_digit(c)) return number();
    if (c == 't' && literal("true", 4)) return Value::boolean(true);
    if (c == 'f' && literal("false", 5)) return Value::boolean(false);
    if (c == 'n' && literal("null", 4)) return Value();
    return generic(depth);
  }

  // RFC 8259 number, converted as the general parser converts it.
  Value number() {
    const char* start = p_;
    bool integral = true;
    if (*p_ == '-') ++p_;
    if (p_ == end_ || !is_digit(*p_)) bail();
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (p_ != end_ && *p_ == '.') {
      integral = false;
      ++p_;
      if (p_ == end_ || !is_digit(*p_)) bail();
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integral = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !is_digit(*p_)) bail();
      while (p_ != end_ && is_digit(*p_)) ++p_;
    }
    if (integral) {
      const char* d = start + (*start == '-' ? 1 : 0);
      if (p_ - d <= 15) {
        std::int64_t v = 0;
        for (const char* q = d; q != p_; ++q) v = v * 10 + (*q - '0');
        const double x = static_cast<double>(v);
        return Value::number(*start == '-' ? -x : x, true);
      }
    }
    double x = 0;
    auto res = std::from_chars(start, p_, x, std::chars_format::general);
    if (res.ec != std::errc()) bail();  // out of range: the general path decides
    return Value::number(x, integral);
  }

  // A string or null (Go: null leaves a string field as it is).
  std::optional<std::string> nullable_string() {
    if (literal_null()) return std::nullopt;
    if (next() != '"') bail();
    std::string_view s;
    if (plain_string(s)) return std::string(s);
    Value v = generic(kElementDepth);
    return v.as_string();
  }

  void node(Payload& out) {
    PayloadNode& node = out.nodes.emplace_back();
    if (literal_null()) return;
    bool seen_id = false, seen_type = false, seen_data = false;
    // Data that comes before the node's type (always, in text written from
    // jsonb, whose keys are sorted) is skipped over first and decoded from
    // its text once the type is known: typed, as data after the type is.
    const char* early_data = nullptr;
    const char* early_data_end = nullptr;
    object([&](std::string_view key) {
      if (key_equal(key, "id")) {
        once(seen_id);
        if (auto s = nullable_string()) node.id = std::move(*s);
      } else if (key_equal(key, "type")) {
        once(seen_type);
        if (auto s = nullable_string()) node.type = std::move(*s);
      } else if (key_equal(key, "data")) {
        once(seen_data);
        if (seen_type) {
          data(node);
        } else {
          early_data = p_;
          skip_over_value();
          early_data_end = p_;
        }
      } else {
        if (folds_to_any(key, {"id", "type", "data"})) bail();
        skip_value(kElementDepth);
      }
    });
    if (early_data != nullptr) {
      const char* resume = p_;
      p_ = early_data;
      data(node);
      // The decoding must have read exactly the value that was skipped.
      if (p_ != early_data_end) bail();
      p_ = resume;
    }
    // No data (or null): no inference; a known type fails when executed
    // with "expected <Struct>, got <nil>".
    if (!node.has_data) node.type_info = registry_.find(node.type);
  }

  // Moves p_ past the JSON value at p_ (after spaces) without decoding it:
  // brackets matched, strings and scalars passed over. Lenient (what it
  // passes over is decoded, and so checked, afterwards); iterative, so
  // that no nesting can exhaust the stack.
  void skip_over_value() {
    std::size_t depth = 0;
    while (true) {
      const char c = next();
      if (c == '"') {
        ++p_;
        while (p_ != end_ && *p_ != '"') p_ += *p_ == '\\' ? 2 : 1;
        if (p_ >= end_) bail();
        ++p_;
      } else if (c == '{' || c == '[') {
        ++depth;
        ++p_;
        continue;
      } else if (c == '}' || c == ']') {
        if (depth == 0) bail();
        --depth;
        ++p_;
      } else if (c == ',' || c == ':') {
        if (depth == 0) bail();
        ++p_;
        continue;
      } else {
        const char* start = p_;
        while (p_ != end_ && !is_space(*p_) && *p_ != ',' && *p_ != ':' && *p_ != '"' &&
               *p_ != '{' && *p_ != '}' && *p_ != '[' && *p_ != ']') {
          ++p_;
        }
        if (p_ == start) bail();
      }
      if (depth == 0) return;
    }
  }

  void decode_parsed_data(PayloadNode& node, const Value& parsed) {
    if (parsed.is_null()) return;
    try {
      decode_node_data(node, parsed, registry_);
    } catch (const PayloadError&) {
      bail();
    }
  }

  void data(PayloadNode& node) {
    if (literal_null()) return;
    const NodeTypeInfo* info = node.type.empty() ? nullptr : registry_.find(node.type);
    if (info == nullptr || next() != '{') {
      // Inference (the type is not known yet), an unknown type, or data
      // that is not an object: the general decoding of the parsed data.
      decode_parsed_data(node, generic(kElementDepth));
      return;
    }
    node.has_data = true;
    node.type_info = info;
    const std::vector<FieldSpec>& fields = info->fields;
    std::vector<Value>& slots = slots_.items;
    std::vector<char>& seen = seen_.items;
    slots.assign(fields.size(), Value());
    seen.assign(fields.size(), 0);
    bool seen_label = false;
    object([&](std::string_view key) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (key_equal(key, fields[i].key)) {
          if (seen[i]) bail();
          if (fields[i].type == FieldType::ObjectArray && next() == '[' &&
              fields[i].element_fields.size() <= kMaxElementFields) {
            seen[i] = kTyped;
            slots[i] = object_array(fields[i]);
          } else {
            seen[i] = kRaw;
            slots[i] = value(kDataDepth);
          }
          return;
        }
      }
      if (key_equal(key, "label")) {
        once(seen_label);
        Value label = value(kDataDepth);
        if (!label.is_null() && !label.is_string()) bail();
        return;
      }
      if (go::json_names_fold_equal(key, "label")) bail();
      for (const FieldSpec& spec : fields) {
        if (go::json_names_fold_equal(key, spec.key)) bail();
      }
      skip_value(kDataDepth);
    });
    // The typed fields in spec order, as decode_fields builds them, into
    // the thread's scratch entries (reused by every node).
    Object decoded = Object::from_sorted_unique(std::move(fields_.items));
    try {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (slots[i].is_null()) continue;
        if (seen[i] == kTyped) {
          decoded.append_sorted(fields[i].key, std::move(slots[i]));
        } else {
          decoded.append_sorted(fields[i].key,
                                decode_field(slots[i], fields[i], info->struct_name, ""));
        }
      }
    } catch (const std::runtime_error&) {
      bail();
    }
    slots.clear();
    node.data = NodeData(std::move(decoded));
    if (info->validate != nullptr && !info->validate(node.data).empty()) bail();
    // Compiled now, while the data is at hand: the executor keeps what it
    // needs, and the scratch entries go to the next node.
    node.executor = build_executor(node);
    fields_.items = node.data.take_fields().release_entries();
    fields_.items.clear();
  }

  // How a field of the node's data was read (seen_): as a Value still to
  // be decoded by decode_field, or already typed.
  static constexpr char kRaw = 1;
  static constexpr char kTyped = 2;

  // An array of objects (FieldType::ObjectArray, p_ at '[') decoded field
  // by field into the element struct's typed objects, as decode_field
  // decodes the parsed array: null elements become empty objects, anything
  // else that is not an object is an error (the general path reports it).
  Value object_array(const FieldSpec& spec) {
    Array out;
    array([&] {
      if (literal_null()) {
        out.push_back(Value::empty_object());
        return;
      }
      if (next() != '{') bail();
      out.push_back(Value::object(element(spec)));
    });
    return Value::array(std::move(out));
  }

  Object element(const FieldSpec& spec) {
    const std::vector<FieldSpec>& fields = spec.element_fields;
    Value slots[kMaxElementFields];
    bool seen[kMaxElementFields] = {};
    object([&](std::string_view key) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (key_equal(key, fields[i].key)) {
          if (seen[i]) bail();
          seen[i] = true;
          slots[i] = value(kElementMemberDepth);
          return;
        }
      }
      for (const FieldSpec& f : fields) {
        if (go::json_names_fold_equal(key, f.key)) bail();
      }
      skip_value(kElementMemberDepth);
    });
    // decode_fields' object: the fields in spec order, null ones dropped.
    Object decoded;
    decoded.reserve(fields.size());
    try {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (slots[i].is_null()) continue;
        decoded.append_sorted(fields[i].key,
                              decode_field(slots[i], fields[i], spec.element_struct, ""));
      }
    } catch (const std::runtime_error&) {
      bail();
    }
    return decoded;
  }

  void edge(Payload& out) {
    PayloadEdge& edge = out.edges.emplace_back();
    if (literal_null()) return;
    bool seen[6] = {};
    std::optional<std::string> source_handle, condition;
    object([&](std::string_view key) {
      static constexpr std::string_view kNames[6] = {"id",           "source",       "target",
                                                     "sourceHandle", "targetHandle", "condition"};
      for (int i = 0; i < 6; ++i) {
        if (!key_equal(key, kNames[i])) continue;
        once(seen[i]);
        std::optional<std::string> s = nullable_string();
        switch (i) {
          case 0:
            if (s) edge.id = std::move(*s);
            break;
          case 1:
            if (s) edge.source = std::move(*s);
            break;
          case 2:
            if (s) edge.target = std::move(*s);
            break;
          case 3:
            source_handle = std::move(s);
            break;
          case 5:
            condition = std::move(s);
            break;
          default:
            break;
        }
        return;
      }
      if (folds_to_any(key,
                       {"id", "source", "target", "sourceHandle", "targetHandle", "condition"})) {
        bail();
      }
      skip_value(kElementDepth);
    });
    edge.handle = source_handle ? std::move(source_handle) : std::move(condition);
  }

  const char* p_;
  const char* end_;
  const NodeRegistry& registry_;
  // Scratch for the data of one node at a time, kept by the thread.
  ScratchVector<Value, struct DataSlots> slots_;
  ScratchVector<char, struct DataSeen> seen_;
  ScratchVector<Object::Entry, struct DataFields> fields_;
};

}  // namespace

bool decode_payload_text(std::string_view text, Payload& out) {
  try {
    TextDecoder(text).decode(out);
    return true;
  } catch (const Bail&) {
    out = Payload();
    return false;
  }
}

}  // namespace thaiyyal
