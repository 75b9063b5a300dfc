#include "engine/http/url_guard.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace thaiyyal::http {
namespace {

// ---------------------------------------------------------------------------
// Go net/url helpers

enum class Encoding { Path, Host, Zone, UserPassword, Fragment };

bool is_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_hex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int unhex(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Go shouldEscape for the modes used here.
bool should_escape(unsigned char c, Encoding mode) {
  if (is_alnum(c)) return false;
  if (mode == Encoding::Host || mode == Encoding::Zone) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '[':
      case ']':
      case '<':
      case '>':
      case '"':
        return false;
      default:
        break;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case Encoding::Path:
          return c == '?';
        case Encoding::UserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case Encoding::Fragment:
          return false;
        default:
          return true;  // Host/Zone never get here for most of these
      }
    default:
      break;
  }
  if (mode == Encoding::Fragment) {
    switch (c) {
      case '!':
      case '(':
      case ')':
      case '*':
        return false;
      default:
        break;
    }
  }
  return true;
}

// Go unescape(s, mode): validates %-escapes (and host characters) and
// returns the unescaped text; on failure returns nullopt with Go's reason.
std::optional<std::string> unescape(std::string_view s, Encoding mode, std::string& reason) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(static_cast<unsigned char>(s[i + 1])) ||
          !is_hex(static_cast<unsigned char>(s[i + 2]))) {
        reason = "invalid URL escape " + go_quote(s.substr(i, 3));
        return std::nullopt;
      }
      const int hi = unhex(static_cast<unsigned char>(s[i + 1]));
      const int value = hi << 4 | unhex(static_cast<unsigned char>(s[i + 2]));
      if (mode == Encoding::Host && hi < 8 && s.substr(i, 3) != "%25") {
        reason = "invalid URL escape " + go_quote(s.substr(i, 3));
        return std::nullopt;
      }
      if (mode == Encoding::Zone && s.substr(i, 3) != "%25" && value != ' ' &&
          should_escape(static_cast<unsigned char>(value), Encoding::Host)) {
        reason = "invalid URL escape " + go_quote(s.substr(i, 3));
        return std::nullopt;
      }
      out.push_back(static_cast<char>(value));
      i += 3;
      continue;
    }
    if ((mode == Encoding::Host || mode == Encoding::Zone) && c < 0x80 && should_escape(c, mode)) {
      reason = "invalid character " + go_quote(s.substr(i, 1)) + " in host name";
      return std::nullopt;
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  return out;
}

bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Go parseHost.
std::optional<std::string> parse_host(std::string_view host, std::string& reason) {
  if (!host.empty() && host[0] == '[') {
    const std::size_t close = host.rfind(']');
    if (close == std::string_view::npos) {
      reason = "missing ']' in host";
      return std::nullopt;
    }
    std::string_view colon_port = host.substr(close + 1);
    if (!valid_optional_port(colon_port)) {
      reason = "invalid port " + go_quote(colon_port) + " after host";
      return std::nullopt;
    }
    const std::size_t zone = host.substr(0, close).find("%25");
    if (zone != std::string_view::npos) {
      auto h1 = unescape(host.substr(0, zone), Encoding::Host, reason);
      if (!h1) return std::nullopt;
      auto h2 = unescape(host.substr(zone, close - zone), Encoding::Zone, reason);
      if (!h2) return std::nullopt;
      auto h3 = unescape(host.substr(close), Encoding::Host, reason);
      if (!h3) return std::nullopt;
      return *h1 + *h2 + *h3;
    }
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    std::string_view colon_port = host.substr(colon);
    if (!valid_optional_port(colon_port)) {
      reason = "invalid port " + go_quote(colon_port) + " after host";
      return std::nullopt;
    }
  }
  return unescape(host, Encoding::Host, reason);
}

bool valid_userinfo(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_alnum(c)) continue;
    switch (c) {
      case '-':
      case '.':
      case '_':
      case ':':
      case '~':
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case '%':
      case '@':
        continue;
      default:
        return false;
    }
  }
  return true;
}

void split_host_port(std::string_view host_port, std::string_view& host, std::string_view& port) {
  host = host_port;
  port = {};
  const std::size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && valid_optional_port(host.substr(colon))) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
}

const char kHexUpper[] = "0123456789ABCDEF";

void append_escaped_byte(std::string& out, unsigned char c) {
  out.push_back('%');
  out.push_back(kHexUpper[c >> 4]);
  out.push_back(kHexUpper[c & 15]);
}

