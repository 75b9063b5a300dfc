// spec/language.md §4 (names, bindings, truth and errors) and §5 (operator
// semantics, member access, text form).
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprNames = ExprTest;
using ExprTruthAndErrors = ExprTest;
using ExprOperators = ExprTest;
using ExprMembers = ExprTest;
using ExprTextForm = ExprTest;

// ---------------------------------------------------------------------------
// §4.1 name resolution

TEST_F(ExprNames, InputAndItemAreTheCurrentValueAlwaysBound) {
  EXPECT_EQ(V("input", "5"), "5");
  EXPECT_EQ(V("item", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(V("input"), "null");  // bound even when the current value is null
  env.variables["input"] = J("99");
  env.variables["item"] = J("98");
  EXPECT_EQ(V("input + item", "1"), "2");                        // the node binding wins…
  EXPECT_EQ(V("variables.input + variables.item", "1"), "197");  // …the variable stays reachable
}

TEST_F(ExprNames, IndexItemsAccumulatorWhereBound) {
  Binds b{R"({"index":"field"})", "3", "[1,2]", "10"};
  EXPECT_EQ(V("index", b), "3");
  EXPECT_EQ(V("items", b), "[1,2]");
  EXPECT_EQ(V("accumulator", b), "10");
  EXPECT_EQ(V("variables.index + variables.accumulator", b), "13");
  EXPECT_EQ(V("variables.items", b), "[1,2]");
}

TEST_F(ExprNames, UnboundIndexItemsAccumulatorFallThroughToFieldsAndVariables) {
  EXPECT_EQ(V("index", R"({"index":"field"})"), R"("field")");
  env.variables["accumulator"] = J("7");
  EXPECT_EQ(V("accumulator"), "7");
  EXPECT_EQ(V("items"), "unresolved: unknown identifier: items");
  EXPECT_EQ(V("variables.index"), "unresolved: variable not found: index");
}

TEST_F(ExprNames, BareIdentifiersAreFieldsOfTheCurrentValueThenVariables) {
  env.variables["age"] = J("50");
  env.variables["limit"] = J("3");
  EXPECT_EQ(V("age", R"({"age":20})"), "20");    // the field wins
  EXPECT_EQ(V("age", R"({"name":"x"})"), "50");  // else the variable
  EXPECT_EQ(V("age", "7"), "50");                // current value not an object
  EXPECT_EQ(V("age > limit", R"({"age":4})"), "true");
  EXPECT_EQ(V("missing", R"({"a":1})"), "unresolved: unknown identifier: missing");
  EXPECT_EQ(V("profile.verified", R"({"profile":{"verified":true}})"), "true");
}

TEST_F(ExprNames, VariablesNamespace) {
  env.variables["cfg"] = J(R"({"limit":5,"tags":["a","b"]})");
  env.variables["a b"] = J("1");
  EXPECT_EQ(V("variables.cfg.limit"), "5");
  EXPECT_EQ(V("variables.cfg.tags[1]"), R"("b")");
  EXPECT_EQ(V("variables['cfg'].limit"), "5");
  EXPECT_EQ(V("variables['a b']"), "1");
  EXPECT_EQ(V("variables.nope"), "unresolved: variable not found: nope");
  EXPECT_EQ(V("variables['no' + 'pe']"), "unresolved: variable not found: nope");
  EXPECT_EQ(V("variables[true]"), "error: 'variables' key must be a string, got bool");
}

TEST_F(ExprNames, ContextPrefersTheLongestFlatKey) {
  env.context["a.b"] = J("7");
  env.context["a"] = J(R"({"b":8,"c":{"d":9}})");
  env.context["a.b.c"] = J(R"("flat")");
  env.context["name"] = J(R"("  Ann ")");
  env.context["list"] = J("[1,2,3]");
  EXPECT_EQ(V("context.a.b.c"), R"("flat")");
  EXPECT_EQ(V("context.a.b"), "7");
  EXPECT_EQ(V("context.a.c.d"), "9");   // "a.c.d", "a.c" missing: "a" navigated by .c.d
  EXPECT_EQ(V("context['a'].b"), "8");  // brackets: exact key
  EXPECT_EQ(V("context['a.b']"), "7");
  EXPECT_EQ(V("context.name.trim()"), R"("Ann")");  // a method ends the flat chain
  EXPECT_EQ(V("context.list[1]"), "2");
  EXPECT_EQ(V("context.list.length"), "3");
  EXPECT_EQ(V("context.a.b.x"), "unresolved: cannot access field x on number");  // no fallback
  EXPECT_EQ(V("context.zz.y"), "unresolved: context variable not found: zz.y");
  EXPECT_EQ(V("context['zz']"), "unresolved: context variable not found: zz");
}

TEST_F(ExprNames, NodeResults) {
  env.nodes["n1"] = J(R"({"value":3})");
  EXPECT_EQ(V("node.n1.value * 2"), "6");
  EXPECT_EQ(V("node.n2"), "unresolved: node result not found: n2");
  EXPECT_EQ(V("node['n' + 1].value"), "3");
}

// ---------------------------------------------------------------------------
// §4.4 results, truth and errors

TEST_F(ExprTruthAndErrors, OnlyBooleanTrueIsTrue) {
  for (const char* cur : {"1", R"("true")", "[1]", R"({"a":1})", "null", "false"}) {
    EXPECT_EQ(B("input", cur), "false") << cur;
  }
  EXPECT_EQ(B("input", "true"), "true");
  EXPECT_EQ(V("input ? 'y' : 'n'", "1"), R"("n")");
  EXPECT_EQ(V("!input", R"("x")"), "true");
}

TEST_F(ExprTruthAndErrors, UnresolvedCountsAsNotTrueInBooleanPosition) {
  EXPECT_EQ(B("input.missing", "{}"), "false");
  EXPECT_EQ(B("!input.missing", "{}"), "true");
  EXPECT_EQ(B("input.missing || true", "{}"), "true");
  EXPECT_EQ(B("true && input.missing", "{}"), "false");
  EXPECT_EQ(V("input.missing ? 1 : 2", "{}"), "2");
  EXPECT_EQ(V("input.missing && true", "{}"), "false");
}

TEST_F(ExprTruthAndErrors, FailuresPropagateThroughBooleanPosition) {
  EXPECT_EQ(B("1 / 0"), "error: division by zero");
  EXPECT_EQ(B("!(1 / 0)"), "error: division by zero");
  EXPECT_EQ(B("true && 'a' * 2"), "error: operator '*' requires numbers, got string");
  EXPECT_EQ(V("(1 % 0) ? 1 : 2"), "error: modulo by zero");
}

TEST_F(ExprTruthAndErrors, LogicalOperatorsShortCircuitAndReturnBooleans) {
  EXPECT_EQ(B("false && 1 / 0"), "false");
  EXPECT_EQ(B("true || 1 / 0"), "true");
  EXPECT_EQ(V("1 && true"), "false");
  EXPECT_EQ(V("'x' || true"), "true");
  EXPECT_EQ(V("true && true && false"), "false");
  EXPECT_EQ(V("false || false || true"), "true");
  EXPECT_EQ(V("true ? 1 / 0 : 2"), "error: division by zero");
  EXPECT_EQ(V("false ? 1 / 0 : 2"), "2");  // only the chosen branch is evaluated
}

TEST_F(ExprTruthAndErrors, ComparisonsNeverFail) {
  for (const char* op : {"==", "!=", "<", "<=", ">", ">="}) {
    EXPECT_EQ(B(std::string("input.missing ") + op + " 1", "{}"), "false") << op;
    EXPECT_EQ(B(std::string("1 ") + op + " 1 / 0"), "false") << op;
    EXPECT_EQ(V(std::string("input.missing ") + op + " null", "{}"), "false") << op;
  }
  EXPECT_EQ(B("!(input.missing == 1)", "{}"), "true");
}

TEST_F(ExprTruthAndErrors, ErrorClassesAndMessages) {
  EXPECT_EQ(V("nope"), "unresolved: unknown identifier: nope");
  EXPECT_EQ(V("input.a", R"({"b":1})"), "unresolved: field not found: a");
  EXPECT_EQ(V("input.a", "null"), "unresolved: cannot access field a on null");
  EXPECT_EQ(V("input.a.b", R"({"a":"s"})"), "unresolved: cannot access field b on string");
  EXPECT_EQ(V("input[3]", "[1]"), "unresolved: array index 3 out of bounds (length: 1)");
  EXPECT_EQ(V("input[-1]", "[1]"), "unresolved: array index -1 out of bounds (length: 1)");
  EXPECT_EQ(V("input[0]", "5"), "unresolved: cannot index number");
  EXPECT_EQ(V("input[1.5]", "[1,2]"), "error: array index must be an integer, got 1.5");
  EXPECT_EQ(V("input['0']", "[1,2]"), "error: array index must be an integer, got 0");
  EXPECT_EQ(V("input[true]", R"({"a":1})"), "error: object key must be a string, got bool");
  EXPECT_EQ(V("[1] + 1"), "error: operator '+' requires numbers or strings, got array");
}

// ---------------------------------------------------------------------------
// §5.1-§5.4 operators

TEST_F(ExprOperators, ArithmeticIsDoubleAndAcceptsLooselyNumericOperands) {
  EXPECT_EQ(V("'6' * '7'"), "42");
  EXPECT_EQ(V("'10' / 4"), "2.5");
  EXPECT_EQ(V("'+5' - '.5'"), "4.5");
  EXPECT_EQ(V("'1e2' % 7"), "2");
  EXPECT_EQ(V("-'2'"), "-2");
  EXPECT_EQ(V("+'2.50'"), "2.5");
  EXPECT_EQ(V("'5.' * 1"), "5");
  EXPECT_EQ(V("input.n * 2", R"({"n":3})"), "6");
  EXPECT_EQ(V("-0"), "-0");
  EXPECT_EQ(V("0 * -1"), "-0");
  EXPECT_EQ(V("1 / 3"), "0.3333333333333333");
  EXPECT_EQ(V("-7.5 % 2"), "-1.5");  // sign of the dividend
}

TEST_F(ExprOperators, NonNumericOperandsFail) {
  EXPECT_EQ(V("'a' - 1"), "error: operator '-' requires numbers, got string");
  EXPECT_EQ(V("1 * true"), "error: operator '*' requires numbers, got bool");
  EXPECT_EQ(V("null / 1"), "error: operator '/' requires numbers, got null");
  EXPECT_EQ(V("[1] % 1"), "error: operator '%' requires numbers, got array");
  EXPECT_EQ(V("-'x'"), "error: operator '-' requires numbers, got string");
  EXPECT_EQ(V("+{}"), "error: operator '+' requires numbers, got object");
  // only the plain decimal form counts as numeric
  for (const char* s :
       {"' 5'", "'5 '", "'1_000'", "'0x10'", "'inf'", "'NaN'", "''", "'.'", "'1e'"}) {
    EXPECT_EQ(V(std::string(s) + " * 1"), "error: operator '*' requires numbers, got string") << s;
  }
}

TEST_F(ExprOperators, DivisionByZeroAndNonFiniteResultsFail) {
  EXPECT_EQ(V("1 / 0"), "error: division by zero");
  EXPECT_EQ(V("1 / -0"), "error: division by zero");
  EXPECT_EQ(V("1 % 0"), "error: modulo by zero");
  EXPECT_EQ(V("'1e999' * 1"), "error: numeric result is not finite");
  EXPECT_EQ(V("1e308 * 10"), "error: numeric result is not finite");
  EXPECT_EQ(V("-'1e999'"), "error: numeric result is not finite");
}

TEST_F(ExprOperators, PlusAddsNumbersOrConcatenatesTextForms) {
  EXPECT_EQ(V("1 + 2"), "3");
  EXPECT_EQ(V("'5' + 1"), "6");  // rule 2: number and numeric string
  EXPECT_EQ(V("1 + '5'"), "6");
  EXPECT_EQ(V("'1' + '2'"), R"("12")");  // rule 3: two strings
  EXPECT_EQ(V("'a' + 1"), R"("a1")");
  EXPECT_EQ(V("'n=' + 1000000"), R"("n=1e+06")");
  EXPECT_EQ(V("'n=' + 0.00001"), R"("n=1e-05")");
  EXPECT_EQ(V("'b:' + true"), R"("b:true")");
  EXPECT_EQ(V("'x' + null"), R"("xnull")");
  EXPECT_EQ(V("'a' + [1, 'b']"), R"("a[1,\"b\"]")");
  EXPECT_EQ(V("{k: 1} + ''"), R"("{\"k\":1}")");
  EXPECT_EQ(V("'a' + 1 + 2"), R"("a12")");  // left to right
  EXPECT_EQ(V("1 + 2 + 'a'"), R"("3a")");
  EXPECT_EQ(V("'1' + '2' + 3"), "15");  // "12" + 3: numeric string and number
  EXPECT_EQ(V("true + 1"), "error: operator '+' requires numbers or strings, got bool");
  EXPECT_EQ(V("null + null"), "error: operator '+' requires numbers or strings, got null");
}

TEST_F(ExprOperators, EqualityRules) {
  EXPECT_EQ(V("null == null"), "true");  // 1
  EXPECT_EQ(V("null == 0"), "false");
  EXPECT_EQ(V("null != ''"), "true");
  EXPECT_EQ(V("now() == now()"), "true");  // 2
  EXPECT_EQ(V("'5' == 5"), "true");        // 3
  EXPECT_EQ(V("5 == '5.0'"), "true");
  EXPECT_EQ(V("5 == '1e0' * 5"), "true");
  EXPECT_EQ(V("'5.0' == '5'"), "false");  // 4
  EXPECT_EQ(V("'a' == 'a'"), "true");
  EXPECT_EQ(V("true == true"), "true");          // 5
  EXPECT_EQ(V("[1, [2]] == [1, [2]]"), "true");  // 6
  EXPECT_EQ(V("[1, 2] == [1]"), "false");
  EXPECT_EQ(V("['1'] == [1]"), "true");                      // element-wise ==
  EXPECT_EQ(V("{a: 1, b: [2]} == {b: [2], a: 1}"), "true");  // 7
  EXPECT_EQ(V("{a: 1} == {a: 1, b: 2}"), "false");
  EXPECT_EQ(V("{a: null} == {b: null}"), "false");
  EXPECT_EQ(V("true == 'true'"), "false");  // 8
  EXPECT_EQ(V("1 == true"), "false");
  EXPECT_EQ(V("[1] == 1"), "false");
  EXPECT_EQ(V("'5' != 5"), "false");
  EXPECT_EQ(V("[1] != [2]"), "true");
}

TEST_F(ExprOperators, OrderingRules) {
  EXPECT_EQ(V("2 < 10"), "true");
  EXPECT_EQ(V("'2' < 10"), "true");    // numeric with a numeric string
  EXPECT_EQ(V("'10' < '9'"), "true");  // two strings: byte-wise
  EXPECT_EQ(V("'b' > 'a'"), "true");
  EXPECT_EQ(V("'é' > 'z'"), "true");  // UTF-8 byte order = code-point order
  EXPECT_EQ(V("'a' <= 'a'"), "true");
  EXPECT_EQ(V("parseDate('2024-01-01') < parseDate('2024-01-02')"), "true");
  EXPECT_EQ(V("'a' < 1"), "false");
  EXPECT_EQ(V("'a' >= 1"), "false");
  EXPECT_EQ(V("true > false"), "false");
  EXPECT_EQ(V("null <= null"), "false");
  EXPECT_EQ(V("[1] < [2]"), "false");
  EXPECT_EQ(V("3 >= 3"), "true");
}

// ---------------------------------------------------------------------------
// §5.7 member access, indexing and length

TEST_F(ExprMembers, LengthOfArraysStringsAndObjects) {
  EXPECT_EQ(V("[1, 2, 3].length"), "3");
  EXPECT_EQ(V("'héllo'.length"), "5");  // code points
  EXPECT_EQ(V("'😀'.length"), "1");
  EXPECT_EQ(V("''.length"), "0");
  EXPECT_EQ(V("{length: 4}.length"), "4");  // an object's own key
  EXPECT_EQ(V("{a: 1}.length"), "unresolved: field not found: length");
  EXPECT_EQ(V("true.length"), "unresolved: cannot access field length on bool");
  EXPECT_EQ(V("[1, 2].length.x"), "unresolved: cannot access field x on number");
  EXPECT_EQ(V("input.length * 2", R"("abc")"), "6");
}

TEST_F(ExprMembers, IndexingArraysAndObjects) {
  EXPECT_EQ(V("input[0]", "[[1,2],[3]]"), "[1,2]");
  EXPECT_EQ(V("input[1][0]", "[[1,2],[3]]"), "3");
  EXPECT_EQ(V("input[1 + 1]", "[5,6,7]"), "7");
  EXPECT_EQ(V("input[2.0]", "[5,6,7]"), "7");
  EXPECT_EQ(V("input[index]", Binds{"[5,6,7]", "1", "", ""}), "6");
  EXPECT_EQ(V("input['a b']", R"({"a b":1})"), "1");
  EXPECT_EQ(V("input[1]", R"({"1":"one"})"), R"("one")");
  EXPECT_EQ(V("input[input.k]", R"({"k":"v","v":42})"), "42");
  EXPECT_EQ(V("input[nope]", "[1]"), "unresolved: unknown identifier: nope");
  EXPECT_EQ(V("'abc'[0]"), "unresolved: cannot index string");
  EXPECT_EQ(V("null[0]"), "unresolved: cannot index null");
}

// ---------------------------------------------------------------------------
// §5.6 text form

TEST_F(ExprTextForm, EveryKind) {
  auto text = [](const Value& v) {
    std::string out;
    append_text_form(out, v);
    return out;
  };
  EXPECT_EQ(text(Value::string("a\"b")), "a\"b");
  EXPECT_EQ(text(Value::number(2.5)), "2.5");
  EXPECT_EQ(text(Value::number(1000000)), "1e+06");
  EXPECT_EQ(text(Value::number(0.00001)), "1e-05");
  EXPECT_EQ(text(Value::number(123456)), "123456");
  EXPECT_EQ(text(Value::integer(1000000)), "1000000");
  EXPECT_EQ(text(Value::boolean(true)), "true");
  EXPECT_EQ(text(Value()), "null");
  EXPECT_EQ(text(J(R"([1,"a",null,1000000])")), R"([1,"a",null,1000000])");
  EXPECT_EQ(text(J(R"({"b":1,"a":"<&>"})")), R"({"a":"<&>","b":1})");  // no HTML escaping
  EXPECT_EQ(text(Value::time(1700000000123000000LL)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(text(Value::record_list({J(R"({"a":1})")})), R"([{"a":1}])");
}

TEST_F(ExprTextForm, UsedByJoinContainsAndStringArguments) {
  EXPECT_EQ(V("[1000000, 2.5, true, null, 'x', [1], {a: 'b'}].join(' ')"),
            R"("1e+06 2.5 true null x [1] {\"a\":\"b\"}")");
  EXPECT_EQ(V("contains(1000000, 'e+06')"), "true");
  EXPECT_EQ(V("'a1b1'.split(1)"), R"(["a","b",""])");
  EXPECT_EQ(V("'x-y'.replace('-', 0.5)"), R"("x0.5y")");
  EXPECT_EQ(V("'true story'.startsWith(true)"), "true");
  EXPECT_EQ(V("'null'.endsWith(null)"), "true");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
