// A description of a compiled workflow, for thaiyyal.explain and the
// pictures of thaiyyal.to_mermaid / thaiyyal.to_dot (graph_text.hpp): the
// execution order, every node's type, its configuration as decoded (only
// the fields the type declares, nulls dropped) and its expressions as the
// parser understood them, the edges with their handles, the handles a node
// emits, and the problems it will report whenever it runs. Optionally what
// one run did: per node succeeded / failed / skipped / not reached (and
// "restored" for nodes a resumed run took from a checkpoint), its time,
// output size and error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/plan/compile.hpp"
#include "engine/run/execute.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

struct ExplainedExpression {
  std::string field;   // "condition", "cases[0].when", "params[1]"
  std::string source;  // as written
  std::string parsed;  // expr::CompiledExpression::parsed(); "" when it does not parse
  std::string error;   // the compile error, "" when it parses
};

struct ExplainedInput {
  std::string node_id;
  std::optional<std::string> handle;  // nullopt: unconditional
};

// What happened to a node in one run.
struct NodeRunReport {
  enum class State {
    Unknown,     // nothing is known (a stored run without node rows)
    Succeeded,   // executed
    Failed,      // executed and failed: the run stopped there
    Skipped,     // no incoming edge was taken (execution.md §5.1)
    NotReached,  // the run stopped before its turn
    Restored,    // taken from a checkpoint by a resumed run, not executed again
  };
  State state = State::Unknown;
  std::optional<std::int64_t> duration_ns;
  std::optional<std::int64_t> output_bytes;  // JSON text of the output
  std::optional<std::int64_t> items;         // elements of an array output
  std::string error;
};

std::string_view node_state_name(NodeRunReport::State state);
// "succeeded", "failed", "skipped", "restored" (a run_nodes status); any
// other text is Unknown.
NodeRunReport::State node_state_from_name(std::string_view name);

struct ExplainedNode {
  std::size_t index = 0;     // payload order
  std::size_t position = 0;  // 1-based, execution order
  std::string id;
  std::string type;
  Value config;  // an object: the decoded data (the data as given for a type without executor)
  std::vector<ExplainedExpression> expressions;
  std::vector<ExplainedInput> inputs;  // payload edge order
  std::optional<std::vector<std::string>> handles;
  std::vector<std::string> problems;
  std::optional<NodeRunReport> run;
};

struct ExplainedEdge {
  std::string id;  // "" when the payload gives none
  std::string source;
  std::string target;
  std::optional<std::string> handle;
};

// The run as a whole.
struct RunSummary {
  std::string label;   // e.g. "run 42"; "" for a run made by explain itself
  std::string status;  // succeeded | failed | timed out | queued | running | cancelled | ...
  std::optional<std::int64_t> duration_ns;
  std::string error;
};

struct WorkflowExplanation {
  std::string workflow_id;
  // Names the workflow in titles instead of its workflow_id when set (a
  // stored workflow: `"order_total" version 3`).
  std::string heading;
  std::shared_ptr<const WorkflowPlan> plan;
  std::vector<ExplainedNode> nodes;  // execution order
  std::vector<ExplainedEdge> edges;  // payload order
  std::optional<RunSummary> run;

  // The node with the given payload index, or id.
  ExplainedNode& node_at(std::size_t index);
  ExplainedNode* find(std::string_view id);
};

// Decodes and compiles (throws PayloadError exactly as compile_workflow)
// and describes the plan; `plan` is the compiled plan, ready to run.
WorkflowExplanation explain_workflow(const Value& payload);

// Attaches what a run of `explanation.plan` did, executed with
// RunOptions::record_node_timings: per node state, time, output size
// (from the Result) and error; nodes not executed become skipped or not
// reached (complete_node_states). `duration_ns` is the run's wall time.
void attach_run(WorkflowExplanation& explanation, const RunOutcome& outcome,
                std::int64_t duration_ns);

// Nodes without a state: in a run that completed, skipped; in a run that
// stopped, skipped when they come before the last node with a state in
// execution order, not reached after it. Nodes with a state keep it. With
// no node state at all (nothing recorded), nothing changes.
void complete_node_states(WorkflowExplanation& explanation, bool run_completed);

// What a run did to every node of the plan, by payload index, from its
// node timings (RunOptions::record_node_timings): Succeeded or Failed for
// executed nodes, Skipped or NotReached for the others (as
// complete_node_states decides). For statistics: no names, no outputs.
std::vector<NodeRunReport::State> node_states(const WorkflowPlan& plan, const RunOutcome& outcome);
// The same into `states` (its capacity reused run after run).
void node_states(const WorkflowPlan& plan, const RunOutcome& outcome,
                 std::vector<NodeRunReport::State>& states);

// Text that reads like PostgreSQL's EXPLAIN: one line per node in
// execution order, its details indented below. Lines end with '\n'.
std::string explain_text(const WorkflowExplanation& explanation);
// The same as a JSON object (keys sorted).
Value explain_json(const WorkflowExplanation& explanation);

// Whether the configuration's `key` is shown through the node's
// expressions instead (`condition`; `params` of sql_query, element by
// element).
bool config_key_is_expression(const ExplainedNode& node, std::string_view key);

// Milliseconds with three decimals, e.g. "0.012".
std::string format_ms(std::int64_t nanos);

}  // namespace thaiyyal
