// simple_numeric_test: the reference's simple numeric test S
// (spec/expressions.md §5.11), used by `while_loop`.
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

bool S(std::string_view text, std::string_view current_json) {
  return simple_numeric_test(text, J(current_json));
}

TEST(ExprSimpleNumericTest, TrueAndFalseAreConstants) {
  EXPECT_TRUE(S("true", "null"));
  EXPECT_FALSE(S("false", "5"));
  EXPECT_FALSE(S(" true", "5"));  // exact text only
}

TEST(ExprSimpleNumericTest, SubjectIsANumberOrAnObjectsNumericValue) {
  EXPECT_TRUE(S(">5", "7"));
  EXPECT_TRUE(S(">5", R"({"value":7})"));
  EXPECT_FALSE(S(">5", R"({"value":{"value":7}})"));  // one level only
  EXPECT_FALSE(S(">5", R"("7")"));
  EXPECT_FALSE(S(">5", "null"));
  EXPECT_FALSE(simple_numeric_test(">5", Value::integer(7)));  // Go int does not qualify
}

TEST(ExprSimpleNumericTest, Operators) {
  EXPECT_TRUE(S(">=5", "5"));
  EXPECT_TRUE(S("<=5", "5"));
  EXPECT_TRUE(S("==5", "5"));
  EXPECT_TRUE(S("!=5", "4"));
  EXPECT_TRUE(S("<5", "4"));
  EXPECT_FALSE(S(">5", "5"));
  EXPECT_FALSE(S("=5", "5"));
  EXPECT_FALSE(S("5", "5"));
  EXPECT_FALSE(S(">", "5"));
  EXPECT_FALSE(S("", "5"));
}

TEST(ExprSimpleNumericTest, ThresholdIsScannedLikeSscanfFloat) {
  EXPECT_TRUE(S("> 5", "6"));  // leading spaces skipped
  EXPECT_FALSE(S("> 5", "5"));
  EXPECT_TRUE(S(">5abc", "7"));  // trailing text ignored
  EXPECT_FALSE(S(">5abc", "4"));
  EXPECT_TRUE(S(">abc", "5"));  // nothing parses: threshold 0
  EXPECT_FALSE(S(">abc", "-1"));
  EXPECT_FALSE(S(">\n5", "-1"));  // newline: scan fails, threshold 0
  EXPECT_TRUE(S(">\n5", "1"));
  EXPECT_TRUE(S(">1e2", "150"));
  EXPECT_FALSE(S(">1e2", "50"));
  EXPECT_TRUE(S(">-2.5", "-2"));
  EXPECT_TRUE(S(">1_000", "1001"));  // Go ParseFloat accepts underscores
  EXPECT_FALSE(S(">1_000", "999"));
  EXPECT_TRUE(S(">1p2", "5"));  // decimal mantissa, binary exponent: 4
  EXPECT_FALSE(S(">1p2", "3"));
  EXPECT_TRUE(S(">0x1p4", "10"));  // "0x1" alone is not a Go float: threshold 0
  EXPECT_TRUE(S(">1e999", "1"));   // out of range: threshold 0
  EXPECT_FALSE(S(">nan", "1"));
  EXPECT_TRUE(S("!=nan", "1"));
  EXPECT_FALSE(S(">inf", "1e308"));
  EXPECT_TRUE(S(">-inf", "-1e308"));
}

}  // namespace
}  // namespace thaiyyal::expr::testing
