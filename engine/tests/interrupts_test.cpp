// Interrupt checks inside every loop that can run long
// (common/interrupts.hpp): a cancel or statement_timeout reaches the engine
// while a node builds a large string, writes large JSON or walks a large
// value, not only between nodes.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "engine/common/interrupts.hpp"
#include "engine/tests/nodes_array_support.hpp"

namespace thaiyyal {
namespace {

using testing::CountingHost;

class CountingSource final : public Interruptible {
 public:
  void check_interrupts() override { ++checks; }
  int checks = 0;
};

TEST(InterruptPoll, ChecksItsSourceOncePerInterval) {
  CountingSource source;
  InterruptPoll poll(source);
  for (int i = 0; i < 1023; ++i) poll.tick();
  EXPECT_EQ(source.checks, 0);
  poll.tick();
  EXPECT_EQ(source.checks, 1);
  for (int i = 0; i < 1024 * 10; ++i) poll.tick();
  EXPECT_EQ(source.checks, 11);
}

TEST(InterruptPoll, CountsWeightedWork) {
  CountingSource source;
  InterruptPoll poll(source, 1000);
  poll.tick(999);
  EXPECT_EQ(source.checks, 0);
  poll.tick(5000);  // one check, however large the step
  EXPECT_EQ(source.checks, 1);
  poll.tick(1000);
  EXPECT_EQ(source.checks, 2);
}

TEST(ThreadInterrupts, PollTheSourceOfTheInnermostScope) {
  CountingSource outer;
  CountingSource inner;
  InterruptScope outer_scope(outer);
  {
    InterruptScope inner_scope(inner);
    for (int i = 0; i < 1024 * 4; ++i) poll_interrupts();
    InterruptPoll poll;  // the thread's source
    for (int i = 0; i < 1024; ++i) poll.tick();
  }
  EXPECT_EQ(inner.checks, 5);
  EXPECT_EQ(outer.checks, 0);
  poll_interrupts(1024);
  EXPECT_EQ(outer.checks, 1);
}

TEST(ThreadInterrupts, AreFreeOutsideAnyScope) {
  for (int i = 0; i < 1024 * 4; ++i) poll_interrupts();
  InterruptPoll poll;
  for (int i = 0; i < 1024 * 4; ++i) poll.tick();
  SUCCEED();
}

// Runs `payload` on a host whose check fails after `fail_after` checks; the
// host's exception leaves the engine.
bool interrupted(std::string_view payload, std::uint64_t fail_after, const Limits& limits = {}) {
  CountingHost host(fail_after);
  auto plan = compile_workflow(parse_json(payload));
  try {
    execute(*plan, host, limits);
  } catch (const std::runtime_error& e) {
    return std::string_view(e.what()) == "interrupted";
  }
  return false;
}

Limits unlimited_strings() {
  Limits limits;
  limits.max_string_length = 0;
  return limits;
}

// Two nodes: two checks between nodes; more must come from inside.
TEST(RunInterrupts, ReachALongRepeat) {
  EXPECT_TRUE(interrupted(R"({"nodes":[
      {"id":"seed","type":"text_input","data":{"text":"abcdefgh"}},
      {"id":"r","type":"text_operation","data":{"text_op":"repeat","repeat_n":8000000}}],
    "edges":[{"source":"seed","target":"r"}]})",
                          5, unlimited_strings()));
}

TEST(RunInterrupts, ReachALongConcatenation) {
  EXPECT_TRUE(interrupted(R"({"nodes":[
      {"id":"seed","type":"text_input","data":{"text":"abcdefgh"}},
      {"id":"r","type":"text_operation","data":{"text_op":"repeat","repeat_n":1000000}},
      {"id":"c","type":"text_operation","data":{"text_op":"concat"}}],
    "edges":[{"source":"seed","target":"r"},{"source":"r","target":"c"},{"source":"r","target":"c"},
             {"source":"r","target":"c"},{"source":"r","target":"c"}]})",
                          // 3 between nodes, 8 inside repeat (1 per MiB); more in concat
                          14, unlimited_strings()));
}

// 4^4 x 1000 = 256,000 numbers, shared: cheap to build, long to walk.
std::string shared_value_then(std::string_view consumer) {
  return R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":1000}},
      {"id":"a","type":"expression","data":{"expression":"[input.range, input.range, input.range, input.range]"}},
      {"id":"b","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"c","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"d","type":"expression","data":{"expression":"[input, input, input, input]"}},)" +
         std::string(consumer) + R"(],
    "edges":[{"source":"r","target":"a"},{"source":"a","target":"b"},{"source":"b","target":"c"},
             {"source":"c","target":"d"},{"source":"d","target":"x"}]})";
}

TEST(RunInterrupts, ReachJsonWritingOfALargeValue) {
  // 6 checks between nodes; writing 256,000 elements polls ~250 times.
  EXPECT_TRUE(interrupted(
      shared_value_then(R"({"id":"x","type":"format","data":{"output_type":"JSON"}})"), 50));
}

TEST(RunInterrupts, ReachWalksOfALargeValue) {
  EXPECT_TRUE(interrupted(
      shared_value_then(R"({"id":"x","type":"transform","data":{"transform_type":"flatten"}})"),
      50));
  EXPECT_TRUE(interrupted(
      shared_value_then(R"({"id":"x","type":"schema_validator","data":{"schema":{}}})"), 50));
  EXPECT_TRUE(interrupted(
      shared_value_then(R"({"id":"x","type":"variable","data":{"var_name":"v","var_op":"set"}})"),
      50));
}

TEST(RunInterrupts, ReachTheExpressionEqualityOfLargeValues) {
  EXPECT_TRUE(interrupted(
      shared_value_then(
          R"({"id":"x","type":"expression","data":{"expression":"node.d == [node.c, node.c, node.c, node.c]"}})"),
      50));
}

}  // namespace
}  // namespace thaiyyal
