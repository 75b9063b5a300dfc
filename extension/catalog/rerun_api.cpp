// Running failed runs again, reusing their checkpoints (docs/DURABLE_RUNS.md):
//
//   thaiyyal.retry(run_id bigint, from_node text DEFAULT NULL) RETURNS bigint
//   thaiyyal.fork(run_id bigint, from_node text, input jsonb DEFAULT NULL,
//                 revision integer DEFAULT NULL) RETURNS bigint
//   thaiyyal.retry_runs(workflow text, since timestamptz, status text DEFAULT 'failed')
//     RETURNS bigint
//
// Who may: the role that queued the run, acting for the run's tenant (a
// queued run executes as that role, so nobody else may make it execute
// again); a superuser only with thaiyyal.allow_superuser_runs. What it
// writes: marker entries appended to the run's checkpoints -- the nodes
// that execute again, the unfinished nodes of the last attempt, and
// leniency (a statement that changed executes instead of failing the run)
// -- and, for fork, a new queued run with a copy of the source's
// checkpoints. Cost: one catalog statement per run, plus the workflow's
// decoding when a node is named.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/api_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/catalog/catalog_version.hpp"
#include "extension/catalog/workflow_store.hpp"
#include "extension/workers/commit_actions.hpp"

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
}

namespace thaiyyal::pg {

namespace {

// What run_of_tenant says about a run, checked for the caller.
struct RunToRerun {
  std::int64_t id = 0;
  std::string status;
  std::int64_t revision = 0;
};

RunToRerun rerunnable_run(std::int64_t run_id, const Caller& caller, const char* verb) {
  Datum values[2] = {Int64GetDatum(run_id), text_datum(caller.tenant)};
  catalog_sql::run_of_tenant.execute(values, "  ", 1);
  if (result_rows() == 0) throw no_such_run(run_id);
  RunToRerun run;
  run.id = run_id;
  run.status = result_text(0, 1);
  bool isnull = false;
  const Oid run_by = DatumGetObjectId(result_value(0, 2, &isnull));
  const Datum revision = result_value(0, 3, &isnull);
  const std::string id = std::to_string(run_id);
  if (run_by != caller.role) {
    throw SqlError(ERRCODE_INSUFFICIENT_PRIVILEGE,
                   "run " + id + " was queued by another role; only that role may " + verb + " it",
                   {}, "Queue a run of your own with thaiyyal.enqueue().");
  }
  if (isnull) {
    throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                   "run " + id + " was recorded before thaiyyal 0.2.0 kept workflow versions",
                   "The definition it executed is not known.",
                   "Queue a new run with thaiyyal.enqueue().");
  }
  run.revision = DatumGetInt64(revision);
  return run;
}

Value definition_of(std::int64_t revision) {
  WorkflowRevision stored = fetch_revision(revision);
  if (!stored.found) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT,
                   "workflow revision " + std::to_string(revision) + " no longer exists");
  }
  return std::move(stored.definition);
}

// Markers for the run's journal: the unfinished nodes and, given the
// workflow (`target`), `from_node`, the nodes `source` defined otherwise and
// their dependents execute again.
std::string rerun_markers(const Value* target, const Value* source, const std::string& from_node) {
  std::vector<JournalEntry> markers;
  markers.push_back({"", JournalEntry::Kind::CutUnfinished, Value()});
  markers.push_back({"", JournalEntry::Kind::Lenient, Value()});
  std::vector<std::string> nodes;
  try {
    if (target != nullptr) nodes = nodes_to_execute_again(*target, source, from_node);
  } catch (const std::invalid_argument&) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT,
                   "node \"" + from_node + "\" is not a node of the run's workflow", {},
                   "Name a node id of the workflow version the run executes.");
  } catch (const PayloadError& e) {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, e.what());
  }
  for (std::string& node : nodes) {
    markers.push_back({std::move(node), JournalEntry::Kind::Cut, Value()});
  }
  return encode_journal(markers);
}

Datum int8_array(const std::vector<std::int64_t>& ids) {
  std::vector<Datum> elements;
  elements.reserve(ids.size());
  for (std::int64_t id : ids) elements.push_back(Int64GetDatum(id));
  const Datum* data = elements.data();
  const int n = static_cast<int>(elements.size());
  return pg_call([data, n]() noexcept {
    return PointerGetDatum(construct_array(const_cast<Datum*>(data), n, INT8OID, sizeof(int64),
                                           FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
  });
}

// Queues `ids` again with `markers`; how many were.
std::uint64_t requeue(const std::vector<std::int64_t>& ids, const Caller& caller,
                      const std::string& markers) {
  Datum values[4] = {int8_array(ids), text_datum(caller.tenant), ObjectIdGetDatum(caller.role),
                     text_datum(markers)};
  catalog_sql::retry_runs.execute(values, "    ", 0);
  return result_rows();
}

Datum retry(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "run id");
  const std::int64_t run_id = PG_GETARG_INT64(0);
  const std::string from_node = PG_ARGISNULL(1) ? std::string() : text_arg(fcinfo, 1);
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  refuse_superuser_runs(caller, "retry runs");
  AsCatalogOwner owner;
  const RunToRerun run = rerunnable_run(run_id, caller, "retry");
  if (run.status != "failed" && run.status != "cancelled") {
    throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                   "run " + std::to_string(run_id) + " is " + run.status +
                       "; only failed or cancelled runs can be retried",
                   {}, "thaiyyal.fork() runs a finished run again as a new run.");
  }
  std::optional<Value> definition;
  if (!from_node.empty()) definition = definition_of(run.revision);
  const std::string markers =
      rerun_markers(definition ? &*definition : nullptr, nullptr, from_node);
  if (requeue({run_id}, caller, markers) != 1) {
    throw SqlError(ERRCODE_T_R_SERIALIZATION_FAILURE,
                   "run " + std::to_string(run_id) + " changed while it was being retried");
  }
  owner.end();
  spi.finish();
  wake_workers_at_commit();
  return Int64GetDatum(run_id);
}

