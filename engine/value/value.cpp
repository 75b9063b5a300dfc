#include "engine/value/value.hpp"

#include <algorithm>
#include <limits>
#include <new>
#include <utility>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"

namespace thaiyyal {

namespace detail {
namespace {

// Every box kind fits one block size, so one free list serves them all.
constexpr std::size_t kBoxBlock = 40;
static_assert(sizeof(StringBox) <= kBoxBlock && sizeof(ArrayBox) <= kBoxBlock &&
              sizeof(ObjectBox) <= kBoxBlock);
// At most this many free blocks are kept per thread (80 KB).
constexpr std::uint32_t kMaxFreeBoxes = 2048;

struct FreeBox {
  FreeBox* next;
};
// Set once the thread's free list is destroyed (thread exit): boxes released
// after that (by other thread-local or static destructors) go to the heap.
// initial-exec: these are touched for every box, and in the extension (a
// dlopen'ed -fPIC library) the default TLS model would call __tls_get_addr
// each time; 16 bytes fit glibc's static TLS reserve for dlopen'ed modules.
[[gnu::tls_model("initial-exec")]] thread_local bool box_pool_closed = false;

struct BoxPool {
  FreeBox* head = nullptr;
  std::uint32_t count = 0;
  ~BoxPool() {
    box_pool_closed = true;
    while (head != nullptr) {
      FreeBox* next = head->next;
      ::operator delete(head, kBoxBlock);
      head = next;
    }
  }
};
[[gnu::tls_model("initial-exec")]] thread_local BoxPool box_pool;

using run_memory::string_heap_bytes;

std::uint64_t object_heap_bytes(const Object& object) {
  std::uint64_t bytes = object.entries().capacity() * sizeof(Object::Entry);
  for (const auto& entry : object) bytes += string_heap_bytes(entry.first.capacity());
  return bytes;
}

// The charge, in kChargeUnit units, of a box of `payload_bytes` beyond its
// block. Beyond 32 GiB in one box the charge saturates; any real limit is
// lower.
std::uint32_t charge_units(std::uint64_t payload_bytes) {
  constexpr std::uint64_t kMaxUnits = std::numeric_limits<std::uint32_t>::max();
  if (payload_bytes >= (kMaxUnits - kBoxBlock) * kChargeUnit) return kMaxUnits;
  return static_cast<std::uint32_t>((kBoxBlock + payload_bytes + kChargeUnit - 1) / kChargeUnit);
}

void release_charge(std::uint32_t units) noexcept {
  if (units != 0) run_memory::release(std::uint64_t{units} * kChargeUnit);
}

// Charge, then allocate: a box that does not fit the run's budget is never
// built. `payload_bytes()` (what the box holds beyond its block) is only
// computed inside a run: outside one, a box costs one thread-local load more.
template <class B, class SizeFn, class... Args>
B* new_box(SizeFn payload_bytes, Args&&... args) {
  RunMemoryBudget* const budget = run_memory::current();
  if (budget == nullptr) return new B(std::forward<Args>(args)...);  // charge 0
  const std::uint32_t units = charge_units(payload_bytes());
  budget->charge(std::uint64_t{units} * kChargeUnit);
  B* box;
  try {
    box = new B(std::forward<Args>(args)...);
  } catch (...) {
    release_charge(units);
    throw;
  }
  box->charge = units;
  return box;
}

}  // namespace

void* allocate_box(std::size_t size) {
  if (size > kBoxBlock) return ::operator new(size);
  if (!box_pool_closed) {
    if (FreeBox* box = box_pool.head) {
      box_pool.head = box->next;
      --box_pool.count;
      return box;
    }
  }
  return ::operator new(kBoxBlock);
}

void free_box(void* p, std::size_t size) noexcept {
  if (size <= kBoxBlock) {
    if (!box_pool_closed && box_pool.count < kMaxFreeBoxes) {
      box_pool.head = new (p) FreeBox{box_pool.head};
      ++box_pool.count;
      return;
    }
    ::operator delete(p, kBoxBlock);
    return;
  }
  ::operator delete(p, size);
}

}  // namespace detail

Value Value::string(std::string s) {
  return boxed_value(Kind::String, detail::new_box<detail::StringBox>(
                                       [&s] { return run_memory::string_heap_bytes(s.capacity()); },
                                       std::move(s)));
}

Value Value::string(std::string_view s) {
  return boxed_value(Kind::String, detail::new_box<detail::StringBox>(
                                       [s] { return run_memory::string_heap_bytes(s.size()); }, s));
}

Value Value::json_number(std::string literal) {
  return boxed_value(Kind::JsonNumber,
                     detail::new_box<detail::StringBox>(
                         [&literal] { return run_memory::string_heap_bytes(literal.capacity()); },
                         std::move(literal)));
}

Value Value::array(Array items) {
  return boxed_value(Kind::Array,
                     detail::new_box<detail::ArrayBox>(
                         [&items] { return items.capacity() * sizeof(Value); }, std::move(items)));
}

Value Value::nil_array() {
  Value v = array();
  v.flag_ = true;
  return v;
}

Value Value::record_list(Array records) {
  return boxed_value(
      Kind::RecordList,
      detail::new_box<detail::ArrayBox>([&records] { return records.capacity() * sizeof(Value); },
                                        std::move(records)));
}

Value Value::object(Object obj) {
  return boxed_value(Kind::Object,
                     detail::new_box<detail::ObjectBox>(
                         [&obj] { return detail::object_heap_bytes(obj); }, std::move(obj)));
}

Value Value::empty_object() {
  return object(Object());
}

void Value::destroy() noexcept {
  if (kind_ == Kind::String || kind_ == Kind::JsonNumber) {
    detail::release_charge(u_.box->charge);
    delete static_cast<detail::StringBox*>(u_.box);
    return;
  }
  // Containers that die with this one are freed recursively down to a
  // bounded depth and from a work list below it, so that dropping a value
  // nested a million levels deep (a reduce can build one) cannot overflow
  // the stack, while a shallow value frees without allocating.
  PendingBoxes pending;
  destroy_container(kind_, u_.box, 0, pending);
  while (!pending.empty()) {
    const auto [kind, box] = pending.back();
    pending.pop_back();
    destroy_container(kind, box, 0, pending);
  }
}

void Value::destroy_container(Kind kind, detail::Box* box, unsigned depth,
                              PendingBoxes& pending) noexcept {
  constexpr unsigned kMaxRecursion = 64;
  // Children that are containers are detached before their parent is
  // deleted, so the parent's destructor never recurses into them; strings
  // are freed by it.
  auto detach = [&](Value& child) {
    if (child.kind_ != Kind::Array && child.kind_ != Kind::RecordList &&
        child.kind_ != Kind::Object) {
      return;
    }
    detail::Box* child_box = child.u_.box;
    const Kind child_kind = child.kind_;
    child.kind_ = Kind::Null;
    child.u_.box = nullptr;
    if (child_box == nullptr || --child_box->refs != 0) return;
    if (depth < kMaxRecursion) {
      destroy_container(child_kind, child_box, depth + 1, pending);
    } else {
      pending.emplace_back(child_kind, child_box);
    }
  };
  if (kind == Kind::Object) {
    auto* object_box = static_cast<detail::ObjectBox*>(box);
    // The box is being destroyed: its entries may be modified.
    auto& entries = const_cast<std::vector<Object::Entry>&>(object_box->object.entries());
    for (auto& entry : entries) detach(entry.second);
    detail::release_charge(box->charge);
    delete object_box;
  } else {
    auto* array_box = static_cast<detail::ArrayBox*>(box);
    for (Value& child : array_box->items) detach(child);
    detail::release_charge(box->charge);
    delete array_box;
  }
}

Array& Value::mutable_array() {
  flag_ = false;
  auto* box = static_cast<detail::ArrayBox*>(u_.box);
  if (box->refs > 1) {
    auto* copy = detail::new_box<detail::ArrayBox>(
        [box] { return box->items.size() * sizeof(Value); }, box->items);
    --box->refs;
    u_.box = copy;
    box = copy;
  }
  return box->items;
}

Object& Value::mutable_object() {
  auto* box = static_cast<detail::ObjectBox*>(u_.box);
  if (box->refs > 1) {
    auto* copy = detail::new_box<detail::ObjectBox>(
        [box] { return detail::object_heap_bytes(box->object); }, box->object);
    --box->refs;
    u_.box = copy;
    box = copy;
  }
  return box->object;
}

const Value* Value::find(std::string_view key) const {
  if (kind_ != Kind::Object) return nullptr;
  return as_object().find(key);
}

namespace {
struct KeyLess {
  bool operator()(const Object::Entry& e, std::string_view key) const {
    return key_less(e.first, key);
  }
};
}  // namespace

Object Object::from_entries(std::vector<Entry> entries) {
  // A stable sort keeps payload order among equal keys; keeping the last of
  // each run gives "last one wins" for duplicates. Small objects (node
  // outputs, jsonb objects) are insertion-sorted: no temporary buffer.
  auto entry_less = [](const Entry& a, const Entry& b) { return key_less(a.first, b.first); };
  if (entries.size() > 16) {
    std::stable_sort(entries.begin(), entries.end(), entry_less);
  } else {
    for (std::size_t i = 1; i < entries.size(); ++i) {
      if (!entry_less(entries[i], entries[i - 1])) continue;
      Entry moving = std::move(entries[i]);
      std::size_t j = i;
      do {
        entries[j] = std::move(entries[j - 1]);
        --j;
      } while (j > 0 && entry_less(moving, entries[j - 1]));
      entries[j] = std::move(moving);
    }
  }
  // Drop all but the last of each run of equal keys, in place.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && key_equal(entries[i + 1].first, entries[i].first)) continue;
    if (kept != i) entries[kept] = std::move(entries[i]);
    ++kept;
  }
  entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(kept), entries.end());
  Object obj;
  obj.entries_ = std::move(entries);
  return obj;
}

