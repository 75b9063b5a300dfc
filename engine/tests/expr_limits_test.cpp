// spec/language.md §1.1: every limit is an ordinary error, never a crash;
// plus interrupt polling during long evaluations.
#include <pthread.h>

#include <stdexcept>

#include "engine/tests/expr_test_env.hpp"

namespace thaiyyal::expr::testing {
namespace {

using ExprLimits = ExprTest;

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

TEST_F(ExprLimits, SourceLength) {
  const std::string ok = "'" + std::string(65534, 'a') + "'";
  ASSERT_EQ(ok.size(), 65536u);
  EXPECT_EQ(CompileError(ok), "");
  EXPECT_EQ(CompileError(ok + " "), "expression too long");
  EXPECT_EQ(CompileError(std::string(100000, ' ')), "expression too long");
}

TEST_F(ExprLimits, AstNodeCount) {
  EXPECT_EQ(CompileError("1" + repeat("+1", 4999)), "");
  EXPECT_EQ(CompileError("1" + repeat("+1", 10000)), "expression too complex");
  EXPECT_EQ(CompileError("[" + repeat("1,", 10001) + "]"), "expression too complex");
}

TEST_F(ExprLimits, SyntacticNesting) {
  EXPECT_EQ(V(repeat("(", 128) + "1" + repeat(")", 128)), "1");
  EXPECT_EQ(CompileError(repeat("(", 129) + "1" + repeat(")", 129)),
            "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("(", 10000)), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("(", 60000) + "1"), "expression nested too deeply");
  EXPECT_EQ(V(repeat("!", 128) + "true"), "true");
  EXPECT_EQ(CompileError(repeat("!", 129) + "true"), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("-", 10000) + "1"), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("[", 10000)), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("{a:", 10000)), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("sum(", 10000)), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("input[", 10000)), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("[].concat(", 1000)), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat("true ? 1 : ", 1000) + "0"), "expression nested too deeply");
  EXPECT_EQ(CompileError(repeat(">(", 10000), StartSymbol::Condition),
            "expression nested too deeply");
}

