// Validation (gojsonschema validation.go): the walk, its keyword order,
// error texts and the "score" that picks which anyOf/oneOf/contains branch's
// errors are reported.
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/unicode.hpp"
#include "engine/schema/formats.hpp"
#include "engine/schema/schema_internal.hpp"

namespace thaiyyal::schema {
namespace {

// The JSON context: a persistent list of path segments ("(root)", "a", "0").
struct Context {
  const Context* tail;
  std::string head;

  // Iterative: the chain is as long as the validation is deep.
  std::string string() const {
    std::vector<const std::string*> heads;
    for (const Context* c = this; c != nullptr; c = c->tail) heads.push_back(&c->head);
    std::string out;
    for (auto it = heads.rbegin(); it != heads.rend(); ++it) {
      if (it != heads.rbegin()) out.push_back('.');
      out += **it;
    }
    return out;
  }
};

struct Result {
  std::vector<ValidationError> errors;
  int score = 0;

  bool valid() const { return errors.empty(); }
  void merge(Result&& other) {
    for (ValidationError& e : other.errors) errors.push_back(std::move(e));
    score += other.score;
  }
};

std::string types_string(const std::vector<std::string>& types) {
  if (types.empty()) return "undefined";
  if (types.size() == 1) return types[0];
  std::string out = "[";
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += types[i];
  }
  out.push_back(']');
  return out;
}

bool contains_type(const std::vector<std::string>& types, std::string_view t) {
  for (const std::string& x : types) {
    if (x == t) return true;
  }
  return false;
}

class Validator {
 public:
  explicit Validator(const SchemaImpl& impl) : impl_(impl) {}

  void validate_recursive(const SubSchema& s, const Value& node, Result& result, const Context& ctx,
                          std::size_t depth) {
    tick(depth);
    if (s.pass) {
      if (!*s.pass) add(result, "false", ctx, node, "False always fails validation");
      return;
    }
    if (s.ref_schema != nullptr) {
      validate_recursive(*s.ref_schema, node, result, ctx, depth + 1);
      return;
    }
    const bool typed = !s.types.empty();
    auto type_error = [&](std::string_view given) {
      add(result, "invalid_type", ctx, node,
          "Invalid type. Expected: " + types_string(s.types) + ", given: " + std::string(given));
    };
    switch (node.kind()) {
      case Kind::Null:
        if (typed && !contains_type(s.types, "null")) return type_error("null");
        validate_schema(s, node, result, ctx, depth);
        validate_common(s, node, result, ctx);
        break;
      case Kind::JsonNumber: {
        auto number = Decimal::parse(node.as_string());
        bool is_int = number && number->is_integer();
        bool valid_type =
            contains_type(s.types, "number") || (is_int && contains_type(s.types, "integer"));
        if (typed && !valid_type) return type_error(is_int ? "integer" : "number");
        validate_schema(s, node, result, ctx, depth);
        validate_number(s, node, number, result, ctx);
        validate_common(s, node, result, ctx);
        break;
      }
      case Kind::Array:
        if (typed && !contains_type(s.types, "array")) return type_error("array");
        validate_schema(s, node, result, ctx, depth);
        validate_array(s, node, result, ctx, depth);
        validate_common(s, node, result, ctx);
        break;
      case Kind::Object: {
        if (typed && !contains_type(s.types, "object")) return type_error("object");
        validate_schema(s, node, result, ctx, depth);
        validate_object(s, node, result, ctx, depth);
        validate_common(s, node, result, ctx);
        for (const auto& [name, child] : s.properties) {
          if (const Value* next = node.find(name)) {
            Context sub{&ctx, name};
            validate_recursive(*child, *next, result, sub, depth + 1);
          }
        }
        break;
      }
      case Kind::Bool:
        if (typed && !contains_type(s.types, "boolean")) return type_error("boolean");
        validate_schema(s, node, result, ctx, depth);
        validate_common(s, node, result, ctx);
        break;
      case Kind::String:
        if (typed && !contains_type(s.types, "string")) return type_error("string");
        validate_schema(s, node, result, ctx, depth);
        validate_common(s, node, result, ctx);
        validate_string(s, node, result, ctx);
        break;
      default:
        break;
    }
    ++result.score;
  }

  Result sub_validate(const SubSchema& s, const Value& node, const Context& ctx,
                      std::size_t depth) {
    Result r;
    validate_recursive(s, node, r, ctx, depth + 1);
    return r;
  }

