// The memory budget of a run (Limits::max_run_memory, common/run_memory.hpp):
// what values hold is counted as they are created and freed, bulk builders
// ask before allocating, and a run that would exceed the budget fails with
// RunOutcome::Status::MemoryExceeded naming the node, instead of taking the
// backend's memory.
#include <gtest/gtest.h>

#include <string>

#include "engine/common/checked_size.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/tests/test_support.hpp"

namespace thaiyyal {
namespace {

using testing::run_workflow;

constexpr std::uint64_t kMiB = 1024 * 1024;

// --- the budget --------------------------------------------------------------

TEST(RunMemoryBudget, CountsTheValuesCreatedWhileItIsActiveUntilTheyAreFreed) {
  RunMemoryBudget budget(0);
  {
    const Value text = Value::string(std::string(100000, 'x'));
    const Value list = Value::array(Array(1000, Value::number(1)));
    EXPECT_GE(budget.used(), 100000u + 1000u * sizeof(Value));
    EXPECT_LT(budget.used(), 100000u + 1000u * sizeof(Value) + 1024);
  }
  EXPECT_EQ(budget.used(), 0u);
  EXPECT_GE(budget.peak(), 100000u + 1000u * sizeof(Value));
}

TEST(RunMemoryBudget, RefusesABoxThatWouldExceedTheLimitAndChargesNothing) {
  RunMemoryBudget budget(64 * 1024);
  std::string big(100000, 'x');
  try {
    Value::string(std::move(big));
    FAIL() << "no RunMemoryExceeded";
  } catch (const RunMemoryExceeded& e) {
    EXPECT_EQ(e.limit(), 64u * 1024);
    EXPECT_GT(e.requested(), 100000u);
  }
  EXPECT_EQ(budget.used(), 0u);
}

TEST(RunMemoryBudget, IsNotARuntimeErrorThatNodeCodeCouldSwallow) {
  // Code that turns runtime errors into node errors must not swallow it.
  EXPECT_FALSE((std::is_base_of_v<std::runtime_error, RunMemoryExceeded>));
}

TEST(RunMemoryBudget, ChargesCopyOnWriteClones) {
  const Value shared = Value::array(Array(1000, Value::number(1)));
  RunMemoryBudget budget(0);
  Value copy = shared;
  copy.mutable_array().push_back(Value::number(2));
  EXPECT_GE(budget.used(), 1000u * sizeof(Value));
}

TEST(RunMemoryBudget, DoesNotReleaseWhatItDidNotCharge) {
  Value before = Value::string(std::string(100000, 'x'));
  RunMemoryBudget budget(0);
  const Value during = Value::string(std::string(1000, 'y'));
  const std::uint64_t used = budget.used();
  before = Value();
  EXPECT_EQ(budget.used(), used);
}

TEST(RunMemoryBudget, NestedBudgetsAlsoChargeTheOuterOne) {
  RunMemoryBudget outer(64 * 1024);
  RunMemoryBudget inner(0);  // unlimited itself
  EXPECT_THROW(Value::string(std::string(100000, 'x')), RunMemoryExceeded);
  const Value small = Value::string(std::string(1000, 'x'));
  EXPECT_EQ(inner.used(), outer.used());
}

TEST(RunMemoryBudget, EnsureAvailableChecksWithoutCharging) {
  RunMemoryBudget budget(kMiB);
  EXPECT_NO_THROW(run_memory::ensure_available(kMiB / 2));
  EXPECT_THROW(run_memory::ensure_available(2 * kMiB), RunMemoryExceeded);
  EXPECT_THROW(run_memory::ensure_available(saturating_mul(1ull << 40, 1ull << 40)),
               RunMemoryExceeded);
  EXPECT_EQ(budget.used(), 0u);
}

TEST(RunMemoryBudget, OutsideARunNothingIsCountedOrRefused) {
  EXPECT_EQ(run_memory::current(), nullptr);
  EXPECT_NO_THROW(run_memory::ensure_available(1ull << 50));
  const Value text = Value::string(std::string(100000, 'x'));
  SUCCEED();
}

TEST(SaturatingSizes, SaturateInsteadOfWrappingAround) {
  EXPECT_EQ(saturating_mul(3, 4), 12u);
  EXPECT_EQ(saturating_mul(1ull << 32, 1ull << 32), kSaturated);
  EXPECT_EQ(saturating_add(kSaturated - 1, 1), kSaturated);
  EXPECT_EQ(saturating_add(kSaturated, 1), kSaturated);
}

TEST(MemorySizeText, UsesTheLargestUnitThatDividesTheSize) {
  EXPECT_EQ(memory_size_text(256 * kMiB), "256MB");
  EXPECT_EQ(memory_size_text(1024 * kMiB), "1GB");
  EXPECT_EQ(memory_size_text(1536 * 1024), "1536kB");
  EXPECT_EQ(memory_size_text(1000), "1000B");
}

// --- runs --------------------------------------------------------------------

// A 1 MiB string doubled by `concat` over `doublings` nodes, every result
// kept: 2^doublings MiB in the last node, twice that in all.
std::string doubling_payload(int doublings) {
  std::string nodes =
      R"({"id":"seed","type":"text_input","data":{"text":"a"}},)"
      R"({"id":"c0","type":"text_operation","data":{"text_op":"repeat","repeat_n":1048576}})";
  std::string edges = R"({"source":"seed","target":"c0"})";
  for (int i = 1; i <= doublings; ++i) {
    const std::string id = "c" + std::to_string(i);
    const std::string prev = "c" + std::to_string(i - 1);
    nodes += R"(,{"id":")" + id + R"(","type":"text_operation","data":{"text_op":"concat"}})";
    edges += R"(,{"source":")" + prev + R"(","target":")" + id + R"("},{"source":")" + prev +
             R"(","target":")" + id + R"("})";
  }
  return R"({"nodes":[)" + nodes + R"(],"edges":[)" + edges + "]}";
}

