// Kahn's algorithm exactly as the reference orders nodes (execution.md §2).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

struct GraphEdge {
  std::size_t source;
  std::size_t target;
};

// `ids` are unique node ids (index = node index); `edges` in payload order.
// Start nodes are taken in byte-wise id order, then FIFO. Returns the order,
// or an empty optional-like result (ok=false) when a cycle remains.
struct OrderResult {
  bool ok = false;
  std::vector<std::size_t> order;
  std::vector<std::size_t> stuck;  // nodes left on a cycle (when !ok)
};
OrderResult execution_order(const std::vector<std::string>& ids,
                            const std::vector<GraphEdge>& edges);
// The same with the ids' order given instead of the ids: `by_id` lists every
// node index once, in byte-wise order of the node ids.
OrderResult execution_order_by_id(const std::vector<std::size_t>& by_id,
                                  const std::vector<GraphEdge>& edges);

}  // namespace thaiyyal
