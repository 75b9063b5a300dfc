#include "schema/regex.hpp"

#include "go/unicode.hpp"

namespace thaiyyal::schema {
namespace {

std::wstring widen(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) out.push_back(static_cast<wchar_t>(go::unicode::decode_next(s, pos)));
  return out;
}

std::regex_constants::syntax_option_type flags(bool icase) {
  auto f = std::regex_constants::ECMAScript;
#ifdef __GLIBCXX__
  f |= std::regex_constants::__polynomial;
#endif
  if (icase) f |= std::regex_constants::icase;
  return f;
}

}  // namespace

std::optional<Regex> Regex::compile(std::string_view pattern) {
  if (pattern.size() > kMaxRegexPattern) return std::nullopt;
  std::string_view body = pattern;
  bool icase = false;
  if (body.substr(0, 4) == "(?i)") {
    icase = true;
    body.remove_prefix(4);
  }
  std::wstring wide = widen(body);
  try {
    std::wregex alone(wide, flags(icase));  // validates the pattern by itself
    (void)alone;
    Regex r;
    r.source_ = std::string(pattern);
    r.anywhere_ =
        std::make_shared<const std::wregex>(L"[\\s\\S]*(?:" + wide + L")[\\s\\S]*", flags(icase));
    return r;
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

bool Regex::search(std::string_view text) const {
  if (text.size() > kMaxRegexInput * 4 || go::unicode::count_runes(text) > kMaxRegexInput) {
    throw RegexLimitError("string too long for pattern matching (limit " +
                          std::to_string(kMaxRegexInput) + " characters)");
  }
  std::wstring wide = widen(text);
  try {
    return std::regex_match(wide, *anywhere_);
  } catch (const std::regex_error& e) {
    throw RegexLimitError(std::string("pattern matching failed: ") + e.what());
  }
}

}  // namespace thaiyyal::schema
