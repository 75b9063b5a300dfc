// `schema_validator` (nodes.md): JSON Schema validation with gojsonschema
// v1.2.0's results — error order, types, English descriptions, fields.
#include <gtest/gtest.h>

#include "engine/tests/test_support.hpp"

// Expected outputs are long JSON texts kept on one line each.
// clang-format off
namespace thaiyyal {
namespace {

using testing::json;
using testing::payload_error;
using testing::run_node;
using testing::run_workflow;

std::string validate(std::string_view schema, std::string_view input, bool strict = false) {
  std::string data = "{\"schema\":" + std::string(schema) + (strict ? ",\"strict\":true}" : "}");
  return run_node("schema_validator", data, {input});
}

// The "errors" list alone (for brevity), or the whole output when valid.
std::string errors_of(std::string_view schema, std::string_view input) {
  std::string out = validate(schema, input);
  std::size_t at = out.find(R"("errors":)");
  if (at == std::string::npos) return out;
  std::size_t end = out.rfind(R"(,"valid":false})");
  return out.substr(at + 9, end - at - 9);
}

TEST(SchemaValidator, SpecExampleRequiredBeforePropertyErrors) {
  EXPECT_EQ(
      validate(R"({"type":"object","properties":{"a":{"type":"number"}},"required":["a","b"]})",
               R"({"a":"x"})"),
      R"({"data":{"a":"x"},"errors":[)"
      R"x({"description":"b is required","field":"(root)","type":"required","value":{"a":"x"}},)x"
      R"({"description":"Invalid type. Expected: number, given: string","field":"a","type":"invalid_type","value":"x"}],)"
      R"("valid":false})");
}

TEST(SchemaValidator, ValidInputIsPassedThrough) {
  EXPECT_EQ(validate(R"({"type":"object"})", R"({"a":1})"), R"({"data":{"a":1},"valid":true})");
  EXPECT_EQ(validate(R"({"type":"integer"})", "3"), R"({"data":3,"valid":true})");
}

TEST(SchemaValidator, StrictModeFailsWithTheErrorCount) {
  EXPECT_EQ(validate(R"({"type":"object","required":["a","b"]})", "{}", true),
            "error: validation failed: 2 errors found");
  EXPECT_EQ(validate(R"({"type":"object"})", "{}", true), R"({"data":{},"valid":true})");
}

TEST(SchemaValidator, MissingOrNullInput) {
  EXPECT_EQ(run_node("schema_validator", R"({"schema":{"type":"object"}})"),
            "error: no input provided for validation");
  EXPECT_EQ(validate(R"({"type":"object"})", "null"), "error: no input provided for validation");
}

TEST(SchemaValidator, SchemaIsRequiredAtDecodeTime) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"v","type":"schema_validator","data":{}}]})"),
            "failed to parse payload: failed to unmarshal data for node v (type "
            "schema_validator): missing required field: schema");
}

