// The foundation node types (nodes.md): inputs, operation, text_operation,
// visualization, renderer, condition, switch, expression, variable,
// extract, transform, context_variable, context_constant.
#include <gtest/gtest.h>

#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::run_node;
using testing::run_workflow;

TEST(InputNodes, EmitTheirConfiguredValue) {
  EXPECT_EQ(run_node("number", R"({"value":42})"), "42");
  EXPECT_EQ(run_node("number", R"({"value":0.1})"), "0.1");
  EXPECT_EQ(run_node("number", R"({"value":1e21})"), "1e+21");
  EXPECT_EQ(run_node("text_input", R"({"text":"Hello {{x}}"})"), R"("Hello {{x}}")");
  EXPECT_EQ(run_node("text_input", R"({"text":""})"), R"("")");
  EXPECT_EQ(run_node("boolean_input", R"({"boolean_value":true})"), "true");
  EXPECT_EQ(run_node("date_input", R"({"date_value":"not-a-date"})"), R"("not-a-date")");
  EXPECT_EQ(run_node("datetime_input", R"({"datetime_value":"2024-01-01T10:00:00Z"})"),
            R"("2024-01-01T10:00:00Z")");
  EXPECT_EQ(run_node("number", R"({"value":5})", {"1", "2"}), "5");  // inputs ignored
}

TEST(OperationNode, AppliesTheOperatorToTheFirstTwoInputs) {
  EXPECT_EQ(run_node("operation", R"({"op":"add"})", {"0.1", "0.2"}), "0.30000000000000004");
  EXPECT_EQ(run_node("operation", R"({"op":"subtract"})", {"10", "4"}), "6");
  EXPECT_EQ(run_node("operation", R"({"op":"multiply"})", {"1", "2", "4"}), "2");
  EXPECT_EQ(run_node("operation", R"({"op":"divide"})", {"10", "4"}), "2.5");
}

TEST(OperationNode, ReportsTheReferenceErrorsInOrder) {
  EXPECT_EQ(run_node("operation", R"({"op":"add"})", {"1"}),
            "error: operation needs 2 inputs, got 1");
  EXPECT_EQ(run_node("operation", R"({"op":"nope"})", {"1"}),
            "error: operation needs 2 inputs, got 1");
  EXPECT_EQ(run_node("operation", R"({"op":"add"})", {"1", "\"2\""}),
            "error: operation inputs must be numbers");
  EXPECT_EQ(run_node("operation", R"({"op":"nope"})", {"1", "true"}),
            "error: operation inputs must be numbers");
  EXPECT_EQ(run_node("operation", R"({"op":"divide"})", {"1", "0"}), "error: division by zero");
  EXPECT_EQ(run_node("operation", R"({"op":"divide"})", {"1", "-0"}), "error: division by zero");
  EXPECT_EQ(run_node("operation", R"({"op":"modulo"})", {"1", "2"}),
            "error: unknown operation: modulo");
  EXPECT_EQ(run_node("operation", R"({"op":"Add"})", {"1", "2"}), "error: unknown operation: Add");
}

TEST(OperationNode, RejectsNonNumberOutputsOfOtherNodes) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"arr","type":"transform","data":{"transform_type":"to_array"}},
      {"id":"op","type":"operation","data":{"op":"add"}}],
    "edges":[{"source":"a","target":"arr"},{"source":"arr","target":"op"},{"source":"a","target":"op"}]})");
  EXPECT_EQ(r.error(), "error executing node op: operation inputs must be numbers");
}

TEST(TextOperationNode, ChangesCaseWithGoSemantics) {
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"uppercase"})", {R"("ß straße")"}),
            R"("ß STRAßE")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"lowercase"})", {R"("İstanbul")"}),
            R"("istanbul")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"inversecase"})", {R"("Hello Ünïcode ß")"}),
            R"("hELLO üNÏCODE ß")");
}

