// URL references as gojsonschema resolves them: Go net/url Parse,
// ResolveReference and String, and gojsonreference's JsonReference (a URL
// whose fragment is a JSON pointer).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::schema {

struct GoUrl {
  std::string scheme;  // lower-cased
  std::string opaque;
  std::string user;  // raw userinfo, "" when absent
  bool has_user = false;
  std::string host;
  std::string path;      // unescaped
  std::string raw_path;  // as written
  bool force_query = false;
  std::string raw_query;
  std::string fragment;      // unescaped
  std::string raw_fragment;  // as written

  // Go url.Parse; nullopt with `error` set to Go's message on failure.
  static std::optional<GoUrl> parse(std::string_view s, std::string& error);
  std::string escaped_path() const;
  std::string escaped_fragment() const;
  std::string string() const;
  GoUrl resolve_reference(const GoUrl& ref) const;
};

class JsonReference {
 public:
  // gojsonreference.NewJsonReference; nullopt with Go's url error.
  static std::optional<JsonReference> parse(std::string_view s, std::string& error);

  const GoUrl& url() const { return url_; }
  std::string string() const { return url_.string(); }
  // The fragment's JSON pointer tokens (undecoded); empty for the root or a
  // fragment that is not a pointer.
  const std::vector<std::string>& pointer() const { return pointer_; }
  bool has_full_url() const { return has_full_url_; }
  bool has_file_scheme() const { return url_.scheme == "file"; }
  bool is_canonical() const;
  // Resolves `child` against this reference (fragment of this one dropped).
  std::optional<JsonReference> inherits(const JsonReference& child, std::string& error) const;
  // The same reference without its fragment.
  JsonReference without_fragment() const;

 private:
  void analyse();

  GoUrl url_;
  std::vector<std::string> pointer_;
  bool has_full_url_ = false;
};

// "~1" → "/", then "~0" → "~".
std::string decode_pointer_token(std::string_view token);

}  // namespace thaiyyal::schema
