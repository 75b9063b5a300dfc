// spec/language.md §7.1: every row of the divergence table, checked against
// the "Ours" column (rows 68, 69 and 71 are unused in the spec).
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprDivergences = ExprTest;

// Evaluates `source` once per element of `array` like the map node does.
std::string map_node(const FakeEnv& env, std::string_view source, std::string_view array) {
  Value items = J(array);
  std::string out = "[";
  for (std::size_t i = 0; i < items.as_array().size(); ++i) {
    if (i > 0) out += ",";
    out += eval_text(env, source,
                     Binds{to_json(items.as_array()[i], JsonStyle::Plain), std::to_string(i),
                           std::string(array), ""});
  }
  return out + "]";
}

TEST_F(ExprDivergences, OperatorsInsideStringsAndSubtraction_Rows1To4) {
  EXPECT_EQ(B("input - 1 > 0", "5"), "true");                        // 1
  EXPECT_EQ(B("input.s == 'x && y'", R"({"s":"x && y"})"), "true");  // 2
  EXPECT_EQ(V("input.s == 'a?b' ? 1 : 2", R"({"s":"a?b"})"), "1");   // 3
  EXPECT_EQ(B("input.x == null", R"({"x":null})"), "true");          // 4
}

TEST_F(ExprDivergences, StringConcatenation_Rows5To8) {
  EXPECT_EQ(V("'a' + 'b'"), R"("ab")");  // 5
  EXPECT_EQ(V("'x' + 1"), R"("x1")");    // 6
  EXPECT_EQ(V("'n=' + 2.5"), R"("n=2.5")");
  EXPECT_EQ(V("input.first + ' ' + input.last", R"({"first":"Ann","last":"Lee"})"),
            R"("Ann Lee")");                                             // 7
  EXPECT_EQ(V("input.a + input.b", R"({"a":"1","b":"2"})"), R"("12")");  // 8
}

TEST_F(ExprDivergences, FunctionsAreOrdinaryExpressions_Rows9To12) {
  EXPECT_EQ(V("round(input) + round(input)", "2.5"), "6");                      // 9
  EXPECT_EQ(V("abs(-3) + floor(2.7) + ceil(2.1)"), "8");                        // 10
  EXPECT_EQ(V("map(input, item * 2)", "[1,2]"), "[2,4]");                       // 11
  EXPECT_EQ(V(R"(input > 5 ? (input > 7 ? "x" : "y") : "z")", "6"), R"("y")");  // 12
}

TEST_F(ExprDivergences, ComparisonsAndLogicAreValues_Rows13To16) {
  EXPECT_EQ(V("input > 3", "5"), "true");                                 // 13
  EXPECT_EQ(map_node(env, "item > 2", "[1,2,3]"), "[false,false,true]");  // 14
  EXPECT_EQ(V("a && b", R"({"a":true,"b":false})"), "false");             // 15
  EXPECT_EQ(V("a && b", R"({"a":true,"b":true})"), "true");
  EXPECT_EQ(V("!x"), "true");
  // 16: reduce keeps the maximum.
  std::string acc = "0";
  for (const char* item : {"5", "2", "8", "1"}) {
    acc = V("item > accumulator ? item : accumulator", Binds{item, "0", "[5,2,8,1]", acc});
  }
  EXPECT_EQ(acc, "8");
}

TEST_F(ExprDivergences, BareNamesResolveEverywhere_Rows17To21) {
  env.variables["x"] = J("21");
  EXPECT_EQ(V("x"), "21");                                 // 17
  EXPECT_EQ(V("age * 2", R"({"age":3})"), "6");            // 18
  EXPECT_EQ(V("index", Binds{"7", "0", "[7]", ""}), "0");  // 19
  EXPECT_EQ(B("index == 1", Binds{"7", "1", "[5,7]", ""}), "true");
  EXPECT_EQ(V("items.length", Binds{"1", "0", "[1]", ""}), "1");  // 20
  env.variables["item"] = J(R"({"v":2})");
  EXPECT_EQ(V("item.v * 1", R"({"v":1})"), "1");  // 21
  EXPECT_EQ(V("variables.item.v", R"({"v":1})"), "2");
}

TEST_F(ExprDivergences, IndexingAndPathSegments_Rows22To25) {
  EXPECT_EQ(V("input[1]", "[5,6]"), "6");                       // 22
  EXPECT_EQ(V("items[0]", Binds{"5", "0", "[5,6]", ""}), "5");  // 23
  EXPECT_EQ(V("input.a-1", R"({"a":3})"), "2");                 // 24
  EXPECT_EQ(V("input.a-b", R"({"a-b":4,"a":6,"b":1})"), "5");   // 25
}

