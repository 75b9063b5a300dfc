// Array reshaping nodes (nodes.md): slice, reverse, chunk, compact, range,
// transpose, zip, sample, flat_map. Expected texts are the reference's JSON.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

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

// --- NAP objects, shared by every node of this family ----------------------

TEST(ArrayShapeNap, NonArrayInputsPassThroughWithTheirGoTypeName) {
  for (const char* type : {"slice", "reverse", "compact", "transpose", "flat_map"}) {
    SCOPED_TRACE(type);
    EXPECT_EQ(run_node(type, "{}", {"5"}), nap("5", "float64"));
    EXPECT_EQ(run_node(type, "{}", {R"("x")"}), nap(R"("x")", "string"));
    EXPECT_EQ(run_node(type, "{}", {"true"}), nap("true", "bool"));
    // Go's encoder escapes < and > (values.md §6): "<nil>".
    EXPECT_EQ(run_node(type, "{}", {"null"}), nap("null", R"(\u003cnil\u003e)"));
    EXPECT_EQ(run_node(type, "{}", {R"({"items":[1]})"}),
              nap(R"({"items":[1]})", "map[string]interface {}"));
  }
  EXPECT_EQ(run_node("chunk", R"({"size":2})", {"5"}), nap("5", "float64"));
  EXPECT_EQ(run_node("sample", R"({"count":2})", {"5"}), nap("5", "float64"));
}

TEST(ArrayShapeNap, ARecordListIsNotAnArray) {
  const std::string expected = nap(R"([{"a":1},{"a":2}])", "[]map[string]interface {}");
  for (const char* type : {"slice", "reverse", "compact", "transpose", "flat_map"}) {
    SCOPED_TRACE(type);
    EXPECT_EQ(run_node_values(type, "{}", {sample_record_list()}), expected);
  }
  EXPECT_EQ(run_node_values("chunk", R"({"size":1})", {sample_record_list()}), expected);
  EXPECT_EQ(run_node_values("sample", R"({"count":1})", {sample_record_list()}), expected);
}

TEST(ArrayShapeNap, ANodeWithoutInputsFails) {
  EXPECT_EQ(run_node("slice", "{}"), "error: slice node needs at least 1 input");
  EXPECT_EQ(run_node("reverse", "{}"), "error: reverse node needs at least 1 input");
  EXPECT_EQ(run_node("chunk", R"({"size":2})"), "error: chunk node needs at least 1 input");
  EXPECT_EQ(run_node("compact", "{}"), "error: compact node needs at least 1 input");
  EXPECT_EQ(run_node("transpose", "{}"), "error: transpose node needs at least 1 input");
  EXPECT_EQ(run_node("sample", R"({"count":1})"), "error: sample node needs at least 1 input");
  EXPECT_EQ(run_node("flat_map", "{}"), "error: flat_map node needs at least 1 input");
}

// --- slice -----------------------------------------------------------------

TEST(ArraySlice, StartAndEnd) {
  EXPECT_EQ(run_node("slice", R"({"start":1,"end":3})", {"[1,2,3,4,5]"}),
            R"({"end":3,"input_count":5,"output_count":2,"sliced":[2,3],"start":1})");
}

TEST(ArraySlice, NegativeStartCountsFromTheEnd) {
  EXPECT_EQ(run_node("slice", R"({"start":-2})", {"[1,2,3,4,5]"}),
            R"({"end":5,"input_count":5,"output_count":2,"sliced":[4,5],"start":3})");
  EXPECT_EQ(run_node("slice", R"({"start":-9})", {"[1,2,3]"}),
            R"({"end":3,"input_count":3,"output_count":3,"sliced":[1,2,3],"start":0})");
}