TEST(SchemaValidator, InvalidSchemasAreLoaderErrors) {
  EXPECT_EQ(validate(R"({"type":"foo"})", "1"),
            "error: schema validation failed: has a primitive type that is NOT VALID -- given: "
            "/foo/ Expected valid values are:[array boolean integer null number object string]");
  EXPECT_EQ(validate(R"({"minLength":-1})", "1"),
            "error: schema validation failed: minLength must be greater than or equal to 0");
  EXPECT_EQ(validate(R"({"minimum":"3"})", "1"),
            "error: schema validation failed: minimum must be of a number");
  EXPECT_EQ(validate(R"({"pattern":"(a"})", "1"),
            "error: schema validation failed: pattern must be a valid regex");
  EXPECT_EQ(validate(R"({"properties":{"a":5}})", "1"),
            "error: schema validation failed: Expected: valid schema, given: Invalid JSON");
  EXPECT_EQ(validate(R"({"$ref":"#/definitions/missing"})", "1"),
            "error: schema validation failed: Object has no key 'definitions'");
  EXPECT_EQ(validate(R"("not a schema")", "1"),
            "error: schema validation failed: schema is invalid");
}

TEST(SchemaValidator, NumberKeywordTemplates) {
  EXPECT_EQ(errors_of(R"({"minimum":3})", "2"),
            R"x([{"description":"Must be greater than or equal to 3","field":"(root)","type":"number_gte","value":2}])x");
  EXPECT_EQ(errors_of(R"({"maximum":1.5})", "2"),
            R"x([{"description":"Must be less than or equal to 1.5","field":"(root)","type":"number_lte","value":2}])x");
  EXPECT_EQ(errors_of(R"({"exclusiveMinimum":1000000})", "1"),
            R"x([{"description":"Must be greater than 1000000","field":"(root)","type":"number_gt","value":1}])x");
  EXPECT_EQ(errors_of(R"({"exclusiveMaximum":12345678901})", "2e10"),
            R"x([{"description":"Must be less than 1.23456789e+10","field":"(root)","type":"number_lt","value":20000000000}])x");
  EXPECT_EQ(errors_of(R"({"multipleOf":0.25})", "1.1"),
            R"x([{"description":"Must be a multiple of 0.25","field":"(root)","type":"multiple_of","value":1.1}])x");
}

TEST(SchemaValidator, MultipleOfIsExactDecimalArithmetic) {
  EXPECT_EQ(validate(R"({"multipleOf":0.1})", "0.3"), R"({"data":0.3,"valid":true})");
  EXPECT_EQ(validate(R"({"multipleOf":0.01})", "19.99"), R"({"data":19.99,"valid":true})");
}

TEST(SchemaValidator, Draft4ExclusiveBoundsViaSchemaKeyword) {
  EXPECT_EQ(errors_of(R"({"$schema":"http://json-schema.org/draft-04/schema#","minimum":5,"exclusiveMinimum":true})",
                      "5"),
            R"x([{"description":"Must be greater than 5","field":"(root)","type":"number_gt","value":5}])x");
}

TEST(SchemaValidator, StringKeywordTemplates) {
  EXPECT_EQ(errors_of(R"({"minLength":2})", R"("é")"),
            R"x([{"description":"String length must be greater than or equal to 2","field":"(root)","type":"string_gte","value":"é"}])x");
  EXPECT_EQ(errors_of(R"({"maxLength":1})", R"("ab")"),
            R"x([{"description":"String length must be less than or equal to 1","field":"(root)","type":"string_lte","value":"ab"}])x");
  EXPECT_EQ(errors_of(R"({"pattern":"^a+$"})", R"("ab")"),
            R"x([{"description":"Does not match pattern '^a+$'","field":"(root)","type":"pattern","value":"ab"}])x");
  EXPECT_EQ(errors_of(R"({"format":"email"})", R"("nope")"),
            R"x([{"description":"Does not match format 'email'","field":"(root)","type":"format","value":"nope"}])x");
  EXPECT_EQ(validate(R"({"format":"date-time"})", R"("2024-01-02T03:04:05Z")"),
            R"({"data":"2024-01-02T03:04:05Z","valid":true})");
}

TEST(SchemaValidator, KnownFormatsRejectNumbersAsV120Does) {
  EXPECT_EQ(errors_of(R"({"format":"ipv4"})", "5"),
            R"x([{"description":"Does not match format 'ipv4'","field":"(root)","type":"format","value":5}])x");
  EXPECT_EQ(validate(R"({"format":"custom"})", "5"), R"({"data":5,"valid":true})");
}

TEST(SchemaValidator, EnumAndConstQuoteJson) {
  EXPECT_EQ(errors_of(R"({"enum":["a",1,null]})", R"("c")"),
            R"x([{"description":"(root) must be one of the following: \"a\", 1, null","field":"(root)","type":"enum","value":"c"}])x");
  EXPECT_EQ(errors_of(R"({"properties":{"k":{"const":{"x":[1]}}}})", R"({"k":2})"),
            R"([{"description":"k does not match: {\"x\":[1]}","field":"k","type":"const","value":2}])");
}

