// Resilience nodes (nodes.md): retry, try_catch, timeout, rate_limiter,
// throttle. Nothing is re-executed: retry and try_catch inspect an input
// object with an `error` key, timeout reads a simulated `execution_time`.
// Waits (retry back-off, a full rate-limit window, throttling) go through
// the host and stop at the workflow deadline.
#include <gtest/gtest.h>

#include <chrono>

#include "engine/run/workflow_timeout.hpp"
#include "engine/tests/test_support.hpp"
#include "engine/tests/virtual_clock_support.hpp"

namespace thaiyyal {
namespace {

using testing::json;
using testing::kMs;
using testing::kSec;
using testing::NodeSession;
using testing::payload_error;
using testing::run_node;
using testing::run_on;
using testing::run_workflow;
using testing::VirtualClockHost;

// Runs a retry node on `input_json` with the virtual clock and returns the
// node's output or error, recording the back-off sleeps in `host`.
std::string retry_on(VirtualClockHost& host, std::string_view data, std::string_view input_json,
                     const Limits& limits = {}) {
  NodeSession node(host, "retry", data, limits);
  return node.execute({parse_json(input_json)});
}

// --- retry ------------------------------------------------------------------

TEST(ResilienceRetry, ANonErrorInputSucceedsOnTheFirstAttempt) {
  EXPECT_EQ(run_node("retry", "{}", {"5"}), R"({"attempts":1,"success":true,"value":5})");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":1})", {R"({"errors":["x"]})"}),
            R"({"attempts":1,"success":true,"value":{"errors":["x"]}})");
  EXPECT_EQ(run_node("retry", "{}", {"null", R"({"error":"second input is ignored"})"}),
            R"({"attempts":1,"success":true,"value":null})");
}

TEST(ResilienceRetry, AnErrorInputFailsAfterTheLastAttempt) {
  EXPECT_EQ(
      run_node("retry", R"({"max_attempts":2,"initial_delay":"10ms"})", {R"({"error":"boom"})"}),
      "error: max retry attempts (2) reached: boom");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":1})", {R"({"error":"boom","code":7})"}),
            "error: max retry attempts (1) reached: boom");
  // A non-string error value counts as an error with an empty message.
  EXPECT_EQ(run_node("retry", R"({"max_attempts":1})", {R"({"error":5})"}),
            "error: max retry attempts (1) reached: ");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":1})", {R"({"error":null})"}),
            "error: max retry attempts (1) reached: ");
}

TEST(ResilienceRetry, ExponentialBackOffByDefault) {
  VirtualClockHost host;  // defaults: 3 attempts, 1s initial delay, x2
  EXPECT_EQ(retry_on(host, "{}", R"({"error":"boom"})"),
            "error: max retry attempts (3) reached: boom");
  EXPECT_EQ(host.sleeps, (std::vector<std::int64_t>{1 * kSec, 2 * kSec}));

  VirtualClockHost custom;
  EXPECT_EQ(retry_on(custom, R"({"max_attempts":4,"initial_delay":"100ms","multiplier":3})",
                     R"({"error":"boom"})"),
            "error: max retry attempts (4) reached: boom");
  EXPECT_EQ(custom.sleeps, (std::vector<std::int64_t>{100 * kMs, 300 * kMs, 900 * kMs}));
}

TEST(ResilienceRetry, LinearAndConstantBackOff) {
  VirtualClockHost linear;
  retry_on(linear, R"({"max_attempts":4,"backoff_strategy":"linear","initial_delay":"10ms"})",
           R"({"error":"e"})");
  EXPECT_EQ(linear.sleeps, (std::vector<std::int64_t>{10 * kMs, 20 * kMs, 30 * kMs}));

  VirtualClockHost constant;
  retry_on(constant, R"({"max_attempts":3,"backoff_strategy":"constant","initial_delay":"10"})",
           R"({"error":"e"})");
  EXPECT_EQ(constant.sleeps, (std::vector<std::int64_t>{10 * kMs, 10 * kMs}));

  VirtualClockHost unknown;  // unknown strategies behave like constant
  retry_on(unknown, R"({"max_attempts":3,"backoff_strategy":"fibonacci","initial_delay":"7ms"})",
           R"({"error":"e"})");
  EXPECT_EQ(unknown.sleeps, (std::vector<std::int64_t>{7 * kMs, 7 * kMs}));
}

