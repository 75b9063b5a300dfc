// gojsonreference's JsonReference as gojsonschema resolves $id and $ref: a
// Go URL (engine/go/url.hpp) whose fragment may be a JSON pointer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/go/url.hpp"

namespace thaiyyal::schema {

class JsonReference {
 public:
  // gojsonreference.NewJsonReference; nullopt with Go's url error.
  static std::optional<JsonReference> parse(std::string_view s, std::string& error);

  const go::Url& url() const { return url_; }
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

  go::Url url_;
  std::vector<std::string> pointer_;
  bool has_full_url_ = false;
};

// "~1" → "/", then "~0" → "~".
std::string decode_pointer_token(std::string_view token);

}  // namespace thaiyyal::schema