 private:
  void tick(std::size_t depth) {
    check_stack_depth();
    if (depth > impl_.options.max_depth) {
      throw SchemaLimitError("schema validation exceeded the maximum depth of " +
                             std::to_string(impl_.options.max_depth) + " (recursive $ref?)");
    }
    if (++steps_ > impl_.options.max_steps) {
      throw SchemaLimitError("schema validation exceeded " +
                             std::to_string(impl_.options.max_steps) + " steps");
    }
    if ((steps_ & 1023) == 0 && impl_.options.check_interrupts) impl_.options.check_interrupts();
  }

  // Result.addInternalError. Every error is charged to the run's memory
  // budget: one schema keyword can fail for every element of a large array.
  void add(Result& result, std::string type, const Context& ctx, const Value& value,
           std::string description) {
    std::string field = ctx.string();
    if (field.rfind("(root).", 0) == 0) field.erase(0, 7);
    errors_memory_.add(sizeof(ValidationError) + type.capacity() + field.capacity() +
                       description.capacity());
    result.errors.push_back(
        ValidationError{std::move(type), std::move(field), std::move(description), value});
    result.score -= 2;
  }
  static std::string field_of(const Context& ctx) {
    std::string field = ctx.string();
    if (field.rfind("(root).", 0) == 0) field.erase(0, 7);
    return field;
  }

  void validate_schema(const SubSchema& s, const Value& node, Result& result, const Context& ctx,
                       std::size_t depth) {
    if (!s.any_of.empty()) {
      bool validated = false;
      std::optional<Result> best;
      for (const SubSchema* sub : s.any_of) {
        if (validated) continue;
        Result r = sub_validate(*sub, node, ctx, depth);
        validated = r.valid();
        if (!validated && (!best || r.score > best->score)) best = std::move(r);
      }
      if (!validated) {
        add(result, "number_any_of", ctx, node, "Must validate at least one schema (anyOf)");
        if (best) result.merge(std::move(*best));
      }
    }
    if (!s.one_of.empty()) {
      int nb_validated = 0;
      std::optional<Result> best;
      for (const SubSchema* sub : s.one_of) {
        Result r = sub_validate(*sub, node, ctx, depth);
        if (r.valid()) {
          ++nb_validated;
        } else if (nb_validated == 0 && (!best || r.score > best->score)) {
          best = std::move(r);
        }
      }
      if (nb_validated != 1) {
        add(result, "number_one_of", ctx, node, "Must validate one and only one schema (oneOf)");
        if (nb_validated == 0 && best) result.merge(std::move(*best));
      }
    }
    if (!s.all_of.empty()) {
      std::size_t nb_validated = 0;
      for (const SubSchema* sub : s.all_of) {
        Result r = sub_validate(*sub, node, ctx, depth);
        if (r.valid()) ++nb_validated;
        result.merge(std::move(r));
      }
      if (nb_validated != s.all_of.size()) {
        add(result, "number_all_of", ctx, node, "Must validate all the schemas (allOf)");
      }
    }
    if (s.not_schema != nullptr) {
      if (sub_validate(*s.not_schema, node, ctx, depth).valid()) {
        add(result, "number_not", ctx, node, "Must not validate the schema (not)");
      }
    }
    if (!s.dependencies.empty() && node.is_object()) {
      for (const auto& entry : node.as_object()) {
        for (const Dependency& dep : s.dependencies) {
          if (dep.key != entry.first) continue;
          if (dep.is_schema) {
            validate_recursive(*dep.schema, node, result, ctx, depth + 1);
          } else {
            for (const std::string& p : dep.properties) {
              if (!node.as_object().contains(p)) {
                add(result, "missing_dependency", ctx, node, "Has a dependency on " + p);
              }
            }
          }
        }
      }
    }
    if (s.if_schema != nullptr) {
      bool if_valid = sub_validate(*s.if_schema, node, ctx, depth).valid();
      if (s.then_schema != nullptr && if_valid) {
        Result r = sub_validate(*s.then_schema, node, ctx, depth);
        if (!r.valid()) {
          add(result, "condition_then", ctx, node, "Must validate \"then\" as \"if\" was valid");
          result.merge(std::move(r));
        }
      }
      if (s.else_schema != nullptr && !if_valid) {
        Result r = sub_validate(*s.else_schema, node, ctx, depth);
        if (!r.valid()) {
          add(result, "condition_else", ctx, node,
              "Must validate \"else\" as \"if\" was not valid");
          result.merge(std::move(r));
        }
      }
    }
    ++result.score;
  }

