// Value helpers isNull / coalesce / contains (language.md §6.3).
#include <string>

#include "engine/expr/compare.hpp"
#include "engine/expr/evaluator.hpp"
#include "engine/go/strings.hpp"

namespace thaiyyal::expr {

namespace {

// isNull / coalesce see an unresolved argument as null; a failure still
// fails the call. Returns false on failure; `v` is null for "null".
bool eval_nullable(Evaluator& ev, const Node& call, std::size_t i, Value& slot, const Value*& v,
                   std::string_view fname) {
  v = ev.eval(ev.ast().items(call)[i].node, slot);
  if (v != nullptr) return true;
  if (ev.error().cls == ErrorClass::Unresolved) return true;
  std::string prefix(fname);
  prefix += "() argument evaluation failed: ";
  ev.wrap(prefix);
  return false;
}

}  // namespace

const Value* call_value_helper(Evaluator& ev, Function f, const Node& call, Value& slot) {
  switch (f) {
    case Function::IsNull: {
      Value s;
      const Value* v;
      if (!eval_nullable(ev, call, 0, s, v, "isNull")) return nullptr;
      return &bool_value(v == nullptr || v->is_null());
    }
    case Function::Coalesce: {
      for (std::size_t i = 0; i < ev.argc(call); ++i) {
        const Value* v;
        if (!eval_nullable(ev, call, i, slot, v, "coalesce")) return nullptr;
        if (v != nullptr && !v->is_null()) return v;
      }
      return &null_value();
    }
    default: {  // contains(a, b)
      Value sa, sb;
      const Value* a = ev.arg(call, 0, sa, "contains");
      if (a == nullptr) return nullptr;
      const Value* b = ev.arg(call, 1, sb, "contains");
      if (b == nullptr) return nullptr;
      if (a->is_array()) {
        const Array& items = a->as_array();
        if (!ev.charge(items.size())) return nullptr;
        for (const Value& e : items) {
          const Equality eq = equals(e, *b);
          if (eq == Equality::True) return &bool_value(true);
          if (eq == Equality::TooDeep) return ev.fail("value nested too deeply");
        }
        return &bool_value(false);
      }
      std::string haystack, needle;
      if (!ev.append_text(haystack, *a) || !ev.append_text(needle, *b)) return nullptr;
      if (!ev.charge((haystack.size() + needle.size()) / 64)) return nullptr;
      return &bool_value(go::find_substring(haystack, needle) != std::string::npos);
    }
  }
}

}  // namespace thaiyyal::expr
