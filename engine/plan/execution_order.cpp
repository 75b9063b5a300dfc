#include "engine/plan/execution_order.hpp"

#include <algorithm>
#include <numeric>

#include "engine/common/scratch.hpp"

namespace thaiyyal {

OrderResult execution_order(const std::vector<std::string>& ids,
                            const std::vector<GraphEdge>& edges) {
  std::vector<std::size_t> by_id(ids.size());
  std::iota(by_id.begin(), by_id.end(), std::size_t{0});
  std::sort(by_id.begin(), by_id.end(),
            [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  return execution_order_by_id(by_id, edges);
}

OrderResult execution_order_by_id(const std::vector<std::size_t>& by_id,
                                  const std::vector<GraphEdge>& edges) {
  const std::size_t n = by_id.size();
  // One scratch allocation: in-degrees, then the adjacency in edge order as
  // compact offsets (a counting sort by source: after the fill, the targets
  // of node s are targets[start[s] .. start[s + 1])).
  ScratchVector<std::size_t, struct OrderScratch> lease;
  std::vector<std::size_t>& scratch = lease.items;
  scratch.assign(n + (n + 2) + edges.size(), 0);
  std::size_t* const indegree = scratch.data();
  std::size_t* const start = indegree + n;
  std::size_t* const targets = start + n + 2;
  for (const GraphEdge& e : edges) {
    ++start[e.source + 2];
    ++indegree[e.target];
  }
  std::partial_sum(start, start + n + 2, start);
  for (const GraphEdge& e : edges) targets[start[e.source + 1]++] = e.target;

  std::vector<std::size_t> queue;
  queue.reserve(n);
  for (std::size_t i : by_id) {
    if (indegree[i] == 0) queue.push_back(i);
  }

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