  void validate_common(const SubSchema& s, const Value& node, Result& result, const Context& ctx) {
    if (s.const_json || !s.enum_json.empty()) {
      std::string json = canonical_json(node);
      if (s.const_json && json != *s.const_json) {
        add(result, "const", ctx, node, field_of(ctx) + " does not match: " + *s.const_json);
      }
      if (!s.enum_json.empty()) {
        bool found = false;
        for (const std::string& e : s.enum_json) found = found || e == json;
        if (!found) {
          std::string allowed;
          for (std::size_t i = 0; i < s.enum_json.size(); ++i) {
            if (i > 0) allowed += ", ";
            allowed += s.enum_json[i];
          }
          add(result, "enum", ctx, node,
              field_of(ctx) + " must be one of the following: " + allowed);
        }
      }
    }
    ++result.score;
  }

  void validate_array(const SubSchema& s, const Value& node, Result& result, const Context& ctx,
                      std::size_t depth) {
    const Array& values = node.as_array();
    const std::size_t nb_values = values.size();
    if (s.items_single) {
      for (std::size_t i = 0; i < nb_values; ++i) {
        Context sub{&ctx, std::to_string(i)};
        result.merge(sub_validate(*s.items[0], values[i], sub, depth));
      }
    } else if (!s.items.empty()) {
      const std::size_t nb_items = s.items.size();
      for (std::size_t i = 0; i != nb_items && i != nb_values; ++i) {
        Context sub{&ctx, std::to_string(i)};
        result.merge(sub_validate(*s.items[i], values[i], sub, depth));
      }
      if (nb_items < nb_values) {
        if (s.additional_items.kind == Additional::Kind::Bool) {
          if (!s.additional_items.allowed) {
            add(result, "array_no_additional_items", ctx, node,
                "No additional items allowed on array");
          }
        } else if (s.additional_items.kind == Additional::Kind::Schema) {
          for (std::size_t i = nb_items; i != nb_values; ++i) {
            Context sub{&ctx, std::to_string(i)};
            result.merge(sub_validate(*s.additional_items.schema, values[i], sub, depth));
          }
        }
      }
    }
    if (s.min_items && static_cast<std::int64_t>(nb_values) < *s.min_items) {
      add(result, "array_min_items", ctx, node,
          "Array must have at least " + std::to_string(*s.min_items) + " items");
    }
    if (s.max_items && static_cast<std::int64_t>(nb_values) > *s.max_items) {
      add(result, "array_max_items", ctx, node,
          "Array must have at most " + std::to_string(*s.max_items) + " items");
    }
    if (s.unique_items) {
      std::unordered_map<std::string, std::size_t> seen;
      run_memory::ScopedCharge seen_memory;  // the texts kept (elements may share a value)
      for (std::size_t j = 0; j < nb_values; ++j) {
        std::string key = canonical_json(values[j]);
        seen_memory.add(run_memory::string_heap_bytes(key.capacity()));
        auto it = seen.find(key);
        if (it != seen.end()) {
          add(result, "unique", ctx, node,
              "array items[" + std::to_string(it->second) + "," + std::to_string(j) +
                  "] must be unique");
          it->second = j;
        } else {
          seen.emplace(std::move(key), j);
        }
      }
    }
    if (s.contains != nullptr) {
      bool validated_one = false;
      std::optional<Result> best;
      for (std::size_t i = 0; i < nb_values; ++i) {
        Context sub{&ctx, std::to_string(i)};
        Result r = sub_validate(*s.contains, values[i], sub, depth);
        if (r.valid()) {
          validated_one = true;
          break;
        }
        if (!best || r.score > best->score) best = std::move(r);
      }
      if (!validated_one) {
        add(result, "contains", ctx, node, "At least one of the items must match");
        if (best) result.merge(std::move(*best));
      }
    }
    ++result.score;
  }

