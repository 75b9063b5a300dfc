// Payload decoding with Go encoding/json's rules (workflow-format.md §1-§6):
// case-insensitive keys, null = absent, typed fields with Go's error texts.
#include <cmath>

#include "engine/go/json_fold.hpp"
#include "engine/go/strconv.hpp"
#include "engine/nodes/node_type.hpp"
#include "engine/plan/compile.hpp"
#include "engine/plan/decode_support.hpp"
#include "engine/plan/payload.hpp"

namespace thaiyyal {
namespace {

[[noreturn]] void fail(const std::string& reason, const std::string& node_id = {}) {
  throw PayloadError(PayloadError::Reason::Decode, "failed to parse payload: " + reason, node_id);
}

// Go's name for the JSON kind in UnmarshalTypeError ("number", "array"...).
std::string json_kind(const Value& v) {
  switch (v.kind()) {
    case Kind::Bool:
      return "bool";
    case Kind::Number:
    case Kind::Int:
      return "number";
    case Kind::String:
      return "string";
    case Kind::Array:
    case Kind::RecordList:
      return "array";
    case Kind::Object:
      return "object";
    default:
      return "null";
  }
}

// Go matches struct fields exactly first, then case-insensitively with
// Unicode simple folding.
const Value* find_field(const Object& obj, std::string_view key) {
  if (const Value* exact = obj.find(key)) return exact;
  for (const auto& [k, v] : obj) {
    if (go::json_names_fold_equal(k, key)) return &v;
  }
  return nullptr;
}

std::string type_error(const Value& v, std::string_view where, std::string_view go_type) {
  return "json: cannot unmarshal " + json_kind(v) + " into Go struct field " + std::string(where) +
         " of type " + std::string(go_type);
}

std::optional<std::string> read_string_field(const Object& obj, std::string_view key,
                                             std::string_view where) {
  const Value* v = find_field(obj, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) throw std::runtime_error(type_error(*v, where, "string"));
  return v->as_string();
}

}  // namespace

Object decode_fields(const Object& raw, const std::vector<FieldSpec>& fields,
                     const std::string& struct_name, const std::string& path_prefix) {
  // Field keys are unique: append_sorted() needs no duplicate handling and
  // costs no search when the specs are in key order.
  Object decoded;
  decoded.reserve(fields.size());
  for (const FieldSpec& spec : fields) {
    const Value* v = find_field(raw, spec.key);
    if (v == nullptr || v->is_null()) continue;
    decoded.append_sorted(spec.key, decode_field(*v, spec, struct_name, path_prefix));
  }
  return decoded;
}

// Decodes one field value (the field spec.key of a struct at path_prefix);
// throws std::runtime_error with Go's text. The names in error messages are
// only built when there is an error.
Value decode_field(const Value& v, const FieldSpec& spec, const std::string& struct_name,
                   std::string_view path_prefix) {
  auto path = [&] { return std::string(path_prefix) + spec.key; };
  auto where = [&] { return struct_name + "." + path(); };
  switch (spec.type) {
    case FieldType::String:
      if (!v.is_string()) throw std::runtime_error(type_error(v, where(), "string"));
      return v;
    case FieldType::Number:
      if (!v.is_number()) throw std::runtime_error(type_error(v, where(), "float64"));
      return Value::number(v.as_number());
    case FieldType::Integer: {
      if (!v.is_number()) throw std::runtime_error(type_error(v, where(), "int"));
      double d = v.as_number();
      if (!v.integral_literal() || !(d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)) {
        throw std::runtime_error("json: cannot unmarshal number " + go_float(d) +
                                 " into Go struct field " + where() + " of type int");
      }
      return Value::number(d, true);
    }
    case FieldType::Bool:
      if (!v.is_bool()) throw std::runtime_error(type_error(v, where(), "bool"));
      return v;
    case FieldType::Any:
      return v;
    case FieldType::StringArray: {
      if (!v.is_array()) throw std::runtime_error(type_error(v, where(), "[]string"));
      Array out;
      out.reserve(v.as_array().size());
      for (const Value& e : v.as_array()) {
        if (e.is_null()) {
          out.push_back(Value::string(std::string()));
        } else if (e.is_string()) {
          out.push_back(e);
        } else {
          throw std::runtime_error(type_error(e, where(), "string"));
        }
      }
      return Value::array(std::move(out));
    }
    case FieldType::ObjectArray: {
      if (!v.is_array()) {
        throw std::runtime_error(type_error(v, where(), "[]types." + spec.element_struct));
      }
      Array out;
      out.reserve(v.as_array().size());
      for (const Value& e : v.as_array()) {
        if (e.is_null()) {
          out.push_back(Value::empty_object());
        } else if (e.is_object()) {
          out.push_back(Value::object(decode_fields(e.as_object(), spec.element_fields,
                                                    spec.element_struct, path() + ".")));
        } else {
          throw std::runtime_error(type_error(e, where(), "types." + spec.element_struct));
        }
      }
      return Value::array(std::move(out));
    }
  }
  return v;
}

namespace {

// The `label` every known type accepts.
void check_label(const Object& raw, const std::string& struct_name) {
  const Value* v = find_field(raw, "label");
  if (v != nullptr && !v->is_null() && !v->is_string()) {
    throw std::runtime_error(type_error(*v, struct_name + ".label", "string"));
  }
}

PayloadNode decode_node(const Value& element, const NodeRegistry& registry) {
  PayloadNode node;
  if (element.is_null()) return node;
  if (!element.is_object()) {
    fail("failed to unmarshal node: json: cannot unmarshal " + json_kind(element) +
         " into Go value of type types.NodeTemp");
  }
  const Object& obj = element.as_object();
  try {
    if (auto id = read_string_field(obj, "id", "NodeTemp.id")) node.id = *id;
    const Value* type = find_field(obj, "type");
    if (type != nullptr && !type->is_null()) {
      if (!type->is_string()) {
        throw std::runtime_error(type_error(*type, "NodeTemp.type", "types.NodeType"));
      }
      node.type = type->as_string();
    }
  } catch (const std::runtime_error& e) {
    fail(std::string("failed to unmarshal node: ") + e.what(), node.id);
  }

  const Value* data = find_field(obj, "data");
  if (data == nullptr || data->is_null()) {
    // No data: no inference, and a known type fails when executed with
    // "expected <Struct>, got <nil>" (nodes.md §0).
    node.type_info = registry.find(node.type);
    return node;
  }
  decode_node_data(node, *data, registry);
  return node;
}

PayloadEdge decode_edge(const Value& element) {
  PayloadEdge edge;
  if (element.is_null()) return edge;
  if (!element.is_object()) {
    fail("json: cannot unmarshal " + json_kind(element) +
         " into Go struct field Payload.edges of type types.Edge");
  }
  const Object& obj = element.as_object();
  try {
    if (auto v = read_string_field(obj, "id", "Edge.edges.id")) edge.id = *v;
    if (auto v = read_string_field(obj, "source", "Edge.edges.source")) edge.source = *v;
    if (auto v = read_string_field(obj, "target", "Edge.edges.target")) edge.target = *v;
    auto source_handle = read_string_field(obj, "sourceHandle", "Edge.edges.sourceHandle");
    (void)read_string_field(obj, "targetHandle", "Edge.edges.targetHandle");
    auto condition = read_string_field(obj, "condition", "Edge.edges.condition");
    edge.handle = source_handle ? source_handle : condition;
  } catch (const std::runtime_error& e) {
    fail(e.what());
  }
  return edge;
}

}  // namespace

void decode_node_data(PayloadNode& node, const Value& data, const NodeRegistry& registry) {
  node.has_data = true;
  if (node.type.empty() && data.is_object()) node.type = infer_node_type(data.as_object());

  node.type_info = registry.find(node.type);
  auto data_error = [&](const std::string& reason) {
    fail("failed to unmarshal data for node " + node.id + " (type " + node.type + "): " + reason,
         node.id);
  };
  if (node.type_info == nullptr) {
    if (!data.is_object()) {
      data_error("json: cannot unmarshal " + json_kind(data) +
                 " into Go value of type types.CustomExecutorData");
    }
    return;
  }
  const NodeTypeInfo& info = *node.type_info;
  if (!data.is_object()) {
    data_error("json: cannot unmarshal " + json_kind(data) + " into Go value of type types." +
               info.struct_name);
  }
  try {
    check_label(data.as_object(), info.struct_name);
    node.data = NodeData(decode_fields(data.as_object(), info.fields, info.struct_name, ""));
  } catch (const std::runtime_error& e) {
    data_error(e.what());
  }
  if (info.validate != nullptr) {
    std::string reason = info.validate(node.data);
    if (!reason.empty()) data_error(reason);
  }
}

Payload decode_payload(const Value& json) {
  Payload payload;
  if (json.is_null()) return payload;  // Go: unmarshalling null is a no-op
  if (!json.is_object()) {
    fail("json: cannot unmarshal " + json_kind(json) + " into Go value of type types.Payload");
  }
  const Object& top = json.as_object();
  try {
    if (auto id = read_string_field(top, "workflow_id", "Payload.workflow_id")) {
      payload.workflow_id = *id;
    }
  } catch (const std::runtime_error& e) {
    fail(e.what());
  }

  const NodeRegistry& registry = NodeRegistry::builtin();
  if (const Value* nodes = find_field(top, "nodes"); nodes != nullptr && !nodes->is_null()) {
    if (!nodes->is_array()) {
      fail(type_error(*nodes, "Payload.nodes", "[]types.Node"));
    }
    payload.nodes.reserve(nodes->as_array().size());
    for (const Value& element : nodes->as_array()) {
      payload.nodes.push_back(decode_node(element, registry));
    }
  }
  if (const Value* edges = find_field(top, "edges"); edges != nullptr && !edges->is_null()) {
    if (!edges->is_array()) {
      fail(type_error(*edges, "Payload.edges", "[]types.Edge"));
    }
    payload.edges.reserve(edges->as_array().size());
    for (const Value& element : edges->as_array()) {
      payload.edges.push_back(decode_edge(element));
    }
  }
  return payload;
}

}  // namespace thaiyyal
