// Array functions (language.md §6.2).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/common/checked_size.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/expr/compare.hpp"
#include "engine/expr/evaluator.hpp"
#include "engine/go/json.hpp"

namespace thaiyyal::expr {

namespace {

std::string requires_array(std::string_view fname, const Value& v) {
  std::string m(fname);
  m += "() requires an array, got ";
  m += kind_name(v);
  return m;
}

// A double truncated toward zero and clamped into a safe integer range.
std::int64_t truncate(double d) {
  if (std::isnan(d)) return 0;
  if (d > 9.0e15) return static_cast<std::int64_t>(9.0e15);
  if (d < -9.0e15) return static_cast<std::int64_t>(-9.0e15);
  return static_cast<std::int64_t>(std::trunc(d));
}

std::uint64_t log2_ceil(std::size_t n) {
  std::uint64_t bits = 0;
  while ((std::size_t{1} << bits) < n && bits < 63) ++bits;
  return bits;
}

// map(arr, e): `e` once per element with the element as current value and
// `index` as its position; the outer bindings otherwise stay visible.
const Value* map_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* arr = ev.arg(call, 0, s, "map");
  if (arr == nullptr) return nullptr;
  if (!arr->is_array() && !arr->is_record_list()) {
    return ev.fail("map() first argument must be an array, got " + std::string(kind_name(*arr)));
  }
  const Array& items = arr->as_array();
  const NodeIndex body = ev.ast().items(call)[1].node;
  const Scope* outer = &ev.scope();
  struct Restore {
    Evaluator& ev;
    const Scope* scope;
    ~Restore() { ev.set_scope(scope); }
  } restore{ev, outer};
  Scope inner = *outer;
  Value index;
  inner.index = &index;
  ev.set_scope(&inner);
  Array out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    index = Value::number(static_cast<double>(i));
    inner.current = &items[i];
    Value r;
    const Value* v = ev.eval(body, r);
    if (v == nullptr) return ev.wrap("map() item expression failed: ");
    out.push_back(v == &r ? std::move(r) : *v);
  }
  slot = Value::array(std::move(out));
  return &slot;
}

const Value* sort_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* v = ev.arg(call, 0, s, "sort");
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return ev.fail(requires_array("sort", *v));
  if (!depth_within(*v, kMaxValueDepth)) return ev.fail("value nested too deeply");
  const Array& items = v->as_array();
  const std::size_t n = items.size();
  if (!ev.charge(saturating_mul(n, 1 + log2_ceil(n)))) return nullptr;
  // Objects order by their compact JSON text: compute it once per element
  // (charged to the run's memory budget: elements may all share one large
  // object).
  std::vector<std::string> texts;
  run_memory::ScopedCharge texts_memory;
  const bool any_object =
      std::any_of(items.begin(), items.end(), [](const Value& e) { return e.is_object(); });
  if (any_object) {
    texts.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!items[i].is_object()) continue;
      try {
        write_json(texts[i], items[i], JsonStyle::Plain);
      } catch (const JsonWriteError&) {
        texts[i].clear();
      }
      texts_memory.add(run_memory::string_heap_bytes(texts[i].capacity()));
    }
  }
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    if (any_object && items[x].is_object() && items[y].is_object()) return texts[x] < texts[y];
    return sort_compare(items[x], items[y]) < 0;
  });
  Array out;
  out.reserve(n);
  for (std::uint32_t i : order) out.push_back(items[i]);
  slot = Value::array(std::move(out));
  return &slot;
}

const Value* reverse_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* v = ev.arg(call, 0, s, "reverse");
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return ev.fail(requires_array("reverse", *v));
  const Array& items = v->as_array();
  if (!ev.charge(items.size())) return nullptr;
  slot = Value::array(Array(items.rbegin(), items.rend()));
  return &slot;
}

// Keeps an element unless it is == (§5.3) to an element already kept.
const Value* unique_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* v = ev.arg(call, 0, s, "unique");
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return ev.fail(requires_array("unique", *v));
  if (!depth_within(*v, kMaxValueDepth)) return ev.fail("value nested too deeply");
  const Array& items = v->as_array();
  if (!ev.charge(items.size())) return nullptr;
  Array out;
  std::unordered_multimap<std::uint64_t, std::uint32_t> seen;
  seen.reserve(items.size());
  for (const Value& e : items) {
    const std::uint64_t h = equality_hash(e);
    auto range = seen.equal_range(h);
    bool duplicate = false;
    for (auto it = range.first; it != range.second; ++it) {
      if (!ev.charge(1)) return nullptr;
      if (equals(out[it->second], e) == Equality::True) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    seen.emplace(h, static_cast<std::uint32_t>(out.size()));
    out.push_back(e);
  }
  slot = Value::array(std::move(out));
  return &slot;
}

bool flatten_into(Evaluator& ev, const Array& items, Array& out) {
  if (!ev.charge(items.size())) return false;
  check_stack_depth();
  for (const Value& e : items) {
    if (e.is_array()) {
      if (!flatten_into(ev, e.as_array(), out)) return false;
    } else {
      run_memory::ensure_room_to_append(out);
      out.push_back(e);
    }
  }
  return true;
}

