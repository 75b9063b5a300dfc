// Which nodes of a workflow execute again when a durable run is retried or
// forked from a node (docs/DURABLE_RUNS.md): the node, every node that
// depends on it through edges, and -- for a fork onto another revision of the
// workflow -- every node whose definition changed (type, decoded data fields
// or incoming edges differ, or it is new), with everything that depends on
// those. Keys the decoder ignores (labels, positions) change nothing.
//
// The other nodes reuse their checkpoints; pure nodes among them are simply
// computed again, so only nodes with recorded answers are affected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

// `target`: the payload the new attempt executes; `source`: the payload the
// recorded attempts executed, or nullptr when it is the same. `from_node`
// may be empty (only changed nodes). Returns node ids, sorted. Throws
// PayloadError when a payload cannot be decoded, and std::invalid_argument
// when `from_node` is not a node of `target`.
std::vector<std::string> nodes_to_execute_again(const Value& target, const Value* source,
                                                std::string_view from_node);

}  // namespace thaiyyal