TEST(ArraySlice, LengthIsCountedFromTheClampedStart) {
  EXPECT_EQ(run_node("slice", R"({"start":1,"length":2})", {"[1,2,3,4,5]"}),
            R"({"end":3,"input_count":5,"output_count":2,"sliced":[2,3],"start":1})");
  EXPECT_EQ(run_node("slice", R"({"start":-9,"length":2})", {"[1,2,3,4,5]"}),
            R"({"end":2,"input_count":5,"output_count":2,"sliced":[1,2],"start":0})");
  // An explicit end wins over length.
  EXPECT_EQ(run_node("slice", R"({"start":1,"end":2,"length":3})", {"[1,2,3,4,5]"}),
            R"({"end":2,"input_count":5,"output_count":1,"sliced":[2],"start":1})");
}

TEST(ArraySlice, OnlyJsonNumbersAreHonoured) {
  EXPECT_EQ(run_node("slice", R"({"start":"1","end":"3"})", {"[1,2,3,4,5]"}),
            R"({"end":5,"input_count":5,"output_count":5,"sliced":[1,2,3,4,5],"start":0})");
  EXPECT_EQ(run_node("slice", R"({"start":true,"end":[2],"length":{"n":1}})", {"[1,2]"}),
            R"({"end":2,"input_count":2,"output_count":2,"sliced":[1,2],"start":0})");
}

TEST(ArraySlice, StartAfterEndGivesAnEmptySliceNeverNull) {
  EXPECT_EQ(run_node("slice", R"({"start":4,"end":2})", {"[1,2,3,4,5]"}),
            R"({"end":2,"input_count":5,"output_count":0,"sliced":[],"start":2})");
  EXPECT_EQ(run_node("slice", "{}", {"[]"}),
            R"({"end":0,"input_count":0,"output_count":0,"sliced":[],"start":0})");
}

TEST(ArraySlice, FractionsAreTruncatedTowardZero) {
  EXPECT_EQ(run_node("slice", R"({"start":1.9,"end":-1.5})", {"[1,2,3,4,5]"}),
            R"({"end":4,"input_count":5,"output_count":3,"sliced":[2,3,4],"start":1})");
}

TEST(ArraySlice, HugeNumbersConvertLikeGoIntOnAmd64) {
  // Go's int(1e300) is the minimum int64, which then counts as "negative,
  // from the end" and clamps to 0.
  EXPECT_EQ(run_node("slice", R"({"start":1e300})", {"[1,2]"}),
            R"({"end":2,"input_count":2,"output_count":2,"sliced":[1,2],"start":0})");
  EXPECT_EQ(run_node("slice", R"({"end":1e300})", {"[1,2]"}),
            R"({"end":0,"input_count":2,"output_count":0,"sliced":[],"start":0})");
  EXPECT_EQ(run_node("slice", R"({"start":1,"length":9e18})", {"[1,2]"}),
            R"({"end":2,"input_count":2,"output_count":1,"sliced":[2],"start":1})");
}

// --- reverse ---------------------------------------------------------------

TEST(ArrayReverse, ReversesACopy) {
  EXPECT_EQ(run_node("reverse", "{}", {"[1,2,3]"}), R"({"count":3,"reversed":[3,2,1]})");
  EXPECT_EQ(run_node("reverse", "{}", {"[]"}), R"({"count":0,"reversed":[]})");
}

// --- chunk -----------------------------------------------------------------

TEST(ArrayChunk, ConsecutiveChunksTheLastOneShorter) {
  EXPECT_EQ(run_node("chunk", R"({"size":2})", {"[1,2,3,4,5]"}),
            R"({"chunk_count":3,"chunk_size":2,"chunks":[[1,2],[3,4],[5]],"input_count":5})");
  EXPECT_EQ(run_node("chunk", R"({"size":5})", {"[1,2]"}),
            R"({"chunk_count":1,"chunk_size":5,"chunks":[[1,2]],"input_count":2})");
}

TEST(ArrayChunk, ANonNumberSizeSilentlyMeansTen) {
  EXPECT_EQ(run_node("chunk", R"({"size":"2"})", {"[1,2,3]"}),
            R"({"chunk_count":1,"chunk_size":10,"chunks":[[1,2,3]],"input_count":3})");
}

