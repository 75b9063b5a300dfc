// Loop and flow nodes (nodes.md): for_each, while_loop, parallel, join,
// split, delay. Loops only count and parallel/join only package inputs
// (execution.md §9); delay really waits, through the host, and never past
// the workflow deadline.
#include <gtest/gtest.h>

#include <chrono>

#include "engine/tests/test_support.hpp"
#include "engine/tests/virtual_clock_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::kMs;
using testing::kSec;
using testing::payload_error;
using testing::run_node;
using testing::run_node_values;
using testing::run_on;
using testing::run_workflow;
using testing::VirtualClockHost;

// --- for_each ---------------------------------------------------------------

TEST(FlowForEach, OnlyCountsTheElements) {
  EXPECT_EQ(run_node("for_each", "{}", {"[1,2,3]"}),
            R"({"failed":0,"input_count":3,"iterations":3,"successful":3})");
  EXPECT_EQ(run_node("for_each", "{}", {"[]"}),
            R"({"failed":0,"input_count":0,"iterations":0,"successful":0})");
  EXPECT_EQ(run_node("for_each", "{}", {"[1]", "[1,2]"}),  // only in[0]
            R"({"failed":0,"input_count":1,"iterations":1,"successful":1})");
}

TEST(FlowForEach, CountsAreGoInts) {
  // An int count is not a number for `operation` (values.md §1.1).
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"arr","type":"transform","data":{"transform_type":"to_array"}},
      {"id":"f","type":"for_each","data":{}}],
    "edges":[{"source":"a","target":"arr"},{"source":"arr","target":"f"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  const Value* f = r.node("f");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->find("input_count")->is_int());
  EXPECT_TRUE(f->find("iterations")->is_int());
  EXPECT_TRUE(f->find("successful")->is_int());
  EXPECT_TRUE(f->find("failed")->is_int());
}

TEST(FlowForEach, RefusesArraysLongerThanMaxIterations) {
  EXPECT_EQ(run_node("for_each", R"({"max_iterations":2})", {"[1,2,3]"}),
            "error: for_each exceeds max iterations: 3 > 2");
  EXPECT_EQ(run_node("for_each", R"({"max_iterations":3})", {"[1,2,3]"}),
            R"({"failed":0,"input_count":3,"iterations":3,"successful":3})");
}

TEST(FlowForEach, MaxIterationsDefaultsTo1000AndNonPositiveMeansTheDefault) {
  std::string big = "[0";
  for (int i = 1; i < 1001; ++i) big += ",0";
  big += "]";
  EXPECT_EQ(run_node("for_each", "{}", {big}),
            "error: for_each exceeds max iterations: 1001 > 1000");
  EXPECT_EQ(run_node("for_each", R"({"max_iterations":0})", {big}),
            "error: for_each exceeds max iterations: 1001 > 1000");
  EXPECT_EQ(run_node("for_each", R"({"max_iterations":-5})", {big}),
            "error: for_each exceeds max iterations: 1001 > 1000");
  EXPECT_EQ(run_node("for_each", R"({"max_iterations":2000})", {big}),
            R"({"failed":0,"input_count":1001,"iterations":1001,"successful":1001})");
}

TEST(FlowForEach, NeedsAnArrayInput) {
  EXPECT_EQ(run_node("for_each", "{}"), "error: for_each node needs at least 1 input");
  EXPECT_EQ(run_node("for_each", "{}", {R"("abc")"}),
            "error: for_each node requires array input, got string");
  EXPECT_EQ(run_node("for_each", "{}", {"5"}),
            "error: for_each node requires array input, got float64");
  EXPECT_EQ(run_node("for_each", "{}", {"null"}),
            "error: for_each node requires array input, got <nil>");
  EXPECT_EQ(run_node("for_each", "{}", {R"({"a":[1]})"}),
            "error: for_each node requires array input, got map[string]interface {}");
  // A CSV parse result is not an array (values.md §1.2).
  EXPECT_EQ(run_node_values("for_each", "{}", {Value::record_list({})}),
            "error: for_each node requires array input, got []map[string]interface {}");
}

