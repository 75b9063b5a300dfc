// Names and arities of the language's functions (language.md §6.1-§6.3,
// §6.5) and methods (§6.4), resolved once at compile time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::expr {

enum class Function : std::uint8_t {
  // §6.1 aggregates and math
  Sum,
  Avg,
  Min,
  Max,
  Round,
  Floor,
  Ceil,
  Abs,
  Pow,
  Sqrt,
  // §6.2 arrays
  Map,
  Sort,
  Reverse,
  Unique,
  Flatten,
  Slice,
  Sample,
  Zip,
  // §6.3 value helpers
  IsNull,
  Coalesce,
  Contains,
  // §6.5 dates
  Now,
  ParseDate,
  ToEpoch,
  ToEpochMillis,
  FromEpoch,
  FromEpochMillis,
  DateDiff,
  DateAdd,
  Year,
  Month,
  Day,
  Hour,
  Minute,
};

enum class Method : std::uint8_t {
  ToUpperCase,
  ToLowerCase,
  Trim,
  Includes,
  StartsWith,
  EndsWith,
  Replace,
  Split,
  Join,
  Reverse,
  First,
  Last,
  Concat,
};

std::optional<Function> find_function(std::string_view name);
std::optional<Method> find_method(std::string_view name);
std::string_view function_name(Function f);
std::string_view method_name(Method m);

// Compile-time arity check: empty when `argc` arguments are acceptable,
// else the error message.
std::string check_function_arity(Function f, std::size_t argc);
std::string check_method_arity(Method m, std::size_t argc);

}  // namespace thaiyyal::expr
