// Workflow state nodes (nodes.md; execution.md §6.2-§6.4): accumulator,
// counter, cache. Their state is shared by all nodes of one run, mutated in
// execution order, and starts empty in every run.
#include <gtest/gtest.h>

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

std::string node_json(const RunOutcome& out, std::string_view id) {
  const Value* v = out.result.node_results.find(id);
  return v == nullptr ? "<absent>" : to_json(*v);
}

// --- accumulator ------------------------------------------------------------

TEST(StateAccumulator, CombinesTheFirstInputWithTheSharedValue) {
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"sum"})", {"5"}),
            R"({"operation":"sum","value":5})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"sum","initial_value":10})", {"5", "100"}),
            R"({"operation":"sum","value":15})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"product"})", {"2.5"}),
            R"({"operation":"product","value":2.5})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"concat","initial_value":"x"})", {R"("ab")"}),
            R"({"operation":"concat","value":"xab"})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"concat"})", {R"("ab")"}),
            R"({"operation":"concat","value":"ab"})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"array"})", {R"({"a":1})"}),
            R"({"operation":"array","value":[{"a":1}]})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"array","initial_value":[0]})", {"null"}),
            R"({"operation":"array","value":[0,null]})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"count"})", {R"("ignored")"}),
            R"({"operation":"count","value":1})");
}

TEST(StateAccumulator, WithoutInputReportsTheInitialisedValue) {
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"array"})"),
            R"({"operation":"array","value":[]})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"sum"})"), R"({"operation":"sum","value":0})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"count"})"),
            R"({"operation":"count","value":0})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"product"})"),
            R"({"operation":"product","value":1})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"concat"})"),
            R"({"operation":"concat","value":""})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"sum","initial_value":"text"})"),
            R"({"operation":"sum","value":"text"})");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"median"})"),
            R"({"operation":"median","value":null})");
}

TEST(StateAccumulator, OneSlotIsSharedByAllAccumulatorsOfARun) {
  // Order: n1, n2, a1, a2. The second accumulator ignores its own
  // initial_value and continues from the first one's result.
  auto r = run_workflow(R"({"nodes":[
      {"id":"n1","type":"number","data":{"value":5}},
      {"id":"n2","type":"number","data":{"value":7}},
      {"id":"a1","data":{"accum_op":"sum"}},
      {"id":"a2","data":{"accum_op":"sum","initial_value":100}}],
    "edges":[{"source":"n1","target":"a1"},{"source":"n2","target":"a2"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("a1")), R"({"operation":"sum","value":5})");
  EXPECT_EQ(json(r.node("a2")), R"({"operation":"sum","value":12})");
}

TEST(StateAccumulator, EarlierOutputsKeepTheirValue) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n1","type":"number","data":{"value":1}},
      {"id":"n2","type":"number","data":{"value":2}},
      {"id":"a1","type":"accumulator","data":{"accum_op":"array"}},
      {"id":"a2","type":"accumulator","data":{"accum_op":"array","initial_value":["x"]}}],
    "edges":[{"source":"n1","target":"a1"},{"source":"n2","target":"a2"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("a1")), R"({"operation":"array","value":[1]})");
  EXPECT_EQ(json(r.node("a2")), R"({"operation":"array","value":[1,2]})");
}

TEST(StateAccumulator, ALaterOperationOfAnotherKindMayFailOnTheSharedValue) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n1","type":"text_input","data":{"text":"ab"}},
      {"id":"n2","type":"number","data":{"value":5}},
      {"id":"a1","type":"accumulator","data":{"accum_op":"concat","initial_value":"x"}},
      {"id":"a2","type":"accumulator","data":{"accum_op":"sum"}}],
    "edges":[{"source":"n1","target":"a1"},{"source":"n2","target":"a2"}]})");
  EXPECT_EQ(r.error(), "error executing node a2: accumulator value is not a number");
  EXPECT_EQ(json(r.result.find("node_results")), "{}");
}

