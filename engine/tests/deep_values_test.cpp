// Values nested deeper than the formatters accept (10,000 levels) fail the
// node that formats them -- a node error like any other, never an engine
// error.
#include <gtest/gtest.h>

#include "tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::run_workflow;

TEST(DeepValues, FormattingAValueNestedTooDeeplyFailsThatNode) {
  // reduce with [accumulator] nests one level per element (range makes at
  // most 10,000), the expression five more: beyond 10,000 levels.
  const auto r = run_workflow(R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":9999}},
      {"id":"items","type":"expression","data":{"expression":"input.range"}},
      {"id":"deep","type":"reduce","data":{"expression":"[accumulator]"}},
      {"id":"rows","type":"expression","data":{"expression":"[{cell: [[[[[input]]]]]}]"}},
      {"id":"csv","type":"format","data":{"output_type":"CSV"}}],
    "edges":[{"source":"r","target":"items"},{"source":"items","target":"deep"},{"source":"deep","target":"rows"},
             {"source":"rows","target":"csv"}]})");
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::NodeFailed);
  EXPECT_EQ(r.outcome.failed_node_id, "csv");
  EXPECT_NE(r.outcome.node_message.find("nested too deeply"), std::string::npos)
      << r.outcome.node_message;
}

}  // namespace
}  // namespace thaiyyal
