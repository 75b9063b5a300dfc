#include "engine/go/url.hpp"

#include <algorithm>

#include "engine/go/strconv.hpp"

namespace thaiyyal::go {
namespace {

// The parts of a URL, each with its own escaping rules (Go's encoding).
enum class Part { Path, Host, Zone, UserPassword, Fragment };

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

// Go's shouldEscape: whether byte c must be %-escaped in that part.
bool should_escape(unsigned char c, Part part) {
  if (is_alnum(c)) return false;
  if (part == Part::Host || part == Part::Zone) {
    // Sub-delimiters, and what host[:port] and [ipv6] need; < > " because
    // a host cannot %-escape ASCII, so Parse would refuse them escaped.
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
      switch (part) {
        case Part::Path:
          return c == '?';
        case Part::UserPassword:
          // ':' separates the password, so a name cannot hold it bare.
          return c == '@' || c == '/' || c == '?' || c == ':';
        case Part::Fragment:
          return false;
        case Part::Host:
        case Part::Zone:
          return true;
      }
      return true;
    default:
      break;
  }
  if (part == Part::Fragment) {
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

const char kUpperHex[] = "0123456789ABCDEF";

std::string escape(std::string_view s, Part part) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (should_escape(c, part)) {
      out += '%';
      out += kUpperHex[c >> 4];
      out += kUpperHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

// Go's unescape: checks the %-escapes (and, in a host, which bytes may
// appear at all) and decodes them. On failure returns nullopt with Go's
// reason.
std::optional<std::string> unescape(std::string_view s, Part part, std::string& reason) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      const std::string_view escape_text = s.substr(i, 3);
      if (i + 2 >= s.size() || !is_hex(static_cast<unsigned char>(s[i + 1])) ||
          !is_hex(static_cast<unsigned char>(s[i + 2]))) {
        reason = "invalid URL escape " + go_quote(escape_text);
        return std::nullopt;
      }
      const int hi = unhex(static_cast<unsigned char>(s[i + 1]));
      const auto value =
          static_cast<unsigned char>(hi << 4 | unhex(static_cast<unsigned char>(s[i + 2])));
      // A host may %-escape only non-ASCII bytes, and "%25" (the '%' that
      // introduces an IPv6 zone, RFC 6874).
      if (part == Part::Host && hi < 8 && escape_text != "%25") {
        reason = "invalid URL escape " + go_quote(escape_text);
        return std::nullopt;
      }
      // A zone may escape what it could also write bare, and the space
      // Windows zone names contain.
      if (part == Part::Zone && escape_text != "%25" && value != ' ' &&
          should_escape(value, Part::Host)) {
        reason = "invalid URL escape " + go_quote(escape_text);
        return std::nullopt;
      }
      out += static_cast<char>(value);
      i += 3;
      continue;
    }
    if ((part == Part::Host || part == Part::Zone) && c < 0x80 && should_escape(c, part)) {
      reason = "invalid character " + go_quote(s.substr(i, 1)) + " in host name";
      return std::nullopt;
    }
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

// Go's validEncoded: s holds no byte that escaping would have changed
// (sub-delimiters, '[' ']' and '%' are accepted as they are).
bool valid_encoded(std::string_view s, Part part) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
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
      case '@':
      case '[':
      case ']':
      case '%':
        continue;
      default:
        if (should_escape(c, part)) return false;
    }
  }
  return true;
}

// Returns the raw text to keep beside its decoded form: empty when Go's own
// escaping of the decoded text gives the raw text back.
std::string raw_hint(std::string_view raw, const std::string& decoded, Part part) {
  return escape(decoded, part) == raw ? std::string() : std::string(raw);
}

// Whether the raw hint is still a valid escaping of the decoded part (it is
// stale when the decoded field was changed without it).
bool hint_encodes(const std::string& raw, const std::string& decoded, Part part) {
  if (raw.empty() || !valid_encoded(raw, part)) return false;
  std::string unused;
  auto decoded_raw = unescape(raw, part, unused);
  return decoded_raw && *decoded_raw == decoded;
}

// Go's setPath: Path from the escaped text p, RawPath when needed.
bool set_path(Url& url, std::string_view p, std::string& reason) {
  auto path = unescape(p, Part::Path, reason);
  if (!path) return false;
  url.path = std::move(*path);
  url.raw_path = raw_hint(p, url.path, Part::Path);
  return true;
}

bool set_fragment(Url& url, std::string_view f, std::string& reason) {
  auto fragment = unescape(f, Part::Fragment, reason);
  if (!fragment) return false;
  url.fragment = std::move(*fragment);
  url.raw_fragment = raw_hint(f, url.fragment, Part::Fragment);
  return true;
}

bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  return std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Go's parseHost: host[:port], an IPv6 literal in brackets with an optional
// %25-introduced zone; returns the unescaped host.
std::optional<std::string> parse_host(std::string_view host, std::string& reason) {
  if (!host.empty() && host[0] == '[') {
    const std::size_t close = host.rfind(']');
    if (close == std::string_view::npos) {
      reason = "missing ']' in host";
      return std::nullopt;
    }
    const std::string_view colon_port = host.substr(close + 1);
    if (!valid_optional_port(colon_port)) {
      reason = "invalid port " + go_quote(colon_port) + " after host";
      return std::nullopt;
    }
    // The zone may escape more than the rest of the host.
    const std::size_t zone = host.substr(0, close).find("%25");
    if (zone != std::string_view::npos) {
      auto before = unescape(host.substr(0, zone), Part::Host, reason);
      if (!before) return std::nullopt;
      auto zone_text = unescape(host.substr(zone, close - zone), Part::Zone, reason);
      if (!zone_text) return std::nullopt;
      auto after = unescape(host.substr(close), Part::Host, reason);
      if (!after) return std::nullopt;
      return *before + *zone_text + *after;
    }
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    const std::string_view colon_port = host.substr(colon);
    if (!valid_optional_port(colon_port)) {
      reason = "invalid port " + go_quote(colon_port) + " after host";
      return std::nullopt;
    }
  }
  return unescape(host, Part::Host, reason);
}

// Go's validUserinfo (RFC 3986 §3.2.1; '%' escapes are checked when the
// parts are unescaped, '@' because the host starts after the last one).
bool valid_userinfo(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_alnum(c)) return true;
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
        return true;
      default:
        return false;
    }
  });
}

