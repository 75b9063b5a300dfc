// Array nodes driven by expressions (nodes.md, language.md §4.2-§4.4):
// filter, map, reduce, find, partition. Where our expression language
// deliberately differs from the reference (language.md §7.1), the expected
// value is ours and the divergence row is named.
#include <gtest/gtest.h>

#include "engine/tests/nodes_array_support.hpp"

namespace thaiyyal {
namespace {

using testing::decode_error;
using testing::nap;
using testing::node_payload_error;
using testing::run_node;
using testing::run_node_values;
using testing::run_workflow;
using testing::sample_record_list;

// One member of a node's JSON output.
std::string member(const std::string& output_json, std::string_view key) {
  if (output_json.rfind("error: ", 0) == 0) return output_json;
  const Value output = parse_json(output_json);
  return testing::json(output.find(key));
}

bool is_syntax_error(const std::string& result) {
  return result.rfind("error: expression syntax error at position ", 0) == 0;
}

// --- filter ----------------------------------------------------------------

TEST(ArrayFilter, KeepsElementsWhoseConditionIsTrue) {
  EXPECT_EQ(run_node("filter", R"({"condition":"item > 2"})", {"[1,2,3,4]"}),
            R"({"condition":"item \u003e 2","error_count":0,"filtered":[3,4],"input_count":4,)"
            R"("is_array":true,"output_count":2,"skipped_count":2})");
}

TEST(ArrayFilter, NothingMatchingGivesAnEmptyArrayNotNull) {
  EXPECT_EQ(run_node("filter", R"({"condition":"item > 9"})", {"[1,2]"}),
            R"({"condition":"item \u003e 9","error_count":0,"filtered":[],"input_count":2,)"
            R"("is_array":true,"output_count":0,"skipped_count":2})");
  EXPECT_EQ(run_node("filter", R"({"condition":"item > 9"})", {"[]"}),
            R"({"condition":"item \u003e 9","error_count":0,"filtered":[],"input_count":0,)"
            R"("is_array":true,"output_count":0,"skipped_count":0})");
}

TEST(ArrayFilter, ExtractsTheArrayFromCommonObjectKeys) {
  EXPECT_EQ(
      member(run_node("filter", R"({"condition":"item > 2"})", {R"({"items":[1,5]})"}), "filtered"),
      "[5]");
  // Keys are tried in the order range, array, items, data, values; the
  // first holding an array wins.
  EXPECT_EQ(member(run_node("filter", R"({"condition":"item > 0"})",
                            {R"({"values":[1],"data":[2],"items":[3],"array":[4],"range":[5]})"}),
                   "filtered"),
            "[5]");
  EXPECT_EQ(member(run_node("filter", R"({"condition":"item > 0"})",
                            {R"({"range":"no","array":{"x":1},"data":[2],"values":[1]})"}),
                   "filtered"),
            "[2]");
}

TEST(ArrayFilter, NonArraysPassThroughWithAWarning) {
  EXPECT_EQ(run_node("filter", R"({"condition":"item > 2"})", {"5"}),
            R"({"filtered":5,"input":5,"is_array":false,"original_type":"float64",)"
            R"("warning":"input is not an array, passed through unchanged"})");
  EXPECT_EQ(run_node("filter", R"({"condition":"item > 2"})", {R"({"items":"x"})"}),
            R"({"filtered":{"items":"x"},"input":{"items":"x"},"is_array":false,)"
            R"("original_type":"map[string]interface {}",)"
            R"("warning":"input is not an array, passed through unchanged"})");
  EXPECT_EQ(run_node_values("filter", R"({"condition":"item > 2"})", {sample_record_list()}),
            R"({"filtered":[{"a":1},{"a":2}],"input":[{"a":1},{"a":2}],"is_array":false,)"
            R"("original_type":"[]map[string]interface {}",)"
            R"("warning":"input is not an array, passed through unchanged"})");
}

TEST(ArrayFilter, BindsIndexAsANumber) {
  EXPECT_EQ(member(run_node("filter", R"({"condition":"index >= 1"})", {"[5,6,7]"}), "filtered"),
            "[6,7]");
  EXPECT_EQ(member(run_node("filter", R"({"condition":"variables.index == 2"})", {"[5,6,7]"}),
                   "filtered"),
            "[7]");
}

TEST(ArrayFilter, UnresolvedNamesAreFalseWithoutAnError) {
  // language.md §4.4 rule 2: an unresolved top-level condition is "not true".
  EXPECT_EQ(run_node("filter", R"({"condition":"item.flag"})", {R"([{"a":1},{"flag":true}])"}),
            R"({"condition":"item.flag","error_count":0,"filtered":[{"flag":true}],)"
            R"("input_count":2,"is_array":true,"output_count":1,"skipped_count":1})");
}

TEST(ArrayFilter, IsNullOfAMissingFieldIsTrue) {
  // nodes.md shows the reference dropping the second element with an error;
  // we treat the unresolved argument as null (language.md §7.1 row 52).
  EXPECT_EQ(run_node("filter", R"J({"condition":"isNull(item.a)"})J", {R"([{"a":1},{"b":2}])"}),
            R"J({"condition":"isNull(item.a)","error_count":0,"filtered":[{"b":2}],)J"
            R"("input_count":2,"is_array":true,"output_count":1,"skipped_count":1})");
}

TEST(ArrayFilter, FailuresDropTheElementAndCountAsErrors) {
  // Division by zero is a failure (not unresolved): the element is dropped
  // and counted in both error_count and skipped_count.
  EXPECT_EQ(run_node("filter", R"({"condition":"1 / item"})", {"[0,2]"}),
            R"({"condition":"1 / item","error_count":1,"filtered":[],"input_count":2,)"
            R"("is_array":true,"output_count":0,"skipped_count":2})");
  // Inside a comparison the same failure is just false (rule 1).
  EXPECT_EQ(member(run_node("filter", R"({"condition":"1 / item > 0"})", {"[0,2]"}), "error_count"),
            "0");
}

TEST(ArrayFilter, Errors) {
  EXPECT_EQ(run_node("filter", R"({"condition":""})", {"[1]"}),
            "error: filter node missing condition expression");
  // The condition is checked before the inputs.
  EXPECT_EQ(run_node("filter", R"({"condition":""})"),
            "error: filter node missing condition expression");
  EXPECT_EQ(run_node("filter", R"({"condition":"item > 1"})"),
            "error: filter node needs at least 1 input");
  EXPECT_EQ(node_payload_error("filter", "{}"),
            decode_error("filter", "missing required field: condition"));
  EXPECT_EQ(node_payload_error("filter", R"({"condition":""})"), "");
}

TEST(ArrayFilter, SyntaxErrorsAreNodeErrorsWhenThereIsAnArrayToFilter) {
  const std::string result = run_node("filter", R"({"condition":"item >"})", {"[1]"});
  EXPECT_TRUE(is_syntax_error(result)) << result;
  EXPECT_TRUE(is_syntax_error(run_node("filter", R"({"condition":"item >"})", {"[]"})));
  // A pass-through never evaluates the condition.
  EXPECT_EQ(member(run_node("filter", R"({"condition":"item >"})", {"5"}), "is_array"), "false");
  EXPECT_EQ(run_node("filter", R"J({"condition":"foo(item)"})J", {"[1]"}),
            "error: unknown function: foo");
}

// --- map -------------------------------------------------------------------

TEST(ArrayMap, Expression) {
  EXPECT_EQ(run_node("map", R"({"expression":"item * 2"})", {"[1,2,3]"}),
            R"({"failed":0,"input_count":3,"output_count":3,"results":[2,4,6],"successful":3})");
  EXPECT_EQ(member(run_node("map", R"({"expression":"index * 10"})", {R"(["a","b"])"}), "results"),
            "[0,10]");
}

TEST(ArrayMap, ComparisonsAreValues) {
  // The reference fails every element ([null,null,null], failed 3);
  // language.md §7.1 row 14.
  EXPECT_EQ(run_node("map", R"({"expression":"item > 2"})", {"[1,2,3]"}),
            R"({"failed":0,"input_count":3,"output_count":3,"results":[false,false,true],)"
            R"("successful":3})");
}

TEST(ArrayMap, BindsItemsAndInput) {
  EXPECT_EQ(member(run_node("map", R"({"expression":"items.length"})", {"[7]"}), "results"),
            "[1]");  // language.md §7.1 row 20
  EXPECT_EQ(member(run_node("map", R"({"expression":"input + index"})", {"[10,20]"}), "results"),
            "[10,21]");
  EXPECT_EQ(member(run_node("map", R"({"expression":"items[1 - index]"})", {"[1,2]"}), "results"),
            "[2,1]");
}

TEST(ArrayMap, FailedElementsBecomeNull) {
  EXPECT_EQ(run_node("map", R"({"expression":"10 / item"})", {"[1,0,4]"}),
            R"({"failed":1,"input_count":3,"output_count":3,"results":[10,null,2.5],)"
            R"("successful":2})");
}

TEST(ArrayMap, FieldMode) {
  EXPECT_EQ(run_node("map", R"({"field":"a"})", {R"([{"a":1},{"b":2},3])"}),
            R"({"failed":2,"input_count":3,"output_count":3,"results":[1,null,null],)"
            R"("successful":1})");
  // A non-empty field wins over the expression, even a broken one.
  EXPECT_EQ(member(run_node("map", R"({"field":"a","expression":"item >"})", {R"([{"a":null}])"}),
                   "results"),
            "[null]");
}

TEST(ArrayMap, NoTransformationPassesTheArrayThrough) {
  EXPECT_EQ(run_node("map", "{}", {"[1,2]"}),
            R"({"input_count":2,"output_count":2,"results":[1,2],)"
            R"("warning":"no transformation specified"})");
  EXPECT_EQ(run_node("map", R"({"field":"","expression":""})", {"[]"}),
            R"({"input_count":0,"output_count":0,"results":[],)"
            R"("warning":"no transformation specified"})");
}

TEST(ArrayMap, Errors) {
  EXPECT_EQ(run_node("map", R"({"expression":"item"})"), "error: map node needs at least 1 input");
  EXPECT_EQ(run_node("map", R"({"expression":"item"})", {"5"}),
            "error: map node requires array input, got float64");
  EXPECT_EQ(run_node("map", "{}", {R"({"items":[1]})"}),
            "error: map node requires array input, got map[string]interface {}");
  EXPECT_EQ(run_node_values("map", R"({"expression":"item"})", {sample_record_list()}),
            "error: map node requires array input, got []map[string]interface {}");
  EXPECT_EQ(run_node("map", R"J({"expression":"foo(1)"})J", {"[1]"}),
            "error: unknown function: foo");
  EXPECT_TRUE(is_syntax_error(run_node("map", R"({"expression":"item *"})", {"[1]"})));
  EXPECT_EQ(node_payload_error("map", R"({"field":1})"),
            decode_error("map",
                         "json: cannot unmarshal number into Go struct field MapData.field of "
                         "type string"));
}

// --- reduce ----------------------------------------------------------------

TEST(ArrayReduce, Sum) {
  EXPECT_EQ(run_node("reduce", R"({"expression":"accumulator + item"})", {"[1,2,3]"}),
            R"({"failed":0,"final_value":6,"initial_value":null,"input_count":3,)"
            R"("iterations":3,"result":6,"successful":3})");
}

TEST(ArrayReduce, Maximum) {
  EXPECT_EQ(member(run_node("reduce",
                            R"({"expression":"item > variables.accumulator ? item : )"
                            R"(variables.accumulator","initial_value":0})",
                            {"[5,2,8,1]"}),
                   "result"),
            "8");
  // The reference fails every element here (language.md §7.1 row 16).
  EXPECT_EQ(member(run_node("reduce",
                            R"({"expression":"item > accumulator ? item : accumulator",)"
                            R"("initial_value":0})",
                            {"[5,2,8,1]"}),
                   "result"),
            "8");
}

