// Test helpers for nodes that wait or keep per-run state (delay, retry,
// cache, rate_limiter, throttle): a host with a virtual clock, so that waits
// are exact and instantaneous, and a session that runs one node repeatedly
// within a single run.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
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

constexpr std::int64_t kMs = 1000000;
constexpr std::int64_t kSec = 1000 * kMs;

// Sleeping advances the clock by exactly the requested time and records
// the request; nothing really waits.
class VirtualClockHost final : public Host {
 public:
  void check_interrupts() override {}
  std::int64_t now_unix_nanos() override { return 1700000000 * kSec + now_; }
  std::int64_t monotonic_nanos() override { return now_; }
  void sleep_nanos(std::int64_t nanos) override {
    sleeps.push_back(nanos);
    now_ += nanos;
  }
  void log_debug(std::string_view) override {}

  void advance(std::int64_t nanos) { now_ += nanos; }
  std::int64_t now() const { return now_; }
  std::int64_t total_slept() const {
    std::int64_t sum = 0;
    for (std::int64_t s : sleeps) sum += s;
    return sum;
  }

  std::vector<std::int64_t> sleeps;

 private:
  std::int64_t now_ = 1000 * kSec;
};

// Runs a payload on the given host.
inline RunOutcome run_on(Host& host, std::string_view payload_json, const Limits& limits = {}) {
  auto plan = compile_workflow(parse_json(payload_json));
  return execute(*plan, host, limits);
}

// One node of `type` with `data`, executed any number of times in the same
// run (same RunContext), with arbitrary Values as inputs.
class NodeSession {
 public:
  NodeSession(Host& host, std::string_view type, std::string_view data_json,
              const Limits& limits = {})
      : limits_(limits) {
    plan_ =
        compile_workflow(parse_json("{\"nodes\":[{\"id\":\"n\",\"type\":\"" + std::string(type) +
                                    "\",\"data\":" + std::string(data_json) + "}]}"));
    run_ = std::make_unique<RunContext>(*plan_, host, limits_);
    run_->set_current_node(0);
  }

  RunContext& run() { return *run_; }

  // The output as Go JSON text, or "error: <message>".
  std::string execute(std::vector<Value> inputs = {}) {
    try {
      return to_json(plan_->nodes[0].executor->execute(*run_, inputs));
    } catch (const NodeError& e) {
      return std::string("error: ") + e.what();
    }
  }

 private:
  Limits limits_;
  std::shared_ptr<const WorkflowPlan> plan_;
  std::unique_ptr<RunContext> run_;
};

// run_node with Values as inputs (for kinds JSON cannot express: Go ints,
// record-lists).
inline std::string run_node_values(std::string_view type, std::string_view data_json,
                                   std::vector<Value> inputs) {
  StandaloneHost host;
  return NodeSession(host, type, data_json).execute(std::move(inputs));
}

}  // namespace thaiyyal::testing
