// spec/language.md §6.1-§6.3: aggregates, math, array functions and value
// helpers, with their edge cases and error texts.
#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprAggregates = ExprTest;
using ExprMath = ExprTest;
using ExprArrayFunctions = ExprTest;
using ExprValueHelpers = ExprTest;

TEST_F(ExprAggregates, SumOfAnArrayOrOfArguments) {
  EXPECT_EQ(V("sum(input)", R"([1,"2",3.5])"), "6.5");  // loosely numeric elements
  EXPECT_EQ(V("sum([])"), "0");
  EXPECT_EQ(V("sum(5)"), "5");
  EXPECT_EQ(V("sum('5')"), "5");
  EXPECT_EQ(V("sum(1, '2', 3)"), "6");
  EXPECT_EQ(V("sum(input)", R"([1,"a"])"), "error: sum() encountered non-numeric element: string");
  EXPECT_EQ(V("sum('a')"), "error: sum() requires numeric values, got string");
  EXPECT_EQ(V("sum(null)"), "error: sum() requires numeric values, got null");
  EXPECT_EQ(V("sum(1, [2])"), "error: sum() requires numeric values, got array");
  EXPECT_EQ(V("sum([1e308, 1e308])"), "error: numeric result is not finite");
  EXPECT_EQ(V("sum(input.missing)", "{}"),
            "error: sum() argument evaluation failed: field not found: missing");
}

TEST_F(ExprAggregates, AvgIsTheMeanAndFailsOnNothing) {
  EXPECT_EQ(V("avg([1, 2])"), "1.5");
  EXPECT_EQ(V("avg(4)"), "4");
  EXPECT_EQ(V("avg(1, 2, '6')"), "3");
  EXPECT_EQ(V("avg([])"), "error: avg() on empty array");
  EXPECT_EQ(V("avg([true])"), "error: avg() encountered non-numeric element: bool");
  EXPECT_EQ(V("avg(1, 'x')"), "error: avg() requires numeric values, got string");
}

TEST_F(ExprAggregates, MinAndMaxOfAnArrayOrOfArguments) {
  EXPECT_EQ(V("min([3, '1', 2])"), "1");
  EXPECT_EQ(V("max([3, '10', 2])"), "10");
  EXPECT_EQ(V("min(5, 3)"), "3");
  EXPECT_EQ(V("max(-1, -5, '-0.5')"), "-0.5");
  EXPECT_EQ(V("min([])"), "error: min() on empty array");
  EXPECT_EQ(V("max([])"), "error: max() on empty array");
  EXPECT_EQ(V("min(5)"),
            "error: min() requires at least 2 arguments or an array, got 1 non-array value");
  EXPECT_EQ(V("max(['a'])"), "error: max() encountered non-numeric element: string");
  EXPECT_EQ(V("max(1, 'x')"), "error: max() requires numeric values, got string");
}

TEST_F(ExprMath, RoundFloorCeilAbsOnNumbersAndArrays) {
  EXPECT_EQ(V("round(-0.5)"), "-1");  // half away from zero
  EXPECT_EQ(V("round(0.4)"), "0");
  EXPECT_EQ(V("round('2.5')"), "3");
  EXPECT_EQ(V("floor(-1.5)"), "-2");
  EXPECT_EQ(V("ceil(-1.5)"), "-1");
  EXPECT_EQ(V("abs('-3')"), "3");
  EXPECT_EQ(V("round([1.5, '2.5', -1.5])"), "[2,3,-2]");
  EXPECT_EQ(V("abs([])"), "[]");
  EXPECT_EQ(V("round(['x'])"), "error: round() encountered non-numeric element: string");
  EXPECT_EQ(V("floor('x')"), "error: floor() requires numeric value, got string");
  EXPECT_EQ(V("ceil(null)"), "error: ceil() requires numeric value, got null");
  EXPECT_EQ(V("abs({})"), "error: abs() requires numeric value, got object");
}

TEST_F(ExprMath, PowAndSqrt) {
  EXPECT_EQ(V("pow(2, 0.5)"), "1.4142135623730951");
  EXPECT_EQ(V("pow('2', '3')"), "8");
  EXPECT_EQ(V("pow(2, -1)"), "0.5");
  EXPECT_EQ(V("pow(0, -1)"), "error: numeric result is not finite");
  EXPECT_EQ(V("pow(-8, 1/3)"), "error: numeric result is not finite");  // NaN
  EXPECT_EQ(V("pow(2, 'x')"), "error: pow() requires numeric values, got string");
  EXPECT_EQ(V("sqrt(2)"), "1.4142135623730951");
  EXPECT_EQ(V("sqrt('9')"), "3");
  EXPECT_EQ(V("sqrt([4])"), "error: sqrt() requires numeric value, got array");
}

