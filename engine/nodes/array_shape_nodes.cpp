// Array reshaping nodes (nodes.md): slice, reverse, chunk, compact, range,
// transpose, zip, sample, flat_map. None of them evaluates expressions.
#include <algorithm>
#include <cmath>
#include <random>

#include "engine/common/checked_size.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/go/strconv.hpp"
#include "engine/nodes/array_util.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

using array_util::go_add;
using array_util::int_field;
using array_util::not_an_array;

Value slice_of(const Array& items, std::size_t begin, std::size_t end) {
  return Value::array(Array(items.begin() + static_cast<std::ptrdiff_t>(begin),
                            items.begin() + static_cast<std::ptrdiff_t>(end)));
}

// --- slice -----------------------------------------------------------------

class SliceExecutor final : public NodeExecutor {
 public:
  explicit SliceExecutor(const NodeData& data)
      : start_(int_field(data, "start")),
        end_(int_field(data, "end")),
        length_(int_field(data, "length")) {}

  Value execute(RunContext&, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("slice node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    const Array& items = input.as_array();
    const auto n = static_cast<std::int64_t>(items.size());

    std::int64_t start = start_.value_or(0);
    if (start < 0) start = go_add(n, start);
    start = std::clamp<std::int64_t>(start, 0, n);

    std::int64_t end = n;
    if (end_) {
      end = *end_;
    } else if (length_) {
      end = go_add(start, *length_);
    }
    if (end < 0) end = go_add(n, end);
    end = std::clamp<std::int64_t>(end, 0, n);
    if (start > end) start = end;

    Object obj;
    obj.reserve(5);
    obj.append_sorted("end", integer(end));
    obj.append_sorted("input_count", integer(n));
    obj.append_sorted("output_count", integer(end - start));
    // Slicing a Go nil slice gives a nil slice; any other slice, a slice.
    obj.append_sorted("sliced", input.is_nil_array()
                                    ? Value::nil_array()
                                    : slice_of(items, static_cast<std::size_t>(start),
                                               static_cast<std::size_t>(end)));
    obj.append_sorted("start", integer(start));
    return Value::object(std::move(obj));
  }

 private:
  std::optional<std::int64_t> start_, end_, length_;
};

// --- reverse ---------------------------------------------------------------

Value reverse_node(RunContext&, const std::vector<Value>& inputs) {
  if (inputs.empty()) throw NodeError("reverse node needs at least 1 input");
  const Value& input = inputs[0];
  if (!input.is_array()) return not_an_array(input);
  const Array& items = input.as_array();
  Array reversed(items.rbegin(), items.rend());
  return out({{"count", integer(static_cast<std::int64_t>(reversed.size()))},
              {"reversed", Value::array(std::move(reversed))}});
}

// --- chunk -----------------------------------------------------------------

class ChunkExecutor final : public NodeExecutor {
 public:
  // A non-number size silently means 10 (the reference's default).
  explicit ChunkExecutor(const NodeData& data) : size_(int_field(data, "size").value_or(10)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("chunk node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    if (size_ <= 0) {
      throw NodeError("chunk size must be greater than 0, got " + std::to_string(size_));
    }
    const Array& items = input.as_array();
    const auto size = static_cast<std::uint64_t>(size_);
    Array chunks;
    InterruptPoll poll(run.host());
    for (std::size_t i = 0; i < items.size();) {
      poll.tick();
      const std::size_t end = items.size() - i > size ? i + size : items.size();
      chunks.push_back(slice_of(items, i, end));
      i = end;
    }
    Object obj;
    obj.reserve(4);
    obj.append_sorted("chunk_count", integer(static_cast<std::int64_t>(chunks.size())));
    obj.append_sorted("chunk_size", integer(size_));
    obj.append_sorted("chunks", appended_slice(std::move(chunks)));
    obj.append_sorted("input_count", integer(static_cast<std::int64_t>(items.size())));
    return Value::object(std::move(obj));
  }

 private:
  std::int64_t size_;
};

// --- compact ---------------------------------------------------------------

class CompactExecutor final : public NodeExecutor {
 public:
  explicit CompactExecutor(const NodeData& data)
      : remove_empty_(data.boolean("remove_empty").value_or(false)) {}

