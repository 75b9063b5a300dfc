// Numeric coercion, equality, ordering and the sort order of the language
// (language.md §5.1, §5.3, §5.4, §6.2 `sort`/`unique`).
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/expr/ast.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::expr {

// Value nesting walked by deep operations (language.md §1.1).
inline constexpr int kMaxValueDepth = 256;

// Kind names used in error messages: null, bool, number (also for Go int),
// string, array, object, record-list, time, json-number.
std::string_view kind_name(const Value& v);

// A string matching ^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$ exactly.
bool numeric_string(std::string_view s, double& out);
// Loosely numeric (language.md §5.1): number, int or numeric string.
bool to_number(const Value& v, double& out);

// `a == b` (§5.3). Values nested deeper than kMaxValueDepth are reported
// as TooDeep.
enum class Equality : std::uint8_t { False, True, TooDeep };
Equality equals(const Value& a, const Value& b);

// `<`, `<=`, `>`, `>=` (§5.4); false when the operands are not ordered.
bool ordered(CompareOp op, const Value& a, const Value& b);

// The operators of a Compare / Shorthand node; never fails.
bool compare_values(CompareOp op, const Value& a, const Value& b);

// True when no container is nested deeper than `max_depth` levels
// (a scalar has depth 0, `[1]` depth 1).
bool depth_within(const Value& v, int max_depth);

// Total order of `sort()` (§6.2): null < bool < number < string < array <
// object, then time, record-list and json-number (not produced by JSON).
// Precondition: depth_within(…, kMaxValueDepth) for both.
int sort_compare(const Value& a, const Value& b);

// A hash consistent with equals(): values that are == hash alike (numbers
// and numeric strings by numeric value). Precondition as sort_compare.
std::uint64_t equality_hash(const Value& v);

}  // namespace thaiyyal::expr
