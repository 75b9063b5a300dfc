#include "graph/execution_order.hpp"

#include <algorithm>
#include <numeric>

namespace thaiyyal {

OrderResult execution_order(const std::vector<std::string>& ids,
                            const std::vector<GraphEdge>& edges) {
  const std::size_t n = ids.size();
  std::vector<std::size_t> indegree(n, 0);
  // Adjacency in edge order, as compact offsets (counting sort by source).
  std::vector<std::size_t> start(n + 1, 0);
  for (const GraphEdge& e : edges) {
    ++start[e.source + 1];
    ++indegree[e.target];
  }
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::size_t> targets(edges.size());
  std::vector<std::size_t> fill(start.begin(), start.end() - 1);
  for (const GraphEdge& e : edges) targets[fill[e.source]++] = e.target;

  std::vector<std::size_t> queue;
  queue.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) queue.push_back(i);
  }
  std::sort(queue.begin(), queue.end(),
            [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });

  OrderResult result;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    std::size_t node = queue[head];
    for (std::size_t k = start[node]; k < start[node + 1]; ++k) {
      std::size_t t = targets[k];
      if (--indegree[t] == 0) queue.push_back(t);
    }
  }
  result.ok = queue.size() == n;
  if (!result.ok) {
    for (std::size_t i = 0; i < n; ++i) {
      if (indegree[i] != 0) result.stuck.push_back(i);
    }
  }
  result.order = std::move(queue);
  return result;
}

}  // namespace thaiyyal
