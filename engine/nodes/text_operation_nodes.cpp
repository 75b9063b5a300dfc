// `text_operation` (nodes.md): case changes, concat and repeat with Go's
// string semantics, including the reference's byte-based camelcase.
#include "engine/common/checked_size.hpp"
#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/go/unicode.hpp"
#include "engine/nodes/node_util.hpp"

namespace thaiyyal {
namespace {

namespace unicode = go::unicode;

// x/text/cases' title caser for English after strings.ToLower (nodes.md
// `text_operation`): the first cased rune of a word gets its full title
// mapping, later cased runes stay lower-case. Only a word-break rune, or a
// second "mid" rune in a row, ends a word; digits and one ' . : do not.
std::string title_case(std::string_view input) {
  const std::string lower = unicode::to_lower(input);
  std::string out;
  out.reserve(lower.size());
  bool mid_word = false;
  bool previous_mid = false;
  for (std::size_t pos = 0; pos < lower.size();) {
    const unicode::Rune r = unicode::decode(lower, pos);
    pos += r.len;
    const unicode::WordBreak brk = unicode::word_break(r.cp);
    const bool cased = unicode::is_cased(r.cp);
    const bool mid = brk == unicode::WordBreak::Mid && !cased && unicode::is_case_ignorable(r.cp);
    if (previous_mid && mid) mid_word = false;
    if (cased) {
      if (!mid_word) {
        unicode::append_title_full(out, r.cp);
        mid_word = true;
      } else {
        unicode::append_utf8(out, unicode::to_lower(r.cp));
      }
    } else {
      unicode::append_utf8(out, r.cp);
      if (brk == unicode::WordBreak::Break) mid_word = false;
    }
    previous_mid = mid;
  }
  return out;
}

std::string camel_case(const std::string& input) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  std::size_t word_start = std::string::npos;
  while (pos < input.size()) {
    const std::size_t at = pos;
    const unicode::Rune r = unicode::decode(input, pos);
    pos += r.len;
    const char32_t cp = r.cp;
    if (unicode::is_space(cp)) {
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

  std::string out = unicode::to_lower(words[0]);
  for (std::size_t i = 1; i < words.size(); ++i) {
    // The reference upper-cases string(word[0]): one byte read as a Latin-1
    // code point, which corrupts a multi-byte first character.
    unicode::append_utf8(
        out, unicode::to_upper(static_cast<char32_t>(static_cast<unsigned char>(words[i][0]))));
    out += unicode::to_lower(words[i].substr(1));
  }
  return out;
}

std::string inverse_case(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (std::size_t pos = 0; pos < input.size();) {
    const unicode::Rune r = unicode::decode(input, pos);
    pos += r.len;
    char32_t cp = r.cp;
    if (unicode::is_upper(cp)) {
      cp = unicode::to_lower(cp);
    } else if (unicode::is_lower(cp)) {
      cp = unicode::to_upper(cp);
    }
    unicode::append_utf8(out, cp);
  }
  return out;
}

// Interrupts are polled once per this many bytes copied.
constexpr std::uint64_t kCopyPollInterval = 1 << 20;

bool known_text_op(const std::string& op) {
  return op == "concat" || op == "repeat" || op == "uppercase" || op == "lowercase" ||
         op == "titlecase" || op == "camelcase" || op == "inversecase";
}

class TextOperationExecutor final : public NodeExecutor {
 public:
  void static_problems(std::vector<std::string>& problems) const override {
    if (!op_.empty() && !known_text_op(op_)) problems.push_back("unknown text operation: " + op_);
  }
  std::optional<std::vector<std::string>> handles() const override {
    return std::vector<std::string>{};  // a string
  }

  explicit TextOperationExecutor(const NodeData& data)
      : op_(data.string_or("text_op", "")),
        separator_(data.string_or("separator", "")),
        repeat_n_(data.integer("repeat_n")) {}

  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    if (op_.empty()) throw NodeError("text operation node missing text_op");
    if (inputs.empty()) throw NodeError("text operation needs at least 1 input");
    if (op_ == "concat") {
      // The size first (overflow-safe), checked against the run's memory
      // budget before anything is allocated: concat can double a string at
      // every node.
      std::uint64_t size = 0;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].is_string()) {
          throw NodeError("concat operation input " + std::to_string(i) + " must be text/string");
        }
        if (i > 0) size = saturating_add(size, separator_.size());
        size = saturating_add(size, inputs[i].as_string().size());
      }
      run_memory::ensure_available(size);
      std::string joined;
      if (size > joined.max_size()) throw NodeError("concat result too long");
      joined.reserve(size);
      InterruptPoll poll(run.host(), kCopyPollInterval);
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (i > 0) joined += separator_;
        joined += inputs[i].as_string();
        poll.tick(1 + separator_.size() + inputs[i].as_string().size());
      }
      return Value::string(std::move(joined));
    }
    if (op_ == "repeat") {
      if (!inputs[0].is_string()) throw NodeError("repeat operation input must be text/string");
      if (!repeat_n_) throw NodeError("repeat operation requires repeat_n field");
      if (*repeat_n_ < 0)
        throw NodeError("repeat_n must be non-negative, got " + std::to_string(*repeat_n_));
      const std::string& unit = inputs[0].as_string();
      if (unit.empty()) return Value::string("");
      // The reference would try to allocate any size; we refuse results
      // beyond the string limit (when set) and beyond the run's memory
      // budget instead of exhausting memory. The product saturates instead
      // of wrapping around (repeat_n can be up to 2^63 - 1).
      const auto n = static_cast<std::uint64_t>(*repeat_n_);
      const std::uint64_t size = saturating_mul(unit.size(), n);
      const std::int64_t limit = run.limits().max_string_length;
      std::string result;
      if ((limit > 0 && size > static_cast<std::uint64_t>(limit)) || size > result.max_size()) {
        throw NodeError("repeat result too long: " + std::to_string(unit.size()) + " bytes x " +
                        std::to_string(*repeat_n_) +
                        (limit > 0 ? " (limit: " + std::to_string(limit) + " bytes)" : ""));
      }
      run_memory::ensure_available(size);
      result.reserve(size);
      InterruptPoll poll(run.host(), kCopyPollInterval);
      for (std::uint64_t i = 0; i < n; ++i) {
        result += unit;
        poll.tick(unit.size());
      }
      return Value::string(std::move(result));
    }
    if (!inputs[0].is_string()) throw NodeError("text operation input must be text/string");
    const std::string& text = inputs[0].as_string();
    if (op_ == "uppercase") return Value::string(unicode::to_upper(text));
    if (op_ == "lowercase") return Value::string(unicode::to_lower(text));
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