// Characters Go leaves unescaped in an escaped path (validEncoded for
// encodePath), plus '%' (kept as written).
bool path_char_ok(unsigned char c) {
  if (is_alnum(c)) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '[':
    case ']':
    case '/':
    case '%':
      return true;
    default:
      return false;
  }
}

std::string escaped_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (path_char_ok(c)) {
      out.push_back(ch);
    } else {
      append_escaped_byte(out, c);
    }
  }
  return out;
}

std::string escaped_host(std::string_view host) {
  std::string out;
  for (char ch : host) {
    const auto c = static_cast<unsigned char>(ch);
    if (should_escape(c, Encoding::Host)) {
      append_escaped_byte(out, c);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string url_string(const ParsedUrl& u, bool redact) {
  std::string out;
  if (!u.scheme.empty()) {
    out += u.scheme;
    out += ':';
  }
  if (!u.opaque.empty()) {
    out += u.opaque;
  } else {
    if (!u.scheme.empty() || !u.host.empty() || u.has_user) {
      if (!(u.omit_host && u.host.empty() && !u.has_user)) {
        if (!u.host.empty() || !u.path.empty() || u.has_user) out += "//";
        if (u.has_user) {
          const std::size_t colon = u.user.find(':');
          if (redact && colon != std::string::npos) {
            out.append(u.user, 0, colon);
            out += ":***";
          } else {
            out += u.user;
          }
          out += '@';
        }
        out += escaped_host(u.host);
      }
    }
    std::string path = escaped_path(u.path);
    if (!path.empty() && path[0] != '/' && !u.host.empty()) out += '/';
    if (out.empty()) {
      std::string_view segment = std::string_view(path).substr(0, path.find('/'));
      if (segment.find(':') != std::string_view::npos) out += "./";
    }
    out += path;
  }
  if (u.force_query || !u.raw_query.empty()) {
    out += '?';
    out += u.raw_query;
  }
  if (u.has_fragment && !u.fragment.empty()) {
    out += '#';
    out += u.fragment;
  }
  return out;
}

// Go resolvePath: merges and removes dot segments.
std::string resolve_path(std::string_view base, std::string_view ref) {
  std::string full;
  if (ref.empty()) {
    full = base;
  } else if (ref[0] != '/') {
    const std::size_t slash = base.rfind('/');
    full = std::string(base.substr(0, slash == std::string_view::npos ? 0 : slash + 1));
    full += ref;
  } else {
    full = ref;
  }
  if (full.empty()) return {};

  std::string dst = "/";
  bool first = true;
  std::string_view remaining = full;
  std::string_view elem;
  bool found = true;
  while (found) {
    const std::size_t slash = remaining.find('/');
    found = slash != std::string_view::npos;
    elem = found ? remaining.substr(0, slash) : remaining;
    remaining = found ? remaining.substr(slash + 1) : std::string_view();
    if (elem == ".") {
      first = false;
      continue;
    }
    if (elem == "..") {
      std::string str = dst.substr(1);
      const std::size_t index = str.rfind('/');
      dst = "/";
      if (index == std::string::npos) {
        first = true;
      } else {
        dst += str.substr(0, index);
      }
    } else {
      if (!first) dst += '/';
      dst += elem;
      first = false;
    }
  }
  if (elem == "." || elem == "..") dst += '/';
  if (dst.size() > 1 && dst[1] == '/') dst.erase(0, 1);
  return dst;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and sets
// `len`, or -1 (len 1) for an invalid byte.
long decode_utf8(std::string_view s, std::size_t i, std::size_t& len) {
  const auto c0 = static_cast<unsigned char>(s[i]);
  len = 1;
  if (c0 < 0x80) return c0;
  int need;
  long cp;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    need = 1;
    cp = c0 & 0x1F;
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    need = 2;
    cp = c0 & 0x0F;
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    need = 3;
    cp = c0 & 0x07;
  } else {
    return -1;
  }
  for (int k = 1; k <= need; ++k) {
    if (i + k >= s.size()) return -1;
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
  }
  const long min[] = {0, 0x80, 0x800, 0x10000};
  if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  len = static_cast<std::size_t>(need) + 1;
  return cp;
}

// An approximation of Go's unicode.IsPrint for non-ASCII code points:
// control, format and separator characters other than space are not
// printable.
bool is_print_non_ascii(long cp) {
  if (cp >= 0x80 && cp <= 0xA0) return false;
  if (cp == 0xAD) return false;
  if (cp >= 0x2000 && cp <= 0x200F) return false;
  if (cp >= 0x2028 && cp <= 0x202F) return false;
  if (cp >= 0x205F && cp <= 0x206F) return false;
  if (cp == 0x3000 || cp == 0xFEFF) return false;
  if (cp >= 0xFFF9 && cp <= 0xFFFB) return false;
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;
  if (cp >= 0xF0000) return false;
  if ((cp & 0xFFFE) == 0xFFFE) return false;
  return true;
}

bool contains_ctl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
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

IpAddress ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress ip;
  ip.bytes[10] = 0xff;
  ip.bytes[11] = 0xff;
  ip.bytes[12] = a;
  ip.bytes[13] = b;
  ip.bytes[14] = c;
  ip.bytes[15] = d;
  return ip;
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
    out.push_back(ipv4(b[12], b[13], b[14], b[15]));
  } else if (zero(0, 8) && b[8] == 0xff && b[9] == 0xff && zero(10, 12)) {
    out.push_back(ipv4(b[12], b[13], b[14], b[15]));
  } else if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zero(4, 12)) {
    out.push_back(ipv4(b[12], b[13], b[14], b[15]));
  } else if (b[0] == 0x20 && b[1] == 0x02) {
    out.push_back(ipv4(b[2], b[3], b[4], b[5]));
  } else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
    out.push_back(ipv4(b[4], b[5], b[6], b[7]));
    out.push_back(ipv4(b[12] ^ 0xff, b[13] ^ 0xff, b[14] ^ 0xff, b[15] ^ 0xff));
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

std::string go_quote(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const long cp = decode_utf8(s, i, len);
    if (cp < 0) {
      const auto c = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
      i += 1;
      continue;
    }
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (cp < 0x20 || cp == 0x7f) {
            out += "\\x";
            out += hex[cp >> 4];
            out += hex[cp & 15];
          } else {
            out += c;
          }
      }
    } else if (is_print_non_ascii(cp)) {
      out.append(s.substr(i, len));
    } else if (cp < 0x10000) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
    } else {
      out += "\\U";
      for (int shift = 28; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
    }
    i += len;
  }
  out += '"';
  return out;
}