TEST(TextOperationNode, TitleCasesWordsLikeUnicodeWordBoundaries) {
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"titlecase"})", {R"("hello wORLD foo-bar")"}),
            R"("Hello World Foo-Bar")");
  EXPECT_EQ(
      run_node("text_operation", R"({"text_op":"titlecase"})", {R"("it's o'neil mcdonald x.y")"}),
      R"("It's O'neil Mcdonald X.y")");
  EXPECT_EQ(
      run_node("text_operation", R"({"text_op":"titlecase"})", {R"("hello_world foo.bar 123abc")"}),
      R"("Hello_world Foo.bar 123Abc")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"titlecase"})", {R"("ßa")"}), R"("Ssa")");
}

// golang.org/x/text/cases' word rules, not plain UAX #29 (nodes.md
// `text_operation`). Expected texts come from running the reference's
// strings.ToLower + cases.Title(language.English) on each input.
TEST(TextOperationNode, TitleCaseFollowsGoWordRules) {
  auto title = [](const char* text) {
    return run_node("text_operation", R"({"text_op":"titlecase"})", {to_json(Value::string(text))});
  };
  // Once a word has started, digits and one ' . : do not end it; the first
  // cased letter of the word is the one title-cased.
  EXPECT_EQ(title("a1:2b x1.y"), R"("A1:2b X1.y")");
  EXPECT_EQ(title("2024-01-01t10:00:00z"), R"("2024-01-01T10:00:00z")");
  EXPECT_EQ(title("room 4b:east wing, gate a1:2b at 10:30pm, v1.2x and it's x-ray"),
            R"("Room 4B:east Wing, Gate A1:2b At 10:30Pm, V1.2x And It's X-Ray")");
  EXPECT_EQ(title("1st 2nd 3rd"), R"("1St 2Nd 3Rd")");
  // Two "mid" characters in a row end the word; , ; / and hyphens always do.
  EXPECT_EQ(title("x..y a:.b"), R"("X..Y A:.B")");
  EXPECT_EQ(title("don't stop·me"), R"("Don't Stop·me")");
  EXPECT_EQ(title("x\u2010y a/b c,d e;f"), "\"X\u2010Y A/B C,D E;F\"");
  // Full title mappings; cased letters without a mapping still start a word.
  EXPECT_EQ(title("\u01C6emal \uFB01sh \u0149x"), "\"\u01C5emal Fish \u02BCNx\"");
  EXPECT_EQ(title("\u00AAb \u02BCs"), "\"\u00AAb \u02BCS\"");
  EXPECT_EQ(title("\u03A3\u0391\u03A3 \u03C3\u03BF\u03C6\u03CC\u03C2"),
            "\"\u03A3\u03B1\u03C3 \u03A3\u03BF\u03C6\u03CC\u03C2\"");
  // Katakana breaks a word; soft hyphen and ZWJ (Format, ZWJ) do not.
  EXPECT_EQ(title("\u30A2a \uFF83b"), "\"\u30A2A \uFF83B\"");
  EXPECT_EQ(title("a\u00ADb c\u200Db"), "\"A\u00ADb C\u200Db\"");
}

TEST(TextOperationNode, CamelCasesWithTheReferenceByteQuirk) {
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"camelcase"})", {R"("  hello   big WORLD ")"}),
            R"("helloBigWorld")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"camelcase"})", {R"("   ")"}), R"("   ")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"camelcase"})", {R"("vital élan")"}),
            "\"vitalÃ\xEF\xBF\xBDlan\"");
}

TEST(TextOperationNode, ConcatenatesAndRepeats) {
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"concat","separator":"-"})",
                     {R"("a")", R"("b")", R"("c")"}),
            R"("a-b-c")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"concat"})", {R"("a")", "1"}),
            "error: concat operation input 1 must be text/string");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"repeat","repeat_n":3})", {R"("ab")"}),
            R"("ababab")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"repeat","repeat_n":0})", {R"("ab")"}),
            R"("")");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"repeat"})", {R"("ab")"}),
            "error: repeat operation requires repeat_n field");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"repeat","repeat_n":-1})", {R"("ab")"}),
            "error: repeat_n must be non-negative, got -1");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"repeat","repeat_n":2})", {"5"}),
            "error: repeat operation input must be text/string");
}

TEST(TextOperationNode, RefusesRepeatsBeyondTheStringLimit) {
  EXPECT_EQ(
      run_node("text_operation", R"({"text_op":"repeat","repeat_n":1000000000})", {R"("abc")"}),
      "error: repeat result too long: 3 bytes x 1000000000 (limit: 1048576 bytes)");
}

