// A node's `data` after decode-time typing (workflow-format.md §3): only the
// fields the node type declares, null ones dropped ("null = absent").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

class NodeData {
 public:
  NodeData() = default;
  explicit NodeData(Object fields) : fields_(std::move(fields)) {}

  // The field's value, nullptr when absent or null.
  const Value* get(std::string_view key) const { return fields_.find(key); }
  bool has(std::string_view key) const { return get(key) != nullptr; }

  std::optional<std::string> string(std::string_view key) const {
    const Value* v = get(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return v->as_string();
  }
  std::string string_or(std::string_view key, std::string_view fallback) const {
    const Value* v = get(key);
    return (v != nullptr && v->is_string()) ? v->as_string() : std::string(fallback);
  }
  std::optional<double> number(std::string_view key) const {
    const Value* v = get(key);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    return v->as_number();
  }
  // Integer fields are decoded as numbers with integral values.
  std::optional<std::int64_t> integer(std::string_view key) const {
    const Value* v = get(key);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    return static_cast<std::int64_t>(v->as_number());
  }
  std::optional<bool> boolean(std::string_view key) const {
    const Value* v = get(key);
    if (v == nullptr || !v->is_bool()) return std::nullopt;
    return v->as_bool();
  }
  // String arrays (null elements already decoded as "").
  std::vector<std::string> strings(std::string_view key) const;

  const Object& fields() const { return fields_; }
  // Hands the fields over, leaving this empty (the text decoder reuses one
  // object's storage for the data of every node once its executor is built).
  Object take_fields() { return std::move(fields_); }

 private:
  Object fields_;
};

}  // namespace thaiyyal
