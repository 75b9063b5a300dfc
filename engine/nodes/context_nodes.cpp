// `context_variable` and `context_constant` (nodes.md, execution.md §6.5):
// typed named values that expressions read as `context.<name>`. Ours: an
// object run input overrides the value of the entry with the same name.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "engine/go/fmt.hpp"
#include "engine/go/strconv.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

constexpr std::int64_t kMinUnixSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr std::int64_t kMaxUnixSeconds = 253402300799;  // 9999-12-31T23:59:59Z

bool digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int number_at(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Go time.Parse(time.RFC3339, s) acceptance: fractional seconds allowed,
// zone "Z" or ±hh:mm, fields range-checked.
bool is_rfc3339(std::string_view s) {
  if (!digits(s, 0, 4) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
      !digits(s, 8, 2) || s[10] != 'T' || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) ||
      s[16] != ':' || !digits(s, 17, 2)) {
    return false;
  }
  const int month = number_at(s, 5, 2), day = number_at(s, 8, 2);
  const int hour = number_at(s, 11, 2), minute = number_at(s, 14, 2), second = number_at(s, 17, 2);
  const int year = number_at(s, 0, 4);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + ((month == 2 && leap) ? 1 : 0)) return false;
  std::size_t pos = 19;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  if (pos < s.size() && s[pos] == 'Z') return pos + 1 == s.size();
  if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && digits(s, pos + 1, 2) &&
      s[pos + 3] == ':' && digits(s, pos + 4, 2)) {
    return number_at(s, pos + 1, 2) <= 23 && number_at(s, pos + 4, 2) <= 59;
  }
  return false;
}

std::string quoted(std::string_view s) {
  std::string q = "\"";
  q += s;
  q += '"';
  return q;
}

// Go strconv.ParseInt(s, 10, 64).
std::optional<std::int64_t> parse_int64(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
  }
  errno = 0;
  std::string text(s);
  long long v = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return v;
}

Value epoch_time(std::int64_t units, std::int64_t per_second, const std::string& what) {
  const std::int64_t seconds = units / per_second;
  if (seconds < kMinUnixSeconds || seconds > kMaxUnixSeconds) {
    throw std::runtime_error("cannot represent " + std::to_string(units) + " " + what +
                             ": year outside of range [0,9999]");
  }
  return Value::time(units * (1000000000 / per_second));
}

// Converts one context entry by its declared type; throws runtime_error
// with the reason text.
Value convert_entry(const Value& value, const std::string& type) {
  if (type == "string") return Value::string(go_v(value));
  if (type == "number") {
    if (value.is_number()) return value;
    if (value.is_string()) {
      const std::string& s = value.as_string();
      if (auto d = parse_go_float_strict(s)) return Value::number(*d);
      const char* why = parse_go_float(s) ? "value out of range" : "invalid syntax";
      throw std::runtime_error("cannot convert " + quoted(s) +
                               " to number: strconv.ParseFloat: parsing " + quoted(s) + ": " + why);
    }
    throw std::runtime_error("cannot convert type " + std::string(go_type_name(value)) +
                             " to number");
  }
  if (type == "boolean") {
    if (value.is_bool()) return value;
    if (value.is_string()) {
      if (auto b = parse_go_bool(value.as_string())) return Value::boolean(*b);
      throw std::runtime_error("cannot convert " + quoted(value.as_string()) +
                               " to boolean: strconv.ParseBool: parsing " +
                               quoted(value.as_string()) + ": invalid syntax");
    }
    if (value.is_numeric()) return Value::boolean(value.as_double() != 0);
    throw std::runtime_error("cannot convert type " + std::string(go_type_name(value)) +
                             " to boolean");
  }
  if (type == "time_string") {
    std::string text = go_v(value);
    if (!is_rfc3339(text)) {
      throw std::runtime_error("invalid time string " + quoted(text) + ": parsing time " +
                               quoted(text) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse " +
                               quoted(text));
    }
    return Value::string(std::move(text));
  }
  if (type == "epoch_second" || type == "epoch_ms") {
    const bool ms = type == "epoch_ms";
    const std::string unit = ms ? "epoch milliseconds" : "epoch seconds";
    std::int64_t units;
    if (value.is_numeric()) {
      double d = std::trunc(value.as_double());
      if (!(d > -9.2e18 && d < 9.2e18)) {
        throw std::runtime_error("cannot convert " + go_v(value) + " to " + unit +
                                 ": out of range");
      }
      units = static_cast<std::int64_t>(d);
    } else if (value.is_string()) {
      auto parsed = parse_int64(value.as_string());
      if (!parsed) {
        throw std::runtime_error("cannot convert " + quoted(value.as_string()) + " to " + unit +
                                 ": strconv.ParseInt: parsing " + quoted(value.as_string()) +
                                 ": invalid syntax");
      }
      units = *parsed;
    } else {
      throw std::runtime_error("cannot convert type " + std::string(go_type_name(value)) + " to " +
                               unit);
    }
    return epoch_time(units, ms ? 1000 : 1, unit);
  }
  if (type == "null") return Value();
  throw std::runtime_error("unsupported type " + quoted(type));
}