TEST(TextOperationNode, ValidatesInputs) {
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"uppercase"})"),
            "error: text operation needs at least 1 input");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"uppercase"})", {"1"}),
            "error: text operation input must be text/string");
  EXPECT_EQ(run_node("text_operation", R"({"text_op":"trim"})", {R"("x")"}),
            "error: unknown text operation: trim");
}

TEST(OutputNodes, PassTheFirstInputThrough) {
  EXPECT_EQ(run_node("visualization", R"({"mode":"table"})", {"[1,2]", "3"}), "[1,2]");
  EXPECT_EQ(run_node("visualization", "{}"), "error: visualization needs at least 1 input");
  EXPECT_EQ(run_node("renderer", "{}", {R"({"a":1})"}), R"({"a":1})");
  EXPECT_EQ(run_node("renderer", "{}"), "null");
}

TEST(ConditionNode, EmitsTheRoutingObject) {
  EXPECT_EQ(
      run_node("condition", R"({"condition":">=18"})", {"25"}),
      R"({"condition":"\u003e=18","condition_met":true,"false_path":false,"path":"true","true_path":true,"value":25})");
  EXPECT_EQ(
      run_node("condition", R"({"condition":"input.age > 30"})", {R"({"age":20})"}),
      R"({"condition":"input.age \u003e 30","condition_met":false,"false_path":true,"path":"false","true_path":false,"value":{"age":20}})");
  EXPECT_EQ(run_node("condition", R"({"condition":">1"})"),
            "error: condition node needs at least 1 input");
}

TEST(ConditionNode, ShorthandComparesTheUnwrappedValueOfAChainedCondition) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":25}},
      {"id":"c1","type":"condition","data":{"condition":">=18"}},
      {"id":"c2","type":"condition","data":{"condition":">20"}},
      {"id":"c3","type":"condition","data":{"condition":"input > 20"}}],
    "edges":[{"source":"n","target":"c1"},{"source":"c1","target":"c2"},{"source":"c1","target":"c3"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r.node("c2")->find("condition_met")->as_bool());
  EXPECT_FALSE(r.node("c3")->find("condition_met")->as_bool());
}

TEST(ConditionNode, SyntaxErrorsAreNodeErrors) {
  std::string out = run_node("condition", R"({"condition":">5abc"})", {"7"});
  EXPECT_EQ(out.rfind("error: expression syntax error at position", 0), 0u) << out;
}

TEST(SwitchNode, FallsBackToTheDefaultCase) {
  const char* data = R"({"cases":[{"when":"input > 90","output_path":"A"},
                                   {"is_default":true}]})";
  EXPECT_EQ(
      run_node("switch", data, {"5"}),
      R"({"case":"default","case_index":1,"matched":false,"output_path":"default","value":5})");
  EXPECT_EQ(run_node("switch", data), "error: switch node requires at least one input");
}

TEST(SwitchNode, LabelStyleCasesDoNotMatch) {
  const char* data = R"({"cases":[{"when":"admin","output_path":"A"},
                                   {"when":"input == \"admin\"","output_path":"B"},
                                   {"is_default":true,"output_path":"D"}]})";
  EXPECT_EQ(
      run_node("switch", data, {R"("admin")"}),
      R"({"case":"input == \"admin\"","case_index":1,"matched":true,"output_path":"B","value":"admin"})");
}

TEST(ExpressionNode, EvaluatesAValueExpression) {
  EXPECT_EQ(run_node("expression", R"({"expression":"input * 2"})", {"5"}), "10");
  EXPECT_EQ(run_node("expression", R"({"expression":"input > 3"})", {"5"}), "true");
  EXPECT_EQ(run_node("expression", R"j({"expression":"input.toUpperCase()"})j", {R"("abc")"}),
            R"("ABC")");
  EXPECT_EQ(run_node("expression", R"({"expression":"input > 3 ? \"big\" : \"small\""})", {"5"}),
            R"("big")");
  EXPECT_EQ(run_node("expression", R"({"expression":""})", {"5"}),
            R"({"result":5,"warning":"no expression specified"})");
  EXPECT_EQ(run_node("expression", R"({"expression":"input"})"),
            "error: expression node needs at least 1 input");
}