TEST(FlowForEach, MaxIterationsIsAnInteger) {
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"n","type":"for_each","data":{"max_iterations":2.5}}]})"),
      "failed to parse payload: failed to unmarshal data for node n (type for_each): json: "
      "cannot unmarshal number 2.5 into Go struct field ForEachData.max_iterations of type "
      "int");
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"n","type":"for_each","data":{"max_iterations":"5"}}]})"),
      "failed to parse payload: failed to unmarshal data for node n (type for_each): json: "
      "cannot unmarshal string into Go struct field ForEachData.max_iterations of type int");
}

// --- while_loop -------------------------------------------------------------

TEST(FlowWhileLoop, AFalseConditionMeansZeroIterations) {
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5"})", {"3"}),
            R"({"condition":"\u003e5","final_value":3,"iterations":0})");
  EXPECT_EQ(run_node("while_loop", R"({"condition":"false"})", {R"("x")"}),
            R"({"condition":"false","final_value":"x","iterations":0})");
}

TEST(FlowWhileLoop, ATrueConditionStaysTrueUntilTheLimit) {
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5","max_iterations":7})", {"30"}),
            "error: while_loop exceeded max iterations: 7");
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5"})", {"30"}),
            "error: while_loop exceeded max iterations: 100");
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5","max_iterations":0})", {"30"}),
            "error: while_loop exceeded max iterations: 100");
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5","max_iterations":-1})", {"30"}),
            "error: while_loop exceeded max iterations: 100");
  EXPECT_EQ(run_node("while_loop", R"({"condition":"true","max_iterations":3})", {"null"}),
            "error: while_loop exceeded max iterations: 3");
}

TEST(FlowWhileLoop, UsesOnlyTheSimpleNumericTest) {
  // Expression-style conditions are always false here.
  EXPECT_EQ(run_node("while_loop", R"({"condition":"input > 5"})", {"30"}),
            R"({"condition":"input \u003e 5","final_value":30,"iterations":0})");
  // An object's numeric `value` is the subject.
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5","max_iterations":2})", {R"({"value":30})"}),
            "error: while_loop exceeded max iterations: 2");
  // Go ints do not qualify (values.md §1.1).
  EXPECT_EQ(run_node_values("while_loop", R"({"condition":">5"})", {Value::integer(30)}),
            R"({"condition":"\u003e5","final_value":30,"iterations":0})");
}

TEST(FlowWhileLoop, NeedsAnInputAndACondition) {
  EXPECT_EQ(run_node("while_loop", R"({"condition":">5"})"),
            "error: while_loop node needs at least 1 input");
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"w","type":"while_loop","data":{"max_iterations":3}}]})"),
      "failed to parse payload: failed to unmarshal data for node w (type while_loop): "
      "missing required field: condition");
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"w","type":"while_loop","data":{"condition":">1","max_iterations":1e2}}]})"),
      "failed to parse payload: failed to unmarshal data for node w (type while_loop): json: "
      "cannot unmarshal number 100 into Go struct field WhileLoopData.max_iterations of type "
      "int");
}

// --- parallel ---------------------------------------------------------------

TEST(FlowParallel, CollectsAllInputs) {
  EXPECT_EQ(run_node("parallel", "{}", {"1", R"("x")"}),
            R"({"concurrency":10,"count":2,"results":[1,"x"]})");
  EXPECT_EQ(run_node("parallel", R"({"max_concurrency":1,"timeout":"1s"})", {"null"}),
            R"({"concurrency":1,"count":1,"results":[null]})");
}

TEST(FlowParallel, InputsArriveInEdgeOrder) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"text_input","data":{"text":"x"}},
      {"id":"p","type":"parallel","data":{"max_concurrency":3}}],
    "edges":[{"source":"b","target":"p"},{"source":"a","target":"p"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("p")), R"({"concurrency":3,"count":2,"results":["x",1]})");
}

