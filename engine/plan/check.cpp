#include "engine/plan/check.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "engine/plan/compile.hpp"
#include "engine/plan/plan.hpp"

namespace thaiyyal {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += "\"" + names[i] + "\"";
  }
  return out;
}

// Whether the edge can ever be taken, as far as its source tells:
// unconditional, or a handle the source may emit.
bool may_be_taken(const PlanNode& source, const PlanEdge& edge) {
  if (!edge.handle) return true;
  const std::optional<std::vector<std::string>> emitted = source.executor->handles();
  return !emitted || std::find(emitted->begin(), emitted->end(), *edge.handle) != emitted->end();
}

}  // namespace

std::string_view severity_name(Diagnostic::Severity severity) {
  return severity == Diagnostic::Severity::Error ? "error" : "warning";
}

std::vector<Diagnostic> check_workflow(const Value& payload) {
  std::vector<Diagnostic> out;
  std::shared_ptr<const WorkflowPlan> plan;
  try {
    plan = compile_workflow(payload);
  } catch (const PayloadError& e) {
    out.push_back({Diagnostic::Severity::Error, e.node_id(), e.what(), true});
    return out;
  }
  const std::vector<PlanNode>& nodes = plan->nodes;

  // A node runs when it has no incoming edge or one edge can be taken from
  // a node that runs (execution.md §5.1); in execution order every source
  // is decided before its targets.
  std::vector<bool> may_run(nodes.size(), false);
  for (std::size_t index : plan->order) {
    const PlanNode& node = nodes[index];
    bool runs = node.incoming.empty();
    for (const PlanEdge& edge : node.incoming) {
      if (may_run[edge.source] && may_be_taken(nodes[edge.source], edge)) runs = true;
    }
    may_run[index] = runs;
  }

  for (std::size_t index = 0; index < nodes.size(); ++index) {
    const PlanNode& node = nodes[index];
    std::vector<std::string> problems;
    node.executor->static_problems(problems);
    for (std::string& problem : problems) {
      out.push_back({Diagnostic::Severity::Error, node.id, std::move(problem)});
    }
    for (const PlanEdge& edge : node.incoming) {
      if (may_be_taken(nodes[edge.source], edge)) continue;
      const PlanNode& source = nodes[edge.source];
      const std::vector<std::string> emitted = *source.executor->handles();
      out.push_back({Diagnostic::Severity::Warning, node.id,
                     "the edge from \"" + source.id + "\" (type " + source.type + ") on handle \"" +
                         *edge.handle + "\" is never taken: " +
                         (emitted.empty() ? "that node emits no handle"
                                          : "that node emits only " + quoted_list(emitted))});
    }
    if (!may_run[index]) {
      out.push_back({Diagnostic::Severity::Warning, node.id,
                     "node \"" + node.id + "\" can never run: no edge into it can be taken"});
    }
  }
  return out;
}

}  // namespace thaiyyal
