// check_workflow (thaiyyal.check_workflow): what a definition will do wrong,
// found without running it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/go/json.hpp"
#include "engine/plan/check.hpp"

namespace thaiyyal {
namespace {

// "error|node|message" lines.
std::vector<std::string> check(std::string_view payload) {
  std::vector<std::string> lines;
  for (const Diagnostic& d : check_workflow(parse_json(payload))) {
    lines.push_back(std::string(severity_name(d.severity)) + "|" + d.node_id + "|" + d.message);
  }
  return lines;
}

using Lines = std::vector<std::string>;

TEST(CheckWorkflow, AWorkflowThatRunsHasNoProblems) {
  EXPECT_EQ(check(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"number","data":{"value":2}},
      {"id":"s","type":"operation","data":{"op":"add"}},
      {"id":"c","type":"condition","data":{"condition":"input > 2"}},
      {"id":"t","type":"text_input","data":{"text":"big"}}],
    "edges":[{"source":"a","target":"s"},{"source":"b","target":"s"},
             {"source":"s","target":"c"},{"source":"c","target":"t","sourceHandle":"true"}]})"),
            Lines{});
}

TEST(CheckWorkflow, APayloadThatDoesNotCompileIsOneError) {
  EXPECT_EQ(check(R"({"nodes":[{"id":"a","type":"number","data":{"value":"x"}}]})"),
            Lines{"error|a|failed to parse payload: failed to unmarshal data for node a (type "
                  "number): json: cannot unmarshal string into Go struct field NumberData.value "
                  "of type float64"});
  EXPECT_EQ(check(R"({"nodes":[{"id":"a","type":"number","data":{"value":1}}],
                      "edges":[{"source":"a","target":"nowhere"}]})")
                .size(),
            1u);
  EXPECT_EQ(check(R"({"nodes":[{"id":"a","type":"text_operation","data":{}}]})"),
            Lines{"error|a|failed to parse payload: failed to unmarshal data for node a (type "
                  "text_operation): missing required field: text_op"});
}

TEST(CheckWorkflow, UnknownTypesAndOperationsAreErrors) {
  EXPECT_EQ(check(R"({"nodes":[
      {"id":"u","type":"no_such_type","data":{}},
      {"id":"o","type":"operation","data":{"op":"modulo"}},
      {"id":"t","type":"text_operation","data":{"text_op":"shout"}},
      {"id":"x","type":"transform","data":{"transform_type":"zip"}},
      {"id":"f","type":"format","data":{"output_type":"xml"}},
      {"id":"p","type":"parse","data":{"input_type":"ini"}},
      {"id":"a","type":"accumulator","data":{"accum_op":"max"}},
      {"id":"k","type":"counter","data":{"counter_op":"double"}},
      {"id":"c","type":"cache","data":{"cache_op":"purge","cache_key":"k"}}]})"),
            (Lines{"error|u|no executor registered for type: no_such_type",
                   "error|o|unknown operation: modulo", "error|t|unknown text operation: shout",
                   "error|x|unsupported transform type: zip",
                   "error|f|unsupported output type: XML (supported: JSON, CSV, TSV)",
                   "error|p|unsupported input type: INI (supported: AUTO, JSON, CSV, TSV, YAML, "
                   "XML)",
                   "error|a|unsupported accumulator operation: max",
                   "error|k|unsupported counter operation: double (use increment, decrement, "
                   "reset, or get)",
                   "error|c|unsupported cache operation: purge (use get, set, or delete)"}));
}

TEST(CheckWorkflow, KnownOperationsAreNotReported) {
  for (const char* op : {"add", "subtract", "multiply", "divide"}) {
    EXPECT_EQ(check(std::string(R"({"nodes":[{"id":"o","type":"operation","data":{"op":")") + op +
                    R"("}}]})"),
              Lines{})
        << op;
  }
  for (const char* op :
       {"uppercase", "lowercase", "titlecase", "camelcase", "inversecase", "concat", "repeat"}) {
    EXPECT_EQ(
        check(std::string(R"({"nodes":[{"id":"t","type":"text_operation","data":{"text_op":")") +
              op + R"("}}]})"),
        Lines{})
        << op;
  }
  for (const char* type : {"to_array", "to_object", "flatten", "keys", "values"}) {
    EXPECT_EQ(
        check(std::string(R"({"nodes":[{"id":"x","type":"transform","data":{"transform_type":")") +
              type + R"("}}]})"),
        Lines{})
        << type;
  }
}