  Value execute(RunContext&, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("compact node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    const Array& items = input.as_array();
    Array kept;
    for (const Value& item : items) {
      // Only null, float64 NaN and (optionally) "" go: 0, false, [] and {}
      // stay. A Go int can never be NaN.
      const bool drop = item.is_null() || (item.is_number() && std::isnan(item.as_number())) ||
                        (remove_empty_ && item.is_string() && item.as_string().empty());
      if (!drop) kept.push_back(item);
    }
    const auto n = static_cast<std::int64_t>(items.size());
    const auto k = static_cast<std::int64_t>(kept.size());
    Object obj;
    obj.reserve(4);
    obj.append_sorted("compacted", appended_slice(std::move(kept)));
    obj.append_sorted("input_count", integer(n));
    obj.append_sorted("output_count", integer(k));
    obj.append_sorted("removed", integer(n - k));
    return Value::object(std::move(obj));
  }

 private:
  bool remove_empty_;
};

// --- range -----------------------------------------------------------------

constexpr std::size_t kMaxRangeItems = 10000;

class RangeExecutor final : public NodeExecutor {
 public:
  // Only JSON numbers are honoured; anything else takes the default.
  explicit RangeExecutor(const NodeData& data)
      : start_(data.number("start").value_or(0)),
        end_(data.number("end").value_or(10)),
        step_(data.number("step").value_or(1)) {}

  Value execute(RunContext&, const std::vector<Value>&) const override {
    if (step_ == 0) throw NodeError("range step cannot be 0");
    if (step_ > 0 && start_ > end_) {
      throw NodeError("range with positive step requires start <= end, got start=" +
                      go_float(start_) + " end=" + go_float(end_));
    }
    if (step_ < 0 && start_ < end_) {
      throw NodeError("range with negative step requires start >= end, got start=" +
                      go_float(start_) + " end=" + go_float(end_));
    }
    // Repeated floating-point addition, as the reference (0.1 steps drift).
    // The loop is bounded by the item cap even when the step is too small
    // to move the value.
    Array values;
    for (double v = start_; (step_ > 0 ? v <= end_ : v >= end_) && values.size() < kMaxRangeItems;
         v += step_) {
      values.push_back(Value::number(v));
    }
    if (values.size() >= kMaxRangeItems) {
      throw NodeError("range would generate more than 10000 items, adjust start/end/step");
    }
    Object obj;
    obj.reserve(5);
    obj.append_sorted("count", integer(static_cast<std::int64_t>(values.size())));
    obj.append_sorted("end", Value::number(end_));
    obj.append_sorted("range", appended_slice(std::move(values)));
    obj.append_sorted("start", Value::number(start_));
    obj.append_sorted("step", Value::number(step_));
    return Value::object(std::move(obj));
  }

 private:
  double start_, end_, step_;
};

// --- transpose -------------------------------------------------------------

Value transpose_node(RunContext& run, const std::vector<Value>& inputs) {
  if (inputs.empty()) throw NodeError("transpose node needs at least 1 input");
  const Value& input = inputs[0];
  if (!input.is_array()) return not_an_array(input);
  const Array& rows = input.as_array();
  if (rows.empty()) {
    return out({{"cols", integer(0)}, {"rows", integer(0)}, {"transposed", Value::array()}});
  }
  // Malformed matrices are reported in the output, not as errors.
  if (!rows[0].is_array()) {
    return out({{"error", str("input is not a 2D array (array of arrays)")},
                {"expected", str("array of arrays")},
                {"first_element", rows[0]}});
  }
  const std::size_t cols = rows[0].as_array().size();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row_index = static_cast<std::int64_t>(i);
    if (!rows[i].is_array()) {
      return out({{"error", str("row " + std::to_string(i) + " is not an array")},
                  {"row_index", integer(row_index)},
                  {"row_value", rows[i]}});
    }
    if (rows[i].as_array().size() != cols) {
      return out({{"actual_cols", integer(static_cast<std::int64_t>(rows[i].as_array().size()))},
                  {"error", str("all rows must have the same length")},
                  {"expected_cols", integer(static_cast<std::int64_t>(cols))},
                  {"row_index", integer(row_index)}});
    }
  }
  InterruptPoll poll(run.host());
  Array transposed;
  transposed.reserve(cols);
  for (std::size_t c = 0; c < cols; ++c) {
    Array column;
    column.reserve(rows.size());
    for (const Value& row : rows) {
      poll.tick();
      column.push_back(row.as_array()[c]);
    }
    transposed.push_back(Value::array(std::move(column)));
  }
  const auto r = static_cast<std::int64_t>(rows.size());
  const auto c = static_cast<std::int64_t>(cols);
  return out({{"cols", integer(c)},
              {"rows", integer(r)},
              {"transposed", Value::array(std::move(transposed))},
              {"transposed_cols", integer(r)},
              {"transposed_rows", integer(c)}});
}

// --- zip -------------------------------------------------------------------

class ZipExecutor final : public NodeExecutor {
 public:
  explicit ZipExecutor(const NodeData& data) {
    // Only a JSON array is honoured, and only its array elements.
    if (const Value* arrays = data.get("arrays"); arrays != nullptr && arrays->is_array()) {
      for (const Value& a : arrays->as_array()) {
        if (a.is_array()) configured_.push_back(a);
      }
    }
    if (const Value* fill = data.get("fill_missing")) fill_ = *fill;
  }

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    // Only in[0] is looked at, and only when it is an array; other inputs
    // are ignored.
    std::vector<const Array*> arrays;
    if (!inputs.empty() && inputs[0].is_array()) arrays.push_back(&inputs[0].as_array());
    for (const Value& a : configured_) arrays.push_back(&a.as_array());
    if (arrays.empty()) throw NodeError("zip node requires at least one array");

