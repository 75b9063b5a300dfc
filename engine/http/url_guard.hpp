// URL parsing (Go net/url) and the SSRF checks of the `http` node
// (nodes.md `http` step 3; the reference's security.SSRFProtection), with
// the reference's message texts.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/run/limits.hpp"

namespace thaiyyal::http {

// The parts of Go's *url.URL the http node uses.
struct ParsedUrl {
  std::string scheme;  // lower-cased, as Go stores it
  std::string opaque;  // "http:foo" has opaque "foo" and no host
  bool has_user = false;
  std::string user;  // userinfo as written (still %-escaped)
  std::string host;  // URL.Host: host[:port], IPv6 in brackets, unescaped
  bool omit_host = false;
  std::string path;  // as written (still %-escaped)
  std::string raw_query;
  bool force_query = false;
  bool has_fragment = false;
  std::string fragment;  // as written

  // Go URL.Hostname() and URL.Port().
  std::string hostname() const;
  std::string port() const;
  // Go URL.String() (close enough for messages and re-parsing).
  std::string to_string() const;
  // Same with a password replaced by "***" (Go's stripPassword, used in
  // the client's error messages).
  std::string to_redacted_string() const;
  // The URL handed to the HTTP library: scheme://[user@]host/path?query,
  // no fragment, bytes outside the URI character set %-escaped.
  std::string request_url() const;
};

// Go url.Parse. On failure returns nullopt and sets `error` to Go's text,
// e.g. `parse "http://[::1": missing ']' in host`.
std::optional<ParsedUrl> parse_url(std::string_view text, std::string& error);

// Go URL.ResolveReference(ref) (RFC 3986 §5.2, Go's dot-segment removal).
ParsedUrl resolve_reference(const ParsedUrl& base, const ParsedUrl& ref);

// Go strconv.Quote (%q), used in URL error messages.
std::string go_quote(std::string_view s);

// An IP address in 16 bytes; IPv4 is stored IPv4-mapped (::ffff:a.b.c.d),
// as Go's net.IP does.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool is_v4() const;  // IPv4 or IPv4-mapped (Go's To4() != nil)
};

// Go net.ParseIP (no zones, no shorthand IPv4 forms, no leading zeros).
std::optional<IpAddress> parse_ip(std::string_view text);
// Go net.IP.String(): dotted quad for IPv4(-mapped), RFC 5952 for IPv6.
std::string format_ip(const IpAddress& ip);

struct UrlPolicy {
  bool allow_localhost = false;
  bool allow_private_ips = false;
  bool allow_link_local = false;
  bool allow_cloud_metadata = false;
  std::vector<std::string> allowed_domains;  // empty = any

  static UrlPolicy from_limits(const Limits& limits);
};

// The reason an address may not be contacted (Go validateIP), or "".
// Checked in this order: localhost (loopback, 0.0.0.0, ::), private (with
// 100.64.0.0/10), reserved and multicast (both under allow_private_ips),
// link-local, cloud metadata. An IPv6 address that embeds an IPv4 address
// (IPv4-compatible, NAT64, 6to4, Teredo) is also checked by the IPv4 rules
// for the embedded address. Used before connecting, on every redirect, and
// on the address the connection is actually opened to.
std::string check_ip(const IpAddress& ip, const UrlPolicy& policy);

// Resolves a host name to its addresses; false when resolution fails.
using Resolver = std::function<bool(const std::string& host, std::vector<IpAddress>& out)>;
// getaddrinfo(AF_UNSPEC), duplicates removed, in resolver order.
bool system_resolve(const std::string& host, std::vector<IpAddress>& out);

struct UrlValidation {
  // "" when the URL may be requested; otherwise the text after
  // "URL validation failed: ".
  std::string error;
  ParsedUrl url;
  // The resolved addresses that passed the checks (numeric text), to pin
  // the connection to; empty for IP literals and when resolution failed.
  std::vector<std::string> addresses;

  bool ok() const { return error.empty(); }
};

// The reference's isAllowedURL / SSRFProtection.ValidateURL.
// `resolve` defaults to system_resolve.
UrlValidation validate_url(std::string_view url, const UrlPolicy& policy,
                           const Resolver& resolve = {});

}  // namespace thaiyyal::http
