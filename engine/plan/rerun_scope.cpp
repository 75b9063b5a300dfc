// nodes_to_execute_again (rerun_scope.hpp).
#include "engine/plan/rerun_scope.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "engine/plan/payload.hpp"

namespace thaiyyal {

namespace {

using Incoming = std::set<std::pair<std::string, std::string>>;  // (source, handle or "\0")

std::map<std::string, Incoming, std::less<>> incoming_edges(const Payload& payload) {
  std::map<std::string, Incoming, std::less<>> incoming;
  for (const PayloadEdge& e : payload.edges) {
    incoming[e.target].emplace(e.source, e.handle ? *e.handle : std::string(1, '\0'));
  }
  return incoming;
}

const PayloadNode* find_node(const Payload& payload, std::string_view id) {
  for (const PayloadNode& n : payload.nodes) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> nodes_to_execute_again(const Value& target, const Value* source,
                                                std::string_view from_node) {
  const Payload now = decode_payload(target);
  std::set<std::string, std::less<>> seeds;
  if (!from_node.empty()) {
    if (find_node(now, from_node) == nullptr) {
      throw std::invalid_argument("node \"" + std::string(from_node) +
                                  "\" is not a node of the workflow");
    }
    seeds.emplace(from_node);
  }
  if (source != nullptr) {
    const Payload before = decode_payload(*source);
    const auto incoming_now = incoming_edges(now);
    const auto incoming_before = incoming_edges(before);
    static const Incoming kNone;
    auto incoming_of = [](const auto& map, const std::string& id) -> const Incoming& {
      auto it = map.find(id);
      return it == map.end() ? kNone : it->second;
    };
    for (const PayloadNode& n : now.nodes) {
      const PayloadNode* old = find_node(before, n.id);
      if (old == nullptr || old->type != n.type || old->has_data != n.has_data ||
          !deep_equal(Value::object(old->data.fields()), Value::object(n.data.fields())) ||
          incoming_of(incoming_now, n.id) != incoming_of(incoming_before, n.id)) {
        seeds.insert(n.id);
      }
    }
  }
  // Everything downstream of a seed, through the target's edges.
  std::map<std::string, std::vector<std::string>, std::less<>> outgoing;
  for (const PayloadEdge& e : now.edges) outgoing[e.source].push_back(e.target);
  std::set<std::string, std::less<>> again;
  std::vector<std::string> stack(seeds.begin(), seeds.end());
  while (!stack.empty()) {
    std::string id = std::move(stack.back());
    stack.pop_back();
    if (!again.insert(id).second) continue;
    if (auto it = outgoing.find(id); it != outgoing.end()) {
      for (const std::string& next : it->second) {
        if (again.find(next) == again.end()) stack.push_back(next);
      }
    }
  }
  return {again.begin(), again.end()};
}

}  // namespace thaiyyal
