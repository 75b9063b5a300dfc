// Schema loading (gojsonschema schemaLoader.go, schemaPool.go, schema.go):
// reference pool, draft detection and keyword parsing with the library's
// checks and error texts, in its order.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"
#include "engine/go/unicode.hpp"
#include "engine/schema/schema_internal.hpp"

namespace thaiyyal::schema {
namespace {

constexpr std::string_view kJsonTypes[] = {"array",  "boolean", "integer", "null",
                                           "number", "object",  "string"};

std::string invalid_type(std::string_view expected, std::string_view given) {
  return "Invalid type. Expected: " + std::string(expected) + ", given: " + std::string(given);
}
std::string must_be_of_a(std::string_view x, std::string_view y) {
  return std::string(x) + " must be of a " + std::string(y);
}
std::string must_be_of_an(std::string_view x, std::string_view y) {
  return std::string(x) + " must be of an " + std::string(y);
}
std::string must_be_of_type(std::string_view key, std::string_view type) {
  return std::string(key) + " must be of type " + std::string(type);
}
std::string must_be_gte_zero(std::string_view key) {
  return std::string(key) + " must be greater than or equal to 0";
}
std::string cannot_be_used_without(std::string_view x, std::string_view y) {
  return std::string(x) + " cannot be used without " + std::string(y);
}
const std::string kParseError = "Expected: valid schema, given: Invalid JSON";

bool is_map_or_bool(const Value* v) {
  return v != nullptr && (v->is_object() || v->is_bool());
}

// mustBeNumber.
std::optional<NumberBound> must_be_number(const Value* v) {
  if (v == nullptr || !v->is_json_number()) return std::nullopt;
  auto d = Decimal::parse(v->as_string());
  if (!d) return std::nullopt;
  return NumberBound{*d, v->as_string()};
}

// mustBeInteger: an integral rational whose literal also parses as int64.
std::optional<std::int64_t> must_be_integer(const Value* v) {
  if (v == nullptr || !v->is_json_number()) return std::nullopt;
  const std::string& lit = v->as_string();
  auto d = Decimal::parse(lit);
  if (!d || !d->is_integer()) return std::nullopt;
  std::size_t i = (!lit.empty() && (lit[0] == '-' || lit[0] == '+')) ? 1 : 0;
  if (i == lit.size()) return std::nullopt;
  for (std::size_t k = i; k < lit.size(); ++k) {
    if (lit[k] < '0' || lit[k] > '9') return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(lit.c_str(), &end, 10);
  if (errno == ERANGE) return std::nullopt;
  return n;
}

struct PoolDocument {
  Value document;
  std::optional<Draft> draft;
};

class Loader {
 public:
  explicit Loader(SchemaImpl& impl) : impl_(impl) {}

  void compile(const Value& doc) {
    std::string err;
    auto root_ref = JsonReference::parse("#", err);
    document_ref_ = *root_ref;
    parse_references(doc, document_ref_, true);
    Draft draft = impl_.options.default_draft;
    if (impl_.options.auto_detect) {
      if (auto detected = parse_schema_url(doc)) draft = *detected;
    }
    SubSchema& root = new_node(nullptr);
    root.draft = draft;
    impl_.root = &root;
    parse_schema(doc, root, 0);
  }

 private:
  SubSchema& new_node(const SubSchema* parent) {
    if (impl_.nodes.size() >= impl_.options.max_subschemas) {
      throw SchemaLimitError("schema has too many subschemas (limit " +
                             std::to_string(impl_.options.max_subschemas) + ")");
    }
    impl_.nodes.emplace_back();
    impl_.nodes.back().parent = parent;
    return impl_.nodes.back();
  }

  // parseSchemaURL: the draft named by "$schema", if any.
  std::optional<Draft> parse_schema_url(const Value& doc) {
    if (doc.is_bool()) return std::nullopt;
    if (!doc.is_object()) throw SchemaError("schema is invalid");
    const Value* s = doc.find("$schema");
    if (s == nullptr) return std::nullopt;
    if (!s->is_string()) throw SchemaError(must_be_of_type("$schema", "string"));
    std::string err;
    auto ref = JsonReference::parse(s->as_string(), err);
    if (!ref) throw SchemaError(err);
    std::string url = ref->string();
    if (url == "http://json-schema.org/draft-04/schema") return Draft::Draft4;
    if (url == "http://json-schema.org/draft-06/schema") return Draft::Draft6;
    if (url == "http://json-schema.org/draft-07/schema") return Draft::Draft7;
    return std::nullopt;
  }

  // schemaPool.parseReferences.
  void parse_references(const Value& doc, const JsonReference& ref, bool pooled) {
    std::string key = ref.string();
    if (pooled && pool_.count(key) != 0) {
      throw SchemaError("Reference already exists: \"" + key + "\"");
    }
    std::optional<Draft> draft;
    if (impl_.options.auto_detect) draft = parse_schema_url(doc);
    std::string err = parse_references_recursive(doc, ref, draft, 0);
    if (pooled) pool_[key] = PoolDocument{doc, draft};
    if (!err.empty()) throw SchemaError(err);
  }

  std::string parse_references_recursive(const Value& doc, const JsonReference& ref,
                                         const std::optional<Draft>& draft, std::size_t depth) {
    if (depth > impl_.options.max_depth) throw SchemaLimitError("schema nesting too deep");
    check_stack_depth();
    poll_interrupts();
    if (doc.is_array()) {
      for (const Value& v : doc.as_array()) parse_references_recursive(v, ref, draft, depth + 1);
      return {};
    }
    if (!doc.is_object()) return {};
    const Object& m = doc.as_object();
    JsonReference local = ref;
    const char* key_id = m.contains("id") ? "id" : "$id";
    if (const Value* id = m.find(key_id); id != nullptr && id->is_string()) {
      std::string err;
      if (auto jr = JsonReference::parse(id->as_string(), err)) {
        if (auto inherited = ref.inherits(*jr, err)) {
          local = *inherited;
          std::string k = local.string();
          if (pool_.count(k) != 0) return "Reference already exists: \"" + k + "\"";
          pool_[k] = PoolDocument{doc, draft};
        }
      }
    }
    if (const Value* r = m.find("$ref"); r != nullptr && r->is_string()) {
      std::string err;
      if (auto jr = JsonReference::parse(r->as_string(), err)) {
        if (auto absolute = local.inherits(*jr, err)) rewritten_refs_[&m] = absolute->string();
      }
    }
    for (const auto& [k, v] : m) {
      if (k == "const" || k == "enum") continue;
      if (k == "properties" || k == "dependencies" || k == "patternProperties") {
        if (v.is_object()) {
          for (const auto& child : v.as_object()) {
            parse_references_recursive(child.second, local, draft, depth + 1);
          }
        }
      } else {
        parse_references_recursive(v, local, draft, depth + 1);
      }
    }
    return {};
  }

  // JSON pointer Get (gojsonpointer).
  static Value pointer_get(const Value& doc, const std::vector<std::string>& tokens) {
    Value node = doc;
    for (const std::string& token : tokens) {
      if (node.is_object()) {
        std::string decoded = decode_pointer_token(token);
        const Value* child = node.find(decoded);
        if (child == nullptr) throw SchemaError("Object has no key '" + decoded + "'");
        node = *child;
      } else if (node.is_array()) {
        const Array& items = node.as_array();
        std::size_t i = 0;
        bool neg = false;
        if (i < token.size() && (token[i] == '+' || token[i] == '-')) neg = token[i++] == '-';
        bool ok = i < token.size();
        long long index = 0;
        for (; i < token.size(); ++i) {
          if (token[i] < '0' || token[i] > '9' || index > 1000000000000LL) {
            ok = false;
            break;
          }
          index = index * 10 + (token[i] - '0');
        }
        if (!ok) throw SchemaError("Invalid array index '" + token + "'");
        if (neg) index = -index;
        if (index < 0 || index >= static_cast<long long>(items.size())) {
          throw SchemaError("Out of bound array[0," + std::to_string(items.size()) + "] index '" +
                            std::to_string(index) + "'");
        }
        node = items[static_cast<std::size_t>(index)];
      } else {
        throw SchemaError("Invalid token reference '" + token + "'");
      }
    }
    return node;
  }

  // schemaPool.GetDocument.
  PoolDocument get_document(const JsonReference& reference) {
    std::string err;
    std::string ref_string = reference.string();
    auto ref_to_url = JsonReference::parse(ref_string, err);
    if (!ref_to_url) throw SchemaError(err);
    if (auto it = pool_.find(ref_to_url->string()); it != pool_.end()) return it->second;
    JsonReference base = ref_to_url->without_fragment();
    std::string base_string = base.string();
    if (auto it = pool_.find(base_string); it != pool_.end()) {
      PoolDocument spd{pointer_get(it->second.document, reference.pointer()), it->second.draft};
      pool_[ref_string] = spd;
      return spd;
    }
    if (!reference.is_canonical()) {
      throw SchemaError("Reference " + ref_string + " must be canonical");
    }
    std::string_view meta =
        reference.has_file_scheme() ? std::string_view() : metaschema_text(base_string);
    if (meta.empty()) {
      // The reference would read a file or fetch the URL; the engine does
      // neither.
      throw SchemaError("Get \"" + base_string + "\": remote references are not supported");
    }
    Value document = to_document(parse_json(meta));
    try {
      parse_references(document, base, true);
    } catch (const SchemaError&) {
    }
    std::optional<Draft> draft;
    try {
      draft = parse_schema_url(document);
    } catch (const SchemaError&) {
    }
    return PoolDocument{pointer_get(document, reference.pointer()), draft};
  }

  // Schema.parseReference.
  void parse_reference(SubSchema& current, const JsonReference& ref, std::size_t depth) {
    SubSchema& node = new_node(&current);
    reference_pool_.emplace(ref.string(), &node);
    PoolDocument dsp = get_document(ref);
    node.draft = dsp.draft;
    if (!dsp.document.is_object() && !dsp.document.is_bool()) {
      throw SchemaError(must_be_of_type("valid schema", "object"));
    }
    parse_schema(dsp.document, node, depth + 1);
    current.ref_schema = &node;
  }

  const SubSchema* child(const Value& doc, SubSchema& parent, std::size_t depth) {
    SubSchema& node = new_node(&parent);
    parse_schema(doc, node, depth + 1);
    return &node;
  }

  void add_type(SubSchema& s, const std::string& t) {
    bool known = false;
    for (std::string_view k : kJsonTypes) known = known || k == t;
    if (!known) {
      throw SchemaError("has a primitive type that is NOT VALID -- given: /" + t +
                        "/ Expected valid values are:[array boolean integer null number object "
                        "string]");
    }
    for (const std::string& existing : s.types) {
      if (existing == t) throw SchemaError(t + " type is duplicated");
    }
    s.types.push_back(t);
  }

  void parse_additional(const Value* v, SubSchema& s, Additional& out, const char* key,
                        std::size_t depth) {
    if (v == nullptr) return;
    if (v->is_bool()) {
      out.kind = Additional::Kind::Bool;
      out.allowed = v->as_bool();
    } else if (v->is_object()) {
      out.kind = Additional::Kind::Schema;
      out.schema = child(*v, s, depth);
    } else {
      throw SchemaError(invalid_type("boolean/valid schema", key));
    }
  }

  void parse_exclusive(const Value* v, SubSchema& s, std::optional<NumberBound>& bound,
                       std::optional<NumberBound>& exclusive, const char* key,
                       const char* base_key) {
    if (v == nullptr) return;
    Draft d = s.effective_draft();
    if (d == Draft::Draft4) {
      if (!v->is_bool()) throw SchemaError(invalid_type("boolean", key));
      if (!bound) throw SchemaError(cannot_be_used_without(key, base_key));
      if (v->as_bool()) {
        exclusive = bound;
        bound.reset();
      }
    } else if (d == Draft::Hybrid) {
      if (v->is_bool()) {
        if (!bound) throw SchemaError(cannot_be_used_without(key, base_key));
        if (v->as_bool()) {
          exclusive = bound;
          bound.reset();
        }
      } else if (v->is_json_number()) {
        exclusive = must_be_number(v);
      } else {
        throw SchemaError(invalid_type("boolean/number", key));
      }
    } else {
      if (!v->is_json_number()) throw SchemaError(invalid_type("number", key));
      exclusive = must_be_number(v);
    }
  }

  std::optional<std::int64_t> parse_count(const Value& doc, const char* key) {
    const Value* v = doc.find(key);
    if (v == nullptr) return std::nullopt;
    auto n = must_be_integer(v);
    if (!n) throw SchemaError(must_be_of_an(key, "integer"));
    if (*n < 0) throw SchemaError(must_be_gte_zero(key));
    return n;
  }

  void parse_schema_list(const Value& doc, SubSchema& s, const char* key, const char* error_key,
                         std::vector<const SubSchema*>& out, std::size_t depth) {
    const Value* v = doc.find(key);
    if (v == nullptr) return;
    if (!v->is_array()) throw SchemaError(must_be_of_an(error_key, "array"));
    for (const Value& item : v->as_array()) out.push_back(child(item, s, depth));
  }

  const SubSchema* parse_object_schema(const Value& doc, SubSchema& s, const char* key,
                                       std::size_t depth) {
    const Value* v = doc.find(key);
    if (v == nullptr) return nullptr;
    if (!is_map_or_bool(v)) throw SchemaError(must_be_of_an(key, "object"));
    return child(*v, s, depth);
  }

  // Schema.parseSchema.
  void parse_schema(const Value& doc, SubSchema& s, std::size_t depth) {
    if (depth > impl_.options.max_depth) throw SchemaLimitError("schema nesting too deep");
    check_stack_depth();
    if ((++steps_ & 1023) == 0 && impl_.options.check_interrupts) impl_.options.check_interrupts();
    if (!s.draft) s.draft = s.parent != nullptr ? s.parent->draft : std::optional<Draft>();
    if (s.at_least(Draft::Draft6) && doc.is_bool()) {
      s.pass = doc.as_bool();
      return;
    }
    if (!doc.is_object()) throw SchemaError(kParseError);
    const Object& m = doc.as_object();

    const char* key_id = "$id";
    if (s.effective_draft() == Draft::Draft4) {
      key_id = "id";
    } else if (s.effective_draft() == Draft::Hybrid && m.contains("id")) {
      key_id = "id";
    }
    if (const Value* id = m.find(key_id)) {
      if (!id->is_string()) throw SchemaError(invalid_type("string", key_id));
      std::string err;
      if (!JsonReference::parse(id->as_string(), err)) throw SchemaError(err);
    }

    if (const Value* defs = m.find("definitions")) {
      if (defs->is_object()) {
        for (const auto& entry : defs->as_object()) {
          if (!is_map_or_bool(&entry.second)) {
            throw SchemaError(invalid_type("array of schemas", "definitions"));
          }
          child(entry.second, s, depth);
        }
      } else if (!defs->is_bool()) {
        // (a boolean "definitions" panics in the reference)
        throw SchemaError(invalid_type("array of schemas", "definitions"));
      }
    }
    for (const char* key : {"title", "description"}) {
      if (const Value* v = m.find(key); v != nullptr && !v->is_string()) {
        throw SchemaError(invalid_type("string", key));
      }
    }

    if (const Value* ref = m.find("$ref")) {
      if (!ref->is_string()) throw SchemaError(invalid_type("string", "$ref"));
      auto rewritten = rewritten_refs_.find(&m);
      const std::string& text =
          rewritten != rewritten_refs_.end() ? rewritten->second : ref->as_string();
      std::string err;
      auto jr = JsonReference::parse(text, err);
      if (!jr) throw SchemaError(err);
      if (auto it = reference_pool_.find(jr->string()); it != reference_pool_.end()) {
        s.ref_schema = it->second;
      } else {
        parse_reference(s, *jr, depth);
        return;
      }
    }

    if (const Value* type = m.find("type")) {
      if (type->is_string()) {
        add_type(s, type->as_string());
      } else if (type->is_array()) {
        for (const Value& t : type->as_array()) {
          if (!t.is_string()) throw SchemaError(invalid_type("string/array of strings", "type"));
          add_type(s, t.as_string());
        }
      } else {
        throw SchemaError(invalid_type("string/array of strings", "type"));
      }
    }

    if (const Value* props = m.find("properties")) {
      if (!props->is_object()) throw SchemaError(must_be_of_type("properties", "object"));
      for (const auto& [name, sub] : props->as_object()) {
        s.properties.emplace_back(name, child(sub, s, depth));
      }
    }
    parse_additional(m.find("additionalProperties"), s, s.additional_properties,
                     "additionalProperties", depth);
    if (const Value* pp = m.find("patternProperties")) {
      if (!pp->is_object()) throw SchemaError(invalid_type("valid schema", "patternProperties"));
      for (const auto& [pattern, sub] : pp->as_object()) {
        auto rx = Regex::compile(pattern);
        if (!rx) throw SchemaError("Invalid regex pattern '" + pattern + "'");
        const SubSchema* c = child(sub, s, depth);
        s.pattern_properties.push_back(PatternProperty{pattern, std::move(*rx), c});
      }
    }
    if (const Value* pn = m.find("propertyNames"); pn != nullptr && s.at_least(Draft::Draft6)) {
      if (!is_map_or_bool(pn)) throw SchemaError(invalid_type("valid schema", "patternProperties"));
      s.property_names = child(*pn, s, depth);
    }
    if (const Value* deps = m.find("dependencies")) {
      if (!deps->is_object()) throw SchemaError(must_be_of_type("dependencies", "object"));
      for (const auto& [key, dep] : deps->as_object()) {
        if (dep.is_array()) {
          Dependency d{key, false, {}, nullptr};
          for (const Value& p : dep.as_array()) {
            if (!p.is_string()) {
              throw SchemaError(must_be_of_type("dependency", "schema or array of strings"));
            }
            d.properties.push_back(p.as_string());
          }
          if (!d.properties.empty()) s.dependencies.push_back(std::move(d));
        } else if (dep.is_object() || dep.is_bool()) {
          s.dependencies.push_back(Dependency{key, true, {}, child(dep, s, depth)});
        } else {
          throw SchemaError(must_be_of_type("dependency", "schema or array of strings"));
        }
      }
    }
    if (const Value* items = m.find("items")) {
      if (items->is_array()) {
        for (const Value& item : items->as_array()) {
          if (!is_map_or_bool(&item)) {
            throw SchemaError(invalid_type("valid schema/array of schemas", "items"));
          }
          s.items.push_back(child(item, s, depth));
          s.items_single = false;
        }
      } else if (is_map_or_bool(items)) {
        s.items.push_back(child(*items, s, depth));
        s.items_single = true;
      } else {
        throw SchemaError(invalid_type("valid schema/array of schemas", "items"));
      }
    }
    parse_additional(m.find("additionalItems"), s, s.additional_items, "additionalItems", depth);

    if (const Value* v = m.find("multipleOf")) {
      auto n = must_be_number(v);
      if (!n) throw SchemaError(invalid_type("number", "multipleOf"));
      if (n->value.is_zero() || n->value.negative()) {
        throw SchemaError("multipleOf must be strictly greater than 0");
      }
      s.multiple_of = n;
    }
    if (const Value* v = m.find("minimum")) {
      s.minimum = must_be_number(v);
      if (!s.minimum) throw SchemaError(must_be_of_a("minimum", "number"));
    }
    parse_exclusive(m.find("exclusiveMinimum"), s, s.minimum, s.exclusive_minimum,
                    "exclusiveMinimum", "minimum");
    if (const Value* v = m.find("maximum")) {
      s.maximum = must_be_number(v);
      if (!s.maximum) throw SchemaError(must_be_of_a("maximum", "number"));
    }
    parse_exclusive(m.find("exclusiveMaximum"), s, s.maximum, s.exclusive_maximum,
                    "exclusiveMaximum", "maximum");

    s.min_length = parse_count(doc, "minLength");
    s.max_length = parse_count(doc, "maxLength");
    if (s.min_length && s.max_length && *s.min_length > *s.max_length) {
      throw SchemaError("minLength cannot be greater than maxLength");
    }
    if (const Value* p = m.find("pattern")) {
      if (!p->is_string()) throw SchemaError(must_be_of_a("pattern", "string"));
      s.pattern = Regex::compile(p->as_string());
      if (!s.pattern) throw SchemaError("pattern must be a valid regex");
    }
    if (const Value* f = m.find("format")) {
      if (!f->is_string()) throw SchemaError(must_be_of_type("format", "string"));
      s.format = f->as_string();
    }
    s.min_properties = parse_count(doc, "minProperties");
    s.max_properties = parse_count(doc, "maxProperties");
    if (s.min_properties && s.max_properties && *s.min_properties > *s.max_properties) {
      throw SchemaError("minProperties cannot be greater than maxProperties");
    }
    if (const Value* req = m.find("required")) {
      if (!req->is_array()) throw SchemaError(must_be_of_an("required", "array"));
      for (const Value& r : req->as_array()) {
        if (!r.is_string()) throw SchemaError("required items must be string");
        for (const std::string& existing : s.required) {
          if (existing == r.as_string()) throw SchemaError("required items must be unique");
        }
        s.required.push_back(r.as_string());
      }
    }
    s.min_items = parse_count(doc, "minItems");
    s.max_items = parse_count(doc, "maxItems");
    if (const Value* u = m.find("uniqueItems")) {
      if (!u->is_bool()) throw SchemaError(must_be_of_a("uniqueItems", "boolean"));
      s.unique_items = u->as_bool();
    }
    if (const Value* c = m.find("contains"); c != nullptr && s.at_least(Draft::Draft6)) {
      s.contains = child(*c, s, depth);
    }
    if (const Value* c = m.find("const"); c != nullptr && s.at_least(Draft::Draft6)) {
      s.const_json = canonical_json(*c);
    }
    if (const Value* e = m.find("enum")) {
      if (!e->is_array()) throw SchemaError(must_be_of_an("enum", "array"));
      for (const Value& item : e->as_array()) {
        std::string j = canonical_json(item);
        for (const std::string& existing : s.enum_json) {
          if (existing == j) throw SchemaError("enum items must be unique");
        }
        s.enum_json.push_back(std::move(j));
      }
    }
    parse_schema_list(doc, s, "oneOf", "oneOf", s.one_of, depth);
    parse_schema_list(doc, s, "anyOf", "anyOf", s.any_of, depth);
    parse_schema_list(doc, s, "allOf", "anyOf", s.all_of, depth);
    s.not_schema = parse_object_schema(doc, s, "not", depth);
    if (s.at_least(Draft::Draft7)) {
      s.if_schema = parse_object_schema(doc, s, "if", depth);
      s.then_schema = parse_object_schema(doc, s, "then", depth);
      s.else_schema = parse_object_schema(doc, s, "else", depth);
    }
  }

  SchemaImpl& impl_;
  JsonReference document_ref_;
  std::map<std::string, PoolDocument, std::less<>> pool_;
  std::map<std::string, const SubSchema*, std::less<>> reference_pool_;
  std::unordered_map<const Object*, std::string> rewritten_refs_;
  std::uint64_t steps_ = 0;
};

void append_canonical(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      out += "null";
      return;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::JsonNumber: {
      const std::string& lit = v.as_string();
      char* end = nullptr;
      double d = std::strtod(lit.c_str(), &end);
      if (std::isfinite(d) && end == lit.c_str() + lit.size()) {
        append_json_number(out, d);
      } else {
        out += lit;
      }
      return;
    }
    case Kind::Number:
      append_json_number(out, v.as_number());
      return;
    case Kind::String:
      write_json_string(out, v.as_string());
      return;
    case Kind::Array:
    case Kind::RecordList: {
      check_stack_depth();
      out.push_back('[');
      bool first = true;
      for (const Value& item : v.as_array()) {
        poll_interrupts();
        run_memory::ensure_available(out.size());
        if (!first) out.push_back(',');
        first = false;
        append_canonical(out, item);
      }
      out.push_back(']');
      return;
    }
    case Kind::Object: {
      check_stack_depth();
      out.push_back('{');
      bool first = true;
      for (const auto& [k, item] : v.as_object()) {
        poll_interrupts();
        run_memory::ensure_available(out.size());
        if (!first) out.push_back(',');
        first = false;
        write_json_string(out, k);
        out.push_back(':');
        append_canonical(out, item);
      }
      out.push_back('}');
      return;
    }
    default:
      write_json(out, v);
      return;
  }
}

std::string sanitize_utf8(const std::string& s) {
  if (go::unicode::valid_utf8(s)) return s;
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) go::unicode::append_utf8(out, go::unicode::decode_next(s, pos));
  return out;
}

}  // namespace

