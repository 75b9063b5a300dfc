// `parse` (nodes.md): text in JSON, CSV, TSV, minimal YAML or minimal XML
// to values, with the reference's AUTO detection.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/go/csv.hpp"
#include "engine/go/fmt.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/unicode.hpp"
#include "engine/go/xml.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

// Inputs larger than this are refused instead of being parsed (every format
// here builds values proportional to the input).
constexpr std::size_t kMaxParseInput = 64u << 20;

// in[0] as text (the reference's toString).
std::string input_text(const Value& v) {
  switch (v.kind()) {
    case Kind::String:
      return v.as_string();
    case Kind::Number:
      return go_float(v.as_number());
    case Kind::Int:
      return std::to_string(v.as_int());
    case Kind::Bool:
      return v.as_bool() ? "true" : "false";
    case Kind::Null:
      return "";
    default:
      try {
        return to_json(v);
      } catch (const JsonWriteError&) {
        return go_v(v);  // json.Marshal failed (NaN inside): fmt %v
      }
  }
}

// A CSV cell or YAML/XML scalar: trimmed and typed (the reference's
// parseValue).
Value typed_scalar(std::string_view s) {
  std::string_view trimmed = go::unicode::trim_space(s);
  if (trimmed.empty()) return Value::string("");
  if (trimmed == "true") return Value::boolean(true);
  if (trimmed == "false") return Value::boolean(false);
  if (trimmed == "null") return Value::null();
  if (auto d = parse_go_float_strict(trimmed)) return Value::number(*d);
  return Value::string(trimmed);
}

// 16 bytes per line, however short: the growth is checked against the run's
// memory budget.
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  InterruptPoll poll;
  std::size_t start = 0;
  for (;;) {
    poll.tick();
    run_memory::ensure_room_to_append(lines);
    std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(s.substr(start));
      return lines;
    }
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
}

bool starts_ends(std::string_view s, char first, char last) {
  return !s.empty() && s.front() == first && s.back() == last;
}

bool is_valid_json(std::string_view s) {
  try {
    parse_json(s);
    return true;
  } catch (const JsonParseError&) {
    return false;
  }
}

// AUTO detection (nodes.md `parse`), first match wins.
std::string detect_format(std::string_view input) {
  std::string_view trimmed = go::unicode::trim_space(input);
  if (trimmed.empty()) return "JSON";
  if ((starts_ends(trimmed, '{', '}') || starts_ends(trimmed, '[', ']')) &&
      is_valid_json(trimmed)) {
    return "JSON";
  }
  if (starts_ends(trimmed, '<', '>')) return "XML";
  std::vector<std::string_view> lines = split_lines(trimmed);
  if (trimmed.find(":\n") != std::string_view::npos ||
      trimmed.find(": ") != std::string_view::npos) {
    if (lines.size() > 1) {
      std::size_t yaml_like = 0;
      for (std::string_view line : lines) {
        if (go::unicode::trim_space(line).find(": ") != std::string_view::npos) ++yaml_like;
      }
      if (yaml_like >= 2) return "YAML";
    }
  }
  if (lines.size() > 1) {
    std::string_view first = lines[0];
    auto commas = std::count(first.begin(), first.end(), ',');
    auto tabs = std::count(first.begin(), first.end(), '\t');
    if (tabs > commas && tabs > 0) return "TSV";
    if (commas > 0) return "CSV";
  }
  return "JSON";
}

// --- JSON ------------------------------------------------------------------

Value parse_json_text(std::string_view input) {
  std::string_view trimmed = go::unicode::trim_space(input);
  if (trimmed == "true") return Value::boolean(true);
  if (trimmed == "false") return Value::boolean(false);
  if (trimmed == "null") return Value::null();
  if (auto d = parse_go_float_strict(trimmed)) return Value::number(*d);
  JsonParseOptions options;
  options.allow_trailing = true;
  options.out_of_range_as_string = true;
  try {
    std::size_t consumed = 0;
    return parse_json_prefix(trimmed, consumed, options);
  } catch (const JsonParseError& e) {
    throw NodeError(std::string("invalid JSON: ") + e.what());
  }
}

// --- CSV / TSV -------------------------------------------------------------

