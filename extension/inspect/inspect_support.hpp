// Shared by thaiyyal.explain, thaiyyal.to_mermaid and thaiyyal.to_dot: the
// engine's description of a definition (engine/plan/explain.hpp) with
// PostgreSQL's error codes, a run made for EXPLAIN, and what a stored run
// did, read as the caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/plan/explain.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/sql_nodes/spi_sql_service.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// explain_workflow, with PayloadError as SqlError 22023 (DETAIL "node <id>")
// exactly as thaiyyal_execute reports it.
WorkflowExplanation explain_payload(const Value& payload);

// Runs the explanation's plan as the caller, in the caller's transaction,
// with the current limits and per-node timings, and attaches the outcome:
// a failing node is reported in the explanation, not raised; a cancel or a
// statement timeout is. The run is neither recorded nor counted in the
// statistics. Needs an open SPI connection.
void run_for_explain(WorkflowExplanation& explanation, const Value& input, SpiSqlService& sql);

// What thaiyyal.runs and thaiyyal.run_nodes say about a run, read as the
// caller: row-level security shows only the current tenant's runs.
struct StoredRun {
  std::int64_t id = 0;
  std::string status;
  std::optional<std::int64_t> revision;
  std::optional<double> duration_ms;
  std::string error;
  std::string workflow;  // the workflow's name
  std::int32_t version = 0;
  struct Node {
    std::string id;
    std::string status;
    std::int64_t duration_us = 0;
    std::string error;
  };
  std::vector<Node> nodes;  // execution order
};

// ERROR 42704 when the caller cannot see the run. Needs an open SPI
// connection.
StoredRun load_stored_run(std::int64_t run_id, const std::string& tenant);

// The definition the run executed (its pinned revision), read as the
// caller. ERROR 42704 when there is none.
Value definition_of_run(const StoredRun& run);

// Title, run summary and per-node states of a stored run; node rows whose
// id the definition does not have are ignored, a node with several rows
// (a run resumed after a crash) keeps its last one.
void attach_stored_run(WorkflowExplanation& explanation, const StoredRun& run);

}  // namespace thaiyyal::pg
