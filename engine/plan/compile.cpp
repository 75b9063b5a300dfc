// Payload -> WorkflowPlan: decode, resolve edges, order, build executors.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_map>

#include "engine/common/scratch.hpp"
#include "engine/common/short_hash.hpp"
#include "engine/go/json.hpp"
#include "engine/nodes/node_type.hpp"
#include "engine/plan/compile.hpp"
#include "engine/plan/decode_support.hpp"
#include "engine/plan/execution_order.hpp"
#include "engine/plan/payload.hpp"
#include "engine/plan/plan.hpp"
#include "engine/plan/plan_arena.hpp"

namespace thaiyyal {
namespace {

// Executors for nodes that cannot run; they fail only if the node is reached
// (a skipped node never reports, as in the reference).
class FailingExecutor final : public NodeExecutor {
 public:
  explicit FailingExecutor(std::string message) : message_(std::move(message)) {}
  Value execute(RunContext&, const std::vector<Value>&) const override {
    throw NodeError(message_);
  }
  void static_problems(std::vector<std::string>& problems) const override {
    problems.push_back(message_);
  }

 private:
  std::string message_;
};

constexpr std::uint32_t kNoSlot = 0xffffffffu;

[[noreturn]] void graph_error(std::string message, std::string node_id = {}) {
  throw PayloadError(PayloadError::Reason::Graph, std::move(message), std::move(node_id));
}

}  // namespace

std::unique_ptr<NodeExecutor> build_executor(const PayloadNode& node) {
  if (node.type_info == nullptr) {
    if (node.has_data && is_reference_node_type(node.type) && node.type != "paginator") {
      return std::make_unique<FailingExecutor>("node type '" + node.type +
                                               "' is not implemented by this version of thaiyyal");
    }
    if (node.type == "paginator") {
      return std::make_unique<FailingExecutor>(
          "no executor registered for type: paginator (the paginator node is declared by the "
          "reference engine but not implemented; it is not supported)");
    }
    return std::make_unique<FailingExecutor>("no executor registered for type: " + node.type);
  }
  if (!node.has_data && !node.type_info->data_optional) {
    return std::make_unique<FailingExecutor>("expected " + node.type_info->struct_name +
                                             ", got <nil>");
  }
  return node.type_info->compile(node.data);
}

std::optional<std::size_t> WorkflowPlan::find_node(std::string_view id) const {
  auto it = std::lower_bound(
      index_by_id.begin(), index_by_id.end(), id,
      [](const auto& entry, std::string_view key) { return key_less(entry.first, key); });
  if (it != index_by_id.end() && key_equal(it->first, id)) return it->second;
  return std::nullopt;
}

PlanNodeInfo plan_node_info(const WorkflowPlan& plan, std::size_t node_index) {
  const PlanNode& node = plan.nodes.at(node_index);
  return {node.id, node.type};
}

namespace {

// Fills `plan_ref` (created by the caller, whose arena may already hold
// executors the text decoder built) from the decoded payload. The caller
// keeps owning the plan: if this throws, the payload's executors (in the
// plan's arena) are destroyed before the plan is.
void compile_payload(WorkflowPlan& plan_ref, Payload& payload) {
  WorkflowPlan* const plan = &plan_ref;
  PlanArenaScope arena_scope(plan->arena);
  plan->workflow_id = payload.workflow_id;

  const std::size_t n = payload.nodes.size();
  // Node indices in byte-wise id order: the plan's id index, and the order
  // in which execution_order takes start nodes (sorting indices moves no
  // strings). Equal ids are refused just below, so their order is moot.
  ScratchVector<std::size_t, struct ById> by_id_lease;
  std::vector<std::size_t>& by_id = by_id_lease.items;
  by_id.resize(n);
  std::iota(by_id.begin(), by_id.end(), std::size_t{0});
  std::sort(by_id.begin(), by_id.end(), [&payload](std::size_t a, std::size_t b) {
    return key_less(payload.nodes[a].id, payload.nodes[b].id);
  });
  plan->index_by_id.reserve(n);
  for (std::size_t i : by_id) plan->index_by_id.emplace_back(payload.nodes[i].id, i);
  for (std::size_t i = 1; i < plan->index_by_id.size(); ++i) {
    if (key_equal(plan->index_by_id[i].first, plan->index_by_id[i - 1].first)) {
      // The reference reports duplicates as a cycle (execution.md §2); we
      // name the real problem.
      const std::string& dup = plan->index_by_id[i].first;
      graph_error("workflow contains duplicate node id \"" + dup + "\"", dup);
    }
  }

  // Edge ends resolved through a small open-addressing table of the ids
  // (ids are short), cheaper than a binary search per end.
  ScratchVector<std::uint32_t, struct IdTable> id_table_lease;
  std::vector<std::uint32_t>& id_table = id_table_lease.items;
  std::size_t id_mask = 1;
  while (id_mask < 2 * n) id_mask <<= 1;
  id_table.assign(id_mask, kNoSlot);
  --id_mask;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t slot = short_key_hash(payload.nodes[i].id) & id_mask;
    while (id_table[slot] != kNoSlot) slot = (slot + 1) & id_mask;
    id_table[slot] = static_cast<std::uint32_t>(i);
  }
  auto find_id = [&](std::string_view id) -> std::optional<std::size_t> {
    for (std::size_t slot = short_key_hash(id) & id_mask;; slot = (slot + 1) & id_mask) {
      const std::uint32_t i = id_table[slot];
      if (i == kNoSlot) return std::nullopt;
      if (key_equal(payload.nodes[i].id, id)) return i;
    }
  };