Value parse_csv_text(std::string_view input, char32_t comma) {
  go::CsvReadOptions options;
  options.comma = comma;
  options.trim_leading_space = true;
  go::CsvReadResult parsed = go::csv_read_all(input, options);
  if (!parsed.ok()) throw NodeError("invalid CSV/TSV: " + parsed.error);
  Array records;
  if (parsed.records.empty()) return Value::record_list(std::move(records));
  const go::CsvRecord& headers = parsed.records[0];
  records.reserve(parsed.records.size() - 1);
  InterruptPoll poll;
  for (std::size_t i = 1; i < parsed.records.size(); ++i) {
    poll.tick();
    const go::CsvRecord& row = parsed.records[i];
    Object obj;
    for (std::size_t j = 0; j < headers.size(); ++j) {
      // Rows always have the header's field count (the reader checks it).
      obj.set(headers[j], j < row.size() ? typed_scalar(row[j]) : Value::null());
    }
    records.push_back(Value::object(std::move(obj)));
  }
  return Value::record_list(std::move(records));
}

// --- YAML (flat key: value lines) -------------------------------------------

Value parse_yaml_text(std::string_view input) {
  Object result;
  for (std::string_view raw : split_lines(go::unicode::trim_space(input))) {
    std::string_view line = go::unicode::trim_space(raw);
    if (line.empty() || line.front() == '#') continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    result.set(std::string(go::unicode::trim_space(line.substr(0, colon))),
               typed_scalar(go::unicode::trim_space(line.substr(colon + 1))));
  }
  if (result.empty()) throw NodeError("no valid YAML key-value pairs found");
  return Value::object(std::move(result));
}

// --- XML (root element's own character data) ---------------------------------

Value parse_xml_text(RunContext& run, std::string_view input) {
  std::string_view trimmed = go::unicode::trim_space(input);
  // The reference first unmarshals into a map, which always fails once the
  // root start element is found ("unknown type ..."); that error is the
  // one reported if the second, struct-based attempt fails too. Errors
  // before the root element are reported as they are.
  go::xml::Decoder decoder(trimmed);
  go::xml::Decoder::Token t;
  do {
    t = decoder.next();
    if (t == go::xml::Decoder::Token::Error) throw NodeError("invalid XML: " + decoder.error());
  } while (t != go::xml::Decoder::Token::Start);
  const std::string root = decoder.name();
  std::string chardata;
  const std::size_t root_depth = decoder.depth();
  InterruptPoll poll(run.host());
  for (;;) {
    poll.tick();
    t = decoder.next();
    if (t == go::xml::Decoder::Token::Error || decoder.depth() > 10000) {
      throw NodeError("invalid XML: unknown type map[string]interface {}");
    }
    if (t == go::xml::Decoder::Token::End && decoder.depth() < root_depth) break;
    if (t == go::xml::Decoder::Token::Text && decoder.depth() == root_depth)
      chardata += decoder.text();
  }
  return make_object({{root, typed_scalar(chardata)}});
}

// --- executor ----------------------------------------------------------------

class ParseExecutor final : public NodeExecutor {
 public:
  explicit ParseExecutor(const NodeData& data)
      : input_type_(go::unicode::to_upper(data.string_or("input_type", "AUTO"))) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("parse node requires input");
    std::string text = input_text(inputs[0]);
    if (text.size() > kMaxParseInput) {
      throw NodeError("parse input too large: " + std::to_string(text.size()) + " bytes (limit " +
                      std::to_string(kMaxParseInput) + ")");
    }
    std::string type = input_type_ == "AUTO" ? detect_format(text) : input_type_;
    if (type == "JSON") return parse_json_text(text);
    if (type == "CSV") return parse_csv_text(text, U',');
    if (type == "TSV") return parse_csv_text(text, U'\t');
    if (type == "YAML") return parse_yaml_text(text);
    if (type == "XML") return parse_xml_text(run, text);
    throw NodeError("unsupported input type: " + type +
                    " (supported: AUTO, JSON, CSV, TSV, YAML, XML)");
  }
  void static_problems(std::vector<std::string>& problems) const override {
    for (const char* known : {"AUTO", "JSON", "CSV", "TSV", "YAML", "XML"}) {
      if (input_type_ == known) return;
    }
    problems.push_back("unsupported input type: " + input_type_ +
                       " (supported: AUTO, JSON, CSV, TSV, YAML, XML)");
  }

 private:
  std::string input_type_;
};

}  // namespace

void register_parse_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "parse";
  info.struct_name = "ParseData";
  info.fields = {field("input_type", FieldType::String)};
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<ParseExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
