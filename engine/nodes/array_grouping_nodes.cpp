// Array ordering and grouping nodes (nodes.md): sort, group_by, unique.
#include <map>
#include <optional>
#include <unordered_set>

#include "engine/common/run_memory.hpp"
#include "engine/go/fmt.hpp"
#include "engine/go/unicode.hpp"
#include "engine/nodes/array_util.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

using array_util::not_an_array;

// --- sort ------------------------------------------------------------------

// Go's sort.SliceStable (sort/zsortfunc.go: stable_func, insertionSort_func,
// symMerge_func, rotate_func, swapRange_func), ported operation for
// operation. The exact sequence of Less/Swap calls matters because the
// `sort` node's descending comparator is not a strict weak order
// (values.md §9). `Data` provides less(i, j) and swap(i, j).
template <typename Data>
class GoStableSort {
 public:
  explicit GoStableSort(Data& data) : data_(data) {}

  void sort(std::int64_t n) {
    std::int64_t block_size = 20;
    std::int64_t a = 0;
    std::int64_t b = block_size;
    while (b <= n) {
      insertion_sort(a, b);
      a = b;
      b += block_size;
    }
    insertion_sort(a, n);
    while (block_size < n) {
      a = 0;
      b = 2 * block_size;
      while (b <= n) {
        sym_merge(a, a + block_size, b);
        a = b;
        b += 2 * block_size;
      }
      if (std::int64_t m = a + block_size; m < n) sym_merge(a, m, n);
      block_size *= 2;
    }
  }

 private:
  void insertion_sort(std::int64_t a, std::int64_t b) {
    for (std::int64_t i = a + 1; i < b; ++i) {
      for (std::int64_t j = i; j > a && data_.less(j, j - 1); --j) data_.swap(j, j - 1);
    }
  }

  // Recursion depth is O(log n): each call halves [a, b).
  void sym_merge(std::int64_t a, std::int64_t m, std::int64_t b) {
    if (m - a == 1) {
      std::int64_t i = m;
      std::int64_t j = b;
      while (i < j) {
        std::int64_t h = static_cast<std::int64_t>(static_cast<std::uint64_t>(i + j) >> 1);
        if (data_.less(h, a)) {
          i = h + 1;
        } else {
          j = h;
        }
      }
      for (std::int64_t k = a; k < i - 1; ++k) data_.swap(k, k + 1);
      return;
    }
    if (b - m == 1) {
      std::int64_t i = a;
      std::int64_t j = m;
      while (i < j) {
        std::int64_t h = static_cast<std::int64_t>(static_cast<std::uint64_t>(i + j) >> 1);
        if (!data_.less(m, h)) {
          i = h + 1;
        } else {
          j = h;
        }
      }
      for (std::int64_t k = m; k > i; --k) data_.swap(k, k - 1);
      return;
    }
    const std::int64_t mid = static_cast<std::int64_t>(static_cast<std::uint64_t>(a + b) >> 1);
    const std::int64_t n = mid + m;
    std::int64_t start;
    std::int64_t r;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const std::int64_t p = n - 1;
    while (start < r) {
      std::int64_t c = static_cast<std::int64_t>(static_cast<std::uint64_t>(start + r) >> 1);
      if (!data_.less(p - c, c)) {
        start = c + 1;
      } else {
        r = c;
      }
    }
    const std::int64_t end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) sym_merge(a, start, mid);
    if (mid < end && end < b) sym_merge(mid, end, b);
  }

  void rotate(std::int64_t a, std::int64_t m, std::int64_t b) {
    std::int64_t i = m - a;
    std::int64_t j = b - m;
    while (i != j) {
      if (i > j) {
        swap_range(m - i, m, j);
        i -= j;
      } else {
        swap_range(m - i, m + j - i, i);
        j -= i;
      }
    }
    swap_range(m - i, m, i);
  }

  void swap_range(std::int64_t a, std::int64_t b, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) data_.swap(a + i, b + i);
  }

  Data& data_;
};

// The reference's compareValuesHelper (nodes.md#sort): nulls first, then
// same-kind comparisons for float64/float64, int/int, string/string and
// bool/bool, otherwise the `%v` texts.
class SortKeys {
 public:
  SortKeys(std::vector<Value> keys, bool descending, const RunContext& run)
      : keys_(std::move(keys)), texts_(keys_.size()), descending_(descending), poll_(run.host()) {
    perm_.resize(keys_.size());
    for (std::size_t i = 0; i < perm_.size(); ++i) perm_[i] = i;
  }

  // Positions are indices into the array being sorted.
  bool less(std::int64_t i, std::int64_t j) {
    poll_.tick();
    const bool l = key_less(perm_[static_cast<std::size_t>(i)], perm_[static_cast<std::size_t>(j)]);
    return descending_ ? !l : l;
  }
  void swap(std::int64_t i, std::int64_t j) {
    poll_.tick();
    std::swap(perm_[static_cast<std::size_t>(i)], perm_[static_cast<std::size_t>(j)]);
  }
  // perm()[k] = input index of the element now at position k.
  const std::vector<std::size_t>& perm() const { return perm_; }

