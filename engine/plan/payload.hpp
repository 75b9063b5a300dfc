// The decoded payload (workflow-format.md §1-§6), before compilation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/nodes/node_data.hpp"
#include "engine/run/node_executor.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

struct NodeTypeInfo;

struct PayloadNode {
  std::string id;
  std::string type;  // after inference
  bool has_data = false;
  NodeData data;                            // typed fields (known types)
  const NodeTypeInfo* type_info = nullptr;  // nullptr: no executor here
  // Built while decoding from text (decode_payload_text), when the typed
  // data was at hand; otherwise compile builds it.
  std::unique_ptr<NodeExecutor> executor;
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

// Decodes JSON text straight into `out`, without building the document's
// Value tree (engine/plan/decode_text.cpp). Returns false, leaving `out` in
// an unspecified state, for any text this fast path does not take: an
// error of any kind, a duplicate member, a member name that matches a field
// only case-insensitively, an escaped member name. The caller then parses
// the text and calls decode_payload, which reports exactly what Go would;
// when this returns true the Payload equals decode_payload(parse_json(text)).
bool decode_payload_text(std::string_view text, Payload& out);

// Type inference from data keys (workflow-format.md §4); "" when none.
std::string infer_node_type(const Object& data);

// Every type name the reference declares (nodes.md), implemented here or
// not.
bool is_reference_node_type(std::string_view type);

}  // namespace thaiyyal
