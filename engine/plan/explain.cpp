// Describing a compiled workflow and a run of it (explain.hpp).
#include "engine/plan/explain.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "engine/expr/expression.hpp"
#include "engine/go/json.hpp"
#include "engine/plan/payload.hpp"
#include "engine/plan/plan.hpp"

namespace thaiyyal {

namespace {

std::string json_text(const Value& v) {
  std::string out;
  try {
    write_json(out, v, JsonStyle::Plain);
  } catch (const JsonWriteError& e) {
    out = e.what();
  }
  return out;
}

std::string quoted(std::string_view s) {
  std::string out;
  write_json_string(out, s, JsonStyle::Plain);
  return out;
}

// "condition" -> "Condition"; a field path ("cases[0].when") as it is.
std::string field_label(const std::string& field) {
  const bool plain = std::all_of(field.begin(), field.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  });
  std::string label = field;
  if (plain && !label.empty()) {
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  }
  return label;
}

std::string run_suffix(const NodeRunReport& run) {
  std::string s;
  switch (run.state) {
    case NodeRunReport::State::Unknown:
      return {};
    case NodeRunReport::State::Skipped:
    case NodeRunReport::State::NotReached:
      return "  (" + std::string(node_state_name(run.state)) + ")";
    default:
      break;
  }
  s = "  (" + std::string(node_state_name(run.state));
  if (run.duration_ns) s += ", time=" + format_ms(*run.duration_ns) + " ms";
  if (run.output_bytes) s += ", output=" + std::to_string(*run.output_bytes) + " bytes";
  if (run.items) s += ", items=" + std::to_string(*run.items);
  s += ")";
  return s;
}

Value optional_int(const std::optional<std::int64_t>& v) {
  return v ? Value::integer(*v) : Value();
}

Value optional_ms(const std::optional<std::int64_t>& nanos) {
  return nanos ? Value::number(static_cast<double>(*nanos) / 1e6) : Value();
}

Value optional_handle(const std::optional<std::string>& handle) {
  return handle ? Value::string(*handle) : Value();
}

Value text_or_null(const std::string& s) {
  return s.empty() ? Value() : Value::string(s);
}

Value strings_value(const std::vector<std::string>& strings) {
  Array items;
  items.reserve(strings.size());
  for (const std::string& s : strings) items.push_back(Value::string(s));
  return Value::array(std::move(items));
}

struct RunCounts {
  std::int64_t executed = 0, failed = 0, skipped = 0, not_reached = 0, restored = 0;
};

RunCounts count_states(const WorkflowExplanation& explanation) {
  RunCounts c;
  for (const ExplainedNode& node : explanation.nodes) {
    if (!node.run) continue;
    switch (node.run->state) {
      case NodeRunReport::State::Succeeded:
        ++c.executed;
        break;
      case NodeRunReport::State::Failed:
        ++c.executed;
        ++c.failed;
        break;
      case NodeRunReport::State::Skipped:
        ++c.skipped;
        break;
      case NodeRunReport::State::NotReached:
        ++c.not_reached;
        break;
      case NodeRunReport::State::Restored:
        ++c.restored;
        break;
      case NodeRunReport::State::Unknown:
        break;
    }
  }
  return c;
}

}  // namespace

std::string_view node_state_name(NodeRunReport::State state) {
  switch (state) {
    case NodeRunReport::State::Unknown:
      return "unknown";
    case NodeRunReport::State::Succeeded:
      return "succeeded";
    case NodeRunReport::State::Failed:
      return "failed";
    case NodeRunReport::State::Skipped:
      return "skipped";
    case NodeRunReport::State::NotReached:
      return "not reached";
    case NodeRunReport::State::Restored:
      return "restored";
  }
  return "unknown";
}

NodeRunReport::State node_state_from_name(std::string_view name) {
  if (name == "succeeded") return NodeRunReport::State::Succeeded;
  if (name == "failed") return NodeRunReport::State::Failed;
  if (name == "skipped") return NodeRunReport::State::Skipped;
  if (name == "restored") return NodeRunReport::State::Restored;
  return NodeRunReport::State::Unknown;
}

