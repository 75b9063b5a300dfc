#include "engine/expr/builtins.hpp"

#include <array>

namespace thaiyyal::expr {

namespace {

struct FunctionInfo {
  std::string_view name;
  Function id;
};

constexpr std::array kFunctions = {
    FunctionInfo{"sum", Function::Sum},
    FunctionInfo{"avg", Function::Avg},
    FunctionInfo{"min", Function::Min},
    FunctionInfo{"max", Function::Max},
    FunctionInfo{"round", Function::Round},
    FunctionInfo{"floor", Function::Floor},
    FunctionInfo{"ceil", Function::Ceil},
    FunctionInfo{"abs", Function::Abs},
    FunctionInfo{"pow", Function::Pow},
    FunctionInfo{"sqrt", Function::Sqrt},
    FunctionInfo{"map", Function::Map},
    FunctionInfo{"sort", Function::Sort},
    FunctionInfo{"reverse", Function::Reverse},
    FunctionInfo{"unique", Function::Unique},
    FunctionInfo{"flatten", Function::Flatten},
    FunctionInfo{"slice", Function::Slice},
    FunctionInfo{"sample", Function::Sample},
    FunctionInfo{"zip", Function::Zip},
    FunctionInfo{"isNull", Function::IsNull},
    FunctionInfo{"coalesce", Function::Coalesce},
    FunctionInfo{"contains", Function::Contains},
    FunctionInfo{"now", Function::Now},
    FunctionInfo{"parseDate", Function::ParseDate},
    FunctionInfo{"toEpoch", Function::ToEpoch},
    FunctionInfo{"toEpochMillis", Function::ToEpochMillis},
    FunctionInfo{"fromEpoch", Function::FromEpoch},
    FunctionInfo{"fromEpochMillis", Function::FromEpochMillis},
    FunctionInfo{"dateDiff", Function::DateDiff},
    FunctionInfo{"dateAdd", Function::DateAdd},
    FunctionInfo{"year", Function::Year},
    FunctionInfo{"month", Function::Month},
    FunctionInfo{"day", Function::Day},
    FunctionInfo{"hour", Function::Hour},
    FunctionInfo{"minute", Function::Minute},
};

struct MethodInfo {
  std::string_view name;
  Method id;
  int arity;  // -1: any number
};

constexpr std::array kMethods = {
    MethodInfo{"toUpperCase", Method::ToUpperCase, 0},
    MethodInfo{"toLowerCase", Method::ToLowerCase, 0},
    MethodInfo{"trim", Method::Trim, 0},
    MethodInfo{"includes", Method::Includes, 1},
    MethodInfo{"startsWith", Method::StartsWith, 1},
    MethodInfo{"endsWith", Method::EndsWith, 1},
    MethodInfo{"replace", Method::Replace, 2},
    MethodInfo{"split", Method::Split, 1},
    MethodInfo{"join", Method::Join, 1},
    MethodInfo{"reverse", Method::Reverse, 0},
    MethodInfo{"first", Method::First, 0},
    MethodInfo{"last", Method::Last, 0},
    MethodInfo{"concat", Method::Concat, -1},
};

std::string exactly(std::string_view name, std::size_t k, std::size_t got) {
  std::string m(name);
  m += "() requires exactly ";
  m += std::to_string(k);
  m += k == 1 ? " argument, got " : " arguments, got ";
  m += std::to_string(got);
  return m;
}

}  // namespace

std::optional<Function> find_function(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return f.id;
  }
  return std::nullopt;
}

std::optional<Method> find_method(std::string_view name) {
  for (const auto& m : kMethods) {
    if (m.name == name) return m.id;
  }
  return std::nullopt;
}

std::string_view function_name(Function f) {
  return kFunctions[static_cast<std::size_t>(f)].name;
}

std::string_view method_name(Method m) {
  return kMethods[static_cast<std::size_t>(m)].name;
}

std::string check_function_arity(Function f, std::size_t argc) {
  std::string_view name = function_name(f);
  switch (f) {
    case Function::Sum:
    case Function::Avg:
    case Function::Min:
    case Function::Max:
      if (argc < 1) return std::string(name) + "() requires at least 1 argument";
      return {};
    case Function::Coalesce:
      if (argc < 1) return "coalesce() requires at least 1 argument";
      return {};
    case Function::Zip:
      if (argc < 2) return "zip() requires at least 2 arrays, got " + std::to_string(argc);
      return {};
    case Function::Slice:
      if (argc < 2 || argc > 3) {
        return "slice() requires 2 or 3 arguments (array, start, [end]), got " +
               std::to_string(argc);
      }
      return {};
    case Function::Sample:
      if (argc != 2) {
        return "sample() requires exactly 2 arguments (array, n), got " + std::to_string(argc);
      }
      return {};
    case Function::Map:
      if (argc != 2)
        return "map() requires exactly 2 arguments: array expression and item expression";
      return {};
    case Function::Contains:
      if (argc != 2) return "contains() requires exactly 2 arguments";
      return {};
    case Function::Now:
      if (argc != 0) return "now() takes no arguments, got " + std::to_string(argc);
      return {};
    case Function::Pow:
    case Function::DateDiff:
    case Function::DateAdd:
      if (argc != 2) return exactly(name, 2, argc);
      return {};
    default:
      if (argc != 1) return exactly(name, 1, argc);
      return {};
  }
}

std::string check_method_arity(Method m, std::size_t argc) {
  int arity = kMethods[static_cast<std::size_t>(m)].arity;
  if (arity < 0 || static_cast<std::size_t>(arity) == argc) return {};
  return exactly(method_name(m), static_cast<std::size_t>(arity), argc);
}

}  // namespace thaiyyal::expr
