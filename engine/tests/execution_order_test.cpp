// Execution order follows the reference's Kahn's algorithm (execution.md §2).
#include <gtest/gtest.h>

#include "engine/plan/execution_order.hpp"

namespace thaiyyal {
namespace {

std::vector<std::string> ordered_ids(const std::vector<std::string>& ids,
                                     const std::vector<GraphEdge>& edges) {
  OrderResult r = execution_order(ids, edges);
  EXPECT_TRUE(r.ok);
  std::vector<std::string> out;
  for (std::size_t i : r.order) out.push_back(ids[i]);
  return out;
}

TEST(ExecutionOrder, StartNodesRunInByteWiseIdOrder) {
  std::vector<std::string> ids = {"b", "a", "10", "9", "A"};
  EXPECT_EQ(ordered_ids(ids, {}), (std::vector<std::string>{"10", "9", "A", "a", "b"}));
}

TEST(ExecutionOrder, LaterNodesRunWhenTheirLastIncomingEdgeIsProcessed) {
  // nodes m, b, z, a; edges z->m, a->b, b->m give a, z, b, m.
  std::vector<std::string> ids = {"m", "b", "z", "a"};
  std::vector<GraphEdge> edges = {{2, 0}, {3, 1}, {1, 0}};
  EXPECT_EQ(ordered_ids(ids, edges), (std::vector<std::string>{"a", "z", "b", "m"}));
}

TEST(ExecutionOrder, QueueIsFirstInFirstOut) {
  // s -> x, s -> y, x -> z: x and y are queued in edge order, z after y.
  std::vector<std::string> ids = {"s", "x", "y", "z"};
  std::vector<GraphEdge> edges = {{0, 2}, {0, 1}, {1, 3}};
  EXPECT_EQ(ordered_ids(ids, edges), (std::vector<std::string>{"s", "y", "x", "z"}));
}

TEST(ExecutionOrder, DuplicateEdgesCountTwice) {
  std::vector<std::string> ids = {"a", "b"};
  std::vector<GraphEdge> edges = {{0, 1}, {0, 1}};
  EXPECT_EQ(ordered_ids(ids, edges), (std::vector<std::string>{"a", "b"}));
}

TEST(ExecutionOrder, CyclesAndSelfLoopsAreDetected) {
  std::vector<std::string> ids = {"a", "b", "c"};
  OrderResult cycle = execution_order(ids, {{0, 1}, {1, 0}, {0, 2}});
  EXPECT_FALSE(cycle.ok);
  EXPECT_EQ(cycle.stuck.size(), 3u);  // c waits on the cycle too
  EXPECT_FALSE(execution_order({"a"}, {{0, 0}}).ok);
}

TEST(ExecutionOrder, EmptyGraphHasEmptyOrder) {
  OrderResult r = execution_order({}, {});
  EXPECT_TRUE(r.ok);
  EXPECT_TRUE(r.order.empty());
}

}  // namespace
}  // namespace thaiyyal
