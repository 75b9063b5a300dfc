// Run input (ours): the `workflow_input` node, context_variable /
// context_constant overrides, and per-node timings (RunOptions).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;

struct InputRun {
  RunOutcome outcome;
  Value result;
  const Value* node(std::string_view id) const { return result.find("node_results")->find(id); }
};

InputRun run_with_input(std::string_view payload, std::string_view input_json,
                        bool timings = false) {
  StandaloneHost host;
  auto plan = compile_workflow(parse_json(payload));
  RunOptions options;
  options.input = parse_json(input_json);
  options.record_node_timings = timings;
  InputRun r;
  r.outcome = execute(*plan, host, Limits{}, options);
  r.result = result_to_value(r.outcome.result);
  return r;
}

std::string input_node(std::string_view data_json, std::string_view input_json) {
  std::string payload =
      R"({"nodes":[{"id":"in","type":"workflow_input","data":)" + std::string(data_json) + "}]}";
  InputRun r = run_with_input(payload, input_json);
  if (r.outcome.status != RunOutcome::Status::Succeeded) return "error: " + r.outcome.error;
  return json(r.node("in"));
}

TEST(WorkflowInputNode, EmitsTheRunInputOrOneField) {
  EXPECT_EQ(input_node("{}", R"({"a":1,"b":[true]})"), R"({"a":1,"b":[true]})");
  EXPECT_EQ(input_node("{}", "[1,2]"), "[1,2]");
  EXPECT_EQ(input_node("{}", R"("text")"), R"("text")");
  EXPECT_EQ(input_node("{}", "null"), "null");
  EXPECT_EQ(input_node(R"({"field":"b"})", R"({"a":1,"b":[true]})"), "[true]");
  // Absent, null, or not an object: the default (null when none).
  EXPECT_EQ(input_node(R"({"field":"c"})", R"({"a":1})"), "null");
  EXPECT_EQ(input_node(R"({"field":"c","default":10})", R"({"a":1})"), "10");
  EXPECT_EQ(input_node(R"({"field":"c","default":10})", R"({"c":null})"), "10");
  EXPECT_EQ(input_node(R"({"field":"c","default":10})", "[1]"), "10");
  EXPECT_EQ(input_node(R"({"default":"none"})", "null"), R"("none")");
  EXPECT_EQ(input_node(R"({"field":"c","default":10})", R"({"c":0})"), "0");
}

TEST(WorkflowInputNode, RequiredInputsFailTheNode) {
  EXPECT_EQ(input_node(R"({"field":"id","required":true})", R"({"a":1})"),
            R"(error: error executing node in: workflow input has no field "id")");
  EXPECT_EQ(input_node(R"({"required":true})", "null"),
            "error: error executing node in: workflow input is required but none was given");
  EXPECT_EQ(input_node(R"({"field":"id","required":true})", R"({"id":"x"})"), R"("x")");
}

TEST(WorkflowInputNode, WithoutRunInputBehavesAsNull) {
  auto r = testing::run_workflow(
      R"({"nodes":[{"id":"in","type":"workflow_input","data":{"field":"x","default":3}}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("in")), "3");
  // A node without data is fine too (all fields optional).
  EXPECT_EQ(testing::payload_error(R"({"nodes":[{"id":"in","type":"workflow_input"}]})"), "");
  InputRun no_data = run_with_input(
      R"({"nodes":[{"id":"in","type":"workflow_input"},{"id":"n","type":"workflow_input","data":null}]})",
      R"({"a":1})");
  ASSERT_EQ(no_data.outcome.status, RunOutcome::Status::Succeeded) << no_data.outcome.error;
  EXPECT_EQ(json(no_data.node("in")), R"({"a":1})");
  EXPECT_EQ(json(no_data.node("n")), R"({"a":1})");
}

TEST(WorkflowInputNode, FeedsOtherNodes) {
  auto r = run_with_input(R"({"nodes":[
      {"id":"in","type":"workflow_input","data":{"field":"n"}},
      {"id":"two","type":"number","data":{"value":2}},
      {"id":"op","type":"operation","data":{"op":"multiply"}}],
    "edges":[{"source":"in","target":"op"},{"source":"two","target":"op"}]})",
                          R"({"n":21})");
  ASSERT_EQ(r.outcome.status, RunOutcome::Status::Succeeded) << r.outcome.error;
  EXPECT_EQ(json(*r.result.find("final_output")), "42");
}

