// What the two payload decoders share (decode.cpp reads a parsed Value,
// decode_text.cpp reads JSON text): the typed field rules and the decoding of
// a node's data, so that both produce the same Payload.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/nodes/node_type.hpp"
#include "engine/plan/payload.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

// The fields of a struct decoded from `raw` (Go's exact-then-folded key
// matching); throws std::runtime_error with Go's text.
Object decode_fields(const Object& raw, const std::vector<FieldSpec>& fields,
                     const std::string& struct_name, const std::string& path_prefix);

// One field value (spec.key of a struct at path_prefix) as its Go type
// decodes it; throws std::runtime_error with Go's text.
Value decode_field(const Value& v, const FieldSpec& spec, const std::string& struct_name,
                   std::string_view path_prefix);

// A node's non-null `data`: type inference, the typed fields, validation.
// Throws PayloadError.
void decode_node_data(PayloadNode& node, const Value& data, const NodeRegistry& registry);

// The node's executor (compile.cpp): its type's, or one that fails when the
// node is reached (unknown type, missing data).
std::unique_ptr<NodeExecutor> build_executor(const PayloadNode& node);

}  // namespace thaiyyal
