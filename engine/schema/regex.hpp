// Regular expressions for `pattern`, `patternProperties` and the "regex"
// format. gojsonschema compiles them with Go's regexp package (RE2 syntax,
// leftmost-first, linear time); this uses RE2 itself, so the syntax and the
// answers are Go's and matching takes time linear in the input: no pattern
// can make a match run for long (a backtracking matcher can be made to run
// for minutes by a short pattern on a 20,000-character string, and cannot be
// interrupted meanwhile). Go accepts a few things RE2 does not and vice
// versa; see docs/SCHEMA_VALIDATOR.md. Inputs longer than kMaxRegexInput code
// points, and matches whose worst case exceeds kMaxRegexWork, are refused
// (RegexLimitError).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace re2 {
class RE2;
}

namespace thaiyyal::schema {

inline constexpr std::size_t kMaxRegexInput = 100000;
inline constexpr std::size_t kMaxRegexPattern = 10000;
// Program size x text length of one match (see Regex::search).
inline constexpr std::uint64_t kMaxRegexWork = 50'000'000;

class RegexLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Regex {
 public:
  // nullopt when the pattern does not compile (Go's regexp.Compile fails).
  static std::optional<Regex> compile(std::string_view pattern);
  // Go's MatchString: is there a match anywhere in `text` (valid UTF-8)?
  bool search(std::string_view text) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::shared_ptr<const re2::RE2> re_;
};

}  // namespace thaiyyal::schema
