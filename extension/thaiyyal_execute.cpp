// thaiyyal_execute(payload jsonb) RETURNS jsonb: runs one workflow payload
// and returns its Result object (workflow-format.md §7).
//
// Steps, all inside invoke_cpp (pg_guard.hpp):
//   1. a per-call memory context for everything PostgreSQL allocates on our
//      behalf (detoasted input, numeric texts); deleted when the call ends,
//      normally or by exception;
//   2. jsonb -> Value (jsonb_to_value.cpp), compile_workflow, execute with
//      PgHost and the limits from the thaiyyal.* parameters;
//   3. the Result -> jsonb (value_to_jsonb.cpp), built in the caller's
//      memory context so it outlives step 1's context.
// Errors map to SQLSTATEs as documented in error_codes.hpp.
#include <memory>
#include <string>
#include <utility>

#include "runtime/engine.hpp"
#include "runtime/limits.hpp"
#include "value/value.hpp"

#include "error_codes.hpp"
#include "gucs.hpp"
#include "jsonb_to_value.hpp"
#include "pg_host.hpp"
#include "value_to_jsonb.hpp"

#include "pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

// Owns the per-call memory context: created and made current on
// construction, restored and deleted on destruction (also while an
// exception unwinds, before invoke_cpp raises the error -- PgError copies
// live in the caller's context, not in this one).
class CallMemoryContext {
 public:
  explicit CallMemoryContext(const char* name) {
    outer_ = CurrentMemoryContext;
    MemoryContext outer = outer_;
    context_ = pg_call([outer, name]() noexcept {
      return AllocSetContextCreateInternal(outer, name, ALLOCSET_DEFAULT_SIZES);
    });
    MemoryContextSwitchTo(context_);
  }
  ~CallMemoryContext() {
    MemoryContextSwitchTo(outer_);
    MemoryContextDelete(context_);
  }
  CallMemoryContext(const CallMemoryContext&) = delete;
  CallMemoryContext& operator=(const CallMemoryContext&) = delete;

  MemoryContext outer() const { return outer_; }

 private:
  MemoryContext outer_;
  MemoryContext context_;
};

std::string milliseconds_text(std::int64_t ms) {
  return std::to_string(ms) + " ms";
}

Datum execute_payload(FunctionCallInfo fcinfo) {
  CallMemoryContext call_context("thaiyyal_execute");

  const Jsonb* jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  const Value payload = jsonb_to_value(jsonb);

  std::shared_ptr<const WorkflowPlan> plan;
  try {
    plan = compile_workflow(payload);
  } catch (const PayloadError& e) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, e.what(),
                   e.node_id().empty() ? std::string() : "node " + e.node_id());
  }

  const Limits limits = current_limits();
  PgHost host;
  RunOutcome outcome = execute(*plan, host, limits);
  host.rethrow_pending_error();

  switch (outcome.status) {
    case RunOutcome::Status::Succeeded:
      break;
    case RunOutcome::Status::NodeFailed: {
      std::string detail =
          "node " + outcome.failed_node_id + " (type " + outcome.failed_node_type + ")";
      if (!outcome.node_detail.empty()) detail += ": " + outcome.node_detail;
      throw SqlError(kSqlStateNodeFailed, outcome.error, detail);
    }
    case RunOutcome::Status::TimedOut:
      throw SqlError(kSqlStateTimedOut, outcome.error, {},
                     "The limit is thaiyyal.max_execution_time (currently " +
                         milliseconds_text(limits.max_execution_time_ms) + ").");
  }

  const Value result = result_to_value(outcome.result);
  return JsonbPGetDatum(value_to_jsonb(result, call_context.outer()));
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_execute) {
  return thaiyyal::pg::execute_payload(fcinfo);
}