// Go's parseAuthority: [userinfo@]host[:port].
bool parse_authority(Url& url, std::string_view authority, std::string& reason) {
  const std::size_t at = authority.rfind('@');
  auto host =
      parse_host(at == std::string_view::npos ? authority : authority.substr(at + 1), reason);
  if (!host) return false;
  url.host = std::move(*host);
  if (at == std::string_view::npos) return true;
  const std::string_view userinfo = authority.substr(0, at);
  if (!valid_userinfo(userinfo)) {
    reason = "net/url: invalid userinfo";
    return false;
  }
  Userinfo user;
  const std::size_t colon = userinfo.find(':');
  auto name = unescape(userinfo.substr(0, colon), Part::UserPassword, reason);
  if (!name) return false;
  user.username = std::move(*name);
  if (colon != std::string_view::npos) {
    auto password = unescape(userinfo.substr(colon + 1), Part::UserPassword, reason);
    if (!password) return false;
    user.password = std::move(*password);
    user.has_password = true;
  }
  url.user = std::move(user);
  return true;
}

bool contains_ctl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == 0x7f;
  });
}

// Go's getScheme: splits "scheme:rest" when s starts with
// [a-zA-Z][a-zA-Z0-9+.-]* and a colon; otherwise all of s is the rest. False
// when s starts with ':' (an empty scheme).
bool split_scheme(std::string_view s, std::string_view& scheme, std::string_view& rest) {
  scheme = {};
  rest = s;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) return true;
      continue;
    }
    if (c == ':') {
      if (i == 0) return false;
      scheme = s.substr(0, i);
      rest = s.substr(i + 1);
    }
    return true;
  }
  return true;
}

