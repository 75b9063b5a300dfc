// What a node family declares: its data schema (for decoding and
// validation, workflow-format.md §3 and §5) and how to build its executor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/nodes/node_data.hpp"
#include "engine/run/node_executor.hpp"

namespace thaiyyal {

enum class FieldType {
  String,       // Go string
  Number,       // Go float64
  Integer,      // Go int: integral JSON literal only
  Bool,         // Go bool
  Any,          // Go interface{}: any JSON value
  StringArray,  // Go []string: null elements become ""
  ObjectArray,  // Go []<Struct>: elements decoded with `element_fields`
};

struct FieldSpec {
  std::string key;  // JSON key as the reference's struct tag spells it
  FieldType type;
  // ObjectArray only.
  std::string element_struct;
  std::vector<FieldSpec> element_fields;
};

struct NodeTypeInfo {
  std::string type;         // e.g. "text_operation"
  std::string struct_name;  // e.g. "TextOperationData"
  std::vector<FieldSpec> fields;
  // Decode-time validation (workflow-format.md §5): an empty string when
  // the data is acceptable, otherwise the <reason>.
  std::string (*validate)(const NodeData& data) = nullptr;
  // Builds the executor once per compiled plan. Problems that the reference
  // reports only at execution (bad expression, unknown op name) must be
  // deferred into the executor, not thrown here.
  std::unique_ptr<NodeExecutor> (*compile)(const NodeData& data) = nullptr;
  // A node of this type without `data` is compiled with empty data instead
  // of failing with "expected <Struct>, got <nil>" (nodes.md §0). Only for
  // our own types whose fields are all optional (workflow_input).
  bool data_optional = false;
};

class NodeRegistry {
 public:
  void add(NodeTypeInfo info);
  // Another name for a registered type (legacy builder names, issue 3).
  void alias(std::string alias_name, std::string_view target);
  const NodeTypeInfo* find(std::string_view type) const;
  // Every registered name in byte order, with what it names: a type's own
  // name (name == info->type) or an alias of it.
  const std::vector<std::pair<std::string, const NodeTypeInfo*>>& names() const { return by_name_; }

  // The registry with every built-in node family.
  static const NodeRegistry& builtin();

 private:
  // Rebuilds slots_ after a name was added.
  void reindex();

  std::vector<std::unique_ptr<NodeTypeInfo>> types_;
  std::vector<std::pair<std::string, const NodeTypeInfo*>> by_name_;
  // Open addressing over by_name_ (short_key_hash, linear probing; at most
  // half full): find() is called for every node of every compile.
  std::vector<std::uint32_t> slots_;
};

// One function per node family file; nodes/builtin_registry.cpp calls them.
void register_input_nodes(NodeRegistry& registry);
void register_operation_nodes(NodeRegistry& registry);
void register_text_operation_nodes(NodeRegistry& registry);
void register_output_nodes(NodeRegistry& registry);
void register_condition_nodes(NodeRegistry& registry);
void register_switch_nodes(NodeRegistry& registry);
void register_expression_nodes(NodeRegistry& registry);
void register_variable_nodes(NodeRegistry& registry);
void register_extract_nodes(NodeRegistry& registry);
void register_transform_nodes(NodeRegistry& registry);
void register_context_nodes(NodeRegistry& registry);
void register_array_expression_nodes(NodeRegistry& registry);  // filter map reduce find partition
void register_array_shape_nodes(NodeRegistry& registry);  // slice reverse chunk compact range ...
void register_array_grouping_nodes(NodeRegistry& registry);  // sort group_by unique
void register_flow_nodes(NodeRegistry& registry);   // for_each while_loop parallel join split delay
void register_state_nodes(NodeRegistry& registry);  // accumulator counter cache
void register_resilience_nodes(
    NodeRegistry& registry);  // retry try_catch timeout rate_limiter throttle
void register_parse_nodes(NodeRegistry& registry);
void register_format_nodes(NodeRegistry& registry);
void register_schema_validator_nodes(NodeRegistry& registry);
void register_http_nodes(NodeRegistry& registry);
void register_sql_nodes(NodeRegistry& registry);             // sql_query sql_batch (ours)
void register_workflow_input_nodes(NodeRegistry& registry);  // workflow_input (ours)

}  // namespace thaiyyal