bool config_key_is_expression(const ExplainedNode& node, std::string_view key) {
  const Value* value = node.config.is_object() ? node.config.as_object().find(key) : nullptr;
  // An array of strings whose elements are all expressions (sql_query's
  // params) is shown element by element; an array of objects (switch
  // cases) holds more than its expressions.
  const bool string_array = value != nullptr && value->is_array() &&
                            std::all_of(value->as_array().begin(), value->as_array().end(),
                                        [](const Value& v) { return v.is_string(); });
  return std::any_of(node.expressions.begin(), node.expressions.end(),
                     [key, string_array](const ExplainedExpression& e) {
                       return e.field == key || (string_array && e.field.size() > key.size() &&
                                                 e.field.compare(0, key.size(), key) == 0 &&
                                                 e.field[key.size()] == '[');
                     });
}

std::string format_ms(std::int64_t nanos) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(nanos) / 1e6);
  return buf;
}

ExplainedNode& WorkflowExplanation::node_at(std::size_t index) {
  for (ExplainedNode& node : nodes) {
    if (node.index == index) return node;
  }
  throw std::out_of_range("no node with index " + std::to_string(index));
}

ExplainedNode* WorkflowExplanation::find(std::string_view id) {
  for (ExplainedNode& node : nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

WorkflowExplanation explain_workflow(const Value& payload) {
  WorkflowExplanation out;
  // Compiling first reports exactly compile_workflow's errors; decoding
  // again gives the typed configuration, which the plan does not keep.
  out.plan = compile_workflow(payload);
  Payload decoded = decode_payload(payload);
  const WorkflowPlan& plan = *out.plan;
  out.workflow_id = plan.workflow_id;

  out.nodes.reserve(plan.nodes.size());
  for (std::size_t position = 0; position < plan.order.size(); ++position) {
    const std::size_t index = plan.order[position];
    const PlanNode& node = plan.nodes[index];
    PayloadNode& source = decoded.nodes[index];
    ExplainedNode e;
    e.index = index;
    e.position = position + 1;
    e.id = node.id;
    e.type = node.type;
    // A plan compiles only nodes whose type has an executor, so every node
    // here has its typed configuration (empty when it has no data).
    e.config = source.has_data ? Value::object(source.data.fields()) : Value::empty_object();
    std::vector<NodeExpression> expressions;
    node.executor->expressions(expressions);
    for (const NodeExpression& x : expressions) {
      ExplainedExpression ex;
      ex.field = x.field;
      ex.source = x.expression->source();
      if (x.expression->valid()) {
        ex.parsed = x.expression->parsed();
      } else {
        ex.error = x.expression->compile_error();
      }
      e.expressions.push_back(std::move(ex));
    }
    for (const PlanEdge& edge : node.incoming) {
      e.inputs.push_back({plan.nodes[edge.source].id, edge.handle});
    }
    e.handles = node.executor->handles();
    node.executor->static_problems(e.problems);
    out.nodes.push_back(std::move(e));
  }
  for (PayloadEdge& edge : decoded.edges) {
    out.edges.push_back(
        {std::move(edge.id), std::move(edge.source), std::move(edge.target), edge.handle});
  }
  return out;
}

void attach_run(WorkflowExplanation& explanation, const RunOutcome& outcome,
                std::int64_t duration_ns) {
  for (ExplainedNode& node : explanation.nodes) node.run.reset();
  for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
    ExplainedNode& node = explanation.node_at(timing.node_index);
    NodeRunReport report;
    report.duration_ns = timing.duration_ns;
    if (timing.failed) {
      report.state = NodeRunReport::State::Failed;
      report.error = outcome.failed_node_id == node.id && !outcome.node_message.empty()
                         ? outcome.node_message
                         : outcome.error;
    } else {
      report.state = NodeRunReport::State::Succeeded;
      // The Result holds node outputs only when the run completed.
      if (const Value* output = outcome.result.node_results.find(node.id)) {
        std::string text;
        try {
          write_json(text, *output);
          report.output_bytes = static_cast<std::int64_t>(text.size());
        } catch (const JsonWriteError&) {
          // NaN / Inf: no JSON text, no size.
        }
        if (output->is_array() || output->is_record_list()) {
          report.items = static_cast<std::int64_t>(output->as_array().size());
        }
      }
    }
    node.run = std::move(report);
  }
  for (ExplainedNode& node : explanation.nodes) {
    if (!node.run) node.run = NodeRunReport{};
  }
  RunSummary summary;
  switch (outcome.status) {
    case RunOutcome::Status::Succeeded:
      summary.status = "succeeded";
      break;
    case RunOutcome::Status::TimedOut:
      summary.status = "timed out";
      break;
    case RunOutcome::Status::NodeFailed:
    case RunOutcome::Status::MemoryExceeded:
      summary.status = "failed";
      break;
  }
  summary.duration_ns = duration_ns;
  summary.error = outcome.error;
  explanation.run = std::move(summary);
  complete_node_states(explanation, outcome.status == RunOutcome::Status::Succeeded);
}

void complete_node_states(WorkflowExplanation& explanation, bool run_completed) {
  std::size_t last = 0;  // position of the last node with a state; 0: none
  for (const ExplainedNode& node : explanation.nodes) {
    if (node.run && node.run->state != NodeRunReport::State::Unknown) last = node.position;
  }
  if (last == 0) return;
  for (ExplainedNode& node : explanation.nodes) {
    if (node.run && node.run->state != NodeRunReport::State::Unknown) continue;
    if (!node.run) node.run = NodeRunReport{};
    node.run->state = run_completed || node.position < last ? NodeRunReport::State::Skipped
                                                            : NodeRunReport::State::NotReached;
  }
}

std::vector<NodeRunReport::State> node_states(const WorkflowPlan& plan, const RunOutcome& outcome) {
  std::vector<NodeRunReport::State> states;
  node_states(plan, outcome, states);
  return states;
}

void node_states(const WorkflowPlan& plan, const RunOutcome& outcome,
                 std::vector<NodeRunReport::State>& states) {
  using State = NodeRunReport::State;
  const std::size_t n = plan.nodes.size();
  states.assign(n, State::Unknown);
  for (const RunOutcome::NodeTiming& timing : outcome.node_timings) {
    if (timing.node_index < n)
      states[timing.node_index] = timing.failed ? State::Failed : State::Succeeded;
  }
  const bool completed = outcome.status == RunOutcome::Status::Succeeded;
  // Nodes after the last executed one in execution order were not reached
  // by a run that stopped.
  std::size_t last = 0;
  for (std::size_t position = 0; position < plan.order.size(); ++position) {
    if (states[plan.order[position]] != State::Unknown) last = position + 1;
  }
  for (std::size_t position = 0; position < plan.order.size(); ++position) {
    State& state = states[plan.order[position]];
    if (state != State::Unknown) continue;
    state = completed || position + 1 < last ? State::Skipped : State::NotReached;
  }
}

std::string explain_text(const WorkflowExplanation& explanation) {
  std::string out = "Workflow";
  if (!explanation.heading.empty()) {
    out += " " + explanation.heading;
  } else if (!explanation.workflow_id.empty()) {
    out += " " + quoted(explanation.workflow_id);
  }
  out += "  (" + std::to_string(explanation.nodes.size()) +
         (explanation.nodes.size() == 1 ? " node, " : " nodes, ") +
         std::to_string(explanation.edges.size()) +
         (explanation.edges.size() == 1 ? " edge)\n" : " edges)\n");
  for (const ExplainedNode& node : explanation.nodes) {
    const std::string number = std::to_string(node.position) + ". ";
    const std::string indent(2 + number.size() + 2, ' ');
    out += "  " + number + node.id + ": " + node.type;
    if (node.run) out += run_suffix(*node.run);
    out += '\n';
    if (!node.inputs.empty()) {
      out += indent + "Inputs: ";
      for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        if (i > 0) out += ", ";
        out += node.inputs[i].node_id;
        if (node.inputs[i].handle) out += " on " + quoted(*node.inputs[i].handle);
      }
      out += '\n';
    }
    for (const ExplainedExpression& e : node.expressions) {
      out += indent + field_label(e.field) + ": ";
      if (e.error.empty()) {
        out += e.parsed;
      } else {
        out += quoted(e.source) + " (does not parse: " + e.error + ")";
      }
      out += '\n';
    }
    if (node.config.is_object()) {
      for (const auto& [key, value] : node.config.as_object()) {
        if (config_key_is_expression(node, key)) continue;
        out += indent + key + ": " + json_text(value) + '\n';
      }
    }
    if (node.handles && !node.handles->empty()) {
      out += indent + "Handles: ";
      for (std::size_t i = 0; i < node.handles->size(); ++i) {
        if (i > 0) out += ", ";
        out += quoted((*node.handles)[i]);
      }
      out += '\n';
    }
    for (const std::string& problem : node.problems) out += indent + "Problem: " + problem + '\n';
    if (node.run && !node.run->error.empty()) out += indent + "Error: " + node.run->error + '\n';
  }
  if (explanation.run) {
    const RunSummary& run = *explanation.run;
    const RunCounts c = count_states(explanation);
    out += "Run";
    if (!run.label.empty()) out += " " + run.label;
    out += ": " + run.status;
    if (run.duration_ns) out += ", time=" + format_ms(*run.duration_ns) + " ms";
    out += ", " + std::to_string(c.executed) + " executed";
    if (c.failed > 0) out += " (" + std::to_string(c.failed) + " failed)";
    out += ", " + std::to_string(c.skipped) + " skipped";
    if (c.not_reached > 0) out += ", " + std::to_string(c.not_reached) + " not reached";
    if (c.restored > 0) out += ", " + std::to_string(c.restored) + " restored";
    out += '\n';
    if (!run.error.empty()) out += "Error: " + run.error + '\n';
  }
  return out;
}