 private:
  bool key_less(std::size_t x, std::size_t y) {
    const Value& a = keys_[x];
    const Value& b = keys_[y];
    if (a.is_null() && b.is_null()) return false;
    if (a.is_null()) return true;
    if (b.is_null()) return false;
    if (a.is_number() && b.is_number()) return a.as_number() < b.as_number();
    if (a.is_int() && b.is_int()) return a.as_int() < b.as_int();
    if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
    if (a.is_bool() && b.is_bool()) return !a.as_bool() && b.as_bool();
    return text(x) < text(y);  // byte-wise, as Go string comparison
  }
  // The `%v` text of a key, computed once (and charged to the run's memory
  // budget: keys that share one large value each get a text of their own).
  const std::string& text(std::size_t x) {
    if (!texts_[x]) {
      texts_[x] = go_v(keys_[x]);
      texts_memory_.add(run_memory::string_heap_bytes(texts_[x]->capacity()));
    }
    return *texts_[x];
  }

  std::vector<Value> keys_;
  std::vector<std::optional<std::string>> texts_;
  run_memory::ScopedCharge texts_memory_;
  std::vector<std::size_t> perm_;
  bool descending_;
  InterruptPoll poll_;
};

class SortExecutor final : public NodeExecutor {
 public:
  explicit SortExecutor(const NodeData& data)
      : field_(data.string_or("field", "")),
        // Go strings.ToLower; any order other than "desc" sorts ascending
        // and is echoed as given (lower-cased).
        order_(go::unicode::to_lower(data.string_or("order", "asc"))) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("sort node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    const Array& items = input.as_array();

    std::vector<Value> keys;
    keys.reserve(items.size());
    for (const Value& item : items) {
      if (field_.empty()) {
        keys.push_back(item);
      } else {
        // A non-object or an object without the field sorts as null.
        const Value* v = item.find(field_);
        keys.push_back(v != nullptr ? *v : Value());
      }
    }
    SortKeys sort_keys(std::move(keys), order_ == "desc", run);
    GoStableSort<SortKeys>(sort_keys).sort(static_cast<std::int64_t>(items.size()));

    Array sorted;
    sorted.reserve(items.size());
    for (std::size_t index : sort_keys.perm()) sorted.push_back(items[index]);
    Object obj;
    obj.reserve(4);
    obj.append_sorted("count", integer(static_cast<std::int64_t>(sorted.size())));
    obj.append_sorted("field", Value::string(field_));
    obj.append_sorted("order", Value::string(order_));
    obj.append_sorted("sorted", Value::array(std::move(sorted)));
    return Value::object(std::move(obj));
  }

 private:
  std::string field_;
  std::string order_;
};

// --- group_by --------------------------------------------------------------

enum class Aggregate { Count, Sum, Avg, Min, Max, Values, Unknown };

Aggregate parse_aggregate(const std::string& name) {
  if (name == "count") return Aggregate::Count;
  if (name == "sum") return Aggregate::Sum;
  if (name == "avg") return Aggregate::Avg;
  if (name == "min") return Aggregate::Min;
  if (name == "max") return Aggregate::Max;
  if (name == "values") return Aggregate::Values;
  return Aggregate::Unknown;
}

const char* aggregate_key(Aggregate a) {
  switch (a) {
    case Aggregate::Count:
      return "counts";
    case Aggregate::Sum:
      return "sums";
    case Aggregate::Avg:
      return "averages";
    case Aggregate::Min:
      return "minimums";
    case Aggregate::Max:
      return "maximums";
    default:
      return "values";
  }
}

