// The engine's public API, the one header its hosts (the PostgreSQL
// extension, the benchmarks, the fuzzer) include:
//
//   auto plan = thaiyyal::compile_workflow(payload);     // throws PayloadError
//   thaiyyal::RunOutcome out = thaiyyal::execute(*plan, host, limits);
//   thaiyyal::Value result = thaiyyal::result_to_value(std::move(out.result));
//
// Payload -> plan lives in engine/plan/, plan -> Result in engine/run/; the
// environment (SQL, HTTP, clocks, cancellation, stack depth) reaches the
// engine only through Host (engine/run/host.hpp).
#pragma once

#include "engine/common/no_postgres.hpp"
#include "engine/plan/check.hpp"           // check_workflow: problems visible without running
#include "engine/plan/compile.hpp"         // compile_workflow, PayloadError, plan_node_info
#include "engine/plan/rerun_scope.hpp"     // nodes_to_execute_again (retry, fork)
#include "engine/run/execute.hpp"          // execute, RunOutcome, Result, result_to_value
#include "engine/run/host.hpp"             // Host
#include "engine/run/journaling_host.hpp"  // durable runs: RunJournal, JournalingHost
#include "engine/run/limits.hpp"           // Limits
#include "engine/run/node_error.hpp"       // NodeError (thrown by SqlService implementations)
#include "engine/run/sql_service.hpp"      // SqlService (the SQL nodes' host side)
#include "engine/value/value.hpp"          // Value