TEST(SchemaValidator, FieldsAreDottedPaths) {
  EXPECT_EQ(
      errors_of(
          R"({"properties":{"a":{"properties":{"b":{"type":"string"}}},"arr":{"items":{"type":"integer"}}}})",
          R"({"a":{"b":1},"arr":[1,2.5]})"),
      R"([{"description":"Invalid type. Expected: string, given: integer","field":"a.b","type":"invalid_type","value":1},)"
      R"({"description":"Invalid type. Expected: integer, given: number","field":"arr.1","type":"invalid_type","value":2.5}])");
}

TEST(SchemaValidator, TypeListsAndNull) {
  EXPECT_EQ(errors_of(R"({"type":["string","null"]})", "true"),
            R"x([{"description":"Invalid type. Expected: [string,null], given: boolean","field":"(root)","type":"invalid_type","value":true}])x");
  EXPECT_EQ(errors_of(R"({"properties":{"a":{"type":"object"}}})", R"({"a":null})"),
            R"([{"description":"Invalid type. Expected: object, given: null","field":"a","type":"invalid_type","value":null}])");
}

TEST(SchemaValidator, ObjectKeywords) {
  EXPECT_EQ(errors_of(R"({"properties":{"a":{}},"additionalProperties":false})", R"({"a":1,"x":[2]})"),
            R"x([{"description":"Additional property x is not allowed","field":"(root)","type":"additional_property_not_allowed","value":[2]}])x");
  EXPECT_EQ(errors_of(R"({"minProperties":2})", R"({"a":1})"),
            R"x([{"description":"Must have at least 2 properties","field":"(root)","type":"array_min_properties","value":{"a":1}}])x");
  EXPECT_EQ(errors_of(R"({"dependencies":{"a":["b"]}})", R"({"a":1})"),
            R"x([{"description":"Has a dependency on b","field":"(root)","type":"missing_dependency","value":{"a":1}}])x");
  EXPECT_EQ(errors_of(R"({"propertyNames":{"maxLength":2}})", R"({"abc":1})"),
            R"x([{"description":"Property name of \"abc\" does not match","field":"(root)","type":"invalid_property_name","value":{"abc":1}},)x"
            R"x({"description":"String length must be less than or equal to 2","field":"(root)","type":"string_lte","value":"abc"}])x");
}

TEST(SchemaValidator, ArrayKeywords) {
  EXPECT_EQ(errors_of(R"({"uniqueItems":true})", "[1,1.0,1]"),
            R"x([{"description":"array items[0,1] must be unique","field":"(root)","type":"unique","value":[1,1,1]},)x"
            R"x({"description":"array items[1,2] must be unique","field":"(root)","type":"unique","value":[1,1,1]}])x");
  EXPECT_EQ(errors_of(R"({"items":[{"type":"string"}],"additionalItems":false})", R"(["a",2])"),
            R"x([{"description":"No additional items allowed on array","field":"(root)","type":"array_no_additional_items","value":["a",2]}])x");
  EXPECT_EQ(errors_of(R"({"minItems":2})", "[1]"),
            R"x([{"description":"Array must have at least 2 items","field":"(root)","type":"array_min_items","value":[1]}])x");
  EXPECT_EQ(errors_of(R"({"contains":{"type":"string"}})", "[1]"),
            R"x([{"description":"At least one of the items must match","field":"(root)","type":"contains","value":[1]},)x"
            R"({"description":"Invalid type. Expected: string, given: integer","field":"0","type":"invalid_type","value":1}])");
}

