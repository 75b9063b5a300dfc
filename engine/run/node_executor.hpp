// The executor of one node of a compiled plan. Executors are immutable and
// shared by every run of the plan; per-run state lives in RunContext.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/run/node_error.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

class RunContext;
namespace expr {
class CompiledExpression;
}

// An expression of a node's configuration, for thaiyyal.explain
// (engine/plan/explain.hpp): the field it came from ("condition",
// "cases[0].when", "params[1]") and the compiled form the node evaluates.
struct NodeExpression {
  std::string field;
  const expr::CompiledExpression* expression = nullptr;
};

class NodeExecutor {
 public:
  virtual ~NodeExecutor() = default;
  // Executors built while a PlanArenaScope is alive live in that plan's
  // arena (engine/plan/plan_arena.hpp); others on the heap.
  static void* operator new(std::size_t size);
  static void operator delete(void* p) noexcept;
  // `inputs` follows execution.md §3 (edge order, executed sources only).
  // Throws NodeError on failure.
  virtual Value execute(RunContext& run, const std::vector<Value>& inputs) const = 0;

  // What this node will report whenever it runs, visible without running
  // it -- an unknown operation, an expression that does not parse -- for
  // check_workflow (engine/plan/check.hpp). Executors keep such problems from
  // their construction and throw them from execute(); the default has none.
  virtual void static_problems(std::vector<std::string>& /*problems*/) const {}

  // The handles an outgoing edge of this node can be taken on (execution.md
  // §5.2): exactly these, or nullopt when the output is data that may hold
  // a `path` of any value (the default: a pass-through, a parsed document).
  virtual std::optional<std::vector<std::string>> handles() const { return std::nullopt; }

  // The expressions this node evaluates, in field order; pointers into the
  // executor, valid as long as the plan. The default has none.
  virtual void expressions(std::vector<NodeExpression>& /*out*/) const {}
};

}  // namespace thaiyyal
