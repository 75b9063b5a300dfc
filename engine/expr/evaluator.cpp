#include "engine/expr/evaluator.hpp"

#include <charconv>
#include <cmath>
#include <utility>

#include "engine/common/stack_depth.hpp"
#include "engine/expr/compare.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/time.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal::expr {

namespace {

const Value kTrue = Value::boolean(true);
const Value kFalse = Value::boolean(false);
const Value kNull;

void append_int(std::string& out, std::int64_t i) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, res.ptr);
}

// Integral doubles print as integers; anything beyond int64 in Go %v.
void append_index(std::string& out, double d) {
  if (std::fabs(d) < 9.2e18) {
    append_int(out, static_cast<std::int64_t>(d));
  } else {
    append_go_float(out, d);
  }
}

std::string_view op_text(ArithOp op) {
  switch (op) {
    case ArithOp::Add:
      return "+";
    case ArithOp::Sub:
      return "-";
    case ArithOp::Mul:
      return "*";
    case ArithOp::Div:
      return "/";
    case ArithOp::Mod:
      return "%";
  }
  return "?";
}

}  // namespace

const Value& bool_value(bool b) {
  return b ? kTrue : kFalse;
}
const Value& null_value() {
  return kNull;
}

const Value* number_result(Evaluator& ev, double d, Value& slot) {
  if (!std::isfinite(d)) return ev.fail("numeric result is not finite");
  slot = Value::number(d);
  return &slot;
}

