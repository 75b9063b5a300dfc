// `expression` (nodes.md, language.md §4.4): evaluates a value expression
// with the first input as `input`/`item`.
#include "engine/expr/expression.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

class ExpressionExecutor final : public NodeExecutor {
 public:
  explicit ExpressionExecutor(std::string text)
      : empty_(text.empty()),
        expression_(expr::CompiledExpression::compile(text, expr::StartSymbol::Expression)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("expression node needs at least 1 input");
    if (empty_) {
      return out({{"result", inputs[0]}, {"warning", str("no expression specified")}});
    }
    if (!expression_.valid()) throw NodeError(expression_.compile_error());
    expr::Bindings bindings;
    bindings.current = &inputs[0];
    expr::Outcome outcome = expression_.evaluate(run, bindings);
    if (!outcome.ok()) throw NodeError("expression evaluation failed: " + outcome.error().message);
    return std::move(outcome.value());
  }
  void static_problems(std::vector<std::string>& problems) const override {
    if (!empty_ && !expression_.valid()) problems.push_back(expression_.compile_error());
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    if (!empty_) out.push_back({"expression", &expression_});
  }

 private:
  bool empty_;
  expr::CompiledExpression expression_;
};

}  // namespace

void register_expression_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "expression";
  info.struct_name = "ExpressionData";
  info.fields = {field("expression", FieldType::String)};
  info.validate = THAIYYAL_REQUIRE_FIELD("expression");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<ExpressionExecutor>(data.string_or("expression", ""));
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
