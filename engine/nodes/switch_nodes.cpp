// `switch` (nodes.md): the first case whose `when` holds chooses the output
// path; the default case (always last) matches otherwise.
#include "engine/expr/expression.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

struct SwitchCase {
  std::string when;
  std::string output_path;
  bool is_default = false;
  expr::CompiledExpression condition;
};

class SwitchExecutor final : public NodeExecutor {
 public:
  explicit SwitchExecutor(const NodeData& data) {
    const Value* cases = data.get("cases");
    if (cases == nullptr) return;
    cases_.reserve(cases->as_array().size());
    for (const Value& c : cases->as_array()) {
      SwitchCase sc;
      if (const Value* v = c.find("when"); v && v->is_string()) sc.when = v->as_string();
      if (const Value* v = c.find("output_path"); v && v->is_string())
        sc.output_path = v->as_string();
      if (const Value* v = c.find("is_default"); v && v->is_bool()) sc.is_default = v->as_bool();
      if (!sc.is_default) {
        sc.condition = expr::CompiledExpression::compile(sc.when, expr::StartSymbol::Condition);
      }
      cases_.push_back(std::move(sc));
    }
  }

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("switch node requires at least one input");
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const SwitchCase& c = cases_[i];
      if (!c.is_default && !c.condition.valid()) {
        throw NodeError("case " + std::to_string(i) + ": " + c.condition.compile_error());
      }
    }
    expr::Bindings bindings;
    bindings.current = &inputs[0];
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const SwitchCase& c = cases_[i];
      if (c.is_default) {
        return out({{"case", str("default")},
                    {"case_index", integer(static_cast<std::int64_t>(i))},
                    {"matched", Value::boolean(false)},
                    {"output_path", str(c.output_path.empty() ? "default" : c.output_path)},
                    {"value", inputs[0]}});
      }
      // An evaluation failure skips the case (language.md §4.4).
      expr::ConditionOutcome outcome = c.condition.test(run, bindings);
      if (outcome.ok && outcome.truth) {
        return out({{"case", str(c.when)},
                    {"case_index", integer(static_cast<std::int64_t>(i))},
                    {"matched", Value::boolean(true)},
                    {"output_path", str(c.output_path)},
                    {"value", inputs[0]}});
      }
    }
    // Unreachable after decode-time validation (exactly one default).
    throw NodeError("switch node has no matching case and no default case");
  }
  void static_problems(std::vector<std::string>& problems) const override {
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      const SwitchCase& c = cases_[i];
      if (!c.is_default && !c.condition.valid()) {
        problems.push_back("case " + std::to_string(i) + ": " + c.condition.compile_error());
      }
    }
  }
  std::optional<std::vector<std::string>> handles() const override {
    std::vector<std::string> paths;
    for (const SwitchCase& c : cases_) {
      paths.push_back(c.is_default && c.output_path.empty() ? "default" : c.output_path);
    }
    return paths;
  }
  void expressions(std::vector<NodeExpression>& out) const override {
    for (std::size_t i = 0; i < cases_.size(); ++i) {
      if (!cases_[i].is_default) {
        out.push_back({"cases[" + std::to_string(i) + "].when", &cases_[i].condition});
      }
    }
  }

 private:
  std::vector<SwitchCase> cases_;
};

std::string validate_switch(const NodeData& data) {
  const Value* cases = data.get("cases");
  if (cases == nullptr || cases->as_array().empty()) return "missing required field: cases";
  const Array& items = cases->as_array();
  std::size_t defaults = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value* is_default = items[i].find("is_default");
    if (is_default != nullptr && is_default->is_true()) {
      ++defaults;
      if (i != items.size() - 1) {
        return "default case must be the last case in the array (found at index " +
               std::to_string(i) + ", but last index is " + std::to_string(items.size() - 1) + ")";
      }
      continue;
    }
    const Value* path = items[i].find("output_path");
    if (path == nullptr || !path->is_string() || path->as_string().empty()) {
      return "case at index " + std::to_string(i) +
             " must have output_path (non-default cases require output_path)";
    }
  }
  if (defaults != 1) {
    return "switch node must have exactly one default case (found " + std::to_string(defaults) +
           ")";
  }
  return {};
}

}  // namespace

void register_switch_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "switch";
  info.struct_name = "SwitchData";
  FieldSpec cases{"cases",
                  FieldType::ObjectArray,
                  "SwitchCase",
                  {field("when", FieldType::String), field("output_path", FieldType::String),
                   field("is_default", FieldType::Bool)}};
  info.fields = {cases};
  info.validate = validate_switch;
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<SwitchExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
