#include "engine/schema/regex.hpp"

#include <re2/re2.h>

#include "engine/common/interrupts.hpp"
#include "engine/go/unicode.hpp"

namespace thaiyyal::schema {
namespace {

// Go's regexp.Compile with the Perl flags: UTF-8, `.` not matching `\n`,
// `^`/`$` at the text's ends unless (?m), Perl classes and \b. Only a
// boolean is needed, so nothing is captured.
RE2::Options go_options() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_posix_syntax(false);
  options.set_longest_match(false);
  options.set_never_capture(true);
  options.set_log_errors(false);
  return options;
}

// Syntax RE2 accepts but Go does not: `\C` (any single byte).
bool has_rejected_escape(std::string_view pattern) {
  for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
    if (pattern[i] != '\\') continue;
    if (pattern[i + 1] == 'C') return true;
    ++i;  // the escaped character
  }
  return false;
}

}  // namespace

std::optional<Regex> Regex::compile(std::string_view pattern) {
  if (pattern.size() > kMaxRegexPattern || has_rejected_escape(pattern)) return std::nullopt;
  auto re =
      std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), go_options());
  if (!re->ok()) return std::nullopt;
  Regex r;
  r.source_ = std::string(pattern);
  r.re_ = std::move(re);
  return r;
}

// RE2 matches with a DFA in time linear in the text; a pattern whose DFA
// would be too large falls back to simulating the NFA, linear in the text
// times the program size (up to ~10 ns per instruction and byte). That
// product is bounded so that one match stays under half a second, and it is
// counted as work towards the next interrupt check (a match cannot be
// interrupted while it runs).
bool Regex::search(std::string_view text) const {
  if (text.size() > kMaxRegexInput * 4 || go::unicode::count_runes(text) > kMaxRegexInput) {
    throw RegexLimitError("string too long for pattern matching (limit " +
                          std::to_string(kMaxRegexInput) + " characters)");
  }
  const std::uint64_t work = static_cast<std::uint64_t>(re_->ProgramSize()) * (text.size() + 1);
  if (work > kMaxRegexWork) {
    throw RegexLimitError("pattern too complex for a string of " + std::to_string(text.size()) +
                          " bytes (program size " + std::to_string(re_->ProgramSize()) +
                          " x length > " + std::to_string(kMaxRegexWork) + ")");
  }
  const bool matched = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
  poll_interrupts(1 + work / 64);
  return matched;
}

}  // namespace thaiyyal::schema