TEST(ArrayChunk, FractionalSizeIsTruncated) {
  EXPECT_EQ(run_node("chunk", R"({"size":2.9})", {"[1,2,3]"}),
            R"({"chunk_count":2,"chunk_size":2,"chunks":[[1,2],[3]],"input_count":3})");
}

TEST(ArrayChunk, EmptyInputGivesNullChunks) {
  EXPECT_EQ(run_node("chunk", R"({"size":2})", {"[]"}),
            R"({"chunk_count":0,"chunk_size":2,"chunks":null,"input_count":0})");
}

TEST(ArrayChunk, SizeMustBePositiveCheckedAfterTheArrayTest) {
  EXPECT_EQ(run_node("chunk", R"({"size":0})", {"[1]"}),
            "error: chunk size must be greater than 0, got 0");
  EXPECT_EQ(run_node("chunk", R"({"size":-1.5})", {"[1]"}),
            "error: chunk size must be greater than 0, got -1");
  EXPECT_EQ(run_node("chunk", R"({"size":0.5})", {"[]"}),
            "error: chunk size must be greater than 0, got 0");
  EXPECT_EQ(run_node("chunk", R"({"size":0})", {R"("x")"}), nap(R"("x")", "string"));
}

TEST(ArrayChunk, SizeIsRequiredAtDecodeTime) {
  EXPECT_EQ(node_payload_error("chunk", "{}"),
            decode_error("chunk", "missing required field: size"));
  EXPECT_EQ(node_payload_error("chunk", R"({"size":null})"),
            decode_error("chunk", "missing required field: size"));
  EXPECT_EQ(node_payload_error("chunk", R"({"size":"any type"})"), "");
}

// --- compact ---------------------------------------------------------------

TEST(ArrayCompact, DropsOnlyNulls) {
  EXPECT_EQ(run_node("compact", "{}", {R"([1,null,"",0,false,[],{}])"}),
            R"({"compacted":[1,"",0,false,[],{}],"input_count":7,"output_count":6,"removed":1})");
}

TEST(ArrayCompact, RemoveEmptyAlsoDropsEmptyStrings) {
  EXPECT_EQ(run_node("compact", R"({"remove_empty":true})", {R"([1,null,"",0])"}),
            R"({"compacted":[1,0],"input_count":4,"output_count":2,"removed":2})");
}

TEST(ArrayCompact, NothingLeftGivesNull) {
  EXPECT_EQ(run_node("compact", "{}", {"[null]"}),
            R"({"compacted":null,"input_count":1,"output_count":0,"removed":1})");
  EXPECT_EQ(run_node("compact", "{}", {"[]"}),
            R"({"compacted":null,"input_count":0,"output_count":0,"removed":0})");
}

TEST(ArrayCompact, DropsNaNNumbers) {
  Array items{Value::number(std::nan("")), Value::number(1), Value::integer(2)};
  EXPECT_EQ(run_node_values("compact", "{}", {Value::array(items)}),
            R"({"compacted":[1,2],"input_count":3,"output_count":2,"removed":1})");
}

TEST(ArrayCompact, RemoveEmptyIsABoolean) {
  EXPECT_EQ(node_payload_error("compact", R"({"remove_empty":"yes"})"),
            decode_error("compact",
                         "json: cannot unmarshal string into Go struct field "
                         "CompactData.remove_empty of type bool"));
}

// --- range -----------------------------------------------------------------

TEST(ArrayRange, StartEndStep) {
  EXPECT_EQ(run_node("range", R"({"start":0,"end":5,"step":2})"),
            R"({"count":3,"end":5,"range":[0,2,4],"start":0,"step":2})");
}

TEST(ArrayRange, RepeatedFloatingPointAddition) {
  EXPECT_EQ(run_node("range", R"({"start":0,"end":1,"step":0.1})"),
            R"({"count":11,"end":1,"range":[0,0.1,0.2,0.30000000000000004,0.4,0.5,0.6,)"
            R"(0.7,0.7999999999999999,0.8999999999999999,0.9999999999999999],"start":0,)"
            R"("step":0.1})");
}

