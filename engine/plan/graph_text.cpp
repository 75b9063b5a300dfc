// Mermaid and DOT text of a workflow (graph_text.hpp).
#include "engine/plan/graph_text.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "engine/go/json.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal {

namespace {

constexpr std::size_t kMaxSettings = 3;
constexpr std::size_t kSettingChars = 40;
constexpr std::size_t kErrorChars = 60;

// At most `chars` code points, "…" appended when shortened; invalid UTF-8
// becomes U+FFFD (renderers refuse it).
std::string shorten(std::string_view s, std::size_t chars) {
  std::string out;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (count == chars) {
      out += "\u2026";
      return out;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(s.data() + i);
    std::size_t n = go::unicode::sequence_length(p, s.size() - i);
    if (n == 0) {
      out += "\uFFFD";
      n = 1;
    } else if (*p < 0x20) {
      out += ' ';  // line breaks and tabs of a setting
    } else {
      out.append(s.data() + i, n);
    }
    i += n;
    ++count;
  }
  return out;
}

std::string setting_text(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_array() || v.is_record_list()) {
    return "[" + std::to_string(v.as_array().size()) + " items]";
  }
  if (v.is_object()) return "{" + std::to_string(v.as_object().size()) + " keys}";
  std::string out;
  try {
    write_json(out, v, JsonStyle::Plain);
  } catch (const JsonWriteError&) {
    out = "?";
  }
  return out;
}

bool executed(const ExplainedNode& node) {
  if (!node.run) return true;
  switch (node.run->state) {
    case NodeRunReport::State::Skipped:
    case NodeRunReport::State::NotReached:
      return false;
    default:
      return true;
  }
}

// The class / style name of a node's state; "" without a run.
std::string state_class(const ExplainedNode& node) {
  if (!node.run || node.run->state == NodeRunReport::State::Unknown) return {};
  return node.run->state == NodeRunReport::State::NotReached
             ? "not_reached"
             : std::string(node_state_name(node.run->state));
}

struct Style {
  const char* fill;
  const char* border;
  const char* font;
  const char* dash;  // "" = solid
};

Style style_of(const std::string& cls) {
  if (cls == "succeeded") return {"#d3f9d8", "#2b8a3e", "#1b4332", ""};
  if (cls == "failed") return {"#ffe3e3", "#c92a2a", "#7d1414", ""};
  if (cls == "skipped") return {"#f1f3f5", "#adb5bd", "#868e96", "dashed"};
  if (cls == "not_reached") return {"#ffffff", "#ced4da", "#adb5bd", "dotted"};
  if (cls == "restored") return {"#d0ebff", "#1971c2", "#0b3d75", ""};
  return {"#ffffff", "#495057", "#212529", ""};
}

std::string summary_line(const WorkflowExplanation& explanation) {
  std::string line = "workflow";
  if (!explanation.heading.empty()) {
    line += " " + explanation.heading;
  } else if (!explanation.workflow_id.empty()) {
    line += " " + explanation.workflow_id;
  }
  if (explanation.run) {
    const RunSummary& run = *explanation.run;
    line += " \u00b7 " + (run.label.empty() ? std::string("run") : run.label) + " " + run.status;
    if (run.duration_ns) line += " in " + format_ms(*run.duration_ns) + " ms";
  }
  return line;
}

// --- Mermaid ----------------------------------------------------------------

// Mermaid's entity codes: its parser takes quotes, brackets and '#' as
// syntax even inside a quoted label.
std::string mermaid_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '#':
        out += "#35;";
        break;
      case '|':
        out += "#124;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// --- DOT --------------------------------------------------------------------

// Text inside an HTML-like label.
std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Text inside a double-quoted DOT string.
std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string node_name(const ExplainedNode& node) {
  return "n" + std::to_string(node.index);
}

// Edge ends by node id (ids are unique in a compiled plan).
class NodesById {
 public:
  explicit NodesById(const WorkflowExplanation& explanation) {
    for (const ExplainedNode& node : explanation.nodes) nodes_.emplace(node.id, &node);
  }
  const ExplainedNode* find(const std::string& id) const {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string_view, const ExplainedNode*> nodes_;
};

}  // namespace

std::vector<std::string> node_label_lines(const ExplainedNode& node) {
  std::vector<std::string> lines{shorten(node.id, kSettingChars),
                                 shorten(node.type, kSettingChars)};
  std::size_t settings = 0;
  for (const ExplainedExpression& e : node.expressions) {
    if (settings == kMaxSettings) break;
    lines.push_back(shorten(e.field + ": " + e.source, kSettingChars));
    ++settings;
  }
  if (node.config.is_object()) {
    for (const auto& [key, value] : node.config.as_object()) {
      if (settings == kMaxSettings) break;
      if (config_key_is_expression(node, key)) continue;
      lines.push_back(shorten(key + ": " + setting_text(value), kSettingChars));
      ++settings;
    }
  }
  if (node.run && node.run->state != NodeRunReport::State::Unknown) {
    std::string state(node_state_name(node.run->state));
    if (node.run->duration_ns) state += " \u00b7 " + format_ms(*node.run->duration_ns) + " ms";
    lines.push_back(std::move(state));
    if (!node.run->error.empty()) lines.push_back(shorten(node.run->error, kErrorChars));
  }
  return lines;
}

