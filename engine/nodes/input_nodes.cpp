// Input nodes: number, text_input, boolean_input, date_input,
// datetime_input (nodes.md). They ignore their inputs and emit their value.
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

NodeTypeInfo constant_node(std::string type, std::string struct_name, std::string key,
                           FieldType field_type, std::string (*validate)(const NodeData&)) {
  NodeTypeInfo info;
  info.type = std::move(type);
  info.struct_name = std::move(struct_name);
  info.fields = {field(key, field_type)};
  info.validate = validate;
  return info;
}

template <const char* Key>
std::unique_ptr<NodeExecutor> compile_constant(const NodeData& data) {
  Value value = *data.get(Key);
  return make_executor([value](RunContext&, const std::vector<Value>&) -> Value { return value; });
}

constexpr char kValue[] = "value";
constexpr char kText[] = "text";
constexpr char kBooleanValue[] = "boolean_value";
constexpr char kDateValue[] = "date_value";
constexpr char kDateTimeValue[] = "datetime_value";

}  // namespace

void register_input_nodes(NodeRegistry& registry) {
  NodeTypeInfo number = constant_node("number", "NumberData", kValue, FieldType::Number,
                                      THAIYYAL_REQUIRE_FIELD("value"));
  number.compile = compile_constant<kValue>;
  registry.add(std::move(number));

  NodeTypeInfo text = constant_node("text_input", "TextInputData", kText, FieldType::String,
                                    THAIYYAL_REQUIRE_FIELD("text"));
  text.compile = compile_constant<kText>;
  registry.add(std::move(text));

  NodeTypeInfo boolean = constant_node("boolean_input", "BooleanInputData", kBooleanValue,
                                       FieldType::Bool, THAIYYAL_REQUIRE_FIELD("boolean_value"));
  boolean.compile = compile_constant<kBooleanValue>;
  registry.add(std::move(boolean));

  NodeTypeInfo date = constant_node("date_input", "DateInputData", kDateValue, FieldType::String,
                                    THAIYYAL_REQUIRE_FIELD("date_value"));
  date.compile = compile_constant<kDateValue>;
  registry.add(std::move(date));

  NodeTypeInfo datetime =
      constant_node("datetime_input", "DateTimeInputData", kDateTimeValue, FieldType::String,
                    THAIYYAL_REQUIRE_FIELD("datetime_value"));
  datetime.compile = compile_constant<kDateTimeValue>;
  registry.add(std::move(datetime));
}

}  // namespace thaiyyal