TEST(RunMemory, ARunThatDoublesAStringPerNodeStopsAtTheBudget) {
  // 1 + 2 + ... + 128 MiB = 255 MiB fit the default 256 MiB; c8 (256 MiB)
  // does not, and is refused before it is allocated.
  const auto r = run_workflow(doubling_payload(12));
  ASSERT_EQ(r.outcome.status, RunOutcome::Status::MemoryExceeded) << r.error();
  EXPECT_EQ(r.outcome.failed_node_id, "c8");
  EXPECT_EQ(r.outcome.failed_node_type, "text_operation");
  EXPECT_EQ(r.error(), R"(workflow run exceeded its memory limit (256MB) in node "c8")");
  ASSERT_EQ(r.outcome.result.errors.size(), 1u);
  EXPECT_EQ(r.outcome.result.errors[0], r.error());
  EXPECT_GE(r.outcome.peak_memory, 255 * kMiB);
  EXPECT_LE(r.outcome.peak_memory, 256 * kMiB);
}

TEST(RunMemory, TheBudgetIsASetting) {
  Limits limits;
  limits.max_run_memory = 16 * kMiB;
  const auto r = run_workflow(doubling_payload(6), limits);
  ASSERT_EQ(r.outcome.status, RunOutcome::Status::MemoryExceeded) << r.error();
  EXPECT_EQ(r.outcome.failed_node_id, "c4");  // 1 + 2 + 4 + 8 = 15 MiB fit
  EXPECT_EQ(r.error(), R"(workflow run exceeded its memory limit (16MB) in node "c4")");
}

TEST(RunMemory, ZeroMeansUnlimitedButStillCounted) {
  Limits limits;
  limits.max_run_memory = 0;
  const auto r = run_workflow(doubling_payload(3), limits);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_GE(r.outcome.peak_memory, 15 * kMiB);
}

TEST(RunMemory, RepeatChecksTheBudgetBeforeAllocating) {
  // max_string_length = 0 leaves only the memory budget in the way.
  Limits limits;
  limits.max_string_length = 0;
  limits.max_run_memory = 4 * kMiB;
  const auto r = run_workflow(R"({"nodes":[
      {"id":"seed","type":"text_input","data":{"text":"abcdefgh"}},
      {"id":"r","type":"text_operation","data":{"text_op":"repeat","repeat_n":1000000}}],
    "edges":[{"source":"seed","target":"r"}]})",
                              limits);
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::MemoryExceeded) << r.error();
  EXPECT_EQ(r.outcome.failed_node_id, "r");
  EXPECT_LT(r.outcome.peak_memory, kMiB);
}

TEST(RunMemory, RepeatSizeArithmeticCannotWrapAround) {
  // 8 bytes x 2^61 is 2^64: a wrapped product would be 0 and the loop would
  // then append 2^61 times.
  Limits limits;
  limits.max_string_length = 0;
  limits.max_run_memory = 0;
  const auto r = run_workflow(R"({"nodes":[
      {"id":"seed","type":"text_input","data":{"text":"abcdefgh"}},
      {"id":"r","type":"text_operation","data":{"text_op":"repeat","repeat_n":2305843009213693952}}],
    "edges":[{"source":"seed","target":"r"}]})",
                              limits);
  ASSERT_EQ(r.outcome.status, RunOutcome::Status::NodeFailed) << r.error();
  EXPECT_EQ(r.outcome.node_message, "repeat result too long: 8 bytes x 2305843009213693952");
}

