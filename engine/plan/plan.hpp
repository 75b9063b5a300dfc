// A compiled workflow: decoded nodes with their executors, the execution
// order and the incoming edges of every node resolved to indices. Immutable
// and shareable between runs (the plan cache keeps these).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/plan/plan_arena.hpp"
#include "engine/run/node_executor.hpp"

namespace thaiyyal {

struct NodeTypeInfo;

struct PlanEdge {
  std::size_t source;                 // plan node index
  std::optional<std::string> handle;  // nullopt = unconditional
};

struct PlanNode {
  std::string id;
  std::string type;
  bool is_context_node = false;  // context_variable / context_constant
  bool is_terminal = false;      // no outgoing edge
  // Payload edge order; a view into WorkflowPlan::edges.
  std::span<const PlanEdge> incoming;
  std::unique_ptr<NodeExecutor> executor;
};

class WorkflowPlan {
 public:
  // Storage of the executors (declared first: it outlives them).
  PlanArena arena;
  std::string workflow_id;
  // Every node's incoming edges, grouped by target node (one allocation).
  std::vector<PlanEdge> edges;
  std::vector<PlanNode> nodes;
  std::vector<std::size_t> order;  // execution order (execution.md §2)
  // (id, index) sorted by id, for `node.<id>` lookups.
  std::vector<std::pair<std::string, std::size_t>> index_by_id;

  std::optional<std::size_t> find_node(std::string_view id) const;
};

}  // namespace thaiyyal