std::string ParsedUrl::hostname() const {
  std::string_view h, p;
  split_host_port(host, h, p);
  return std::string(h);
}

std::string ParsedUrl::port() const {
  std::string_view h, p;
  split_host_port(host, h, p);
  return std::string(p);
}

std::string ParsedUrl::to_string() const {
  return url_string(*this, false);
}

std::string ParsedUrl::to_redacted_string() const {
  return url_string(*this, true);
}

std::string ParsedUrl::request_url() const {
  std::string out = scheme + "://";
  if (has_user) out += user + "@";
  const std::string name = hostname();
  if (name.find(':') != std::string::npos) {
    out += '[';
    for (char c : name) {
      if (c == '%') {
        out += "%25";
      } else {
        out += c;
      }
    }
    out += ']';
  } else {
    out += escaped_host(name);
  }
  const std::string p = port();
  if (!p.empty()) out += ":" + p;
  const std::string path_text = escaped_path(path);
  if (path_text.empty() || path_text[0] != '/') out += '/';
  out += path_text;
  if (force_query || !raw_query.empty()) {
    out += '?';
    for (char ch : raw_query) {
      const auto c = static_cast<unsigned char>(ch);
      if (c <= 0x20 || c >= 0x7f) {
        append_escaped_byte(out, c);
      } else {
        out += ch;
      }
    }
  }
  return out;
}