TEST(StateAccumulator, ANullValueLeavesTheSlotUnsetForTheNextAccumulator) {
  // An unknown op starts from null; the next accumulator initialises anew.
  auto r = run_workflow(R"({"nodes":[
      {"id":"a1","type":"accumulator","data":{"accum_op":"median"}},
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"a2","type":"accumulator","data":{"accum_op":"product","initial_value":3}}],
    "edges":[{"source":"a1","target":"n"},{"source":"n","target":"a2"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("a1")), R"({"operation":"median","value":null})");
  EXPECT_EQ(json(r.node("a2")), R"({"operation":"product","value":15})");
}

TEST(StateAccumulator, StartsUnsetInEveryRun) {
  auto plan = compile_workflow(parse_json(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"a","type":"accumulator","data":{"accum_op":"sum"}}],
    "edges":[{"source":"n","target":"a"}]})"));
  StandaloneHost host;
  for (int i = 0; i < 2; ++i) {
    RunOutcome out = execute(*plan, host, Limits{});
    EXPECT_EQ(node_json(out, "a"), R"({"operation":"sum","value":5})");
  }
}

TEST(StateAccumulator, ReportsTypeMismatches) {
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"sum","initial_value":"0"})", {"5"}),
            "error: accumulator value is not a number");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"product","initial_value":[1]})", {"5"}),
            "error: accumulator value is not a number");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"count","initial_value":true})", {"5"}),
            "error: accumulator value is not a number");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"concat","initial_value":1})", {R"("a")"}),
            "error: accumulator value is not a string");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"array","initial_value":{}})", {"1"}),
            "error: accumulator value is not an array");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"sum"})", {R"("5")"}),
            "error: sum accumulator requires numeric input, got string");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"product"})", {"null"}),
            "error: product accumulator requires numeric input, got <nil>");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"concat"})", {"5"}),
            "error: concat accumulator requires string input, got float64");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"concat"})", {"[]"}),
            "error: concat accumulator requires string input, got []interface {}");
  EXPECT_EQ(run_node("accumulator", R"({"accum_op":"median"})", {"5"}),
            "error: unsupported accumulator operation: median");
}

TEST(StateAccumulator, RejectsGoIntsFromOtherNodes) {
  EXPECT_EQ(run_node_values("accumulator", R"({"accum_op":"sum"})", {Value::integer(3)}),
            "error: sum accumulator requires numeric input, got int");
  EXPECT_EQ(run_node_values("accumulator", R"({"accum_op":"product"})", {Value::integer(3)}),
            "error: product accumulator requires numeric input, got int");
}

TEST(StateAccumulator, RequiresAnOperation) {
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"a","type":"accumulator","data":{"initial_value":1}}]})"),
      "failed to parse payload: failed to unmarshal data for node a (type accumulator): "
      "missing required field: accum_op");
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"a","type":"accumulator","data":{"accum_op":1}}]})"),
      "failed to parse payload: failed to unmarshal data for node a (type accumulator): json: "
      "cannot unmarshal number into Go struct field AccumulatorData.accum_op of type string");
}

// --- counter ----------------------------------------------------------------

TEST(StateCounter, OperationsOnTheSharedCounter) {
  // increment -> 1; increment by 5 -> 6; decrement from a reset to 10 -> 9;
  // get -> 9; reset -> 0.
  auto r = run_workflow(R"({"nodes":[
      {"id":"c1","data":{"counter_op":"increment"}},
      {"id":"c2","data":{"counter_op":"increment","delta":5}},
      {"id":"c3","data":{"counter_op":"decrement","initial_value":10}},
      {"id":"c4","data":{"counter_op":"get"}},
      {"id":"c5","data":{"counter_op":"reset"}}],
    "edges":[{"source":"c1","target":"c2"},{"source":"c2","target":"c3"},
             {"source":"c3","target":"c4"},{"source":"c4","target":"c5"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("c1")), R"({"operation":"increment","value":1})");
  EXPECT_EQ(json(r.node("c2")), R"({"operation":"increment","value":6})");
  EXPECT_EQ(json(r.node("c3")), R"({"operation":"decrement","value":9})");
  EXPECT_EQ(json(r.node("c4")), R"({"operation":"get","value":9})");
  EXPECT_EQ(json(r.node("c5")), R"({"operation":"reset","value":0})");
}