TEST(ArrayReduce, StringsConcatenate) {
  // The reference cannot concatenate (result "", failed 2); language.md §5.2.
  EXPECT_EQ(run_node("reduce", R"({"expression":"accumulator + item","initial_value":""})",
                     {R"(["A","B"])"}),
            R"({"failed":0,"final_value":"AB","initial_value":"","input_count":2,)"
            R"("iterations":2,"result":"AB","successful":2})");
}

TEST(ArrayReduce, EmptyInputKeepsTheInitialValue) {
  EXPECT_EQ(run_node("reduce", R"({"expression":"accumulator + item","initial_value":7})", {"[]"}),
            R"({"failed":0,"final_value":7,"initial_value":7,"input_count":0,)"
            R"("iterations":0,"result":7,"successful":0})");
  // An absent (or null) initial value starts at 0 and is echoed as null.
  EXPECT_EQ(
      member(run_node("reduce", R"({"expression":"accumulator","initial_value":null})", {"[]"}),
             "result"),
      "0");
}

TEST(ArrayReduce, FailuresLeaveTheAccumulatorUnchanged) {
  EXPECT_EQ(run_node("reduce", R"({"expression":"accumulator + 1 / item"})", {"[1,0,2]"}),
            R"({"failed":1,"final_value":1.5,"initial_value":null,"input_count":3,)"
            R"("iterations":3,"result":1.5,"successful":2})");
}

