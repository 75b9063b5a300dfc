// What the slow-run log (thaiyyal.log_min_duration) says about a run: its
// duration, the workflow, the run and its slowest nodes, in one line that
// reads like PostgreSQL's own "duration: ... ms  statement: ..." line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/plan/plan.hpp"
#include "engine/run/execute.hpp"

namespace thaiyyal {

struct NodeTime {
  std::string_view id;
  std::string_view type;
  std::int64_t duration_ns = 0;
};

// The `count` executed nodes that took longest (RunOptions::record_node_timings),
// longest first; ties in execution order. Views into the plan.
std::vector<NodeTime> slowest_nodes(const WorkflowPlan& plan, const RunOutcome& outcome,
                                    std::size_t count = 3);

// "duration: 12.345 ms  workflow: <workflow>  run: <run>  status: <status>
// slowest nodes: fetch (http) 10.000 ms, ...". `workflow` and `run` are
// given as they should read ("\"orders\" revision 7", "42", "none");
// "slowest nodes: none recorded" when there are none.
std::string slow_run_message(std::int64_t duration_ns, std::string_view workflow,
                             std::string_view run, std::string_view status,
                             const std::vector<NodeTime>& slowest);

}  // namespace thaiyyal
