// The expression language of spec/language.md: compile once, evaluate many
// times. This header is the whole contract between the language and the
// rest of the engine.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::expr {

// What an evaluation can see of the run (execution.md §4). Implemented by
// the runtime; lookups return nullptr when the name is absent.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual const Value* variable(std::string_view name) const = 0;
  // Merged context map (constants overlaid by context variables), exact key.
  virtual const Value* context_value(std::string_view key) const = 0;
  // Result of an executed node.
  virtual const Value* node_result(std::string_view node_id) const = 0;
  // `now()`: the run's start time.
  virtual std::int64_t run_start_unix_nanos() const = 0;
  // Polled by long evaluations; may throw to abandon the run.
  virtual void check_interrupts() const = 0;
};

// Node-specific bindings (language.md §4.2). Null pointers mean "not bound";
// `current` unset means the current value is null.
struct Bindings {
  const Value* current = nullptr;
  const Value* index = nullptr;
  const Value* items = nullptr;
  const Value* accumulator = nullptr;
};

enum class StartSymbol { Expression, Condition };

enum class ErrorClass { Unresolved, Failure };

struct EvalError {
  ErrorClass error_class = ErrorClass::Failure;
  std::string message;
};

// Either a value or an error; never throws for data problems (only the
// Environment's interrupt check may throw).
class Outcome {
 public:
  static Outcome of(Value v) {
    Outcome o;
    o.value_ = std::move(v);
    return o;
  }
  static Outcome fail(ErrorClass c, std::string message) {
    Outcome o;
    o.ok_ = false;
    o.error_.error_class = c;
    o.error_.message = std::move(message);
    return o;
  }
  bool ok() const { return ok_; }
  const Value& value() const { return value_; }
  Value& value() { return value_; }
  const EvalError& error() const { return error_; }

 private:
  bool ok_ = true;
  Value value_;
  EvalError error_;
};

// Result of evaluating a condition (language.md §4.4): true/false, where an
// unresolved error counts as false; a failure is reported as an error.
struct ConditionOutcome {
  bool ok = true;
  bool truth = false;
  std::string error;  // set when !ok
};

class CompiledExpressionImpl;

class CompiledExpression {
 public:
  // Never throws for bad source: syntax and compile errors (unknown
  // function/method, arity, limits) are kept and reported by valid()/
  // compile_error(), so that a node reports them only when it executes.
  static CompiledExpression compile(std::string_view source, StartSymbol start);

  CompiledExpression();
  ~CompiledExpression();
  CompiledExpression(CompiledExpression&&) noexcept;
  CompiledExpression& operator=(CompiledExpression&&) noexcept;

  bool valid() const;
  // e.g. "expression syntax error at position 3: unexpected token ')'",
  // "unknown function: foo".
  const std::string& compile_error() const;
  std::string_view source() const;
  // The expression as parsed (deparse.hpp): every operation in
  // parentheses, e.g. "((input.price * 2) > 100)"; "" when !valid().
  std::string parsed() const;

  // Value evaluation. Precondition: valid().
  Outcome evaluate(const Environment& env, const Bindings& bindings) const;
  // Condition evaluation (start symbol Condition or Expression alike).
  // Precondition: valid().
  ConditionOutcome test(const Environment& env, const Bindings& bindings) const;

 private:
  // The impl and its AST are one allocation (expression.cpp).
  struct ImplDeleter {
    void operator()(const CompiledExpressionImpl* impl) const noexcept;
  };
  std::unique_ptr<const CompiledExpressionImpl, ImplDeleter> impl_;
};

// The reference's simple numeric test S (expressions.md §5.11), used by
// `while_loop`.
bool simple_numeric_test(std::string_view text, const Value& current);

// Text form of a value (language.md §5.6): also used by nodes that follow
// the language's rules. Arrays and objects are written with write_json
// (JsonStyle::Plain), which throws JsonWriteError for a NaN/±Inf inside.
void append_text_form(std::string& out, const Value& v);

}  // namespace thaiyyal::expr
