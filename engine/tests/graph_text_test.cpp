// to_mermaid / to_dot (engine/plan/graph_text.hpp): pictures of a workflow
// and of a run.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/go/json.hpp"
#include "engine/plan/explain.hpp"
#include "engine/plan/graph_text.hpp"
#include "engine/plan/plan.hpp"
#include "engine/run/execute.hpp"
#include "virtual_clock_support.hpp"

namespace thaiyyal {
namespace {

constexpr std::string_view kPayload = R"({"workflow_id": "orders", "nodes": [
  {"id": "in", "type": "workflow_input", "data": {"field": "qty"}},
  {"id": "gate", "type": "condition", "data": {"condition": "input > 2"}},
  {"id": "bulk", "type": "expression", "data": {"expression": "node.in / 0"}},
  {"id": "alt", "type": "text_input", "data": {"text": "one \"quoted\" <b>&#x</b>"}}],
 "edges": [{"source": "in", "target": "gate"},
           {"source": "gate", "target": "alt", "sourceHandle": "false"},
           {"source": "gate", "target": "bulk", "sourceHandle": "true"}]})";

WorkflowExplanation failed_run() {
  WorkflowExplanation e = explain_workflow(parse_json(kPayload));
  testing::VirtualClockHost host;
  RunOptions options;
  options.input = parse_json(R"({"qty": 5})");
  options.record_node_timings = true;
  RunOutcome outcome = execute(*e.plan, host, Limits{}, options);
  attach_run(e, outcome, 1500000);
  e.run->label = "run 7";
  return e;
}

TEST(GraphText, MermaidOfAWorkflow) {
  const WorkflowExplanation e = explain_workflow(parse_json(kPayload));
  EXPECT_EQ(to_mermaid(e),
            "flowchart LR\n"
            "  %% workflow orders\n"
            "  n0(\"<b>in</b><br/><i>workflow_input</i><br/>field: qty\")\n"
            "  n1(\"<b>gate</b><br/><i>condition</i><br/>condition: input #gt; 2\")\n"
            "  n3(\"<b>alt</b><br/><i>text_input</i><br/>"
            "text: one #quot;quoted#quot; #lt;b#gt;#amp;#35;x#lt;/b#gt;\")\n"
            "  n2(\"<b>bulk</b><br/><i>expression</i><br/>expression: node.in / 0\")\n"
            "  n0 --> n1\n"
            "  n1 -->|false| n3\n"
            "  n1 -->|true| n2\n");
}

TEST(GraphText, MermaidOfAFailedRunColoursEveryNode) {
  const std::string text = to_mermaid(failed_run());
  EXPECT_NE(text.find("  %% workflow orders \u00b7 run 7 failed in 1.500 ms\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("<br/>failed \u00b7 0.000 ms<br/>expression evaluation failed: division "
                      "by zero\")\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  n1 -.->|false| n3\n"), std::string::npos) << text;  // skipped
  EXPECT_NE(text.find("  classDef succeeded fill:#d3f9d8,stroke:#2b8a3e,color:#1b4332\n"
                      "  class n0,n1 succeeded\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  class n2 failed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stroke-dasharray:5 3\n  class n3 skipped\n"), std::string::npos) << text;
}

TEST(GraphText, DotOfAFailedRun) {
  const std::string text = to_dot(failed_run());
  EXPECT_EQ(text.rfind("digraph workflow {\n", 0), 0u) << text;
  EXPECT_NE(text.find("label=\"workflow orders \u00b7 run 7 failed in 1.500 ms\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  n3 [label=<<B>alt</B><BR/><I>text_input</I><BR/>text: one "
                      "&quot;quoted&quot; &lt;b&gt;&amp;#x&lt;/b&gt;<BR/>skipped>, "
                      "fillcolor=\"#f1f3f5\", color=\"#adb5bd\", fontcolor=\"#868e96\", "
                      "style=\"rounded,filled,dashed\"];\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  n2 [label=<<B>bulk</B><BR/><I>expression</I><BR/>expression: node.in "
                      "/ 0<BR/>failed \u00b7 0.000 ms<BR/>expression evaluation failed: division "
                      "by zero>, fillcolor=\"#ffe3e3\", color=\"#c92a2a\", fontcolor=\"#7d1414\", "
                      "penwidth=2];\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  n1 -> n2 [label=\"true\"];\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  n1 -> n3 [label=\"false\", style=dashed, color=\"#adb5bd\"];\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.substr(text.size() - 2), "}\n");
}

TEST(GraphText, LongSettingsAreShortenedAndAtMostThreeShown) {
  WorkflowExplanation e = explain_workflow(parse_json(R"({"nodes": [
    {"id": "f", "type": "format", "data": {"output_type": "csv", "pretty_print": true,
      "include_headers": false, "delimiter": ";"}}]})"));
  const std::vector<std::string> lines = node_label_lines(e.nodes[0]);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], "delimiter: ;");
  EXPECT_EQ(lines[3], "include_headers: false");
  EXPECT_EQ(lines[4], "output_type: csv");
  EXPECT_EQ(node_label_lines(explain_workflow(parse_json(R"({"nodes": [{"id": "t",
      "type": "text_input", "data": {"text": "0123456789012345678901234567890123456789xyz"}}]})"))
                                 .nodes[0])[2],
            "text: 0123456789012345678901234567890123\u2026");
}

TEST(GraphText, DotQuotesWorkflowIdsAndHandles) {
  const WorkflowExplanation e = explain_workflow(parse_json(R"({"workflow_id": "a\"b\\c",
    "nodes": [{"id": "c", "type": "condition", "data": {"condition": "true"}},
              {"id": "d", "type": "number", "data": {"value": 1}}],
    "edges": [{"source": "c", "target": "d", "sourceHandle": "tr\"ue"}]})"));
  const std::string text = to_dot(e);
  EXPECT_NE(text.find("label=\"workflow a\\\"b\\\\c\""), std::string::npos) << text;
  EXPECT_NE(text.find("  n0 -> n1 [label=\"tr\\\"ue\"];\n"), std::string::npos) << text;
  EXPECT_NE(to_mermaid(e).find("  n0 -->|tr#quot;ue| n1\n"), std::string::npos);
}

}  // namespace
}  // namespace thaiyyal
