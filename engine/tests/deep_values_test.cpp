// Values nested far deeper than any input may be (a reduce wraps its
// accumulator once per element): every consumer either handles them or fails
// the node that walks them -- a node error like any other, never a crash
// (common/stack_depth.hpp bounds the recursive walks). The SQL nodes'
// parameter conversion (extension/spi_sql_service.cpp) and the conversion to
// jsonb (extension/value_to_jsonb.cpp) are bounded the same way; they can
// only be exercised inside PostgreSQL.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/common/stack_depth.hpp"
#include "engine/go/json.hpp"
#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::run_workflow;

TEST(DeepValues, FormattingAValueNestedTooDeeplyFailsThatNode) {
  // reduce with [accumulator] nests one level per element (range makes at
  // most 10,000), the expression five more: beyond 10,000 levels.
  const auto r = run_workflow(R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":9999}},
      {"id":"items","type":"expression","data":{"expression":"input.range"}},
      {"id":"deep","type":"reduce","data":{"expression":"[accumulator]"}},
      {"id":"rows","type":"expression","data":{"expression":"[{cell: [[[[[input]]]]]}]"}},
      {"id":"csv","type":"format","data":{"output_type":"CSV"}}],
    "edges":[{"source":"r","target":"items"},{"source":"items","target":"deep"},{"source":"deep","target":"rows"},
             {"source":"rows","target":"csv"}]})");
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::NodeFailed);
  EXPECT_EQ(r.outcome.failed_node_id, "csv");
  EXPECT_NE(r.outcome.node_message.find("nested too deeply"), std::string::npos)
      << r.outcome.node_message;
}

constexpr int kLevels = 1'000'000;

// [[[...[0]...]]], 1,000,000 levels, built at run time by nodes: a
// 1,000,000-character string split into characters and reduced with
// [accumulator]. Built once for the suite (it takes a moment).
const Value& million_levels() {
  static const Value deep = [] {
    const auto r = run_workflow(R"json({"nodes":[
        {"id":"seed","type":"text_input","data":{"text":"a"}},
        {"id":"text","type":"text_operation","data":{"text_op":"repeat","repeat_n":1000000}},
        {"id":"chars","type":"expression","data":{"expression":"input.split(\"\")"}},
        {"id":"deep","type":"reduce","data":{"expression":"[accumulator]"}},
        {"id":"value","type":"expression","data":{"expression":"input.result"}}],
      "edges":[{"source":"seed","target":"text"},{"source":"text","target":"chars"},
               {"source":"chars","target":"deep"},{"source":"deep","target":"value"}]})json");
    EXPECT_TRUE(r.ok()) << r.error();
    return r.node("value") != nullptr ? *r.node("value") : Value();
  }();
  return deep;
}

int depth_of(const Value& v) {
  int depth = 0;
  for (const Value* p = &v; p->is_array() && !p->as_array().empty(); p = &p->as_array()[0]) {
    ++depth;
  }
  return depth;
}

// Runs `nodes` (JSON array elements, the consumer's id is "c") after a
// workflow_input node "in" that emits the deep value; `edges` likewise.
RunOutcome consume(std::string_view nodes, std::string_view edges) {
  StandaloneHost host;
  const std::string payload = R"({"nodes":[{"id":"in","type":"workflow_input","data":{}},)" +
                              std::string(nodes) + R"(],"edges":[)" + std::string(edges) + "]}";
  auto plan = compile_workflow(parse_json(payload));
  RunOptions options;
  options.input = million_levels();
  return execute(*plan, host, Limits{}, options);
}

// One consumer node "c" fed by "in".
RunOutcome consume(std::string_view consumer) {
  return consume(consumer, R"({"source":"in","target":"c"})");
}

// The consumer "c" fed by an expression node "e" (of the deep value `input`).
RunOutcome consume_through(std::string_view expression, std::string_view consumer) {
  return consume(R"({"id":"e","type":"expression","data":{"expression":")" +
                     std::string(expression) + R"("}},)" + std::string(consumer),
                 R"({"source":"in","target":"e"},{"source":"e","target":"c"})");
}

