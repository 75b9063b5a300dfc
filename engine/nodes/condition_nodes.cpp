// `condition` (nodes.md): evaluates its condition against the first input
// and emits the routing object whose `path` drives "true"/"false" handles.
#include "engine/expr/expression.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

class ConditionExecutor final : public NodeExecutor {
 public:
  explicit ConditionExecutor(std::string text)
      : text_(std::move(text)),
        condition_(expr::CompiledExpression::compile(text_, expr::StartSymbol::Condition)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("condition node needs at least 1 input");
    if (!condition_.valid()) throw NodeError(condition_.compile_error());
    expr::Bindings bindings;
    bindings.current = &inputs[0];
    expr::ConditionOutcome outcome = condition_.test(run, bindings);
    if (!outcome.ok) throw NodeError("condition evaluation failed: " + outcome.error);
    const bool met = outcome.truth;
    Object obj;
    obj.reserve(6);
    obj.append_sorted("condition", Value::string(text_));
    obj.append_sorted("condition_met", Value::boolean(met));
    obj.append_sorted("false_path", Value::boolean(!met));
    obj.append_sorted("path", Value::string(met ? "true" : "false"));
    obj.append_sorted("true_path", Value::boolean(met));
    obj.append_sorted("value", inputs[0]);
    return Value::object(std::move(obj));
  }
  void static_problems(std::vector<std::string>& problems) const override {
    if (!condition_.valid()) problems.push_back(condition_.compile_error());
  }
  std::optional<std::vector<std::string>> handles() const override {
    return std::vector<std::string>{"true", "false"};
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    out.push_back({"condition", &condition_});
  }

 private:
  std::string text_;
  expr::CompiledExpression condition_;
};

}  // namespace

void register_condition_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "condition";
  info.struct_name = "ConditionData";
  info.fields = {field("condition", FieldType::String), field("true_path", FieldType::String),
                 field("false_path", FieldType::String)};
  info.validate = THAIYYAL_REQUIRE_FIELD("condition");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<ConditionExecutor>(data.string_or("condition", ""));
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