std::string to_mermaid(const WorkflowExplanation& explanation) {
  std::string out = "flowchart LR\n";
  out += "  %% " + mermaid_escape(summary_line(explanation)) + "\n";
  std::vector<std::pair<std::string, std::string>> classes;  // (class, node list)
  for (const ExplainedNode& node : explanation.nodes) {
    const std::vector<std::string> lines = node_label_lines(node);
    out += "  " + node_name(node) + "(\"<b>" + mermaid_escape(lines[0]) + "</b>";
    for (std::size_t i = 1; i < lines.size(); ++i) {
      out += "<br/>";
      out += i == 1 ? "<i>" + mermaid_escape(lines[i]) + "</i>" : mermaid_escape(lines[i]);
    }
    out += "\")\n";
    const std::string cls = state_class(node);
    if (cls.empty()) continue;
    auto it = std::find_if(classes.begin(), classes.end(),
                           [&cls](const auto& entry) { return entry.first == cls; });
    if (it == classes.end()) {
      classes.emplace_back(cls, node_name(node));
    } else {
      it->second += "," + node_name(node);
    }
  }
  const NodesById by_id(explanation);
  for (const ExplainedEdge& edge : explanation.edges) {
    const ExplainedNode* source = by_id.find(edge.source);
    const ExplainedNode* target = by_id.find(edge.target);
    if (source == nullptr || target == nullptr) continue;
    out += "  " + node_name(*source) + (executed(*source) && executed(*target) ? " -->" : " -.->");
    if (edge.handle) out += "|" + mermaid_escape(shorten(*edge.handle, kSettingChars)) + "|";
    out += " " + node_name(*target) + "\n";
  }
  for (const auto& [cls, members] : classes) {
    const Style style = style_of(cls);
    out += "  classDef " + cls + " fill:" + style.fill + ",stroke:" + style.border +
           ",color:" + style.font;
    if (std::string_view(style.dash) == "dashed") out += ",stroke-dasharray:5 3";
    if (std::string_view(style.dash) == "dotted") out += ",stroke-dasharray:2 2";
    out += "\n  class " + members + " " + cls + "\n";
  }
  return out;
}

std::string to_dot(const WorkflowExplanation& explanation) {
  std::string out = "digraph workflow {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=" +
         dot_quote(summary_line(explanation)) + "];\n";
  out +=
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, "
      "fillcolor=\"#ffffff\", color=\"#495057\", fontcolor=\"#212529\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#495057\"];\n";
  for (const ExplainedNode& node : explanation.nodes) {
    const std::vector<std::string> lines = node_label_lines(node);
    out += "  " + node_name(node) + " [label=<<B>" + html_escape(lines[0]) + "</B>";
    for (std::size_t i = 1; i < lines.size(); ++i) {
      out += "<BR/>";
      out += i == 1 ? "<I>" + html_escape(lines[i]) + "</I>" : html_escape(lines[i]);
    }
    out += ">";
    const std::string cls = state_class(node);
    if (!cls.empty()) {
      const Style style = style_of(cls);
      out += std::string(", fillcolor=\"") + style.fill + "\", color=\"" + style.border +
             "\", fontcolor=\"" + style.font + "\"";
      if (*style.dash != '\0') out += std::string(", style=\"rounded,filled,") + style.dash + "\"";
      if (cls == "failed") out += ", penwidth=2";
    }
    out += "];\n";
  }
  const NodesById by_id(explanation);
  for (const ExplainedEdge& edge : explanation.edges) {
    const ExplainedNode* source = by_id.find(edge.source);
    const ExplainedNode* target = by_id.find(edge.target);
    if (source == nullptr || target == nullptr) continue;
    out += "  " + node_name(*source) + " -> " + node_name(*target);
    std::vector<std::string> attributes;
    if (edge.handle) attributes.push_back("label=" + dot_quote(shorten(*edge.handle, 40)));
    if (!executed(*source) || !executed(*target))
      attributes.push_back("style=dashed, color=\"#adb5bd\"");
    if (!attributes.empty()) {
      out += " [";
      for (std::size_t i = 0; i < attributes.size(); ++i) {
        if (i > 0) out += ", ";
        out += attributes[i];
      }
      out += "]";
    }
    out += ";\n";
  }
  out += "}\n";
  return out;
}

}  // namespace thaiyyal