    std::size_t max_length = 0;
    for (const Array* a : arrays) max_length = std::max(max_length, a->size());
    InterruptPoll poll(run.host());
    Array zipped;
    zipped.reserve(max_length);
    for (std::size_t i = 0; i < max_length; ++i) {
      poll.tick();
      Array tuple;
      tuple.reserve(arrays.size());
      for (const Array* a : arrays) tuple.push_back(i < a->size() ? (*a)[i] : fill_);
      zipped.push_back(Value::array(std::move(tuple)));
    }
    const auto m = static_cast<std::int64_t>(max_length);
    Object obj;
    obj.reserve(4);
    obj.append_sorted("array_count", integer(static_cast<std::int64_t>(arrays.size())));
    obj.append_sorted("max_length", integer(m));
    obj.append_sorted("tuple_count", integer(m));
    obj.append_sorted("zipped", appended_slice(std::move(zipped)));
    return Value::object(std::move(obj));
  }

 private:
  std::vector<Value> configured_;
  Value fill_;
};

// --- sample ----------------------------------------------------------------

class SampleExecutor final : public NodeExecutor {
 public:
  // A non-number count silently means 1 (the reference's default).
  explicit SampleExecutor(const NodeData& data)
      : count_(int_field(data, "count").value_or(1)),
        method_(data.string_or("method", "random")),
        seed_(data.integer("seed")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("sample node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    if (count_ <= 0) {
      throw NodeError("sample count must be greater than 0, got " + std::to_string(count_));
    }
    const Array& items = input.as_array();
    const std::size_t n = items.size();
    const std::size_t k =
        static_cast<std::uint64_t>(count_) < n ? static_cast<std::size_t>(count_) : n;
    Array sample;
    if (method_ == "first") {
      sample.assign(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(k));
    } else if (method_ == "last") {
      sample.assign(items.end() - static_cast<std::ptrdiff_t>(k), items.end());
    } else if (method_ == "random") {
      if (k == n) {
        sample = items;  // count >= n: the whole array in input order
      } else {
        sample = random_sample(run, items, k);
      }
    } else {
      throw NodeError("unknown sample method: " + method_ +
                      " (must be 'random', 'first', or 'last')");
    }
    Object obj;
    obj.reserve(4);
    obj.append_sorted("input_count", integer(static_cast<std::int64_t>(n)));
    obj.append_sorted("method", Value::string(method_));
    obj.append_sorted("output_count", integer(static_cast<std::int64_t>(sample.size())));
    obj.append_sorted("sample", Value::array(std::move(sample)));
    return Value::object(std::move(obj));
  }

