// Recording a run of a stored workflow (thaiyyal.run): one statement for the
// run row and its payload row, and -- when thaiyyal.record_nodes asks for it
// -- ONE set-based insert of all node rows. Kept SPI plans; needs an open
// SpiConnection. The rows are written in the caller's transaction, as the
// catalog owner (the callers hold an AsCatalogOwner, identity.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

struct RunRecord {
  std::int64_t workflow_id = 0;
  std::int32_t workflow_version = 0;
  std::int64_t workflow_revision = 0;
  std::string tenant;
  std::string run_by;  // role name
  Oid run_by_role = InvalidOid;
  TimestampTz started_at = 0;
  TimestampTz finished_at = 0;
  Jsonb* input = nullptr;  // nullptr = SQL NULL
  Jsonb* result = nullptr;
};

// Inserts the succeeded run into thaiyyal.runs and its input and Result
// into thaiyyal.run_payloads; returns the run id.
std::int64_t record_run(const RunRecord& run);

// The rows thaiyyal.run_nodes gets for a run: one object per timed node, in
// execution order: {seq, node_id, node_type, status, duration_us, output,
// error}. `journal`: a durable run's, whose restored nodes (replayed from
// checkpoints, nothing asked again) get status "restored".
Value node_rows(const WorkflowPlan& plan, const RunOutcome& outcome, bool with_outputs,
                const RunJournal* journal = nullptr);

// Inserts node_rows(...) with one INSERT ... SELECT FROM jsonb_to_recordset,
// after the rows of earlier attempts.
void record_run_nodes(std::int64_t run_id, const std::string& tenant, const Value& rows,
                      std::int32_t attempt = 1);

}  // namespace thaiyyal::pg
