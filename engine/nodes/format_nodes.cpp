// `format` (nodes.md): a value to JSON text, or records to CSV/TSV text with
// Go encoding/csv quoting.
#include <set>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/go/csv.hpp"
#include "engine/go/fmt.hpp"
#include "engine/go/json.hpp"
#include "engine/go/strconv.hpp"
#include "engine/go/unicode.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

// A CSV cell (the reference's formatValue).
std::string cell_text(const Value& v) {
  switch (v.kind()) {
    case Kind::String:
      return v.as_string();
    case Kind::Number: {
      double d = v.as_number();
      // Go: v == float64(int64(v)); the conversion is exact only for
      // integral values in [-2^63, 2^63).
      if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
          d == static_cast<double>(static_cast<std::int64_t>(d))) {
        return std::to_string(static_cast<std::int64_t>(d));
      }
      return go_float(d);
    }
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
        return go_v(v);
      }
  }
}

class FormatExecutor final : public NodeExecutor {
 public:
  explicit FormatExecutor(const NodeData& data)
      : output_type_(go::unicode::to_upper(data.string_or("output_type", "JSON"))),
        pretty_(data.boolean("pretty_print").value_or(false)),
        include_headers_(data.boolean("include_headers").value_or(true)) {
    std::string delimiter = data.string_or("delimiter", "");
    if (!delimiter.empty()) delimiter_ = static_cast<unsigned char>(delimiter[0]);
  }

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (inputs.empty()) throw NodeError("format node requires input");
    const Value& input = inputs[0];
    if (output_type_ == "JSON") {
      try {
        return Value::string(pretty_ ? to_json_pretty(input) : to_json(input));
      } catch (const JsonWriteError& e) {
        throw NodeError(std::string("failed to format as JSON: ") + e.what());
      }
    }
    if (output_type_ == "CSV") return format_csv(run, input, delimiter_);
    if (output_type_ == "TSV") return format_csv(run, input, U'\t');
    throw NodeError("unsupported output type: " + output_type_ + " (supported: JSON, CSV, TSV)");
  }
  void static_problems(std::vector<std::string>& problems) const override {
    if (output_type_ != "JSON" && output_type_ != "CSV" && output_type_ != "TSV") {
      problems.push_back("unsupported output type: " + output_type_ +
                         " (supported: JSON, CSV, TSV)");
    }
  }
  std::optional<std::vector<std::string>> handles() const override {
    return std::vector<std::string>{};  // a string
  }

 private:
  Value format_csv(RunContext& run, const Value& input, char32_t comma) const {
    InterruptPoll poll(run.host());
    std::vector<const Object*> records;
    if (input.is_array() || input.is_record_list()) {
      for (const Value& item : input.as_array()) {
        poll.tick();
        if (!item.is_object()) {
          throw NodeError("CSV formatting requires array of objects, got array element of type " +
                          std::string(go_type_name(item)));
        }
        records.push_back(&item.as_object());
      }
    } else if (input.is_object()) {
      records.push_back(&input.as_object());
    } else {
      throw NodeError("CSV formatting requires array of objects or single object, got " +
                      std::string(go_type_name(input)));
    }
    if (records.empty()) return Value::string("");

    std::set<std::string, std::less<>> header_set;
    for (const Object* record : records) {
      poll.tick(record->size());
      for (const auto& entry : *record) header_set.insert(entry.first);
    }
    go::CsvRecord headers(header_set.begin(), header_set.end());
    const bool valid = go::csv_valid_delimiter(comma);

    std::string out;
    if (include_headers_) {
      if (!valid) {
        throw NodeError("failed to write CSV headers: " + std::string(go::kCsvInvalidDelimiter));
      }
      go::csv_append_record(out, headers, comma);
    }
    go::CsvRecord row(headers.size());
    for (const Object* record : records) {
      poll.tick(headers.size());
      // The text grows with every record (a record shared many times over
      // as well): checked against the run's memory budget as it goes.
      run_memory::ensure_available(out.size());
      if (!valid) {
        throw NodeError("failed to write CSV row: " + std::string(go::kCsvInvalidDelimiter));
      }
      for (std::size_t i = 0; i < headers.size(); ++i) {
        const Value* v = record->find(headers[i]);
        row[i] = (v == nullptr || v->is_null()) ? std::string() : cell_text(*v);
      }
      go::csv_append_record(out, row, comma);
    }
    return Value::string(std::move(out));
  }

  std::string output_type_;
  bool pretty_;
  bool include_headers_;
  char32_t delimiter_ = U',';
};

}  // namespace

void register_format_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "format";
  info.struct_name = "FormatData";
  info.fields = {field("output_type", FieldType::String), field("pretty_print", FieldType::Bool),
                 field("include_headers", FieldType::Bool), field("delimiter", FieldType::String)};
  info.validate = THAIYYAL_REQUIRE_FIELD("output_type");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<FormatExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
