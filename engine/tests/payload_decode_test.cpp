// Payload decoding, type inference and decode-time validation
// (workflow-format.md §1-§6).
#include <gtest/gtest.h>

#include "engine/plan/payload.hpp"
#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::payload_error;
using testing::run_workflow;

std::string inferred(std::string_view data_json) {
  return infer_node_type(parse_json(data_json).as_object());
}

TEST(PayloadDecode, TopLevelMustBeAnObject) {
  EXPECT_EQ(payload_error("[1]"),
            "failed to parse payload: json: cannot unmarshal array into Go value of type "
            "types.Payload");
  EXPECT_EQ(payload_error("\"x\""),
            "failed to parse payload: json: cannot unmarshal string into Go value of type "
            "types.Payload");
  EXPECT_EQ(payload_error("5"),
            "failed to parse payload: json: cannot unmarshal number into Go value of type "
            "types.Payload");
}

TEST(PayloadDecode, NullAndEmptyPayloadsAreEmptyWorkflows) {
  EXPECT_EQ(payload_error("null"), "");
  EXPECT_EQ(payload_error("{}"), "");
  auto r = run_workflow("{\"nodes\":null,\"edges\":null}");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(testing::json(r.result.find("node_results")), "{}");
  EXPECT_TRUE(r.final_output().is_null());
}

TEST(PayloadDecode, WrongFieldTypesNameTheGoField) {
  EXPECT_EQ(payload_error(R"({"workflow_id":5})"),
            "failed to parse payload: json: cannot unmarshal number into Go struct field "
            "Payload.workflow_id of type string");
  EXPECT_EQ(payload_error(R"({"nodes":{}})"),
            "failed to parse payload: json: cannot unmarshal object into Go struct field "
            "Payload.nodes of type []types.Node");
  EXPECT_EQ(payload_error(R"({"edges":[{"source":1}]})"),
            "failed to parse payload: json: cannot unmarshal number into Go struct field "
            "Edge.edges.source of type string");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":1}]})"),
            "failed to parse payload: failed to unmarshal node: json: cannot unmarshal number "
            "into Go struct field NodeTemp.id of type string");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"a","type":7}]})"),
            "failed to parse payload: failed to unmarshal node: json: cannot unmarshal number "
            "into Go struct field NodeTemp.type of type types.NodeType");
}

TEST(PayloadDecode, KeysMatchCaseInsensitively) {
  auto r = run_workflow(R"({"Nodes":[{"ID":"a","Type":"number","Data":{"VALUE":3}}],"EDGES":[]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(testing::json(r.node("a")), "3");
}

// Go's encoding/json folds keys with Unicode simple case folding: U+017F
// LATIN SMALL LETTER LONG S is an 's' and U+212A KELVIN SIGN a 'k'
// (workflow-format.md §1).
TEST(PayloadDecode, KeysMatchUnderUnicodeSimpleFolding) {
  auto r = run_workflow(
      "{\"node\u017F\":[{\"id\":\"a\",\"type\":\"number\",\"data\":{\"value\":6}},"
      "{\"id\":\"b\",\"type\":\"number\",\"data\":{\"value\":7}},"
      "{\"id\":\"m\",\"type\":\"operation\",\"data\":{\"op\":\"multiply\"}}],"
      "\"edge\u017F\":[{\"\u017Fource\":\"a\",\"target\":\"m\"},"
      "{\"\u017FOURCE\":\"b\",\"TARGET\":\"m\"}]}");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(testing::json(r.final_output()), "42");

  // The Kelvin sign folds to 'K' in a data key: "cache_\u212Aey" is cache_key.
  auto cache = [](const char* key) {
    return run_workflow(std::string(R"({"nodes":[
        {"id":"v","type":"number","data":{"value":5}},
        {"id":"c","type":"cache","data":{"cache_op":"set",")") +
                        key + R"(":"k1"}}],"edges":[{"source":"v","target":"c"}]})");
  };
  const auto plain = cache("cache_key");
  const auto kelvin = cache("cache_\u212Aey");
  ASSERT_TRUE(plain.ok()) << plain.error();
  ASSERT_TRUE(kelvin.ok()) << kelvin.error();
  EXPECT_EQ(testing::json(kelvin.node("c")), testing::json(plain.node("c")));

  // Folding is not "anything goes": an accent or a different letter does
  // not match, and an unmatched key is ignored like any unknown key.
  EXPECT_EQ(payload_error("{\"nod\u00E9s\":[{\"id\":\"a\",\"type\":\"number\"}]}"), "");
  auto ignored = run_workflow("{\"nod\u00E9s\":[{\"id\":\"a\",\"type\":\"number\"}]}");
  ASSERT_TRUE(ignored.ok()) << ignored.error();
  EXPECT_EQ(testing::json(ignored.result.find("node_results")), "{}");
}

