// Explanations of definitions and runs for the SQL functions (see
// inspect_support.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "engine/go/json.hpp"
#include "engine/plan/explain.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/inspect/inspect_support.hpp"
#include "extension/run/gucs.hpp"
#include "extension/run/pg_host.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

WorkflowExplanation explain_payload(const Value& payload) {
  try {
    return explain_workflow(payload);
  } catch (const PayloadError& e) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, e.what(),
                   e.node_id().empty() ? std::string() : "node " + e.node_id());
  }
}

void run_for_explain(WorkflowExplanation& explanation, const Value& input, SpiSqlService& sql) {
  const Limits limits = current_limits();
  RunOptions options;
  options.input = input;
  options.record_node_timings = true;
  PgHost host;
  host.set_sql(&sql);
  const std::int64_t started = host.monotonic_nanos();
  const RunOutcome outcome = execute(*explanation.plan, host, limits, options);
  host.rethrow_pending_error();
  sql.rethrow_pending_error();
  attach_run(explanation, outcome, host.monotonic_nanos() - started);
}

StoredRun load_stored_run(std::int64_t run_id, const std::string& tenant) {
  StoredRun run;
  run.id = run_id;
  Datum id = Int64GetDatum(run_id);
  catalog_sql::run_for_picture.execute(&id, " ", 1);
  if (result_rows() != 1) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT, "run " + std::to_string(run_id) + " does not exist",
                   "The tenant is \"" + tenant + "\".");
  }
  bool isnull = false;
  run.status = result_text(0, 1);
  const Datum revision = result_value(0, 2, &isnull);
  if (!isnull) run.revision = DatumGetInt64(revision);
  const Datum duration = result_value(0, 3, &isnull);
  if (!isnull) run.duration_ms = DatumGetFloat8(duration);
  run.error = result_text(0, 4);
  run.workflow = result_text(0, 5);
  run.version = DatumGetInt32(result_value(0, 6, &isnull));

  catalog_sql::run_node_states.execute(&id, " ", 0);
  const std::uint64_t rows = result_rows();
  run.nodes.reserve(rows);
  for (std::uint64_t i = 0; i < rows; ++i) {
    const int row = static_cast<int>(i);
    StoredRun::Node node;
    node.id = result_text(row, 1);
    node.status = result_text(row, 2);
    node.duration_us = DatumGetInt64(result_value(row, 3, &isnull));
    node.error = result_text(row, 4);
    run.nodes.push_back(std::move(node));
  }
  return run;
}

Value definition_of_run(const StoredRun& run) {
  if (!run.revision) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT,
                   "the definition run " + std::to_string(run.id) + " executed was not kept",
                   "Runs recorded before version 0.2.0 do not name their revision.",
                   "Pass the definition: thaiyyal.to_dot(definition, run_id).");
  }
  Datum revision = Int64GetDatum(*run.revision);
  catalog_sql::definition_of_revision.execute(&revision, " ", 1);
  if (result_rows() != 1) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT,
                   "the definition run " + std::to_string(run.id) + " executed no longer exists");
  }
  bool isnull = false;
  const Datum definition = result_value(0, 1, &isnull);
  return jsonb_to_value(pg_call([definition]() noexcept { return DatumGetJsonbP(definition); }));
}

void attach_stored_run(WorkflowExplanation& explanation, const StoredRun& run) {
  if (!run.workflow.empty()) {
    std::string heading;
    write_json_string(heading, run.workflow, JsonStyle::Plain);
    explanation.heading = heading + " version " + std::to_string(run.version);
  }
  RunSummary summary;
  summary.label = "run " + std::to_string(run.id);
  summary.status = run.status;
  if (run.duration_ms) summary.duration_ns = static_cast<std::int64_t>(*run.duration_ms * 1e6);
  summary.error = run.error;
  explanation.run = std::move(summary);
  for (ExplainedNode& node : explanation.nodes) node.run.reset();
  for (const StoredRun::Node& row : run.nodes) {
    ExplainedNode* node = explanation.find(row.id);
    if (node == nullptr) continue;
    NodeRunReport report;
    report.state = node_state_from_name(row.status);
    report.duration_ns = row.duration_us * 1000;
    report.error = row.error;
    node->run = std::move(report);
  }
  complete_node_states(explanation, run.status == "succeeded");
}

}  // namespace thaiyyal::pg
