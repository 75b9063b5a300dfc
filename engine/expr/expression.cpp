// CompiledExpression: the public face of the language (expression.hpp).
#include "engine/expr/expression.hpp"

#include <charconv>
#include <utility>

#include "engine/expr/ast.hpp"
#include "engine/expr/deparse.hpp"
#include "engine/expr/evaluator.hpp"
#include "engine/expr/parser.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"

namespace thaiyyal::expr {

class CompiledExpressionImpl {
 public:
  Ast ast;
  std::string source;
  std::string error;  // empty when valid
};

namespace {

const std::string& empty_string() {
  static const std::string kEmpty;
  return kEmpty;
}

Scope make_scope(const Bindings& b) {
  return Scope{b.current != nullptr ? b.current : &null_value(), b.index, b.items, b.accumulator};
}

constexpr const char* kBudgetMessage = "expression evaluation budget exceeded";

}  // namespace

CompiledExpression CompiledExpression::compile(std::string_view source, StartSymbol start) {
  auto impl = std::make_shared<CompiledExpressionImpl>();
  impl->source = std::string(source);
  impl->error = parse_expression(impl->source, start, impl->ast);
  if (!impl->error.empty()) impl->ast = Ast{};
  CompiledExpression c;
  c.impl_ = std::move(impl);
  return c;
}

CompiledExpression::CompiledExpression() = default;
CompiledExpression::~CompiledExpression() = default;
CompiledExpression::CompiledExpression(CompiledExpression&&) noexcept = default;
CompiledExpression& CompiledExpression::operator=(CompiledExpression&&) noexcept = default;

bool CompiledExpression::valid() const {
  return impl_ != nullptr && impl_->error.empty();
}

const std::string& CompiledExpression::compile_error() const {
  if (impl_ == nullptr) {
    static const std::string kNotCompiled = "expression not compiled";
    return kNotCompiled;
  }
  return impl_->error;
}

const std::string& CompiledExpression::source() const {
  return impl_ != nullptr ? impl_->source : empty_string();
}

std::string CompiledExpression::parsed() const {
  return valid() ? deparse(impl_->ast) : std::string();
}

Outcome CompiledExpression::evaluate(const Environment& env, const Bindings& bindings) const {
  if (!valid()) return Outcome::fail(ErrorClass::Failure, compile_error());
  const Scope scope = make_scope(bindings);
  Evaluator ev(impl_->ast, env, scope);
  Value slot;
  const Value* result = ev.eval(impl_->ast.root, slot);
  if (ev.exhausted()) return Outcome::fail(ErrorClass::Failure, kBudgetMessage);
  if (result == nullptr) return Outcome::fail(ev.error().cls, ev.error().text());
  if (result == &slot) return Outcome::of(std::move(slot));
  return Outcome::of(*result);
}

ConditionOutcome CompiledExpression::test(const Environment& env, const Bindings& bindings) const {
  ConditionOutcome out;
  if (!valid()) {
    out.ok = false;
    out.error = compile_error();
    return out;
  }
  const Scope scope = make_scope(bindings);
  Evaluator ev(impl_->ast, env, scope);
  const int t = ev.truth(impl_->ast.root);
  if (ev.exhausted()) {
    out.ok = false;
    out.error = kBudgetMessage;
    return out;
  }
  if (t < 0) {
    out.ok = false;
    out.error = ev.error().text();
    return out;
  }
  out.truth = t == 1;
  return out;
}

void append_text_form(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::String:
    case Kind::JsonNumber:
      out += v.as_string();
      return;
    case Kind::Number:
      append_go_float(out, v.as_number());
      return;
    case Kind::Int: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, res.ptr);
      return;
    }
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Kind::Null:
      out += "null";
      return;
    case Kind::Time:
      out += format_rfc3339_nano(v.as_time_nanos());
      return;
    case Kind::Array:
    case Kind::Object:
    case Kind::RecordList:
      write_json(out, v, JsonStyle::Plain);
      return;
  }
}

}  // namespace thaiyyal::expr
