// `parse` (nodes.md): text → values, with the reference's AUTO detection and
// Go's JSON, encoding/csv and encoding/xml behaviour.
#include <gtest/gtest.h>

#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::payload_error;
using testing::run_node;
using testing::run_workflow;

std::string parse(std::string_view input_json, std::string_view data = "{}") {
  return run_node("parse", data, {input_json});
}
std::string parse_as(std::string_view type, std::string_view input_json) {
  return run_node("parse", std::string(R"({"input_type":")") + std::string(type) + "\"}",
                  {input_json});
}

// --- AUTO detection -----------------------------------------------------------

TEST(ParseAuto, JsonObjectsAndArrays) {
  EXPECT_EQ(parse(R"("{\"a\": 1, \"b\": [1,2]}")"), R"({"a":1,"b":[1,2]})");
  EXPECT_EQ(parse(R"("  [1, \"x\", null]  ")"), R"([1,"x",null])");
}

TEST(ParseAuto, CsvWithHeaderBecomesARecordList) {
  EXPECT_EQ(parse(R"("name,age\nAlice,30\nBob,  25\n,true")"),
            R"([{"age":30,"name":"Alice"},{"age":25,"name":"Bob"},{"age":true,"name":""}])");
}

TEST(ParseAuto, TsvWhenTheFirstLineHasMoreTabsThanCommas) {
  EXPECT_EQ(parse(R"("a\tb\n1\t2,5")"), R"([{"a":1,"b":"2,5"}])");
}

TEST(ParseAuto, YamlNeedsTwoKeyValueLines) {
  EXPECT_EQ(parse(R"("a: 1\nb: hello\nc: true\n# comment\nd: null")"),
            R"({"a":1,"b":"hello","c":true,"d":null})");
  // A single "key: value" line is not YAML; as JSON it is an error.
  EXPECT_EQ(parse(R"("key: value")"),
            "error: invalid JSON: invalid character 'k' looking for beginning of value");
}

TEST(ParseAuto, XmlWhenWrappedInAngleBrackets) {
  EXPECT_EQ(parse(R"("<n>42</n>")"), R"({"n":42})");
}

TEST(ParseAuto, BracesThatAreNotValidJsonFallThroughToJsonErrors) {
  EXPECT_EQ(parse(R"("{not json}")"),
            "error: invalid JSON: invalid character 'n' looking for beginning of object key "
            "string");
}

TEST(ParseAuto, ScalarsAreJson) {
  EXPECT_EQ(parse(R"("  42  ")"), "42");
  EXPECT_EQ(parse(R"("true")"), "true");
  EXPECT_EQ(parse(R"("null")"), "null");
  EXPECT_EQ(parse(R"("\"quoted\"")"), R"("quoted")");
}

// --- input conversion ------------------------------------------------------------

TEST(ParseInput, NonStringInputsAreConvertedToText) {
  EXPECT_EQ(parse("1000000"), "1000000");  // %v "1e+06" parses back
  EXPECT_EQ(parse("2.5"), "2.5");
  EXPECT_EQ(parse("true"), "true");
  EXPECT_EQ(parse("null"), "error: invalid JSON: EOF");  // null → ""
  EXPECT_EQ(parse(R"({"b":[1,{"c":"<x>"}],"a":1})"), R"({"a":1,"b":[1,{"c":"\u003cx\u003e"}]})");
}

TEST(ParseInput, RequiresAnInput) {
  EXPECT_EQ(run_node("parse", "{}"), "error: parse node requires input");
}

TEST(ParseInput, UnknownTypeIsAnExecutionError) {
  EXPECT_EQ(parse_as("toml", R"("a = 1")"),
            "error: unsupported input type: TOML (supported: AUTO, JSON, CSV, TSV, YAML, XML)");
  EXPECT_EQ(parse_as("json", R"("[1]")"), "[1]");  // upper-cased
}

// --- JSON ---------------------------------------------------------------------------

TEST(ParseJson, GoParseFloatSyntaxIsANumber) {
  EXPECT_EQ(parse_as("JSON", R"("1_000")"), "1000");
  EXPECT_EQ(parse_as("JSON", R"("0x1p4")"), "16");
  EXPECT_EQ(parse_as("JSON", R"(".5")"), "0.5");
  EXPECT_EQ(parse_as("JSON", R"("1e3")"), "1000");
}

TEST(ParseJson, OnlyTheFirstValueIsDecoded) {
  EXPECT_EQ(parse_as("JSON", R"("[1,2] trailing")"), "[1,2]");
  EXPECT_EQ(parse_as("JSON", R"("true false")"), "true");
  EXPECT_EQ(parse_as("JSON", R"("{\"a\":1}{\"b\":2}")"), R"({"a":1})");
}

TEST(ParseJson, NumbersOutOfFloat64RangeStayText) {
  EXPECT_EQ(parse_as("JSON", R"("1e400")"), R"("1e400")");
  EXPECT_EQ(parse_as("JSON", R"("[1e400, 2]")"), R"(["1e400",2])");
}

TEST(ParseJson, ErrorsUseGoDecoderTexts) {
  EXPECT_EQ(parse_as("JSON", R"("")"), "error: invalid JSON: EOF");
  EXPECT_EQ(parse_as("JSON", R"("   ")"), "error: invalid JSON: EOF");
  EXPECT_EQ(parse_as("JSON", R"("key")"),
            "error: invalid JSON: invalid character 'k' looking for beginning of value");
  EXPECT_EQ(parse_as("JSON", R"("[1,")"), "error: invalid JSON: unexpected EOF");
}

// --- CSV / TSV ------------------------------------------------------------------------

TEST(ParseCsv, CellsAreTrimmedAndTyped) {
  EXPECT_EQ(parse_as("CSV", R"("x,y,z,w\nnull, 1e3 ,abc,\n")"),
            R"([{"w":"","x":null,"y":1000,"z":"abc"}])");
  EXPECT_EQ(parse_as("CSV", R"("a,b\ntrue,false")"), R"([{"a":true,"b":false}])");
  EXPECT_EQ(parse_as("CSV", R"("a\n1e400")"), R"([{"a":"1e400"}])");
}

TEST(ParseCsv, QuotesLineBreaksAndCrLf) {
  EXPECT_EQ(parse_as("CSV", R"("a,b\n\"x\ny\",\"say \"\"hi\"\"\"")"),
            R"([{"a":"x\ny","b":"say \"hi\""}])");
  EXPECT_EQ(parse_as("CSV", R"("a,b\r\n1,2\r\n")"), R"([{"a":1,"b":2}])");
  EXPECT_EQ(parse_as("CSV", R"("a,b\n\n1,2\n\n")"), R"([{"a":1,"b":2}])");  // blank lines
}

TEST(ParseCsv, LaterDuplicateHeaderWins) {
  EXPECT_EQ(parse_as("CSV", R"("a,a\n1,2")"), R"([{"a":2}])");
}

TEST(ParseCsv, NoRecordsIsAnEmptyRecordList) {
  EXPECT_EQ(parse_as("CSV", R"("")"), "[]");
  EXPECT_EQ(parse_as("CSV", R"("a,b\n")"), "[]");
}

TEST(ParseCsv, GoReaderErrors) {
  EXPECT_EQ(parse_as("CSV", R"("a,b\n1,2,3")"),
            "error: invalid CSV/TSV: record on line 2: wrong number of fields");
  EXPECT_EQ(parse_as("CSV", R"("a,b\n1,x\"y")"),
            "error: invalid CSV/TSV: parse error on line 2, column 4: bare \" in non-quoted-field");
  EXPECT_EQ(parse_as("CSV", R"("a\n\"x\"y")"),
            "error: invalid CSV/TSV: parse error on line 2, column 3: extraneous or missing \" in "
            "quoted-field");
  EXPECT_EQ(parse_as("CSV", R"("a\n\"x\ny")"),
            "error: invalid CSV/TSV: record on line 2; parse error on line 3, column 2: "
            "extraneous or missing \" in quoted-field");
}

TEST(ParseCsv, TsvLeadingSpaceTrimmingSwallowsEmptyFields) {
  // TrimLeadingSpace treats the tab after an empty field as leading space.
  EXPECT_EQ(parse_as("TSV", R"("a\tb\tc\n1\t\t3")"),
            "error: invalid CSV/TSV: record on line 2: wrong number of fields");
  EXPECT_EQ(parse_as("TSV", R"("a\tb\n1\t2")"), R"([{"a":1,"b":2}])");
}

TEST(ParseCsv, ResultIsARecordListNotAnArray) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"t","type":"text_input","data":{"text":"a,b\n1,2"}},
      {"id":"p","type":"parse","data":{}},
      {"id":"r","type":"reverse","data":{}}],
    "edges":[{"source":"t","target":"p"},{"source":"p","target":"r"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  ASSERT_NE(r.node("p"), nullptr);
  EXPECT_TRUE(r.node("p")->is_record_list());
  EXPECT_EQ(json(r.node("r")), R"({"error":"input is not an array","input":[{"a":1,"b":2}],)"
                               R"("original_type":"[]map[string]interface {}"})");
}

// --- YAML ---------------------------------------------------------------------------------

TEST(ParseYaml, FlatKeyValueLinesOnly) {
  EXPECT_EQ(parse_as("YAML", R"("a: \"x\"\nb: 2\nnot a pair\nc:")"),
            R"({"a":"\"x\"","b":2,"c":""})");
  EXPECT_EQ(parse_as("YAML", R"("url: http://x:80\nurl: later")"), R"({"url":"later"})");
  EXPECT_EQ(parse_as("YAML", R"("just text\n# comment")"),
            "error: no valid YAML key-value pairs found");
}

// --- XML ---------------------------------------------------------------------------------

TEST(ParseXml, RootTextOnlyChildTextExcluded) {
  EXPECT_EQ(parse_as("XML", R"("<user><name>Alice</name><age>30</age></user>")"), R"({"user":""})");
  EXPECT_EQ(parse_as("XML", R"("<a>1<b>2</b>3</a>")"), R"({"a":13})");
  EXPECT_EQ(parse_as("XML", R"("<?xml version=\"1.0\"?><!-- c --><x:v a='1'> true </x:v>")"),
            R"({"v":true})");
  EXPECT_EQ(parse_as("XML", R"("<a>&lt;&amp;<![CDATA[<b>]]>&#65;</a>")"),
            R"({"a":"\u003c\u0026\u003cb\u003eA"})");
  EXPECT_EQ(parse_as("XML", R"("<empty/>")"), R"({"empty":""})");
  EXPECT_EQ(parse_as("XML", R"("<a>1</a><trailing>")"), R"({"a":1})");
}

TEST(ParseXml, MalformedDocumentsReportTheFirstAttemptsError) {
  const std::string fixed = "error: invalid XML: unknown type map[string]interface {}";
  EXPECT_EQ(parse(R"("<a><b></a>")"), fixed);
  EXPECT_EQ(parse(R"("<a>")"), fixed);
  EXPECT_EQ(parse(R"("<a>&bogus;</a>")"), fixed);
  // Before the root element the decoder's own error surfaces.
  EXPECT_EQ(parse_as("XML", R"("hello")"), "error: invalid XML: EOF");
  EXPECT_EQ(parse_as("XML", R"("")"), "error: invalid XML: EOF");
  EXPECT_EQ(parse(R"("<>")"),
            "error: invalid XML: XML syntax error on line 1: expected element name after <");
}

// --- decoding -----------------------------------------------------------------------------

TEST(ParseDecode, InputTypeMustBeAString) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"p","type":"parse","data":{"input_type":1}}]})"),
            "failed to parse payload: failed to unmarshal data for node p (type parse): json: "
            "cannot unmarshal number into Go struct field ParseData.input_type of type string");
}

}  // namespace
}  // namespace thaiyyal