// Go's parse(rawURL, viaRequest=false) for the text before '#'.
bool parse_reference(Url& url, std::string_view text, std::string& reason) {
  if (contains_ctl(text)) {
    reason = "net/url: invalid control character in URL";
    return false;
  }
  if (text == "*") {
    url.path = "*";
    return true;
  }
  std::string_view scheme, rest;
  if (!split_scheme(text, scheme, rest)) {
    reason = "missing protocol scheme";
    return false;
  }
  url.scheme.assign(scheme);
  for (char& c : url.scheme) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!rest.empty() && rest.back() == '?' && rest.find('?') == rest.size() - 1) {
    url.force_query = true;
    rest.remove_suffix(1);
  } else if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    url.raw_query.assign(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  const bool rooted = !rest.empty() && rest[0] == '/';
  if (!rooted) {
    if (!url.scheme.empty()) {
      // A rootless path after a scheme is opaque (RFC 3986).
      url.opaque.assign(rest);
      return true;
    }
    // "cache_object:foo/bar" must not read as a relative path: a colon in
    // the first segment would make it look like a scheme (RFC 3986 §3.3).
    const std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      reason = "first path segment in URL cannot contain colon";
      return false;
    }
  }
  if ((!url.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (const std::size_t slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    if (!parse_authority(url, authority, reason)) return false;
  } else if (!url.scheme.empty() && rooted) {
    url.omit_host = true;
  }
  return set_path(url, rest, reason);
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

// Go's resolvePath: merges ref into base's directory and removes dot
// segments; the result is rooted unless both are empty.
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
      // Drop the last segment written (never the leading '/').
      const std::size_t index = dst.rfind('/');
      if (index == 0) {
        dst = "/";
        first = true;
      } else {
        dst.resize(index);
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

}  // namespace

std::string Userinfo::string() const {
  std::string out = escape(username, Part::UserPassword);
  if (has_password) {
    out += ':';
    out += escape(password, Part::UserPassword);
  }
  return out;
}

std::optional<Url> Url::parse(std::string_view raw, std::string& error) {
  const std::size_t hash = raw.find('#');
  const std::string_view before_hash = raw.substr(0, hash);
  const std::string_view fragment =
      hash == std::string_view::npos ? std::string_view() : raw.substr(hash + 1);
  Url url;
  std::string reason;
  // Errors before the fragment quote the text without it, as Go does.
  if (!parse_reference(url, before_hash, reason)) {
    error = "parse " + go_quote(before_hash) + ": " + reason;
    return std::nullopt;
  }
  if (!fragment.empty() && !set_fragment(url, fragment, reason)) {
    error = "parse " + go_quote(raw) + ": " + reason;
    return std::nullopt;
  }
  return url;
}

std::string Url::escaped_path() const {
  if (hint_encodes(raw_path, path, Part::Path)) return raw_path;
  // "*" (the OPTIONS request target) is never escaped.
  if (path == "*") return "*";
  return escape(path, Part::Path);
}

std::string Url::escaped_fragment() const {
  if (hint_encodes(raw_fragment, fragment, Part::Fragment)) return raw_fragment;
  return escape(fragment, Part::Fragment);
}

std::string Url::string() const {
  std::string out;
  if (!scheme.empty()) {
    out += scheme;
    out += ':';
  }
  if (!opaque.empty()) {
    out += opaque;
  } else {
    if ((!scheme.empty() || !host.empty() || user) && !(omit_host && host.empty() && !user)) {
      if (!host.empty() || !path.empty() || user) out += "//";
      if (user) {
        out += user->string();
        out += '@';
      }
      out += escape(host, Part::Host);
    }
    const std::string p = escaped_path();
    if (!p.empty() && p[0] != '/' && !host.empty()) out += '/';
    if (out.empty()) {
      // A colon in the first segment of a relative path would read as a
      // scheme (RFC 3986 §4.2): "./" keeps it a path.
      const std::string_view segment = std::string_view(p).substr(0, p.find('/'));
      if (segment.find(':') != std::string_view::npos) out += "./";
    }
    out += p;
  }
  if (force_query || !raw_query.empty()) {
    out += '?';
    out += raw_query;
  }
  if (!fragment.empty()) {
    out += '#';
    out += escaped_fragment();
  }
  return out;
}

std::string Url::strip_password() const {
  std::string text = string();
  if (!user || !user->has_password) return text;
  // Go replaces the first "userinfo@" of the text, and writes the name
  // unescaped.
  const std::string written = user->string() + "@";
  const std::size_t at = text.find(written);
  if (at != std::string::npos) text.replace(at, written.size(), user->username + ":***@");
  return text;
}

std::string Url::hostname() const {
  std::string_view name, port_text;
  split_host_port(host, name, port_text);
  return std::string(name);
}

std::string Url::port() const {
  std::string_view name, port_text;
  split_host_port(host, name, port_text);
  return std::string(port_text);
}

Url Url::resolve_reference(const Url& ref) const {
  Url url = ref;
  if (ref.scheme.empty()) url.scheme = scheme;
  // The resolved paths are valid escaped text, so set_path cannot fail.
  std::string unused;
  if (!ref.scheme.empty() || !ref.host.empty() || ref.user) {
    // An absolute URL or a network-path reference: only its own dot
    // segments are removed.
    set_path(url, resolve_path(ref.escaped_path(), ""), unused);
    return url;
  }
  if (!ref.opaque.empty()) {
    url.user.reset();
    url.host.clear();
    url.path.clear();
    return url;
  }
  if (ref.path.empty() && !ref.force_query && ref.raw_query.empty()) {
    url.raw_query = raw_query;
    if (ref.fragment.empty()) {
      url.fragment = fragment;
      url.raw_fragment = raw_fragment;
    }
  }
  if (ref.path.empty() && !opaque.empty()) {
    // A fragment or query against an opaque base ("mailto:x@y" + "#f")
    // keeps the base's opaque part.
    url.opaque = opaque;
    url.user.reset();
    url.host.clear();
    url.path.clear();
    return url;
  }
  url.host = host;
  url.user = user;
  set_path(url, resolve_path(escaped_path(), ref.escaped_path()), unused);
  return url;
}

}  // namespace thaiyyal::go
