// A Go nil slice (values.md §6 "Empty vs null arrays"): the empty results
// that the reference leaves nil are written as JSON `null`, yet keep
// behaving as `[]` wherever they flow on. A `null` from anywhere else stays
// a plain null.
#include <gtest/gtest.h>

#include <string>

#include "engine/tests/nodes_array_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::run_node_values;
using testing::run_workflow;

// The output of one node run on `input` (JSON text), as a Value.
Value node_output(std::string_view type, std::string_view data, std::string_view input) {
  const std::string payload =
      R"({"nodes":[{"id":"src","type":"text_input","data":{"text":)" +
      to_json(Value::string(input)) +
      R"(}},{"id":"arr","type":"parse","data":{"input_type":"JSON"}},)" + R"({"id":"n","type":")" +
      std::string(type) + R"(","data":)" + std::string(data) +
      R"(}],"edges":[{"source":"src","target":"arr"},{"source":"arr","target":"n"}]})";
  const auto run = run_workflow(payload);
  EXPECT_TRUE(run.ok()) << run.error();
  const Value* out = run.node("n");
  return out == nullptr ? Value() : *out;
}

// --- the nil-slice outputs --------------------------------------------------

struct NilOutput {
  const char* type;
  const char* data;
  const char* input;
  const char* key;  // "" when the output itself is the slice
};

TEST(NilSliceOutputs, EmptyResultsOfTheseNodesAreNilSlicesWrittenAsNull) {
  const NilOutput cases[] = {
      {"unique", "{}", "[]", "unique"},
      {"flat_map", "{}", "[[],[]]", "flattened"},
      {"chunk", R"({"size":2})", "[]", "chunks"},
      {"compact", "{}", "[null,null]", "compacted"},
      {"partition", R"({"condition":"item > 100"})", "[4,8]", "passed"},
      {"partition", R"({"condition":"item > 0"})", "[4,8]", "failed"},
      {"zip", "{}", "[]", "zipped"},
      {"transform", R"({"transform_type":"flatten"})", "[[],[[]]]", ""},
  };
  for (const NilOutput& c : cases) {
    SCOPED_TRACE(std::string(c.type) + " " + c.data + " " + c.input);
    const Value out = node_output(c.type, c.data, c.input);
    const Value* slice = *c.key != '\0' ? out.find(c.key) : &out;
    ASSERT_NE(slice, nullptr) << json(out);
    EXPECT_TRUE(slice->is_nil_array()) << json(out);
    EXPECT_EQ(json(*slice), "null");
  }
}

TEST(NilSliceOutputs, NonEmptyResultsAreOrdinaryArrays) {
  const Value out = node_output("unique", "{}", "[1,1]");
  EXPECT_EQ(json(out.find("unique")), "[1]");
  EXPECT_FALSE(out.find("unique")->is_nil_array());
}

TEST(NilSliceOutputs, SlicingANilSliceGivesANilSliceAndSlicingAnEmptyArrayAnEmptyArray) {
  EXPECT_EQ(run_node_values("slice", "{}", {Value::nil_array()}),
            R"({"end":0,"input_count":0,"output_count":0,"sliced":null,"start":0})");
  EXPECT_EQ(run_node_values("slice", "{}", {Value::array()}),
            R"({"end":0,"input_count":0,"output_count":0,"sliced":[],"start":0})");
}

TEST(NilSliceOutputs, TheResultObjectAndPrettyJsonWriteNull) {
  EXPECT_EQ(to_json_pretty(Value::nil_array()), "null");
  EXPECT_EQ(to_json_pretty(make_object({{"a", Value::nil_array()}})), "{\n  \"a\": null\n}");
  EXPECT_EQ(to_json(make_object({{"a", Value::nil_array()}, {"b", Value::array()}})),
            R"({"a":null,"b":[]})");
}

TEST(NilSliceOutputs, AppendingMakesItAnOrdinaryArray) {
  Value v = Value::nil_array();
  v.mutable_array().push_back(Value::number(1));
  EXPECT_FALSE(v.is_nil_array());
  EXPECT_EQ(json(v), "[1]");
}

// --- a nil slice flowing on ----------------------------------------------------

// Runs `consumer` on the nil slice that `unique` makes of [] (picked out of
// its output object by an expression, as compat-01 does), and on a literal
// [] in the same position.
struct Consumed {
  std::string from_nil;
  std::string from_empty;
};
Consumed consume(std::string_view type, std::string_view data) {
  auto run = [&](std::string_view pick) {
    const std::string payload =
        R"({"nodes":[{"id":"src","type":"text_input","data":{"text":"[]"}},)"
        R"({"id":"arr","type":"parse","data":{"input_type":"JSON"}},)"
        R"({"id":"u","type":"unique","data":{}},)"
        R"({"id":"pick","type":"expression","data":{"expression":)" +
        to_json(Value::string(pick)) + R"(}},)" + R"({"id":"c","type":")" + std::string(type) +
        R"(","data":)" + std::string(data) +
        R"(}],"edges":[{"source":"src","target":"arr"},{"source":"arr","target":"u"},)"
        R"({"source":"u","target":"pick"},{"source":"pick","target":"c"}]})";
    const auto r = run_workflow(payload);
    if (!r.ok()) return "error: " + r.error();
    return json(r.node("c"));
  };
  return {run("input.unique"), run("[]")};
}

