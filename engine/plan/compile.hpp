// Payload -> plan: decoding, validation, execution order and compilation of
// every node's executor. A plan is immutable and may be executed any number
// of times, from any thread that owns its Host.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

// The payload cannot be run: decoding/validation (workflow-format.md §1-§5),
// or a graph without a valid order (execution.md §2: cycles, duplicate ids,
// edges to or from unknown nodes).
class PayloadError : public std::runtime_error {
 public:
  enum class Reason { Decode, Graph };
  PayloadError(Reason reason, std::string message, std::string node_id = {})
      : std::runtime_error(std::move(message)), reason_(reason), node_id_(std::move(node_id)) {}
  Reason reason() const { return reason_; }
  // The node the message is about, when there is one.
  const std::string& node_id() const { return node_id_; }

 private:
  Reason reason_;
  std::string node_id_;
};

class WorkflowPlan;

// Decodes, validates, orders and compiles. Throws PayloadError.
std::shared_ptr<const WorkflowPlan> compile_workflow(const Value& payload);
// The same from JSON text, decoded straight into the plan's structures
// without a Value tree of the document (same plan, same errors). Throws
// PayloadError, or JsonParseError for text that is not JSON.
std::shared_ptr<const WorkflowPlan> compile_workflow_json(std::string_view payload_json);

// The id and type of a plan's node by index (RunOutcome::NodeTiming), for
// hosts that record per-node history; views into the plan.
struct PlanNodeInfo {
  std::string_view id;
  std::string_view type;
};
PlanNodeInfo plan_node_info(const WorkflowPlan& plan, std::size_t node_index);

}  // namespace thaiyyal