TEST(FlowParallel, NeedsAnInput) {
  EXPECT_EQ(run_node("parallel", "{}"), "error: parallel node requires at least one input");
  EXPECT_EQ(run_node("parallel", R"({"max_concurrency":0})"),
            "error: parallel node requires at least one input");
}

TEST(FlowParallel, RejectsConcurrencyOnWhichTheReferenceHangsOrCrashes) {
  // The reference blocks until the workflow timeout on 0 and panics on
  // negative values (execution.md §8.4).
  EXPECT_EQ(run_node("parallel", R"({"max_concurrency":0})", {"1"}),
            "error: max_concurrency must be positive, got 0");
  EXPECT_EQ(run_node("parallel", R"({"max_concurrency":-2})", {"1"}),
            "error: max_concurrency must be positive, got -2");
}

TEST(FlowParallel, MaxConcurrencyIsAnInteger) {
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"p","type":"parallel","data":{"max_concurrency":2.5}}]})"),
      "failed to parse payload: failed to unmarshal data for node p (type parallel): json: "
      "cannot unmarshal number 2.5 into Go struct field ParallelData.max_concurrency of type "
      "int");
}

// --- join -------------------------------------------------------------------

TEST(FlowJoin, PackagesInputsByStrategy) {
  EXPECT_EQ(run_node("join", "{}", {"1", R"("x")"}),
            R"({"count":2,"strategy":"all","values":[1,"x"]})");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"all"})", {"1", R"("x")"}),
            R"({"count":2,"strategy":"all","values":[1,"x"]})");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"any"})", {"1", R"("x")"}),
            R"({"count":2,"strategy":"any","value":1})");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"first","timeout":"1s"})", {"1", R"("x")"}),
            R"({"strategy":"first","value":1})");
}

TEST(FlowJoin, ReportsMissingInputsAndUnknownStrategies) {
  EXPECT_EQ(run_node("join", "{}"),
            "error: join node with 'all' strategy requires at least one input");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"any"})"),
            "error: join node with 'any' strategy has no inputs");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"first"})"),
            "error: join node with 'first' strategy has no inputs");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"race"})", {"1"}),
            "error: unsupported join strategy: race (use all, any, or first)");
  EXPECT_EQ(run_node("join", R"({"join_strategy":"All"})", {"1"}),
            "error: unsupported join strategy: All (use all, any, or first)");
  EXPECT_EQ(run_node("join", R"({"join_strategy":""})", {"1"}),
            "error: unsupported join strategy:  (use all, any, or first)");
}

TEST(FlowJoin, ConvergesWhicheverBranchRan) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":25}},
      {"id":"c","type":"condition","data":{"condition":">=18"}},
      {"id":"t","type":"text_input","data":{"text":"adult"}},
      {"id":"f","type":"text_input","data":{"text":"minor"}},
      {"id":"j","data":{"join_strategy":"all"}}],
    "edges":[{"source":"n","target":"c"},
      {"source":"c","target":"t","sourceHandle":"true"},
      {"source":"c","target":"f","sourceHandle":"false"},
      {"source":"f","target":"j"},{"source":"t","target":"j"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("j")), R"({"count":1,"strategy":"all","values":["adult"]})");
}

// --- split ------------------------------------------------------------------

TEST(FlowSplit, CopiesTheInputToEveryPath) {
  EXPECT_EQ(run_node("split", R"({"paths":["p1","p2"]})", {"1"}),
            R"({"outputs":{"p1":1,"p2":1},"paths":["p1","p2"],"value":1})");
  // Duplicates collapse in `outputs` but not in `paths`; a null path is "".
  EXPECT_EQ(
      run_node("split", R"({"paths":["b","a","b",null]})", {R"({"k":[1]})"}),
      R"({"outputs":{"":{"k":[1]},"a":{"k":[1]},"b":{"k":[1]}},"paths":["b","a","b",""],"value":{"k":[1]}})");
}

