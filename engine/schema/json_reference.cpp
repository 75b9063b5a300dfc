#include "engine/schema/json_reference.hpp"

namespace thaiyyal::schema {

std::optional<JsonReference> JsonReference::parse(std::string_view s, std::string& error) {
  auto url = go::Url::parse(s, error);
  if (!url) return std::nullopt;
  JsonReference r;
  r.url_ = std::move(*url);
  r.analyse();
  return r;
}

void JsonReference::analyse() {
  has_full_url_ = !url_.scheme.empty() && !url_.host.empty();
  pointer_.clear();
  const std::string& f = url_.fragment;
  if (!f.empty() && f[0] == '/') {
    std::size_t start = 1;
    for (;;) {
      std::size_t slash = f.find('/', start);
      if (slash == std::string::npos) {
        pointer_.push_back(f.substr(start));
        break;
      }
      pointer_.push_back(f.substr(start, slash - start));
      start = slash + 1;
    }
  }
}

bool JsonReference::is_canonical() const {
  bool full_file_path = !url_.path.empty() && url_.path[0] == '/';
  return (has_file_scheme() && full_file_path) || (!has_file_scheme() && has_full_url_);
}

std::optional<JsonReference> JsonReference::inherits(const JsonReference& child,
                                                     std::string& error) const {
  go::Url parent = url_;
  parent.fragment.clear();
  parent.raw_fragment.clear();
  return parse(parent.resolve_reference(child.url_).string(), error);
}

JsonReference JsonReference::without_fragment() const {
  JsonReference r = *this;
  r.url_.fragment.clear();
  r.url_.raw_fragment.clear();
  r.analyse();
  return r;
}

std::string decode_pointer_token(std::string_view token) {
  std::string step1;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && token[i + 1] == '1') {
      step1.push_back('/');
      ++i;
    } else {
      step1.push_back(token[i]);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < step1.size(); ++i) {
    if (step1[i] == '~' && i + 1 < step1.size() && step1[i + 1] == '0') {
      out.push_back('~');
      ++i;
    } else {
      out.push_back(step1[i]);
    }
  }
  return out;
}

}  // namespace thaiyyal::schema