Value explain_json(const WorkflowExplanation& explanation) {
  Array nodes;
  nodes.reserve(explanation.nodes.size());
  for (const ExplainedNode& node : explanation.nodes) {
    Array expressions;
    for (const ExplainedExpression& e : node.expressions) {
      expressions.push_back(make_object({{"field", Value::string(e.field)},
                                         {"source", Value::string(e.source)},
                                         {"parsed", text_or_null(e.parsed)},
                                         {"error", text_or_null(e.error)}}));
    }
    Array inputs;
    for (const ExplainedInput& input : node.inputs) {
      inputs.push_back(make_object(
          {{"node", Value::string(input.node_id)}, {"handle", optional_handle(input.handle)}}));
    }
    std::vector<Object::Entry> fields{
        {"position", Value::integer(static_cast<std::int64_t>(node.position))},
        {"id", Value::string(node.id)},
        {"type", Value::string(node.type)},
        {"config", node.config},
        {"expressions", Value::array(std::move(expressions))},
        {"inputs", Value::array(std::move(inputs))},
        {"handles", node.handles ? strings_value(*node.handles) : Value()},
        {"problems", strings_value(node.problems)},
    };
    if (node.run) {
      const NodeRunReport& run = *node.run;
      fields.emplace_back("run", make_object({{"status", Value::string(node_state_name(run.state))},
                                              {"time_ms", optional_ms(run.duration_ns)},
                                              {"output_bytes", optional_int(run.output_bytes)},
                                              {"items", optional_int(run.items)},
                                              {"error", text_or_null(run.error)}}));
    }
    nodes.push_back(make_object(std::move(fields)));
  }
  Array edges;
  for (const ExplainedEdge& edge : explanation.edges) {
    edges.push_back(make_object({{"id", text_or_null(edge.id)},
                                 {"source", Value::string(edge.source)},
                                 {"target", Value::string(edge.target)},
                                 {"handle", optional_handle(edge.handle)}}));
  }
  std::vector<Object::Entry> fields{{"workflow_id", text_or_null(explanation.workflow_id)},
                                    {"workflow", text_or_null(explanation.heading)},
                                    {"nodes", Value::array(std::move(nodes))},
                                    {"edges", Value::array(std::move(edges))}};
  if (explanation.run) {
    const RunSummary& run = *explanation.run;
    const RunCounts c = count_states(explanation);
    fields.emplace_back("run", make_object({{"label", text_or_null(run.label)},
                                            {"status", Value::string(run.status)},
                                            {"time_ms", optional_ms(run.duration_ns)},
                                            {"executed", Value::integer(c.executed)},
                                            {"failed", Value::integer(c.failed)},
                                            {"skipped", Value::integer(c.skipped)},
                                            {"not_reached", Value::integer(c.not_reached)},
                                            {"restored", Value::integer(c.restored)},
                                            {"error", text_or_null(run.error)}}));
  }
  return make_object(std::move(fields));
}

}  // namespace thaiyyal