TEST(PayloadDecode, DataFieldsAreTyped) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"n","type":"number","data":{"value":"5"}}]})"),
            "failed to parse payload: failed to unmarshal data for node n (type number): json: "
            "cannot unmarshal string into Go struct field NumberData.value of type float64");
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"t","type":"text_operation","data":{"text_op":"repeat","repeat_n":2.5}}]})"),
      "failed to parse payload: failed to unmarshal data for node t (type text_operation): json: "
      "cannot unmarshal number 2.5 into Go struct field TextOperationData.repeat_n of type int");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"n","type":"number","data":[1]}]})"),
            "failed to parse payload: failed to unmarshal data for node n (type number): json: "
            "cannot unmarshal array into Go value of type types.NumberData");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"n","type":"whatever","data":5}]})"),
            "failed to parse payload: failed to unmarshal data for node n (type whatever): json: "
            "cannot unmarshal number into Go value of type types.CustomExecutorData");
}

TEST(PayloadDecode, RequiredFieldsAreCheckedAtDecodeTime) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"n","type":"number","data":{}}]})"),
            "failed to parse payload: failed to unmarshal data for node n (type number): missing "
            "required field: value");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"n","type":"number","data":{"value":null}}]})"),
            "failed to parse payload: failed to unmarshal data for node n (type number): missing "
            "required field: value");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"v","data":{"var_name":"x","var_op":null}}]})"),
            "failed to parse payload: failed to unmarshal data for node v (type variable): missing "
            "required field: var_op");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"e","type":"extract","data":{"fields":[]}}]})"),
            "failed to parse payload: failed to unmarshal data for node e (type extract): missing "
            "required field: field or fields");
}

TEST(PayloadDecode, SwitchCasesAreValidatedStructurally) {
  auto sw = [](std::string cases) {
    return payload_error(R"({"nodes":[{"id":"s","type":"switch","data":{"cases":)" + cases +
                         "}}]}");
  };
  const std::string prefix =
      "failed to parse payload: failed to unmarshal data for node s (type switch): ";
  EXPECT_EQ(sw("[]"), prefix + "missing required field: cases");
  EXPECT_EQ(sw(R"([{"is_default":true},{"when":">1","output_path":"a"}])"),
            prefix +
                "default case must be the last case in the array (found at index 0, but last "
                "index is 1)");
  EXPECT_EQ(
      sw(R"([{"when":">1"},{"is_default":true}])"),
      prefix + "case at index 0 must have output_path (non-default cases require output_path)");
  EXPECT_EQ(sw(R"([{"when":">1","output_path":"a"}])"),
            prefix + "switch node must have exactly one default case (found 0)");
  EXPECT_EQ(sw(R"([{"when":">1","output_path":"a"},{"is_default":true}])"), "");
}

TEST(PayloadDecode, TypeInferenceFollowsTheReferenceRules) {
  EXPECT_EQ(inferred(R"({"value":5,"op":"add"})"), "number");
  EXPECT_EQ(inferred(R"({"text":null})"), "text_input");
  EXPECT_EQ(inferred(R"({"condition":"x"})"), "filter");
  EXPECT_EQ(inferred(R"({"condition":"x","true_path":"t"})"), "condition");
  EXPECT_EQ(inferred(R"({"expression":"a","initial_value":0})"), "reduce");
  EXPECT_EQ(inferred(R"({"expression":"x*2"})"), "expression");
  EXPECT_EQ(inferred(R"({"expression":""})"), "");
  EXPECT_EQ(inferred(R"({"field":"a","expression":""})"), "extract");
  EXPECT_EQ(inferred(R"({"mode":"table"})"), "visualization");
  EXPECT_EQ(inferred(R"({"cases":[]})"), "switch");
  EXPECT_EQ(inferred(R"({"context_values":[]})"), "context_variable");
  EXPECT_EQ(inferred(R"({"timeout":"1s"})"), "");
  EXPECT_EQ(inferred(R"({"timeout":"1s","timeout_action":"error"})"), "timeout");
  EXPECT_EQ(inferred(R"({"Value":5})"), "");  // inference is case-sensitive
}

TEST(PayloadDecode, NodesWithoutDataFailOnlyWhenExecuted) {
  auto r = run_workflow(R"({"nodes":[{"id":"n","type":"number"}]})");
  EXPECT_EQ(r.error(), "error executing node n: expected NumberData, got <nil>");
  auto unknown = run_workflow(R"({"nodes":[{"id":"n","type":"mystery","data":{}}]})");
  EXPECT_EQ(unknown.error(), "error executing node n: no executor registered for type: mystery");
  auto empty = run_workflow(R"({"nodes":[{"id":"n","data":{"expression":""}}]})");
  EXPECT_EQ(empty.error(), "error executing node n: no executor registered for type: ");
}

TEST(PayloadDecode, EdgesToOrFromUnknownNodesAreRejected) {
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"a","type":"number","data":{"value":1}}],"edges":[{"id":"e","source":"a","target":"zz"}]})"),
      "edge \"e\" references unknown target node \"zz\"");
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"a","type":"number","data":{"value":1}}],"edges":[{"source":"zz","target":"a"}]})"),
      "edge references unknown source node \"zz\"");
}

TEST(PayloadDecode, CyclesAndDuplicateIdsAreRejected) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"visualization","data":{}}],
      "edges":[{"source":"a","target":"b"},{"source":"b","target":"a"}]})"),
            "workflow contains cycles (circular dependencies)");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"a","type":"number","data":{"value":1}},
      {"id":"a","type":"number","data":{"value":2}}]})"),
            "workflow contains duplicate node id \"a\"");
}

}  // namespace
}  // namespace thaiyyal
