// Shared helpers for the expression-language tests (expr_*_test.cpp): a
// fake Environment and one-line evaluators that render results as JSON so
// that expectations read like the tables of spec/language.md.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

#include "engine/expr/expression.hpp"
#include "engine/go/json.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::expr::testing {

inline Value J(std::string_view json) {
  return parse_json(json);
}

class FakeEnv final : public Environment {
 public:
  std::map<std::string, Value, std::less<>> variables;
  std::map<std::string, Value, std::less<>> context;
  std::map<std::string, Value, std::less<>> nodes;
  std::int64_t run_start = 1700000000LL * 1000000000LL;  // 2023-11-14T22:13:20Z
  mutable int interrupt_checks = 0;
  int throw_after_checks = -1;  // throw from check_interrupts() after this many calls

  const Value* variable(std::string_view name) const override { return find(variables, name); }
  const Value* context_value(std::string_view key) const override { return find(context, key); }
  const Value* node_result(std::string_view id) const override { return find(nodes, id); }
  std::int64_t run_start_unix_nanos() const override { return run_start; }
  void check_interrupts() const override {
    ++interrupt_checks;
    if (throw_after_checks >= 0 && interrupt_checks > throw_after_checks) {
      throw std::runtime_error("canceled");
    }
  }

 private:
  static const Value* find(const std::map<std::string, Value, std::less<>>& m, std::string_view k) {
    auto it = m.find(k);
    return it == m.end() ? nullptr : &it->second;
  }
};

// Bindings given as JSON texts; empty text = not bound.
struct Binds {
  std::string current = "null";
  std::string index;
  std::string items;
  std::string accumulator;
};

// Evaluates `source` as a value (start symbol Expression unless `start` is
// given) and renders the result as compact JSON, or "error: <message>".
inline std::string eval_text(const FakeEnv& env, std::string_view source, const Binds& b,
                             StartSymbol start = StartSymbol::Expression) {
  CompiledExpression c = CompiledExpression::compile(source, start);
  if (!c.valid()) return "compile error: " + c.compile_error();
  Value cur = J(b.current);
  Value index = b.index.empty() ? Value() : J(b.index);
  Value items = b.items.empty() ? Value() : J(b.items);
  Value acc = b.accumulator.empty() ? Value() : J(b.accumulator);
  Bindings bindings;
  bindings.current = &cur;
  if (!b.index.empty()) bindings.index = &index;
  if (!b.items.empty()) bindings.items = &items;
  if (!b.accumulator.empty()) bindings.accumulator = &acc;
  Outcome o = c.evaluate(env, bindings);
  if (!o.ok()) {
    return std::string(o.error().error_class == ErrorClass::Unresolved ? "unresolved: "
                                                                       : "error: ") +
           o.error().message;
  }
  return to_json(o.value(), JsonStyle::Plain);
}

// Evaluates `source` as a condition and renders "true", "false" or
// "error: <message>".
inline std::string test_text(const FakeEnv& env, std::string_view source, const Binds& b,
                             StartSymbol start = StartSymbol::Condition) {
  CompiledExpression c = CompiledExpression::compile(source, start);
  if (!c.valid()) return "compile error: " + c.compile_error();
  Value cur = J(b.current);
  Value index = b.index.empty() ? Value() : J(b.index);
  Value items = b.items.empty() ? Value() : J(b.items);
  Value acc = b.accumulator.empty() ? Value() : J(b.accumulator);
  Bindings bindings;
  bindings.current = &cur;
  if (!b.index.empty()) bindings.index = &index;
  if (!b.items.empty()) bindings.items = &items;
  if (!b.accumulator.empty()) bindings.accumulator = &acc;
  ConditionOutcome o = c.test(env, bindings);
  if (!o.ok) return "error: " + o.error;
  return o.truth ? "true" : "false";
}

class ExprTest : public ::testing::Test {
 public:
  FakeEnv env;

  // Value context with the current value given as JSON.
  std::string V(std::string_view source, std::string current = "null") {
    return eval_text(env, source, Binds{std::move(current), {}, {}, {}});
  }
  std::string V(std::string_view source, const Binds& b) { return eval_text(env, source, b); }
  // Condition context.
  std::string B(std::string_view source, std::string current = "null") {
    return test_text(env, source, Binds{std::move(current), {}, {}, {}});
  }
  std::string B(std::string_view source, const Binds& b) { return test_text(env, source, b); }
  // The compile error of `source` ("" when it compiles).
  static std::string CompileError(std::string_view source,
                                  StartSymbol start = StartSymbol::Expression) {
    CompiledExpression c = CompiledExpression::compile(source, start);
    return c.valid() ? std::string() : c.compile_error();
  }
};

}  // namespace thaiyyal::expr::testing
