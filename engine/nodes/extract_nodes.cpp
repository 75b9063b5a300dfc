// `extract` (nodes.md): one field, or a subset of fields, of an object.
// Keys are literal: "b.c" names a key, not a path.
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

class ExtractExecutor final : public NodeExecutor {
 public:
  explicit ExtractExecutor(const NodeData& data)
      : single_(data.string("field")), fields_(data.strings("fields")) {}

  Value execute(RunContext&, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("extract node requires input");
    const Value& input = inputs[0];
    if (!input.is_object()) {
      throw NodeError("extract node requires object input, got " +
                      std::string(go_type_name(input)));
    }
    if (single_) {
      const Value* v = input.find(*single_);
      if (v == nullptr) throw NodeError("field '" + *single_ + "' not found in input object");
      return out({{"field", str(*single_)}, {"value", *v}});
    }
    Object picked;
    for (const std::string& key : fields_) {
      if (const Value* v = input.find(key)) picked.set(key, *v);
    }
    return Value::object(std::move(picked));
  }

 private:
  std::optional<std::string> single_;
  std::vector<std::string> fields_;
};

std::string validate_extract(const NodeData& data) {
  if (data.has("field")) return {};
  const Value* fields = data.get("fields");
  if (fields != nullptr && !fields->as_array().empty()) return {};
  return "missing required field: field or fields";
}

}  // namespace

void register_extract_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "extract";
  info.struct_name = "ExtractData";
  info.fields = {field("field", FieldType::String), field("fields", FieldType::StringArray)};
  info.validate = validate_extract;
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<ExtractExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
