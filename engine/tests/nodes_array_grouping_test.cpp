// Array ordering and grouping nodes (nodes.md): sort, group_by, unique.
// Expected texts are the reference's JSON; the long sort cases were produced
// by Go's sort.SliceStable with the reference's comparator.
#include <gtest/gtest.h>

#include "engine/tests/nodes_array_support.hpp"

namespace thaiyyal {
namespace {

using testing::decode_error;
using testing::nap;
using testing::node_payload_error;
using testing::run_node;
using testing::run_node_values;
using testing::sample_record_list;

// The "sorted" member of a sort output.
std::string sorted_of(const std::string& output_json) {
  const Value output = parse_json(output_json);
  const Value* sorted = output.find("sorted");
  return sorted == nullptr ? output_json : to_json(*sorted);
}

// The "i" members of the sorted objects, as a JSON array.
std::string sorted_ids(const std::string& output_json) {
  Array ids;
  const Value output = parse_json(output_json);
  for (const Value& e : output.find("sorted")->as_array()) {
    const Value* i = e.find("i");
    ids.push_back(i == nullptr ? Value() : *i);
  }
  return to_json(Value::array(std::move(ids)));
}

// --- NAP objects and missing inputs ---------------------------------------

TEST(ArrayGroupingNap, NonArrayInputsPassThrough) {
  EXPECT_EQ(run_node("sort", "{}", {"5"}), nap("5", "float64"));
  EXPECT_EQ(run_node("unique", "{}", {R"({"a":[1]})"}),
            nap(R"({"a":[1]})", "map[string]interface {}"));
  // group_by tests the input before its field.
  EXPECT_EQ(run_node("group_by", R"({"field":""})", {R"("x")"}), nap(R"("x")", "string"));
  const std::string records = nap(R"([{"a":1},{"a":2}])", "[]map[string]interface {}");
  EXPECT_EQ(run_node_values("sort", "{}", {sample_record_list()}), records);
  EXPECT_EQ(run_node_values("unique", "{}", {sample_record_list()}), records);
  EXPECT_EQ(run_node_values("group_by", R"({"field":"a"})", {sample_record_list()}), records);
}

TEST(ArrayGroupingNap, NodesWithoutInputsFail) {
  EXPECT_EQ(run_node("sort", "{}"), "error: sort node needs at least 1 input");
  EXPECT_EQ(run_node("group_by", R"({"field":"k"})"),
            "error: group_by node needs at least 1 input");
  EXPECT_EQ(run_node("unique", "{}"), "error: unique node needs at least 1 input");
}

// --- sort ------------------------------------------------------------------

TEST(ArraySort, ByFieldAscendingKeepsTiesInInputOrder) {
  const char* input = R"([{"k":1,"i":0},{"k":1,"i":1},{"k":2,"i":2},{"k":1,"i":3}])";
  const std::string result = run_node("sort", R"({"field":"k"})", {input});
  EXPECT_EQ(result, R"({"count":4,"field":"k","order":"asc","sorted":[{"i":0,"k":1},{"i":1,"k":1},)"
                    R"({"i":3,"k":1},{"i":2,"k":2}]})");
}

TEST(ArraySort, DescendingReversesTiesInShortArrays) {
  const char* input = R"([{"k":1,"i":0},{"k":1,"i":1},{"k":2,"i":2},{"k":1,"i":3}])";
  EXPECT_EQ(sorted_ids(run_node("sort", R"({"field":"k","order":"desc"})", {input})), "[2,3,1,0]");
}

TEST(ArraySort, MixedKindsNullFirstThenSameKindOrElseGoVText) {
  const char* input = R"([3,"a",null,true,1,"10",2.5])";
  EXPECT_EQ(sorted_of(run_node("sort", "{}", {input})), R"([null,1,"10",2.5,3,"a",true])");
  EXPECT_EQ(sorted_of(run_node("sort", R"({"order":"desc"})", {input})),
            R"([true,"a",3,2.5,"10",1,null])");
}

TEST(ArraySort, OrderIsCaseInsensitiveAndEchoedLowerCased) {
  EXPECT_EQ(run_node("sort", R"({"order":"DESC"})", {"[1,3,2]"}),
            R"({"count":3,"field":"","order":"desc","sorted":[3,2,1]})");
  // Anything else sorts ascending, with no validation.
  EXPECT_EQ(run_node("sort", R"({"order":"Sideways"})", {"[1,3,2]"}),
            R"({"count":3,"field":"","order":"sideways","sorted":[1,2,3]})");
  EXPECT_EQ(run_node("sort", "{}", {"[]"}), R"({"count":0,"field":"","order":"asc","sorted":[]})");
}

TEST(ArraySort, MissingFieldsAndNonObjectsSortAsNull) {
  EXPECT_EQ(run_node("sort", R"({"field":"k"})", {R"([{"k":2},7,{"x":1},{"k":null},{"k":1}])"}),
            R"({"count":5,"field":"k","order":"asc","sorted":[7,{"x":1},{"k":null},{"k":1},)"
            R"({"k":2}]})");
}

TEST(ArraySort, GoIntAndFloat64CompareAsText) {
  // int vs float64 is not numeric: "10" < "9" as text.
  EXPECT_EQ(sorted_of(run_node_values("sort", "{}",
                                      {Value::array({Value::integer(10), Value::number(9)})})),
            "[10,9]");
  EXPECT_EQ(sorted_of(run_node_values("sort", "{}",
                                      {Value::array({Value::integer(10), Value::integer(9)})})),
            "[9,10]");
}

TEST(ArraySort, LongDescendingSortWithTiesFollowsGoStableSort) {
  // 45 elements: insertion-sorted blocks of 20, then SymMerge.
  std::string input = "[";
  for (int i = 0; i < 45; ++i) {
    if (i > 0) input += ",";
    input += R"({"k":)" + std::to_string(i % 3) + R"(,"i":)" + std::to_string(i) + "}";
  }
  input += "]";
  EXPECT_EQ(sorted_ids(run_node("sort", R"({"field":"k","order":"desc"})", {input})),
            "[44,41,38,35,32,29,26,23,20,17,14,11,8,5,2,43,40,37,34,31,28,25,22,19,16,13,10,7,4,"
            "1,42,39,36,33,30,27,24,21,18,15,12,9,6,3,0]");
  EXPECT_EQ(sorted_ids(run_node("sort", R"({"field":"k"})", {input})),
            "[0,3,6,9,12,15,18,21,24,27,30,33,36,39,42,1,4,7,10,13,16,19,22,25,28,31,34,37,40,"
            "43,2,5,8,11,14,17,20,23,26,29,32,35,38,41,44]");
}

TEST(ArraySort, LongMixedSortsDependOnGoMergeOrder) {
  // The comparator is not transitive across kinds (10 < "9.." as text, "2"
  // < 9 as text, 9 < 10 numerically), so only Go's exact sequence of
  // comparisons gives these results; a whole-array insertion sort differs.
  EXPECT_EQ(
      sorted_of(run_node(
          "sort", R"({"order":"asc"})",
          {R"([true,"-1",false,"","10",true,null,"2",1,"-1","2",9,9,-1,100,1,10,true,2.5,0,10,)"
           R"(100,10,true,100,100,10,{"x":1}])"})),
      R"([null,"","-1","-1",-1,0,1,1,"10",10,10,10,100,100,"2","2",2.5,9,9,10,100,100,false,)"
      R"({"x":1},true,true,true,true])");
  EXPECT_EQ(
      sorted_of(run_node(
          "sort", R"({"order":"DESC"})",
          {R"([2.5,null,"","",null,"10",[1],"2","10",10,{"x":1},null,[1],"9","2",false,null,)"
           R"("10","2",true,"-1",-1,true,9,"9"])"})),
      R"([true,true,{"x":1},false,[1],[1],"9",9,"9",2.5,"2","2","2","10",10,"10","10",-1,"-1",)"
      R"("","",null,null,null,null])");
}

TEST(ArraySort, LongSortsPollTheHost) {
  Array big;
  for (int i = 0; i < 50000; ++i) big.push_back(Value::number((i * 7919) % 1000));
  testing::CountingHost counting;
  run_node_values("sort", "{}", {Value::array(big)}, &counting);
  EXPECT_GT(counting.checks, 100u);
  testing::CountingHost interrupting(1);
  EXPECT_THROW(run_node_values("sort", "{}", {Value::array(big)}, &interrupting),
               std::runtime_error);
}

TEST(ArraySort, FieldsAreStrings) {
  EXPECT_EQ(node_payload_error("sort", R"({"order":1})"),
            decode_error("sort",
                         "json: cannot unmarshal number into Go struct field SortData.order of "
                         "type string"));
}

// --- group_by --------------------------------------------------------------

constexpr const char* kGroupInput =
    R"([{"k":"x","v":1},{"k":"y","v":2},{"k":"x","v":3},{"v":4},5,{"k":1000000}])";
constexpr const char* kGroups =
    R"("groups":{"1e+06":[{"k":1000000}],"5":[5],"\u003cmissing\u003e":[{"v":4}],)"
    R"("x":[{"k":"x","v":1},{"k":"x","v":3}],"y":[{"k":"y","v":2}]},"input_count":6)";

TEST(ArrayGroupBy, SumWithGoVKeys) {
  EXPECT_EQ(
      run_node("group_by", R"({"field":"k","aggregate":"sum","value_field":"v"})", {kGroupInput}),
      std::string(R"({"aggregate":"sum","field":"k","group_count":5,)") + kGroups +
          R"(,"sums":{"1e+06":0,"5":0,"\u003cmissing\u003e":4,"x":4,"y":2}})");
}

TEST(ArrayGroupBy, CountIsTheDefault) {
  EXPECT_EQ(run_node("group_by", R"({"field":"k"})", {kGroupInput}),
            std::string(R"({"aggregate":"count","counts":{"1e+06":1,"5":1,"\u003cmissing\u003e":1,)"
                        R"("x":2,"y":1},"field":"k","group_count":5,)") +
                kGroups + "}");
}

TEST(ArrayGroupBy, AverageMinimumMaximum) {
  const char* input = R"([{"k":"a","v":1},{"k":"a","v":4},{"k":"a","v":"9"},{"k":"b"}])";
  EXPECT_EQ(run_node("group_by", R"({"field":"k","aggregate":"avg","value_field":"v"})", {input}),
            R"({"aggregate":"avg","averages":{"a":2.5,"b":0},"field":"k","group_count":2,)"
            R"("groups":{"a":[{"k":"a","v":1},{"k":"a","v":4},{"k":"a","v":"9"}],"b":[{"k":"b"}]},)"
            R"("input_count":4})");
  EXPECT_EQ(parse_json(run_node("group_by", R"({"field":"k","aggregate":"min","value_field":"v"})",
                                {input}))
                .find("minimums")
                ->find("a")
                ->as_number(),
            1);
  const std::string max =
      run_node("group_by", R"({"field":"k","aggregate":"max","value_field":"v"})", {input});
  EXPECT_EQ(testing::json(parse_json(max).find("maximums")), R"({"a":4,"b":null})");
  const std::string min_without_value_field =
      run_node("group_by", R"({"field":"k","aggregate":"min"})", {input});
  EXPECT_EQ(testing::json(parse_json(min_without_value_field).find("minimums")),
            R"({"a":null,"b":null})");
}

TEST(ArrayGroupBy, GoIntValuesParticipate) {
  Array items{make_object({{"k", Value::string("a")}, {"v", Value::integer(2)}}),
              make_object({{"k", Value::string("a")}, {"v", Value::number(0.5)}})};
  const std::string out = run_node_values(
      "group_by", R"({"field":"k","aggregate":"sum","value_field":"v"})", {Value::array(items)});
  EXPECT_EQ(testing::json(parse_json(out).find("sums")), R"({"a":2.5})");
}

TEST(ArrayGroupBy, ValuesAggregateRepeatsTheGroups) {
  EXPECT_EQ(run_node("group_by", R"({"field":"k","aggregate":"values"})",
                     {R"([{"k":true},{"k":null},{"k":true}])"}),
            R"({"aggregate":"values","field":"k","group_count":2,"groups":{"\u003cnil\u003e":)"
            R"([{"k":null}],"true":[{"k":true},{"k":true}]},"input_count":3,"values":)"
            R"({"\u003cnil\u003e":[{"k":null}],"true":[{"k":true},{"k":true}]}})");
}

TEST(ArrayGroupBy, EmptyInput) {
  EXPECT_EQ(run_node("group_by", R"({"field":"k"})", {"[]"}),
            R"({"aggregate":"count","counts":{},"field":"k","group_count":0,"groups":{},)"
            R"("input_count":0})");
}

TEST(ArrayGroupBy, Errors) {
  EXPECT_EQ(run_node("group_by", R"({"field":""})", {"[1]"}),
            "error: group_by node requires 'field' string");
  EXPECT_EQ(run_node("group_by", R"({"field":"k","aggregate":"median"})", {"[1]"}),
            "error: unknown aggregate function: median");
  EXPECT_EQ(node_payload_error("group_by", R"({"aggregate":"sum"})"),
            decode_error("group_by", "missing required field: field"));
}

// --- unique ----------------------------------------------------------------

TEST(ArrayUnique, KeysAreGoVTexts) {
  EXPECT_EQ(run_node("unique", "{}", {R"([1,"1",1.0,null,[1],{"a":1},{"a":1}])"}),
            R"({"input_count":7,"output_count":4,"removed":3,"unique":[1,null,[1],{"a":1}]})");
  EXPECT_EQ(run_node("unique", "{}", {R"([["a b"],["a","b"]])"}),
            R"({"input_count":2,"output_count":1,"removed":1,"unique":[["a b"]]})");
}

TEST(ArrayUnique, ByFieldObjectsWithoutTheFieldAreAlwaysKept) {
  EXPECT_EQ(run_node("unique", R"({"field":"a"})", {R"([{"a":1},{"b":2},{"b":3},{"a":1}])"}),
            R"({"input_count":4,"output_count":3,"removed":1,"unique":[{"a":1},{"b":2},{"b":3}]})");
  EXPECT_EQ(run_node("unique", R"({"field":"a"})", {R"([{"b":2},{"b":2}])"}),
            R"({"input_count":2,"output_count":2,"removed":0,"unique":[{"b":2},{"b":2}]})");
}

TEST(ArrayUnique, ByFieldNonObjectsUseTheirOwnText) {
  EXPECT_EQ(run_node("unique", R"({"field":"a"})", {R"([{"a":1},1,"1",{"a":"2"},2])"}),
            R"({"input_count":5,"output_count":2,"removed":3,"unique":[{"a":1},{"a":"2"}]})");
}

TEST(ArrayUnique, EmptyInputGivesNull) {
  EXPECT_EQ(run_node("unique", "{}", {"[]"}),
            R"({"input_count":0,"output_count":0,"removed":0,"unique":null})");
}

TEST(ArrayUnique, HugeInputsPollTheHost) {
  Array big;
  for (int i = 0; i < 5000; ++i) big.push_back(Value::number(i % 10));
  testing::CountingHost counting;
  EXPECT_EQ(run_node_values("unique", "{}", {Value::array(big)}, &counting),
            R"({"input_count":5000,"output_count":10,"removed":4990,)"
            R"("unique":[0,1,2,3,4,5,6,7,8,9]})");
  EXPECT_GE(counting.checks, 4u);
}

}  // namespace
}  // namespace thaiyyal