TEST(NilSliceFlowsOn, ArrayNodesTreatItAsAnEmptyArray) {
  const std::pair<const char*, const char*> consumers[] = {
      {"reverse", "{}"},
      {"filter", R"({"condition":"item > 1"})"},
      {"map", R"({"expression":"item * 2"})"},
      {"reduce", R"({"expression":"accumulator + item","initial_value":7})"},
      {"find", R"({"condition":"item > 1"})"},
      {"partition", R"({"condition":"item > 1"})"},
      {"sort", "{}"},
      {"group_by", R"({"field":"k"})"},
      {"chunk", R"({"size":2})"},
      {"compact", "{}"},
      {"transpose", "{}"},
      {"zip", "{}"},
      {"sample", R"({"count":1})"},
      {"flat_map", "{}"},
      {"unique", "{}"},
      {"for_each", "{}"},
      {"transform", R"({"transform_type":"flatten"})"},
      {"format", R"({"output_type":"JSON"})"},
  };
  for (const auto& [type, data] : consumers) {
    SCOPED_TRACE(type);
    const Consumed c = consume(type, data);
    EXPECT_EQ(c.from_nil.rfind("error", 0), std::string::npos) << c.from_nil;
    if (std::string_view(type) == "format") {
      EXPECT_EQ(c.from_nil, R"("null")");  // json.Marshal of a nil slice
      EXPECT_EQ(c.from_empty, R"("[]")");
    } else {
      EXPECT_EQ(c.from_nil, c.from_empty);
    }
  }
  EXPECT_EQ(consume("reverse", "{}").from_nil, R"({"count":0,"reversed":[]})");
}

TEST(NilSliceFlowsOn, LoopsRunZeroIterations) {
  EXPECT_EQ(
      consume("reduce", R"({"expression":"accumulator + item","initial_value":7})").from_nil,
      consume("reduce", R"({"expression":"accumulator + item","initial_value":7})").from_empty);
  const std::string mapped = consume("map", R"({"expression":"item * 2"})").from_nil;
  EXPECT_NE(mapped.find(R"("input_count":0)"), std::string::npos) << mapped;
  EXPECT_NE(mapped.find(R"("results":[])"), std::string::npos) << mapped;
}

TEST(NilSliceFlowsOn, ExpressionsSeeAnArrayOfLengthZero) {
  EXPECT_EQ(consume("expression", R"({"expression":"input.length + 10"})").from_nil, "10");
  EXPECT_EQ(consume("expression", R"~({"expression":"sum(input)"})~").from_nil, "0");
  EXPECT_EQ(consume("expression", R"~({"expression":"input.first() == null"})~").from_nil, "true");
  EXPECT_EQ(consume("expression", R"~({"expression":"input.concat(1)"})~").from_nil, "[1]");
  // The expression node passes the value itself on: still written null.
  EXPECT_EQ(consume("expression", R"({"expression":"input"})").from_nil, "null");
}

TEST(NilSliceFlowsOn, CsvWritesTheCellAsNull) {
  const auto r = run_workflow(R"({"nodes":[
      {"id":"src","type":"text_input","data":{"text":"[null, null]"}},
      {"id":"arr","type":"parse","data":{"input_type":"JSON"}},
      {"id":"cmp","type":"compact","data":{}},
      {"id":"csv","type":"format","data":{"output_type":"CSV"}},
      {"id":"tsv","type":"format","data":{"output_type":"TSV"}}],
    "edges":[{"source":"src","target":"arr"},{"source":"arr","target":"cmp"},
             {"source":"cmp","target":"csv"},{"source":"cmp","target":"tsv"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("csv")), R"("compacted,input_count,output_count,removed\nnull,2,0,2\n")");
  EXPECT_EQ(json(r.node("tsv")),
            R"("compacted\tinput_count\toutput_count\tremoved\nnull\t2\t0\t2\n")");
}

TEST(NilSliceFlowsOn, APlainJsonNullIsNotAnArray) {
  const Value out = node_output("reverse", "{}", "null");
  EXPECT_EQ(json(out.find("error")), R"("input is not an array")");
  const auto r = run_workflow(R"({"nodes":[
      {"id":"src","type":"text_input","data":{"text":"{\"a\":null}"}},
      {"id":"obj","type":"parse","data":{"input_type":"JSON"}},
      {"id":"pick","type":"expression","data":{"expression":"input.a"}},
      {"id":"each","type":"for_each","data":{}}],
    "edges":[{"source":"src","target":"obj"},{"source":"obj","target":"pick"},
             {"source":"pick","target":"each"}]})");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace thaiyyal
