// Run recording (see run_recorder.hpp).
#include <cstdint>
#include <string>
#include <utility>

#include "runtime/engine.hpp"
#include "runtime/plan.hpp"
#include "value/value.hpp"

#include "run_recorder.hpp"
#include "spi_support.hpp"
#include "value_to_jsonb.hpp"

#include "pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

KeptStatement insert_run_statement(
    "WITH run AS ("
    " INSERT INTO thaiyyal.runs (workflow_id, workflow_version, tenant, status, attempts,"
    "  created_at, run_at, started_at, finished_at)"
    " VALUES ($1, $2, $3, 'succeeded', 1, $4, $4, $4, $5)"
    " RETURNING id, tenant),"
    " payload AS ("
    " INSERT INTO thaiyyal.run_payloads (run_id, tenant, input, result)"
    " SELECT run.id, run.tenant, $6, $7 FROM run)"
    " SELECT id FROM run",
    {INT8OID, INT4OID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, JSONBOID, JSONBOID});

KeptStatement insert_nodes_statement(
    "INSERT INTO thaiyyal.run_nodes (run_id, seq, tenant, node_id, node_type, status,"
    " duration_us, output, error)"
    " SELECT $1, n.seq, $2, n.node_id, n.node_type, n.status, n.duration_us, n.output, n.error"
    " FROM pg_catalog.jsonb_to_recordset($3) AS n(seq integer, node_id text, node_type text,"
    "  status text, duration_us bigint, output jsonb, error text)",
    {INT8OID, TEXTOID, JSONBOID});

Datum text_datum(const std::string& s) {
  const char* c = s.c_str();
  return pg_call([c]() noexcept { return CStringGetTextDatum(c); });
}

}  // namespace

std::int64_t record_run(const RunRecord& run) {
  Datum values[7] = {Int64GetDatum(run.workflow_id),
                     Int32GetDatum(run.workflow_version),
                     text_datum(run.tenant),
                     TimestampTzGetDatum(run.started_at),
                     TimestampTzGetDatum(run.finished_at),
                     run.input != nullptr ? JsonbPGetDatum(run.input) : Datum(0),
                     JsonbPGetDatum(run.result)};
  const char nulls[8] = {' ', ' ', ' ', ' ', ' ', run.input != nullptr ? ' ' : 'n', ' ', '\0'};
  insert_run_statement.execute(values, nulls, 0);
  return pg_call([]() noexcept {
    if (SPI_processed != 1) elog(ERROR, "thaiyyal: recording the run returned no id");
    bool isnull = false;
    const std::int64_t id =
        DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    SPI_freetuptable(SPI_tuptable);
    return id;
  });
}

Value node_rows(const WorkflowPlan& plan, const RunOutcome& outcome, bool with_outputs) {
  Array rows;
  rows.reserve(outcome.node_timings.size());
  std::int64_t seq = 0;
  for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
    const PlanNode& node = plan.nodes[timing.node_index];
    Value output;
    if (with_outputs && !timing.failed) {
      if (const Value* v = outcome.result.node_results.find(node.id)) output = *v;
    }
    rows.push_back(make_object({
        {"seq", Value::integer(++seq)},
        {"node_id", Value::string(node.id)},
        {"node_type", Value::string(node.type)},
        {"status", Value::string(timing.failed ? "failed" : "succeeded")},
        {"duration_us", Value::integer(timing.duration_ns / 1000)},
        {"output", std::move(output)},
        {"error", timing.failed ? Value::string(outcome.node_message) : Value()},
    }));
  }
  return Value::array(std::move(rows));
}

void record_run_nodes(std::int64_t run_id, const std::string& tenant, const Value& rows) {
  if (rows.as_array().empty()) return;
  Datum values[3] = {Int64GetDatum(run_id), text_datum(tenant),
                     JsonbPGetDatum(value_to_jsonb(rows, CurrentMemoryContext))};
  insert_nodes_statement.execute(values, "   ", 0);
}

}  // namespace thaiyyal::pg