TEST(ArrayRange, NegativeStep) {
  EXPECT_EQ(run_node("range", R"({"start":5,"end":1,"step":-2})"),
            R"({"count":3,"end":1,"range":[5,3,1],"start":5,"step":-2})");
}

TEST(ArrayRange, NonNumbersTakeTheDefaults) {
  EXPECT_EQ(run_node("range", R"({"start":"a","end":"b","step":"c"})"),
            R"({"count":11,"end":10,"range":[0,1,2,3,4,5,6,7,8,9,10],"start":0,"step":1})");
}

TEST(ArrayRange, InputsAreIgnored) {
  EXPECT_EQ(run_node("range", R"({"start":1,"end":2})", {"[7,8,9]", "3"}),
            R"({"count":2,"end":2,"range":[1,2],"start":1,"step":1})");
}

TEST(ArrayRange, AtMost9999Values) {
  std::string ok = run_node("range", R"({"start":1,"end":9999})");
  EXPECT_NE(ok.find(R"("count":9999,)"), std::string::npos) << ok.substr(0, 40);
  EXPECT_EQ(run_node("range", R"({"start":0,"end":9999})"),
            "error: range would generate more than 10000 items, adjust start/end/step");
  // A step too small to move the value is stopped by the same cap.
  EXPECT_EQ(run_node("range", R"({"start":1e17,"end":2e17,"step":1})"),
            "error: range would generate more than 10000 items, adjust start/end/step");
}

TEST(ArrayRange, Errors) {
  EXPECT_EQ(run_node("range", R"({"start":0,"end":5,"step":0})"), "error: range step cannot be 0");
  EXPECT_EQ(run_node("range", R"({"start":5,"end":1})"),
            "error: range with positive step requires start <= end, got start=5 end=1");
  EXPECT_EQ(run_node("range", R"({"start":1,"end":5,"step":-1})"),
            "error: range with negative step requires start >= end, got start=1 end=5");
  // Numbers in the messages are Go %v forms.
  EXPECT_EQ(run_node("range", R"({"start":1000000,"end":0.00001})"),
            "error: range with positive step requires start <= end, got start=1e+06 end=1e-05");
}

TEST(ArrayRange, StartAndEndAreRequiredAtDecodeTime) {
  const std::string reason = "missing required field: start and end";
  EXPECT_EQ(node_payload_error("range", R"({"start":0})"), decode_error("range", reason));
  EXPECT_EQ(node_payload_error("range", R"({"end":0})"), decode_error("range", reason));
  EXPECT_EQ(node_payload_error("range", R"({"start":null,"end":1})"),
            decode_error("range", reason));
}

// --- transpose -------------------------------------------------------------

TEST(ArrayTranspose, Matrix) {
  EXPECT_EQ(run_node("transpose", "{}", {"[[1,2,3],[4,5,6]]"}),
            R"({"cols":3,"rows":2,"transposed":[[1,4],[2,5],[3,6]],"transposed_cols":2,)"
            R"("transposed_rows":3})");
}

TEST(ArrayTranspose, EmptyShapes) {
  EXPECT_EQ(run_node("transpose", "{}", {"[[],[]]"}),
            R"({"cols":0,"rows":2,"transposed":[],"transposed_cols":2,"transposed_rows":0})");
  EXPECT_EQ(run_node("transpose", "{}", {"[]"}), R"({"cols":0,"rows":0,"transposed":[]})");
}

TEST(ArrayTranspose, MalformedMatricesAreReportedInTheOutputNotAsErrors) {
  EXPECT_EQ(
      run_node("transpose", "{}", {"[1,[2]]"}),
      R"J({"error":"input is not a 2D array (array of arrays)","expected":"array of arrays",)J"
      R"("first_element":1})");
  EXPECT_EQ(run_node("transpose", "{}", {R"([[1],"x"])"}),
            R"({"error":"row 1 is not an array","row_index":1,"row_value":"x"})");
  EXPECT_EQ(run_node("transpose", "{}", {"[[1,2],[3]]"}),
            R"({"actual_cols":1,"error":"all rows must have the same length","expected_cols":2,)"
            R"("row_index":1})");
}