TEST(FlowSplit, PathsAreNotHandles) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":1}},
      {"id":"s","data":{"paths":["p1","p2"]}},
      {"id":"v","type":"visualization","data":{}}],
    "edges":[{"source":"n","target":"s"},{"source":"s","target":"v","sourceHandle":"p1"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_NE(r.node("s"), nullptr);
  EXPECT_EQ(r.node("v"), nullptr);
}

TEST(FlowSplit, NeedsPathsAndAnInput) {
  EXPECT_EQ(run_node("split", R"({"paths":["p"]})"),
            "error: split node requires at least one input");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"s","type":"split","data":{}}]})"),
            "failed to parse payload: failed to unmarshal data for node s (type split): missing "
            "required field: paths");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"s","type":"split","data":{"paths":[]}}]})"),
            "failed to parse payload: failed to unmarshal data for node s (type split): missing "
            "required field: paths");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"s","type":"split","data":{"paths":[1]}}]})"),
            "failed to parse payload: failed to unmarshal data for node s (type split): json: "
            "cannot unmarshal number into Go struct field SplitData.paths of type string");
}

// --- delay ------------------------------------------------------------------

TEST(FlowDelay, WaitsAndPassesTheInputOn) {
  EXPECT_EQ(run_node("delay", R"({"duration":"10"})", {"1"}),
            R"({"delayed":true,"duration":"10","value":1})");
  EXPECT_EQ(run_node("delay", R"({"duration":"1ms"})"),
            R"({"delayed":true,"duration":"1ms","value":null})");
  EXPECT_EQ(run_node("delay", R"({"duration":"0"})", {R"("a")", R"("b")"}),
            R"({"delayed":true,"duration":"0","value":"a"})");
}

TEST(FlowDelay, SleepsForTheParsedDurationThroughTheHost) {
  VirtualClockHost host;
  auto out = run_on(host, R"({"nodes":[{"id":"d","type":"delay","data":{"duration":"1m30s"}}]})");
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  EXPECT_EQ(host.total_slept(), 90 * kSec);

  VirtualClockHost millis;  // a bare integer is milliseconds
  ASSERT_EQ(
      run_on(millis, R"({"nodes":[{"id":"d","type":"delay","data":{"duration":"250"}}]})").status,
      RunOutcome::Status::Succeeded);
  EXPECT_EQ(millis.total_slept(), 250 * kMs);
}

TEST(FlowDelay, NegativeDurationsDoNotWait) {
  VirtualClockHost host;
  auto out = run_on(host, R"({"nodes":[{"id":"d","type":"delay","data":{"duration":"-1s"}}]})");
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  EXPECT_EQ(to_json(*out.result.node_results.find("d")),
            R"({"delayed":true,"duration":"-1s","value":null})");
  EXPECT_TRUE(host.sleeps.empty());
}

TEST(FlowDelay, ReportsInvalidDurationsWithTheDoubledPrefix) {
  EXPECT_EQ(run_node("delay", R"({"duration":"soon"})", {"1"}),
            "error: invalid duration format: invalid duration format: soon (use formats like "
            "'5s', '10m', '1h')");
  EXPECT_EQ(run_node("delay", R"({"duration":""})"),
            "error: invalid duration format: invalid duration format:  (use formats like '5s', "
            "'10m', '1h')");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"d","type":"delay","data":{"duration":null}}]})"),
            "failed to parse payload: failed to unmarshal data for node d (type delay): missing "
            "required field: duration");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"d","type":"delay","data":{"duration":10}}]})"),
            "failed to parse payload: failed to unmarshal data for node d (type delay): json: "
            "cannot unmarshal number into Go struct field DelayData.duration of type string");
}

TEST(FlowDelay, RunsInsideTheWorkflowTimeLimit) {
  Limits limits;
  limits.max_execution_time_ms = 10'000;
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":7}},
      {"id":"d","data":{"duration":"5ms"}}],
    "edges":[{"source":"n","target":"d"}]})",
                        limits);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.final_output()), R"({"delayed":true,"duration":"5ms","value":7})");
}

