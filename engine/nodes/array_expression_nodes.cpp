// Array nodes driven by expressions (nodes.md, language.md §4.2-§4.4):
// filter, map, reduce, find, partition.
//
// Each expression is compiled once, when the plan is built; a syntax or
// compile error is reported as the node's error only when the node
// executes, at the point where the reference would start evaluating it:
// after the input checks, and not at all when the node returns a
// pass-through / NAP object or (map) uses field mode.
#include "engine/expr/expression.hpp"
#include "engine/nodes/array_util.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

using array_util::extract_array;
using array_util::not_an_array;

void require_compiled(const expr::CompiledExpression& e) {
  if (!e.valid()) throw NodeError(e.compile_error());
}

// For static_problems: a missing expression and one that does not compile.
void expression_problems(std::string_view node, const char* field, const std::string& text,
                         const expr::CompiledExpression& e, std::vector<std::string>& problems) {
  if (text.empty()) {
    problems.push_back(std::string(node) + " node has no " + field);
  } else if (!e.valid()) {
    problems.push_back(e.compile_error());
  }
}

// For expressions(): the node's expression unless its text is empty.
void list_expression(const char* field, const std::string& text, const expr::CompiledExpression& e,
                     std::vector<NodeExpression>& out) {
  if (!text.empty()) out.push_back({field, &e});
}

std::string wrong_input(std::string_view node, const Value& input) {
  return std::string(node) + " node requires array input, got " + std::string(go_type_name(input));
}

// --- filter ----------------------------------------------------------------

class FilterExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    expression_problems("filter", "condition", text_, condition_, problems);
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    list_expression("condition", text_, condition_, out);
  }
  explicit FilterExecutor(const NodeData& data)
      : text_(data.string_or("condition", "")),
        condition_(expr::CompiledExpression::compile(text_, expr::StartSymbol::Condition)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (text_.empty()) throw NodeError("filter node missing condition expression");
    if (inputs.empty()) throw NodeError("filter node needs at least 1 input");
    const Value& input = inputs[0];
    const Value* array = extract_array(input);
    if (array == nullptr) {
      Object obj;
      obj.reserve(5);
      obj.append_sorted("filtered", input);
      obj.append_sorted("input", input);
      obj.append_sorted("is_array", Value::boolean(false));
      obj.append_sorted("original_type", Value::string(go_type_name(input)));
      obj.append_sorted("warning", str("input is not an array, passed through unchanged"));
      return Value::object(std::move(obj));
    }
    require_compiled(condition_);
    const Array& items = array->as_array();
    InterruptPoll poll(run.host());
    Array filtered;
    std::int64_t errors = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll.tick();
      // filter binds `index` only (no `items`), language.md §4.2.
      const Value index = Value::number(static_cast<double>(i));
      expr::Bindings bindings;
      bindings.current = &items[i];
      bindings.index = &index;
      const expr::ConditionOutcome outcome = condition_.test(run, bindings);
      if (!outcome.ok) {
        ++errors;  // dropped; counted as skipped and as an error
      } else if (outcome.truth) {
        filtered.push_back(items[i]);
      }
    }
    const auto n = static_cast<std::int64_t>(items.size());
    const auto k = static_cast<std::int64_t>(filtered.size());
    Object obj;
    obj.reserve(7);
    obj.append_sorted("condition", Value::string(text_));
    obj.append_sorted("error_count", integer(errors));
    obj.append_sorted("filtered", Value::array(std::move(filtered)));  // [] when empty
    obj.append_sorted("input_count", integer(n));
    obj.append_sorted("is_array", Value::boolean(true));
    obj.append_sorted("output_count", integer(k));
    obj.append_sorted("skipped_count", integer(n - k));
    return Value::object(std::move(obj));
  }

 private:
  std::string text_;
  expr::CompiledExpression condition_;
};

// --- map -------------------------------------------------------------------

class MapExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    // A field wins over the expression; neither is a pass-through.
    if (field_.empty() && !text_.empty() && !expression_.valid()) {
      problems.push_back(expression_.compile_error());
    }
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    list_expression("expression", text_, expression_, out);
  }
  explicit MapExecutor(const NodeData& data)
      : field_(data.string_or("field", "")),
        text_(data.string_or("expression", "")),
        expression_(expr::CompiledExpression::compile(text_, expr::StartSymbol::Expression)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("map node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) throw NodeError(wrong_input("map", input));
    const Array& items = input.as_array();
    const auto n = static_cast<std::int64_t>(items.size());
    if (field_.empty() && text_.empty()) {
      return out({{"input_count", integer(n)},
                  {"output_count", integer(n)},
                  {"results", input},
                  {"warning", str("no transformation specified")}});
    }
    // A non-empty field wins over the expression.
    if (field_.empty()) require_compiled(expression_);
    InterruptPoll poll(run.host());
    Array results;
    results.reserve(items.size());
    std::int64_t failed = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll.tick();
      if (!field_.empty()) {
        // The element must be an object having the key.
        const Value* v = items[i].find(field_);
        if (v == nullptr) {
          ++failed;
          results.emplace_back();
        } else {
          results.push_back(*v);
        }
        continue;
      }
      const Value index = Value::number(static_cast<double>(i));
      expr::Bindings bindings;
      bindings.current = &items[i];
      bindings.index = &index;
      bindings.items = &input;
      expr::Outcome outcome = expression_.evaluate(run, bindings);
      if (outcome.ok()) {
        results.push_back(std::move(outcome.value()));
      } else {
        ++failed;
        results.emplace_back();
      }
    }
    return out({{"failed", integer(failed)},
                {"input_count", integer(n)},
                {"output_count", integer(n)},
                {"results", Value::array(std::move(results))},
                {"successful", integer(n - failed)}});
  }

 private:
  std::string field_;
  std::string text_;
  expr::CompiledExpression expression_;
};

// --- reduce ----------------------------------------------------------------

class ReduceExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    expression_problems("reduce", "expression", text_, expression_, problems);
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    list_expression("expression", text_, expression_, out);
  }
  explicit ReduceExecutor(const NodeData& data)
      : text_(data.string_or("expression", "")),
        expression_(expr::CompiledExpression::compile(text_, expr::StartSymbol::Expression)) {
    if (const Value* initial = data.get("initial_value")) initial_ = *initial;
  }

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("reduce node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) throw NodeError(wrong_input("reduce", input));
    if (text_.empty()) throw NodeError("reduce node requires an expression");
    require_compiled(expression_);
    const Array& items = input.as_array();
    // An absent (or null) initial value starts the accumulator at 0 but is
    // echoed as null.
    Value accumulator = initial_.is_null() ? Value::number(0) : initial_;
    InterruptPoll poll(run.host());
    std::int64_t failed = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll.tick();
      const Value index = Value::number(static_cast<double>(i));
      expr::Bindings bindings;
      bindings.current = &items[i];
      bindings.index = &index;
      bindings.items = &input;
      bindings.accumulator = &accumulator;
      expr::Outcome outcome = expression_.evaluate(run, bindings);
      if (outcome.ok()) {
        accumulator = std::move(outcome.value());
      } else {
        ++failed;  // the accumulator is unchanged
      }
    }
    const auto n = static_cast<std::int64_t>(items.size());
    return out({{"failed", integer(failed)},
                {"final_value", accumulator},
                {"initial_value", initial_},
                {"input_count", integer(n)},
                {"iterations", integer(n)},
                {"result", accumulator},
                {"successful", integer(n - failed)}});
  }

 private:
  std::string text_;
  expr::CompiledExpression expression_;
  Value initial_;
};

// --- find ------------------------------------------------------------------

class FindExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    expression_problems("find", "condition", text_, condition_, problems);
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    list_expression("condition", text_, condition_, out);
  }
  explicit FindExecutor(const NodeData& data)
      : text_(data.string_or("condition", "")),
        return_index_(data.boolean("return_index").value_or(false)),
        condition_(expr::CompiledExpression::compile(text_, expr::StartSymbol::Condition)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("find node needs at least 1 input");
    const Value& input = inputs[0];
    if (!input.is_array()) return not_an_array(input);
    if (text_.empty()) throw NodeError("find node missing required 'condition' string");
    require_compiled(condition_);
    const Array& items = input.as_array();
    InterruptPoll poll(run.host());
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll.tick();
      // `index` is a number in the language (the reference's Go int is
      // indistinguishable inside expressions, language.md §4.2).
      const Value index = Value::number(static_cast<double>(i));
      expr::Bindings bindings;
      bindings.current = &items[i];
      bindings.index = &index;
      bindings.items = &input;
      const expr::ConditionOutcome outcome = condition_.test(run, bindings);
      if (outcome.ok && outcome.truth) {  // an error is a non-match
        if (return_index_) {
          return out({{"condition", Value::string(text_)},
                      {"found", items[i]},
                      {"index", integer(static_cast<std::int64_t>(i))}});
        }
        return out({{"condition", Value::string(text_)}, {"found", items[i]}});
      }
    }
    return out({{"condition", Value::string(text_)},
                {"found", Value()},
                {"input_count", integer(static_cast<std::int64_t>(items.size()))},
                {"not_found", Value::boolean(true)}});
  }

 private:
  std::string text_;
  bool return_index_;
  expr::CompiledExpression condition_;
};

// --- partition -------------------------------------------------------------

class PartitionExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    expression_problems("partition", "condition", text_, condition_, problems);
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    list_expression("condition", text_, condition_, out);
  }
  explicit PartitionExecutor(const NodeData& data)
      : text_(data.string_or("condition", "")),
        condition_(expr::CompiledExpression::compile(text_, expr::StartSymbol::Condition)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("partition node needs at least 1 input");
    const Value* array = extract_array(inputs[0]);
    if (array == nullptr) return not_an_array(inputs[0]);
    if (text_.empty()) throw NodeError("partition node missing required 'condition' string");
    require_compiled(condition_);
    const Array& items = array->as_array();
    InterruptPoll poll(run.host());
    Array passed;
    Array failed;
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll.tick();
      const Value index = Value::number(static_cast<double>(i));
      expr::Bindings bindings;
      bindings.current = &items[i];
      bindings.index = &index;
      bindings.items = array;
      const expr::ConditionOutcome outcome = condition_.test(run, bindings);
      // false and errors both go to `failed`.
      (outcome.ok && outcome.truth ? passed : failed).push_back(items[i]);
    }
    const auto p = static_cast<std::int64_t>(passed.size());
    const auto f = static_cast<std::int64_t>(failed.size());
    return out({{"condition", Value::string(text_)},
                {"failed", appended_slice(std::move(failed))},
                {"failed_count", integer(f)},
                {"input_count", integer(static_cast<std::int64_t>(items.size()))},
                {"passed", appended_slice(std::move(passed))},
                {"passed_count", integer(p)}});
  }

 private:
  std::string text_;
  expr::CompiledExpression condition_;
};

template <typename Executor>
std::unique_ptr<NodeExecutor> build(const NodeData& data) {
  return std::make_unique<Executor>(data);
}

}  // namespace

void register_array_expression_nodes(NodeRegistry& registry) {
  registry.add(NodeTypeInfo{"filter",
                            "FilterData",
                            {field("condition", FieldType::String)},
                            THAIYYAL_REQUIRE_FIELD("condition"),
                            build<FilterExecutor>});
  registry.add(
      NodeTypeInfo{"map",
                   "MapData",
                   {field("expression", FieldType::String), field("field", FieldType::String)},
                   nullptr,
                   build<MapExecutor>});
  registry.add(
      NodeTypeInfo{"reduce",
                   "ReduceData",
                   {field("expression", FieldType::String), field("initial_value", FieldType::Any)},
                   THAIYYAL_REQUIRE_FIELD("expression"),
                   build<ReduceExecutor>});
  registry.add(
      NodeTypeInfo{"find",
                   "FindData",
                   {field("condition", FieldType::String), field("return_index", FieldType::Bool)},
                   THAIYYAL_REQUIRE_FIELD("condition"),
                   build<FindExecutor>});
  registry.add(NodeTypeInfo{"partition",
                            "PartitionData",
                            {field("condition", FieldType::String)},
                            THAIYYAL_REQUIRE_FIELD("condition"),
                            build<PartitionExecutor>});
}

}  // namespace thaiyyal
