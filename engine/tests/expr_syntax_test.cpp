// spec/language.md §2 (lexical grammar) and §3 (syntax): what parses, what
// it means, and the exact syntax-error texts.
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprSyntax = ExprTest;

std::string syntax(std::string_view src, StartSymbol start = StartSymbol::Expression) {
  return ExprTest::CompileError(src, start);
}

TEST_F(ExprSyntax, NumberLiteralsHaveOneGrammar) {
  EXPECT_EQ(V("12"), "12");
  EXPECT_EQ(V("1.5"), "1.5");
  EXPECT_EQ(V(".5"), "0.5");
  EXPECT_EQ(V("1e3"), "1000");
  EXPECT_EQ(V("1E+2"), "100");
  EXPECT_EQ(V("2.5e-3"), "0.0025");
  EXPECT_EQ(V("-1"), "-1");  // unary minus, not part of the literal
  EXPECT_EQ(V("1e400 "),
            "compile error: expression syntax error at position 0: number out of range");
  EXPECT_EQ(syntax("1."), "expression syntax error at position 2: expected member name after '.'");
  EXPECT_EQ(syntax("0x10"), "expression syntax error at position 1: unexpected token 'x10'");
  EXPECT_EQ(syntax("1e"), "expression syntax error at position 1: unexpected token 'e'");
  EXPECT_EQ(syntax("5abc"), "expression syntax error at position 1: unexpected token 'abc'");
}

