// `variable` (nodes.md, execution.md §6.1): get/set workflow variables.
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

class VariableExecutor final : public NodeExecutor {
 public:
  explicit VariableExecutor(const NodeData& data)
      : name_(data.string_or("var_name", "")),
        op_(data.string_or("var_op", "")),
        op_value_(str(op_)),
        name_value_(str(name_)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (op_ == "set") {
      if (inputs.empty()) throw NodeError("variable set operation requires input value");
      run.set_variable(name_, inputs[0]);
      return output(inputs[0]);
    }
    if (op_ == "get") {
      const Value* value = run.find_variable(name_);
      if (value == nullptr) throw NodeError("variable '" + name_ + "' not found");
      return output(*value);
    }
    throw NodeError("unsupported variable operation: " + op_ + " (use 'get' or 'set')");
  }

 private:
  // {operation, value, var_name}, keys already in order; the operation and
  // the name are the same strings every run (shared, not copied).
  Value output(const Value& value) const {
    std::vector<Object::Entry> entries;
    entries.reserve(3);
    entries.emplace_back("operation", op_value_);
    entries.emplace_back("value", value);
    entries.emplace_back("var_name", name_value_);
    return Value::object(Object::from_sorted_unique(std::move(entries)));
  }

  std::string name_;
  std::string op_;
  Value op_value_;
  Value name_value_;
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