// --- zip -------------------------------------------------------------------

TEST(ArrayZip, InputAndConfiguredArraysPaddedWithFillMissing) {
  EXPECT_EQ(
      run_node("zip", R"({"arrays":[["a","b"],"notarr",[true]],"fill_missing":0})", {"[1,2,3]"}),
      R"({"array_count":3,"max_length":3,"tuple_count":3,)"
      R"("zipped":[[1,"a",true],[2,"b",0],[3,0,0]]})");
}

TEST(ArrayZip, FillMissingDefaultsToNull) {
  EXPECT_EQ(run_node("zip", R"({"arrays":[[]]})", {"[1]"}),
            R"({"array_count":2,"max_length":1,"tuple_count":1,"zipped":[[1,null]]})");
}

TEST(ArrayZip, OnlyAnArrayFirstInputCounts) {
  EXPECT_EQ(run_node("zip", R"({"arrays":[[9]]})", {"[1]", "[2]"}),
            R"({"array_count":2,"max_length":1,"tuple_count":1,"zipped":[[1,9]]})");
  EXPECT_EQ(run_node("zip", R"({"arrays":[[9]]})", {R"("x")", "[2]"}),
            R"({"array_count":1,"max_length":1,"tuple_count":1,"zipped":[[9]]})");
  EXPECT_EQ(run_node("zip", R"({"arrays":[[9]]})"),
            R"({"array_count":1,"max_length":1,"tuple_count":1,"zipped":[[9]]})");
  EXPECT_EQ(run_node_values("zip", R"({"arrays":[[9]]})", {sample_record_list()}),
            R"({"array_count":1,"max_length":1,"tuple_count":1,"zipped":[[9]]})");
}

TEST(ArrayZip, NoTuplesGivesNull) {
  EXPECT_EQ(run_node("zip", "{}", {"[]"}),
            R"({"array_count":1,"max_length":0,"tuple_count":0,"zipped":null})");
}

TEST(ArrayZip, NeedsAtLeastOneArray) {
  EXPECT_EQ(run_node("zip", "{}"), "error: zip node requires at least one array");
  EXPECT_EQ(run_node("zip", R"({"arrays":"[1]"})", {"5"}),
            "error: zip node requires at least one array");
  EXPECT_EQ(run_node("zip", R"({"arrays":[1,"x"]})", {R"({"a":[1]})"}),
            "error: zip node requires at least one array");
}

// --- sample ----------------------------------------------------------------

TEST(ArraySample, FirstAndLast) {
  EXPECT_EQ(run_node("sample", R"({"count":2,"method":"first"})", {"[1,2,3,4]"}),
            R"({"input_count":4,"method":"first","output_count":2,"sample":[1,2]})");
  EXPECT_EQ(run_node("sample", R"({"count":2,"method":"last"})", {"[1,2,3,4]"}),
            R"({"input_count":4,"method":"last","output_count":2,"sample":[3,4]})");
  EXPECT_EQ(run_node("sample", R"({"count":9,"method":"last"})", {"[1,2,3,4]"}),
            R"({"input_count":4,"method":"last","output_count":4,"sample":[1,2,3,4]})");
  EXPECT_EQ(run_node("sample", R"({"count":3,"method":"first"})", {"[]"}),
            R"({"input_count":0,"method":"first","output_count":0,"sample":[]})");
}

TEST(ArraySample, ANonNumberCountSilentlyMeansOne) {
  EXPECT_EQ(run_node("sample", R"({"count":"2","method":"first"})", {"[1,2,3,4]"}),
            R"({"input_count":4,"method":"first","output_count":1,"sample":[1]})");
}

