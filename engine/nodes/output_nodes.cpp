// Display nodes: `visualization` (requires an input) and `renderer`
// (null without one). Both pass their first input through (nodes.md).
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {

void register_output_nodes(NodeRegistry& registry) {
  NodeTypeInfo visualization;
  visualization.type = "visualization";
  visualization.struct_name = "VisualizationData";
  visualization.fields = {field("mode", FieldType::String)};
  visualization.compile = [](const NodeData&) {
    return make_executor([](RunContext&, const std::vector<Value>& inputs) -> Value {
      if (inputs.empty()) throw NodeError("visualization needs at least 1 input");
      return inputs[0];
    });
  };
  registry.add(std::move(visualization));

  NodeTypeInfo renderer;
  renderer.type = "renderer";
  renderer.struct_name = "RendererData";
  renderer.fields = {field("mode", FieldType::String)};
  renderer.compile = [](const NodeData&) {
    return make_executor([](RunContext&, const std::vector<Value>& inputs) -> Value {
      return inputs.empty() ? Value() : inputs[0];
    });
  };
  registry.add(std::move(renderer));
}

}  // namespace thaiyyal
