// The SSRF checks of the `http` node (nodes.md `http` step 3; the
// reference's security.SSRFProtection), with the reference's message texts,
// over Go's URL and IP (engine/go/url.hpp, engine/go/net_ip.hpp).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/go/net_ip.hpp"
#include "engine/go/url.hpp"
#include "engine/run/limits.hpp"

namespace thaiyyal::http {

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
std::string check_ip(const go::IpAddress& ip, const UrlPolicy& policy);

// Resolves a host name to its addresses; false when resolution fails.
using Resolver = std::function<bool(const std::string& host, std::vector<go::IpAddress>& out)>;
// getaddrinfo(AF_UNSPEC), duplicates removed, in resolver order.
bool system_resolve(const std::string& host, std::vector<go::IpAddress>& out);

struct UrlValidation {
  // "" when the URL may be requested; otherwise the text after
  // "URL validation failed: ".
  std::string error;
  go::Url url;
  // The resolved addresses that passed the checks (numeric text), to pin
  // the connection to; empty for IP literals and when resolution failed.
  std::vector<std::string> addresses;

  bool ok() const { return error.empty(); }
};

// The reference's isAllowedURL / SSRFProtection.ValidateURL.
// `resolve` defaults to system_resolve.
UrlValidation validate_url(std::string_view url, const UrlPolicy& policy,
                           const Resolver& resolve = {});

// The URL handed to the HTTP library for a validated http(s) URL:
// scheme://[userinfo@]host[:port]/path[?query], without the fragment (Go's
// client never sends it), bytes of the query outside the URI character set
// %-escaped (libcurl refuses them).
std::string request_url(const go::Url& url);

}  // namespace thaiyyal::http