TEST(ResilienceRetry, BackOffIsCappedAtMaxDelay) {
  VirtualClockHost host;
  retry_on(host, R"({"max_attempts":4,"initial_delay":"1s","max_delay":"3s"})", R"({"error":"e"})");
  EXPECT_EQ(host.sleeps, (std::vector<std::int64_t>{1 * kSec, 2 * kSec, 3 * kSec}));

  VirtualClockHost default_cap;  // 30s
  retry_on(default_cap, R"({"max_attempts":3,"initial_delay":"20s"})", R"({"error":"e"})");
  EXPECT_EQ(default_cap.sleeps, (std::vector<std::int64_t>{20 * kSec, 30 * kSec}));
}

TEST(ResilienceRetry, UnparseableDelaysKeepTheirDefaults) {
  VirtualClockHost host;
  retry_on(host, R"({"initial_delay":"soon","max_delay":"later"})", R"({"error":"e"})");
  EXPECT_EQ(host.sleeps, (std::vector<std::int64_t>{1 * kSec, 2 * kSec}));
}

TEST(ResilienceRetry, NonPositiveAndOverflowingBackOffsDoNotWait) {
  VirtualClockHost negative;
  EXPECT_EQ(retry_on(negative, R"({"initial_delay":"-1s"})", R"({"error":"e"})"),
            "error: max retry attempts (3) reached: e");
  EXPECT_TRUE(negative.sleeps.empty());

  // Go converts the overflowing float64 product to a negative Duration (as
  // compiled for amd64), so the reference does not wait either.
  VirtualClockHost overflow;
  EXPECT_EQ(retry_on(overflow, R"({"initial_delay":"1ms","multiplier":1e30,"max_delay":"1000h"})",
                     R"({"error":"e"})"),
            "error: max retry attempts (3) reached: e");
  EXPECT_EQ(overflow.sleeps, (std::vector<std::int64_t>{1 * kMs}));
}

TEST(ResilienceRetry, OnlyRetriesListedErrors) {
  VirtualClockHost host;
  EXPECT_EQ(retry_on(host, R"({"retry_on_errors":["timeout","refused"]})", R"({"error":"boom"})"),
            "error: error not in retry list: boom");
  EXPECT_TRUE(host.sleeps.empty());
  // Entries match as substrings.
  EXPECT_EQ(
      run_node("retry", R"({"max_attempts":2,"initial_delay":"1ms","retry_on_errors":["oo"]})",
               {R"({"error":"boom"})"}),
      "error: max retry attempts (2) reached: boom");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":1,"retry_on_errors":[""]})", {R"({"error":5})"}),
            "error: max retry attempts (1) reached: ");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":1,"retry_on_errors":["x"]})", {R"({"error":5})"}),
            "error: error not in retry list: ");
  // The list is irrelevant for non-error inputs.
  EXPECT_EQ(run_node("retry", R"({"retry_on_errors":["x"]})", {"1"}),
            R"({"attempts":1,"success":true,"value":1})");
}

TEST(ResilienceRetry, NeedsAnInput) {
  EXPECT_EQ(run_node("retry", "{}"), "error: retry node requires at least one input");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":0})"),
            "error: retry node requires at least one input");
}

TEST(ResilienceRetry, RejectsNonPositiveMaxAttemptsOnWhichTheReferenceCrashes) {
  EXPECT_EQ(run_node("retry", R"({"max_attempts":0})", {"5"}),
            "error: max_attempts must be positive, got 0");
  EXPECT_EQ(run_node("retry", R"({"max_attempts":-3})", {R"({"error":"boom"})"}),
            "error: max_attempts must be positive, got -3");
}

TEST(ResilienceRetry, BackOffStopsAtTheWorkflowDeadline) {
  VirtualClockHost host;
  Limits one_minute;
  one_minute.max_execution_time_ms = 60'000;
  NodeSession node(host, "retry", R"({"initial_delay":"1h","max_delay":"2h"})", one_minute);
  node.run().set_deadline(host.now() + 60 * kSec);
  EXPECT_THROW(node.execute({parse_json(R"({"error":"boom"})")}), WorkflowTimeout);
  EXPECT_EQ(host.total_slept(), 60 * kSec);
}