 private:
  // Partial Fisher-Yates shuffle of the indices, as the reference. The
  // reference seeds its generator from the clock, so its choice is not
  // reproducible. Our extension: an integer `seed` data field makes the
  // choice deterministic (a std::mt19937_64 seeded with it, whose sequence
  // the C++ standard fixes); without it the run's PRNG is used.
  Array random_sample(RunContext& run, const Array& items, std::size_t k) const {
    std::mt19937_64 seeded(static_cast<std::uint64_t>(seed_.value_or(0)));
    std::mt19937_64& rng = seed_ ? seeded : run.random();
    std::vector<std::size_t> indices(items.size());
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    InterruptPoll poll(run.host());
    Array sample;
    sample.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
      poll.tick();
      std::size_t j =
          i + static_cast<std::size_t>(array_util::uniform_below(rng, indices.size() - i));
      std::swap(indices[i], indices[j]);
      sample.push_back(items[indices[i]]);
    }
    return sample;
  }

  std::int64_t count_;
  std::string method_;
  std::optional<std::int64_t> seed_;
};

// --- flat_map --------------------------------------------------------------

class FlatMapExecutor final : public NodeExecutor {
 public:
  explicit FlatMapExecutor(const NodeData& data) : field_(data.string_or("field", "")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("flat_map node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    const Array& items = input.as_array();
    const bool by_field = !field_.empty() && field_ != ".";
    InterruptPoll poll(run.host());
    Array flattened;
    auto contribute = [&](const Value& v) {
      // One level only: an array contributes its elements, anything else
      // contributes itself. The items may all share one large array: the
      // growth is checked against the run's memory budget.
      if (v.is_array()) {
        const Array& elements = v.as_array();
        run_memory::ensure_available(
            saturating_mul(flattened.size() + elements.size(), sizeof(Value)));
        for (const Value& e : elements) {
          poll.tick();
          flattened.push_back(e);
        }
      } else {
        run_memory::ensure_room_to_append(flattened);
        flattened.push_back(v);
      }
    };
    for (const Value& item : items) {
      poll.tick();
      if (!by_field) {
        contribute(item);
      } else if (const Value* v = item.find(field_)) {
        contribute(*v);  // non-objects and objects without the field add nothing
      }
    }
    const auto k = static_cast<std::int64_t>(flattened.size());
    Object obj;
    obj.reserve(4);
    obj.append_sorted("field", Value::string(field_));
    obj.append_sorted("flattened", appended_slice(std::move(flattened)));
    obj.append_sorted("input_count", integer(static_cast<std::int64_t>(items.size())));
    obj.append_sorted("output_count", integer(k));
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

void register_array_shape_nodes(NodeRegistry& registry) {
  registry.add(NodeTypeInfo{"slice",
                            "SliceData",
                            {field("start", FieldType::Any), field("end", FieldType::Any),
                             field("length", FieldType::Any)},
                            nullptr,
                            build<SliceExecutor>});
  registry.add(NodeTypeInfo{"reverse", "ReverseData", {}, nullptr, [](const NodeData&) {
                              return make_executor(reverse_node);
                            }});
  registry.add(NodeTypeInfo{"chunk",
                            "ChunkData",
                            {field("size", FieldType::Any)},
                            THAIYYAL_REQUIRE_FIELD("size"),
                            build<ChunkExecutor>});
  registry.add(NodeTypeInfo{"compact",
                            "CompactData",
                            {field("remove_empty", FieldType::Bool)},
                            nullptr,
                            build<CompactExecutor>});
  registry.add(NodeTypeInfo{
      "range",
      "RangeData",
      {field("start", FieldType::Any), field("end", FieldType::Any), field("step", FieldType::Any)},
      [](const NodeData& data) -> std::string {
        return data.has("start") && data.has("end")
                   ? std::string()
                   : std::string("missing required field: start and end");
      },
      build<RangeExecutor>});
  registry.add(NodeTypeInfo{"transpose", "TransposeData", {}, nullptr, [](const NodeData&) {
                              return make_executor(transpose_node);
                            }});
  registry.add(NodeTypeInfo{"zip",
                            "ZipData",
                            {field("arrays", FieldType::Any), field("fill_missing", FieldType::Any),
                             field("remove_empty", FieldType::Bool)},
                            nullptr,
                            build<ZipExecutor>});
  registry.add(NodeTypeInfo{"sample",
                            "SampleData",
                            {field("count", FieldType::Any), field("method", FieldType::String),
                             field("seed", FieldType::Integer)},
                            THAIYYAL_REQUIRE_FIELD("count"),
                            build<SampleExecutor>});
  registry.add(
      NodeTypeInfo{"flat_map",
                   "FlatMapData",
                   {field("expression", FieldType::String), field("field", FieldType::String)},
                   nullptr,
                   build<FlatMapExecutor>});
}

}  // namespace thaiyyal
