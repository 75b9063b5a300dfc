// The expression as parsed (CompiledExpression::parsed, expr/deparse.hpp):
// what thaiyyal.explain shows, one pair of parentheses per operation.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/expr/expression.hpp"

namespace thaiyyal::expr {
namespace {

std::string parsed(std::string_view source, StartSymbol start = StartSymbol::Expression) {
  CompiledExpression e = CompiledExpression::compile(source, start);
  EXPECT_TRUE(e.valid()) << source << ": " << e.compile_error();
  return e.parsed();
}

std::string condition(std::string_view source) {
  return parsed(source, StartSymbol::Condition);
}

TEST(ExprDeparse, PrecedenceBecomesParentheses) {
  EXPECT_EQ(parsed("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(parsed("(a + b) * c"), "((a + b) * c)");
  EXPECT_EQ(parsed("a + b - c"), "(a + b - c)");  // one left-associative chain
  EXPECT_EQ(parsed("-2 * x"), "(-2 * x)");        // a negative literal, folded
  EXPECT_EQ(parsed("-x * 3 % 2"), "((-x) * 3 % 2)");
  EXPECT_EQ(parsed("!a == b"), "((!a) == b)");
  EXPECT_EQ(parsed("a || b && c || d"), "(a || (b && c) || d)");
  EXPECT_EQ(parsed("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
  EXPECT_EQ(parsed("+x"), "(+x)");
}

TEST(ExprDeparse, ShorthandAndEmptyConditions) {
  EXPECT_EQ(condition(">5 && <10"), "((> 5) && (< 10))");
  EXPECT_EQ(condition("!(== 0)"), "(!(== 0))");
  EXPECT_EQ(condition(""), "input");
  EXPECT_EQ(condition("input.age >= 18"), "(input.age >= 18)");
}

TEST(ExprDeparse, NamesPathsCallsAndMethods) {
  EXPECT_EQ(parsed("item.price"), "item.price");
  EXPECT_EQ(parsed("node.fetch.body[0].name"), "node.fetch.body[0].name");
  EXPECT_EQ(parsed("context.tax.rate"), "context.tax.rate");
  EXPECT_EQ(parsed("context.name.toUpperCase()"), "context.name.toUpperCase()");
  EXPECT_EQ(parsed("variables.total + variables[\"k\"]"), "(variables.total + variables[\"k\"])");
  EXPECT_EQ(parsed("node[\"a\"]"), "node[\"a\"]");
  EXPECT_EQ(parsed("round(sum(map(items, item.qty)))"), "round(sum(map(items, item.qty)))");
  EXPECT_EQ(parsed("input.name.trim().toLowerCase()"), "input.name.trim().toLowerCase()");
  EXPECT_EQ(parsed("accumulator + index"), "(accumulator + index)");
}

TEST(ExprDeparse, LiteralsAreRequoted) {
  EXPECT_EQ(parsed(R"('it\'s' + "a\"b\n")"), R"(("it's" + "a\"b\n"))");
  EXPECT_EQ(parsed("1.5 + 1000000 + true + null"), "(1.5 + 1e+06 + true + null)");
  // Constant arrays and objects are folded into one literal by the parser.
  EXPECT_EQ(parsed("[1, 2, 'x']"), R"([1,2,"x"])");
  EXPECT_EQ(parsed("{b: 1, a: 2}"), R"({"a":2,"b":1})");
  // Non-constant ones keep their elements; keys sorted, the last duplicate wins.
  EXPECT_EQ(parsed("[input, 2]"), "[input, 2]");
  EXPECT_EQ(parsed("{b: input, a: 1, b: 2 + input}"), R"({"a": 1, "b": (2 + input)})");
}

TEST(ExprDeparse, ParsedTextParsesToTheSameTree) {
  for (std::string_view source :
       {"a + b * c - d / e % f", "x > 1 && (y < 2 || !z) ? [x, y] : {k: x}",
        "round(avg(map(items, item.v * 2))) >= context.limit",
        "node.a.list[index + 1].name.toUpperCase().includes('X')"}) {
    const std::string once = parsed(source);
    EXPECT_EQ(parsed(once), once) << source;
  }
}

TEST(ExprDeparse, AnInvalidExpressionHasNoParsedText) {
  CompiledExpression e = CompiledExpression::compile("a +", StartSymbol::Expression);
  ASSERT_FALSE(e.valid());
  EXPECT_EQ(e.parsed(), "");
}

}  // namespace
}  // namespace thaiyyal::expr
