// `text_operation` (nodes.md): case changes, concat and repeat with Go's
// string semantics, including the reference's byte-based camelcase.
#include "nodes/node_util.hpp"
#include "text/unicode.hpp"

namespace thaiyyal {
namespace {

// UAX #29 word-break classes, reduced to what title casing observes.
enum class WordClass { Letter, Numeric, ExtendNumLet, MidLetter, MidNum, MidNumLet, Other };

WordClass word_class(char32_t cp) {
  if (cp == '_' || cp == 0x203F || cp == 0x2040 || cp == 0x2054 || cp == 0xFE33 || cp == 0xFE34 ||
      cp == 0xFE4D || cp == 0xFE4E || cp == 0xFE4F || cp == 0xFF3F) {
    return WordClass::ExtendNumLet;
  }
  if (cp == '.' || cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x2024 || cp == 0xFE52 ||
      cp == 0xFF07 || cp == 0xFF0E) {
    return WordClass::MidNumLet;
  }
  if (cp == ':' || cp == 0xB7 || cp == 0x387 || cp == 0x5F4 || cp == 0x2027 || cp == 0xFE13 ||
      cp == 0xFE55 || cp == 0xFF1A) {
    return WordClass::MidLetter;
  }
  if (cp == ',' || cp == ';' || cp == 0x37E || cp == 0x589 || cp == 0x60C || cp == 0x60D ||
      cp == 0x66C || cp == 0x7F8 || cp == 0x2044 || cp == 0xFE10 || cp == 0xFE14 || cp == 0xFE50 ||
      cp == 0xFE54 || cp == 0xFF0C || cp == 0xFF1B) {
    return WordClass::MidNum;
  }
  if (text::is_digit(cp)) return WordClass::Numeric;
  if (text::is_letter(cp)) return WordClass::Letter;
  // Combining marks extend the preceding character.
  if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
      (cp >= 0xFE20 && cp <= 0xFE2F)) {
    return WordClass::ExtendNumLet;
  }
  return WordClass::Other;
}

bool is_wordish(WordClass c) {
  return c == WordClass::Letter || c == WordClass::Numeric || c == WordClass::ExtendNumLet;
}

// Full title-case mappings that expand (x/text/cases uses SpecialCasing).
bool append_special_title(std::string& out, char32_t cp) {
  switch (cp) {
    case 0xDF:
      out += "Ss";
      return true;
    case 0xFB00:
      out += "Ff";
      return true;
    case 0xFB01:
      out += "Fi";
      return true;
    case 0xFB02:
      out += "Fl";
      return true;
    case 0xFB03:
      out += "Ffi";
      return true;
    case 0xFB04:
      out += "Ffl";
      return true;
    case 0xFB05:
    case 0xFB06:
      out += "St";
      return true;
    default:
      return false;
  }
}

std::string title_case(std::string_view input) {
  const std::string lower = text::to_lower(input);
  std::vector<char32_t> cps;
  cps.reserve(lower.size());
  for (std::size_t pos = 0; pos < lower.size();) cps.push_back(text::decode_utf8(lower, pos));

  std::string out;
  out.reserve(lower.size());
  bool in_word = false;
  bool titled = false;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t cp = cps[i];
    WordClass c = word_class(cp);
    bool joins = false;
    if (is_wordish(c)) {
      joins = true;
    } else if (in_word && i + 1 < cps.size() && i > 0) {
      // A middle character keeps the word together only between letters
      // (MidLetter) or digits (MidNum), or either (MidNumLet).
      WordClass prev = word_class(cps[i - 1]);
      WordClass next = word_class(cps[i + 1]);
      bool letters = prev == WordClass::Letter && next == WordClass::Letter;
      bool digits = prev == WordClass::Numeric && next == WordClass::Numeric;
      joins = (c == WordClass::MidLetter && letters) || (c == WordClass::MidNum && digits) ||
              (c == WordClass::MidNumLet && (letters || digits));
    }
    if (!joins) {
      in_word = false;
      titled = false;
      text::append_utf8(out, cp);
      continue;
    }
    if (!in_word) {
      in_word = true;
      titled = false;
    }
    const bool cased = text::is_upper(cp) || text::is_lower(cp) || text::to_upper(cp) != cp;
    if (!titled && cased) {
      titled = true;
      if (!append_special_title(out, cp)) text::append_utf8(out, text::to_title(cp));
    } else {
      text::append_utf8(out, cp);
    }
  }
  return out;
}

