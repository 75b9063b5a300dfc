// explain_workflow / attach_run / explain_text / explain_json
// (engine/plan/explain.hpp): what thaiyyal.explain shows.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/go/json.hpp"
#include "engine/plan/explain.hpp"
#include "engine/plan/plan.hpp"
#include "engine/run/execute.hpp"
#include "virtual_clock_support.hpp"

namespace thaiyyal {
namespace {

using testing::kMs;
using testing::VirtualClockHost;

// n -> check (n > 10): "true" -> big (waits 2 ms, then doubles),
//                      "false" -> small; both -> out.
constexpr std::string_view kBranching = R"({"workflow_id": "branching", "nodes": [
  {"id": "n", "type": "workflow_input", "data": {"field": "n", "default": 1}},
  {"id": "check", "type": "condition", "data": {"condition": "input > 10 && input < 100"}},
  {"id": "wait", "type": "delay", "data": {"duration": "2ms"}},
  {"id": "big", "type": "expression", "data": {"expression": "node.n * 2 + 1"}},
  {"id": "small", "type": "expression", "data": {"expression": "input.value"}},
  {"id": "out", "type": "visualization", "data": {"mode": "text"}}],
 "edges": [{"source": "n", "target": "check"},
           {"source": "check", "target": "wait", "sourceHandle": "true"},
           {"source": "wait", "target": "big"},
           {"source": "check", "target": "small", "sourceHandle": "false"},
           {"source": "big", "target": "out"}, {"source": "small", "target": "out"}]})";

WorkflowExplanation explain_run(std::string_view payload, std::string_view input) {
  WorkflowExplanation e = explain_workflow(parse_json(payload));
  VirtualClockHost host;
  RunOptions options;
  options.input = parse_json(input);
  options.record_node_timings = true;
  const std::int64_t started = host.monotonic_nanos();
  RunOutcome outcome = execute(*e.plan, host, Limits{}, options);
  attach_run(e, outcome, host.monotonic_nanos() - started);
  return e;
}

TEST(Explain, TextShowsOrderTypesInputsExpressionsAndConfig) {
  const WorkflowExplanation e = explain_workflow(parse_json(kBranching));
  EXPECT_EQ(explain_text(e),
            "Workflow \"branching\"  (6 nodes, 6 edges)\n"
            "  1. n: workflow_input\n"
            "       default: 1\n"
            "       field: \"n\"\n"
            "  2. check: condition\n"
            "       Inputs: n\n"
            "       Condition: ((input > 10) && (input < 100))\n"
            "       Handles: \"true\", \"false\"\n"
            "  3. wait: delay\n"
            "       Inputs: check on \"true\"\n"
            "       duration: \"2ms\"\n"
            "  4. small: expression\n"
            "       Inputs: check on \"false\"\n"
            "       Expression: input.value\n"
            "  5. big: expression\n"
            "       Inputs: wait\n"
            "       Expression: ((node.n * 2) + 1)\n"
            "  6. out: visualization\n"
            "       Inputs: big, small\n"
            "       mode: \"text\"\n");
}

TEST(Explain, ARunMarksExecutedSkippedNodesWithTimes) {
  const WorkflowExplanation e = explain_run(kBranching, R"({"n": 42})");
  const std::string text = explain_text(e);
  EXPECT_NE(text.find("  4. small: expression  (skipped)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  3. wait: delay  (succeeded, time=2.000 ms, output="), std::string::npos)
      << text;
  EXPECT_NE(text.find("  5. big: expression  (succeeded, time=0.000 ms, output=2 bytes)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Run: succeeded, time=2.000 ms, 5 executed, 1 skipped\n"), std::string::npos)
      << text;
}