std::optional<ParsedUrl> parse_url(std::string_view raw, std::string& error) {
  const std::size_t hash = raw.find('#');
  const std::string_view u = raw.substr(0, hash);
  const std::string_view frag =
      hash == std::string_view::npos ? std::string_view() : raw.substr(hash + 1);
  auto fail = [&](std::string_view shown, const std::string& reason) {
    error = "parse " + go_quote(shown) + ": " + reason;
    return std::nullopt;
  };

  if (contains_ctl(u)) return fail(u, "net/url: invalid control character in URL");
  ParsedUrl url;
  if (u == "*") {
    url.path = "*";
  } else {
    // getScheme
    std::string_view rest = u;
    for (std::size_t i = 0; i < u.size(); ++i) {
      const char c = u[i];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) break;
        continue;
      }
      if (c == ':') {
        if (i == 0) return fail(u, "missing protocol scheme");
        url.scheme = lower(u.substr(0, i));
        rest = u.substr(i + 1);
      }
      break;
    }

    if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
      url.force_query = true;
      rest.remove_suffix(1);
    } else if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
      url.raw_query = std::string(rest.substr(q + 1));
      rest = rest.substr(0, q);
    }

    const bool rooted = !rest.empty() && rest[0] == '/';
    if (!rooted) {
      if (!url.scheme.empty()) {
        url.opaque = std::string(rest);
        rest = {};
      } else {
        std::string_view segment = rest.substr(0, rest.find('/'));
        if (segment.find(':') != std::string_view::npos) {
          return fail(u, "first path segment in URL cannot contain colon");
        }
      }
    }
    if (url.opaque.empty()) {
      if ((!url.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
        std::string_view authority = rest.substr(2);
        rest = {};
        if (const std::size_t slash = authority.find('/'); slash != std::string_view::npos) {
          rest = authority.substr(slash);
          authority = authority.substr(0, slash);
        }
        std::string reason;
        const std::size_t at = authority.rfind('@');
        auto host =
            parse_host(at == std::string_view::npos ? authority : authority.substr(at + 1), reason);
        if (!host) return fail(u, reason);
        url.host = *host;
        if (at != std::string_view::npos) {
          std::string_view userinfo = authority.substr(0, at);
          if (!valid_userinfo(userinfo)) return fail(u, "net/url: invalid userinfo");
          const std::size_t colon = userinfo.find(':');
          if (!unescape(userinfo.substr(0, colon), Encoding::UserPassword, reason)) {
            return fail(u, reason);
          }
          if (colon != std::string_view::npos &&
              !unescape(userinfo.substr(colon + 1), Encoding::UserPassword, reason)) {
            return fail(u, reason);
          }
          url.has_user = true;
          url.user = std::string(userinfo);
        }
      } else if (!url.scheme.empty() && rooted) {
        url.omit_host = true;
      }
      std::string reason;
      if (!unescape(rest, Encoding::Path, reason)) return fail(u, reason);
      url.path = std::string(rest);
    }
  }
  if (!frag.empty()) {
    std::string reason;
    if (!unescape(frag, Encoding::Fragment, reason)) return fail(raw, reason);
    url.has_fragment = true;
    url.fragment = std::string(frag);
  }
  return url;
}

ParsedUrl resolve_reference(const ParsedUrl& base, const ParsedUrl& ref) {
  ParsedUrl url = ref;
  if (ref.scheme.empty()) url.scheme = base.scheme;
  if (!ref.scheme.empty() || !ref.host.empty() || ref.has_user) {
    url.path = resolve_path(escaped_path(ref.path), "");
    return url;
  }
  if (!ref.opaque.empty()) {
    url.has_user = false;
    url.user.clear();
    url.host.clear();
    url.path.clear();
    return url;
  }
  if (ref.path.empty() && !ref.force_query && ref.raw_query.empty()) {
    url.raw_query = base.raw_query;
    if (!ref.has_fragment || ref.fragment.empty()) {
      url.has_fragment = base.has_fragment;
      url.fragment = base.fragment;
    }
  }
  url.host = base.host;
  url.has_user = base.has_user;
  url.user = base.user;
  url.path = resolve_path(escaped_path(base.path), escaped_path(ref.path));
  return url;
}

bool IpAddress::is_v4() const {
  for (int i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  std::string s(text);
  IpAddress ip;
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    ip.bytes[10] = 0xff;
    ip.bytes[11] = 0xff;
    std::memcpy(&ip.bytes[12], &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(ip.bytes.data(), &v6, 16);
    return ip;
  }
  return std::nullopt;
}

std::string format_ip(const IpAddress& ip) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (ip.is_v4()) {
    inet_ntop(AF_INET, &ip.bytes[12], buffer, sizeof buffer);
  } else {
    inet_ntop(AF_INET6, ip.bytes.data(), buffer, sizeof buffer);
  }
  return buffer;
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
    if (!reason.empty()) return reason + " (embedded IPv4 address " + format_ip(v4) + ")";
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
  auto parsed = parse_url(text, parse_error);
  if (!parsed) {
    result.error = "invalid URL: " + parse_error;
    return result;
  }
  result.url = *parsed;
  const ParsedUrl& url = result.url;
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
  if (auto ip = parse_ip(hostname)) {
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
          zone == std::string::npos ? std::nullopt : parse_ip(hostname.substr(0, zone))) {
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
      result.error = "IP validation failed for " + hostname + " (" + format_ip(ip) + "): " + reason;
      result.addresses.clear();
      return result;
    }
    if (pin) result.addresses.push_back(format_ip(ip));
  }
  return result;
}

}  // namespace thaiyyal::http