TEST(StateCounter, StartsAtZeroAndIgnoresInputs) {
  EXPECT_EQ(run_node("counter", R"({"counter_op":"get"})", {"42"}),
            R"({"operation":"get","value":0})");
  EXPECT_EQ(run_node("counter", R"({"counter_op":"decrement","delta":0.5})"),
            R"({"operation":"decrement","value":-0.5})");
  EXPECT_EQ(run_node("counter", R"({"counter_op":"increment","delta":-2})"),
            R"({"operation":"increment","value":-2})");
}

TEST(StateCounter, OnlyANumericInitialValueResetsTheCounter) {
  EXPECT_EQ(run_node("counter", R"({"counter_op":"get","initial_value":7})"),
            R"({"operation":"get","value":7})");
  EXPECT_EQ(run_node("counter", R"({"counter_op":"increment","initial_value":"7"})"),
            R"({"operation":"increment","value":1})");
  EXPECT_EQ(run_node("counter", R"({"counter_op":"reset","initial_value":3})"),
            R"({"operation":"reset","value":3})");
  EXPECT_EQ(run_node("counter", R"({"counter_op":"reset","initial_value":true})"),
            R"({"operation":"reset","value":0})");
}

TEST(StateCounter, AnUnknownOperationFailsAfterTheInitialValueReset) {
  EXPECT_EQ(run_node("counter", R"({"counter_op":"double"})"),
            "error: unsupported counter operation: double (use increment, decrement, reset, or "
            "get)");
  // The reset happened before the failure (the run aborts anyway).
  VirtualClockHost host;
  testing::NodeSession node(host, "counter", R"({"counter_op":"double","initial_value":4})");
  EXPECT_EQ(node.execute(),
            "error: unsupported counter operation: double (use increment, decrement, reset, or "
            "get)");
  EXPECT_EQ(node.run().counter(), 4);
}

TEST(StateCounter, RequiresAnOperationAndANumericDelta) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"c","type":"counter","data":{"delta":1}}]})"),
            "failed to parse payload: failed to unmarshal data for node c (type counter): missing "
            "required field: counter_op");
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"c","type":"counter","data":{"counter_op":"get","delta":"1"}}]})"),
      "failed to parse payload: failed to unmarshal data for node c (type counter): json: "
      "cannot unmarshal string into Go struct field CounterData.delta of type float64");
}

// --- cache ------------------------------------------------------------------

TEST(StateCache, SetStoresTheFirstInput) {
  EXPECT_EQ(run_node("cache", R"({"cache_op":"set","cache_key":"k"})", {"5", "6"}),
            R"({"key":"k","operation":"set","ttl":null,"value":5})");
  EXPECT_EQ(run_node("cache", R"({"cache_op":"set","cache_key":"k","ttl":"1m"})", {R"([1])"}),
            R"({"key":"k","operation":"set","ttl":"1m","value":[1]})");
  EXPECT_EQ(run_node("cache", R"({"cache_op":"set","cache_key":"","ttl":"10"})", {"null"}),
            R"({"key":"","operation":"set","ttl":"10","value":null})");
}

TEST(StateCache, GetMissesWhatWasNeverSet) {
  EXPECT_EQ(run_node("cache", R"({"cache_op":"get","cache_key":"k"})", {"1"}),
            R"({"found":false,"key":"k","operation":"get","value":null})");
}

TEST(StateCache, SetThenGetInOneRun) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":42}},
      {"id":"s","data":{"cache_op":"set","cache_key":"answer"}},
      {"id":"g","data":{"cache_op":"get","cache_key":"answer"}},
      {"id":"m","data":{"cache_op":"get","cache_key":"other"}}],
    "edges":[{"source":"n","target":"s"},{"source":"s","target":"g"},{"source":"s","target":"m"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("s")), R"({"key":"answer","operation":"set","ttl":null,"value":42})");
  EXPECT_EQ(json(r.node("g")), R"({"found":true,"key":"answer","operation":"get","value":42})");
  EXPECT_EQ(json(r.node("m")), R"({"found":false,"key":"other","operation":"get","value":null})");
}