TEST_F(ExprDivergences, NumberAndStringLiterals_Rows26To30) {
  EXPECT_EQ(V("1e3 + 1"), "1001");  // 26
  // 27: Go ParseFloat leaks are not literals.
  EXPECT_EQ(CompileError("1_000 == 1000"),
            "expression syntax error at position 1: unexpected token '_000'");
  EXPECT_EQ(V("Inf"), "unresolved: unknown identifier: Inf");
  EXPECT_EQ(V("NaN"), "unresolved: unknown identifier: NaN");
  EXPECT_EQ(CompileError("0x1p4"),
            "expression syntax error at position 1: unexpected token 'x1p4'");
  EXPECT_EQ(CompileError("'it''s'"),
            "expression syntax error at position 4: unexpected token ''s''");  // 28
  EXPECT_EQ(V(R"('C:\temp')"), R"("C:\temp")");                                // 29 (\t = TAB)
  EXPECT_EQ(V("'abc'.toUpperCase()"), R"("ABC")");                             // 30
}

TEST_F(ExprDivergences, MethodsLengthAndPaths_Rows31To38) {
  EXPECT_EQ(V("input.tags.includes(input.t)", R"({"tags":["a"],"t":"a"})"), "true");  // 31
  EXPECT_EQ(B("input.tags.includes(input.t)", R"({"tags":["a"],"t":"a"})"), "true");
  EXPECT_EQ(V("input.name.length", R"({"name":"héllo"})"), "5");  // 32
  EXPECT_EQ(V("input.a.length.x", R"({"a":[1,2]})"),
            "unresolved: cannot access field x on number");      // 33
  EXPECT_EQ(V("input.m.length", R"({"m":{"length":3}})"), "3");  // 34
  EXPECT_EQ(V("input.a[0][1]", R"({"a":[[1,2]]})"), "2");        // 35
  env.context["a"] = J(R"({"b":8})");
  EXPECT_EQ(V("context.a.b"), "8");  // 36
  env.context["arr"] = J("[1,2,3]");
  EXPECT_EQ(V("context.arr.length"), "3");  // 37
  env.nodes["zp"] = J("[7]");
  EXPECT_EQ(V("node.zp[0]"), "7");  // 38
}

TEST_F(ExprDivergences, OrderingAndEquality_Rows39To44) {
  EXPECT_EQ(B("input.s > 'a'", R"({"s":"b"})"), "true");                   // 39
  EXPECT_EQ(B("input.a > input.b", R"({"a":"10","b":"9"})"), "false");     // 40
  EXPECT_EQ(B("input.a == input.b", R"({"a":"5.0","b":"5"})"), "false");   // 41
  EXPECT_EQ(B("input.a == input.b", R"({"a":[1,2],"b":[1,2]})"), "true");  // 42
  EXPECT_EQ(B("!input.x == 4", R"({"x":5})"), "false");                    // 43
  EXPECT_EQ(CompileError("1 < x < 5"),
            "expression syntax error at position 6: unexpected token '<'");  // 44
  EXPECT_EQ(CompileError("a == b == c"),
            "expression syntax error at position 7: unexpected token '=='");
}

TEST_F(ExprDivergences, ModuloIsFmod_Rows45To46) {
  EXPECT_EQ(V("7.5 % 2"), "1.5");  // 45
  EXPECT_EQ(V("5 % 0.5"), "0");    // 46
}

TEST_F(ExprDivergences, HelpersAndUnknownFunctions_Rows47To53) {
  EXPECT_EQ(V("isNull(input.x)", R"({"x":null})"), "true");                      // 47
  EXPECT_EQ(V("contains(input, 'ell')", R"("hello")"), "true");                  // 48
  EXPECT_EQ(V("coalesce(input.a, input.b)", R"({"a":null,"b":true})"), "true");  // 49
  EXPECT_EQ(CompileError("foo(1)"), "unknown function: foo");                    // 50
  EXPECT_EQ(V("year('2024-05-01')"), "2024");                                    // 51
  EXPECT_EQ(B("year('2024-05-01')"), "false");
  EXPECT_EQ(B("isNull(item.a)", R"({"b":2})"), "true");         // 52
  EXPECT_EQ(B("!isNull(input.zz)", R"({"a":null})"), "false");  // 53
}

