// Go's net/url URL: Parse, String, EscapedPath / EscapedFragment,
// Hostname / Port and ResolveReference, with Go's error texts. The http node
// (its SSRF checks and redirects, engine/http) and the JSON Schema validator
// ($id / $ref resolution, engine/schema) both see URLs through this one port.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go {

// url.Userinfo: both parts unescaped.
struct Userinfo {
  std::string username;
  std::string password;
  bool has_password = false;

  // Userinfo.String(): "name[:password]", each part %-escaped again.
  std::string string() const;
};

// url.URL. Path and Fragment are unescaped; RawPath / RawFragment keep the
// text as written when Go's own escaping would differ from it.
struct Url {
  std::string scheme;  // lower-cased
  std::string opaque;  // "mailto:x@y" has opaque "x@y" and no host
  std::optional<Userinfo> user;
  std::string host;  // host[:port], unescaped; IPv6 in brackets
  std::string path;
  std::string raw_path;
  bool omit_host = false;  // "file:/x": no authority at all, not an empty one
  bool force_query = false;
  std::string raw_query;
  std::string fragment;
  std::string raw_fragment;

  // url.Parse. On failure returns nullopt and sets `error` to Go's text,
  // e.g. `parse "http://[::1": missing ']' in host`.
  static std::optional<Url> parse(std::string_view raw, std::string& error);

  std::string escaped_path() const;
  std::string escaped_fragment() const;
  // URL.String().
  std::string string() const;
  // String() with the password shown as "***": net/http's stripPassword,
  // which is what the http client's error messages print (not
  // URL.Redacted, which writes "xxxxx").
  std::string strip_password() const;
  // URL.Hostname() and URL.Port(): host without port or brackets, and the
  // port when it is numeric.
  std::string hostname() const;
  std::string port() const;
  // URL.ResolveReference (RFC 3986 §5.2 with Go's dot-segment removal).
  Url resolve_reference(const Url& ref) const;
};

}  // namespace thaiyyal::go