std::string camel_case(const std::string& input) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  std::size_t word_start = std::string::npos;
  while (pos < input.size()) {
    std::size_t at = pos;
    char32_t cp = text::decode_utf8(input, pos);
    if (text::is_space(cp)) {
      if (word_start != std::string::npos)
        words.emplace_back(input.data() + word_start, at - word_start);
      word_start = std::string::npos;
    } else if (word_start == std::string::npos) {
      word_start = at;
    }
  }
  if (word_start != std::string::npos)
    words.emplace_back(input.data() + word_start, input.size() - word_start);
  if (words.empty()) return input;

  std::string out = text::to_lower(words[0]);
  for (std::size_t i = 1; i < words.size(); ++i) {
    // The reference upper-cases string(word[0]): one byte read as a Latin-1
    // code point, which corrupts a multi-byte first character.
    text::append_utf8(
        out, text::to_upper(static_cast<char32_t>(static_cast<unsigned char>(words[i][0]))));
    out += text::to_lower(words[i].substr(1));
  }
  return out;
}

std::string inverse_case(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (std::size_t pos = 0; pos < input.size();) {
    char32_t cp = text::decode_utf8(input, pos);
    if (text::is_upper(cp)) {
      cp = text::to_lower(cp);
    } else if (text::is_lower(cp)) {
      cp = text::to_upper(cp);
    }
    text::append_utf8(out, cp);
  }
  return out;
}

class TextOperationExecutor final : public NodeExecutor {
 public:
  explicit TextOperationExecutor(const NodeData& data)
      : op_(data.string_or("text_op", "")),
        separator_(data.string_or("separator", "")),
        repeat_n_(data.integer("repeat_n")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (op_.empty()) throw NodeError("text operation node missing text_op");
    if (inputs.empty()) throw NodeError("text operation needs at least 1 input");
    if (op_ == "concat") {
      std::string joined;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].is_string()) {
          throw NodeError("concat operation input " + std::to_string(i) + " must be text/string");
        }
        if (i > 0) joined += separator_;
        joined += inputs[i].as_string();
      }
      return Value::string(std::move(joined));
    }
    if (op_ == "repeat") {
      if (!inputs[0].is_string()) throw NodeError("repeat operation input must be text/string");
      if (!repeat_n_) throw NodeError("repeat operation requires repeat_n field");
      if (*repeat_n_ < 0)
        throw NodeError("repeat_n must be non-negative, got " + std::to_string(*repeat_n_));
      const std::string& unit = inputs[0].as_string();
      // The reference would try to allocate any size; we refuse results
      // beyond the string limit instead of exhausting memory.
      const std::int64_t limit = run.limits().max_string_length;
      if (limit > 0 && !unit.empty() &&
          *repeat_n_ > limit / static_cast<std::int64_t>(unit.size())) {
        throw NodeError("repeat result too long: " + std::to_string(unit.size()) + " bytes x " +
                        std::to_string(*repeat_n_) + " (limit: " + std::to_string(limit) +
                        " bytes)");
      }
      std::string result;
      result.reserve(unit.size() * static_cast<std::size_t>(*repeat_n_));
      for (std::int64_t i = 0; i < *repeat_n_; ++i) result += unit;
      return Value::string(std::move(result));
    }
    if (!inputs[0].is_string()) throw NodeError("text operation input must be text/string");
    const std::string& text = inputs[0].as_string();
    if (op_ == "uppercase") return Value::string(text::to_upper(text));
    if (op_ == "lowercase") return Value::string(text::to_lower(text));
    if (op_ == "titlecase") return Value::string(title_case(text));
    if (op_ == "camelcase") return Value::string(camel_case(text));
    if (op_ == "inversecase") return Value::string(inverse_case(text));
    throw NodeError("unknown text operation: " + op_);
  }

 private:
  std::string op_;
  std::string separator_;
  std::optional<std::int64_t> repeat_n_;
};

}  // namespace

void register_text_operation_nodes(NodeRegistry& registry) {
  NodeTypeInfo info;
  info.type = "text_operation";
  info.struct_name = "TextOperationData";
  info.fields = {field("text_op", FieldType::String), field("separator", FieldType::String),
                 field("repeat_n", FieldType::Integer)};
  info.validate = THAIYYAL_REQUIRE_FIELD("text_op");
  info.compile = [](const NodeData& data) -> std::unique_ptr<NodeExecutor> {
    return std::make_unique<TextOperationExecutor>(data);
  };
  registry.add(std::move(info));
}

}  // namespace thaiyyal