TEST(ExpressionNode, EvaluationErrorsAreNodeErrors) {
  EXPECT_EQ(run_node("expression", R"({"expression":"input / 0"})", {"5"}),
            "error: expression evaluation failed: division by zero");
  EXPECT_EQ(run_node("expression", R"({"expression":"input.foo"})", {"5"}),
            "error: expression evaluation failed: cannot access field foo on number");
}

TEST(VariableNode, SetsAndGetsWorkflowVariables) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"s","type":"variable","data":{"var_name":"x","var_op":"set"}},
      {"id":"g","type":"variable","data":{"var_name":"x","var_op":"get"}},
      {"id":"e","type":"expression","data":{"expression":"variables.x * 2"}}],
    "edges":[{"source":"n","target":"s"},{"source":"s","target":"g"},{"source":"g","target":"e"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("s")), R"({"operation":"set","value":5,"var_name":"x"})");
  EXPECT_EQ(json(r.node("g")), R"({"operation":"get","value":5,"var_name":"x"})");
  EXPECT_EQ(json(r.node("e")), "10");
}

TEST(VariableNode, ReportsMissingInputsNamesAndOperations) {
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"set"})"),
            "error: variable set operation requires input value");
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"get"})"),
            "error: variable 'x' not found");
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"del"})", {"1"}),
            "error: unsupported variable operation: del (use 'get' or 'set')");
}

TEST(VariableNode, ValidatesStoredValuesAgainstTheLimits) {
  Limits limits;
  limits.max_array_length = 2;
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"set"})", {"[1,2,3]"}, limits),
            "error: variable validation failed: array too large: 3 elements (limit: 2)");
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"set"})", {"[1,[1,2,3]]"}, limits),
            "error: variable validation failed: array element 1: array too large: 3 elements "
            "(limit: 2)");
  limits.max_string_length = 3;
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"set"})", {R"("abcd")"}, limits),
            "error: variable validation failed: string too long: 4 bytes (limit: 3)");
  limits.max_context_depth = 2;
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"set"})", {R"({"a":[1]})"}, limits),
            "error: variable validation failed: value too deeply nested: 3 levels (limit: 2)");
  EXPECT_EQ(run_node("variable", R"({"var_name":"x","var_op":"set"})", {"[[]]"}, limits),
            R"({"operation":"set","value":[[]],"var_name":"x"})");
}

TEST(VariableNode, EnforcesTheNumberOfVariables) {
  Limits limits;
  limits.max_variables = 1;
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"s1","type":"variable","data":{"var_name":"x","var_op":"set"}},
      {"id":"s2","type":"variable","data":{"var_name":"x","var_op":"set"}},
      {"id":"s3","type":"variable","data":{"var_name":"y","var_op":"set"}}],
    "edges":[{"source":"n","target":"s1"},{"source":"s1","target":"s2"},{"source":"s2","target":"s3"}]})",
                        limits);
  EXPECT_EQ(r.error(), "error executing node s3: maximum variables exceeded: 1 (limit: 1)");
}

TEST(ExtractNode, ReadsLiteralKeys) {
  EXPECT_EQ(run_node("extract", R"({"field":"b"})", {R"({"a":1,"b":{"c":2}})"}),
            R"({"field":"b","value":{"c":2}})");
  EXPECT_EQ(run_node("extract", R"({"fields":["a","zz"]})", {R"({"a":1,"b":2})"}), R"({"a":1})");
  EXPECT_EQ(run_node("extract", R"({"field":"b.c"})", {R"({"b":{"c":2}})"}),
            "error: field 'b.c' not found in input object");
  EXPECT_EQ(run_node("extract", R"({"field":"","fields":["a"]})", {R"({"":0,"a":1})"}),
            R"({"field":"","value":0})");
  EXPECT_EQ(run_node("extract", R"({"field":"a"})", {"[1]"}),
            "error: extract node requires object input, got []interface {}");
  EXPECT_EQ(run_node("extract", R"({"field":"a"})"), "error: extract node requires input");
}