const Value* Object::find(std::string_view key) const {
  if (entries_.size() <= 8) {
    for (const auto& e : entries_) {
      if (key_equal(e.first, key)) return &e.second;
    }
    return nullptr;
  }
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key, KeyLess{});
  if (it != entries_.end() && it->first == key) return &it->second;
  return nullptr;
}

void Object::set(std::string key, Value value) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), std::string_view(key), KeyLess{});
  if (it != entries_.end() && it->first == key) {
    it->second = std::move(value);
  } else {
    entries_.emplace(it, std::move(key), std::move(value));
  }
}

void Object::append_sorted(std::string key, Value value) {
  if (entries_.empty() || key_less(entries_.back().first, key)) {
    entries_.emplace_back(std::move(key), std::move(value));
  } else {
    set(std::move(key), std::move(value));
  }
}

bool Object::erase(std::string_view key) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key, KeyLess{});
  if (it == entries_.end() || it->first != key) return false;
  entries_.erase(it);
  return true;
}

Value make_object(std::vector<Object::Entry> entries) {
  return Value::object(Object::from_entries(std::move(entries)));
}

std::string_view go_type_name(const Value& v) {
  switch (v.kind()) {
    case Kind::Null:
      return "<nil>";
    case Kind::Bool:
      return "bool";
    case Kind::Number:
      return "float64";
    case Kind::Int:
      return "int";
    case Kind::String:
      return "string";
    case Kind::Array:
      return "[]interface {}";
    case Kind::Object:
      return "map[string]interface {}";
    case Kind::RecordList:
      return "[]map[string]interface {}";
    case Kind::Time:
      return "time.Time";
    case Kind::JsonNumber:
      return "json.Number";
  }
  return "<nil>";
}

bool deep_equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.is_array() || a.is_record_list() || a.is_object()) {
    check_stack_depth();
    poll_interrupts();
  }
  switch (a.kind()) {
    case Kind::Null:
      return true;
    case Kind::Bool:
      return a.as_bool() == b.as_bool();
    case Kind::Number:
      return a.as_number() == b.as_number();
    case Kind::Int:
    case Kind::Time:
      return a.as_int() == b.as_int();
    case Kind::String:
    case Kind::JsonNumber:
      return a.as_string() == b.as_string();
    case Kind::Array:
    case Kind::RecordList: {
      const Array& x = a.as_array();
      const Array& y = b.as_array();
      if (x.size() != y.size() || a.is_nil_array() != b.is_nil_array()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!deep_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::Object: {
      const Object& x = a.as_object();
      const Object& y = b.as_object();
      if (x.size() != y.size()) return false;
      auto xi = x.begin();
      auto yi = y.begin();
      for (; xi != x.end(); ++xi, ++yi) {
        if (xi->first != yi->first || !deep_equal(xi->second, yi->second)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace thaiyyal
