#include "engine/http/url_guard.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace thaiyyal::http {

using go::IpAddress;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---------------------------------------------------------------------------
// IP classification (the reference's isLocalhost / isPrivateIP / ...).

bool is_localhost(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (ip.is_v4()) {
    if (b[12] == 127) return true;
    return b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 0;
  }
  bool zero_prefix = std::all_of(b.begin(), b.begin() + 15, [](std::uint8_t x) { return x == 0; });
  // ::1 (loopback) and :: (unspecified: connecting to it reaches this
  // machine; the reference does not block it, docs/COMPATIBILITY.md).
  return zero_prefix && (b[15] == 1 || b[15] == 0);
}

// The reference's private ranges (Go's IP.IsPrivate: 10/8, 172.16/12,
// 192.168/16, fc00::/7), plus ranges that are just as internal:
// 100.64.0.0/10 (RFC 6598 shared address space, carrier-grade NAT: one
// cloud's metadata service lives there, see is_cloud_metadata), fec0::/10
// (deprecated site-local) and 64:ff9b:1::/48 (RFC 8215 local-use NAT64, which
// translates to whatever the local network chooses).
bool is_private(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (ip.is_v4()) {
    if (b[12] == 10) return true;
    if (b[12] == 172 && b[13] >= 16 && b[13] <= 31) return true;
    if (b[12] == 100 && (b[13] & 0xc0) == 64) return true;
    return b[12] == 192 && b[13] == 168;
  }
  if ((b[0] & 0xfe) == 0xfc) return true;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;
  return b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 &&
         b[5] == 0x01;
}

// Special-purpose addresses no HTTP server of the Internet has: 0.0.0.0/8
// ("this network"; 0.0.0.0 itself is localhost), 192.0.0.0/24 (IETF protocol
// assignments), 198.18.0.0/15 (benchmarking), 224.0.0.0/4 (multicast),
// 240.0.0.0/4 (reserved, with the broadcast address 255.255.255.255) and
// ff00::/8 (IPv6 multicast). Not checked by the reference.
bool is_reserved(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (ip.is_v4()) {
    if (b[12] == 0) return true;
    if (b[12] == 192 && b[13] == 0 && b[14] == 0) return true;
    if (b[12] == 198 && (b[13] & 0xfe) == 18) return true;
    return b[12] >= 224;
  }
  return b[0] == 0xff;
}

bool is_link_local(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (ip.is_v4()) return b[12] == 169 && b[13] == 254;
  return b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

// 169.254.169.254 (AWS, GCP, Azure, ...), 100.100.100.200 (Alibaba Cloud),
// 192.0.0.192 (Oracle Cloud) and fd00:ec2::254 (AWS over IPv6). Each is also
// in a range checked before (link-local, private or reserved): this check
// matters when that range is allowed.
bool is_cloud_metadata(const IpAddress& ip) {
  const auto& b = ip.bytes;
  if (ip.is_v4()) {
    return (b[12] == 169 && b[13] == 254 && b[14] == 169 && b[15] == 254) ||
           (b[12] == 100 && b[13] == 100 && b[14] == 100 && b[15] == 200) ||
           (b[12] == 192 && b[13] == 0 && b[14] == 0 && b[15] == 192);
  }
  if (b[0] == 0xfd && b[1] == 0x00 && b[2] == 0x0e && b[3] == 0xc2) {
    for (int i = 4; i < 14; ++i) {
      if (b[i] != 0) return false;
    }
    return b[14] == 0x02 && b[15] == 0x54;
  }
  return false;
}

// IPv4 addresses carried by an IPv6 address that reaches them: IPv4-
// compatible ::a.b.c.d (not :: and ::1), IPv4-translated ::ffff:0:a.b.c.d
// (RFC 2765), NAT64 64:ff9b::/96 (RFC 6052), 6to4 2002:aabb:ccdd::/48
// (RFC 3056) and Teredo 2001:0::/32 (RFC 4380: the server, and the client
// stored inverted). IPv4-mapped ::ffff:a.b.c.d needs nothing here: it is an
// IPv4 address (IpAddress::is_v4).
std::vector<IpAddress> embedded_ipv4(const IpAddress& ip) {
  const auto& b = ip.bytes;
  std::vector<IpAddress> out;
  auto zero = [&b](int from, int to) {
    return std::all_of(b.begin() + from, b.begin() + to, [](std::uint8_t x) { return x == 0; });
  };
  if (zero(0, 12) && !(zero(12, 15) && b[15] <= 1)) {
    out.push_back(IpAddress::v4(b[12], b[13], b[14], b[15]));
  } else if (zero(0, 8) && b[8] == 0xff && b[9] == 0xff && zero(10, 12)) {
    out.push_back(IpAddress::v4(b[12], b[13], b[14], b[15]));
  } else if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero(4, 12)) {
    out.push_back(IpAddress::v4(b[12], b[13], b[14], b[15]));
  } else if (b[0] == 0x20 && b[1] == 0x02) {
    out.push_back(IpAddress::v4(b[2], b[3], b[4], b[5]));
  } else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
    out.push_back(IpAddress::v4(b[4], b[5], b[6], b[7]));
    out.push_back(IpAddress::v4(b[12] ^ 0xff, b[13] ^ 0xff, b[14] ^ 0xff, b[15] ^ 0xff));
  }
  return out;
}