TEST(ArrayReduce, BindsIndexAndItems) {
  EXPECT_EQ(member(run_node("reduce", R"({"expression":"accumulator + index * items.length"})",
                            {"[9,9,9]"}),
                   "result"),
            "9");
}

TEST(ArrayReduce, Errors) {
  EXPECT_EQ(run_node("reduce", R"({"expression":"1"})"),
            "error: reduce node needs at least 1 input");
  EXPECT_EQ(run_node("reduce", R"({"expression":"1"})", {R"("abc")"}),
            "error: reduce node requires array input, got string");
  // The empty expression is checked after the array test.
  EXPECT_EQ(run_node("reduce", R"({"expression":""})", {"5"}),
            "error: reduce node requires array input, got float64");
  EXPECT_EQ(run_node("reduce", R"({"expression":""})", {"[1]"}),
            "error: reduce node requires an expression");
  EXPECT_TRUE(is_syntax_error(run_node("reduce", R"({"expression":"(accumulator"})", {"[]"})));
  EXPECT_EQ(node_payload_error("reduce", R"({"initial_value":0})"),
            decode_error("reduce", "missing required field: expression"));
}

// --- find ------------------------------------------------------------------

TEST(ArrayFind, FirstMatch) {
  const char* input = R"([{"a":1},{"a":5},{"a":7}])";
  EXPECT_EQ(run_node("find", R"({"condition":"item.a > 3"})", {input}),
            R"({"condition":"item.a \u003e 3","found":{"a":5}})");
  EXPECT_EQ(run_node("find", R"({"condition":"item.a > 3","return_index":true})", {input}),
            R"({"condition":"item.a \u003e 3","found":{"a":5},"index":1})");
}

TEST(ArrayFind, BindsIndexAndItems) {
  EXPECT_EQ(
      member(run_node("find", R"({"condition":"variables.index == 1"})", {"[10,20,30]"}), "found"),
      "20");
  // The reference cannot resolve a bare `index` (language.md §7.1 row 19).
  EXPECT_EQ(member(run_node("find", R"({"condition":"index == 1"})", {"[10,20,30]"}), "found"),
            "20");
  EXPECT_EQ(
      member(run_node("find", R"({"condition":"item == items[2]"})", {"[10,30,30]"}), "found"),
      "30");
}

TEST(ArrayFind, NoMatch) {
  EXPECT_EQ(run_node("find", R"({"condition":"item > 100"})", {"[10,20,30]"}),
            R"({"condition":"item \u003e 100","found":null,"input_count":3,"not_found":true})");
  EXPECT_EQ(run_node("find", R"({"condition":"item > 100","return_index":true})", {"[]"}),
            R"({"condition":"item \u003e 100","found":null,"input_count":0,"not_found":true})");
}

TEST(ArrayFind, ErrorsAreNonMatches) {
  EXPECT_EQ(run_node("find", R"({"condition":"1 / item","return_index":true})", {"[0,2]"}),
            R"({"condition":"1 / item","found":null,"input_count":2,"not_found":true})");
}

TEST(ArrayFind, NonArraysGiveTheNapObjectWithoutArrayExtraction) {
  EXPECT_EQ(run_node("find", R"({"condition":"item > 0"})", {R"({"items":[1]})"}),
            nap(R"({"items":[1]})", "map[string]interface {}"));
  EXPECT_EQ(run_node_values("find", R"({"condition":"item > 0"})", {sample_record_list()}),
            nap(R"([{"a":1},{"a":2}])", "[]map[string]interface {}"));
}

TEST(ArrayFind, Errors) {
  EXPECT_EQ(run_node("find", R"({"condition":"item"})"), "error: find node needs at least 1 input");
  EXPECT_EQ(run_node("find", R"({"condition":""})", {"[1]"}),
            "error: find node missing required 'condition' string");
  // Checked after the array test.
  EXPECT_EQ(run_node("find", R"({"condition":""})", {"1"}), nap("1", "float64"));
  EXPECT_TRUE(is_syntax_error(run_node("find", R"({"condition":"item =="})", {"[1]"})));
  EXPECT_EQ(node_payload_error("find", R"({"return_index":true})"),
            decode_error("find", "missing required field: condition"));
  EXPECT_EQ(node_payload_error("find", R"({"condition":"x","return_index":"yes"})"),
            decode_error("find",
                         "json: cannot unmarshal string into Go struct field "
                         "FindData.return_index of type bool"));
}

// --- partition -------------------------------------------------------------

TEST(ArrayPartition, SplitsByTheCondition) {
  EXPECT_EQ(run_node("partition", R"({"condition":"item % 2 == 0"})", {"[1,2,3,4]"}),
            R"({"condition":"item % 2 == 0","failed":[1,3],"failed_count":2,"input_count":4,)"
            R"("passed":[2,4],"passed_count":2})");
}

TEST(ArrayPartition, EmptySidesAreNull) {
  EXPECT_EQ(run_node("partition", R"({"condition":"item % 2 == 0"})", {"[1,3]"}),
            R"({"condition":"item % 2 == 0","failed":[1,3],"failed_count":2,"input_count":2,)"
            R"("passed":null,"passed_count":0})");
  EXPECT_EQ(run_node("partition", R"({"condition":"item > 0"})", {"[]"}),
            R"({"condition":"item \u003e 0","failed":null,"failed_count":0,"input_count":0,)"
            R"("passed":null,"passed_count":0})");
}

TEST(ArrayPartition, ErrorsGoToFailed) {
  EXPECT_EQ(member(run_node("partition", R"({"condition":"1 / item"})", {"[0]"}), "failed"), "[0]");
}

TEST(ArrayPartition, ExtractsTheArrayLikeFilterAndBindsIndexAndItems) {
  EXPECT_EQ(
      run_node("partition", R"({"condition":"index < items.length - 1"})", {R"({"data":[5,6,7]})"}),
      R"({"condition":"index \u003c items.length - 1","failed":[7],"failed_count":1,)"
      R"("input_count":3,"passed":[5,6],"passed_count":2})");
  EXPECT_EQ(run_node("partition", R"({"condition":"item > 0"})", {R"({"data":"x"})"}),
            nap(R"({"data":"x"})", "map[string]interface {}"));
  EXPECT_EQ(run_node_values("partition", R"({"condition":"item > 0"})", {sample_record_list()}),
            nap(R"([{"a":1},{"a":2}])", "[]map[string]interface {}"));
}

TEST(ArrayPartition, Errors) {
  EXPECT_EQ(run_node("partition", R"({"condition":"item"})"),
            "error: partition node needs at least 1 input");
  EXPECT_EQ(run_node("partition", R"({"condition":""})", {"[1]"}),
            "error: partition node missing required 'condition' string");
  EXPECT_EQ(run_node("partition", R"({"condition":""})", {"true"}), nap("true", "bool"));
  EXPECT_TRUE(is_syntax_error(run_node("partition", R"({"condition":"(item"})", {"[1]"})));
  EXPECT_EQ(node_payload_error("partition", "{}"),
            decode_error("partition", "missing required field: condition"));
}

// --- limits and workflows --------------------------------------------------

TEST(ArrayExpressionLimits, LongLoopsPollTheHost) {
  Array big(20000, Value::number(1));
  testing::CountingHost counting;
  EXPECT_EQ(
      member(run_node_values("map", R"({"expression":"item + 1"})", {Value::array(big)}, &counting),
             "successful"),
      "20000");
  EXPECT_GE(counting.checks, 19u);
  testing::CountingHost interrupting(1);
  EXPECT_THROW(
      run_node_values("filter", R"({"condition":"item > 0"})", {Value::array(big)}, &interrupting),
      std::runtime_error);
}

TEST(ArrayExpressionWorkflow, RangeThenFilterUsesTheRangeKey) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":6}},
      {"id":"f","type":"filter","data":{"condition":"item % 2 == 0"}}],
    "edges":[{"source":"r","target":"f"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(member(testing::json(r.node("f")), "filtered"), "[2,4,6]");
}

TEST(ArrayExpressionWorkflow, ChainedNodesSeeEachOthersResults) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":4}},
      {"id":"f","type":"filter","data":{"condition":"item > 1"}},
      {"id":"p","type":"partition","data":{"condition":"item > node.f.input_count - 2"}}],
    "edges":[{"source":"r","target":"f"},{"source":"f","target":"p"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  // The filter's output is an object: partition would need an array key,
  // and `filtered` is not one of them.
  EXPECT_EQ(member(testing::json(r.node("p")), "error"), R"("input is not an array")");
}

}  // namespace
}  // namespace thaiyyal