Datum fork(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "run id");
  require_arg(fcinfo, 1, "from_node");
  const std::int64_t run_id = PG_GETARG_INT64(0);
  const std::string from_node = text_arg(fcinfo, 1);
  std::optional<std::int32_t> version;
  if (!PG_ARGISNULL(3)) version = PG_GETARG_INT32(3);
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  refuse_superuser_runs(caller, "fork runs");
  AsCatalogOwner owner;
  const RunToRerun run = rerunnable_run(run_id, caller, "fork");
  if (run.status == "queued" || run.status == "running") {
    throw SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                   "run " + std::to_string(run_id) + " is " + run.status +
                       "; only a finished run can be forked");
  }
  WorkflowRevision source = fetch_revision(run.revision);
  if (!source.found) {
    throw SqlError(ERRCODE_UNDEFINED_OBJECT,
                   "workflow revision " + std::to_string(run.revision) + " no longer exists");
  }
  std::int64_t target_revision = run.revision;
  if (version && *version != source.version) {
    Datum values[2] = {Int64GetDatum(source.workflow_id), Int32GetDatum(*version)};
    catalog_sql::lookup_version.execute(values, "  ", 1);
    if (result_rows() != 1) {
      throw SqlError(
          ERRCODE_UNDEFINED_OBJECT,
          "version " + std::to_string(*version) + " of the run's workflow does not exist", {},
          "thaiyyal.workflow_versions lists the versions that are kept.");
    }
    target_revision = first_int8();
  }
  std::string markers;
  if (target_revision == run.revision) {
    markers = rerun_markers(&source.definition, nullptr, from_node);
  } else {
    const Value target = definition_of(target_revision);
    markers = rerun_markers(&target, &source.definition, from_node);
  }
  Datum values[6] = {Int64GetDatum(run_id),
                     text_datum(caller.tenant),
                     ObjectIdGetDatum(caller.role),
                     Int64GetDatum(target_revision),
                     PG_ARGISNULL(2) ? Datum(0) : PG_GETARG_DATUM(2),
                     text_datum(markers)};
  const char nulls[7] = {' ', ' ', ' ', ' ', PG_ARGISNULL(2) ? 'n' : ' ', ' ', '\0'};
  catalog_sql::fork_run.execute(values, nulls, 1);
  if (result_rows() != 1) {
    throw SqlError(ERRCODE_T_R_SERIALIZATION_FAILURE,
                   "run " + std::to_string(run_id) + " changed while it was being forked");
  }
  const std::int64_t id = first_int8();
  owner.end();
  spi.finish();
  wake_workers_at_commit();
  return Int64GetDatum(id);
}

Datum retry_runs(FunctionCallInfo fcinfo) {
  require_catalog_version();
  require_arg(fcinfo, 0, "workflow name");
  require_arg(fcinfo, 1, "since");
  const std::string workflow = text_arg(fcinfo, 0);
  const std::string status = PG_ARGISNULL(2) ? std::string("failed") : text_arg(fcinfo, 2);
  if (status != "failed" && status != "cancelled") {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                   "status must be failed or cancelled, not \"" + status + "\"");
  }
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  refuse_superuser_runs(caller, "retry runs");
  AsCatalogOwner owner;
  (void)lookup_workflow(caller.tenant, workflow, std::nullopt);  // ERROR 42704 when unknown
  Datum values[5] = {text_datum(caller.tenant), text_datum(workflow), ObjectIdGetDatum(caller.role),
                     PG_GETARG_DATUM(1), text_datum(status)};
  catalog_sql::runs_to_retry.execute(values, "     ", 0);
  std::vector<std::int64_t> ids;
  ids.reserve(result_rows());
  for (std::uint64_t i = 0; i < result_rows(); ++i) {
    bool isnull = false;
    ids.push_back(DatumGetInt64(result_value(static_cast<int>(i), 1, &isnull)));
  }
  std::uint64_t queued = 0;
  if (!ids.empty()) queued = requeue(ids, caller, rerun_markers(nullptr, nullptr, ""));
  owner.end();
  spi.finish();
  if (queued > 0) wake_workers_at_commit();
  return Int64GetDatum(static_cast<std::int64_t>(queued));
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_retry) {
  return thaiyyal::pg::retry(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_fork) {
  return thaiyyal::pg::fork(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_retry_runs) {
  return thaiyyal::pg::retry_runs(fcinfo);
}