TEST(SchemaValidator, CombinatorsReportTheClosestBranch) {
  EXPECT_EQ(errors_of(R"({"anyOf":[{"type":"string"},{"type":"integer","minimum":5}]})", "3"),
            R"x([{"description":"Must validate at least one schema (anyOf)","field":"(root)","type":"number_any_of","value":3},)x"
            R"x({"description":"Must be greater than or equal to 5","field":"(root)","type":"number_gte","value":3}])x");
  EXPECT_EQ(errors_of(R"({"oneOf":[{"type":"integer"},{"minimum":0}]})", "3"),
            R"x([{"description":"Must validate one and only one schema (oneOf)","field":"(root)","type":"number_one_of","value":3}])x");
  EXPECT_EQ(errors_of(R"({"allOf":[{"minimum":5}]})", "3"),
            R"x([{"description":"Must be greater than or equal to 5","field":"(root)","type":"number_gte","value":3},)x"
            R"x({"description":"Must validate all the schemas (allOf)","field":"(root)","type":"number_all_of","value":3}])x");
  EXPECT_EQ(errors_of(R"({"not":{"type":"integer"}})", "3"),
            R"x([{"description":"Must not validate the schema (not)","field":"(root)","type":"number_not","value":3}])x");
  EXPECT_EQ(errors_of(R"({"if":{"minimum":10},"then":{"multipleOf":2},"else":{"maximum":0}})", "11"),
            R"x([{"description":"Must validate \"then\" as \"if\" was valid","field":"(root)","type":"condition_then","value":11},)x"
            R"x({"description":"Must be a multiple of 2","field":"(root)","type":"multiple_of","value":11}])x");
  EXPECT_EQ(errors_of(R"({"not":{}})", "1"),
            R"x([{"description":"Must not validate the schema (not)","field":"(root)","type":"number_not","value":1}])x");
  EXPECT_EQ(errors_of(R"({"properties":{"a":false}})", R"({"a":1})"),
            R"([{"description":"False always fails validation","field":"a","type":"false","value":1}])");
}

TEST(SchemaValidator, LocalReferences) {
  EXPECT_EQ(
      errors_of(
          R"({"definitions":{"pos":{"type":"integer","minimum":0}},"properties":{"n":{"$ref":"#/definitions/pos"}}})",
          R"({"n":-1})"),
      R"([{"description":"Must be greater than or equal to 0","field":"n","type":"number_gte","value":-1}])");
  // Tree-shaped recursion through "#".
  EXPECT_EQ(validate(R"({"properties":{"child":{"$ref":"#"}},"additionalProperties":false})",
                     R"({"child":{"child":{}}})"),
            R"({"data":{"child":{"child":{}}},"valid":true})");
  // The meta-schemas are available without network access.
  EXPECT_EQ(errors_of(R"({"$ref":"http://json-schema.org/draft-07/schema#"})", R"({"minLength":-1})"),
            R"([{"description":"Must be greater than or equal to 0","field":"minLength","type":"number_gte","value":-1},)"
            R"x({"description":"Must validate all the schemas (allOf)","field":"minLength","type":"number_all_of","value":-1}])x");
}

TEST(SchemaValidator, RecursionThatNeverConsumesInputIsAnError) {
  // The reference overflows its stack here.
  EXPECT_EQ(validate(R"({"$ref":"#"})", "1").rfind("error: schema validation failed: ", 0), 0u);
  EXPECT_EQ(validate(R"({"$ref":"http://example.com/s.json"})", "1"),
            "error: schema validation failed: Get \"http://example.com/s.json\": remote references "
            "are not supported");
}

TEST(SchemaValidator, ErrorsAreAGoSliceOfMapsAndValuesAreJsonNumbers) {
  auto r = run_workflow(R"({"nodes":[{"id":"n","type":"number","data":{"value":2}},{"id":"v","type":"schema_validator","data":{"schema":{"minimum":3}}}],"edges":[{"source":"n","target":"v"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  const Value* errors = r.node("v")->find("errors");
  ASSERT_NE(errors, nullptr);
  EXPECT_TRUE(errors->is_record_list());
  EXPECT_TRUE(errors->as_array()[0].find("value")->is_json_number());
  EXPECT_TRUE(r.node("v")->find("data")->is_number());
}

}  // namespace
}  // namespace thaiyyal
// clang-format on
