// `format` (nodes.md): values → JSON text (Go encoding/json) or CSV/TSV text
// (Go encoding/csv Writer quoting).
#include <gtest/gtest.h>

#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::payload_error;
using testing::run_node;
using testing::run_workflow;

std::string csv(std::string_view input_json, std::string_view extra = "") {
  std::string data = R"({"output_type":"CSV")";
  if (!extra.empty()) data += "," + std::string(extra);
  data += "}";
  return run_node("format", data, {input_json});
}

// --- JSON ----------------------------------------------------------------------

TEST(FormatJson, GoEncodingWithSortedKeysAndHtmlEscaping) {
  EXPECT_EQ(run_node("format", R"({"output_type":"JSON"})", {R"("hi")"}), R"("\"hi\"")");
  EXPECT_EQ(run_node("format", R"({"output_type":"json"})", {R"({"b":1,"a":"<a&b>"})"}),
            R"("{\"a\":\"\\u003ca\\u0026b\\u003e\",\"b\":1}")");
  EXPECT_EQ(run_node("format", R"({"output_type":"JSON"})", {"1e21"}), R"("1e+21")");
}

TEST(FormatJson, PrettyPrintIsMarshalIndentWithTwoSpaces) {
  EXPECT_EQ(run_node("format", R"({"output_type":"JSON","pretty_print":true})",
                     {R"({"a":[1,2],"b":{},"c":[]})"}),
            R"("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}")");
}

TEST(FormatJson, NaNCannotBeEncoded) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"t","type":"text_input","data":{"text":"NaN"}},
      {"id":"p","type":"parse","data":{"input_type":"JSON"}},
      {"id":"f","type":"format","data":{"output_type":"JSON"}}],
    "edges":[{"source":"t","target":"p"},{"source":"p","target":"f"}]})");
  EXPECT_EQ(r.error(),
            "error executing node f: failed to format as JSON: json: unsupported value: NaN");
}

// --- CSV / TSV ---------------------------------------------------------------------

TEST(FormatCsv, HeadersAreTheSortedUnionOfKeysAndCellsFollowGoRules) {
  EXPECT_EQ(
      csv(R"([{"b":1.5,"a":"x,y"},{"a":" lead","c":null,"d":[1,"2"],"e":1e20,"f":true,"g":"q\"uote"}])"),
      R"("a,b,c,d,e,f,g\n\"x,y\",1.5,,,,,\n\" lead\",,,\"[1,\"\"2\"\"]\",1e+20,true,\"q\"\"uote\"\n")");
}

TEST(FormatCsv, NumberCells) {
  EXPECT_EQ(csv(R"([{"a":30,"b":-0,"c":2.5,"d":123456789,"e":1e21,"f":-9.2e18}])"),
            R"("a,b,c,d,e,f\n30,0,2.5,123456789,1e+21,-9200000000000000000\n")");
}

TEST(FormatCsv, NestedValuesAreCompactJson) {
  EXPECT_EQ(csv(R"([{"o":{"k":"<v>"},"a":[]}])"),
            R"("a,o\n[],\"{\"\"k\"\":\"\"\\u003cv\\u003e\"\"}\"\n")");
}

TEST(FormatCsv, GoWriterQuoting) {
  // \r, \n, a leading Unicode space and the field `\.` force quotes.
  EXPECT_EQ(csv(R"([{"a":"x\ry","b":"\u00a0nbsp","c":"\\.","d":"in ner","e":""}])"),
            "\"a,b,c,d,e\\n\\\"x\\ry\\\",\\\"\u00a0nbsp\\\",\\\"\\\\.\\\",in ner,\\n\"");
}

TEST(FormatCsv, SingleObjectAndOptions) {
  EXPECT_EQ(csv(R"({"a":1})"), R"("a\n1\n")");
  EXPECT_EQ(csv(R"([{"a":1,"b":2}])", R"("include_headers":false,"delimiter":";;")"), R"("1;2\n")");
  EXPECT_EQ(csv(R"([{"a":1,"b":"x;y"}])", R"("delimiter":";")"), R"("a;b\n1;\"x;y\"\n")");
  EXPECT_EQ(csv(R"([{"a":1,"b":2}])", R"("delimiter":"")"), R"("a,b\n1,2\n")");
}

TEST(FormatCsv, TsvAlwaysUsesTab) {
  EXPECT_EQ(run_node("format", R"({"output_type":"TSV","delimiter":";"})",
                     {R"([{"a":"x y","b":"t\tab"}])"}),
            R"("a\tb\nx y\t\"t\tab\"\n")");
}

TEST(FormatCsv, NoRecordsIsEmptyText) {
  EXPECT_EQ(csv("[]"), R"("")");
  EXPECT_EQ(csv("[]", R"("delimiter":"\"")"), R"("")");
}

TEST(FormatCsv, Errors) {
  EXPECT_EQ(csv("[1,2]"),
            "error: CSV formatting requires array of objects, got array element of type float64");
  EXPECT_EQ(
      csv(R"([{"a":1},[1]])"),
      "error: CSV formatting requires array of objects, got array element of type []interface {}");
  EXPECT_EQ(csv(R"("x")"),
            "error: CSV formatting requires array of objects or single object, got string");
  EXPECT_EQ(csv("null"),
            "error: CSV formatting requires array of objects or single object, got <nil>");
  EXPECT_EQ(csv(R"([{"a":1}])", R"("delimiter":"\"")"),
            "error: failed to write CSV headers: csv: invalid field or comment delimiter");
  EXPECT_EQ(csv(R"([{"a":1}])", R"("delimiter":"\n","include_headers":false)"),
            "error: failed to write CSV row: csv: invalid field or comment delimiter");
}

TEST(FormatNode, InputAndOutputTypeErrors) {
  EXPECT_EQ(run_node("format", R"({"output_type":"CSV"})"), "error: format node requires input");
  EXPECT_EQ(run_node("format", R"({"output_type":"xml"})", {"1"}),
            "error: unsupported output type: XML (supported: JSON, CSV, TSV)");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"f","type":"format","data":{}}]})"),
            "failed to parse payload: failed to unmarshal data for node f (type format): missing "
            "required field: output_type");
}

TEST(FormatCsv, RecordListsRoundTrip) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"t","type":"text_input","data":{"text":"name,age\nAlice,30\n\"Smith, J\",1.5"}},
      {"id":"p","type":"parse","data":{}},
      {"id":"f","type":"format","data":{"output_type":"CSV"}}],
    "edges":[{"source":"t","target":"p"},{"source":"p","target":"f"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("f")), R"("age,name\n30,Alice\n1.5,\"Smith, J\"\n")");
}

}  // namespace
}  // namespace thaiyyal