TEST(RunMemory, RepeatOfAnEmptyStringIsEmptyWhateverTheCount) {
  Limits limits;
  limits.max_string_length = 0;
  const auto r = run_workflow(R"({"nodes":[
      {"id":"seed","type":"text_input","data":{"text":""}},
      {"id":"r","type":"text_operation","data":{"text_op":"repeat","repeat_n":4611686018427387904}}],
    "edges":[{"source":"seed","target":"r"}]})",
                              limits);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(testing::json(r.node("r")), R"("")");
}

// A value that shares one array many times over is small in memory; the
// walks that expand it are what the budget stops.
std::string shared_many_times(std::string_view consumer) {
  return R"({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":1000}},
      {"id":"a","type":"expression","data":{"expression":"[input.range, input.range, input.range, input.range]"}},
      {"id":"b","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"c","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"d","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"e","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"f","type":"expression","data":{"expression":"[input, input, input, input]"}},
      {"id":"g","type":"expression","data":{"expression":"[input, input, input, input]"}},)" +
         std::string(consumer) + R"(],
    "edges":[{"source":"r","target":"a"},{"source":"a","target":"b"},{"source":"b","target":"c"},
             {"source":"c","target":"d"},{"source":"d","target":"e"},{"source":"e","target":"f"},
             {"source":"f","target":"g"},{"source":"g","target":"x"}]})";
}

TEST(RunMemory, ExpandingASharedValueStopsAtTheBudget) {
  // g holds 4^7 x 1000 = 16 million numbers by reference; expanded they
  // take 256 MiB as an array and more as text.
  Limits limits;
  limits.max_run_memory = 32 * kMiB;
  for (const char* consumer :
       {R"({"id":"x","type":"transform","data":{"transform_type":"flatten"}})",
        R"({"id":"x","type":"format","data":{"output_type":"JSON"}})",
        R"({"id":"x","type":"parse","data":{}})"}) {
    const auto r = run_workflow(shared_many_times(consumer), limits);
    EXPECT_EQ(r.outcome.status, RunOutcome::Status::MemoryExceeded)
        << consumer << ": " << r.error();
    EXPECT_EQ(r.outcome.failed_node_id, "x") << consumer;
  }
}

TEST(RunMemory, FlatMapOfASharedArrayStopsAtTheBudget) {
  // 5000 references to one 5000-element array: 25 million elements (400 MB)
  // once flattened.
  Limits limits;
  limits.max_run_memory = 32 * kMiB;
  const auto r = run_workflow(R"j({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":5000}},
      {"id":"m","type":"expression","data":{"expression":"map(input.range, node.r.range)"}},
      {"id":"x","type":"flat_map","data":{}}],
    "edges":[{"source":"r","target":"m"},{"source":"m","target":"x"}]})j",
                              limits);
  EXPECT_EQ(r.outcome.status, RunOutcome::Status::MemoryExceeded) << r.error();
  EXPECT_EQ(r.outcome.failed_node_id, "x");
}

// 1000 distinct elements that share one object (8 KB as text): the texts
// that order or deduplicate them take 8 MB although the value is small.
std::string shared_object_then(std::string_view consumer) {
  return R"j({"nodes":[
      {"id":"r","type":"range","data":{"start":1,"end":1000}},
      {"id":"obj","type":"expression","data":{"expression":"{a: input.range, b: input.range}"}},
      {"id":"arr","type":"expression","data":{"expression":"map(node.r.range, {i: item, o: node.obj})"}},)j" +
         std::string(consumer) + R"j(],
    "edges":[{"source":"r","target":"obj"},{"source":"obj","target":"arr"},{"source":"arr","target":"x"}]})j";
}

TEST(RunMemory, SortingAndDeduplicatingChargeTheTextsTheyKeep) {
  Limits limits;
  limits.max_run_memory = 4 * kMiB;
  for (const char* consumer :
       {R"j({"id":"x","type":"expression","data":{"expression":"sort(input)"}})j",
        R"({"id":"x","type":"sort","data":{}})", R"({"id":"x","type":"unique","data":{}})",
        R"j({"id":"x","type":"expression","data":{"expression":"map(input, {k: item})"}})j"}) {
    const auto r = run_workflow(shared_object_then(consumer), limits);
    if (std::string_view(consumer).find("map(") != std::string_view::npos) {
      EXPECT_TRUE(r.ok()) << "keeps no texts: " << r.error();  // the control case
      continue;
    }
    EXPECT_EQ(r.outcome.status, RunOutcome::Status::MemoryExceeded)
        << consumer << ": " << r.error();
    EXPECT_EQ(r.outcome.failed_node_id, "x") << consumer;
  }
}

}  // namespace
}  // namespace thaiyyal