TEST(Explain, AFailedNodeStopsTheRunAndLaterNodesAreNotReached) {
  constexpr std::string_view kFailing = R"({"nodes": [
    {"id": "a", "type": "number", "data": {"value": 3}},
    {"id": "gate", "type": "condition", "data": {"condition": "input > 5"}},
    {"id": "never", "type": "expression", "data": {"expression": "input"}},
    {"id": "boom", "type": "expression", "data": {"expression": "node.a / 0"}},
    {"id": "after", "type": "expression", "data": {"expression": "input + 1"}}],
   "edges": [{"source": "a", "target": "gate"},
             {"source": "gate", "target": "never", "sourceHandle": "true"},
             {"source": "gate", "target": "boom"}, {"source": "boom", "target": "after"}]})";
  const WorkflowExplanation e = explain_run(kFailing, "null");
  const std::string text = explain_text(e);
  EXPECT_NE(text.find("never: expression  (skipped)"), std::string::npos) << text;
  EXPECT_NE(text.find("boom: expression  (failed, time=0.000 ms)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("       Error: expression evaluation failed: division by zero\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("after: expression  (not reached)"), std::string::npos) << text;
  EXPECT_NE(text.find("Run: failed, time=0.000 ms, 3 executed (1 failed), 1 skipped, 1 not "
                      "reached\nError: error executing node boom: expression evaluation failed: "
                      "division by zero\n"),
            std::string::npos)
      << text;
}

TEST(Explain, JsonHasTheSameFacts) {
  const WorkflowExplanation e = explain_run(kBranching, R"({"n": 3})");
  const Value json = explain_json(e);
  EXPECT_EQ(to_json(*json.find("workflow_id")), R"("branching")");
  const Array& nodes = json.find("nodes")->as_array();
  ASSERT_EQ(nodes.size(), 6u);
  EXPECT_EQ(to_json(nodes[1]),
            R"({"config":{"condition":"input \u003e 10 \u0026\u0026 input \u003c 100"},)"
            R"("expressions":[{"error":null,"field":"condition",)"
            R"j("parsed":"((input \u003e 10) \u0026\u0026 (input \u003c 100))",)j"
            R"("source":"input \u003e 10 \u0026\u0026 input \u003c 100"}],)"
            R"("handles":["true","false"],"id":"check","inputs":[{"handle":null,"node":"n"}],)"
            R"("position":2,"problems":[],)"
            R"("run":{"error":null,"items":null,"output_bytes":144,"status":"succeeded",)"
            R"("time_ms":0},"type":"condition"})");
  EXPECT_EQ(to_json(*nodes[2].find("run")->find("status")), R"("skipped")");  // wait
  EXPECT_EQ(to_json(*json.find("run")),
            R"({"error":null,"executed":4,"failed":0,"label":null,"not_reached":0,)"
            R"("restored":0,"skipped":2,"status":"succeeded","time_ms":0})");
  EXPECT_EQ(to_json(json.find("edges")->as_array()[1]),
            R"({"handle":"true","id":null,"source":"check","target":"wait"})");
}

TEST(Explain, ProblemsAndUnparsableExpressionsAreShown) {
  const WorkflowExplanation e = explain_workflow(parse_json(R"({"nodes": [
    {"id": "x", "type": "expression", "data": {"expression": "1 +"}},
    {"id": "s", "type": "switch", "data": {"cases": [
        {"when": ">= 10", "output_path": "big"}, {"is_default": true}]}}],
    "edges": [{"source": "x", "target": "s"}]})"));
  EXPECT_EQ(explain_text(e),
            "Workflow  (2 nodes, 1 edge)\n"
            "  1. x: expression\n"
            "       Expression: \"1 +\" (does not parse: expression syntax error at position 3: "
            "unexpected end of expression)\n"
            "       Problem: expression syntax error at position 3: unexpected end of "
            "expression\n"
            "  2. s: switch\n"
            "       Inputs: x\n"
            "       cases[0].when: (>= 10)\n"
            "       cases: [{\"output_path\":\"big\",\"when\":\">= 10\"},{\"is_default\":true}]\n"
            "       Handles: \"big\", \"default\"\n");
}

TEST(Explain, EveryExpressionOfANodeIsListed) {
  const WorkflowExplanation e = explain_workflow(parse_json(R"({"nodes": [
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT $1, $2",
                                               "params": ["input.id", "input.n + 1"]}},
    {"id": "f", "type": "filter", "data": {"condition": ">= 2"}},
    {"id": "m", "type": "map", "data": {"expression": "item * 2"}},
    {"id": "r", "type": "reduce", "data": {"expression": "accumulator + item",
                                            "initial_value": 0}}]})"));
  std::string lines;
  for (const ExplainedNode& node : e.nodes) {
    for (const ExplainedExpression& x : node.expressions) {
      lines += node.id + " " + x.field + " " + x.parsed + "\n";
    }
  }
  EXPECT_EQ(lines,
            "f condition (>= 2)\n"
            "m expression (item * 2)\n"
            "q params[0] input.id\n"
            "q params[1] (input.n + 1)\n"
            "r expression (accumulator + item)\n");
}