TEST_F(ExprArrayFunctions, MapEvaluatesItsExpressionPerElement) {
  EXPECT_EQ(V("map(input, n)", R"([{"n":1},{"n":2}])"), "[1,2]");  // bare field names
  EXPECT_EQ(V("map(input, {v: item, i: index})", R"(["a","b"])"),
            R"([{"i":0,"v":"a"},{"i":1,"v":"b"}])");
  EXPECT_EQ(V("map([1, 2], map([10, 20], item + index))"), "[[10,21],[10,21]]");
  EXPECT_EQ(V("map(input, items.length)", Binds{"[7,8]", "", "[1,2,3]", ""}), "[3,3]");
  EXPECT_EQ(V("map(input, accumulator + item)", Binds{"[1,2]", "", "", "10"}), "[11,12]");
  EXPECT_EQ(V("map([], 1 / 0)"), "[]");
  EXPECT_EQ(V("map(5, item)"), "error: map() first argument must be an array, got number");
  EXPECT_EQ(V("map(input, item.x)", R"([{"x":1},{"y":2}])"),
            "error: map() item expression failed: field not found: x");
  EXPECT_EQ(V("map(input.nope, item)", "{}"),
            "error: map() argument evaluation failed: field not found: nope");
  // the outer index is restored after map()
  EXPECT_EQ(V("[map([5], index), index]", Binds{"0", "7", "", ""}), "[[0],7]");
}

TEST_F(ExprArrayFunctions, SortOrdersByKindThenValueStably) {
  EXPECT_EQ(V("sort([true, false, null])"), "[null,false,true]");
  EXPECT_EQ(V("sort([[2], [1, 5], [1]])"), "[[1],[1,5],[2]]");
  EXPECT_EQ(V("sort([{b: 1}, {a: 2}, {a: 1}])"), R"([{"a":1},{"a":2},{"b":1}])");
  EXPECT_EQ(V("sort([{a: 1}, [1], 'x', 2, true, null])"), R"([null,true,2,"x",[1],{"a":1}])");
  EXPECT_EQ(V("sort(['b', 'B', 'a', 'é'])"), R"(["B","a","b","é"])");
  EXPECT_EQ(V("sort([-1, 2.5, -3, 0])"), "[-3,-1,0,2.5]");
  EXPECT_EQ(V("sort([])"), "[]");
  EXPECT_EQ(V("sort(5)"), "error: sort() requires an array, got number");
  EXPECT_EQ(V("sort(input)", R"([{"k":2,"v":"a"},{"k":1},{"k":2,"v":"a"}])"),
            R"([{"k":1},{"k":2,"v":"a"},{"k":2,"v":"a"}])");
}

TEST_F(ExprArrayFunctions, ReverseCopies) {
  EXPECT_EQ(V("reverse([])"), "[]");
  EXPECT_EQ(V("reverse([1, [2, 3]])"), "[[2,3],1]");
  EXPECT_EQ(V("reverse('abc')"), "error: reverse() requires an array, got string");
}

TEST_F(ExprArrayFunctions, UniqueKeepsTheFirstOfEqualElements) {
  EXPECT_EQ(V("unique([null, null, 1, '1', '1.0'])"), "[null,1]");
  // == is not transitive on strings: an element is dropped when it equals
  // an element already kept.
  EXPECT_EQ(V("unique(['1', 1, '1.0'])"), R"(["1","1.0"])");
  EXPECT_EQ(V("unique([[1], [1], {a: 1}, {a: 1}, [1, 2]])"), R"([[1],{"a":1},[1,2]])");
  EXPECT_EQ(V("unique([0, -0, false])"), "[0,false]");
  EXPECT_EQ(V("unique([])"), "[]");
  EXPECT_EQ(V("unique('x')"), "error: unique() requires an array, got string");
}

TEST_F(ExprArrayFunctions, FlattenRecursively) {
  EXPECT_EQ(V("flatten([1, [2, [3, [4]]]])"), "[1,2,3,4]");
  EXPECT_EQ(V("flatten([[[]]])"), "[]");
  EXPECT_EQ(V("flatten([{a: [1]}])"), R"([{"a":[1]}])");
  EXPECT_EQ(V("flatten('x')"), "error: flatten() requires an array, got string");
}