// The deepest legal expressions compile and evaluate on a 1 MiB stack
// (a backend's stack is several MiB).
TEST_F(ExprLimits, MaximalNestingFitsInASmallStack) {
  struct Job {
    std::vector<std::string> sources;
    std::vector<std::string> results;
  } job;
  job.sources = {
      repeat("(", 128) + "input" + repeat(")", 128),
      repeat("sum(", 127) + "1" + repeat(")", 127),
      repeat("map([1], ", 127) + "item" + repeat(")", 127),
      repeat("true ? ", 128) + "1" + repeat(" : 0", 128),
      repeat("{a: ", 127) + "input" + repeat("}", 127),
      repeat("[1].concat(", 127) + "1" + repeat(")", 127),
      repeat("(1 + ", 128) + "input" + repeat(")", 128),
      repeat("[", 127) + "input" + repeat("]", 127),
  };
  auto run = [](void* arg) -> void* {
    auto* j = static_cast<Job*>(arg);
    FakeEnv thread_env;
    for (const std::string& src : j->sources) {
      j->results.push_back(eval_text(thread_env, src, Binds{"1", "", "", ""}));
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  ASSERT_EQ(job.results.size(), job.sources.size());
  for (const std::string& r : job.results) {
    EXPECT_EQ(r.rfind("error", 0), std::string::npos) << r;
    EXPECT_EQ(r.rfind("compile error", 0), std::string::npos) << r;
  }
}

TEST_F(ExprLimits, LongFlatChainsAreNotNesting) {
  EXPECT_EQ(V("1" + repeat(" + 1", 4000)), "4001");
  EXPECT_EQ(V("true" + repeat(" && true", 4000)), "true");
  EXPECT_EQ(V("input" + repeat(".a", 3000), R"({"a":null})"),
            "unresolved: cannot access field a on null");
  EXPECT_EQ(V("'x'" + repeat(".trim()", 3000)), R"("x")");
}

TEST_F(ExprLimits, ValueNesting) {
  const std::string deep300 = repeat("[", 300) + "1" + repeat("]", 300);
  const std::string deep256 = repeat("[", 256) + "1" + repeat("]", 256);
  EXPECT_EQ(V("flatten(input)", deep256), "[1]");
  EXPECT_EQ(V("flatten(input)", deep300), "error: value nested too deeply");
  EXPECT_EQ(V("'' + input", deep300), "error: value nested too deeply");
  EXPECT_EQ(V("[input].join(',')", deep300), "error: value nested too deeply");
  EXPECT_EQ(V("sort([input, 1])", deep300), "error: value nested too deeply");
  EXPECT_EQ(V("unique([input, 1])", deep300), "error: value nested too deeply");
  EXPECT_EQ(V("contains(input, 1)", R"({"a":)" + deep300 + "}"), "error: value nested too deeply");
  EXPECT_EQ(V("contains([input], input)", deep300), "error: value nested too deeply");
  EXPECT_EQ(V("[input].includes(input)", deep300), "error: value nested too deeply");
  EXPECT_EQ(B("input == input", deep300), "false");  // comparisons never fail
  EXPECT_EQ(B("input == input", deep256), "true");
  EXPECT_EQ(B("input != input", deep300), "false");
}

TEST_F(ExprLimits, StringResultLength) {
  env.variables["s"] = Value::string(std::string(600000, 'x'));
  EXPECT_EQ(V("s.length"), "600000");
  EXPECT_EQ(V("s + s"), "error: string result too long");
  EXPECT_EQ(V("s.replace('x', 'xx')"), "error: string result too long");
  EXPECT_EQ(V("[s, s].join('')"), "error: string result too long");
  EXPECT_EQ(V("s.replace('', '-')"), "error: string result too long");
  EXPECT_EQ(V("(s + 'y').length"), "600001");
}

TEST_F(ExprLimits, EvaluationBudget) {
  Array big;
  for (int i = 0; i < 5000; ++i) big.push_back(Value::number(i));
  env.variables["arr"] = Value::array(std::move(big));
  EXPECT_EQ(V("sum(map(arr, item * 2))"), "24995000");
  EXPECT_EQ(V("map(arr, map(arr, item))"), "error: expression evaluation budget exceeded");
  // A swallowed budget failure still fails the evaluation.
  EXPECT_EQ(B("map(arr, map(arr, item)) == 1"), "error: expression evaluation budget exceeded");
  EXPECT_EQ(V("isNull(map(arr, map(arr, item)))"), "error: expression evaluation budget exceeded");
}

TEST_F(ExprLimits, LongEvaluationsPollInterrupts) {
  Array big;
  for (int i = 0; i < 20000; ++i) big.push_back(Value::number(i));
  env.variables["arr"] = Value::array(std::move(big));
  EXPECT_EQ(V("sum(map(arr, item))"), "199990000");
  EXPECT_GT(env.interrupt_checks, 10);
  env.throw_after_checks = 2;
  env.interrupt_checks = 0;
  CompiledExpression c = CompiledExpression::compile("map(arr, item + 1)", StartSymbol::Expression);
  Bindings b;
  EXPECT_THROW(c.evaluate(env, b), std::runtime_error);
  env.interrupt_checks = 0;
  EXPECT_THROW(c.test(env, b), std::runtime_error);
}

TEST_F(ExprLimits, CompiledExpressionIsReusable) {
  CompiledExpression c = CompiledExpression::compile("item.n * 2 + index", StartSymbol::Expression);
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.source(), "item.n * 2 + index");
  for (int i = 0; i < 100; ++i) {
    Value cur = J("{\"n\":" + std::to_string(i) + "}");
    Value idx = Value::number(1);
    Bindings b;
    b.current = &cur;
    b.index = &idx;
    Outcome o = c.evaluate(env, b);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.value().as_number(), i * 2 + 1);
  }
  CompiledExpression moved = std::move(c);
  EXPECT_TRUE(moved.valid());
  CompiledExpression bad = CompiledExpression::compile("(", StartSymbol::Condition);
  EXPECT_FALSE(bad.valid());
  EXPECT_EQ(bad.compile_error(),
            "expression syntax error at position 1: unexpected end of expression");
  EXPECT_EQ(bad.source(), "(");
}

}  // namespace
}  // namespace thaiyyal::expr::testing
