// Expression-language micro-benchmarks: parse once vs evaluate many.
//
// Two expressions, each in three modes:
//   ExprParse/<NAME>      source text -> CompiledExpression
//   ExprEval/<NAME>       evaluate an expression compiled once, outside the loop
//   ExprParseEval/<NAME>  compile and evaluate in every iteration (what a
//                         node would cost if it did not keep its compiled form)
// NAME is CONDITION (a typical condition node test over the current value)
// or MAP1000 (map over a 1,000-element array). Bytes and allocations per
// operation are reported as in engine_bench.cpp.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/engine/alloc_counter.hpp"
#include "engine/expr/expression.hpp"
#include "engine/go/json.hpp"

namespace {

using thaiyyal::Value;
using thaiyyal::bench::AllocationScope;
using namespace thaiyyal::expr;

// An environment with one variable and nothing else, as a condition node sees
// a small run.
class BenchEnv final : public Environment {
 public:
  BenchEnv() : threshold_(Value::number(18)) {}
  const Value* variable(std::string_view name) const override {
    return name == "threshold" ? &threshold_ : nullptr;
  }
  const Value* context_value(std::string_view) const override { return nullptr; }
  const Value* node_result(std::string_view) const override { return nullptr; }
  std::int64_t run_start_unix_nanos() const override { return 1700000000LL * 1000000000LL; }
  void check_interrupts() const override {}

 private:
  Value threshold_;
};

struct Case {
  const char* source;
  StartSymbol start;
  Value current;
};

Case condition_case() {
  return {R"(input.age >= variables.threshold && input.status == "active" && input.score > 0.5)",
          StartSymbol::Condition,
          thaiyyal::parse_json(R"({"age":42,"status":"active","score":0.75,"name":"Ada"})")};
}

Case map_case() {
  std::string items = "[";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) items += ',';
    items += std::to_string(i);
  }
  items += ']';
  return {"map(input, item * 2 + 1)", StartSymbol::Expression, thaiyyal::parse_json(items)};
}

void report(benchmark::State& state, const AllocationScope& scope) {
  const double iterations = static_cast<double>(state.iterations());
  state.counters["allocs_per_op"] = static_cast<double>(scope.allocations()) / iterations;
  state.counters["bytes_per_op"] = static_cast<double>(scope.bytes()) / iterations;
}

// Evaluates c the way its node does: conditions with test(), values with
// evaluate(). Returns false on an evaluation error (a bench bug).
bool run_once(const CompiledExpression& compiled, const Case& c, const BenchEnv& env) {
  Bindings bindings;
  bindings.current = &c.current;
  if (c.start == StartSymbol::Condition) {
    ConditionOutcome out = compiled.test(env, bindings);
    benchmark::DoNotOptimize(out.truth);
    return out.ok;
  }
  Outcome out = compiled.evaluate(env, bindings);
  benchmark::DoNotOptimize(&out);
  return out.ok();
}

void parse_only(benchmark::State& state, const Case& c) {
  AllocationScope scope;
  for (auto _ : state) {
    CompiledExpression compiled = CompiledExpression::compile(c.source, c.start);
    benchmark::DoNotOptimize(&compiled);
  }
  scope.stop();
  report(state, scope);
}

void eval_only(benchmark::State& state, const Case& c) {
  const BenchEnv env;
  const CompiledExpression compiled = CompiledExpression::compile(c.source, c.start);
  if (!compiled.valid() || !run_once(compiled, c, env)) {
    state.SkipWithError("expression does not evaluate");
    return;
  }
  AllocationScope scope;
  for (auto _ : state) run_once(compiled, c, env);
  scope.stop();
  report(state, scope);
}

void parse_and_eval(benchmark::State& state, const Case& c) {
  const BenchEnv env;
  AllocationScope scope;
  for (auto _ : state) {
    CompiledExpression compiled = CompiledExpression::compile(c.source, c.start);
    run_once(compiled, c, env);
  }
  scope.stop();
  report(state, scope);
}

int register_expression_benchmarks() {
  for (auto [name, make] : {std::pair{"CONDITION", &condition_case}, {"MAP1000", &map_case}}) {
    const std::string suffix = name;
    benchmark::RegisterBenchmark(("ExprParse/" + suffix).c_str(),
                                 [c = make()](benchmark::State& s) { parse_only(s, c); });
    benchmark::RegisterBenchmark(("ExprEval/" + suffix).c_str(),
                                 [c = make()](benchmark::State& s) { eval_only(s, c); });
    benchmark::RegisterBenchmark(("ExprParseEval/" + suffix).c_str(),
                                 [c = make()](benchmark::State& s) { parse_and_eval(s, c); });
  }
  return 0;
}

const int registered = register_expression_benchmarks();

}  // namespace