TEST(FlowDelay, AWorkflowDeadlineInsideADelayTimesOutPromptly) {
  Limits limits;
  limits.max_execution_time_ms = 50;
  const auto start = std::chrono::steady_clock::now();
  auto r = run_workflow(R"({"nodes":[
      {"id":"d","type":"delay","data":{"duration":"1h"}},
      {"id":"v","type":"visualization","data":{}}],
    "edges":[{"source":"d","target":"v"}]})",
                        limits);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::TimedOut);
  EXPECT_EQ(r.error(), "workflow execution timeout: exceeded 50ms");
  EXPECT_EQ(json(r.result.find("node_results")), "{}");
  EXPECT_LT(elapsed, std::chrono::seconds(10));  // interrupted, not after the full hour
}

TEST(FlowDelay, NeverSleepsPastTheDeadline) {
  VirtualClockHost host;
  auto out = run_on(host, R"({"nodes":[{"id":"d","type":"delay","data":{"duration":"10m"}}]})");
  EXPECT_EQ(out.status, RunOutcome::Status::TimedOut);
  EXPECT_EQ(out.error, "workflow execution timeout: exceeded 5m0s");
  EXPECT_EQ(host.total_slept(), 5 * 60 * kSec);
}

TEST(FlowDelay, TheLongestDurationWaitsWithoutOverflowWhenThereIsNoDeadline) {
  // The largest Go duration (INT64_MAX ns): the wake-up time saturates.
  VirtualClockHost host;
  Limits unlimited;
  unlimited.max_execution_time_ms = 0;
  auto out = run_on(
      host,
      R"({"nodes":[{"id":"d","type":"delay","data":{"duration":"2562047h47m16.854775807s"}}]})",
      unlimited);
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  ASSERT_EQ(host.sleeps.size(), 1u);
  EXPECT_GT(host.sleeps[0], 2562047LL * 3600 * kSec);
}

// A host that is cancelled (query cancel, statement_timeout) while a node
// waits: the wait ends at once and the host's exception leaves the engine.
struct Cancelled {};
class CancelledDuringSleepHost final : public Host {
 public:
  void check_interrupts() override {
    if (cancelled_) throw Cancelled{};
  }
  std::int64_t now_unix_nanos() override { return 0; }
  std::int64_t monotonic_nanos() override { return now_; }
  void sleep_nanos(std::int64_t) override {
    now_ += kMs;  // the latch is set after a millisecond
    cancelled_ = true;
  }
  void log_debug(std::string_view) override {}

 private:
  std::int64_t now_ = kSec;
  bool cancelled_ = false;
};

TEST(FlowDelay, IsInterruptedByTheHost) {
  CancelledDuringSleepHost host;
  EXPECT_THROW(run_on(host, R"({"nodes":[{"id":"d","type":"delay","data":{"duration":"1h"}}]})"),
               Cancelled);
}

// The error of a node whose `data` is missing (nodes.md §0).
std::string no_data_error(std::string_view type) {
  auto r = run_workflow(R"({"nodes":[{"id":"x","type":")" + std::string(type) + R"("}]})");
  return r.error();
}

TEST(FlowNodesWithoutData, FailWithTheirStructName) {
  EXPECT_EQ(no_data_error("for_each"), "error executing node x: expected ForEachData, got <nil>");
  EXPECT_EQ(no_data_error("while_loop"),
            "error executing node x: expected WhileLoopData, got <nil>");
  EXPECT_EQ(no_data_error("parallel"), "error executing node x: expected ParallelData, got <nil>");
  EXPECT_EQ(no_data_error("join"), "error executing node x: expected JoinData, got <nil>");
  EXPECT_EQ(no_data_error("split"), "error executing node x: expected SplitData, got <nil>");
  EXPECT_EQ(no_data_error("delay"), "error executing node x: expected DelayData, got <nil>");
}

TEST(FlowNodes, AcceptALabel) {
  EXPECT_EQ(run_node("join", R"({"label":"Join","join_strategy":"first"})", {"1"}),
            R"({"strategy":"first","value":1})");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"j","type":"join","data":{"label":5}}]})"),
            "failed to parse payload: failed to unmarshal data for node j (type join): json: "
            "cannot unmarshal number into Go struct field JoinData.label of type string");
}

}  // namespace
}  // namespace thaiyyal
