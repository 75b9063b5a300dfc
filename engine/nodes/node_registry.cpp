#include <algorithm>

#include "engine/common/short_hash.hpp"
#include "engine/nodes/node_type.hpp"

namespace thaiyyal {
namespace {

constexpr std::uint32_t kEmptySlot = 0xffffffffu;

}  // namespace

void NodeRegistry::reindex() {
  std::size_t size = 8;
  while (size < 2 * by_name_.size()) size <<= 1;
  slots_.assign(size, kEmptySlot);
  for (std::size_t i = 0; i < by_name_.size(); ++i) {
    std::size_t slot = short_key_hash(by_name_[i].first) & (size - 1);
    while (slots_[slot] != kEmptySlot) slot = (slot + 1) & (size - 1);
    slots_[slot] = static_cast<std::uint32_t>(i);
  }
}

void NodeRegistry::add(NodeTypeInfo info) {
  types_.push_back(std::make_unique<NodeTypeInfo>(std::move(info)));
  const NodeTypeInfo* added = types_.back().get();
  by_name_.emplace_back(added->type, added);
  std::sort(by_name_.begin(), by_name_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  reindex();
}

void NodeRegistry::alias(std::string alias_name, std::string_view target) {
  const NodeTypeInfo* info = find(target);
  if (info == nullptr) return;
  by_name_.emplace_back(std::move(alias_name), info);
  std::sort(by_name_.begin(), by_name_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  reindex();
}

const NodeTypeInfo* NodeRegistry::find(std::string_view type) const {
  if (slots_.empty()) return nullptr;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = short_key_hash(type) & mask;; slot = (slot + 1) & mask) {
    const std::uint32_t i = slots_[slot];
    if (i == kEmptySlot) return nullptr;
    if (key_equal(by_name_[i].first, type)) return by_name_[i].second;
  }
}

std::vector<std::string> NodeData::strings(std::string_view key) const {
  std::vector<std::string> out;
  const Value* v = get(key);
  if (v == nullptr || !v->is_array()) return out;
  for (const Value& e : v->as_array()) out.push_back(e.is_string() ? e.as_string() : std::string());
  return out;
}

}  // namespace thaiyyal
