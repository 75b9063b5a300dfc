// Configuration parameters of stored workflows, run recording and the SQL
// nodes (the Limits parameters are in gucs.hpp):
//
//   thaiyyal.tenant               the tenant this session acts for ('' = the
//                                 current role's name); read by SQL through
//                                 thaiyyal.current_tenant()
//   thaiyyal.plan_cache_size      compiled workflow plans kept per backend
//   thaiyyal.sql_plan_cache_size  prepared sql_query / sql_batch statements
//                                 kept per backend
//   thaiyyal.payload_cache_size   thaiyyal_execute plans kept per backend,
//                                 keyed by the payload's jsonb bytes
//   thaiyyal.record_nodes         none | errors | all: per-node rows that
//                                 thaiyyal.run writes to thaiyyal.run_nodes
//   thaiyyal.record_runs          all | failed | none: which synchronous
//                                 thaiyyal.run calls leave a run row
#pragma once

namespace thaiyyal::pg {

enum class RecordNodes { None, Errors, All };
enum class RecordRuns { All, Failed, None };

// Registers the parameters; called by define_gucs() (inside pg_call)
// before the "thaiyyal" prefix is reserved.
void define_catalog_gucs() noexcept;

int plan_cache_capacity();
int sql_plan_cache_capacity();
int payload_cache_capacity();
RecordNodes record_nodes_level();
RecordRuns record_runs_level();

}  // namespace thaiyyal::pg