TEST(StateCache, GetBeforeSetInExecutionOrderMisses) {
  // Start nodes run in sorted id order: "a" (get) before "b" (set).
  auto r = run_workflow(R"({"nodes":[
      {"id":"b","type":"cache","data":{"cache_op":"set","cache_key":"k"}},
      {"id":"a","type":"cache","data":{"cache_op":"get","cache_key":"k"}},
      {"id":"n","type":"number","data":{"value":1}}],
    "edges":[{"source":"n","target":"b"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("a")), R"({"found":false,"key":"k","operation":"get","value":null})");
}

TEST(StateCache, DeleteRemovesNothing) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":1}},
      {"id":"s","type":"cache","data":{"cache_op":"set","cache_key":"k"}},
      {"id":"d","type":"cache","data":{"cache_op":"delete","cache_key":"k"}},
      {"id":"g","type":"cache","data":{"cache_op":"get","cache_key":"k"}}],
    "edges":[{"source":"n","target":"s"},{"source":"s","target":"d"},{"source":"d","target":"g"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("d")), R"({"deleted":true,"key":"k","operation":"delete"})");
  EXPECT_EQ(json(r.node("g")), R"({"found":true,"key":"k","operation":"get","value":1})");
}

TEST(StateCache, ALaterSetOverwrites) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n1","type":"number","data":{"value":1}},
      {"id":"n2","type":"number","data":{"value":2}},
      {"id":"s1","type":"cache","data":{"cache_op":"set","cache_key":"k"}},
      {"id":"s2","type":"cache","data":{"cache_op":"set","cache_key":"k"}},
      {"id":"g","type":"cache","data":{"cache_op":"get","cache_key":"k"}}],
    "edges":[{"source":"n1","target":"s1"},{"source":"n2","target":"s2"},
             {"source":"s1","target":"g"},{"source":"s2","target":"g"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("g")), R"({"found":true,"key":"k","operation":"get","value":2})");
}

constexpr const char* kSetWaitGet = R"({"nodes":[
    {"id":"n","type":"number","data":{"value":1}},
    {"id":"s","type":"cache","data":{"cache_op":"set","cache_key":"k","ttl":"%TTL%"}},
    {"id":"d","type":"delay","data":{"duration":"1s"}},
    {"id":"g","type":"cache","data":{"cache_op":"get","cache_key":"k"}}],
  "edges":[{"source":"n","target":"s"},{"source":"s","target":"d"},{"source":"d","target":"g"}]})";

std::string with_ttl(std::string ttl) {
  std::string payload = kSetWaitGet;
  payload.replace(payload.find("%TTL%"), 5, ttl);
  return payload;
}

TEST(StateCache, EntriesExpireAfterTheirTtl) {
  VirtualClockHost expired;
  RunOutcome out = run_on(expired, with_ttl("999ms"));
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  EXPECT_EQ(node_json(out, "g"), R"({"found":false,"key":"k","operation":"get","value":null})");

  // Still valid at exactly the expiry instant (expired only once past it).
  VirtualClockHost boundary;
  out = run_on(boundary, with_ttl("1s"));
  EXPECT_EQ(node_json(out, "g"), R"({"found":true,"key":"k","operation":"get","value":1})");

  VirtualClockHost fresh;  // a bare integer is milliseconds
  out = run_on(fresh, with_ttl("1500"));
  EXPECT_EQ(node_json(out, "g"), R"({"found":true,"key":"k","operation":"get","value":1})");

  VirtualClockHost negative;
  out = run_on(negative, with_ttl("-1s"));
  EXPECT_EQ(node_json(out, "g"), R"({"found":false,"key":"k","operation":"get","value":null})");

  VirtualClockHost huge;  // saturates instead of overflowing
  out = run_on(huge, with_ttl("2562047h47m16.854775807s"));
  EXPECT_EQ(node_json(out, "g"), R"({"found":true,"key":"k","operation":"get","value":1})");
}