TEST(Explain, NodeStatesForStatistics) {
  WorkflowExplanation e = explain_workflow(parse_json(kBranching));
  VirtualClockHost host;
  RunOptions options;
  options.input = parse_json(R"({"n": 42})");
  options.record_node_timings = true;
  const RunOutcome outcome = execute(*e.plan, host, Limits{}, options);
  EXPECT_EQ(outcome.duration_ns, 2 * kMs);
  const std::vector<NodeRunReport::State> states = node_states(*e.plan, outcome);
  std::string text;
  for (std::size_t i = 0; i < states.size(); ++i) {
    text += e.plan->nodes[i].id + "=" + std::string(node_state_name(states[i])) + " ";
  }
  EXPECT_EQ(text,
            "n=succeeded check=succeeded wait=succeeded big=succeeded small=skipped "
            "out=succeeded ");
  // a, gate (true handle not taken) -> never; gate -> boom (fails) -> after.
  const auto failing = compile_workflow(parse_json(R"({"nodes": [
    {"id": "a", "type": "number", "data": {"value": 3}},
    {"id": "gate", "type": "condition", "data": {"condition": "input > 5"}},
    {"id": "never", "type": "expression", "data": {"expression": "input"}},
    {"id": "boom", "type": "expression", "data": {"expression": "node.a / 0"}},
    {"id": "after", "type": "expression", "data": {"expression": "input + 1"}}],
   "edges": [{"source": "a", "target": "gate"},
             {"source": "gate", "target": "never", "sourceHandle": "true"},
             {"source": "gate", "target": "boom"}, {"source": "boom", "target": "after"}]})"));
  const RunOutcome failed = execute(*failing, host, Limits{}, options);
  ASSERT_EQ(failed.status, RunOutcome::Status::NodeFailed) << failed.error;
  text.clear();
  for (NodeRunReport::State state : node_states(*failing, failed)) {
    text += std::string(node_state_name(state)) + " ";
  }
  EXPECT_EQ(text, "succeeded succeeded skipped failed not reached ");
}

TEST(Explain, CompileErrorsAreThoseOfCompileWorkflow) {
  EXPECT_THROW(explain_workflow(parse_json(R"({"nodes": [{"id": "a", "type": "number"}],
      "edges": [{"source": "a", "target": "b"}]})")),
               PayloadError);
}

TEST(Explain, StoredStatesCompleteAsSkippedOrNotReached) {
  WorkflowExplanation e = explain_workflow(parse_json(kBranching));
  // As thaiyyal.run_nodes would give them: n, check, small (failed).
  auto report = [](NodeRunReport::State state) {
    NodeRunReport r;
    r.state = state;
    return r;
  };
  e.find("n")->run = report(NodeRunReport::State::Restored);
  e.find("check")->run = report(NodeRunReport::State::Succeeded);
  e.find("small")->run = report(NodeRunReport::State::Failed);
  complete_node_states(e, false);
  EXPECT_EQ(e.find("wait")->run->state, NodeRunReport::State::Skipped);  // before "small"
  EXPECT_EQ(e.find("big")->run->state, NodeRunReport::State::NotReached);
  EXPECT_EQ(e.find("out")->run->state, NodeRunReport::State::NotReached);
  // Nothing recorded: nothing is known.
  WorkflowExplanation blank = explain_workflow(parse_json(kBranching));
  complete_node_states(blank, true);
  EXPECT_FALSE(blank.find("out")->run.has_value());
  EXPECT_EQ(node_state_from_name("restored"), NodeRunReport::State::Restored);
  EXPECT_EQ(node_state_from_name("running"), NodeRunReport::State::Unknown);
}

}  // namespace
}  // namespace thaiyyal