// A clean failure of node "c", with a message that says why.
::testing::AssertionResult fails_cleanly(const RunOutcome& out) {
  if (out.status != RunOutcome::Status::NodeFailed) {
    return ::testing::AssertionFailure()
           << "status " << static_cast<int>(out.status) << " " << out.error;
  }
  if (out.failed_node_id != "c") {
    return ::testing::AssertionFailure() << "failed in " << out.failed_node_id << ": " << out.error;
  }
  if (out.node_message.find("too deeply") == std::string::npos &&
      out.node_message.find("stack depth limit exceeded") == std::string::npos) {
    return ::testing::AssertionFailure() << out.node_message;
  }
  return ::testing::AssertionSuccess();
}

TEST(MillionLevels, AreBuiltByNodesAtRunTime) {
  EXPECT_EQ(depth_of(million_levels()), kLevels);
}

TEST(MillionLevels, FailTheSchemaValidatorNode) {
  EXPECT_TRUE(fails_cleanly(
      consume(R"({"id":"c","type":"schema_validator","data":{"schema":{"type":"array"}}})")));
}

TEST(MillionLevels, FailTheFormatNodeAsJsonAndAsCsv) {
  EXPECT_TRUE(
      fails_cleanly(consume(R"({"id":"c","type":"format","data":{"output_type":"JSON"}})")));
  EXPECT_TRUE(fails_cleanly(
      consume(R"({"id":"c","type":"format","data":{"output_type":"JSON","pretty_print":true}})")));
  EXPECT_TRUE(fails_cleanly(consume_through(
      "[{cell: input}]", R"({"id":"c","type":"format","data":{"output_type":"CSV"}})")));
}

TEST(MillionLevels, FailTheSortUniqueAndGroupByNodes) {
  EXPECT_TRUE(
      fails_cleanly(consume_through("[input, input]", R"({"id":"c","type":"sort","data":{}})")));
  EXPECT_TRUE(
      fails_cleanly(consume_through("[input, input]", R"({"id":"c","type":"unique","data":{}})")));
  EXPECT_TRUE(fails_cleanly(consume_through(
      "[{k: input}, {k: input}]", R"({"id":"c","type":"group_by","data":{"field":"k"}})")));
}

TEST(MillionLevels, FailTheTransformFlattenNode) {
  EXPECT_TRUE(fails_cleanly(
      consume(R"({"id":"c","type":"transform","data":{"transform_type":"flatten"}})")));
}

TEST(MillionLevels, FailTheParseNodeThatMustSerializeThem) {
  EXPECT_TRUE(fails_cleanly(consume(R"({"id":"c","type":"parse","data":{}})")));
}

TEST(MillionLevels, FailAVariableSet) {
  EXPECT_TRUE(fails_cleanly(
      consume(R"({"id":"c","type":"variable","data":{"var_name":"x","var_op":"set"}})")));
}

TEST(MillionLevels, FailExpressionFunctionsThatWalkThem) {
  for (const char* expression : {"sort([input, input])", "unique([input, input])", "flatten(input)",
                                 "[input].includes([input])"}) {
    EXPECT_TRUE(fails_cleanly(consume(R"({"id":"c","type":"expression","data":{"expression":")" +
                                      std::string(expression) + R"("}})")))
        << expression;
  }
}

TEST(MillionLevels, CompareUnequalInExpressionsBeyondTheValueDepthLimit) {
  // language.md §5.3: values nested deeper than 256 levels are never ==.
  const RunOutcome out =
      consume(R"({"id":"c","type":"expression","data":{"expression":"input == input"}})");
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  EXPECT_TRUE(deep_equal(*out.result.node_results.find("c"), Value::boolean(false)));
}

TEST(MillionLevels, PassThroughNodesThatDoNotWalkThem) {
  const RunOutcome out = consume(R"({"id":"c","type":"visualization","data":{}})");
  ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
  EXPECT_EQ(depth_of(*out.result.node_results.find("c")), kLevels);
}

TEST(MillionLevels, AreRefusedByTheWritersAndDeepEqual) {
  const Value& deep = million_levels();
  EXPECT_THROW(to_json(deep), JsonWriteError);
  EXPECT_THROW(to_json_pretty(deep), JsonWriteError);
  Result result;
  result.final_output = deep;
  EXPECT_THROW(result_to_json(result), JsonWriteError);
  // deep_equal has no depth limit of its own: the stack bound stops it.
  const Value copy = Value::array(Array{deep.as_array()[0]});
  EXPECT_THROW(deep_equal(deep, copy), StackDepthExceeded);
}

}  // namespace
}  // namespace thaiyyal