TEST_F(ExprDivergences, TextFormAndElementMembership_Rows54To59) {
  EXPECT_EQ(V("input.t.join(',')", R"({"t":[1000000,null,1e-05]})"),
            R"("1e+06,null,1e-05")");                        // 54
  EXPECT_EQ(V(R"([[1,2],"x"].join('|'))"), R"("[1,2]|x")");  // 55
  EXPECT_EQ(V("[{a: 1}].join('')"), R"("{\"a\":1}")");
  EXPECT_EQ(B("contains(input.arr, 2)", R"({"arr":[12]})"), "false");                       // 56
  EXPECT_EQ(V("unique(input)", R"([[1,2],"[1 2]"])"), R"([[1,2],"[1 2]"])");                // 57
  EXPECT_EQ(V("sort(input)", R"(["10","9"])"), R"(["10","9"])");                            // 58
  EXPECT_EQ(V("sort(input)", R"([3,"b",1,"a",true,null])"), R"([null,true,1,3,"a","b"])");  // 59
}

TEST_F(ExprDivergences, LiteralsAndSyntaxValidation_Rows60To65) {
  EXPECT_EQ(V("sum([1,2,3])"), "6");  // 60
  EXPECT_EQ(B("[1,2] == [1,2]"), "true");
  EXPECT_EQ(map_node(env, "{n: item.n}", R"([{"n":1}])"), R"([{"n":1}])");  // 61
  EXPECT_EQ(B(">5abc", "7"),
            "compile error: expression syntax error at position 2: "
            "unexpected token 'abc'");  // 62
  EXPECT_EQ(B(">abc", "5"), "false");   // 63
  EXPECT_EQ(CompileError("admin!", StartSymbol::Condition),
            "expression syntax error at position 5: unexpected token '!'");  // 64
  EXPECT_EQ(B("admin", R"("admin")"), "false");
  EXPECT_EQ(CompileError("item >", StartSymbol::Condition),
            "expression syntax error at position 6: unexpected end of expression");  // 65
  EXPECT_EQ(CompileError("(a"), "expression syntax error at position 2: expected ')'");
}

TEST_F(ExprDivergences, ValueErrorsAreReported_Rows66To67And70) {
  EXPECT_EQ(V("input.foo", "5"), "unresolved: cannot access field foo on number");  // 66
  EXPECT_EQ(V("input / 0", "5"), "error: division by zero");                        // 67
  // 70: a failure at the top of a condition is an error; inside a
  // comparison it is just false.
  EXPECT_EQ(B("item.n.toUpperCase()", R"({"n":1})"),
            "error: toUpperCase() can only be called on strings, got number");
  EXPECT_EQ(B("item.n.toUpperCase() == 'X'", R"({"n":1})"), "false");
}

TEST_F(ExprDivergences, NowNumbersRecordListsAndConcatenation_Rows72To75) {
  EXPECT_EQ(V("now()"), R"("2023-11-14T22:13:20Z")");  // 72: the run's start time
  EXPECT_EQ(CompileError("1."),
            "expression syntax error at position 2: expected member name after '.'");  // 73
  EXPECT_EQ(V(".5"), "0.5");
  EXPECT_EQ(V("1 + .5"), "1.5");
  // 74: a record-list is not an array outside map().
  Value records = Value::record_list({J(R"({"a":1})")});
  Value cur = make_object({{"tags", records}});
  Bindings b;
  b.current = &cur;
  auto run = [&](std::string_view src) {
    Outcome o = CompiledExpression::compile(src, StartSymbol::Expression).evaluate(env, b);
    return o.ok() ? to_json(o.value()) : o.error().message;
  };
  EXPECT_EQ(run("input.tags.first()"), "first() can only be called on arrays, got record-list");
  EXPECT_EQ(run("input.tags.length"), "cannot access field length on record-list");
  EXPECT_EQ(run("map(input.tags, item.a)"), "[1]");
  EXPECT_EQ(V(R"("abc" + null)"), R"("abcnull")");  // 75
  EXPECT_EQ(V("null + 1"), "error: operator '+' requires numbers or strings, got null");
}

TEST_F(ExprDivergences, NamesCheckedAtCompileTime_Rows76To82) {
  EXPECT_EQ(CompileError("item.x.foo() > 1", StartSymbol::Condition), "unknown method: foo");  // 76
  EXPECT_EQ(CompileError("foo(1) > 2", StartSymbol::Condition), "unknown function: foo");
  EXPECT_EQ(V("isNull(null)"), "true");                                                        // 77
  EXPECT_EQ(V("map(input, index)", R"(["a","b"])"), "[0,1]");                                  // 78
  EXPECT_EQ(V("pow(10, 400)"), "error: numeric result is not finite");                         // 79
  EXPECT_EQ(CompileError("input.s.trim('x')"), "trim() requires exactly 0 arguments, got 1");  // 80
  EXPECT_EQ(CompileError("input.t.first(1)"), "first() requires exactly 0 arguments, got 1");
  EXPECT_EQ(V(R"(input["a b"])", R"({"a b":1})"), "1");  // 81
  EXPECT_EQ(V("input.s.includes(abc)", R"({"s":"xabc"})"),
            "error: includes() argument evaluation failed: unknown identifier: abc");  // 82
}

}  // namespace
}  // namespace thaiyyal::expr::testing