class ContextExecutor final : public NodeExecutor {
 public:
  ContextExecutor(const NodeData& data, bool constant)
      : constant_(constant), name_(data.string_or("context_name", "")) {
    if (const Value* v = data.get("context_value")) legacy_value_ = *v;
    if (const Value* entries = data.get("context_values")) {
      for (const Value& e : entries->as_array()) {
        Entry entry;
        if (const Value* v = e.find("name"); v && v->is_string()) entry.name = v->as_string();
        if (const Value* v = e.find("value")) entry.value = *v;
        if (const Value* v = e.find("type"); v && v->is_string()) entry.type = v->as_string();
        entries_.push_back(std::move(entry));
      }
    }
  }

  Value execute(RunContext& run, const std::vector<Value>&) const override {
    const std::string node_kind = constant_ ? "context_constant" : "context_variable";
    if (entries_.empty()) {
      const Value& value = overridden(run, name_, legacy_value_);
      if (value.is_null()) throw NodeError(node_kind + " node missing context_value");
      store(run, name_, value);
      return out({{"name", str(name_)},
                  {"type", str(constant_ ? "const" : "variable")},
                  {"value", value}});
    }
    Object converted;
    for (const Entry& entry : entries_) {
      Value v;
      try {
        v = convert_entry(overridden(run, entry.name, entry.value), entry.type);
      } catch (const std::runtime_error& e) {
        throw NodeError(node_kind + " node: error converting " + entry.name + " (" + entry.type +
                        "): " + e.what());
      }
      store(run, entry.name, v);
      converted.set(entry.name, std::move(v));
    }
    return out({{constant_ ? "constants" : "variables", Value::object(std::move(converted))},
                {"type", str(constant_ ? "const" : "variable")}});
  }

 private:
  struct Entry {
    std::string name;
    Value value;
    std::string type;
  };

  // Run input (ours): an object input's key with this name replaces the
  // configured value, before conversion by the entry's type.
  static const Value& overridden(const RunContext& run, const std::string& name,
                                 const Value& configured) {
    const Value* v = run.run_input().find(name);
    return v != nullptr ? *v : configured;
  }

  void store(RunContext& run, const std::string& name, Value v) const {
    if (constant_) {
      run.set_context_constant(name, std::move(v));
    } else {
      run.set_context_variable(name, std::move(v));
    }
  }

  bool constant_;
  std::string name_;
  Value legacy_value_;
  std::vector<Entry> entries_;
};

std::string validate_context(const NodeData& data) {
  const Value* values = data.get("context_values");
  if ((values != nullptr && !values->as_array().empty()) || data.has("context_name")) return {};
  return "missing required field: context_values or context_name";
}

NodeTypeInfo context_type(std::string type, std::string struct_name) {
  NodeTypeInfo info;
  info.type = std::move(type);
  info.struct_name = std::move(struct_name);
  FieldSpec values{"context_values",
                   FieldType::ObjectArray,
                   "ContextValue",
                   {field("name", FieldType::String), field("value", FieldType::Any),
                    field("type", FieldType::String)}};
  info.fields = {values, field("context_name", FieldType::String),
                 field("context_value", FieldType::Any)};
  info.validate = validate_context;
  return info;
}

}  // namespace

void register_context_nodes(NodeRegistry& registry) {
  NodeTypeInfo variable = context_type("context_variable", "ContextVariableData");
  variable.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<ContextExecutor>(data, false);
  };
  registry.add(std::move(variable));

  NodeTypeInfo constant = context_type("context_constant", "ContextConstantData");
  constant.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<ContextExecutor>(data, true);
  };
  registry.add(std::move(constant));
}

}  // namespace thaiyyal