TEST_F(ExprArrayFunctions, SliceTruncatesWrapsAndClamps) {
  const std::string a = "[1,2,3,4]";
  EXPECT_EQ(V("slice(input, 1)", a), "[2,3,4]");
  EXPECT_EQ(V("slice(input, -10)", a), "[1,2,3,4]");
  EXPECT_EQ(V("slice(input, 1.9)", a), "[2,3,4]");
  EXPECT_EQ(V("slice(input, -1.9)", a), "[4]");
  EXPECT_EQ(V("slice(input, 0, -1)", a), "[1,2,3]");
  EXPECT_EQ(V("slice(input, '1', '2')", a), "[2]");
  EXPECT_EQ(V("slice(input, 10)", a), "[]");
  EXPECT_EQ(V("slice(input, 2, 2)", a), "[]");
  EXPECT_EQ(V("slice(input, 0, 1e300)", a), "[1,2,3,4]");
  EXPECT_EQ(V("slice('x', 1)"), "error: slice() requires an array, got string");
  EXPECT_EQ(V("slice(input, 'a')", a), "error: slice() start must be numeric, got string");
  EXPECT_EQ(V("slice(input, 0, null)", a), "error: slice() end must be numeric, got null");
}

TEST_F(ExprArrayFunctions, SampleFollowsTheDeterministicSteppingRule) {
  EXPECT_EQ(V("sample([1, 2, 3, 4, 5, 6, 7], 3)"), "[1,3,5]");
  EXPECT_EQ(V("sample([1, 2, 3, 4, 5, 6, 7], 2.9)"), "[1,4]");
  EXPECT_EQ(V("sample([1, 2, 3, 4], 4)"), "[1,4,2,3]");  // n >= len: swap rule
  EXPECT_EQ(V("sample([1, 2, 3], 10)"), "[1,3,2]");
  EXPECT_EQ(V("sample([1, 2], 0)"), "[]");
  EXPECT_EQ(V("sample([], 3)"), "[]");
  EXPECT_EQ(V("sample([1], -1)"), "error: sample() n must be non-negative, got -1");
  EXPECT_EQ(V("sample([1], 'a')"), "error: sample() n must be numeric, got string");
  EXPECT_EQ(V("sample(5, 1)"), "error: sample() requires an array, got number");
}

TEST_F(ExprArrayFunctions, ZipPadsToTheLongest) {
  EXPECT_EQ(V("zip([1, 2], [3])"), "[[1,3],[2,null]]");
  EXPECT_EQ(V("zip([1], ['a'], [true, false])"), R"([[1,"a",true],[null,null,false]])");
  EXPECT_EQ(V("zip([], [])"), "[]");
  EXPECT_EQ(V("zip([1], 'x')"), "error: zip() argument 1 must be an array, got string");
}

TEST_F(ExprValueHelpers, IsNullTreatsUnresolvedAsNull) {
  EXPECT_EQ(V("isNull(null)"), "true");
  EXPECT_EQ(V("isNull(0)"), "false");
  EXPECT_EQ(V("isNull('')"), "false");
  EXPECT_EQ(V("isNull(input.missing)", "{}"), "true");
  EXPECT_EQ(V("isNull(nope)"), "true");
  EXPECT_EQ(V("isNull(1 / 0)"), "error: isNull() argument evaluation failed: division by zero");
  EXPECT_EQ(B("!isNull(input.a) && input.a > 1", R"({"a":2})"), "true");
}

TEST_F(ExprValueHelpers, CoalesceReturnsTheFirstPresentValue) {
  EXPECT_EQ(V("coalesce(null, input.missing, 0, 1)", "{}"), "0");
  EXPECT_EQ(V("coalesce(null)"), "null");
  EXPECT_EQ(V("coalesce(input.x, 1 / 0)", R"({"x":5})"), "5");  // later arguments not evaluated
  EXPECT_EQ(V("coalesce(null, 1 / 0)"),
            "error: coalesce() argument evaluation failed: division by zero");
  EXPECT_EQ(V("coalesce(item.nick, 'anon').toUpperCase()", "{}"), R"("ANON")");
}

TEST_F(ExprValueHelpers, ContainsTestsArrayMembershipOrText) {
  EXPECT_EQ(V("contains('hello', 'ell')"), "true");
  EXPECT_EQ(V("contains('hello', 'xyz')"), "false");
  EXPECT_EQ(V("contains([1, 2], '2')"), "true");  // element ==
  EXPECT_EQ(V("contains([[1]], [1])"), "true");
  EXPECT_EQ(V("contains([12], 2)"), "false");
  EXPECT_EQ(V("contains(12, 2)"), "true");        // text of a number
  EXPECT_EQ(V("contains({a: 1}, 'a')"), "true");  // text of an object
  EXPECT_EQ(V("contains(input.missing, 1)", "{}"),
            "error: contains() argument evaluation failed: field not found: missing");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