constexpr std::string_view kContextPayload = R"({"nodes":[
    {"id":"vars","type":"context_variable","data":{"context_values":[
        {"name":"limit","value":10,"type":"number"},
        {"name":"label","value":"default","type":"string"}]}},
    {"id":"consts","type":"context_constant","data":{"context_values":[
        {"name":"rate","value":"0.5","type":"number"}]}},
    {"id":"legacy","type":"context_variable","data":{"context_name":"mode","context_value":"a"}},
    {"id":"e","type":"expression","data":{"expression":"context.limit * context.rate"}}],
  "edges":[{"source":"vars","target":"e"},{"source":"consts","target":"e"},
           {"source":"legacy","target":"e"}]})";

TEST(ContextOverride, InputKeysReplaceValuesOfTheSameName) {
  auto r = run_with_input(kContextPayload, R"({"limit":"40","rate":0.25,"mode":"b","other":1})");
  ASSERT_EQ(r.outcome.status, RunOutcome::Status::Succeeded) << r.outcome.error;
  // Converted by the entry's declared type: "40" -> 40.
  EXPECT_EQ(json(r.node("vars")),
            R"({"type":"variable","variables":{"label":"default","limit":40}})");
  EXPECT_EQ(json(r.node("consts")), R"({"constants":{"rate":0.25},"type":"const"})");
  EXPECT_EQ(json(r.node("legacy")), R"({"name":"mode","type":"variable","value":"b"})");
  EXPECT_EQ(json(r.node("e")), "10");
}

TEST(ContextOverride, WithoutMatchingKeysTheConfiguredValuesStay) {
  for (std::string_view input : {"null", "{}", "[1,2]", R"("limit")"}) {
    auto r = run_with_input(kContextPayload, input);
    ASSERT_EQ(r.outcome.status, RunOutcome::Status::Succeeded) << r.outcome.error;
    EXPECT_EQ(json(r.node("e")), "5") << input;
  }
}

TEST(ContextOverride, AnInvalidOverrideFailsLikeAnInvalidConfiguredValue) {
  auto r = run_with_input(kContextPayload, R"({"limit":"many"})");
  EXPECT_EQ(r.outcome.error,
            "error executing node vars: context_variable node: error converting limit (number): "
            "cannot convert \"many\" to number: strconv.ParseFloat: parsing \"many\": invalid "
            "syntax");
  auto legacy = run_with_input(kContextPayload, R"({"mode":null})");
  EXPECT_EQ(legacy.outcome.error,
            "error executing node legacy: context_variable node missing context_value");
}

TEST(NodeTimings, RecordedOnlyWhenAskedInExecutionOrder) {
  constexpr std::string_view payload = R"({"nodes":[
      {"id":"b","type":"number","data":{"value":1}},
      {"id":"a","type":"number","data":{"value":2}},
      {"id":"op","type":"operation","data":{"op":"add"}}],
    "edges":[{"source":"a","target":"op"},{"source":"b","target":"op"}]})";
  EXPECT_TRUE(run_with_input(payload, "null").outcome.node_timings.empty());
  auto r = run_with_input(payload, "null", true);
  ASSERT_EQ(r.outcome.node_timings.size(), 3u);
  // Start nodes in byte-wise id order: a (index 1), b (index 0), then op.
  EXPECT_EQ(r.outcome.node_timings[0].node_index, 1u);
  EXPECT_EQ(r.outcome.node_timings[1].node_index, 0u);
  EXPECT_EQ(r.outcome.node_timings[2].node_index, 2u);
  for (const auto& t : r.outcome.node_timings) {
    EXPECT_GE(t.duration_ns, 0);
    EXPECT_FALSE(t.failed);
  }
}

TEST(NodeTimings, TheFailingNodeComesLastMarkedFailed) {
  auto r = run_with_input(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"op","type":"operation","data":{"op":"add"}},
      {"id":"z","type":"number","data":{"value":3}}],
    "edges":[{"source":"a","target":"op"}]})",
                          "null", true);
  ASSERT_EQ(r.outcome.status, RunOutcome::Status::NodeFailed);
  // Order a, z (start nodes), then op, which fails.
  ASSERT_EQ(r.outcome.node_timings.size(), 3u);
  EXPECT_EQ(r.outcome.node_timings[1].node_index, 2u);
  EXPECT_EQ(r.outcome.node_timings[2].node_index, 1u);
  EXPECT_TRUE(r.outcome.node_timings[2].failed);
  EXPECT_FALSE(r.outcome.node_timings[0].failed);
  EXPECT_FALSE(r.outcome.node_timings[1].failed);
}

}  // namespace
}  // namespace thaiyyal