TEST(TransformNode, ConvertsBetweenShapes) {
  EXPECT_EQ(run_node("transform", R"({"transform_type":"to_array"})", {"5", R"("x")"}),
            R"([5,"x"])");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"to_object"})", {R"(["a",1,"b",2,"c"])"}),
            R"({"a":1,"b":2})");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"to_object"})", {R"(["a",1,2,3])"}),
            "error: to_object requires string keys at index 2");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"flatten"})", {"[[1,[2]],3]"}), "[1,2,3]");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"flatten"})", {"[[],[[]]]"}), "null");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"keys"})", {R"({"b":1,"a":2})"}),
            R"(["a","b"])");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"values"})", {R"({"b":1,"a":2})"}), "[2,1]");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"keys"})", {"[1]"}),
            "error: keys transform requires object input, got []interface {}");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"pivot"})", {"1"}),
            "error: unsupported transform type: pivot");
  EXPECT_EQ(run_node("transform", R"({"transform_type":"to_array"})"),
            "error: transform node requires input");
}

TEST(ContextNodes, ConvertTypedValues) {
  EXPECT_EQ(
      run_node(
          "context_variable",
          R"({"context_values":[{"name":"a","value":"5","type":"number"},{"name":"s","value":1000000,"type":"string"},{"name":"b","value":"T","type":"boolean"},{"name":"e","value":1700000000,"type":"epoch_second"},{"name":"m","value":1700000000123,"type":"epoch_ms"},{"name":"n","value":1,"type":"null"}]})"),
      R"({"type":"variable","variables":{"a":5,"b":true,"e":"2023-11-14T22:13:20Z","m":"2023-11-14T22:13:20.123Z","n":null,"s":"1e+06"}})");
  EXPECT_EQ(
      run_node(
          "context_constant",
          R"({"context_values":[{"name":"t","value":"2024-01-01T00:00:00.5+02:00","type":"time_string"}]})"),
      R"({"constants":{"t":"2024-01-01T00:00:00.5+02:00"},"type":"const"})");
}

TEST(ContextNodes, ReportConversionErrorsWithTheEntry) {
  EXPECT_EQ(run_node("context_variable",
                     R"({"context_values":[{"name":"b","value":"yes","type":"boolean"}]})"),
            "error: context_variable node: error converting b (boolean): cannot convert \"yes\" "
            "to boolean: strconv.ParseBool: parsing \"yes\": invalid syntax");
  EXPECT_EQ(run_node("context_constant",
                     R"({"context_values":[{"name":"x","value":"x","type":"number"}]})"),
            "error: context_constant node: error converting x (number): cannot convert \"x\" to "
            "number: strconv.ParseFloat: parsing \"x\": invalid syntax");
  EXPECT_EQ(run_node("context_variable",
                     R"({"context_values":[{"name":"x","value":true,"type":"number"}]})"),
            "error: context_variable node: error converting x (number): cannot convert type bool "
            "to number");
  EXPECT_EQ(run_node("context_variable", R"({"context_values":[{"name":"x","value":1}]})"),
            "error: context_variable node: error converting x (): unsupported type \"\"");
}

TEST(ContextNodes, LegacyFormatStoresTheValueUnconverted) {
  EXPECT_EQ(run_node("context_constant", R"({"context_name":"k","context_value":[1]})"),
            R"({"name":"k","type":"const","value":[1]})");
  EXPECT_EQ(run_node("context_variable", R"({"context_name":"k"})"),
            "error: context_variable node missing context_value");
}

TEST(ContextNodes, ExpressionsSeeVariablesOverConstants) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"c","type":"context_constant","data":{"context_values":[{"name":"region","value":"eu","type":"string"},{"name":"tier","value":"gold","type":"string"}]}},
      {"id":"v","type":"context_variable","data":{"context_values":[{"name":"region","value":"us","type":"string"}]}},
      {"id":"n","type":"number","data":{"value":1}},
      {"id":"e","type":"expression","data":{"expression":"context.region + '/' + context.tier"}}],
    "edges":[{"source":"n","target":"e"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("e")), R"("us/gold")");
}

}  // namespace
}  // namespace thaiyyal