class GroupByExecutor final : public NodeExecutor {
 public:
  explicit GroupByExecutor(const NodeData& data)
      : field_(data.string_or("field", "")),
        aggregate_name_(data.string_or("aggregate", "count")),
        aggregate_(parse_aggregate(aggregate_name_)),
        value_field_(data.string_or("value_field", "")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("group_by node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    if (field_.empty()) throw NodeError("group_by node requires 'field' string");
    if (aggregate_ == Aggregate::Unknown) {
      throw NodeError("unknown aggregate function: " + aggregate_name_);
    }
    const Array& items = input.as_array();

    // Group keys are `%v` texts (values.md §4); groups keep input order.
    InterruptPoll poll(run.host());
    std::map<std::string, Array> groups;
    run_memory::ScopedCharge keys_memory;  // the group keys (texts of any size)
    for (const Value& item : items) {
      poll.tick();
      std::string key;
      if (item.is_object()) {
        const Value* v = item.find(field_);
        key = v != nullptr ? go_v(*v) : std::string("<missing>");
      } else {
        key = go_v(item);
      }
      auto [group, added] = groups.try_emplace(std::move(key));
      if (added) keys_memory.add(run_memory::string_heap_bytes(group->first.capacity()));
      group->second.push_back(item);
    }

    std::vector<Object::Entry> aggregated;
    std::vector<Object::Entry> group_entries;
    aggregated.reserve(groups.size());
    group_entries.reserve(groups.size());
    for (auto& [key, members] : groups) {
      aggregated.emplace_back(key, aggregate(members, poll));
      group_entries.emplace_back(key, Value::array(std::move(members)));
    }

    Object obj;
    obj.set("aggregate", Value::string(aggregate_name_));
    obj.set("field", Value::string(field_));
    obj.set("group_count", integer(static_cast<std::int64_t>(group_entries.size())));
    obj.set("groups", Value::object(Object::from_entries(std::move(group_entries))));
    obj.set("input_count", integer(static_cast<std::int64_t>(items.size())));
    obj.set(aggregate_key(aggregate_), Value::object(Object::from_entries(std::move(aggregated))));
    return Value::object(std::move(obj));
  }

 private:
  Value aggregate(const Array& members, InterruptPoll& poll) const {
    if (aggregate_ == Aggregate::Count) return integer(static_cast<std::int64_t>(members.size()));
    if (aggregate_ == Aggregate::Values) return Value::array(members);
    // Only object members with a float64 or int `value_field` participate.
    double sum = 0;
    std::int64_t count = 0;
    std::optional<double> extreme;
    for (const Value& member : members) {
      poll.tick();
      const Value* v = member.is_object() ? member.find(value_field_) : nullptr;
      if (v == nullptr || !v->is_numeric()) continue;
      const double d = v->as_double();
      sum += d;
      ++count;
      if (!extreme || (aggregate_ == Aggregate::Min ? d < *extreme : d > *extreme)) extreme = d;
    }
    switch (aggregate_) {
      case Aggregate::Sum:
        return Value::number(sum);
      case Aggregate::Avg:
        return Value::number(count > 0 ? sum / static_cast<double>(count) : 0.0);
      default:  // Min, Max
        return extreme ? Value::number(*extreme) : Value();
    }
  }

  std::string field_;
  std::string aggregate_name_;
  Aggregate aggregate_;
  std::string value_field_;
};

// --- unique ----------------------------------------------------------------

class UniqueExecutor final : public NodeExecutor {
 public:
  explicit UniqueExecutor(const NodeData& data) : field_(data.string_or("field", "")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("unique node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    const Array& items = input.as_array();

    // Keys are `%v` texts, so 1, "1" and 1.0 collide. With a field, an
    // object lacking it gets a key of its own (the reference uses the
    // map's address) and is always kept.
    InterruptPoll poll(run.host());
    std::unordered_set<std::string> seen;
    run_memory::ScopedCharge seen_memory;  // the keys kept (texts of any size)
    auto first_time = [&](std::string key) {
      auto [it, added] = seen.insert(std::move(key));
      if (added) seen_memory.add(run_memory::string_heap_bytes(it->capacity()));
      return added;
    };
    Array unique;
    for (const Value& item : items) {
      poll.tick();
      if (!field_.empty() && item.is_object()) {
        const Value* v = item.find(field_);
        if (v == nullptr) {
          unique.push_back(item);
          continue;
        }
        if (first_time(go_v(*v))) unique.push_back(item);
        continue;
      }
      if (first_time(go_v(item))) unique.push_back(item);
    }
    const auto n = static_cast<std::int64_t>(items.size());
    const auto k = static_cast<std::int64_t>(unique.size());
    Object obj;
    obj.reserve(4);
    obj.append_sorted("input_count", integer(n));
    obj.append_sorted("output_count", integer(k));
    obj.append_sorted("removed", integer(n - k));
    obj.append_sorted("unique", appended_slice(std::move(unique)));
    return Value::object(std::move(obj));
  }

 private:
  std::string field_;
};

template <typename Executor>
std::unique_ptr<NodeExecutor> build(const NodeData& data) {
  return std::make_unique<Executor>(data);
}

}  // namespace

void register_array_grouping_nodes(NodeRegistry& registry) {
  registry.add(NodeTypeInfo{"sort",
                            "SortData",
                            {field("field", FieldType::String), field("order", FieldType::String)},
                            nullptr,
                            build<SortExecutor>});
  registry.add(
      NodeTypeInfo{"group_by",
                   "GroupByData",
                   {field("field", FieldType::String), field("aggregate", FieldType::String),
                    field("value_field", FieldType::String)},
                   THAIYYAL_REQUIRE_FIELD("field"),
                   build<GroupByExecutor>});
  registry.add(NodeTypeInfo{
      "unique", "UniqueData", {field("field", FieldType::String)}, nullptr, build<UniqueExecutor>});
}

}  // namespace thaiyyal
