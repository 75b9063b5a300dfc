// Aggregates and math functions (language.md §6.1).
#include <cmath>
#include <string>

#include "engine/expr/compare.hpp"
#include "engine/expr/evaluator.hpp"

namespace thaiyyal::expr {

namespace {

std::string message(std::string_view fname, std::string_view text, const Value& v) {
  std::string m(fname);
  m += "() ";
  m += text;
  m += kind_name(v);
  return m;
}

// sum / avg
const Value* sum_or_avg(Evaluator& ev, Function f, const Node& call, Value& slot) {
  const std::string_view name = function_name(f);
  const bool avg = f == Function::Avg;
  const std::size_t argc = ev.argc(call);
  if (argc == 1) {
    Value s;
    const Value* v = ev.arg(call, 0, s, name);
    if (v == nullptr) return nullptr;
    if (v->is_array()) {
      const Array& items = v->as_array();
      if (avg && items.empty()) return ev.fail("avg() on empty array");
      if (!ev.charge(items.size())) return nullptr;
      double total = 0;
      for (const Value& e : items) {
        double x;
        if (!to_number(e, x)) return ev.fail(message(name, "encountered non-numeric element: ", e));
        total += x;
      }
      if (avg) total /= static_cast<double>(items.size());
      return number_result(ev, total, slot);
    }
    double x;
    if (!to_number(*v, x)) return ev.fail(message(name, "requires numeric values, got ", *v));
    return number_result(ev, x, slot);
  }
  double total = 0;
  for (std::size_t i = 0; i < argc; ++i) {
    Value s;
    const Value* v = ev.arg(call, i, s, name);
    if (v == nullptr) return nullptr;
    double x;
    if (!to_number(*v, x)) return ev.fail(message(name, "requires numeric values, got ", *v));
    total += x;
  }
  if (avg) total /= static_cast<double>(argc);
  return number_result(ev, total, slot);
}

// min / max
const Value* extreme(Evaluator& ev, Function f, const Node& call, Value& slot) {
  const std::string_view name = function_name(f);
  const bool is_min = f == Function::Min;
  auto better = [is_min](double x, double best) { return is_min ? x < best : x > best; };
  const std::size_t argc = ev.argc(call);
  if (argc == 1) {
    Value s;
    const Value* v = ev.arg(call, 0, s, name);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
      return ev.fail(std::string(name) +
                     "() requires at least 2 arguments or an array, got 1 non-array value");
    }
    const Array& items = v->as_array();
    if (items.empty()) return ev.fail(std::string(name) + "() on empty array");
    if (!ev.charge(items.size())) return nullptr;
    double best = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      double x;
      if (!to_number(items[i], x)) {
        return ev.fail(message(name, "encountered non-numeric element: ", items[i]));
      }
      if (i == 0 || better(x, best)) best = x;
    }
    return number_result(ev, best, slot);
  }
  double best = 0;
  for (std::size_t i = 0; i < argc; ++i) {
    Value s;
    const Value* v = ev.arg(call, i, s, name);
    if (v == nullptr) return nullptr;
    double x;
    if (!to_number(*v, x)) return ev.fail(message(name, "requires numeric values, got ", *v));
    if (i == 0 || better(x, best)) best = x;
  }
  return number_result(ev, best, slot);
}

double apply_unary(Function f, double x) {
  switch (f) {
    case Function::Round:
      return std::round(x);  // half away from zero, as Go's math.Round
    case Function::Floor:
      return std::floor(x);
    case Function::Ceil:
      return std::ceil(x);
    default:
      return std::fabs(x);
  }
}

// round / floor / ceil / abs: a number, or an array element-wise.
const Value* unary_math(Evaluator& ev, Function f, const Node& call, Value& slot) {
  const std::string_view name = function_name(f);
  Value s;
  const Value* v = ev.arg(call, 0, s, name);
  if (v == nullptr) return nullptr;
  if (v->is_array()) {
    const Array& items = v->as_array();
    if (!ev.charge(items.size())) return nullptr;
    Array out;
    out.reserve(items.size());
    for (const Value& e : items) {
      double x;
      if (!to_number(e, x)) return ev.fail(message(name, "encountered non-numeric element: ", e));
      const double r = apply_unary(f, x);
      if (!std::isfinite(r)) return ev.fail("numeric result is not finite");
      out.push_back(Value::number(r));
    }
    slot = Value::array(std::move(out));
    return &slot;
  }
  double x;
  if (!to_number(*v, x)) return ev.fail(message(name, "requires numeric value, got ", *v));
  return number_result(ev, apply_unary(f, x), slot);
}

}  // namespace

const Value* call_math(Evaluator& ev, Function f, const Node& call, Value& slot) {
  switch (f) {
    case Function::Sum:
    case Function::Avg:
      return sum_or_avg(ev, f, call, slot);
    case Function::Min:
    case Function::Max:
      return extreme(ev, f, call, slot);
    case Function::Pow: {
      Value sa, sb;
      const Value* a = ev.arg(call, 0, sa, "pow");
      if (a == nullptr) return nullptr;
      const Value* b = ev.arg(call, 1, sb, "pow");
      if (b == nullptr) return nullptr;
      double x, y;
      if (!to_number(*a, x)) return ev.fail(message("pow", "requires numeric values, got ", *a));
      if (!to_number(*b, y)) return ev.fail(message("pow", "requires numeric values, got ", *b));
      return number_result(ev, std::pow(x, y), slot);
    }
    case Function::Sqrt: {
      Value s;
      const Value* v = ev.arg(call, 0, s, "sqrt");
      if (v == nullptr) return nullptr;
      double x;
      if (!to_number(*v, x)) return ev.fail(message("sqrt", "requires numeric value, got ", *v));
      if (x < 0) return ev.fail("sqrt() of negative number");
      return number_result(ev, std::sqrt(x), slot);
    }
    default:
      return unary_math(ev, f, call, slot);
  }
}

}  // namespace thaiyyal::expr
