// thaiyyal_execute(payload jsonb, input jsonb DEFAULT NULL) RETURNS jsonb:
// runs one workflow payload and returns its Result object
// (workflow-format.md §7). A NULL payload gives NULL.
//
// Steps, all inside invoke_cpp (pg_guard.hpp):
//   1. a per-call memory context for everything PostgreSQL allocates on our
//      behalf (detoasted input, numeric texts); deleted when the call ends,
//      normally or by exception;
//   2. the plan: from the payload cache (payload_plan_cache.hpp, keyed by
//      the jsonb bytes) or jsonb -> JSON text (jsonb_to_json_text,
//      jsonb_to_value.cpp) + compile_workflow_json (no Value tree); execute with PgHost, the run
//      input, the SQL nodes' SpiSqlService (SPI connected on the first SQL node only) and the
//      limits from the thaiyyal.* parameters;
//   3. the Result -> jsonb (result_to_jsonb, value_to_jsonb.cpp: written
//      directly, no Value of it), in the caller's memory context so it
//      outlives step 1's context.
// Errors map to SQLSTATEs as documented in error_codes.hpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/spi_support.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/run/gucs.hpp"
#include "extension/run/payload_plan_cache.hpp"
#include "extension/run/run_support.hpp"
#include "extension/run/tracked_execution.hpp"
#include "extension/sql_nodes/spi_sql_service.hpp"
#include "extension/stats/run_tracker.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

// The SQL nodes' service, connected to SPI on first use: most payloads have
// no SQL node and then pay for neither the connection nor the service.
class OnDemandSql final : public SqlService {
 public:
  SqlQueryResult query(std::string_view query, const std::vector<Value>& params,
                       std::int64_t max_rows) override {
    return service().query(query, params, max_rows);
  }
  std::int64_t batch(std::string_view table, SqlBatchMode mode, const std::vector<std::string>& key,
                     const Value& rows) override {
    return service().batch(table, mode, key, rows);
  }
  void rethrow_pending_error() const {
    if (service_) service_->rethrow_pending_error();
  }
  void finish() {
    if (spi_) spi_->finish();
  }

 private:
  SpiSqlService& service() {
    if (!service_) {
      spi_.emplace();
      service_.emplace();
    }
    return *service_;
  }

  std::optional<SpiConnection> spi_;
  std::optional<SpiSqlService> service_;
};

// A payload's JSON text, kept by the backend between calls so that a miss
// does not allocate it again; a buffer grown beyond kKeptText is freed after
// the call rather than pinning a large payload's memory.
constexpr std::size_t kKeptText = 64 * 1024;

std::shared_ptr<const WorkflowPlan> plan_for(const Jsonb* jsonb, RunTracker& tracker) {
  const std::string_view bytes(VARDATA_ANY(jsonb), VARSIZE_ANY_EXHDR(jsonb));
  // The payload is hashed at most once per call: for the cache (lookup and,
  // after a miss, insert) and as its identity in the statistics.
  std::optional<std::uint64_t> hash;
  std::shared_ptr<const WorkflowPlan> plan = payload_plan_find(bytes, hash);
  if (plan == nullptr) {
    // A miss: jsonb -> JSON text -> the engine's text decoder, which builds
    // the plan without a Value tree of the document (about half the
    // instructions of jsonb_to_value + compile_workflow; docs/PERFORMANCE.md).
    const std::int64_t started = tracker.active() ? tracker_clock_ns() : 0;
    static std::string text;
    struct Release {
      ~Release() {
        if (text.capacity() > kKeptText) std::string().swap(text);
      }
    } release;
    jsonb_to_json_text(jsonb, text);
    plan = compile_payload_text(text);
    if (hash) payload_plan_add(bytes, *hash, plan);
    if (tracker.active()) tracker.set_plan(false, tracker_clock_ns() - started);
  } else {
    tracker.set_plan(true, -1);
  }
  if (tracker.active()) tracker.set_payload(hash ? *hash : payload_hash(bytes));
  return plan;
}

Datum execute_payload(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  CallMemoryContext call_context("thaiyyal_execute");

  const Jsonb* jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  RunOptions options;
  if (PG_NARGS() > 1 && !PG_ARGISNULL(1)) {
    const Jsonb* input = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(1); });
    options.input = jsonb_to_value(input);
  }

  RunTracker tracker;  // statistics, slow-run log
  tracker.configure(options);
  const std::shared_ptr<const WorkflowPlan> plan = plan_for(jsonb, tracker);

  const Limits limits = current_limits();
  OnDemandSql sql;
  const RunOutcome outcome = execute_tracked(*plan, sql, limits, options, tracker);
  tracker.finish(plan, outcome);
  throw_if_failed(outcome, limits);
  sql.finish();

  return JsonbPGetDatum(result_to_jsonb(outcome.result, call_context.outer()));
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_execute) {
  return thaiyyal::pg::execute_payload(fcinfo);
}
