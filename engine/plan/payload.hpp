// The decoded payload (workflow-format.md §1-§6), before compilation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/nodes/node_data.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

struct NodeTypeInfo;

struct PayloadNode {
  std::string id;
  std::string type;  // after inference
  bool has_data = false;
  NodeData data;                            // typed fields (known types)
  Value raw_data;                           // the data object as given
  const NodeTypeInfo* type_info = nullptr;  // nullptr: no executor here
};

struct PayloadEdge {
  std::string id;
  std::string source;
  std::string target;
  // sourceHandle, else the legacy `condition`; nullopt = unconditional.
  std::optional<std::string> handle;
};

struct Payload {
  std::string workflow_id;
  std::vector<PayloadNode> nodes;
  std::vector<PayloadEdge> edges;
};

// Throws PayloadError (Reason::Decode) with "failed to parse payload: ...".
Payload decode_payload(const Value& json);

// Type inference from data keys (workflow-format.md §4); "" when none.
std::string infer_node_type(const Object& data);

// Every type name the reference declares (nodes.md), implemented here or
// not.
bool is_reference_node_type(std::string_view type);

}  // namespace thaiyyal
