// `variable` (nodes.md, execution.md §6.1): get/set workflow variables.
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

class VariableExecutor final : public NodeExecutor {
 public:
  explicit VariableExecutor(const NodeData& data)
      : name_(data.string_or("var_name", "")), op_(data.string_or("var_op", "")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (op_ == "set") {
      if (inputs.empty()) throw NodeError("variable set operation requires input value");
      run.set_variable(name_, inputs[0]);
      return out({{"operation", str("set")}, {"value", inputs[0]}, {"var_name", str(name_)}});
    }
    if (op_ == "get") {
      const Value* value = run.find_variable(name_);
      if (value == nullptr) throw NodeError("variable '" + name_ + "' not found");
      return out({{"operation", str("get")}, {"value", *value}, {"var_name", str(name_)}});
    }
    throw NodeError("unsupported variable operation: " + op_ + " (use 'get' or 'set')");
  }

 private:
  std::string name_;
  std::string op_;
};

std::string validate_variable(const NodeData& data) {
  if (!data.has("var_name")) return "missing required field: var_name";
  if (!data.has("var_op")) return "missing required field: var_op";
  return {};
}

}  // namespace

void register_variable_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "variable";
  info.struct_name = "VariableData";
  info.fields = {field("var_name", FieldType::String), field("var_op", FieldType::String),
                 field("scope", FieldType::String)};
  info.validate = validate_variable;
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<VariableExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