TEST(ResilienceRetry, AWorkflowDeadlineDuringBackOffTimesOutPromptly) {
  // Array nodes report a non-array input as an object with an `error` key,
  // which retry treats as an error (execution.md §8.2).
  Limits limits;
  limits.max_execution_time_ms = 50;
  const auto start = std::chrono::steady_clock::now();
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":1}},
      {"id":"a","type":"reverse","data":{}},
      {"id":"r","type":"retry","data":{"initial_delay":"1h"}}],
    "edges":[{"source":"n","target":"a"},{"source":"a","target":"r"}]})",
                        limits);
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::TimedOut) << r.error();
  EXPECT_EQ(r.error(), "workflow execution timeout: exceeded 50ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(ResilienceRetry, ManyAttemptsWithoutBackOffStillEndAtTheDeadline) {
  // The clock advances on every reading; a zero-delay attempt loop must
  // notice the deadline instead of spinning through 10^18 attempts.
  class TickingHost final : public Host {
   public:
    void check_interrupts() override {}
    std::int64_t now_unix_nanos() override { return 0; }
    std::int64_t monotonic_nanos() override { return now_ += kMs; }
    void sleep_nanos(std::int64_t nanos) override { now_ += nanos; }
    void log_debug(std::string_view) override {}

   private:
    std::int64_t now_ = 0;
  } host;
  NodeSession node(host, "retry", R"({"max_attempts":1000000000000000000,"initial_delay":"0"})");
  node.run().set_deadline(host.monotonic_nanos() + kSec);
  EXPECT_THROW(node.execute({parse_json(R"({"error":"boom"})")}), WorkflowTimeout);
}

TEST(ResilienceRetry, DataFieldsAreTyped) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"r","type":"retry","data":{"max_attempts":2.5}}]})"),
            "failed to parse payload: failed to unmarshal data for node r (type retry): json: "
            "cannot unmarshal number 2.5 into Go struct field RetryData.max_attempts of type int");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"r","type":"retry","data":{"multiplier":"2"}}]})"),
            "failed to parse payload: failed to unmarshal data for node r (type retry): json: "
            "cannot unmarshal string into Go struct field RetryData.multiplier of type float64");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"r","type":"retry","data":{"initial_delay":1000}}]})"),
            "failed to parse payload: failed to unmarshal data for node r (type retry): json: "
            "cannot unmarshal number into Go struct field RetryData.initial_delay of type string");
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"r","type":"retry","data":{"retry_on_errors":"x"}}]})"),
      "failed to parse payload: failed to unmarshal data for node r (type retry): json: "
      "cannot unmarshal string into Go struct field RetryData.retry_on_errors of type "
      "[]string");
}

// --- try_catch --------------------------------------------------------------

TEST(ResilienceTryCatch, PassesNonErrorsThrough) {
  EXPECT_EQ(run_node("try_catch", "{}", {"5"}), R"({"error_caught":false,"value":5})");
  EXPECT_EQ(run_node("try_catch", R"({"fallback_value":0})", {R"({"errors":1})"}),
            R"({"error_caught":false,"value":{"errors":1}})");
  EXPECT_EQ(run_node("try_catch", "{}", {R"([{"error":"inside an array"}])"}),
            R"({"error_caught":false,"value":[{"error":"inside an array"}]})");
}

TEST(ResilienceTryCatch, ReplacesAnErrorByTheFallback) {
  EXPECT_EQ(run_node("try_catch", R"({"fallback_value":0,"error_output_path":"err"})",
                     {R"({"error":"boom"})"}),
            R"({"error_caught":true,"error_message":"boom","error_output_path":"err","value":0})");
  EXPECT_EQ(run_node("try_catch", "{}", {R"({"error":"boom"})"}),
            R"({"error_caught":true,"error_message":"boom","value":null})");
  EXPECT_EQ(run_node("try_catch", R"({"fallback_value":{"ok":false},"error_output_path":""})",
                     {R"({"error":"boom"})"}),
            R"({"error_caught":true,"error_message":"boom","value":{"ok":false}})");
}

