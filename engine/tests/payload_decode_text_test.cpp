// The text decoder (engine/plan/decode_text.cpp) against the general one:
// the same plans and the same errors, and the fast path really taken for
// the payloads it is meant for. (Every test that runs a payload through
// test_support.hpp compares the two as well.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/plan/payload.hpp"
#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::filesystem::path> json_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool takes_fast_path(std::string_view text) {
  Payload payload;
  return decode_payload_text(text, payload);
}

// The Result of running a plan, without its random execution id.
std::string result_text(const WorkflowPlan& plan) {
  StandaloneHost host;
  RunOutcome outcome = execute(plan, host, Limits{});
  outcome.result.execution_id.clear();
  return result_to_json(outcome.result);
}

TEST(PayloadDecodeText, BenchmarkWorkloadsTakeTheFastPathAndRunAlike) {
  const auto files = json_files(std::filesystem::path(THAIYYAL_SOURCE_DIR) / "bench" / "workloads");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    const std::string text = read_file(file);
    EXPECT_TRUE(takes_fast_path(text)) << file;
    auto by_text = testing::compile_both(text);
    auto by_value = compile_workflow(parse_json(text));
    EXPECT_EQ(result_text(*by_text), result_text(*by_value)) << file;
  }
}

// Text written from a tree (as thaiyyal_execute writes a jsonb payload) has
// its keys sorted, so every node's data comes before its type: the typed
// decoding still takes it, from the data's text once the type is known.
TEST(PayloadDecodeText, SortedKeysDataBeforeTypeTakeTheFastPath) {
  const auto files = json_files(std::filesystem::path(THAIYYAL_SOURCE_DIR) / "bench" / "workloads");
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    std::string text;
    write_json(text, parse_json(read_file(file)), JsonStyle::Plain);
    ASSERT_LT(text.find("\"data\""), text.find("\"type\"")) << file;
    EXPECT_TRUE(takes_fast_path(text)) << file;
    auto plan = testing::compile_both(text);
    EXPECT_EQ(result_text(*plan), result_text(*compile_workflow(parse_json(text)))) << file;
  }
  const std::vector<std::string> fast = {
      // Brackets, quotes and backslashes inside strings of skipped data.
      R"({"nodes":[{"data":{"text":"]}\"[{\\","label":"x"},"id":"t","type":"text_input"}]})",
      R"({"nodes":[{"data":{"cases":[{"when":"input > 1","output_path":"A"},)"
      R"({"when":"default","output_path":"F","is_default":true}]},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":null,"id":"n","type":"number"},{"data":{"value":1},"id":"i"}]})",
      // Switch cases (an array of objects) decoded field by field: null and
      // unknown members, nested values skipped.
      R"({"nodes":[{"data":{"cases":[{"when":null,"output_path":"A","x":[{"y":1}]},)"
      R"({"when":"input > 2","output_path":"B","is_default":false},{"output_path":"F","is_default":true}]},)"
      R"("id":"s","type":"switch"}]})",
  };
  for (const std::string& text : fast) {
    EXPECT_TRUE(takes_fast_path(text)) << text;
    auto plan = testing::compile_both(text);
    EXPECT_EQ(result_text(*plan), result_text(*compile_workflow(parse_json(text)))) << text;
  }
  const std::vector<std::string> general = {
      // Errors inside data before the type: the general path reports them.
      R"({"nodes":[{"data":{"value":"x"},"id":"a","type":"number"}]})",
      R"({"nodes":[{"data":{"value":1,},"id":"a","type":"number"}]})",
      R"({"nodes":[{"data":{"value":1 2},"id":"a","type":"number"}]})",
      R"({"nodes":[{"data":{"value":1]},"id":"a","type":"number"}]})",
      R"({"nodes":[{"data":{"value":[1}},"id":"a","type":"number"}]})",
      R"({"nodes":[{"data":{"value":1}},"id":"a","type":"number"}]})",
      R"({"nodes":[{"data":{"text":"x},"id":"a","type":"text_input"}]})",
      R"({"nodes":[{"data":,"id":"a","type":"number"}]})",
      // Switch cases the general decoding must judge.
      R"({"nodes":[{"data":{"cases":[{"When":"input > 1"}]},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":{"cases":[{"when":"a","when":"b"}]},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":{"cases":[5]},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":{"cases":[null]},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":{"cases":[{"is_default":"yes"}]},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":{"cases":{"when":"x"}},"id":"s","type":"switch"}]})",
      R"({"nodes":[{"data":{"cases":[]},"id":"t","type":"switch"}]})",
  };
  for (const std::string& text : general) {
    EXPECT_FALSE(takes_fast_path(text)) << text;
    try {
      testing::compile_both(text);
    } catch (const std::exception&) {
    }
  }
}

