// The evaluator of a compiled AST (language.md §4-§6). Internal to expr/.
//
// Results are passed as `const Value*`: either a pointer into data that
// outlives the evaluation (bindings, the environment, AST constants, or a
// container held by a caller's frame) or a pointer to the `slot` the caller
// supplied, into which a newly computed value was stored. This keeps field
// navigation and comparisons free of reference-count traffic. A null
// pointer means an error, described by Evaluator::error().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/expr/ast.hpp"
#include "engine/expr/expression.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::expr {

inline constexpr std::uint64_t kMaxWork = 10'000'000;
inline constexpr std::size_t kMaxStringLength = 1048576;
inline constexpr std::uint64_t kInterruptInterval = 1024;
// Backstop for evaluator recursion; the parser's nesting limit keeps real
// expressions far below it.
inline constexpr int kMaxEvalDepth = 3000;

// The unresolved errors of language.md §4.4 are kept in structured form and
// only rendered when a message is needed: filters over heterogeneous data
// produce and swallow many of them.
enum class ErrCode : std::uint8_t {
  Message,            // `message` holds the text
  UnknownIdentifier,  // name
  VariableNotFound,   // name
  ContextNotFound,    // name
  NodeNotFound,       // name
  FieldNotFound,      // name
  FieldOnKind,        // name, kind
  CannotIndex,        // kind
  OutOfBounds,        // index, length
};

struct ErrorInfo {
  ErrorClass cls = ErrorClass::Failure;
  ErrCode code = ErrCode::Message;
  std::string_view name;  // points into the AST (stable)
  std::string_view kind;
  double index = 0;
  std::int64_t length = 0;
  std::string message;

  std::string text() const;
};

// The node bindings visible to an evaluation (language.md §4.2); `current`
// is never null.
struct Scope {
  const Value* current;
  const Value* index;
  const Value* items;
  const Value* accumulator;
};

class Evaluator {
 public:
  Evaluator(const Ast& ast, const Environment& env, const Scope& scope)
      : ast_(ast), env_(env), scope_(&scope) {}

  // Value of node `i`; nullptr on error.
  const Value* eval(NodeIndex i, Value& slot);
  // eval() with the two commonest leaves handled inline.
  const Value* operand(NodeIndex i, Value& slot) {
    const Node& n = ast_.nodes[static_cast<std::size_t>(i)];
    if (n.kind == NodeKind::Literal) {
      if (!charge(1)) return nullptr;
      return &ast_.constants[n.aux];
    }
    if (n.kind == NodeKind::Current) {
      if (!charge(1)) return nullptr;
      return scope_->current;
    }
    return eval(i, slot);
  }
  // Node `i` in boolean position (§4.4 rule 2): 1 true, 0 not true
  // (including unresolved), -1 failure.
  int truth(NodeIndex i);

  const ErrorInfo& error() const { return err_; }
  // Whether the work budget ran out (even if a comparison swallowed it).
  bool exhausted() const { return exhausted_; }

  // ---- services for the function / method implementations ----
  const Ast& ast() const { return ast_; }
  const Environment& env() const { return env_; }
  const Scope& scope() const { return *scope_; }
  void set_scope(const Scope* s) { scope_ = s; }

  // Charges `units` of work; false (with the budget failure set) when the
  // budget is exhausted. Polls the environment's interrupt check.
  bool charge(std::uint64_t units) {
    work_ += units;
    if (work_ < next_check_) return true;
    return charge_slow();
  }
  // Charges for `bytes` of produced text and enforces the string limit.
  bool charge_string(std::size_t bytes);

  // Sets a failure; returns nullptr for `return ev.fail(...)`.
  std::nullptr_t fail(std::string message);
  std::nullptr_t unresolved(ErrCode code, std::string_view name, std::string_view kind = {});
  std::nullptr_t unresolved_message(std::string message);
  // Turns the current error into the failure "<prefix><error text>".
  std::nullptr_t wrap(std::string_view prefix);

  // Argument `i` of a call under the argument rule of §6: an error becomes
  // the failure "<f>() argument evaluation failed: <err>".
  const Value* arg(const Node& call, std::size_t i, Value& slot, std::string_view fname);
  std::size_t argc(const Node& call) const { return call.list_size; }

  // Text form (§5.6) with the value-depth and string-length limits.
  bool append_text(std::string& out, const Value& v);
  // Final check of a produced string: length limit and work charge.
  bool check_string(const std::string& s) { return charge_string(s.size()); }

  // Member access `v.name` (§5.7); a computed `length` goes to `slot`.
  const Value* member(const Value& v, std::string_view name, Value& slot);
  // `v[idx]` (§5.7).
  const Value* index(const Value& v, const Value& idx);

 private:
  bool charge_slow();
  const Value* lookup_name(std::string_view name);
  const Value* lookup_variable(std::string_view name, bool dynamic);
  const Value* eval_dynamic_root(const Node& n, Value& slot);
  const Value* eval_context(const Node& n, Value& slot);
  const Value* eval_path(const Node& n, Value& slot);
  const Value* eval_arith(const Node& n, Value& slot);
  const Value* eval_unary(const Node& n, Value& slot);
  const Value* eval_array(const Node& n, Value& slot);
  const Value* eval_object(const Node& n, Value& slot);
  const Value* call_function(const Node& n, Value& slot);
  bool compare(const Node& n);
  bool shorthand(const Node& n);
  // `acc op rhs` for a non-numeric fast-path case; result in `out`.
  bool arith_generic(ArithOp op, const Value& a, const Value& b, Value& out);

  const Ast& ast_;
  const Environment& env_;
  const Scope* scope_;
  ErrorInfo err_;
  std::uint64_t work_ = 0;
  std::uint64_t next_check_ = kInterruptInterval;
  bool exhausted_ = false;
  int depth_ = 0;
};

// ---- implemented in the functions_*.cpp / methods.cpp / dates.cpp files ----

const Value* call_math(Evaluator& ev, Function f, const Node& call, Value& slot);
const Value* call_array(Evaluator& ev, Function f, const Node& call, Value& slot);
const Value* call_value_helper(Evaluator& ev, Function f, const Node& call, Value& slot);
const Value* call_date(Evaluator& ev, Function f, const Node& call, Value& slot);
// `slot` may hold the receiver (or the container it lies in): a method must
// store into it only after it has finished reading the receiver. Returns
// &slot, the receiver or a part of it, or a static value.
const Value* call_method(Evaluator& ev, const Node& step, const Value& receiver, Value& slot);

// Shared helpers.
const Value& bool_value(bool b);
const Value& null_value();
// Stores a number, failing with "numeric result is not finite" for NaN/Inf.
const Value* number_result(Evaluator& ev, double d, Value& slot);

}  // namespace thaiyyal::expr
