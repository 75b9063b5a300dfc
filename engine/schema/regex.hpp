// Regular expressions for `pattern`, `patternProperties` and the "regex"
// format. gojsonschema uses Go's RE2 syntax; this uses std::wregex
// (ECMAScript) over code points in libstdc++'s polynomial (non-
// backtracking) mode, which also rejects back-references as RE2 does.
// A leading Go flag group "(?i)" is honoured. Inputs longer than
// kMaxRegexInput code points are refused (RegexLimitError).
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/no_postgres.hpp"

namespace thaiyyal::schema {

inline constexpr std::size_t kMaxRegexInput = 100000;
inline constexpr std::size_t kMaxRegexPattern = 10000;

class RegexLimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Regex {
 public:
  // nullopt when the pattern does not compile.
  static std::optional<Regex> compile(std::string_view pattern);
  // Go's MatchString: is there a match anywhere in `text`?
  bool search(std::string_view text) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::shared_ptr<const std::wregex> anywhere_;  // [\s\S]*(?:p)[\s\S]*
};

}  // namespace thaiyyal::schema