TEST(ResilienceTryCatch, NonStringErrorsAreStringifiedWithPercentV) {
  EXPECT_EQ(run_node("try_catch", "{}", {R"({"error":5})"}),
            R"({"error_caught":true,"error_message":"5","value":null})");
  EXPECT_EQ(run_node("try_catch", "{}", {R"({"error":1000000})"}),
            R"({"error_caught":true,"error_message":"1e+06","value":null})");
  EXPECT_EQ(run_node("try_catch", "{}", {R"({"error":{"code":1,"why":["x",true]}})"}),
            R"({"error_caught":true,"error_message":"map[code:1 why:[x true]]","value":null})");
  EXPECT_EQ(run_node("try_catch", "{}", {R"({"error":null})"}),
            R"({"error_caught":true,"error_message":"\u003cnil\u003e","value":null})");
}

TEST(ResilienceTryCatch, CanFailInsteadOfContinuing) {
  EXPECT_EQ(run_node("try_catch", R"({"continue_on_error":false})", {R"({"error":"boom"})"}),
            "error: error caught: boom");
  EXPECT_EQ(run_node("try_catch", R"({"continue_on_error":false})", {R"({"error":false})"}),
            "error: error caught: false");
  EXPECT_EQ(run_node("try_catch", R"({"continue_on_error":false})", {"1"}),
            R"({"error_caught":false,"value":1})");
}

TEST(ResilienceTryCatch, ErrorOutputPathDoesNotDriveHandles) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":1}},
      {"id":"t","data":{"fallback_value":0,"error_output_path":"err"}},
      {"id":"v","type":"visualization","data":{}}],
    "edges":[{"source":"n","target":"t"},{"source":"t","target":"v","sourceHandle":"err"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("t")), R"({"error_caught":false,"value":1})");
  EXPECT_EQ(r.node("v"), nullptr);
}

TEST(ResilienceTryCatch, NeedsAnInput) {
  EXPECT_EQ(run_node("try_catch", "{}"), "error: try-catch node requires at least one input");
  EXPECT_EQ(payload_error(
                R"({"nodes":[{"id":"t","type":"try_catch","data":{"continue_on_error":"no"}}]})"),
            "failed to parse payload: failed to unmarshal data for node t (type try_catch): json: "
            "cannot unmarshal string into Go struct field TryCatchData.continue_on_error of type "
            "bool");
}

// --- timeout ----------------------------------------------------------------

TEST(ResilienceTimeout, ReportsTheLimitAsAGoDuration) {
  EXPECT_EQ(run_node("timeout", R"({"timeout":"1500ms"})", {"5"}),
            R"({"execution_time":"0s","timed_out":false,"timeout_duration":"1.5s","value":5})");
  EXPECT_EQ(run_node("timeout", R"({"timeout":"3600000"})", {"5"}),
            R"({"execution_time":"0s","timed_out":false,"timeout_duration":"1h0m0s","value":5})");
  EXPECT_EQ(run_node("timeout", R"({"timeout":"90s","timeout_action":"error"})", {"null"}),
            R"({"execution_time":"0s","timed_out":false,"timeout_duration":"1m30s","value":null})");
}

TEST(ResilienceTimeout, ReadsASimulatedExecutionTimeFromTheInput) {
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s"})", {R"({"execution_time":"500ms"})"}),
      R"({"execution_time":"500ms","timed_out":false,"timeout_duration":"1s","value":{"execution_time":"500ms"}})");
  // Equal is not over the limit.
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s"})", {R"({"execution_time":"1000"})"}),
      R"({"execution_time":"1s","timed_out":false,"timeout_duration":"1s","value":{"execution_time":"1000"}})");
  // Unparseable or non-string execution times count as zero.
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s"})", {R"({"execution_time":"long"})"}),
      R"({"execution_time":"0s","timed_out":false,"timeout_duration":"1s","value":{"execution_time":"long"}})");
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s"})", {R"({"execution_time":5000})"}),
      R"({"execution_time":"0s","timed_out":false,"timeout_duration":"1s","value":{"execution_time":5000}})");
}

