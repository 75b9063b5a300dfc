// `transform` (nodes.md): to_array, to_object, flatten, keys, values.
#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

// Recursive: a value built at run time may nest without bound, and one that
// shares an array many times flattens to far more elements than it holds.
void flatten_into(const Array& items, Array& out) {
  check_stack_depth();
  for (const Value& item : items) {
    poll_interrupts();
    if (item.is_array()) {
      flatten_into(item.as_array(), out);
    } else {
      run_memory::ensure_room_to_append(out);
      out.push_back(item);
    }
  }
}

class TransformExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    if (type_ != "to_array" && type_ != "to_object" && type_ != "flatten" && type_ != "keys" &&
        type_ != "values") {
      problems.push_back("unsupported transform type: " + type_);
    }
  }

  explicit TransformExecutor(const NodeData& data) : type_(data.string_or("transform_type", "")) {}

  Value execute(RunContext&, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("transform node requires input");
    const Value& input = inputs[0];
    if (type_ == "to_array") return Value::array(Array(inputs.begin(), inputs.end()));
    if (type_ == "to_object") {
      if (!input.is_array()) {
        throw NodeError("to_object requires array input, got " + std::string(go_type_name(input)));
      }
      const Array& items = input.as_array();
      Object obj;
      for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        if (!items[i].is_string()) {
          throw NodeError("to_object requires string keys at index " + std::to_string(i));
        }
        obj.set(items[i].as_string(), items[i + 1]);
      }
      return Value::object(std::move(obj));
    }
    if (type_ == "flatten") {
      if (!input.is_array()) {
        throw NodeError("flatten requires array input, got " + std::string(go_type_name(input)));
      }
      Array flat;
      flatten_into(input.as_array(), flat);
      return appended_slice(std::move(flat));
    }
    if (type_ == "keys" || type_ == "values") {
      if (!input.is_object()) {
        throw NodeError(type_ + " transform requires object input, got " +
                        std::string(go_type_name(input)));
      }
      // The reference returns Go map order (random); we return key order.
      Array result;
      result.reserve(input.as_object().size());
      for (const auto& [key, value] : input.as_object()) {
        result.push_back(type_ == "keys" ? Value::string(key) : value);
      }
      return Value::array(std::move(result));
    }
    throw NodeError("unsupported transform type: " + type_);
  }

 private:
  std::string type_;
};

}  // namespace

void register_transform_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "transform";
  info.struct_name = "TransformData";
  info.fields = {field("transform_type", FieldType::String)};
  info.validate = THAIYYAL_REQUIRE_FIELD("transform_type");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<TransformExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
