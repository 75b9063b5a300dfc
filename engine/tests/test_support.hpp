// Helpers shared by the engine's unit tests: run a payload given as JSON
// text and look at the Result.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/go/json.hpp"
#include "engine/plan/plan.hpp"
#include "engine/run/execute.hpp"
#include "engine/run/host.hpp"
#include "engine/run/run_context.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal::testing {

struct RunResult {
  RunOutcome outcome;
  // The Result as a Value (execution_id, node_results, final_output, ...).
  Value result;

  bool ok() const { return outcome.status == RunOutcome::Status::Succeeded; }
  const std::string& error() const { return outcome.error; }
  // node_results[id], or nullptr when the node has no entry (skipped).
  const Value* node(std::string_view id) const {
    const Value* results = result.find("node_results");
    return results == nullptr ? nullptr : results->find(id);
  }
  const Value& final_output() const { return *result.find("final_output"); }
};

// Compiles JSON text by both decoders -- straight from the text
// (compile_workflow_json, what execute_json uses) and through the parsed
// Value (compile_workflow, what the extension uses) -- and checks that they
// agree: the same error, or plans with the same nodes, edges and order.
// Returns the text decoder's plan; errors propagate as the text decoder
// threw them. Every test that runs a payload thereby tests both.
inline std::shared_ptr<const WorkflowPlan> compile_both(std::string_view payload_json) {
  std::string value_error, text_error;
  std::shared_ptr<const WorkflowPlan> by_value, by_text;
  try {
    by_value = compile_workflow(parse_json(payload_json));
  } catch (const std::exception& e) {
    value_error = e.what();
  }
  try {
    by_text = compile_workflow_json(payload_json);
  } catch (const std::exception& e) {
    text_error = e.what();
  }
  EXPECT_EQ(text_error, value_error) << payload_json;
  if (by_value && by_text) {
    EXPECT_EQ(by_text->workflow_id, by_value->workflow_id);
    EXPECT_EQ(by_text->order, by_value->order);
    EXPECT_EQ(by_text->nodes.size(), by_value->nodes.size());
    for (std::size_t i = 0; i < by_text->nodes.size() && i < by_value->nodes.size(); ++i) {
      const PlanNode& a = by_text->nodes[i];
      const PlanNode& b = by_value->nodes[i];
      EXPECT_EQ(a.id, b.id);
      EXPECT_EQ(a.type, b.type);
      EXPECT_EQ(a.is_terminal, b.is_terminal);
      EXPECT_EQ(a.incoming.size(), b.incoming.size()) << a.id;
      for (std::size_t k = 0; k < a.incoming.size() && k < b.incoming.size(); ++k) {
        EXPECT_EQ(a.incoming[k].source, b.incoming[k].source) << a.id;
        EXPECT_EQ(a.incoming[k].handle, b.incoming[k].handle) << a.id;
      }
      std::vector<std::string> pa, pb;
      a.executor->static_problems(pa);
      b.executor->static_problems(pb);
      EXPECT_EQ(pa, pb) << a.id;
      EXPECT_EQ(a.executor->handles(), b.executor->handles()) << a.id;
    }
  }
  if (!by_text) return compile_workflow_json(payload_json);  // rethrows
  return by_text;
}

// Compiles (both decoders, compile_both) and runs; PayloadError propagates.
inline RunResult run_workflow(std::string_view payload_json, const Limits& limits = {}) {
  StandaloneHost host;
  auto plan = compile_both(payload_json);
  RunResult r;
  r.outcome = execute(*plan, host, limits);
  r.result = result_to_value(r.outcome.result);
  return r;
}

// The compile error message for a payload that must be rejected, or "" if
// it compiles.
inline std::string payload_error(std::string_view payload_json) {
  try {
    compile_both(payload_json);
  } catch (const PayloadError& e) {
    return e.what();
  }
  return {};
}

// JSON text of a value in Go's encoding (compare outputs as text: keys are
// sorted, numbers are formatted as the reference does).
inline std::string json(const Value& v) {
  return to_json(v);
}
inline std::string json(const Value* v) {
  return v == nullptr ? "<absent>" : to_json(*v);
}

// Runs one node of `type` with `data` (JSON text) directly on the given
// inputs (JSON texts, in edge order), bypassing graph plumbing so that any
// value can be fed in. Returns the output as Go-encoded JSON text, or
// "error: <message>" when the node fails.
inline std::string run_node(std::string_view type, std::string_view data_json,
                            std::initializer_list<std::string_view> inputs = {},
                            const Limits& limits = {}) {
  std::string payload = "{\"nodes\":[{\"id\":\"n\",\"type\":\"" + std::string(type) +
                        "\",\"data\":" + std::string(data_json) + "}]}";
  auto plan = compile_both(payload);
  StandaloneHost host;
  RunContext run(*plan, host, limits);
  std::vector<Value> values;
  for (std::string_view input : inputs) values.push_back(parse_json(input));
  try {
    return to_json(plan->nodes[0].executor->execute(run, values));
  } catch (const NodeError& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace thaiyyal::testing