TEST(ResilienceTimeout, OverTheLimitFailsByDefault) {
  EXPECT_EQ(run_node("timeout", R"({"timeout":"1s"})", {R"({"execution_time":"1h30m"})"}),
            "error: operation timed out after 1h30m0s (limit: 1s)");
  EXPECT_EQ(run_node("timeout", R"({"timeout":"1s","timeout_action":"error"})",
                     {R"({"execution_time":"1001ms"})"}),
            "error: operation timed out after 1.001s (limit: 1s)");
}

TEST(ResilienceTimeout, OverTheLimitContinuesWithAPartialResultForAnyOtherAction) {
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s","timeout_action":"continue_with_partial"})",
               {R"({"execution_time":"2s"})"}),
      R"({"execution_time":"2s","partial_result":true,"timed_out":true,"timeout_duration":"1s","timeout_exceeded":true,"value":{"execution_time":"2s"}})");
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s","timeout_action":""})",
               {R"({"execution_time":"2s"})"}),
      R"({"execution_time":"2s","partial_result":true,"timed_out":true,"timeout_duration":"1s","timeout_exceeded":true,"value":{"execution_time":"2s"}})");
  EXPECT_EQ(
      run_node("timeout", R"({"timeout":"1s","timeout_action":"Error"})",
               {R"({"execution_time":"2s"})"}),
      R"({"execution_time":"2s","partial_result":true,"timed_out":true,"timeout_duration":"1s","timeout_exceeded":true,"value":{"execution_time":"2s"}})");
}

TEST(ResilienceTimeout, ChecksTheDurationBeforeTheInput) {
  EXPECT_EQ(run_node("timeout", R"({"timeout":"abc"})", {"5"}),
            "error: invalid timeout duration: abc");
  EXPECT_EQ(run_node("timeout", R"({"timeout":"abc"})"), "error: invalid timeout duration: abc");
  EXPECT_EQ(run_node("timeout", R"({"timeout":"1s"})"),
            "error: timeout node requires at least one input");
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"t","type":"timeout","data":{"timeout_action":"error"}}]})"),
      "failed to parse payload: failed to unmarshal data for node t (type timeout): missing "
      "required field: timeout");
}

TEST(ResilienceTimeout, DoesNotWait) {
  VirtualClockHost host;
  NodeSession node(host, "timeout", R"({"timeout":"1h"})");
  EXPECT_EQ(
      node.execute({parse_json(R"({"execution_time":"30m"})")}),
      R"({"execution_time":"30m0s","timed_out":false,"timeout_duration":"1h0m0s","value":{"execution_time":"30m"}})");
  EXPECT_TRUE(host.sleeps.empty());
}

// --- rate_limiter -----------------------------------------------------------

TEST(ResilienceRateLimiter, TheFirstRequestOfARunPassesAtOnce) {
  EXPECT_EQ(run_node("rate_limiter", R"({"max_requests":3,"per_duration":"1m"})", {"5"}),
            R"({"max_requests":3,"rate_limited":true,"requests_count":1,"value":5,"window":"1m"})");
  EXPECT_EQ(
      run_node("rate_limiter",
               R"({"max_requests":1,"per_duration":"500","strategy":"fixed_window"})"),
      R"({"max_requests":1,"rate_limited":true,"requests_count":1,"value":null,"window":"500"})");
}

TEST(ResilienceRateLimiter, MemoryIsPerRun) {
  auto plan = compile_workflow(parse_json(
      R"({"nodes":[{"id":"l","type":"rate_limiter","data":{"max_requests":1,"per_duration":"1h"}}]})"));
  VirtualClockHost host;
  for (int i = 0; i < 3; ++i) {
    RunOutcome out = execute(*plan, host, Limits{});
    ASSERT_EQ(out.status, RunOutcome::Status::Succeeded) << out.error;
    EXPECT_EQ(
        to_json(*out.result.node_results.find("l")),
        R"({"max_requests":1,"rate_limited":true,"requests_count":1,"value":null,"window":"1h"})");
  }
  EXPECT_TRUE(host.sleeps.empty());
}

