// `pattern`, `patternProperties` and the "regex" format use RE2
// (engine/schema/regex.cpp): Go's regexp syntax, as gojsonschema compiles it,
// and matching in time linear in the input, so that no pattern can hold a
// backend for long without checking for interrupts.
#include <gtest/gtest.h>

#include <string>

#include "engine/schema/regex.hpp"
#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using schema::Regex;
using schema::RegexLimitError;
using testing::run_node;

std::string validate(std::string_view schema, std::string_view input) {
  return run_node("schema_validator", "{\"schema\":" + std::string(schema) + "}", {input});
}

bool compiles(std::string_view pattern) {
  return Regex::compile(pattern).has_value();
}

TEST(SchemaRegex, AcceptsGoSyntaxThatEcmaScriptLacks) {
  EXPECT_TRUE(compiles(R"(\pL+)"));
  EXPECT_TRUE(compiles(R"(\p{Greek})"));
  EXPECT_TRUE(compiles(R"((?P<year>\d{4}))"));
  EXPECT_TRUE(compiles(R"(a\z)"));
  EXPECT_TRUE(compiles(R"((?is)a.b)"));
  EXPECT_TRUE(compiles(R"(\Qa.b\E)"));
  EXPECT_TRUE(Regex::compile(R"(^\pL+$)")->search("Ωμέγα"));
}

TEST(SchemaRegex, RefusesWhatGoRefuses) {
  EXPECT_FALSE(compiles(R"((?=a)b)"));   // lookahead
  EXPECT_FALSE(compiles(R"((?<!a)b)"));  // lookbehind
  EXPECT_FALSE(compiles(R"((a)\1)"));    // back-reference
  EXPECT_FALSE(compiles(R"(a\Z)"));      // \Z (ECMAScript reads a literal Z)
  EXPECT_FALSE(compiles(R"(a\C)"));      // RE2 accepts \C, Go does not
  EXPECT_FALSE(compiles("a{1001}"));     // Go's repeat limit is 1000
  EXPECT_FALSE(compiles("(a"));
}

TEST(SchemaRegex, ClassesAreAsciiAsInGo) {
  const auto digits = Regex::compile(R"(^\d+$)");
  EXPECT_TRUE(digits->search("0123456789"));
  EXPECT_FALSE(digits->search("١٢٣"));  // Arabic-Indic digits
  const auto space = Regex::compile(R"(^\s$)");
  EXPECT_TRUE(space->search("\t"));
  EXPECT_FALSE(space->search("\u00a0"));
  EXPECT_FALSE(space->search("\v"));  // Go's \s is [\t\n\f\r ]
}

TEST(SchemaRegex, SearchesAnywhereUnlessAnchored) {
  EXPECT_TRUE(Regex::compile("b+")->search("abbbc"));
  EXPECT_FALSE(Regex::compile("^b+")->search("abbbc"));
  EXPECT_TRUE(Regex::compile("(?i)ABC")->search("xabcx"));
  EXPECT_FALSE(Regex::compile("a.c")->search("a\nc"));
  EXPECT_TRUE(Regex::compile("(?m)^c$")->search("ab\nc"));
}

TEST(SchemaRegex, PathologicalBacktrackingPatternsRunInLinearTime) {
  // Each of these makes a backtracking matcher take exponential or
  // polynomial time on a long non-matching input; RE2 answers at once.
  const std::string input = std::string(20000, 'a') + "!";
  for (const char* pattern : {"^(a+)+$", "^(a|aa)+$", "(a*)*b", "^(a|a)*$", "(.*a){20}b"}) {
    const auto re = Regex::compile(pattern);
    ASSERT_TRUE(re.has_value()) << pattern;
    EXPECT_FALSE(re->search(input)) << pattern;
  }
}

TEST(SchemaRegex, RefusesAMatchWhoseWorstCaseIsTooLong) {
  // Nested counted repetition defeats RE2's DFA; the NFA fallback costs
  // program size x input length, bounded by kMaxRegexWork.
  const auto re = Regex::compile("((a{1,10}){1,10}){1,10}b");
  ASSERT_TRUE(re.has_value());
  EXPECT_FALSE(re->search(std::string(1000, 'a')));
  EXPECT_THROW(re->search(std::string(90000, 'a')), RegexLimitError);
}

TEST(SchemaRegex, TheNodeReportsRefusedPatternsAsInvalidSchemas) {
  EXPECT_EQ(validate(R"x({"pattern":"(?=a)"})x", R"("a")"),
            "error: schema validation failed: pattern must be a valid regex");
  EXPECT_EQ(validate(R"({"patternProperties":{"a\\Z":{}}})", "{}"),
            "error: schema validation failed: Invalid regex pattern 'a\\Z'");
  EXPECT_EQ(
      validate(R"({"format":"regex"})", R"x("(?=a)")x"),
      R"x({"data":"(?=a)","errors":[{"description":"Does not match format 'regex'","field":"(root)","type":"format","value":"(?=a)"}],"valid":false})x");
}

TEST(SchemaRegex, TheNodeReportsATooLongMatchAsALimit) {
  const std::string input = "\"" + std::string(90000, 'a') + "\"";
  EXPECT_EQ(validate(R"({"pattern":"((a{1,10}){1,10}){1,10}b"})", input),
            "error: schema validation failed: pattern too complex for a string of 90000 bytes "
            "(program size 2004 x length > 50000000)");
}

}  // namespace
}  // namespace thaiyyal
