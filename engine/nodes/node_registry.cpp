#include <algorithm>

#include "engine/nodes/node_type.hpp"

namespace thaiyyal {

void NodeRegistry::add(NodeTypeInfo info) {
  types_.push_back(std::make_unique<NodeTypeInfo>(std::move(info)));
  const NodeTypeInfo* added = types_.back().get();
  by_name_.emplace_back(added->type, added);
  std::sort(by_name_.begin(), by_name_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

void NodeRegistry::alias(std::string alias_name, std::string_view target) {
  const NodeTypeInfo* info = find(target);
  if (info == nullptr) return;
  by_name_.emplace_back(std::move(alias_name), info);
  std::sort(by_name_.begin(), by_name_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

const NodeTypeInfo* NodeRegistry::find(std::string_view type) const {
  auto it = std::lower_bound(
      by_name_.begin(), by_name_.end(), type,
      [](const auto& entry, std::string_view t) { return key_less(entry.first, t); });
  if (it != by_name_.end() && key_equal(it->first, type)) return it->second;
  return nullptr;
}

std::vector<std::string> NodeData::strings(std::string_view key) const {
  std::vector<std::string> out;
  const Value* v = get(key);
  if (v == nullptr || !v->is_array()) return out;
  for (const Value& e : v->as_array()) out.push_back(e.is_string() ? e.as_string() : std::string());
  return out;
}

}  // namespace thaiyyal
