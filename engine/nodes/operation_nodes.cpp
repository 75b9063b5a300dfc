// `operation`: binary arithmetic on the first two inputs (nodes.md).
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

enum class Op { Add, Subtract, Multiply, Divide, Unknown };

Op parse_op(const std::string& name) {
  if (name == "add") return Op::Add;
  if (name == "subtract") return Op::Subtract;
  if (name == "multiply") return Op::Multiply;
  if (name == "divide") return Op::Divide;
  return Op::Unknown;
}

class OperationExecutor final : public NodeExecutor {
 public:
  explicit OperationExecutor(std::string name) : name_(std::move(name)), op_(parse_op(name_)) {}

  Value execute(RunContext&, const std::vector<Value>& inputs) const override {
    if (inputs.size() < 2) {
      throw NodeError("operation needs 2 inputs, got " + std::to_string(inputs.size()));
    }
    // Only float64 qualifies: node-generated ints are rejected (values.md §1.1).
    if (!inputs[0].is_number() || !inputs[1].is_number()) {
      throw NodeError("operation inputs must be numbers");
    }
    const double left = inputs[0].as_number();
    const double right = inputs[1].as_number();
    switch (op_) {
      case Op::Add:
        return Value::number(left + right);
      case Op::Subtract:
        return Value::number(left - right);
      case Op::Multiply:
        return Value::number(left * right);
      case Op::Divide:
        if (right == 0) throw NodeError("division by zero");
        return Value::number(left / right);
      case Op::Unknown:
        break;
    }
    throw NodeError("unknown operation: " + name_);
  }
  void static_problems(std::vector<std::string>& problems) const override {
    if (op_ == Op::Unknown) problems.push_back("unknown operation: " + name_);
  }
  std::optional<std::vector<std::string>> handles() const override {
    return std::vector<std::string>{};  // a number
  }

 private:
  std::string name_;
  Op op_;
};

}  // namespace

void register_operation_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "operation";
  info.struct_name = "OperationData";
  info.fields = {field("op", FieldType::String)};
  info.validate = THAIYYAL_REQUIRE_FIELD("op");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<OperationExecutor>(data.string_or("op", ""));
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