  void validate_object(const SubSchema& s, const Value& node, Result& result, const Context& ctx,
                       std::size_t depth) {
    const Object& obj = node.as_object();
    const auto n = static_cast<std::int64_t>(obj.size());
    if (s.min_properties && n < *s.min_properties) {
      add(result, "array_min_properties", ctx, node,
          "Must have at least " + std::to_string(*s.min_properties) + " properties");
    }
    if (s.max_properties && n > *s.max_properties) {
      add(result, "array_max_properties", ctx, node,
          "Must have at most " + std::to_string(*s.max_properties) + " properties");
    }
    for (const std::string& req : s.required) {
      if (obj.contains(req)) {
        ++result.score;
      } else {
        add(result, "required", ctx, node, req + " is required");
      }
    }
    for (const auto& [key, value] : obj) {
      bool found = false;
      for (const auto& prop : s.properties) found = found || prop.first == key;
      bool pp_match = validate_pattern_property(s, key, value, result, ctx, depth);
      if (!found && !pp_match) {
        if (s.additional_properties.kind == Additional::Kind::Bool) {
          if (!s.additional_properties.allowed) {
            add(result, "additional_property_not_allowed", ctx, value,
                "Additional property " + key + " is not allowed");
          }
        } else if (s.additional_properties.kind == Additional::Kind::Schema) {
          Context sub{&ctx, key};
          result.merge(sub_validate(*s.additional_properties.schema, value, sub, depth));
        }
      }
    }
    if (s.property_names != nullptr) {
      for (const auto& entry : obj) {
        Result r = sub_validate(*s.property_names, Value::string(entry.first), ctx, depth);
        if (!r.valid()) {
          add(result, "invalid_property_name", ctx, node,
              "Property name of \"" + entry.first + "\" does not match");
          result.merge(std::move(r));
        }
      }
    }
    ++result.score;
  }

  bool validate_pattern_property(const SubSchema& s, const std::string& key, const Value& value,
                                 Result& result, const Context& ctx, std::size_t depth) {
    bool validated = false;
    for (const PatternProperty& pp : s.pattern_properties) {
      if (pp.regex.search(key)) {
        validated = true;
        Context sub{&ctx, key};
        result.merge(sub_validate(*pp.schema, value, sub, depth));
      }
    }
    if (!validated) return false;
    ++result.score;
    return true;
  }

  void validate_string(const SubSchema& s, const Value& node, Result& result, const Context& ctx) {
    const std::string& str = node.as_string();
    if (s.min_length || s.max_length) {
      auto length = static_cast<std::int64_t>(go::unicode::count_runes(str));
      if (s.min_length && length < *s.min_length) {
        add(result, "string_gte", ctx, node,
            "String length must be greater than or equal to " + std::to_string(*s.min_length));
      }
      if (s.max_length && length > *s.max_length) {
        add(result, "string_lte", ctx, node,
            "String length must be less than or equal to " + std::to_string(*s.max_length));
      }
    }
    if (s.pattern && !s.pattern->search(str)) {
      add(result, "pattern", ctx, node, "Does not match pattern '" + s.pattern->source() + "'");
    }
    if (!s.format.empty() && is_known_format(s.format) && !check_format(s.format, str)) {
      add(result, "format", ctx, node, "Does not match format '" + s.format + "'");
    }
    ++result.score;
  }

  void validate_number(const SubSchema& s, const Value& node, const std::optional<Decimal>& number,
                       Result& result, const Context& ctx) {
    if (number) {
      const Decimal& v = *number;
      if (s.multiple_of && !v.is_multiple_of(s.multiple_of->value)) {
        add(result, "multiple_of", ctx, node,
            "Must be a multiple of " + big_float_g10(s.multiple_of->literal));
      }
      if (s.maximum && v.compare(s.maximum->value) == 1) {
        add(result, "number_lte", ctx, node,
            "Must be less than or equal to " + big_float_g10(s.maximum->literal));
      }
      if (s.exclusive_maximum && v.compare(s.exclusive_maximum->value) >= 0) {
        add(result, "number_lt", ctx, node,
            "Must be less than " + big_float_g10(s.exclusive_maximum->literal));
      }
      if (s.minimum && v.compare(s.minimum->value) == -1) {
        add(result, "number_gte", ctx, node,
            "Must be greater than or equal to " + big_float_g10(s.minimum->literal));
      }
      if (s.exclusive_minimum && v.compare(s.exclusive_minimum->value) <= 0) {
        add(result, "number_gt", ctx, node,
            "Must be greater than " + big_float_g10(s.exclusive_minimum->literal));
      }
    }
    // gojsonschema v1.2.0 hands the number (a *big.Rat) to the format
    // checkers, which only accept strings: every known format fails.
    if (!s.format.empty() && is_known_format(s.format)) {
      add(result, "format", ctx, node, "Does not match format '" + s.format + "'");
    }
    ++result.score;
  }

  const SchemaImpl& impl_;
  std::uint64_t steps_ = 0;
  run_memory::ScopedCharge errors_memory_;
};

}  // namespace

std::vector<ValidationError> Schema::validate(const Value& document) const {
  Validator validator(*impl_);
  Result result;
  Context root{nullptr, "(root)"};
  try {
    validator.validate_recursive(*impl_->root, document, result, root, 0);
  } catch (const RegexLimitError& e) {
    throw SchemaLimitError(e.what());
  }
  return std::move(result.errors);
}

}  // namespace thaiyyal::schema