std::string ErrorInfo::text() const {
  std::string out;
  switch (code) {
    case ErrCode::Message:
      return message;
    case ErrCode::UnknownIdentifier:
      out = "unknown identifier: ";
      out += name;
      break;
    case ErrCode::VariableNotFound:
      out = "variable not found: ";
      out += name;
      break;
    case ErrCode::ContextNotFound:
      out = "context variable not found: ";
      out += name;
      break;
    case ErrCode::NodeNotFound:
      out = "node result not found: ";
      out += name;
      break;
    case ErrCode::FieldNotFound:
      out = "field not found: ";
      out += name;
      break;
    case ErrCode::FieldOnKind:
      out = "cannot access field ";
      out += name;
      out += " on ";
      out += kind;
      break;
    case ErrCode::CannotIndex:
      out = "cannot index ";
      out += kind;
      break;
    case ErrCode::OutOfBounds:
      out = "array index ";
      append_index(out, index);
      out += " out of bounds (length: ";
      append_int(out, length);
      out += ")";
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Errors, budget and shared services

bool Evaluator::charge_slow() {
  if (work_ > kMaxWork) {
    exhausted_ = true;
    fail("expression evaluation budget exceeded");
    return false;
  }
  env_.check_interrupts();
  next_check_ = std::min(work_ + kInterruptInterval, kMaxWork + 1);
  return true;
}

bool Evaluator::charge_string(std::size_t bytes) {
  if (bytes > kMaxStringLength) {
    fail("string result too long");
    return false;
  }
  return charge(bytes / 64);
}

std::nullptr_t Evaluator::fail(std::string message) {
  err_.cls = ErrorClass::Failure;
  err_.code = ErrCode::Message;
  err_.message = std::move(message);
  return nullptr;
}

std::nullptr_t Evaluator::unresolved(ErrCode code, std::string_view name, std::string_view kind) {
  err_.cls = ErrorClass::Unresolved;
  err_.code = code;
  err_.name = name;
  err_.kind = kind;
  return nullptr;
}

std::nullptr_t Evaluator::unresolved_message(std::string message) {
  err_.cls = ErrorClass::Unresolved;
  err_.code = ErrCode::Message;
  err_.message = std::move(message);
  return nullptr;
}

std::nullptr_t Evaluator::wrap(std::string_view prefix) {
  std::string text(prefix);
  text += err_.text();
  return fail(std::move(text));
}

const Value* Evaluator::arg(const Node& call, std::size_t i, Value& slot, std::string_view fname) {
  const Value* v = eval(ast_.items(call)[i].node, slot);
  if (v == nullptr) {
    std::string prefix(fname);
    prefix += "() argument evaluation failed: ";
    return wrap(prefix);
  }
  return v;
}

bool Evaluator::append_text(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::String:
    case Kind::JsonNumber:
      out += v.as_string();
      return true;
    case Kind::Number:
      append_go_float(out, v.as_number());
      return true;
    case Kind::Int:
      append_int(out, v.as_int());
      return true;
    case Kind::Bool:
      out += v.as_bool() ? "true" : "false";
      return true;
    case Kind::Null:
      out += "null";
      return true;
    case Kind::Time:
      out += format_rfc3339_nano(v.as_time_nanos());
      return true;
    case Kind::Array:
    case Kind::Object:
    case Kind::RecordList:
      if (!depth_within(v, kMaxValueDepth)) {
        fail("value nested too deeply");
        return false;
      }
      try {
        write_json(out, v, JsonStyle::Plain);
      } catch (const JsonWriteError& e) {
        fail(e.what());
        return false;
      }
      return true;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Names

const Value* Evaluator::lookup_name(std::string_view name) {
  if (const Value* field = scope_->current->find(name)) return field;
  if (const Value* var = env_.variable(name)) return var;
  return unresolved(ErrCode::UnknownIdentifier, name);
}

const Value* Evaluator::lookup_variable(std::string_view name, bool dynamic) {
  if (const Value* var = env_.variable(name)) return var;
  // The node's own bindings, as the reference's variables map holds them.
  if (name == "item" || name == "input") return scope_->current;
  if (name == "index" && scope_->index != nullptr) return scope_->index;
  if (name == "items" && scope_->items != nullptr) return scope_->items;
  if (name == "accumulator" && scope_->accumulator != nullptr) return scope_->accumulator;
  if (dynamic) return unresolved_message("variable not found: " + std::string(name));
  return unresolved(ErrCode::VariableNotFound, name);
}

const Value* Evaluator::eval_dynamic_root(const Node& n, Value& slot) {
  (void)slot;
  Value key_slot;
  const Value* key_value = eval(n.a, key_slot);
  if (key_value == nullptr) return nullptr;
  std::string buf;
  std::string_view key;
  const char* root = n.kind == NodeKind::VariableDyn  ? "variables"
                     : n.kind == NodeKind::ContextDyn ? "context"
                                                      : "node";
  if (key_value->is_string()) {
    key = key_value->as_string();
  } else if (key_value->is_numeric()) {
    append_text(buf, *key_value);
    key = buf;
  } else {
    return fail(std::string("'") + root + "' key must be a string, got " +
                std::string(kind_name(*key_value)));
  }
  switch (n.kind) {
    case NodeKind::VariableDyn:
      return lookup_variable(key, true);
    case NodeKind::ContextDyn:
      if (const Value* v = env_.context_value(key)) return v;
      return unresolved_message("context variable not found: " + std::string(key));
    default:
      if (const Value* v = env_.node_result(key)) return v;
      return unresolved_message("node result not found: " + std::string(key));
  }
}

// `context.s1.s2…sn`: the longest existing flat key "s1.….sk" wins, the
// remaining segments navigate into its value (language.md §4.1.1).
const Value* Evaluator::eval_context(const Node& n, Value& slot) {
  const std::string_view joined = ast_.strings[n.aux];
  const ListItem* ends = ast_.items(n);
  const std::size_t count = n.list_size;
  for (std::size_t k = count; k-- > 0;) {
    const Value* cur =
        env_.context_value(std::string_view(joined.data(), static_cast<std::size_t>(ends[k].node)));
    if (cur == nullptr) continue;
    for (std::size_t j = k + 1; j < count; ++j) {
      const auto b = static_cast<std::size_t>(ends[j - 1].node) + 1;
      const auto e = static_cast<std::size_t>(ends[j].node);
      if (!charge(1)) return nullptr;
      cur = member(*cur, std::string_view(joined.data() + b, e - b), slot);
      if (cur == nullptr) return nullptr;
    }
    return cur;
  }
  return unresolved(ErrCode::ContextNotFound, joined);
}

// ---------------------------------------------------------------------------
// Member access and indexing (§5.7)

const Value* Evaluator::member(const Value& v, std::string_view name, Value& slot) {
  if (v.is_object()) {
    if (const Value* field = v.as_object().find(name)) return field;
    return unresolved(ErrCode::FieldNotFound, name);
  }
  if (name == "length") {
    if (v.is_array()) {
      const double n = static_cast<double>(v.as_array().size());
      slot = Value::number(n);
      return &slot;
    }
    if (v.is_string()) {
      const double n = static_cast<double>(go::unicode::count_runes(v.as_string()));
      slot = Value::number(n);
      return &slot;
    }
  }
  return unresolved(ErrCode::FieldOnKind, name, kind_name(v));
}

const Value* Evaluator::index(const Value& v, const Value& idx) {
  if (v.is_array()) {
    const double d = idx.is_numeric() ? idx.as_double() : 0.5;
    if (!idx.is_numeric() || !std::isfinite(d) || d != std::trunc(d)) {
      std::string text;
      append_text(text, idx);
      return fail("array index must be an integer, got " + text);
    }
    const Array& items = v.as_array();
    if (d < 0 || d >= static_cast<double>(items.size())) {
      err_.index = d;
      err_.length = static_cast<std::int64_t>(items.size());
      return unresolved(ErrCode::OutOfBounds, {});
    }
    return &items[static_cast<std::size_t>(d)];
  }
  if (v.is_object()) {
    std::string buf;
    std::string_view key;
    if (idx.is_string()) {
      key = idx.as_string();
    } else if (idx.is_numeric()) {
      append_text(buf, idx);
      key = buf;
    } else {
      return fail("object key must be a string, got " + std::string(kind_name(idx)));
    }
    if (const Value* field = v.as_object().find(key)) return field;
    return unresolved_message("field not found: " + std::string(key));
  }
  return unresolved(ErrCode::CannotIndex, {}, kind_name(v));
}

// ---------------------------------------------------------------------------
// The dispatcher

namespace {
struct DepthGuard {
  int& depth;
  ~DepthGuard() { --depth; }
};
}  // namespace

const Value* Evaluator::eval(NodeIndex i, Value& slot) {
  if (!charge(1)) return nullptr;
  if (++depth_ > kMaxEvalDepth) {
    --depth_;
    return fail("expression nested too deeply");
  }
  DepthGuard guard{depth_};
  check_stack_depth();
  const Node& n = ast_.nodes[static_cast<std::size_t>(i)];
  switch (n.kind) {
    case NodeKind::Literal:
      return &ast_.constants[n.aux];
    case NodeKind::Current:
      return scope_->current;
    case NodeKind::IndexName:
      if (scope_->index != nullptr) return scope_->index;
      return lookup_name(ast_.strings[n.aux]);
    case NodeKind::ItemsName:
      if (scope_->items != nullptr) return scope_->items;
      return lookup_name(ast_.strings[n.aux]);
    case NodeKind::AccumulatorName:
      if (scope_->accumulator != nullptr) return scope_->accumulator;
      return lookup_name(ast_.strings[n.aux]);
    case NodeKind::Name:
      return lookup_name(ast_.strings[n.aux]);
    case NodeKind::Variable:
      return lookup_variable(ast_.strings[n.aux], false);
    case NodeKind::VariableDyn:
    case NodeKind::ContextDyn:
    case NodeKind::NodeRefDyn:
      return eval_dynamic_root(n, slot);
    case NodeKind::Context:
      return eval_context(n, slot);
    case NodeKind::NodeRef: {
      const std::string_view id = ast_.strings[n.aux];
      if (const Value* v = env_.node_result(id)) return v;
      return unresolved(ErrCode::NodeNotFound, id);
    }
    case NodeKind::Path:
      return eval_path(n, slot);
    case NodeKind::Call:
      return call_function(n, slot);
    case NodeKind::ArrayLit:
      return eval_array(n, slot);
    case NodeKind::ObjectLit:
      return eval_object(n, slot);
    case NodeKind::Negate:
    case NodeKind::Plus:
      return eval_unary(n, slot);
    case NodeKind::Arith:
      return eval_arith(n, slot);
    case NodeKind::Compare:
      return &bool_value(compare(n));
    case NodeKind::Shorthand:
      return &bool_value(shorthand(n));
    case NodeKind::Not:
    case NodeKind::And:
    case NodeKind::Or: {
      int t = truth(i);
      if (t < 0) return nullptr;
      return &bool_value(t == 1);
    }
    case NodeKind::Ternary: {
      int t = truth(n.a);
      if (t < 0) return nullptr;
      return eval(t == 1 ? n.b : n.c, slot);
    }
    case NodeKind::MemberStep:
    case NodeKind::IndexStep:
    case NodeKind::MethodStep:
      break;
  }
  return fail("internal error: path step outside a path");
}

int Evaluator::truth(NodeIndex i) {
  const Node& n = ast_.nodes[static_cast<std::size_t>(i)];
  switch (n.kind) {
    case NodeKind::Compare:
      if (!charge(1)) return -1;
      return compare(n) ? 1 : 0;
    case NodeKind::Shorthand:
      if (!charge(1)) return -1;
      return shorthand(n) ? 1 : 0;
    case NodeKind::Not: {
      if (!charge(1)) return -1;
      int t = truth(n.a);
      if (t < 0) return -1;
      return t == 1 ? 0 : 1;
    }
    case NodeKind::And: {
      if (!charge(1)) return -1;
      const ListItem* items = ast_.items(n);
      for (std::uint32_t k = 0; k < n.list_size; ++k) {
        int t = truth(items[k].node);
        if (t != 1) return t;
      }
      return 1;
    }
    case NodeKind::Or: {
      if (!charge(1)) return -1;
      const ListItem* items = ast_.items(n);
      for (std::uint32_t k = 0; k < n.list_size; ++k) {
        int t = truth(items[k].node);
        if (t != 0) return t;
      }
      return 0;
    }
    default: {
      Value slot;
      const Value* v = eval(i, slot);
      if (v == nullptr) return err_.cls == ErrorClass::Unresolved ? 0 : -1;
      return v->is_true() ? 1 : 0;
    }
  }
}

// ---------------------------------------------------------------------------
// Comparisons: never fail (§4.4 rule 1)

namespace {
inline bool compare_fast(CompareOp op, const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.as_number();
    const double y = b.as_number();
    switch (op) {
      case CompareOp::Eq:
        return x == y;
      case CompareOp::Ne:
        return x != y;
      case CompareOp::Lt:
        return x < y;
      case CompareOp::Le:
        return x <= y;
      case CompareOp::Gt:
        return x > y;
      case CompareOp::Ge:
        return x >= y;
    }
  }
  return compare_values(op, a, b);
}
}  // namespace

bool Evaluator::compare(const Node& n) {
  Value left_slot;
  const Value* left = operand(n.a, left_slot);
  if (left == nullptr) return false;
  Value right_slot;
  const Value* right = operand(n.b, right_slot);
  if (right == nullptr) return false;
  return compare_fast(static_cast<CompareOp>(n.op), *left, *right);
}

bool Evaluator::shorthand(const Node& n) {
  const Value* left = scope_->current;
  while (left->is_object()) {
    const Value* inner = left->as_object().find("value");
    if (inner == nullptr) break;
    left = inner;
  }
  Value right_slot;
  const Value* right = operand(n.a, right_slot);
  if (right == nullptr) return false;
  return compare_fast(static_cast<CompareOp>(n.op), *left, *right);
}

// ---------------------------------------------------------------------------
// Paths: `base.member[index].method(args)…`
//
// GCC cannot see that `cur` only points at (or into) the local `hold` when
// `owned` is set, in which case the result is copied to `slot`.
#pragma GCC diagnostic push
#if !defined(__clang__)  // a GCC-only warning
#pragma GCC diagnostic ignored "-Wreturn-local-addr"
#endif

const Value* Evaluator::eval_path(const Node& n, Value& slot) {
  Value hold;  // owns the latest computed intermediate value
  const Value* cur = operand(n.a, hold);
  if (cur == nullptr) return nullptr;
  bool owned = cur == &hold;  // cur is hold or lies inside it
  const ListItem* steps = ast_.items(n);
  for (std::uint32_t s = 0; s < n.list_size; ++s) {
    const Node& step = ast_.nodes[static_cast<std::size_t>(steps[s].node)];
    if (!charge(1)) return nullptr;
    switch (step.kind) {
      case NodeKind::MemberStep: {
        // member() computes a `length` completely before storing it, so
        // `hold` may serve as its slot even when `cur` lies inside it.
        cur = member(*cur, ast_.strings[step.aux], hold);
        if (cur == nullptr) return nullptr;
        owned = owned || cur == &hold;
        break;
      }
      case NodeKind::IndexStep: {
        Value index_slot;
        const Value* idx = eval(step.a, index_slot);
        if (idx == nullptr) return nullptr;
        cur = index(*cur, *idx);
        if (cur == nullptr) return nullptr;
        break;
      }
      case NodeKind::MethodStep: {
        // Methods store their result last (see call_method), so `hold` may
        // be the slot even when the receiver lies inside it. The result is
        // `hold`, the receiver or a part of it, or a static value.
        cur = call_method(*this, step, *cur, hold);
        if (cur == nullptr) return nullptr;
        owned = owned || cur == &hold;
        break;
      }
      default:
        return fail("internal error: bad path step");
    }
  }
  if (!owned) return cur;
  if (cur == &hold) {
    slot = std::move(hold);
  } else {
    slot = *cur;
  }
  return &slot;
}
#pragma GCC diagnostic pop

// ---------------------------------------------------------------------------
// Arithmetic (§5.1, §5.2)

bool Evaluator::arith_generic(ArithOp op, const Value& a, const Value& b, Value& out) {
  double x = 0;
  double y = 0;
  if (op == ArithOp::Add) {
    const bool an = a.is_numeric();
    const bool bn = b.is_numeric();
    bool sum = false;
    if (an && bn) {
      x = a.as_double();
      y = b.as_double();
      sum = true;
    } else if (an && b.is_string() && numeric_string(b.as_string(), y)) {
      x = a.as_double();
      sum = true;
    } else if (bn && a.is_string() && numeric_string(a.as_string(), x)) {
      y = b.as_double();
      sum = true;
    }
    if (sum) {
      const double r = x + y;
      if (!std::isfinite(r)) {
        fail("numeric result is not finite");
        return false;
      }
      out = Value::number(r);
      return true;
    }
    if (a.is_string() || b.is_string()) {
      std::string text;
      if (!append_text(text, a) || !append_text(text, b) || !check_string(text)) return false;
      out = Value::string(std::move(text));
      return true;
    }
    const Value& bad = (a.is_numeric() || a.is_string()) ? b : a;
    fail("operator '+' requires numbers or strings, got " + std::string(kind_name(bad)));
    return false;
  }
  if (!to_number(a, x)) {
    fail("operator '" + std::string(op_text(op)) + "' requires numbers, got " +
         std::string(kind_name(a)));
    return false;
  }
  if (!to_number(b, y)) {
    fail("operator '" + std::string(op_text(op)) + "' requires numbers, got " +
         std::string(kind_name(b)));
    return false;
  }
  double r = 0;
  switch (op) {
    case ArithOp::Add:
      r = x + y;
      break;
    case ArithOp::Sub:
      r = x - y;
      break;
    case ArithOp::Mul:
      r = x * y;
      break;
    case ArithOp::Div:
      if (y == 0) {
        fail("division by zero");
        return false;
      }
      r = x / y;
      break;
    case ArithOp::Mod:
      if (y == 0) {
        fail("modulo by zero");
        return false;
      }
      r = std::fmod(x, y);
      break;
  }
  if (!std::isfinite(r)) {
    fail("numeric result is not finite");
    return false;
  }
  out = Value::number(r);
  return true;
}

const Value* Evaluator::eval_arith(const Node& n, Value& slot) {
  const ListItem* items = ast_.items(n);
  Value acc_slot;
  const Value* acc = operand(items[0].node, acc_slot);
  if (acc == nullptr) return nullptr;
  // Numeric fast path: while every operand is a number the accumulator is a
  // plain double.
  bool numeric = acc->is_numeric();
  double num = numeric ? acc->as_double() : 0;
  for (std::uint32_t k = 1; k < n.list_size; ++k) {
    const auto op = static_cast<ArithOp>(items[k].op);
    Value right_slot;
    const Value* right = operand(items[k].node, right_slot);
    if (right == nullptr) return nullptr;
    if (numeric && right->is_numeric()) {
      const double y = right->as_double();
      switch (op) {
        case ArithOp::Add:
          num += y;
          break;
        case ArithOp::Sub:
          num -= y;
          break;
        case ArithOp::Mul:
          num *= y;
          break;
        case ArithOp::Div:
          if (y == 0) return fail("division by zero");
          num /= y;
          break;
        case ArithOp::Mod:
          if (y == 0) return fail("modulo by zero");
          num = std::fmod(num, y);
          break;
      }
      if (!std::isfinite(num)) return fail("numeric result is not finite");
      continue;
    }
    Value out;
    if (numeric) {
      if (!arith_generic(op, Value::number(num), *right, out)) return nullptr;
    } else {
      if (!arith_generic(op, *acc, *right, out)) return nullptr;
    }
    if (out.is_numeric()) {
      numeric = true;
      num = out.as_double();
    } else {
      numeric = false;
      acc_slot = std::move(out);
      acc = &acc_slot;
    }
  }
  if (numeric) return number_result(*this, num, slot);
  if (acc == &acc_slot) {
    slot = std::move(acc_slot);
  } else {
    slot = *acc;
  }
  return &slot;
}

const Value* Evaluator::eval_unary(const Node& n, Value& slot) {
  Value operand_slot;
  const Value* v = eval(n.a, operand_slot);
  if (v == nullptr) return nullptr;
  const bool negate = n.kind == NodeKind::Negate;
  double x;
  if (!to_number(*v, x)) {
    return fail(std::string("operator '") + (negate ? "-" : "+") + "' requires numbers, got " +
                std::string(kind_name(*v)));
  }
  return number_result(*this, negate ? -x : x, slot);
}

// ---------------------------------------------------------------------------
// Literals

const Value* Evaluator::eval_array(const Node& n, Value& slot) {
  const ListItem* items = ast_.items(n);
  Array out;
  out.reserve(n.list_size);
  for (std::uint32_t k = 0; k < n.list_size; ++k) {
    Value s;
    const Value* v = eval(items[k].node, s);
    if (v == nullptr) return nullptr;
    out.push_back(v == &s ? std::move(s) : *v);
  }
  slot = Value::array(std::move(out));
  return &slot;
}

const Value* Evaluator::eval_object(const Node& n, Value& slot) {
  const ListItem* items = ast_.items(n);
  const ObjectShape& shape = ast_.object_keys[n.aux];
  std::vector<Value> values(n.list_size);
  for (std::uint32_t k = 0; k < n.list_size; ++k) {
    const Value* v = eval(items[k].node, values[k]);
    if (v == nullptr) return nullptr;
    if (v != &values[k]) values[k] = *v;
  }
  Object obj;
  obj.reserve(shape.keys.size());
  for (std::size_t k = 0; k < shape.keys.size(); ++k) {
    obj.append_sorted(shape.keys[k], std::move(values[shape.source_slot[k]]));
  }
  slot = Value::object(std::move(obj));
  return &slot;
}

// ---------------------------------------------------------------------------
// Calls

const Value* Evaluator::call_function(const Node& n, Value& slot) {
  const auto f = static_cast<Function>(n.op);
  switch (f) {
    case Function::Sum:
    case Function::Avg:
    case Function::Min:
    case Function::Max:
    case Function::Round:
    case Function::Floor:
    case Function::Ceil:
    case Function::Abs:
    case Function::Pow:
    case Function::Sqrt:
      return call_math(*this, f, n, slot);
    case Function::Map:
    case Function::Sort:
    case Function::Reverse:
    case Function::Unique:
    case Function::Flatten:
    case Function::Slice:
    case Function::Sample:
    case Function::Zip:
      return call_array(*this, f, n, slot);
    case Function::IsNull:
    case Function::Coalesce:
    case Function::Contains:
      return call_value_helper(*this, f, n, slot);
    default:
      return call_date(*this, f, n, slot);
  }
}

}  // namespace thaiyyal::expr
