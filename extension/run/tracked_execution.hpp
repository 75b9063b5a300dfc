// Executing a plan with its statistics (extension/stats): what
// thaiyyal_execute and thaiyyal.run share between compiling and reporting.
#pragma once

#include "engine/thaiyyal.hpp"

#include "extension/run/pg_host.hpp"
#include "extension/stats/counting_sql.hpp"
#include "extension/stats/run_tracker.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// Executes `plan` on a PgHost whose SQL nodes go through `sql` (counted for
// the tracker), with the tracker started around it. An error of the run, of
// the host or of `sql` finishes the tracker and propagates; otherwise the
// caller finishes it (thaiyyal.run only once the run is recorded).
template <class Sql>
RunOutcome execute_tracked(const WorkflowPlan& plan, Sql& sql, const Limits& limits,
                           const RunOptions& options, RunTracker& tracker) {
  CountingSql counted(sql);
  PgHost host;
  host.set_sql(&counted);
  RunOutcome outcome;
  tracker.start();
  try {
    outcome = execute(plan, host, limits, options);
    host.rethrow_pending_error();
    sql.rethrow_pending_error();
  } catch (...) {
    tracker.set_sql_rows(counted.rows_read(), counted.rows_written());
    tracker.finish_with_current_exception();
    throw;
  }
  tracker.set_sql_rows(counted.rows_read(), counted.rows_written());
  return outcome;
}

}  // namespace thaiyyal::pg