const Value* flatten_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* v = ev.arg(call, 0, s, "flatten");
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return ev.fail(requires_array("flatten", *v));
  if (!depth_within(*v, kMaxValueDepth)) return ev.fail("value nested too deeply");
  Array out;
  if (!flatten_into(ev, v->as_array(), out)) return nullptr;
  slot = Value::array(std::move(out));
  return &slot;
}

const Value* slice_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* v = ev.arg(call, 0, s, "slice");
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return ev.fail(requires_array("slice", *v));
  const Array& items = v->as_array();
  const auto len = static_cast<std::int64_t>(items.size());
  auto bound = [len](double d) {
    std::int64_t i = truncate(d);
    if (i < 0) i += len;
    return std::clamp<std::int64_t>(i, 0, len);
  };
  Value ss;
  const Value* start_value = ev.arg(call, 1, ss, "slice");
  if (start_value == nullptr) return nullptr;
  double d;
  if (!to_number(*start_value, d)) {
    return ev.fail("slice() start must be numeric, got " + std::string(kind_name(*start_value)));
  }
  const std::int64_t start = bound(d);
  std::int64_t end = len;
  if (ev.argc(call) == 3) {
    Value es;
    const Value* end_value = ev.arg(call, 2, es, "slice");
    if (end_value == nullptr) return nullptr;
    if (!to_number(*end_value, d)) {
      return ev.fail("slice() end must be numeric, got " + std::string(kind_name(*end_value)));
    }
    end = bound(d);
  }
  if (start >= end) {
    slot = Value::array();
    return &slot;
  }
  if (!ev.charge(static_cast<std::uint64_t>(end - start))) return nullptr;
  slot = Value::array(Array(items.begin() + start, items.begin() + end));
  return &slot;
}

// The reference's deterministic stepping rule.
const Value* sample_fn(Evaluator& ev, const Node& call, Value& slot) {
  Value s;
  const Value* v = ev.arg(call, 0, s, "sample");
  if (v == nullptr) return nullptr;
  if (!v->is_array()) return ev.fail(requires_array("sample", *v));
  Value ns;
  const Value* n_value = ev.arg(call, 1, ns, "sample");
  if (n_value == nullptr) return nullptr;
  double d;
  if (!to_number(*n_value, d)) {
    return ev.fail("sample() n must be numeric, got " + std::string(kind_name(*n_value)));
  }
  const std::int64_t n = truncate(d);
  if (n < 0) return ev.fail("sample() n must be non-negative, got " + std::to_string(n));
  const Array& items = v->as_array();
  const auto len = static_cast<std::int64_t>(items.size());
  if (!ev.charge(items.size())) return nullptr;
  Array out;
  if (n == 0) {
    // empty
  } else if (n >= len) {
    out = items;
    for (std::int64_t i = len - 1; i > 0; --i) {
      std::swap(out[static_cast<std::size_t>(i)], out[static_cast<std::size_t>((i + 1) / 2)]);
    }
  } else {
    const std::int64_t step = len / n;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n && i * step < len; ++i) {
      out.push_back(items[static_cast<std::size_t>(i * step)]);
    }
  }
  slot = Value::array(std::move(out));
  return &slot;
}

// zip pads to the longest array with null.
const Value* zip_fn(Evaluator& ev, const Node& call, Value& slot) {
  const std::size_t argc = ev.argc(call);
  std::vector<Value> slots(argc);
  std::vector<const Array*> arrays(argc);
  std::size_t longest = 0;
  for (std::size_t i = 0; i < argc; ++i) {
    const Value* v = ev.arg(call, i, slots[i], "zip");
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
      return ev.fail("zip() argument " + std::to_string(i) + " must be an array, got " +
                     std::string(kind_name(*v)));
    }
    arrays[i] = &v->as_array();
    longest = std::max(longest, arrays[i]->size());
  }
  if (!ev.charge(saturating_mul(longest, argc))) return nullptr;
  Array out;
  out.reserve(longest);
  for (std::size_t k = 0; k < longest; ++k) {
    Array tuple;
    tuple.reserve(argc);
    for (const Array* a : arrays) tuple.push_back(k < a->size() ? (*a)[k] : Value());
    out.push_back(Value::array(std::move(tuple)));
  }
  slot = Value::array(std::move(out));
  return &slot;
}

}  // namespace

const Value* call_array(Evaluator& ev, Function f, const Node& call, Value& slot) {
  switch (f) {
    case Function::Map:
      return map_fn(ev, call, slot);
    case Function::Sort:
      return sort_fn(ev, call, slot);
    case Function::Reverse:
      return reverse_fn(ev, call, slot);
    case Function::Unique:
      return unique_fn(ev, call, slot);
    case Function::Flatten:
      return flatten_fn(ev, call, slot);
    case Function::Slice:
      return slice_fn(ev, call, slot);
    case Function::Sample:
      return sample_fn(ev, call, slot);
    default:
      return zip_fn(ev, call, slot);
  }
}

}  // namespace thaiyyal::expr