TEST(ArraySample, RandomWithCountAtLeastTheLengthIsTheWholeArrayInOrder) {
  EXPECT_EQ(run_node("sample", R"({"count":5})", {"[1,2,3]"}),
            R"({"input_count":3,"method":"random","output_count":3,"sample":[1,2,3]})");
  EXPECT_EQ(run_node("sample", R"({"count":3,"method":"random"})", {"[3,2,1]"}),
            R"({"input_count":3,"method":"random","output_count":3,"sample":[3,2,1]})");
}

std::set<double> sampled_numbers(const std::string& output_json) {
  Value v = parse_json(output_json);
  std::set<double> out;
  for (const Value& e : v.find("sample")->as_array()) out.insert(e.as_number());
  return out;
}

TEST(ArraySample, RandomPicksDistinctElements) {
  const std::string input = "[1,2,3,4,5,6,7,8,9,10]";
  for (int round = 0; round < 20; ++round) {
    std::string result = run_node("sample", R"({"count":4})", {input});
    std::set<double> picked = sampled_numbers(result);
    ASSERT_EQ(picked.size(), 4u) << result;
    for (double d : picked) EXPECT_TRUE(d >= 1 && d <= 10) << result;
  }
}

TEST(ArraySample, SeedMakesRandomSamplingReproducible) {
  // `seed` is our extension: the reference seeds from the clock.
  const std::string input = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]";
  const std::string a = run_node("sample", R"({"count":5,"seed":42})", {input});
  // Pinned: the same seed must keep giving the same sample across versions
  // (std::mt19937_64 and our rejection sampling are both fully specified).
  EXPECT_EQ(a, R"({"input_count":20,"method":"random","output_count":5,"sample":[7,1,2,3,10]})");
  EXPECT_EQ(run_node("sample", R"({"count":5,"seed":42})", {input}), a);
  EXPECT_EQ(sampled_numbers(a).size(), 5u) << a;
  bool some_seed_differs = false;
  for (int seed = 1; seed <= 5 && !some_seed_differs; ++seed) {
    some_seed_differs =
        run_node("sample", R"({"count":5,"seed":)" + std::to_string(seed) + "}", {input}) != a;
  }
  EXPECT_TRUE(some_seed_differs);
  // first/last ignore the seed.
  EXPECT_EQ(run_node("sample", R"({"count":2,"method":"first","seed":7})", {"[1,2,3]"}),
            R"({"input_count":3,"method":"first","output_count":2,"sample":[1,2]})");
}

TEST(ArraySample, SeedIsAnInteger) {
  EXPECT_EQ(node_payload_error("sample", R"({"count":1,"seed":1.5})"),
            decode_error("sample",
                         "json: cannot unmarshal number 1.5 into Go struct field SampleData.seed "
                         "of type int"));
}

TEST(ArraySample, Errors) {
  EXPECT_EQ(run_node("sample", R"({"count":0})", {"[1]"}),
            "error: sample count must be greater than 0, got 0");
  EXPECT_EQ(run_node("sample", R"({"count":-3.7,"method":"first"})", {"[1]"}),
            "error: sample count must be greater than 0, got -3");
  EXPECT_EQ(run_node("sample", R"({"count":1,"method":"middle"})", {"[1]"}),
            "error: unknown sample method: middle (must be 'random', 'first', or 'last')");
  EXPECT_EQ(run_node("sample", R"({"count":1,"method":""})", {"[1]"}),
            "error: unknown sample method:  (must be 'random', 'first', or 'last')");
  EXPECT_EQ(node_payload_error("sample", R"({"method":"first"})"),
            decode_error("sample", "missing required field: count"));
}

// --- flat_map --------------------------------------------------------------

TEST(ArrayFlatMap, FlattensOneLevel) {
  EXPECT_EQ(run_node("flat_map", "{}", {"[[1,2],[3,[4]],5]"}),
            R"({"field":"","flattened":[1,2,3,[4],5],"input_count":3,"output_count":5})");
  EXPECT_EQ(run_node("flat_map", R"({"field":"."})", {"[[1],2]"}),
            R"({"field":".","flattened":[1,2],"input_count":2,"output_count":2})");
}