std::string canonical_json(const Value& document) {
  std::string out;
  append_canonical(out, document);
  return out;
}

Value to_document(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
    case Kind::Bool:
    case Kind::JsonNumber:
      return v;
    case Kind::Number: {
      double d = v.as_number();
      if (!std::isfinite(d)) throw JsonWriteError("json: unsupported value: " + go_float(d));
      std::string lit;
      append_json_number(lit, d);
      return Value::json_number(std::move(lit));
    }
    case Kind::Int:
      return Value::json_number(std::to_string(v.as_int()));
    case Kind::String:
      return go::unicode::valid_utf8(v.as_string()) ? v
                                                    : Value::string(sanitize_utf8(v.as_string()));
    case Kind::Time:
      return Value::string(format_rfc3339_nano(v.as_time_nanos()));
    case Kind::Array:
    case Kind::RecordList: {
      check_stack_depth();
      Array items;
      items.reserve(v.as_array().size());
      for (const Value& item : v.as_array()) {
        poll_interrupts();
        items.push_back(to_document(item));
      }
      return Value::array(std::move(items));
    }
    case Kind::Object: {
      check_stack_depth();
      std::vector<Object::Entry> entries;
      entries.reserve(v.as_object().size());
      for (const auto& [k, item] : v.as_object()) {
        poll_interrupts();
        entries.emplace_back(sanitize_utf8(k), to_document(item));
      }
      return Value::object(Object::from_entries(std::move(entries)));
    }
  }
  return v;
}

Schema::Schema() : impl_(std::make_unique<SchemaImpl>()) {}
Schema::~Schema() = default;

std::unique_ptr<Schema> Schema::compile(const Value& document, const SchemaOptions& options) {
  std::unique_ptr<Schema> schema(new Schema());
  schema->impl_->options = options;
  Loader loader(*schema->impl_);
  loader.compile(document);
  return schema;
}

}  // namespace thaiyyal::schema
