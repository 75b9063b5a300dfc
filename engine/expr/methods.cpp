// Methods `receiver.name(args)` (language.md §6.4). A method returns either
// `&slot` (a new value) or a pointer into its receiver.
#include <string>

#include "engine/common/checked_size.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/expr/compare.hpp"
#include "engine/expr/evaluator.hpp"
#include "engine/go/strings.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal::expr {

namespace {

std::nullptr_t wrong_receiver(Evaluator& ev, Method m, std::string_view what, const Value& v) {
  std::string msg(method_name(m));
  msg += "() can only be called on ";
  msg += what;
  msg += ", got ";
  msg += kind_name(v);
  return ev.fail(std::move(msg));
}

// Text form of argument i.
bool text_arg(Evaluator& ev, const Node& step, Method m, std::size_t i, std::string& out) {
  Value s;
  const Value* v = ev.arg(step, i, s, method_name(m));
  if (v == nullptr) return false;
  return ev.append_text(out, *v);
}

const Value* store_string(Evaluator& ev, std::string text, Value& slot) {
  if (!ev.check_string(text)) return nullptr;
  slot = Value::string(std::move(text));
  return &slot;
}

// Go strings.ReplaceAll.
bool replace_all(Evaluator& ev, std::string_view s, std::string_view from, std::string_view to,
                 std::string& out) {
  if (from.empty()) {
    // `to` before every code point and at the end.
    std::size_t i = 0;
    while (true) {
      out += to;
      if (out.size() > kMaxStringLength) return ev.charge_string(out.size());
      if (i >= s.size()) break;
      const std::size_t len = go::unicode::decode(s, i).len;
      out.append(s.substr(i, len));
      i += len;
    }
    return true;
  }
  std::size_t pos = 0;
  while (true) {
    const std::size_t hit = go::find_substring(s, from, pos);
    if (hit == std::string_view::npos) break;
    out.append(s.substr(pos, hit - pos));
    out += to;
    if (out.size() > kMaxStringLength) return ev.charge_string(out.size());
    pos = hit + from.size();
  }
  out.append(s.substr(pos));
  return true;
}

const Value* string_method(Evaluator& ev, Method m, const Node& step, const Value& receiver,
                           Value& slot) {
  const std::string& s = receiver.as_string();
  switch (m) {
    case Method::ToUpperCase:
    case Method::ToLowerCase: {
      std::string out;
      if (m == Method::ToUpperCase) {
        go::unicode::append_upper(out, s);
      } else {
        go::unicode::append_lower(out, s);
      }
      if (out == s) return &receiver;
      return store_string(ev, std::move(out), slot);
    }
    case Method::Trim: {
      std::string_view t = go::unicode::trim_space(s);
      if (t.size() == s.size()) return &receiver;
      slot = Value::string(t);
      return &slot;
    }
    case Method::Includes:
    case Method::StartsWith:
    case Method::EndsWith: {
      std::string needle;
      if (!text_arg(ev, step, m, 0, needle)) return nullptr;
      if (!ev.charge(s.size() / 64)) return nullptr;
      const std::string_view hay(s);
      bool r;
      if (m == Method::Includes) {
        r = go::find_substring(hay, needle) != std::string_view::npos;
      } else if (m == Method::StartsWith) {
        r = hay.substr(0, needle.size()) == needle;
      } else {
        r = hay.size() >= needle.size() && hay.substr(hay.size() - needle.size()) == needle;
      }
      return &bool_value(r);
    }
    case Method::Replace: {
      std::string from, to;
      if (!text_arg(ev, step, m, 0, from) || !text_arg(ev, step, m, 1, to)) return nullptr;
      std::string out;
      if (!replace_all(ev, s, from, to, out)) return nullptr;
      return store_string(ev, std::move(out), slot);
    }
    case Method::Split: {
      std::string sep;
      if (!text_arg(ev, step, m, 0, sep)) return nullptr;
      Array parts;
      const std::string_view sv(s);
      // The receiver may be any string a node made (not only a 1 MiB
      // expression string): each part is charged as it is made, so the
      // work budget and the interrupt checks apply inside the loop.
      if (sep.empty()) {
        std::size_t i = 0;
        while (i < sv.size()) {
          if (!ev.charge(1)) return nullptr;
          const std::size_t len = go::unicode::decode(sv, i).len;
          parts.push_back(Value::string(sv.substr(i, len)));
          i += len;
        }
      } else {
        std::size_t pos = 0;
        while (true) {
          const std::size_t hit = go::find_substring(sv, sep, pos);
          if (hit == std::string_view::npos) break;
          if (!ev.charge(1)) return nullptr;
          parts.push_back(Value::string(sv.substr(pos, hit - pos)));
          pos = hit + sep.size();
        }
        if (!ev.charge(1)) return nullptr;
        parts.push_back(Value::string(sv.substr(pos)));
      }
      if (!ev.charge(s.size() / 64)) return nullptr;
      slot = Value::array(std::move(parts));
      return &slot;
    }
    default:
      return nullptr;
  }
}

const Value* array_method(Evaluator& ev, Method m, const Node& step, const Value& receiver,
                          Value& slot) {
  const Array& items = receiver.as_array();
  switch (m) {
    case Method::Includes: {
      Value s;
      const Value* x = ev.arg(step, 0, s, "includes");
      if (x == nullptr) return nullptr;
      if (!ev.charge(items.size())) return nullptr;
      for (const Value& e : items) {
        const Equality eq = equals(e, *x);
        if (eq == Equality::True) return &bool_value(true);
        if (eq == Equality::TooDeep) return ev.fail("value nested too deeply");
      }
      return &bool_value(false);
    }
    case Method::Join: {
      std::string sep;
      if (!text_arg(ev, step, m, 0, sep)) return nullptr;
      if (!ev.charge(items.size())) return nullptr;
      std::string out;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += sep;
        if (!ev.append_text(out, items[i])) return nullptr;
        if (out.size() > kMaxStringLength) return ev.fail("string result too long");
      }
      return store_string(ev, std::move(out), slot);
    }
    case Method::Reverse:
      if (!ev.charge(items.size())) return nullptr;
      slot = Value::array(Array(items.rbegin(), items.rend()));
      return &slot;
    case Method::First:
      return items.empty() ? &null_value() : &items.front();
    case Method::Last:
      return items.empty() ? &null_value() : &items.back();
    case Method::Concat: {
      // Charged before each copy: the same large array may be passed many
      // times.
      if (!ev.charge(items.size())) return nullptr;
      Array out = items;
      for (std::size_t i = 0; i < ev.argc(step); ++i) {
        Value s;
        const Value* x = ev.arg(step, i, s, "concat");
        if (x == nullptr) return nullptr;
        if (x->is_array()) {
          if (!ev.charge(x->as_array().size())) return nullptr;
          run_memory::ensure_available(
              saturating_mul(out.size() + x->as_array().size(), sizeof(Value)));
          out.insert(out.end(), x->as_array().begin(), x->as_array().end());
        } else {
          if (!ev.charge(1)) return nullptr;
          out.push_back(x == &s ? std::move(s) : *x);
        }
      }
      slot = Value::array(std::move(out));
      return &slot;
    }
    default:
      return nullptr;
  }
}

}  // namespace

const Value* call_method(Evaluator& ev, const Node& step, const Value& receiver, Value& slot) {
  const auto m = static_cast<Method>(step.op);
  switch (m) {
    case Method::ToUpperCase:
    case Method::ToLowerCase:
    case Method::Trim:
    case Method::StartsWith:
    case Method::EndsWith:
    case Method::Replace:
    case Method::Split:
      if (!receiver.is_string()) return wrong_receiver(ev, m, "strings", receiver);
      return string_method(ev, m, step, receiver, slot);
    case Method::Includes:
      if (receiver.is_string()) return string_method(ev, m, step, receiver, slot);
      if (receiver.is_array()) return array_method(ev, m, step, receiver, slot);
      return wrong_receiver(ev, m, "strings or arrays", receiver);
    default:
      if (!receiver.is_array()) return wrong_receiver(ev, m, "arrays", receiver);
      return array_method(ev, m, step, receiver, slot);
  }
}

}  // namespace thaiyyal::expr
