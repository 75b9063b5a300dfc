// Helpers shared by the engine's unit tests: run a payload given as JSON
// text and look at the Result.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

// Compiles and runs; PayloadError propagates.
inline RunResult run_workflow(std::string_view payload_json, const Limits& limits = {}) {
  StandaloneHost host;
  auto plan = compile_workflow(parse_json(payload_json));
  RunResult r;
  r.outcome = execute(*plan, host, limits);
  r.result = result_to_value(r.outcome.result);
  return r;
}

// The compile error message for a payload that must be rejected, or "" if
// it compiles.
inline std::string payload_error(std::string_view payload_json) {
  try {
    compile_workflow(parse_json(payload_json));
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
  auto plan = compile_workflow(parse_json(payload));
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