// The reference's validateIP checks, in its order, with the ranges above.
std::string check_address(const IpAddress& ip, const UrlPolicy& policy) {
  if (!policy.allow_localhost && is_localhost(ip)) {
    return "localhost addresses are blocked (set allow_localhost=true to permit)";
  }
  if (!policy.allow_private_ips && is_private(ip)) {
    return "private IP addresses are blocked (set allow_private_ips=true to permit)";
  }
  if (!policy.allow_private_ips && is_reserved(ip)) {
    return "reserved and multicast IP addresses are blocked (set allow_private_ips=true to "
           "permit)";
  }
  if (!policy.allow_link_local && is_link_local(ip)) {
    return "link-local addresses are blocked (set allow_link_local=true to permit)";
  }
  if (!policy.allow_cloud_metadata && is_cloud_metadata(ip)) {
    return "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)";
  }
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------

std::string request_url(const go::Url& url) {
  // The host is rebuilt from its name and port so that an empty port
  // ("h:") is dropped; String() escapes what libcurl needs escaped in it
  // (non-ASCII bytes, the '%' of an IPv6 zone).
  go::Url target;
  target.scheme = url.scheme;
  target.user = url.user;
  const std::string name = url.hostname();
  target.host = name.find(':') != std::string::npos ? "[" + name + "]" : name;
  if (const std::string port = url.port(); !port.empty()) target.host += ":" + port;
  if (url.path.empty()) {
    target.path = "/";
  } else {
    target.path = url.path;
    target.raw_path = url.raw_path;
  }
  std::string out = target.string();
  if (url.force_query || !url.raw_query.empty()) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '?';
    for (char ch : url.raw_query) {
      const auto c = static_cast<unsigned char>(ch);
      if (c <= 0x20 || c >= 0x7f) {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += ch;
      }
    }
  }
  return out;
}

UrlPolicy UrlPolicy::from_limits(const Limits& limits) {
  UrlPolicy policy;
  policy.allow_localhost = limits.allow_localhost;
  policy.allow_private_ips = limits.allow_private_ips;
  policy.allow_link_local = limits.allow_link_local;
  policy.allow_cloud_metadata = limits.allow_cloud_metadata;
  policy.allowed_domains = limits.allowed_domains;
  return policy;
}

std::string check_ip(const IpAddress& ip, const UrlPolicy& policy) {
  std::string reason = check_address(ip, policy);
  if (!reason.empty() || ip.is_v4()) return reason;
  for (const IpAddress& v4 : embedded_ipv4(ip)) {
    reason = check_address(v4, policy);
    if (!reason.empty()) return reason + " (embedded IPv4 address " + go::format_ip(v4) + ")";
  }
  return {};
}

bool system_resolve(const std::string& host, std::vector<IpAddress>& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &list) != 0 || list == nullptr) return false;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    IpAddress ip;
    if (ai->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
      ip.bytes[10] = 0xff;
      ip.bytes[11] = 0xff;
      std::memcpy(&ip.bytes[12], &sin->sin_addr, 4);
    } else if (ai->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
      std::memcpy(ip.bytes.data(), &sin6->sin6_addr, 16);
    } else {
      continue;
    }
    if (std::none_of(out.begin(), out.end(),
                     [&](const IpAddress& seen) { return seen.bytes == ip.bytes; })) {
      out.push_back(ip);
    }
  }
  freeaddrinfo(list);
  return !out.empty();
}

UrlValidation validate_url(std::string_view text, const UrlPolicy& policy,
                           const Resolver& resolve) {
  UrlValidation result;
  std::string parse_error;
  auto parsed = go::Url::parse(text, parse_error);
  if (!parsed) {
    result.error = "invalid URL: " + parse_error;
    return result;
  }
  result.url = *parsed;
  const go::Url& url = result.url;
  if (url.scheme != "http" && url.scheme != "https") {
    result.error = "URL scheme not allowed: " + url.scheme + " (allowed: [http https])";
    return result;
  }
  const std::string hostname = url.hostname();
  if (hostname.empty()) {
    result.error = "URL missing hostname";
    return result;
  }
  const std::string host_lower = lower(hostname);
  if (!policy.allowed_domains.empty() &&
      std::none_of(policy.allowed_domains.begin(), policy.allowed_domains.end(),
                   [&](const std::string& d) { return lower(d) == host_lower; })) {
    result.error = "domain not in allowlist: " + hostname;
    return result;
  }
  if (auto ip = go::parse_ip(hostname)) {
    std::string reason = check_ip(*ip, policy);
    if (!reason.empty()) result.error = "IP validation failed for " + hostname + ": " + reason;
    return result;
  }
  if (!policy.allow_localhost) {
    for (const char* name : {"localhost", "127.0.0.1", "::1", "0.0.0.0"}) {
      if (host_lower == name) {
        result.error = "localhost addresses are blocked";
        return result;
      }
    }
  }
  if (!policy.allow_cloud_metadata) {
    for (const char* name : {"169.254.169.254", "metadata.google.internal", "metadata.azure.com"}) {
      if (host_lower == name) {
        result.error =
            "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)";
        return result;
      }
    }
  }
  std::vector<IpAddress> addresses;
  bool pin = true;
  const std::size_t zone = hostname.find('%');
  if (auto literal =
          zone == std::string::npos ? std::nullopt : go::parse_ip(hostname.substr(0, zone))) {
    // An IPv6 literal with a zone: Go's LookupIP returns the address itself.
    addresses.push_back(*literal);
    pin = false;
  } else {
    const bool resolved =
        resolve ? resolve(hostname, addresses) : system_resolve(hostname, addresses);
    if (!resolved) return result;  // DNS failures do not block (the reference)
  }
  for (const IpAddress& ip : addresses) {
    std::string reason = check_ip(ip, policy);
    if (!reason.empty()) {
      result.error =
          "IP validation failed for " + hostname + " (" + go::format_ip(ip) + "): " + reason;
      result.addresses.clear();
      return result;
    }
    if (pin) result.addresses.push_back(go::format_ip(ip));
  }
  return result;
}

}  // namespace thaiyyal::http
