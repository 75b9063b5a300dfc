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
};

}  // namespace thaiyyal
