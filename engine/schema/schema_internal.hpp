// Compiled schema structures shared by the loader (compile.cpp) and the
// validator (validate.cpp). Mirrors gojsonschema's subSchema.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/schema/decimal.hpp"
#include "engine/schema/json_reference.hpp"
#include "engine/schema/regex.hpp"
#include "engine/schema/validator.hpp"

namespace thaiyyal::schema {

struct SubSchema;

// additionalProperties / additionalItems: absent, a boolean or a schema.
struct Additional {
  enum class Kind { None, Bool, Schema } kind = Kind::None;
  bool allowed = true;
  const SubSchema* schema = nullptr;
};

struct NumberBound {
  Decimal value;
  std::string literal;  // JSON text, for the error templates
};

struct Dependency {
  std::string key;
  bool is_schema = false;
  std::vector<std::string> properties;
  const SubSchema* schema = nullptr;
};

struct PatternProperty {
  std::string pattern;
  Regex regex;
  const SubSchema* schema = nullptr;
};

struct SubSchema {
  std::optional<Draft> draft;
  const SubSchema* parent = nullptr;

  std::optional<bool> pass;  // boolean schema (draft 6+)
  const SubSchema* ref_schema = nullptr;

  std::vector<std::string> types;

  std::vector<const SubSchema*> items;
  bool items_single = false;
  Additional additional_items;

  std::vector<std::pair<std::string, const SubSchema*>> properties;
  Additional additional_properties;
  std::vector<PatternProperty> pattern_properties;
  const SubSchema* property_names = nullptr;
  std::vector<Dependency> dependencies;

  std::optional<NumberBound> multiple_of, maximum, exclusive_maximum, minimum, exclusive_minimum;

  std::optional<std::int64_t> min_length, max_length;
  std::optional<Regex> pattern;
  std::string format;

  std::optional<std::int64_t> min_properties, max_properties;
  std::vector<std::string> required;

  std::optional<std::int64_t> min_items, max_items;
  bool unique_items = false;
  const SubSchema* contains = nullptr;

  std::optional<std::string> const_json;
  std::vector<std::string> enum_json;

  std::vector<const SubSchema*> one_of, any_of, all_of;
  const SubSchema* not_schema = nullptr;
  const SubSchema* if_schema = nullptr;
  const SubSchema* then_schema = nullptr;
  const SubSchema* else_schema = nullptr;

  Draft effective_draft() const { return draft.value_or(Draft::Hybrid); }
  bool at_least(Draft d) const {
    return static_cast<int>(effective_draft()) >= static_cast<int>(d);
  }
};

struct SchemaImpl {
  SchemaOptions options;
  std::deque<SubSchema> nodes;  // stable addresses
  const SubSchema* root = nullptr;
};

// JSON text of a document value as gojsonschema's marshalWithoutNumber
// produces it (numbers normalised through float64, keys sorted, Go string
// escaping). Used for enum, const and uniqueItems.
std::string canonical_json(const Value& document);

// The draft-04/06/07 meta-schemas (served locally, as gojsonschema does).
// Empty when `url` is not one of them.
std::string_view metaschema_text(std::string_view url);

}  // namespace thaiyyal::schema