TEST(ArrayFlatMap, ByField) {
  EXPECT_EQ(run_node("flat_map", R"({"field":"t"})", {R"([{"t":[1,2]},{"t":3},{"x":1},7])"}),
            R"({"field":"t","flattened":[1,2,3],"input_count":4,"output_count":3})");
  EXPECT_EQ(run_node("flat_map", R"({"field":"t"})", {R"([{"t":null},{"t":[[5]]}])"}),
            R"({"field":"t","flattened":[null,[5]],"input_count":2,"output_count":2})");
}

TEST(ArrayFlatMap, NothingCollectedGivesNull) {
  EXPECT_EQ(run_node("flat_map", "{}", {"[]"}),
            R"({"field":"","flattened":null,"input_count":0,"output_count":0})");
  EXPECT_EQ(run_node("flat_map", "{}", {"[[],[]]"}),
            R"({"field":"","flattened":null,"input_count":2,"output_count":0})");
}

TEST(ArrayFlatMap, ExpressionIsIgnoredButTyped) {
  EXPECT_EQ(run_node("flat_map", R"({"expression":"item * 2"})", {"[[1],2]"}),
            R"({"field":"","flattened":[1,2],"input_count":2,"output_count":2})");
  EXPECT_EQ(node_payload_error("flat_map", R"({"expression":5})"),
            decode_error("flat_map",
                         "json: cannot unmarshal number into Go struct field "
                         "FlatMapData.expression of type string"));
}

// --- long loops poll the host ----------------------------------------------

TEST(ArrayShapeLimits, LongLoopsCheckForInterrupts) {
  Array big(100000, Value::number(1));
  testing::CountingHost counting;
  run_node_values("chunk", R"({"size":1})", {Value::array(big)}, &counting);
  EXPECT_GE(counting.checks, 90u);
  testing::CountingHost interrupting(1);
  EXPECT_THROW(run_node_values("flat_map", "{}", {Value::array(big)}, &interrupting),
               std::runtime_error);
}

// --- data decoding shared by all array node types ---------------------------

TEST(ArrayNodesData, WithoutDataEveryArrayTypeFailsWithItsStructName) {
  const std::pair<const char*, const char*> types[] = {
      {"filter", "FilterData"},       {"map", "MapData"},
      {"reduce", "ReduceData"},       {"find", "FindData"},
      {"partition", "PartitionData"}, {"slice", "SliceData"},
      {"reverse", "ReverseData"},     {"chunk", "ChunkData"},
      {"compact", "CompactData"},     {"range", "RangeData"},
      {"transpose", "TransposeData"}, {"zip", "ZipData"},
      {"sample", "SampleData"},       {"flat_map", "FlatMapData"},
      {"sort", "SortData"},           {"group_by", "GroupByData"},
      {"unique", "UniqueData"}};
  for (const auto& [type, struct_name] : types) {
    auto r = run_workflow(R"({"nodes":[{"id":"x","type":")" + std::string(type) + R"("}]})");
    EXPECT_EQ(r.error(),
              "error executing node x: expected " + std::string(struct_name) + ", got <nil>");
    // Every type accepts a string label and rejects any other label.
    EXPECT_EQ(node_payload_error(type, R"({"label":5})"),
              decode_error(type, "json: cannot unmarshal number into Go struct field " +
                                     std::string(struct_name) + ".label of type string"));
  }
}

// --- in a workflow ---------------------------------------------------------

TEST(ArrayShapeWorkflow, RangeThenChunk) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":5}},
      {"id":"c","type":"chunk","data":{"size":2}}],
    "edges":[{"source":"r","target":"c"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  // A range output is an object, not an array: chunk passes it through.
  EXPECT_EQ(testing::json(r.node("c")),
            nap(R"({"count":5,"end":5,"range":[1,2,3,4,5],"start":1,"step":1})",
                "map[string]interface {}"));
}

}  // namespace
}  // namespace thaiyyal