TEST(ResilienceRateLimiter, ARepeatedRequestWaitsForAFullWindowThroughTheHost) {
  // Nodes run once per run, so this only matters if a node ever runs twice.
  VirtualClockHost host;
  NodeSession node(host, "rate_limiter", R"({"max_requests":2,"per_duration":"1s"})");
  EXPECT_EQ(node.execute({Value::number(1)}),
            R"({"max_requests":2,"rate_limited":true,"requests_count":1,"value":1,"window":"1s"})");
  host.advance(100 * kMs);
  EXPECT_EQ(node.execute({Value::number(2)}),
            R"({"max_requests":2,"rate_limited":true,"requests_count":2,"value":2,"window":"1s"})");
  host.advance(100 * kMs);
  // Full: wait until the first request is a window old, then it is gone.
  EXPECT_EQ(node.execute({Value::number(3)}),
            R"({"max_requests":2,"rate_limited":true,"requests_count":2,"value":3,"window":"1s"})");
  EXPECT_EQ(host.sleeps, (std::vector<std::int64_t>{800 * kMs}));
}

TEST(ResilienceRateLimiter, ReportsInvalidSettings) {
  EXPECT_EQ(run_node("rate_limiter", R"({"max_requests":3,"per_duration":"x"})", {"5"}),
            "error: invalid per_duration format: invalid duration format: x (use formats like "
            "'5s', '10m', '1h')");
  EXPECT_EQ(run_node("rate_limiter",
                     R"({"max_requests":3,"per_duration":"1s","strategy":"token_bucket"})"),
            "error: unsupported rate limit strategy: token_bucket (only fixed_window supported)");
  // The duration is checked first.
  EXPECT_EQ(run_node("rate_limiter",
                     R"({"max_requests":3,"per_duration":"x","strategy":"token_bucket"})"),
            "error: invalid per_duration format: invalid duration format: x (use formats like "
            "'5s', '10m', '1h')");
}

TEST(ResilienceRateLimiter, RejectsNonPositiveMaxRequestsOnWhichTheReferenceCrashes) {
  EXPECT_EQ(run_node("rate_limiter", R"({"max_requests":0,"per_duration":"1s"})", {"5"}),
            "error: max_requests must be positive, got 0");
  EXPECT_EQ(run_node("rate_limiter", R"({"max_requests":-1,"per_duration":"1s"})"),
            "error: max_requests must be positive, got -1");
  // Setting errors the reference reports before crashing still come first.
  EXPECT_EQ(run_node("rate_limiter", R"({"max_requests":0,"per_duration":"1s","strategy":"x"})"),
            "error: unsupported rate limit strategy: x (only fixed_window supported)");
}

TEST(ResilienceRateLimiter, RequiresMaxRequestsThenPerDuration) {
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"l","type":"rate_limiter","data":{}}]})"),
            "failed to parse payload: failed to unmarshal data for node l (type rate_limiter): "
            "missing required field: max_requests");
  EXPECT_EQ(
      payload_error(R"({"nodes":[{"id":"l","type":"rate_limiter","data":{"max_requests":1}}]})"),
      "failed to parse payload: failed to unmarshal data for node l (type rate_limiter): "
      "missing required field: per_duration");
  EXPECT_EQ(
      payload_error(
          R"({"nodes":[{"id":"l","type":"rate_limiter","data":{"max_requests":1.5,"per_duration":"1s"}}]})"),
      "failed to parse payload: failed to unmarshal data for node l (type rate_limiter): "
      "json: cannot unmarshal number 1.5 into Go struct field RateLimiterData.max_requests "
      "of type int");
}

// --- throttle ---------------------------------------------------------------

TEST(ResilienceThrottle, TheFirstRequestOfARunIsNotDelayed) {
  EXPECT_EQ(run_node("throttle", R"({"requests_per_second":2.5})", {"5"}),
            R"({"delay_ms":0,"requests_per_second":2.5,"throttled":true,"value":5})");
  EXPECT_EQ(run_node("throttle", R"({"requests_per_second":1000000})"),
            R"({"delay_ms":0,"requests_per_second":1000000,"throttled":true,"value":null})");
}