TEST(CheckWorkflow, ExpressionsThatDoNotParseAreErrors) {
  const Lines lines = check(R"({"nodes":[
      {"id":"e","type":"expression","data":{"expression":"1 +"}},
      {"id":"c","type":"condition","data":{"condition":">= >="}},
      {"id":"f","type":"filter","data":{"condition":"item >"}},
      {"id":"m","type":"map","data":{"expression":"item *"}},
      {"id":"r","type":"reduce","data":{"expression":"accumulator +"}},
      {"id":"s","type":"switch","data":{"cases":[{"when":"(","output_path":"x"},{"is_default":true}]}},
      {"id":"q","type":"sql_query","data":{"query":"SELECT $1","params":["input."]}}]})");
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0].rfind("error|e|expression syntax error", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("error|c|", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("error|f|expression syntax error", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("error|m|expression syntax error", 0), 0u) << lines[3];
  EXPECT_EQ(lines[4].rfind("error|r|expression syntax error", 0), 0u) << lines[4];
  EXPECT_EQ(lines[5].rfind("error|s|case 0: ", 0), 0u) << lines[5];
  EXPECT_EQ(lines[6].rfind("error|q|sql_query parameter $1: ", 0), 0u) << lines[6];
}

TEST(CheckWorkflow, HandlesNoSourceEmitsAndTheNodesBehindThemAreWarnings) {
  EXPECT_EQ(check(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"c","type":"condition","data":{"condition":"input > 1"}},
      {"id":"yes","type":"text_input","data":{"text":"y"}},
      {"id":"maybe","type":"text_input","data":{"text":"?"}},
      {"id":"after","type":"text_operation","data":{"text_op":"uppercase"}},
      {"id":"sw","type":"switch","data":{"cases":[{"when":">3","output_path":"big"},{"is_default":true}]}},
      {"id":"big","type":"text_input","data":{"text":"b"}},
      {"id":"huge","type":"text_input","data":{"text":"h"}},
      {"id":"other","type":"text_input","data":{"text":"o"}}],
    "edges":[
      {"source":"n","target":"c"},
      {"source":"c","target":"yes","sourceHandle":"true"},
      {"source":"c","target":"maybe","sourceHandle":"maybe"},
      {"source":"maybe","target":"after"},
      {"source":"n","target":"sw"},
      {"source":"sw","target":"big","sourceHandle":"big"},
      {"source":"sw","target":"huge","sourceHandle":"huge"},
      {"source":"sw","target":"other","sourceHandle":"default"}]})"),
            (Lines{"warning|maybe|the edge from \"c\" (type condition) on handle \"maybe\" is "
                   "never taken: that node emits only \"true\" and \"false\"",
                   "warning|maybe|node \"maybe\" can never run: no edge into it can be taken",
                   "warning|after|node \"after\" can never run: no edge into it can be taken",
                   "warning|huge|the edge from \"sw\" (type switch) on handle \"huge\" is never "
                   "taken: that node emits only \"big\" and \"default\"",
                   "warning|huge|node \"huge\" can never run: no edge into it can be taken"}));
}

TEST(CheckWorkflow, HandlesFromDataNodesAreNotJudged) {
  // An expression's output is data: it may hold any `path`.
  EXPECT_EQ(check(R"({"nodes":[
      {"id":"e","type":"expression","data":{"expression":"{\"path\": \"x\"}"}},
      {"id":"t","type":"text_input","data":{"text":"t"}}],
    "edges":[{"source":"e","target":"t","sourceHandle":"x"}]})"),
            Lines{});
  // A number's never does.
  EXPECT_EQ(check(R"({"nodes":[
      {"id":"a","type":"number","data":{"value":1}},
      {"id":"b","type":"number","data":{"value":2}},
      {"id":"s","type":"operation","data":{"op":"add"}},
      {"id":"t","type":"text_input","data":{"text":"t"}}],
    "edges":[{"source":"a","target":"s"},{"source":"b","target":"s"},
             {"source":"s","target":"t","sourceHandle":"out"}]})"),
            (Lines{"warning|t|the edge from \"s\" (type operation) on handle \"out\" is never "
                   "taken: that node emits no handle",
                   "warning|t|node \"t\" can never run: no edge into it can be taken"}));
}

}  // namespace
}  // namespace thaiyyal