TEST(StateCache, TheDefaultTtlIsFiveMinutes) {
  Limits no_deadline;
  no_deadline.max_execution_time_ms = 0;
  std::string payload = with_ttl("x");
  payload.replace(payload.find(R"(,"ttl":"x")"), 10, "");
  VirtualClockHost within;
  std::string at_limit = payload;
  at_limit.replace(at_limit.find(R"("duration":"1s")"), 15, R"("duration":"5m")");
  RunOutcome out = run_on(within, at_limit, no_deadline);
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  EXPECT_EQ(node_json(out, "g"), R"({"found":true,"key":"k","operation":"get","value":1})");

  VirtualClockHost past;
  std::string after = payload;
  after.replace(after.find(R"("duration":"1s")"), 15, R"("duration":"5m1ms")");
  out = run_on(past, after, no_deadline);
  EXPECT_EQ(node_json(out, "g"), R"({"found":false,"key":"k","operation":"get","value":null})");
}

TEST(StateCache, ReportsTheReferenceErrors) {
  EXPECT_EQ(run_node("cache", R"({"cache_op":"set","cache_key":"k"})"),
            "error: cache set operation requires an input value");
  // The input check comes before the TTL check.
  EXPECT_EQ(run_node("cache", R"({"cache_op":"set","cache_key":"k","ttl":"soon"})"),
            "error: cache set operation requires an input value");
  EXPECT_EQ(run_node("cache", R"({"cache_op":"set","cache_key":"k","ttl":"soon"})", {"1"}),
            "error: invalid TTL format: invalid duration format: soon (use formats like '5s', "
            "'10m', '1h')");
  // Only `set` reads the TTL.
  EXPECT_EQ(run_node("cache", R"({"cache_op":"get","cache_key":"k","ttl":"soon"})"),
            R"({"found":false,"key":"k","operation":"get","value":null})");
  EXPECT_EQ(run_node("cache", R"({"cache_op":"clear","cache_key":"k"})"),
            "error: unsupported cache operation: clear (use get, set, or delete)");
  EXPECT_EQ(run_node("cache", R"({"cache_op":"GET","cache_key":"k"})"),
            "error: unsupported cache operation: GET (use get, set, or delete)");
}

TEST(StateCache, RequiresOperationAndKeyAndIgnoresTheOtherSettings) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"c","type":"cache","data":{"cache_key":"k"}}]})"),
            "failed to parse payload: failed to unmarshal data for node c (type cache): missing "
            "required field: cache_op");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"c","type":"cache","data":{"cache_op":"get"}}]})"),
            "failed to parse payload: failed to unmarshal data for node c (type cache): missing "
            "required field: cache_key");
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"c","type":"cache","data":{"cache_op":"get","cache_key":"k","max_size":2.5}}]})"),
      "failed to parse payload: failed to unmarshal data for node c (type cache): json: "
      "cannot unmarshal number 2.5 into Go struct field CacheData.max_size of type int");
  EXPECT_EQ(
      run_node(
          "cache",
          R"({"cache_op":"get","cache_key":"k","max_size":1,"eviction":"lru","storage":"redis"})"),
      R"({"found":false,"key":"k","operation":"get","value":null})");
}

// The error of a node whose `data` is missing (nodes.md §0).
std::string no_data_error(std::string_view type) {
  auto r = run_workflow(R"({"nodes":[{"id":"x","type":")" + std::string(type) + R"("}]})");
  return r.error();
}

TEST(StateNodesWithoutData, FailWithTheirStructName) {
  EXPECT_EQ(no_data_error("accumulator"),
            "error executing node x: expected AccumulatorData, got <nil>");
  EXPECT_EQ(no_data_error("counter"), "error executing node x: expected CounterData, got <nil>");
  EXPECT_EQ(no_data_error("cache"), "error executing node x: expected CacheData, got <nil>");
}

}  // namespace
}  // namespace thaiyyal