TEST(ResilienceThrottle, RequiresAPositiveRate) {
  EXPECT_EQ(run_node("throttle", R"({"requests_per_second":0})", {"5"}),
            "error: requests_per_second must be positive, got 0.000000");
  EXPECT_EQ(run_node("throttle", R"({"requests_per_second":-1.5})"),
            "error: requests_per_second must be positive, got -1.500000");
  EXPECT_EQ(run_node("throttle", R"({"requests_per_second":-0.0000001})"),
            "error: requests_per_second must be positive, got -0.000000");
  EXPECT_EQ(payload_error(R"({"nodes":[{"id":"t","type":"throttle","data":{}}]})"),
            "failed to parse payload: failed to unmarshal data for node t (type throttle): missing "
            "required field: requests_per_second");
  EXPECT_EQ(payload_error(
                R"({"nodes":[{"id":"t","type":"throttle","data":{"requests_per_second":"5"}}]})"),
            "failed to parse payload: failed to unmarshal data for node t (type throttle): json: "
            "cannot unmarshal string into Go struct field ThrottleData.requests_per_second of type "
            "float64");
}

TEST(ResilienceThrottle, ARepeatedRequestWaitsForTheMinimumIntervalThroughTheHost) {
  // Nodes run once per run, so this only matters if a node ever runs twice.
  VirtualClockHost host;
  NodeSession node(host, "throttle", R"({"requests_per_second":4})");
  EXPECT_EQ(node.execute(),
            R"({"delay_ms":0,"requests_per_second":4,"throttled":true,"value":null})");
  host.advance(100 * kMs);
  EXPECT_EQ(node.execute(),
            R"({"delay_ms":150,"requests_per_second":4,"throttled":true,"value":null})");
  host.advance(300 * kMs);
  EXPECT_EQ(node.execute(),
            R"({"delay_ms":0,"requests_per_second":4,"throttled":true,"value":null})");
  EXPECT_EQ(host.sleeps, (std::vector<std::int64_t>{150 * kMs}));
}

// The error of a node whose `data` is missing (nodes.md §0).
std::string no_data_error(std::string_view type) {
  auto r = run_workflow(R"({"nodes":[{"id":"x","type":")" + std::string(type) + R"("}]})");
  return r.error();
}

TEST(ResilienceNodesWithoutData, FailWithTheirStructName) {
  EXPECT_EQ(no_data_error("retry"), "error executing node x: expected RetryData, got <nil>");
  EXPECT_EQ(no_data_error("try_catch"), "error executing node x: expected TryCatchData, got <nil>");
  EXPECT_EQ(no_data_error("timeout"), "error executing node x: expected TimeoutData, got <nil>");
  EXPECT_EQ(no_data_error("rate_limiter"),
            "error executing node x: expected RateLimiterData, got <nil>");
  EXPECT_EQ(no_data_error("throttle"), "error executing node x: expected ThrottleData, got <nil>");
}

TEST(ResilienceNodes, AreInferredFromTheirCharacteristicFields) {
  auto r = run_workflow(R"({"nodes":[
      {"id":"n","type":"number","data":{"value":5}},
      {"id":"r1","data":{"max_attempts":1}},
      {"id":"r2","data":{"backoff_strategy":"linear"}},
      {"id":"t1","data":{"fallback_value":0}},
      {"id":"t2","data":{"continue_on_error":false}},
      {"id":"to","data":{"timeout":"1s","timeout_action":"error"}}],
    "edges":[{"source":"n","target":"r1"},{"source":"n","target":"r2"},{"source":"n","target":"t1"},
             {"source":"n","target":"t2"},{"source":"n","target":"to"}]})");
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(json(r.node("r1")), R"({"attempts":1,"success":true,"value":5})");
  EXPECT_EQ(json(r.node("r2")), R"({"attempts":1,"success":true,"value":5})");
  EXPECT_EQ(json(r.node("t1")), R"({"error_caught":false,"value":5})");
  EXPECT_EQ(json(r.node("t2")), R"({"error_caught":false,"value":5})");
  EXPECT_EQ(json(r.node("to")),
            R"({"execution_time":"0s","timed_out":false,"timeout_duration":"1s","value":5})");
}

}  // namespace
}  // namespace thaiyyal
