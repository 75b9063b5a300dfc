// `workflow_input` (ours, not the reference's): emits the run input of a
// stored workflow (thaiyyal.run(name, input)) or of thaiyyal_execute's
// second argument.
//
//   {"type": "workflow_input"}                              -> the whole input
//   {"type": "workflow_input", "data": {"field": "order"}}  -> input.order
//   {"type": "workflow_input", "data": {"field": "limit", "default": 10}}
//
// A missing (or null) input, a non-object input with `field`, or an object
// whose key is absent or null yield `default` (null when not given); with
// `"required": true` the node fails instead. Inputs from edges are ignored.
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

class WorkflowInputExecutor final : public NodeExecutor {
 public:
  explicit WorkflowInputExecutor(const NodeData& data)
      : field_(data.string("field")), required_(data.boolean("required").value_or(false)) {
    if (const Value* v = data.get("default")) default_ = *v;
  }

  Value execute(RunContext& run, const std::vector<Value>&) const override {
    const Value& input = run.run_input();
    const Value* found = field_ ? input.find(*field_) : (input.is_null() ? nullptr : &input);
    if (found != nullptr && !found->is_null()) return *found;
    if (required_) {
      throw NodeError(field_ ? "workflow input has no field \"" + *field_ + "\""
                             : std::string("workflow input is required but none was given"));
    }
    return default_;
  }

 private:
  std::optional<std::string> field_;
  bool required_;
  Value default_;
};

}  // namespace

void register_workflow_input_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "workflow_input";
  info.struct_name = "WorkflowInputData";
  info.fields = {field("field", FieldType::String), field("default", FieldType::Any),
                 field("required", FieldType::Bool)};
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<WorkflowInputExecutor>(data);
  };
  info.data_optional = true;  // {"id": "in", "type": "workflow_input"} is the whole input
  registry.add(std::move(info));
}

}  // namespace thaiyyal
