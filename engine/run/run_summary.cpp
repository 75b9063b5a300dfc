// The slow-run log line (run_summary.hpp).
#include "engine/run/run_summary.hpp"

#include <algorithm>

#include "engine/plan/explain.hpp"

namespace thaiyyal {

std::vector<NodeTime> slowest_nodes(const WorkflowPlan& plan, const RunOutcome& outcome,
                                    std::size_t count) {
  std::vector<NodeTime> nodes;
  nodes.reserve(outcome.node_timings.size());
  for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
    if (timing.node_index >= plan.nodes.size()) continue;
    const PlanNode& node = plan.nodes[timing.node_index];
    nodes.push_back({node.id, node.type, timing.duration_ns});
  }
  std::stable_sort(nodes.begin(), nodes.end(), [](const NodeTime& a, const NodeTime& b) {
    return a.duration_ns > b.duration_ns;
  });
  if (nodes.size() > count) nodes.resize(count);
  return nodes;
}

std::string slow_run_message(std::int64_t duration_ns, std::string_view workflow,
                             std::string_view run, std::string_view status,
                             const std::vector<NodeTime>& slowest) {
  std::string out = "duration: " + format_ms(duration_ns) + " ms  workflow: ";
  out.append(workflow);
  out += "  run: ";
  out.append(run);
  out += "  status: ";
  out.append(status);
  out += "  slowest nodes: ";
  if (slowest.empty()) out += "none recorded";
  for (std::size_t i = 0; i < slowest.size(); ++i) {
    if (i > 0) out += ", ";
    out.append(slowest[i].id);
    out += " (";
    out.append(slowest[i].type);
    out += ") " + format_ms(slowest[i].duration_ns) + " ms";
  }
  return out;
}

}  // namespace thaiyyal
