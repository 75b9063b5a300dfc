// spec/language.md §6.4: methods on strings and arrays.
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprStringMethods = ExprTest;
using ExprArrayMethods = ExprTest;
using ExprMethodErrors = ExprTest;

TEST_F(ExprStringMethods, CaseMappingIsPerCodePointSimpleMapping) {
  EXPECT_EQ(V("'straße'.toUpperCase()"), R"("STRAßE")");  // no special casing
  EXPECT_EQ(V("'ÀÉÎ Ω'.toLowerCase()"), R"("àéî ω")");
  EXPECT_EQ(V("'İ'.toLowerCase()"), R"("i")");
  EXPECT_EQ(V("'ǅ'.toUpperCase()"), R"("Ǆ")");
  EXPECT_EQ(V("'ǅ'.toLowerCase()"), R"("ǆ")");
  EXPECT_EQ(V("'ᾳ'.toUpperCase()"), R"("ᾼ")");
  EXPECT_EQ(V("'ı'.toUpperCase()"), R"("I")");
  EXPECT_EQ(V("'abc123_'.toUpperCase()"), R"("ABC123_")");
  EXPECT_EQ(V("'ⓐ'.toUpperCase()"), R"("Ⓐ")");
  EXPECT_EQ(V("''.toLowerCase()"), R"("")");
}

TEST_F(ExprStringMethods, TrimRemovesUnicodeWhiteSpace) {
  EXPECT_EQ(V("input.trim()", "\"\\u00a0 \\t x y \\n\\u3000\""), R"("x y")");
  EXPECT_EQ(V("input.trim()", "\"\\u200bx\""), "\"\u200bx\"");  // ZWSP is not white space
  EXPECT_EQ(V("'   '.trim()"), R"("")");
}

TEST_F(ExprStringMethods, IncludesStartsWithEndsWithUseTextForms) {
  EXPECT_EQ(V("'a1b'.includes(1)"), "true");
  EXPECT_EQ(V("'abc'.includes('')"), "true");
  EXPECT_EQ(V("'abc'.includes('d')"), "false");
  EXPECT_EQ(V("''.startsWith('')"), "true");
  EXPECT_EQ(V("'abc'.startsWith('abcd')"), "false");
  EXPECT_EQ(V("'abc'.endsWith('bc')"), "true");
  EXPECT_EQ(V("'v1000000'.endsWith(1000000)"), "false");  // text form is 1e+06
  EXPECT_EQ(V("'v1e+06'.endsWith(1000000)"), "true");
}

TEST_F(ExprStringMethods, ReplaceReplacesEveryOccurrence) {
  EXPECT_EQ(V("'aaa'.replace('a', 'b')"), R"("bbb")");
  EXPECT_EQ(V("'aaa'.replace('aa', 'b')"), R"("ba")");
  EXPECT_EQ(V("'abc'.replace('x', 'y')"), R"("abc")");
  EXPECT_EQ(V("'a.b.c'.replace('.', '')"), R"("abc")");
  EXPECT_EQ(V("''.replace('', '-')"), R"("-")");
  EXPECT_EQ(V("'héj'.replace('', '.')"), R"(".h.é.j.")");
}

TEST_F(ExprStringMethods, SplitLikeGo) {
  EXPECT_EQ(V("'a,,b'.split(',')"), R"(["a","","b"])");
  EXPECT_EQ(V("'a,b,'.split(',')"), R"(["a","b",""])");
  EXPECT_EQ(V("''.split(',')"), R"([""])");
  EXPECT_EQ(V("''.split('')"), "[]");
  EXPECT_EQ(V("'abc'.split('abc')"), R"(["",""])");
  EXPECT_EQ(V("'a b  c'.split(' ')"), R"(["a","b","","c"])");
  EXPECT_EQ(V("'😀x'.split('')"), R"(["😀","x"])");
}

TEST_F(ExprStringMethods, ChainsAndLiterals) {
  EXPECT_EQ(V("input.name.trim().toLowerCase().split(' ').join('-')", R"({"name":" Ann  LEE "})"),
            R"("ann--lee")");
  EXPECT_EQ(V("('a' + 'b').toUpperCase()"), R"("AB")");
  EXPECT_EQ(V("'x'.toUpperCase().length"), "1");
}

TEST_F(ExprArrayMethods, IncludesUsesEquality) {
  EXPECT_EQ(V("[1, '2'].includes(2)"), "true");
  EXPECT_EQ(V("['1.0'].includes('1')"), "false");
  EXPECT_EQ(V("[[1]].includes([1])"), "true");
  EXPECT_EQ(V("[null].includes(null)"), "true");
  EXPECT_EQ(V("[].includes(1)"), "false");
}

TEST_F(ExprArrayMethods, JoinFirstLastReverse) {
  EXPECT_EQ(V("[].join(',')"), R"("")");
  EXPECT_EQ(V("['a'].join(',')"), R"("a")");
  EXPECT_EQ(V("[1, 2].join(0)"), R"("102")");
  EXPECT_EQ(V("[1, 2, 3].first()"), "1");
  EXPECT_EQ(V("[1, 2, 3].last()"), "3");
  EXPECT_EQ(V("[].last()"), "null");
  EXPECT_EQ(V("[{a: 1}].first().a"), "1");
  EXPECT_EQ(V("[1, 2, 3].reverse()"), "[3,2,1]");
  EXPECT_EQ(V("[].reverse()"), "[]");
}

TEST_F(ExprArrayMethods, ConcatAppendsAndSpreadsArrayArgumentsOneLevel) {
  EXPECT_EQ(V("[1].concat(2, [3, [4]], 'x')"), R"([1,2,3,[4],"x"])");
  EXPECT_EQ(V("[].concat()"), "[]");
  EXPECT_EQ(V("input.concat(input)", "[1]"), "[1,1]");
  // the reduce idiom of the reference documentation
  EXPECT_EQ(V("accumulator.items.concat(item)", Binds{"3", "0", "", R"({"items":[1,2]})"}),
            "[1,2,3]");
}

TEST_F(ExprMethodErrors, WrongReceiverKinds) {
  EXPECT_EQ(V("5.toUpperCase()"), "error: toUpperCase() can only be called on strings, got number");
  EXPECT_EQ(V("null.trim()"), "error: trim() can only be called on strings, got null");
  EXPECT_EQ(V("[1].startsWith(1)"), "error: startsWith() can only be called on strings, got array");
  EXPECT_EQ(V("{}.split(',')"), "error: split() can only be called on strings, got object");
  EXPECT_EQ(V("true.includes(1)"),
            "error: includes() can only be called on strings or arrays, got bool");
  EXPECT_EQ(V("'ab'.join(',')"), "error: join() can only be called on arrays, got string");
  EXPECT_EQ(V("'ab'.reverse()"), "error: reverse() can only be called on arrays, got string");
  EXPECT_EQ(V("1.first()"), "error: first() can only be called on arrays, got number");
  EXPECT_EQ(V("'a'.concat('b')"), "error: concat() can only be called on arrays, got string");
}

TEST_F(ExprMethodErrors, UnresolvedReceiversPropagateArgumentErrorsWrap) {
  EXPECT_EQ(V("input.missing.toUpperCase()", "{}"), "unresolved: field not found: missing");
  EXPECT_EQ(B("input.missing.toUpperCase() == 'X'", "{}"), "false");
  EXPECT_EQ(V("'a'.includes(1 / 0)"),
            "error: includes() argument evaluation failed: division by zero");
  EXPECT_EQ(V("[1].join(input.sep)", "{}"),
            "error: join() argument evaluation failed: field not found: sep");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
