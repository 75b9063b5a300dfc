// Every row of spec/language.md §8 "Worked examples", in table order.
// V(...) evaluates in value context, B(...) as a condition; results are
// rendered as compact JSON (or "error: …" / "unresolved: …").
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprWorkedExamples = ExprTest;

TEST_F(ExprWorkedExamples, Arithmetic_Rows1To16) {
  EXPECT_EQ(V("1 + 2 * 3"), "7");                                           // 1
  EXPECT_EQ(V("(1 + 2) * 3"), "9");                                         // 2
  EXPECT_EQ(V("10 / 4"), "2.5");                                            // 3
  EXPECT_EQ(V("10 % 3"), "1");                                              // 4
  EXPECT_EQ(V("-7 % 3"), "-1");                                             // 5
  EXPECT_EQ(V("2 * 3 - 4 / 2"), "4");                                       // 6
  EXPECT_EQ(V("-2 * 3"), "-6");                                             // 7
  EXPECT_EQ(V("--5"), "5");                                                 // 8
  EXPECT_EQ(V("0.1 + 0.2"), "0.30000000000000004");                         // 9
  EXPECT_EQ(V("1000000 * 1"), "1000000");                                   // 10
  EXPECT_EQ(V("input * 2 + 1", "5"), "11");                                 // 11
  EXPECT_EQ(V("item.price * item.qty", R"({"price":2.5,"qty":4})"), "10");  // 12
  EXPECT_EQ(V("input.n * 1.1", R"({"n":10})"), "11");                       // 13
  EXPECT_EQ(V("-input.v", R"({"v":2})"), "-2");                             // 14
  EXPECT_EQ(V("input / 0", "5"), "error: division by zero");                // 15
  EXPECT_EQ(V("input.n + 1", R"({"n":"5"})"), "6");                         // 16
}

TEST_F(ExprWorkedExamples, VariablesContextAndNodes_Rows17To24) {
  env.variables["x"] = J("21");
  EXPECT_EQ(V("x * 2", "1"), "42");            // 17
  EXPECT_EQ(V("variables.x * 2", "1"), "42");  // 18
  env.variables["cfg"] = J(R"({"limit":5})");
  EXPECT_EQ(V("variables.cfg.limit"), "5");  // 19
  env.variables["arr"] = J("[1,2]");
  EXPECT_EQ(V("variables.arr[1]"), "2");  // 20
  env.context["region"] = J(R"("eu")");
  EXPECT_EQ(V("context.region"), R"("eu")");  // 21
  env.context["a.b"] = J("7");
  env.context["a"] = J(R"({"b":8})");
  EXPECT_EQ(V("context.a.b"), "7");  // 22
  env.context.erase("a.b");
  EXPECT_EQ(V("context.a.b"), "8");  // 23
  env.nodes["zp"] = J("[1]");
  EXPECT_EQ(V("node.zp.length"), "1");  // 24
}

