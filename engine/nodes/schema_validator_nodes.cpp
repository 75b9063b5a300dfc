// `schema_validator` (nodes.md): validates in[0] against a JSON Schema with
// gojsonschema v1.2.0's behaviour (engine/schema/).
#include "engine/go/json.hpp"
#include "engine/nodes/node_util.hpp"
#include "engine/schema/validator.hpp"

namespace thaiyyal {
namespace {

class SchemaValidatorExecutor final : public NodeExecutor {
 public:
  explicit SchemaValidatorExecutor(const NodeData& data)
      : schema_(data.get("schema") != nullptr ? *data.get("schema") : Value()),
        strict_(data.boolean("strict").value_or(false)) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty() || inputs[0].is_null()) throw NodeError("no input provided for validation");
    const Value& input = inputs[0];

    schema::SchemaOptions options;
    options.check_interrupts = [&run] { run.host().check_interrupts(); };
    std::vector<schema::ValidationError> errors;
    try {
      // The reference marshals the schema and the input to JSON and loads
      // both with gojsonschema's bytes loader.
      Value schema_doc = schema::to_document(schema_);
      Value document;
      try {
        document = schema::to_document(input);
      } catch (const JsonWriteError& e) {
        throw NodeError(std::string("failed to serialize input: ") + e.what());
      }
      auto compiled = schema::Schema::compile(schema_doc, options);
      errors = compiled->validate(document);
    } catch (const schema::SchemaError& e) {
      throw NodeError(std::string("schema validation failed: ") + e.what());
    } catch (const schema::SchemaLimitError& e) {
      throw NodeError(std::string("schema validation failed: ") + e.what());
    } catch (const JsonWriteError& e) {
      throw NodeError(std::string("invalid schema format: ") + e.what());
    }

    if (errors.empty()) return out({{"data", input}, {"valid", Value::boolean(true)}});
    if (strict_) {
      throw NodeError("validation failed: " + std::to_string(errors.size()) + " errors found");
    }
    // A Go []map[string]interface{}: a record-list (values.md §1.2).
    Array list;
    list.reserve(errors.size());
    for (schema::ValidationError& e : errors) {
      list.push_back(out({{"description", str(std::move(e.description))},
                          {"field", str(std::move(e.field))},
                          {"type", str(std::move(e.type))},
                          {"value", std::move(e.value)}}));
    }
    return out({{"data", input},
                {"errors", Value::record_list(std::move(list))},
                {"valid", Value::boolean(false)}});
  }

 private:
  Value schema_;
  bool strict_;
};

}  // namespace

void register_schema_validator_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "schema_validator";
  info.struct_name = "SchemaValidatorData";
  info.fields = {field("schema", FieldType::Any), field("strict", FieldType::Bool)};
  info.validate = THAIYYAL_REQUIRE_FIELD("schema");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<SchemaValidatorExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