  ScratchVector<GraphEdge> graph_edges_lease;
  std::vector<GraphEdge>& graph_edges = graph_edges_lease.items;
  graph_edges.reserve(payload.edges.size());
  plan->nodes.resize(n);
  for (const PayloadEdge& edge : payload.edges) {
    auto source = find_id(edge.source);
    auto target = find_id(edge.target);
    if (!source || !target) {
      // The reference crashes (unknown target) or reports a cycle (unknown
      // source); an edge must connect two nodes of the payload.
      const std::string& missing = !source ? edge.source : edge.target;
      graph_error(std::string("edge ") + (edge.id.empty() ? "" : "\"" + edge.id + "\" ") +
                      "references unknown " + (!source ? "source" : "target") + " node \"" +
                      missing + "\"",
                  missing);
    }
    graph_edges.push_back({*source, *target});
  }
  // Edge counts per node, incoming in [0, n) and outgoing in [n, 2n); then
  // every node's incoming edges, in payload edge order, as one slice of the
  // plan's edge vector (a counting sort by target: one allocation in all).
  ScratchVector<std::size_t, struct EdgeCounts> edge_counts_lease;
  std::vector<std::size_t>& edge_counts = edge_counts_lease.items;
  edge_counts.assign(3 * n + 1, 0);  // + incoming slice starts in [2n, 3n]
  for (const GraphEdge& e : graph_edges) {
    ++edge_counts[e.target];
    ++edge_counts[n + e.source];
  }
  std::size_t* const slice = edge_counts.data() + 2 * n;
  for (std::size_t i = 0; i < n; ++i) slice[i + 1] = slice[i] + edge_counts[i];
  plan->edges.resize(graph_edges.size());
  {
    // Fill positions, advanced per target; edge_counts[0, n) is reused.
    for (std::size_t i = 0; i < n; ++i) edge_counts[i] = slice[i];
    for (std::size_t k = 0; k < graph_edges.size(); ++k) {
      PlanEdge& edge = plan->edges[edge_counts[graph_edges[k].target]++];
      edge.source = graph_edges[k].source;
      edge.handle = std::move(payload.edges[k].handle);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    plan->nodes[i].incoming =
        std::span<const PlanEdge>(plan->edges.data() + slice[i], slice[i + 1] - slice[i]);
  }

  OrderResult order = execution_order_by_id(by_id, graph_edges);
  if (!order.ok) {
    graph_error("workflow contains cycles (circular dependencies)",
                order.stuck.empty() ? std::string() : payload.nodes[order.stuck.front()].id);
  }
  plan->order = std::move(order.order);

  for (std::size_t i = 0; i < n; ++i) {
    PayloadNode& source = payload.nodes[i];
    PlanNode& node = plan->nodes[i];
    node.executor = source.executor ? std::move(source.executor) : build_executor(source);
    node.is_context_node = source.type == "context_variable" || source.type == "context_constant";
    node.is_terminal = edge_counts[n + i] == 0;
    node.id = std::move(source.id);
    node.type = std::move(source.type);
  }
}

}  // namespace

std::shared_ptr<const WorkflowPlan> compile_workflow(const Value& payload_json) {
  Payload payload = decode_payload(payload_json);
  auto plan = std::make_shared<WorkflowPlan>();
  compile_payload(*plan, payload);
  return plan;
}

std::shared_ptr<const WorkflowPlan> compile_workflow_json(std::string_view payload_json) {
  // The plan first: the text decoder builds executors into its arena. The
  // payload's vectors are the thread's scratch (declared after the plan, so
  // that the executors they may still hold go before the arena, on an
  // exception too).
  auto plan = std::make_shared<WorkflowPlan>();
  ScratchVector<PayloadNode> nodes;
  ScratchVector<PayloadEdge> edges;
  Payload payload;
  payload.nodes.swap(nodes.items);
  payload.edges.swap(edges.items);
  bool decoded;
  {
    PlanArenaScope arena_scope(plan->arena);
    decoded = decode_payload_text(payload_json, payload);
  }
  if (!decoded) {
    // The general path, for its exact error (or for what the fast path
    // leaves to it): parse, then decode the tree.
    payload = decode_payload(parse_json(payload_json));
  }
  compile_payload(*plan, payload);
  payload.nodes.swap(nodes.items);
  payload.edges.swap(edges.items);
  return plan;
}

}  // namespace thaiyyal