TEST_F(ExprSyntax, StringLiteralsTakeEitherQuoteAndEscapes) {
  EXPECT_EQ(V("'single'"), R"("single")");
  EXPECT_EQ(V(R"("double")"), R"("double")");
  EXPECT_EQ(V(R"("it's")"), R"("it's")");
  EXPECT_EQ(V(R"('say "hi"')"), R"("say \"hi\"")");
  EXPECT_EQ(V(R"('a\'b')"), R"("a'b")");
  EXPECT_EQ(V(R"("a\"b")"), R"("a\"b")");
  EXPECT_EQ(V(R"('\\ \/ \n \t \r \b \f')"), R"("\\ / \n \t \r \b \f")");
  EXPECT_EQ(V(R"('\u00e9')"), R"("é")");
  EXPECT_EQ(V(R"('\ud83d\ude00')"), R"("😀")");
  EXPECT_EQ(V(R"('C:\data')"), R"("C:\\data")");  // unknown escape kept literally
  EXPECT_EQ(V(R"('\x')"), R"("\\x")");
  EXPECT_EQ(V("'héllo wörld'"), R"("héllo wörld")");
  EXPECT_EQ(V("''"), R"("")");
}

TEST_F(ExprSyntax, MalformedStringsAreSyntaxErrors) {
  EXPECT_EQ(syntax("'abc"), "expression syntax error at position 0: unterminated string");
  EXPECT_EQ(syntax("x == \"abc"), "expression syntax error at position 5: unterminated string");
  EXPECT_EQ(syntax(R"('abc\')"), "expression syntax error at position 0: unterminated string");
  EXPECT_EQ(syntax(R"('\u12')"), "expression syntax error at position 1: invalid unicode escape");
  EXPECT_EQ(syntax(R"('\ud83d')"),
            "expression syntax error at position 1: lone surrogate in unicode escape");
  EXPECT_EQ(syntax(R"('\ude00x')"),
            "expression syntax error at position 1: lone surrogate in unicode escape");
  EXPECT_EQ(syntax("'a\xff'"), "expression syntax error at position 2: invalid UTF-8");
}

TEST_F(ExprSyntax, KeywordsAreCaseSensitive) {
  EXPECT_EQ(V("true"), "true");
  EXPECT_EQ(V("false"), "false");
  EXPECT_EQ(V("null"), "null");
  EXPECT_EQ(V("True"), "unresolved: unknown identifier: True");
  EXPECT_EQ(V("NULL", R"({"NULL":1})"), "1");
}

TEST_F(ExprSyntax, IdentifiersAllowDollarAndUnderscore) {
  EXPECT_EQ(V("$x + _y", R"({"$x":1,"_y":2})"), "3");
  EXPECT_EQ(V("a1", R"({"a1":5})"), "5");
}

TEST_F(ExprSyntax, StrayCharactersAreSyntaxErrors) {
  EXPECT_EQ(syntax("a = 1"), "expression syntax error at position 2: unexpected character '='");
  EXPECT_EQ(syntax("a & b"), "expression syntax error at position 2: unexpected character '&'");
  EXPECT_EQ(syntax("a | b"), "expression syntax error at position 2: unexpected character '|'");
  EXPECT_EQ(syntax("a; b"), "expression syntax error at position 1: unexpected character ';'");
  EXPECT_EQ(syntax("`a`"), "expression syntax error at position 0: unexpected character '`'");
  EXPECT_EQ(syntax("# comment"), "expression syntax error at position 0: unexpected character '#'");
  EXPECT_EQ(syntax("@a"), "expression syntax error at position 0: unexpected character '@'");
  EXPECT_EQ(syntax("é"), "expression syntax error at position 0: unexpected character 'é'");
  EXPECT_EQ(syntax("1 \xff"), "expression syntax error at position 2: invalid UTF-8");
}

TEST_F(ExprSyntax, WhiteSpaceSeparatesTokensAndUnicodeSpaceIsTrimmed) {
  EXPECT_EQ(V(" \t\n1\r\n+\v2\f "), "3");
  EXPECT_EQ(V("\u00a0\u3000 input \u2003", "4"), "4");
  EXPECT_EQ(V("input . a", R"({"a":1})"), "1");
  EXPECT_EQ(syntax(" (1"),
            "expression syntax error at position 3: expected ')'");  // offsets in the original text
}

TEST_F(ExprSyntax, PrecedenceAndAssociativity) {
  EXPECT_EQ(V("1 + 2 * 3 - 4"), "3");
  EXPECT_EQ(V("10 - 4 - 3"), "3");  // left
  EXPECT_EQ(V("64 / 4 / 2"), "8");  // left
  EXPECT_EQ(V("2 * 3 % 4"), "2");   // left, same level
  EXPECT_EQ(V("-2 * 3"), "-6");     // unary binds tighter
  EXPECT_EQ(V("- -2"), "2");
  EXPECT_EQ(V("+'3'"), "3");
  EXPECT_EQ(V("!true == false"), "true");  // (!true) == false
  EXPECT_EQ(V("1 < 2 == true"), "true");   // relational binds tighter than equality
  EXPECT_EQ(V("true || false && false"), "true");
  EXPECT_EQ(V("false && true || true"), "true");
  EXPECT_EQ(V("1 + 1 == 2 && 2 * 2 == 4"), "true");
  EXPECT_EQ(V("true ? 1 : 2 + 10"), "1");
  EXPECT_EQ(V("false ? 1 : true ? 2 : 3"), "2");  // right
  EXPECT_EQ(V("(false ? true : false) ? 1 : 2"), "2");
  EXPECT_EQ(V("true ? false ? 1 : 2 : 3"), "2");
}

TEST_F(ExprSyntax, ComparisonsDoNotChain) {
  EXPECT_EQ(syntax("a == b == c"), "expression syntax error at position 7: unexpected token '=='");
  EXPECT_EQ(syntax("a != b == c"), "expression syntax error at position 7: unexpected token '=='");
  EXPECT_EQ(syntax("1 < x < 5"), "expression syntax error at position 6: unexpected token '<'");
  EXPECT_EQ(syntax("1 <= x >= 5"), "expression syntax error at position 7: unexpected token '>='");
  EXPECT_EQ(syntax("1 < x && x < 5"), "");
}

TEST_F(ExprSyntax, PostfixMembersIndexesAndMethods) {
  const std::string doc = R"({"a":{"b":[{"c":"x"}]},"1":{"value":9}})";
  EXPECT_EQ(V("input.a.b[0].c.toUpperCase()", doc), R"("X")");
  EXPECT_EQ(V("item.1.value", doc), "9");  // member names may start with a digit
  EXPECT_EQ(V("input['a']['b'][0]['c']", doc), R"("x")");
  EXPECT_EQ(V("[10, 20, 30][1]"), "20");
  EXPECT_EQ(V("{a: {b: 2}}.a.b"), "2");
  EXPECT_EQ(V("'abc'.length"), "3");
  EXPECT_EQ(V("(1 + 2).x"), "unresolved: cannot access field x on number");
  EXPECT_EQ(syntax("input."),
            "expression syntax error at position 6: expected member name after '.'");
  EXPECT_EQ(syntax("input.[0]"),
            "expression syntax error at position 6: expected member name after '.'");
  EXPECT_EQ(syntax("input[0"), "expression syntax error at position 7: expected ']'");
  EXPECT_EQ(syntax("(f)(1)"), "expression syntax error at position 3: unexpected token '('");
  EXPECT_EQ(syntax("input.trim(,)"),
            "expression syntax error at position 11: unexpected token ','");
  EXPECT_EQ(syntax("sum(1 2)"), "expression syntax error at position 6: expected ',' or ')'");
  EXPECT_EQ(syntax("sum(1,)"), "expression syntax error at position 6: unexpected token ')'");
}

TEST_F(ExprSyntax, ArrayAndObjectLiterals) {
  EXPECT_EQ(V("[]"), "[]");
  EXPECT_EQ(V("[1, 'a', true, null, [2]]"), R"([1,"a",true,null,[2]])");
  EXPECT_EQ(V("[1, 2,]"), "[1,2]");  // trailing comma
  EXPECT_EQ(V("[input, input * 2]", "3"), "[3,6]");
  EXPECT_EQ(V("{}"), "{}");
  EXPECT_EQ(V("{b: 1, 'a': 2, \"c d\": 3, 4: 5,}"), R"({"4":5,"a":2,"b":1,"c d":3})");
  EXPECT_EQ(V("{a: 1, a: 2}"), R"({"a":2})");  // the last duplicate wins
  EXPECT_EQ(V("{a: input, a: 2}", "1"), R"({"a":2})");
  EXPECT_EQ(V("{1.50: 'x', 1000000: 'y'}"), R"({"1.5":"x","1e+06":"y"})");  // keys by text form
  EXPECT_EQ(V("{name: item.name.trim(), n: item.n + 1}", R"({"name":" A ","n":1})"),
            R"({"n":2,"name":"A"})");
  EXPECT_EQ(syntax("[1 2]"), "expression syntax error at position 3: expected ',' or ']'");
  EXPECT_EQ(syntax("{a 1}"), "expression syntax error at position 3: expected ':'");
  EXPECT_EQ(syntax("{a: 1 b: 2}"), "expression syntax error at position 6: expected ',' or '}'");
  EXPECT_EQ(syntax("{[1]: 2}"), "expression syntax error at position 1: expected object key");
  EXPECT_EQ(syntax("[1,,2]"), "expression syntax error at position 3: unexpected token ','");
}

TEST_F(ExprSyntax, TernaryNeedsColon) {
  EXPECT_EQ(syntax("a ? b"), "expression syntax error at position 5: expected ':'");
  EXPECT_EQ(syntax("a ? b c"), "expression syntax error at position 6: expected ':'");
  EXPECT_EQ(syntax("a ? : c"), "expression syntax error at position 4: unexpected token ':'");
}

TEST_F(ExprSyntax, WholeTextMustBeConsumed) {
  EXPECT_EQ(syntax("1 2"), "expression syntax error at position 2: unexpected token '2'");
  EXPECT_EQ(syntax("a)"), "expression syntax error at position 1: unexpected token ')'");
  EXPECT_EQ(syntax("x 'y'"), "expression syntax error at position 2: unexpected token ''y''");
  EXPECT_EQ(syntax(""), "expression syntax error at position 0: unexpected end of expression");
  EXPECT_EQ(syntax("  "), "expression syntax error at position 2: unexpected end of expression");
  EXPECT_EQ(syntax("1 +"), "expression syntax error at position 3: unexpected end of expression");
}

TEST_F(ExprSyntax, NodeReferencesTakeIdsWithDashes) {
  env.nodes["http-1"] = J(R"({"status":200})");
  env.nodes["a"] = J("10");
  env.nodes["1"] = J("[5]");
  EXPECT_EQ(V("node.http-1.status"), "200");
  EXPECT_EQ(V("node.a - 1"), "9");
  EXPECT_EQ(V("node.a-1"), "unresolved: node result not found: a-1");
  EXPECT_EQ(V("node['http-1'].status"), "200");
  EXPECT_EQ(V("node[1][0]"), "5");  // numbers index by their text form
  EXPECT_EQ(syntax("node.+"),
            "expression syntax error at position 5: expected node id after 'node.'");
}

TEST_F(ExprSyntax, NamespaceRootsMustBeFollowedByAMember) {
  EXPECT_EQ(syntax("node"), "'node' must be followed by a member");
  EXPECT_EQ(syntax("variables + 1"), "'variables' must be followed by a member");
  EXPECT_EQ(syntax("context == 1"), "'context' must be followed by a member");
  EXPECT_EQ(syntax("variables.x()"), "'variables' must be followed by a member");
  EXPECT_EQ(syntax("context.trim()"), "'context' must be followed by a member");
  EXPECT_EQ(syntax("node(1)"), "unknown function: node");
}

TEST_F(ExprSyntax, UnknownNamesAndArityAreCompileErrors) {
  EXPECT_EQ(syntax("foo(1)"), "unknown function: foo");
  EXPECT_EQ(syntax("1 + bar()"), "unknown function: bar");
  EXPECT_EQ(syntax("input.foo()"), "unknown method: foo");
  EXPECT_EQ(syntax("input.length()"), "unknown method: length");  // a property, not a method
  EXPECT_EQ(syntax("Sum(1)"), "unknown function: Sum");
  EXPECT_EQ(syntax("round(1, 2)"), "round() requires exactly 1 argument, got 2");
  EXPECT_EQ(syntax("pow(1)"), "pow() requires exactly 2 arguments, got 1");
  EXPECT_EQ(syntax("sqrt()"), "sqrt() requires exactly 1 argument, got 0");
  EXPECT_EQ(syntax("sum()"), "sum() requires at least 1 argument");
  EXPECT_EQ(syntax("min()"), "min() requires at least 1 argument");
  EXPECT_EQ(syntax("map(input)"),
            "map() requires exactly 2 arguments: array expression and item expression");
  EXPECT_EQ(syntax("slice(input)"),
            "slice() requires 2 or 3 arguments (array, start, [end]), got 1");
  EXPECT_EQ(syntax("slice(input, 1, 2, 3)"),
            "slice() requires 2 or 3 arguments (array, start, [end]), got 4");
  EXPECT_EQ(syntax("sample(input)"), "sample() requires exactly 2 arguments (array, n), got 1");
  EXPECT_EQ(syntax("zip(input)"), "zip() requires at least 2 arrays, got 1");
  EXPECT_EQ(syntax("isNull()"), "isNull() requires exactly 1 argument, got 0");
  EXPECT_EQ(syntax("coalesce()"), "coalesce() requires at least 1 argument");
  EXPECT_EQ(syntax("contains(1)"), "contains() requires exactly 2 arguments");
  EXPECT_EQ(syntax("now(1)"), "now() takes no arguments, got 1");
  EXPECT_EQ(syntax("dateAdd(1)"), "dateAdd() requires exactly 2 arguments, got 1");
  EXPECT_EQ(syntax("year()"), "year() requires exactly 1 argument, got 0");
  EXPECT_EQ(syntax("'a'.replace('a')"), "replace() requires exactly 2 arguments, got 1");
  EXPECT_EQ(syntax("'a'.includes()"), "includes() requires exactly 1 argument, got 0");
  EXPECT_EQ(syntax("[].reverse(1)"), "reverse() requires exactly 0 arguments, got 1");
  EXPECT_EQ(syntax("[].concat()"), "");  // any number
}

TEST_F(ExprSyntax, ConditionShorthandComparesTheCurrentValue) {
  EXPECT_EQ(B(">=18", "18"), "true");
  EXPECT_EQ(B("> 5", "5"), "false");
  EXPECT_EQ(B("<65", "30"), "true");
  EXPECT_EQ(B(R"(== "x")", R"("x")"), "true");
  EXPECT_EQ(B("!= 0", "0"), "false");
  EXPECT_EQ(B(">5 && <10", "12"), "false");
  EXPECT_EQ(B("<5 || >10", "12"), "true");
  EXPECT_EQ(B("!(== 0)", "0"), "false");
  EXPECT_EQ(B("!>5", "3"), "true");
  EXPECT_EQ(B("(>5)", "6"), "true");
  EXPECT_EQ(B(">= 2 * 5", "10"), "true");  // the right side is an additive expression
  EXPECT_EQ(B(">= input - 1", "10"), "true");
  // the left operand is unwrapped while it is an object with a `value` key
  EXPECT_EQ(B(">=10", R"({"value":12})"), "true");
  EXPECT_EQ(B(">5", R"({"value":{"value":7}})"), "true");
  EXPECT_EQ(B("== 3", R"({"v":3})"), "false");
  // a shorthand is only allowed where a condition is expected
  EXPECT_EQ(syntax(">5"), "expression syntax error at position 0: unexpected token '>'");
  EXPECT_EQ(syntax("1 + >5", StartSymbol::Condition),
            "expression syntax error at position 4: unexpected token '>'");
  EXPECT_EQ(syntax(">5 == true", StartSymbol::Condition),
            "expression syntax error at position 3: unexpected token '=='");
}

TEST_F(ExprSyntax, EmptyConditionMeansInput) {
  EXPECT_EQ(B("", "true"), "true");
  EXPECT_EQ(B("   ", "true"), "true");
  EXPECT_EQ(B("", "5"), "false");
  EXPECT_EQ(B("", R"("true")"), "false");
  EXPECT_EQ(syntax(""), "expression syntax error at position 0: unexpected end of expression");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