// Every case of the conformance corpus (when it is beside the checkout):
// both decoders accept or refuse it alike, with the same plan or message.
TEST(PayloadDecodeText, ConformanceCasesDecodeAlike) {
  const char* env = std::getenv("THAIYYAL_CONFORMANCE_DIR");
  const std::filesystem::path dir = env != nullptr ? std::filesystem::path(env) / "cases"
                                                   : std::filesystem::path(THAIYYAL_SOURCE_DIR) /
                                                         ".." / "shared" / "conformance" / "cases";
  const auto files = json_files(dir);
  if (files.empty()) GTEST_SKIP() << "no conformance corpus at " << dir;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    try {
      testing::compile_both(read_file(file));
    } catch (const std::exception&) {
      // compile_both has compared the errors.
    }
  }
}

TEST(PayloadDecodeText, UnusualTextFallsBackToTheGeneralPath) {
  const std::vector<std::string> general = {
      // Duplicate members: "last one wins" is the general parser's.
      R"({"nodes":[{"id":"a","id":"b","type":"number","data":{"value":1}}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1,"value":2}}]})",
      R"({"nodes":[],"nodes":[{"id":"a","type":"number","data":{"value":1}}]})",
      // Names that match only case-insensitively (Go's folded match).
      R"({"Nodes":[{"id":"a","type":"number","data":{"value":1}}]})",
      R"({"nodes":[{"ID":"a","type":"number","data":{"value":1}}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"Value":1}}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1,"LABEL":5}}]})",
      R"({"edges":[{"Source":"a","target":"b"}]})",
      // An escaped member name.
      R"({"nod\u0065s":[{"id":"a","type":"number","data":{"value":1}}]})",
      // Errors of every kind.
      R"({"nodes":[{"id":"a","type":"number","data":{"value":"x"}}]})",
      R"({"nodes":[{"id":5}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1}}],})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1e999}}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1,"label":5}}]})",
      R"({"nodes":[{"id":"a","type":"text_operation","data":{}}]})",
      R"({"nodes":[]} x)",
      R"([1])",
  };
  for (const std::string& text : general) {
    EXPECT_FALSE(takes_fast_path(text)) << text;
    try {
      testing::compile_both(text);
    } catch (const std::exception&) {
    }
  }
  const std::vector<std::string> fast = {
      "null",
      "{}",
      R"({"nodes":null,"edges":null,"workflow_id":null})",
      // Unknown members are skipped, whatever their shape.
      R"({"x":{"y":[1,{"z":null}]},"nodes":[{"position":{"x":1},"id":"a","type":"number",)"
      R"("data":{"value":1,"label":"n","extra":[true]}},{"id":"t","type":"visualization",)"
      R"("data":{"mode":"text"}}],"edges":[{"id":"e","source":"a","target":"t","targetHandle":null,"condition":"c","more":1}]})",
      // Data before the type; inferred types; unknown types; escapes in values.
      R"({"nodes":[{"data":{"value":2},"type":"number","id":"a"},{"id":"b","data":{"value":3}},)"
      R"({"id":"c","type":"no_such_type","data":{"q":1}},{"id":"d","type":"text_input",)"
      R"("data":{"text":"caf\u00e9 \"x\""}},{"id":"e","type":"number","data":null},null]})",
      R"({"nodes":[{"id":"s","type":"switch","data":{"cases":[{"when":"input > 1",)"
      R"("output_path":"A"},{"when":"default","output_path":"F","is_default":true}]}}],"edges":[]})",
      // Numbers in every form.
      R"({"nodes":[{"id":"a","type":"number","data":{"value":-0}},{"id":"b","type":"number",)"
      R"("data":{"value":1.5e3}},{"id":"c","type":"number","data":{"value":12345678901234567890}}]})",
  };
  for (const std::string& text : fast) {
    EXPECT_TRUE(takes_fast_path(text)) << text;
    auto plan = testing::compile_both(text);
    EXPECT_EQ(result_text(*plan), result_text(*compile_workflow(parse_json(text)))) << text;
  }
}

// Graph errors are found after the text decoder has built executors into
// the plan's arena: they are destroyed before the arena is (memcheck or
// ASan see the difference), and the next compile on the thread, reusing the
// scratch vectors, is unaffected.
TEST(PayloadDecodeText, GraphErrorsAfterExecutorsWereBuilt) {
  const std::vector<std::string> refused = {
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1}},)"
      R"({"id":"a","type":"text_input","data":{"text":"x"}}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1}},{"id":"b","type":"operation",)"
      R"("data":{"op":"add"}}],"edges":[{"source":"a","target":"b"},{"source":"b","target":"a"}]})",
      R"({"nodes":[{"id":"a","type":"number","data":{"value":1}}],)"
      R"("edges":[{"source":"a","target":"missing"}]})",
  };
  for (const std::string& text : refused) {
    EXPECT_TRUE(takes_fast_path(text)) << text;
    EXPECT_THROW(compile_workflow_json(text), std::exception) << text;
    EXPECT_NE(testing::payload_error(text), "") << text;
  }
  auto plan = compile_workflow_json(R"({"nodes":[{"id":"a","type":"number","data":{"value":4}}]})");
  EXPECT_NE(result_text(*plan).find("4"), std::string::npos);
}

}  // namespace
}  // namespace thaiyyal
