// How a run proceeds: inputs, conditional edges and skipping, the Result,
// limits (execution.md §3, §5, §7, §8; workflow-format.md §7).
#include <gtest/gtest.h>

#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::run_workflow;

// JSON text without Go's HTML escaping of <, >, & (easier to read here).
std::string plain(const Value* v) {
  return v == nullptr ? "<absent>" : to_json(*v, JsonStyle::Plain);
}

TEST(Execution, InputsArriveInEdgeOrderNotNodeOrder) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":10}},
      {"id":"b","type":"number","data":{"value":4}},
      {"id":"c","type":"operation","data":{"op":"subtract"}}],
    "edges":[{"source":"b","target":"c"},{"source":"a","target":"c"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("c")), "-6");
  EXPECT_EQ(json(r.final_output()), "-6");
}

TEST(Execution, DuplicateEdgesDeliverTheValueTwice) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":10}},
      {"id":"c","type":"operation","data":{"op":"add"}}],
    "edges":[{"source":"a","target":"c"},{"source":"a","target":"c"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("c")), "20");
}

constexpr const char* kBranching = R"({"nodes":[
    {"id":"n","type":"number","data":{"value":25}},
    {"id":"c","type":"condition","data":{"condition":">=18"}},
    {"id":"t","type":"visualization","data":{}},
    {"id":"f","type":"visualization","data":{}},
    {"id":"tu","type":"visualization","data":{}},
    {"id":"fu","type":"visualization","data":{}}],
  "edges":[{"source":"n","target":"c"},
    {"source":"c","target":"t","sourceHandle":"true"},
    {"source":"c","target":"f","sourceHandle":"false"},
    {"source":"t","target":"tu"},{"source":"f","target":"fu"}]})";

TEST(Execution, UntakenBranchesAreSkippedTransitively) {
  auto r = run_workflow(kBranching);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NE(r.node("t"), nullptr);
  EXPECT_NE(r.node("tu"), nullptr);
  EXPECT_EQ(r.node("f"), nullptr);
  EXPECT_EQ(r.node("fu"), nullptr);
  // What flows down a branch is the condition's whole output.
  EXPECT_EQ(
      plain(r.node("tu")),
      R"({"condition":">=18","condition_met":true,"false_path":false,"path":"true","true_path":true,"value":25})");
  EXPECT_EQ(json(r.final_output()), json(r.node("tu")));
}

TEST(Execution, HandlesOnNodesWithoutRoutingFieldsAreNeverSatisfied) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"v","type":"visualization","data":{}},
      {"id":"w","type":"visualization","data":{}}],
    "edges":[{"source":"a","target":"v","sourceHandle":"out"},
             {"source":"a","target":"w","sourceHandle":null,"targetHandle":"in"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.node("v"), nullptr);
  EXPECT_EQ(json(r.node("w")), "1");
}

TEST(Execution, LegacyConditionFieldActsAsSourceHandle) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"c","type":"condition","data":{"condition":">10"}},
      {"id":"t","type":"visualization","data":{}},
      {"id":"f","type":"visualization","data":{}}],
    "edges":[{"source":"n","target":"c"},
      {"source":"c","target":"t","condition":"true"},
      {"source":"c","target":"f","condition":"false"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.node("t"), nullptr);
  EXPECT_NE(r.node("f"), nullptr);
}

TEST(Execution, AnUnconditionalEdgeFromAnExecutedSourceAlwaysWinsAndAllValuesFlow) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"c","type":"condition","data":{"condition":">10"}},
      {"id":"j","type":"transform","data":{"transform_type":"to_array"}}],
    "edges":[{"source":"n","target":"c"},
      {"source":"c","target":"j","sourceHandle":"true"},
      {"source":"n","target":"j"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  // The unsatisfied conditional edge still contributes its source's value.
  EXPECT_EQ(
      plain(r.node("j")),
      R"([{"condition":">10","condition_met":false,"false_path":true,"path":"false","true_path":false,"value":5},5])");
}

TEST(Execution, SwitchOutputPathSelectsTheBranch) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":75}},
      {"id":"s","type":"switch","data":{"cases":[
          {"when":"input > 90","output_path":"A"},
          {"when":"input > 70","output_path":"B"},
          {"is_default":true,"output_path":"F"}]}},
      {"id":"a","type":"visualization","data":{}},
      {"id":"b","type":"visualization","data":{}},
      {"id":"f","type":"visualization","data":{}}],
    "edges":[{"source":"n","target":"s"},
      {"source":"s","target":"a","sourceHandle":"A"},
      {"source":"s","target":"b","sourceHandle":"B"},
      {"source":"s","target":"f","sourceHandle":"F"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(plain(r.node("s")),
            R"({"case":"input > 70","case_index":1,"matched":true,"output_path":"B","value":75})");
  EXPECT_EQ(r.node("a"), nullptr);
  EXPECT_NE(r.node("b"), nullptr);
  EXPECT_EQ(r.node("f"), nullptr);
}

TEST(Execution, AFailingNodeDiscardsAllResults) {
  auto r = run_workflow(R"({"workflow_id":"w1","nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"number","data":{"value":0}},
      {"id":"d","type":"operation","data":{"op":"divide"}}],
    "edges":[{"source":"a","target":"d"},{"source":"b","target":"d"}]})");
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::NodeFailed);
  EXPECT_EQ(r.error(), "error executing node d: division by zero");
  EXPECT_EQ(r.outcome.failed_node_id, "d");
  EXPECT_EQ(r.outcome.failed_node_type, "operation");
  EXPECT_EQ(json(r.result.find("node_results")), "{}");
  EXPECT_TRUE(r.final_output().is_null());
  EXPECT_EQ(json(r.result.find("errors")), R"(["error executing node d: division by zero"])");
  EXPECT_EQ(json(r.result.find("workflow_id")), "\"w1\"");
}

