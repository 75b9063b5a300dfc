// The slow-run log line and the latency histogram behind thaiyyal.stat_workflows'
// percentiles (run/run_summary.hpp, common/latency_histogram.hpp).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/common/latency_histogram.hpp"
#include "engine/go/json.hpp"
#include "engine/plan/compile.hpp"
#include "engine/run/execute.hpp"
#include "engine/run/run_summary.hpp"
#include "virtual_clock_support.hpp"

namespace thaiyyal {
namespace {

using testing::kMs;
using testing::VirtualClockHost;

TEST(SlowRun, TheThreeSlowestNodesLongestFirst) {
  const auto plan = compile_workflow(parse_json(R"({"nodes": [
    {"id": "a", "type": "delay", "data": {"duration": "3ms"}},
    {"id": "b", "type": "delay", "data": {"duration": "7ms"}},
    {"id": "c", "type": "number", "data": {"value": 1}},
    {"id": "d", "type": "delay", "data": {"duration": "5ms"}}],
   "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "c"},
             {"source": "c", "target": "d"}]})"));
  VirtualClockHost host;
  RunOptions options;
  options.record_node_timings = true;
  const RunOutcome outcome = execute(*plan, host, Limits{}, options);
  ASSERT_EQ(outcome.status, RunOutcome::Status::Succeeded) << outcome.error;
  EXPECT_EQ(outcome.duration_ns, 15 * kMs);
  const std::vector<NodeTime> slowest = slowest_nodes(*plan, outcome);
  EXPECT_EQ(
      slow_run_message(outcome.duration_ns, "\"orders\" revision 7", "42", "succeeded", slowest),
      "duration: 15.000 ms  workflow: \"orders\" revision 7  run: 42  status: succeeded  "
      "slowest nodes: b (delay) 7.000 ms, d (delay) 5.000 ms, a (delay) 3.000 ms");
}

TEST(SlowRun, WithoutNodeTimingsNoneAreNamed) {
  const auto plan = compile_workflow(
      parse_json(R"({"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}]})"));
  VirtualClockHost host;
  const RunOutcome outcome = execute(*plan, host, Limits{});
  EXPECT_EQ(slow_run_message(1234567, "payload 00ff", "none", "failed (TH001)",
                             slowest_nodes(*plan, outcome)),
            "duration: 1.235 ms  workflow: payload 00ff  run: none  status: failed (TH001)  "
            "slowest nodes: none recorded");
}

TEST(SlowRun, ExecutedNodesWithoutTheClock) {
  const auto plan = compile_workflow(parse_json(R"({"nodes": [
    {"id": "a", "type": "delay", "data": {"duration": "3ms"}},
    {"id": "z", "type": "expression", "data": {"expression": "1 / 0"}}],
   "edges": [{"source": "a", "target": "z"}]})"));
  VirtualClockHost host;
  RunOptions options;
  options.record_executed_nodes = true;
  const RunOutcome outcome = execute(*plan, host, Limits{}, options);
  ASSERT_EQ(outcome.node_timings.size(), 2u);
  EXPECT_EQ(outcome.node_timings[0].node_index, 0u);
  EXPECT_EQ(outcome.node_timings[0].duration_ns, 0);
  EXPECT_FALSE(outcome.node_timings[0].failed);
  EXPECT_EQ(outcome.node_timings[1].node_index, 1u);
  EXPECT_TRUE(outcome.node_timings[1].failed);
  // The run's own time is measured all the same.
  EXPECT_EQ(outcome.duration_ns, 3 * kMs);
}

TEST(LatencyHistogram, BucketsAreQuartersOfOctavesOfMicroseconds) {
  EXPECT_EQ(latency::bucket_of(0), 0);
  EXPECT_EQ(latency::bucket_of(999), 0);
  EXPECT_EQ(latency::bucket_of(1000), 0);      // 1 us
  EXPECT_EQ(latency::bucket_of(1024000), 40);  // 1024 us = 2^10
  EXPECT_EQ(latency::bucket_of(1280000), 41);  // 1.25 * 2^10
  EXPECT_EQ(latency::bucket_of(2047000), 43);
  EXPECT_EQ(latency::bucket_of(INT64_MAX), latency::kBuckets - 1);
  for (int b = 1; b < latency::kBuckets - 1; ++b) {
    EXPECT_LT(latency::bucket_lower_ms(b), latency::bucket_upper_ms(b)) << b;
    EXPECT_LE(latency::bucket_upper_ms(b), latency::bucket_lower_ms(b + 1) + 1e-12) << b;
  }
  // Every time falls inside its bucket's bounds.
  for (std::int64_t ns = 1000; ns < 4000000000LL; ns = ns * 3 / 2 + 7) {
    const int b = latency::bucket_of(ns);
    const double ms = static_cast<double>(ns / 1000) / 1000.0;
    EXPECT_LE(latency::bucket_lower_ms(b), ms) << ns;
    EXPECT_GT(latency::bucket_upper_ms(b), ms) << ns;
  }
}

TEST(LatencyHistogram, QuantilesAreWithinAnEighthOfTheTruth) {
  std::uint64_t counts[latency::kBuckets] = {};
  // 1..100 ms, one call each.
  for (int ms = 1; ms <= 100; ++ms) ++counts[latency::bucket_of(ms * kMs)];
  const double p50 = latency::quantile_ms(counts, 100, 0.50, 1, 100);
  const double p95 = latency::quantile_ms(counts, 100, 0.95, 1, 100);
  const double p99 = latency::quantile_ms(counts, 100, 0.99, 1, 100);
  EXPECT_NEAR(p50, 50, 50 / 8.0);
  EXPECT_NEAR(p95, 95, 95 / 8.0);
  EXPECT_NEAR(p99, 99, 99 / 8.0);
  EXPECT_LE(p99, 100);  // clamped to the maximum
  EXPECT_EQ(latency::quantile_ms(counts, 0, 0.5, 0, 0), 0);
}

}  // namespace
}  // namespace thaiyyal