TEST_F(ExprWorkedExamples, NamesIndexAndStrings_Rows25To31) {
  EXPECT_EQ(V("name", R"({"name":"Ann"})"), R"("Ann")");        // 25
  EXPECT_EQ(B("age > 2", R"({"age":3})"), "true");              // 26
  EXPECT_EQ(V("index * 10", Binds{"7", "0", "[7]", ""}), "0");  // 27 (map, element 0)
  EXPECT_EQ(V(R"("it's")"), R"("it's")");                       // 28
  EXPECT_EQ(V("'a' + 'b'"), R"("ab")");                         // 29
  EXPECT_EQ(V("input.first + ' ' + input.last", R"({"first":"Ann","last":"Lee"})"),
            R"("Ann Lee")");                 // 30
  EXPECT_EQ(V("'n=' + 2.5"), R"("n=2.5")");  // 31
}

TEST_F(ExprWorkedExamples, StringMethods_Rows32To44) {
  EXPECT_EQ(V("input.name.toUpperCase()", R"({"name":"ann"})"), R"("ANN")");            // 32
  EXPECT_EQ(V("input.name.trim().toLowerCase()", R"({"name":"  AnN "})"), R"("ann")");  // 33
  EXPECT_EQ(V("input.n.length", R"({"n":"abc"})"), "3");                                // 34
  EXPECT_EQ(V("input.csv.split(',')", R"({"csv":"a,b,c"})"), R"(["a","b","c"])");       // 35
  EXPECT_EQ(V("input.s.split('')", R"({"s":"héj"})"), R"(["h","é","j"])");              // 36
  EXPECT_EQ(V("input.tags.join('-')", R"({"tags":["x",1,true]})"), R"("x-1-true")");    // 37
  EXPECT_EQ(V("input.tags.join(', ')", R"({"tags":["a","b"]})"), R"("a, b")");          // 38
  EXPECT_EQ(V("input.s.replace('a', 'o')", R"({"s":"banana"})"), R"("bonono")");        // 39
  EXPECT_EQ(V("input.s.replace('', '-')", R"({"s":"abc"})"), R"("-a-b-c-")");           // 40
  // 41-44 hold in both contexts.
  const std::string file = R"({"f":"report.pdf"})";
  EXPECT_EQ(V("input.f.startsWith('rep')", file), "true");  // 41
  EXPECT_EQ(B("input.f.startsWith('rep')", file), "true");
  EXPECT_EQ(V("input.f.endsWith('.pdf')", file), "true");  // 42
  EXPECT_EQ(B("input.f.endsWith('.pdf')", file), "true");
  EXPECT_EQ(V("input.email.includes('@')", R"({"email":"a@b.c"})"), "true");  // 43
  EXPECT_EQ(B("input.email.includes('@')", R"({"email":"a@b.c"})"), "true");
  EXPECT_EQ(V("input.tags.includes(1)", R"({"tags":["1"]})"), "true");  // 44
  EXPECT_EQ(B("input.tags.includes(1)", R"({"tags":["1"]})"), "true");
}

TEST_F(ExprWorkedExamples, ArraysAndPaths_Rows45To52) {
  EXPECT_EQ(V("input.tags[0]", R"({"tags":["x","y"]})"), R"("x")");                           // 45
  EXPECT_EQ(V("input.tags.length", R"({"tags":["x","y"]})"), "2");                            // 46
  EXPECT_EQ(V("input.tags.first()", R"({"tags":[]})"), "null");                               // 47
  EXPECT_EQ(V("input.tags.last()", R"({"tags":["x","y"]})"), R"("y")");                       // 48
  EXPECT_EQ(V("input.tags.reverse()", R"({"tags":["x","y"]})"), R"(["y","x"])");              // 49
  EXPECT_EQ(V("input.users[1].name", R"({"users":[{"name":"A"},{"name":"B"}]})"), R"("B")");  // 50
  EXPECT_EQ(V("input.a.b.c", R"({"a":{"b":{"c":true}}})"), "true");                           // 51
  EXPECT_EQ(B("input.a.b.c", R"({"a":{"b":{"c":true}}})"), "true");
  EXPECT_EQ(V("input.tags.length * 2", R"({"tags":[1,2,3]})"), "6");  // 52
}

TEST_F(ExprWorkedExamples, Comparisons_Rows53To66) {
  EXPECT_EQ(B("input > 3", "5"), "true");                                   // 53
  EXPECT_EQ(B("input == 5", R"("5")"), "true");                             // 54
  EXPECT_EQ(B(R"(input.n == "5.0")", R"({"n":5})"), "true");                // 55
  EXPECT_EQ(B(R"(input.b == "true")", R"({"b":true})"), "false");           // 56
  EXPECT_EQ(B("input == true", "true"), "true");                            // 57
  EXPECT_EQ(B("input == ''", R"("")"), "true");                             // 58
  EXPECT_EQ(B("input.a == input.b", R"({"a":null,"b":null})"), "true");     // 59
  EXPECT_EQ(B("input.missing != 1", R"({"a":1})"), "false");                // 60
  EXPECT_EQ(B("input.status != 'active'", R"({"status":"off"})"), "true");  // 61
  EXPECT_EQ(B("input.n <= 3", R"({"n":3})"), "true");                       // 62
  EXPECT_EQ(B("input.v > 'a'", R"({"v":5})"), "false");                     // 63
  EXPECT_EQ(B(">= 10", "10"), "true");                                      // 64
  EXPECT_EQ(B(">5", R"({"value":7})"), "true");                             // 65
  EXPECT_EQ(B("input.x == null", R"({"x":null})"), "true");                 // 66
}

TEST_F(ExprWorkedExamples, LogicAndTruth_Rows67To82) {
  EXPECT_EQ(B("input > 1 && input < 10 || input == 100", "100"), "true");                   // 67
  EXPECT_EQ(B("(input.a > 1 || input.b < 5) && false", R"({"a":2,"b":3})"), "false");       // 68
  EXPECT_EQ(B("!input.flag", R"({"flag":false})"), "true");                                 // 69
  EXPECT_EQ(B("!input.deleted", R"({"a":1})"), "true");                                     // 70
  EXPECT_EQ(B("input.flag", R"({"flag":"true"})"), "false");                                // 71
  EXPECT_EQ(B("input", "true"), "true");                                                    // 72
  EXPECT_EQ(B("true && true"), "true");                                                     // 73
  EXPECT_EQ(B("item.age > 18 && item.verified", R"({"age":20,"verified":true})"), "true");  // 74
  EXPECT_EQ(B("!(item.age < 18)", R"({"age":20})"), "true");                                // 75
  EXPECT_EQ(B("item.score > 80 && item.verified && item.tags.length > 0",
              R"({"score":90,"verified":true,"tags":[1]})"),
            "true");  // 76
  EXPECT_EQ(B("input.items.length > 0 && input.items[0] == 'x'", R"({"items":[]})"),
            "false");                                                                         // 77
  EXPECT_EQ(B("input.role == 'admin' || input.role == 'mod'", R"({"role":"mod"})"), "true");  // 78
  EXPECT_EQ(B("item.price >= 10 && item.price <= 100", R"({"price":50})"), "true");           // 79
  EXPECT_EQ(B("input % 2 == 0", "4"), "true");                                                // 80
  EXPECT_EQ(B("input + 1 > 0", "5"), "true");                                                 // 81
  EXPECT_EQ(B("input - 1 > 0", "5"), "true");                                                 // 82
}

TEST_F(ExprWorkedExamples, Ternary_Rows83To88) {
  EXPECT_EQ(V("input > 3 ? 'big' : 'small'", "5"), R"("big")");                 // 83
  EXPECT_EQ(V(R"(input > 5 ? "a" : input > 2 ? "b" : "c")", "3"), R"("b")");    // 84
  EXPECT_EQ(V("input.s == 'a:b' ? 1 : 2", R"({"s":"a:b"})"), "1");              // 85
  EXPECT_EQ(V("item.v > 1 ? item.v * 2 : 0", R"({"v":3})"), "6");               // 86
  EXPECT_EQ(V("input ? 1 : 2", "true"), "1");                                   // 87
  EXPECT_EQ(V(R"(input > 5 ? (input > 7 ? "x" : "y") : "z")", "6"), R"("y")");  // 88
}

TEST_F(ExprWorkedExamples, AggregatesAndMath_Rows89To104) {
  EXPECT_EQ(V("sum(input)", "[1,2,3]"), "6");                       // 89
  EXPECT_EQ(V("sum(input) / input.length", "[1,2,3]"), "2");        // 90
  EXPECT_EQ(V("sum(input)", "[]"), "0");                            // 91
  EXPECT_EQ(V("sum(1, 2, 3)"), "6");                                // 92
  EXPECT_EQ(V("avg(10, 20, 30)"), "20");                            // 93
  EXPECT_EQ(V("avg(input)", "[]"), "error: avg() on empty array");  // 94
  EXPECT_EQ(V("max(input)", R"([4,"9",2])"), "9");                  // 95
  EXPECT_EQ(V("min(3, 1, 2)"), "1");                                // 96
  EXPECT_EQ(V("max(input.a, input.b)", R"({"a":3,"b":7})"), "7");   // 97
  EXPECT_EQ(V("round(2.5)"), "3");                                  // 98
  EXPECT_EQ(V("round(-2.5)"), "-3");
  EXPECT_EQ(V("floor(input.v) * 2", R"({"v":3.7})"), "6");  // 99
  EXPECT_EQ(V("ceil(2.1)"), "3");                           // 100
  EXPECT_EQ(V("abs(-3)"), "3");
  EXPECT_EQ(V("abs(input.d)", R"({"d":-2.5})"), "2.5");
  EXPECT_EQ(V("pow(2, 10)"), "1024");  // 101
  EXPECT_EQ(V("sqrt(16)"), "4");
  EXPECT_EQ(V("sqrt(-1)"), "error: sqrt() of negative number");  // 102
  EXPECT_EQ(V("round(input)", "[1.2,2.7]"), "[1,3]");            // 103
  EXPECT_EQ(V("round(input) + round(input)", "2.5"), "6");       // 104
}

TEST_F(ExprWorkedExamples, ArrayFunctions_Rows105To120) {
  EXPECT_EQ(V("map(input, item.n)", R"([{"n":1},{"n":2}])"), "[1,2]");             // 105
  EXPECT_EQ(V("map(input, item.toUpperCase())", R"(["a","b"])"), R"(["A","B"])");  // 106
  EXPECT_EQ(V("map(input, item * 2)", "[1,2]"), "[2,4]");                          // 107
  EXPECT_EQ(V("sum(map(input, item.n)) * 2", R"([{"n":1},{"n":2}])"), "6");        // 108
  EXPECT_EQ(V("avg(map(input.users, item.age))", R"({"users":[{"age":30},{"age":20}]})"),
            "25");                                                      // 109
  EXPECT_EQ(V("sort(input)", "[3,1,2]"), "[1,2,3]");                    // 110
  EXPECT_EQ(V("sort(input)", R"(["b","a","c"])"), R"(["a","b","c"])");  // 111
  EXPECT_EQ(V("sort(input)", R"([3,"10",2])"), R"([2,3,"10"])");        // 112
  EXPECT_EQ(V("unique(input)", "[1,2,2,3,1]"), "[1,2,3]");              // 113
  EXPECT_EQ(V("unique(input)", R"([1,"1",1.5])"), "[1,1.5]");           // 114
  EXPECT_EQ(V("slice(input, -2)", "[1,2,3,4]"), "[3,4]");               // 115
  EXPECT_EQ(V("slice(input, 1, 3)", "[1,2,3,4]"), "[2,3]");
  EXPECT_EQ(V("slice(input, 3, 1)", "[1,2,3,4]"), "[]");     // 116
  EXPECT_EQ(V("reverse(input)", "[1,2,3]"), "[3,2,1]");      // 117
  EXPECT_EQ(V("flatten(input)", "[[1,[2]],3]"), "[1,2,3]");  // 118
  EXPECT_EQ(V("zip(input.a, input.b)", R"({"a":[1,2,3],"b":["x","y"]})"),
            R"([[1,"x"],[2,"y"],[3,null]])");                    // 119
  EXPECT_EQ(V("sample(input, 2)", "[1,2,3,4,5,6,7]"), "[1,4]");  // 120
}

TEST_F(ExprWorkedExamples, ValueHelpersAndLiterals_Rows121To127) {
  EXPECT_EQ(B("isNull(input.x)", R"({"x":null})"), "true");                           // 121
  EXPECT_EQ(B("contains(input, 'ell')", R"("hello")"), "true");                       // 122
  EXPECT_EQ(B("coalesce(input.a, input.b)", R"({"a":null,"b":true})"), "true");       // 123
  EXPECT_EQ(V("coalesce(item.nick, item.name)", R"({"name":"Ann"})"), R"("Ann")");    // 124
  EXPECT_EQ(B("input.tags.includes(input.t)", R"({"tags":["a"],"t":"a"})"), "true");  // 125
  EXPECT_EQ(V("[1, 2, 3].join('+')"), R"("1+2+3")");                                  // 126
  EXPECT_EQ(V("{total: item.price * item.qty, sku: item.sku}", R"({"price":2,"qty":3,"sku":"A"})"),
            R"({"sku":"A","total":6})");  // 127
}

// A reduce node evaluates its expression once per element with the
// accumulator bound.
std::string reduce(const FakeEnv& env, std::string_view source, std::string_view array,
                   std::string initial) {
  Value items = J(array);
  std::string acc = std::move(initial);
  for (std::size_t i = 0; i < items.as_array().size(); ++i) {
    Binds b;
    b.current = to_json(items.as_array()[i], JsonStyle::Plain);
    b.index = std::to_string(i);
    b.items = std::string(array);
    b.accumulator = acc;
    acc = eval_text(env, source, b);
  }
  return acc;
}

TEST_F(ExprWorkedExamples, ReduceItemsDatesAndMisc_Rows128To136) {
  EXPECT_EQ(reduce(env, "accumulator + item", "[1,2,3]", "0"), "6");  // 128
  EXPECT_EQ(
      reduce(env, "accumulator + item.name + ', '", R"([{"name":"A"},{"name":"B"}])", R"("")"),
      R"("A, B, ")");                                                        // 129
  EXPECT_EQ(V("items.length", Binds{"1", "0", "[1]", ""}), "1");             // 130
  EXPECT_EQ(V("year('2024-05-01') * 100 + month('2024-05-01')"), "202405");  // 131
  EXPECT_EQ(V("dateDiff('2024-01-02', '2024-01-01')"), "86400");             // 132
  EXPECT_EQ(V("null"), "null");                                              // 133
  EXPECT_EQ(V("input.x.length", R"({"x":5})"),
            "unresolved: cannot access field length on number");  // 134
  EXPECT_EQ(CompileError("1 < x < 5"),
            "expression syntax error at position 6: unexpected token '<'");  // 135
  EXPECT_EQ(B(">5 && <10", "7"), "true");                                    // 136
  EXPECT_EQ(B("!(== 0)", "3"), "true");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
