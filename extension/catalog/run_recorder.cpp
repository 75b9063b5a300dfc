// Run recording (see run_recorder.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/catalog/direct_rows.hpp"
#include "extension/catalog/run_recorder.hpp"
#include "extension/convert/value_to_jsonb.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

std::int64_t record_run(const RunRecord& run) {
  if (const std::optional<std::int64_t> id = insert_run_directly(run)) return *id;
  Datum values[10] = {Int64GetDatum(run.workflow_id),
                      Int32GetDatum(run.workflow_version),
                      Int64GetDatum(run.workflow_revision),
                      text_datum(run.tenant),
                      text_datum(run.run_by),
                      ObjectIdGetDatum(run.run_by_role),
                      TimestampTzGetDatum(run.started_at),
                      TimestampTzGetDatum(run.finished_at),
                      run.input != nullptr ? JsonbPGetDatum(run.input) : Datum(0),
                      JsonbPGetDatum(run.result)};
  const char nulls[11] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', run.input != nullptr ? ' ' : 'n',
                          ' ', '\0'};
  catalog_sql::record_run.execute(values, nulls, 0);
  return pg_call([]() noexcept {
    if (SPI_processed != 1) elog(ERROR, "thaiyyal: recording the run returned no id");
    bool isnull = false;
    const std::int64_t id =
        DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    SPI_freetuptable(SPI_tuptable);
    return id;
  });
}

Value node_rows(const WorkflowPlan& plan, const RunOutcome& outcome, bool with_outputs,
                const RunJournal* journal) {
  Array rows;
  rows.reserve(outcome.node_timings.size());
  std::int64_t seq = 0;
  for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
    const PlanNodeInfo node = plan_node_info(plan, timing.node_index);
    Value output;
    if (with_outputs && !timing.failed) {
      if (const Value* v = outcome.result.node_results.find(node.id)) output = *v;
    }
    rows.push_back(make_object({
        {"seq", Value::integer(++seq)},
        {"node_id", Value::string(node.id)},
        {"node_type", Value::string(node.type)},
        {"status", Value::string(timing.failed                                      ? "failed"
                                 : journal != nullptr && journal->restored(node.id) ? "restored"
                                                                                    : "succeeded")},
        {"duration_us", Value::integer(timing.duration_ns / 1000)},
        {"output", std::move(output)},
        {"error", timing.failed ? Value::string(outcome.node_message) : Value()},
    }));
  }
  return Value::array(std::move(rows));
}

void record_run_nodes(std::int64_t run_id, const std::string& tenant, const Value& rows,
                      std::int32_t attempt) {
  if (rows.as_array().empty()) return;
  Datum values[4] = {Int64GetDatum(run_id), text_datum(tenant),
                     JsonbPGetDatum(value_to_jsonb(rows, CurrentMemoryContext)),
                     Int32GetDatum(attempt)};
  catalog_sql::record_run_nodes.execute(values, "    ", 0);
}

}  // namespace thaiyyal::pg
