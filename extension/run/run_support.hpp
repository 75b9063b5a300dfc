// Pieces shared by the entry points that run workflows (thaiyyal_execute,
// thaiyyal.run): the per-call memory context, compiling a payload with
// PostgreSQL's error codes, and turning a failed RunOutcome into the ERROR
// the caller sees.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// Owns the per-call memory context: created and made current on
// construction, restored and deleted on destruction (also while an
// exception unwinds, before invoke_cpp raises the error -- PgError copies
// live in the caller's context, not in this one).
class CallMemoryContext {
 public:
  explicit CallMemoryContext(const char* name);
  ~CallMemoryContext();
  CallMemoryContext(const CallMemoryContext&) = delete;
  CallMemoryContext& operator=(const CallMemoryContext&) = delete;

  MemoryContext outer() const { return outer_; }

 private:
  MemoryContext outer_;
  MemoryContext context_;
};

// compile_workflow, with PayloadError as SqlError 22023 (DETAIL "node <id>"
// when the message is about one node).
std::shared_ptr<const WorkflowPlan> compile_payload(const Value& payload);
// The same from the payload's JSON text (the engine's text decoder: no
// Value tree of the document), with the same errors.
std::shared_ptr<const WorkflowPlan> compile_payload_text(std::string_view payload_json);

// Throws the SqlError for a run that did not succeed: TH001 "error
// executing node <id>: <message>" with DETAIL "node <id> (type <type>)[:
// <node detail>]", TH002 for the time limit, 53200 (out_of_memory)
// "workflow run exceeded thaiyyal.max_run_memory (<size>) in node "<id>""
// for the memory budget. Returns when it succeeded.
void throw_if_failed(const RunOutcome& outcome, const Limits& limits);

// The message of a run that exceeded its memory budget, and its HINT.
std::string memory_exceeded_message(const RunOutcome& outcome, const Limits& limits);
inline constexpr const char* kMemoryExceededHint =
    "The values the run holds at once are limited; keep less data in node results, or ask a "
    "superuser to raise thaiyyal.max_run_memory.";

}  // namespace thaiyyal::pg
