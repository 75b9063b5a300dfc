// CompiledExpression: the public face of the language (expression.hpp).
#include "engine/expr/expression.hpp"

#include <charconv>
#include <cstddef>
#include <memory_resource>
#include <new>
#include <utility>

#include "engine/expr/ast.hpp"
#include "engine/expr/deparse.hpp"
#include "engine/expr/evaluator.hpp"
#include "engine/expr/parser.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"

namespace thaiyyal::expr {

// An expression's compiled form in one allocation: this object followed by
// the storage of its AST's vectors and strings (`resource` hands it out; a
// size estimate that falls short spills into the heap).
class CompiledExpressionImpl {
 public:
  CompiledExpressionImpl(void* storage, std::size_t size)
      : resource(storage, size, std::pmr::new_delete_resource()),
        ast(&resource),
        source(&resource) {}

  std::pmr::monotonic_buffer_resource resource;  // first: outlives the rest
  Ast ast;
  std::pmr::string source;
  std::string error;  // empty when valid
};

namespace {

Scope make_scope(const Bindings& b) {
  return Scope{b.current != nullptr ? b.current : &null_value(), b.index, b.items, b.accumulator};
}

constexpr const char* kBudgetMessage = "expression evaluation budget exceeded";

}  // namespace

namespace {

// The thread's parse target: its vectors keep their capacity from one
// compile to the next, and the compiled expression copies out exactly what
// it needs. A compile nested in a compile (none today) gets its own.
struct ParseScratch {
  Ast ast;
  bool busy = false;
};

constexpr std::size_t kSlack = alignof(std::max_align_t);

// Bytes `resource` hands out for a string of n characters (none when it is
// short enough for the string itself).
std::size_t string_storage(std::size_t n) {
  static const std::size_t kInline = std::pmr::string().capacity();
  return n <= kInline ? 0 : n + 1 + kSlack;
}

std::size_t ast_storage(const Ast& ast, std::string_view source) {
  std::size_t n = 5 * kSlack + ast.nodes.size() * sizeof(Node) +
                  ast.list.size() * sizeof(ListItem) + ast.constants.size() * sizeof(Value) +
                  ast.strings.size() * sizeof(std::pmr::string) +
                  ast.object_keys.size() * sizeof(ObjectShape) + string_storage(source.size());
  for (const auto& s : ast.strings) n += string_storage(s.size());
  return n;
}

void copy_ast(const Ast& from, Ast& to) {
  to.nodes.assign(from.nodes.begin(), from.nodes.end());
  to.list.assign(from.list.begin(), from.list.end());
  to.constants.assign(from.constants.begin(), from.constants.end());
  to.strings.reserve(from.strings.size());
  for (const auto& s : from.strings) to.strings.emplace_back(s);
  to.object_keys.assign(from.object_keys.begin(), from.object_keys.end());
  to.root = from.root;
}

}  // namespace

void CompiledExpression::ImplDeleter::operator()(
    const CompiledExpressionImpl* impl) const noexcept {
  impl->~CompiledExpressionImpl();
  ::operator delete(const_cast<CompiledExpressionImpl*>(impl));
}

CompiledExpression CompiledExpression::compile(std::string_view source, StartSymbol start) {
  static thread_local ParseScratch thread_scratch;
  ParseScratch own;
  ParseScratch& scratch = thread_scratch.busy ? own : thread_scratch;
  scratch.busy = true;
  struct Release {
    ParseScratch& s;
    ~Release() {
      s.ast.clear();
      s.busy = false;
    }
  } release{scratch};
  std::string error = parse_expression(source, start, scratch.ast);
  if (!error.empty()) scratch.ast.clear();  // an invalid expression keeps no AST

  constexpr std::size_t kHeader = (sizeof(CompiledExpressionImpl) + kSlack - 1) / kSlack * kSlack;
  const std::size_t storage = ast_storage(scratch.ast, source);
  void* raw = ::operator new(kHeader + storage);
  CompiledExpressionImpl* impl;
  try {
    impl = new (raw) CompiledExpressionImpl(static_cast<char*>(raw) + kHeader, storage);
  } catch (...) {
    ::operator delete(raw);
    throw;
  }
  CompiledExpression c;
  c.impl_.reset(impl);
  impl->source.assign(source);
  impl->error = std::move(error);
  copy_ast(scratch.ast, impl->ast);
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

std::string_view CompiledExpression::source() const {
  return impl_ != nullptr ? std::string_view(impl_->source) : std::string_view();
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