TEST(Execution, SkippedNodesNeverReportErrors) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":1}},
      {"id":"c","type":"condition","data":{"condition":">10"}},
      {"id":"bad","type":"mystery","data":{}}],
    "edges":[{"source":"n","target":"c"},{"source":"c","target":"bad","sourceHandle":"true"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r.node("bad"), nullptr);
}

TEST(Execution, FinalOutputIsTheFirstTerminalNodeInPayloadOrder) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"z","type":"number","data":{"value":1}},
      {"id":"a","type":"number","data":{"value":2}},
      {"id":"m","type":"number","data":{"value":3}}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.final_output()), "1");
}

TEST(Execution, ContextNodesAreFinalOutputOnlyWhenNothingElseQualifies) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"ctx","type":"context_constant","data":{"context_values":[{"name":"k","value":1,"type":"number"}]}},
      {"id":"n","type":"number","data":{"value":7}}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.final_output()), "7");
  auto only = run_workflow(R"({"nodes":[
      {"id":"ctx","type":"context_variable","data":{"context_name":"k","context_value":3}}]})");
  ASSERT_TRUE(only.ok()) << only.error();
  EXPECT_EQ(json(only.final_output()), R"({"name":"k","type":"variable","value":3})");
}

TEST(Execution, ResultCarriesARandomExecutionIdAndTheWorkflowId) {
  auto a = run_workflow(R"({"workflow_id":"demo","nodes":[]})");
  auto b = run_workflow(R"({"workflow_id":"demo","nodes":[]})");
  const std::string id = a.result.find("execution_id")->as_string();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(id, b.result.find("execution_id")->as_string());
  EXPECT_EQ(a.result.find("workflow_id")->as_string(), "demo");
  EXPECT_EQ(run_workflow(R"({"nodes":[]})").result.find("workflow_id"), nullptr);
}

TEST(Execution, ResultJsonKeepsTheReferenceFieldOrder) {
  auto r = run_workflow(
      R"({"workflow_id":"w","nodes":[{"id":"a","type":"number","data":{"value":1}}]})");
  std::string text = result_to_json(r.outcome.result);
  EXPECT_EQ(text.substr(0, 17), "{\"execution_id\":\"");
  EXPECT_EQ(text.substr(34), R"(,"workflow_id":"w","node_results":{"a":1},"final_output":1})");
}

TEST(Execution, MaxNodeExecutionsCountsOnlyExecutedNodes) {
  Limits limits;
  limits.max_node_executions = 2;
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"number","data":{"value":2}},
      {"id":"c","type":"number","data":{"value":3}}]})",
                        limits);
  EXPECT_EQ(r.error(), "error executing node c: maximum node executions exceeded: 3 (limit: 2)");
  limits.max_node_executions = 3;
  EXPECT_TRUE(run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"number","data":{"value":2}},
      {"id":"c","type":"number","data":{"value":3}}]})",
                           limits)
                  .ok());
}

// A host whose clock jumps forward one minute per reading.
class JumpingClockHost final : public Host {
 public:
  void check_interrupts() override {}
  std::int64_t now_unix_nanos() override { return 0; }
  std::int64_t monotonic_nanos() override { return ticks_++ * 60'000'000'000LL; }
  void sleep_nanos(std::int64_t) override {}
  void log_debug(std::string_view) override {}

 private:
  std::int64_t ticks_ = 0;
};

TEST(Execution, TheWorkflowTimeLimitIsCheckedBetweenNodes) {
  JumpingClockHost host;
  Limits limits;
  limits.max_execution_time_ms = 90'000;
  auto plan = compile_workflow(parse_json(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"number","data":{"value":2}},
      {"id":"c","type":"number","data":{"value":3}}]})"));
  RunOutcome out = execute(*plan, host, limits);
  EXPECT_EQ(out.status, RunOutcome::Status::TimedOut);
  EXPECT_EQ(out.error, "workflow execution timeout: exceeded 1m30s");
  EXPECT_TRUE(out.result.node_results.empty());
  EXPECT_TRUE(out.result.errors.empty());
}

TEST(Execution, APlanCanBeExecutedManyTimes) {
  auto plan = compile_workflow(parse_json(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":2}},
      {"id":"v","type":"variable","data":{"var_name":"x","var_op":"set"}}],
    "edges":[{"source":"n","target":"v"}]})"));
  StandaloneHost host;
  for (int i = 0; i < 3; ++i) {
    RunOutcome out = execute(*plan, host, Limits{});
    ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
    EXPECT_EQ(to_json(*out.result.node_results.find("v")),
              R"({"operation":"set","value":2,"var_name":"x"})");
  }
}

}  // namespace
}  // namespace thaiyyal
