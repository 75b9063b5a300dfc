// Shared pieces of the workflow-running entry points (see run_support.hpp).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/run_memory.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/boundary/error_codes.hpp"
#include "extension/run/run_support.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

CallMemoryContext::CallMemoryContext(const char* name) {
  outer_ = CurrentMemoryContext;
  MemoryContext outer = outer_;
  context_ = pg_call([outer, name]() noexcept {
    return AllocSetContextCreateInternal(outer, name, ALLOCSET_DEFAULT_SIZES);
  });
  MemoryContextSwitchTo(context_);
}

CallMemoryContext::~CallMemoryContext() {
  MemoryContextSwitchTo(outer_);
  MemoryContextDelete(context_);
}

std::shared_ptr<const WorkflowPlan> compile_payload(const Value& payload) {
  try {
    return compile_workflow(payload);
  } catch (const PayloadError& e) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, e.what(),
                   e.node_id().empty() ? std::string() : "node " + e.node_id());
  }
}

std::shared_ptr<const WorkflowPlan> compile_payload_text(std::string_view payload_json) {
  try {
    return compile_workflow_json(payload_json);
  } catch (const PayloadError& e) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, e.what(),
                   e.node_id().empty() ? std::string() : "node " + e.node_id());
  }
}

void throw_if_failed(const RunOutcome& outcome, const Limits& limits) {
  switch (outcome.status) {
    case RunOutcome::Status::Succeeded:
      return;
    case RunOutcome::Status::NodeFailed: {
      std::string detail =
          "node " + outcome.failed_node_id + " (type " + outcome.failed_node_type + ")";
      if (!outcome.node_detail.empty()) detail += ": " + outcome.node_detail;
      throw SqlError(kSqlStateNodeFailed, outcome.error, detail);
    }
    case RunOutcome::Status::TimedOut:
      throw SqlError(kSqlStateTimedOut, outcome.error, {},
                     "The limit is thaiyyal.max_execution_time (currently " +
                         std::to_string(limits.max_execution_time_ms) + " ms).");
    case RunOutcome::Status::MemoryExceeded:
      throw SqlError(ERRCODE_OUT_OF_MEMORY, memory_exceeded_message(outcome, limits),
                     "node " + outcome.failed_node_id + " (type " + outcome.failed_node_type + ")",
                     kMemoryExceededHint);
  }
}

std::string memory_exceeded_message(const RunOutcome& outcome, const Limits& limits) {
  return "workflow run exceeded thaiyyal.max_run_memory (" +
         memory_size_text(static_cast<std::uint64_t>(limits.max_run_memory)) + ") in node \"" +
         outcome.failed_node_id + "\"";
}

}  // namespace thaiyyal::pg
