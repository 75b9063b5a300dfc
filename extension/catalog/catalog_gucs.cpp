// Parameters of stored workflows, run recording and the SQL nodes (see
// catalog_gucs.hpp).
#include "extension/catalog/catalog_gucs.hpp"

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

namespace {

char* guc_tenant = nullptr;
int guc_plan_cache_size = 128;
int guc_sql_plan_cache_size = 128;
int guc_payload_cache_size = 64;
int guc_record_nodes = static_cast<int>(RecordNodes::Errors);
int guc_record_runs = static_cast<int>(RecordRuns::All);

const struct config_enum_entry kRecordNodesOptions[] = {
    {"none", static_cast<int>(RecordNodes::None), false},
    {"errors", static_cast<int>(RecordNodes::Errors), false},
    {"all", static_cast<int>(RecordNodes::All), false},
    {nullptr, 0, false},
};

const struct config_enum_entry kRecordRunsOptions[] = {
    {"all", static_cast<int>(RecordRuns::All), false},
    {"failed", static_cast<int>(RecordRuns::Failed), false},
    {"none", static_cast<int>(RecordRuns::None), false},
    {nullptr, 0, false},
};

}  // namespace

void define_catalog_gucs() noexcept {
  DefineCustomStringVariable(
      "thaiyyal.tenant", "The tenant stored workflows and runs belong to (empty = current role).",
      "A role may act for its own name, roles it is a member of, and tenants mapped to it in "
      "thaiyyal.tenant_members; other tenants show and change nothing.",
      &guc_tenant, "", PGC_USERSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("thaiyyal.plan_cache_size",
                          "Compiled workflow plans kept per backend by thaiyyal.run (0 = none).",
                          nullptr, &guc_plan_cache_size, guc_plan_cache_size, 0, 100000, PGC_SUSET,
                          0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "thaiyyal.sql_plan_cache_size",
      "Prepared statements of sql_query / sql_batch nodes kept per backend (0 = none).", nullptr,
      &guc_sql_plan_cache_size, guc_sql_plan_cache_size, 0, 100000, PGC_SUSET, 0, nullptr, nullptr,
      nullptr);
  DefineCustomIntVariable(
      "thaiyyal.payload_cache_size",
      "Plans of thaiyyal_execute payloads kept per backend, keyed by the payload (0 = none).",
      "Payloads over 1 MB are not cached.", &guc_payload_cache_size, guc_payload_cache_size, 0,
      100000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomEnumVariable("thaiyyal.record_nodes",
                           "Per-node results thaiyyal.run records in thaiyyal.run_nodes.",
                           "none: no node rows; errors: node rows of failed runs only; all: "
                           "every executed node with its output and duration.",
                           &guc_record_nodes, guc_record_nodes, kRecordNodesOptions, PGC_USERSET, 0,
                           nullptr, nullptr, nullptr);
  // A user setting like record_nodes: the run history of synchronous runs
  // is the caller's bookkeeping, not an audit trail (thaiyyal_execute runs
  // the same work unrecorded, and a failed synchronous run is rolled back
  // with its caller's transaction anyway). Queued runs always keep their
  // row: it is the queue.
  DefineCustomEnumVariable(
      "thaiyyal.record_runs", "Which synchronous thaiyyal.run calls are recorded in thaiyyal.runs.",
      "all: every run; failed: only failed runs (a failed synchronous run raises its error, which "
      "rolls back its caller's transaction, so today nothing); none: no run rows. Queued runs are "
      "always recorded.",
      &guc_record_runs, guc_record_runs, kRecordRunsOptions, PGC_USERSET, 0, nullptr, nullptr,
      nullptr);
}

int plan_cache_capacity() {
  return guc_plan_cache_size;
}

int payload_cache_capacity() {
  return guc_payload_cache_size;
}

int sql_plan_cache_capacity() {
  return guc_sql_plan_cache_size;
}

RecordNodes record_nodes_level() {
  return static_cast<RecordNodes>(guc_record_nodes);
}

RecordRuns record_runs_level() {
  return static_cast<RecordRuns>(guc_record_runs);
}

}  // namespace thaiyyal::pg
