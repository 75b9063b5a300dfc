#include "engine/schema/uri.hpp"

#include <cctype>

namespace thaiyyal::schema {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

enum class Mode { Path, Fragment, Host };

// Go's shouldEscape for the modes used here.
bool should_escape(unsigned char c, Mode mode) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return false;
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
      if (mode == Mode::Path) return c == '?';
      return false;
    default:
      break;
  }
  if (mode == Mode::Fragment) {
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

// Go's validEncoded.
bool valid_encoded(std::string_view s, Mode mode) {
  for (unsigned char c : s) {
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
        if (should_escape(c, mode)) return false;
    }
  }
  return true;
}

std::string escape(std::string_view s, Mode mode) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (should_escape(c, mode)) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string quote_go(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Go's unescape; false with error on a bad escape.
bool unescape(std::string_view s, std::string& out, std::string& error) {
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        std::string_view bad = s.substr(i, 3);
        error = "invalid URL escape " + quote_go(bad);
        return false;
      }
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return true;
}

std::string resolve_path(const std::string& base, const std::string& ref) {
  std::string full;
  if (ref.empty()) {
    full = base;
  } else if (ref[0] != '/') {
    std::size_t i = base.rfind('/');
    full = (i == std::string::npos ? std::string() : base.substr(0, i + 1)) + ref;
  } else {
    full = ref;
  }
  if (full.empty()) return "";
  std::string dst = "/";
  bool first = true;
  std::string_view remaining(full);
  std::string_view elem;
  bool found = true;
  while (found) {
    std::size_t slash = remaining.find('/');
    found = slash != std::string_view::npos;
    elem = found ? remaining.substr(0, slash) : remaining;
    remaining = found ? remaining.substr(slash + 1) : std::string_view();
    if (elem == ".") {
      first = false;
      continue;
    }
    if (elem == "..") {
      std::string str = dst.substr(1);
      std::size_t index = str.rfind('/');
      dst = "/";
      if (index == std::string::npos) {
        first = true;
      } else {
        dst += str.substr(0, index);
      }
    } else {
      if (!first) dst.push_back('/');
      dst.append(elem);
      first = false;
    }
  }
  if (elem == "." || elem == "..") dst.push_back('/');
  if (dst.size() > 1 && dst[1] == '/') dst.erase(0, 1);
  return dst;
}

}  // namespace

std::optional<GoUrl> GoUrl::parse(std::string_view raw, std::string& error) {
  GoUrl u;
  std::string_view rest = raw;
  std::string_view frag;
  bool has_frag = false;
  if (std::size_t h = rest.find('#'); h != std::string_view::npos) {
    frag = rest.substr(h + 1);
    rest = rest.substr(0, h);
    has_frag = true;
  }
  auto set_fragment = [&error](GoUrl& url, std::string_view f) {
    if (!unescape(f, url.fragment, error)) return false;
    url.raw_fragment.assign(f);
    return true;
  };
  auto fail = [&](const std::string& msg) -> std::optional<GoUrl> {
    error = "parse " + quote_go(raw) + ": " + msg;
    return std::nullopt;
  };
  for (unsigned char c : rest) {
    if (c < 0x20 || c == 0x7f) return fail("net/url: invalid control character in URL");
  }
  // Scheme.
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return fail("missing protocol scheme");
      u.scheme.assign(rest.substr(0, i));
      for (char& ch : u.scheme) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
      rest = rest.substr(i + 1);
    }
    break;
  }
  std::size_t q = rest.find('?');
  if (!rest.empty() && rest.back() == '?' && q == rest.size() - 1) {
    u.force_query = true;
    rest = rest.substr(0, rest.size() - 1);
  } else if (q != std::string_view::npos) {
    u.raw_query.assign(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (rest.empty() || rest[0] != '/') {
    if (!u.scheme.empty()) {
      u.opaque.assign(rest);
      if (has_frag && !set_fragment(u, frag)) return fail(error);
      return u;
    }
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      return fail("first path segment in URL cannot contain colon");
    }
  }
  if ((!u.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2);
    std::size_t slash = authority.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
    authority = authority.substr(0, slash);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      u.has_user = true;
      u.user.assign(authority.substr(0, at));
      authority = authority.substr(at + 1);
    }
    std::string unused;
    if (!unescape(authority, unused, error)) return fail(error);
    if (authority.empty() || authority[0] != '[') {
      // Go's unescape in encodeHost mode: ASCII that would need escaping
      // is refused.
      for (char c : authority) {
        auto uc = static_cast<unsigned char>(c);
        if (uc >= 0x80 || std::isalnum(uc)) continue;
        if (std::string_view("-_.~!$&'()*+,;=:[]<>\"%").find(c) != std::string_view::npos) continue;
        return fail("invalid character " + quote_go(std::string_view(&c, 1)) + " in host name");
      }
    }
    // Go validates ports: what follows the last ':' outside brackets must be
    // digits.
    std::size_t colon = authority.rfind(':');
    std::size_t bracket = authority.rfind(']');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
      for (char c : authority.substr(colon + 1)) {
        if (c < '0' || c > '9') {
          return fail("invalid port " + quote_go(authority.substr(colon)) + " after host");
        }
      }
    }
    u.host.assign(authority);
  }
  if (!unescape(rest, u.path, error)) return fail(error);
  u.raw_path.assign(rest);
  if (has_frag && !set_fragment(u, frag)) return fail(error);
  return u;
}

std::string GoUrl::escaped_path() const {
  std::string unescaped, err;
  if (valid_encoded(raw_path, Mode::Path) && unescape(raw_path, unescaped, err) &&
      unescaped == path) {
    return raw_path;
  }
  if (path == "*") return "*";
  return escape(path, Mode::Path);
}

std::string GoUrl::escaped_fragment() const {
  std::string unescaped, err;
  if (valid_encoded(raw_fragment, Mode::Fragment) && unescape(raw_fragment, unescaped, err) &&
      unescaped == fragment) {
    return raw_fragment;
  }
  return escape(fragment, Mode::Fragment);
}

std::string GoUrl::string() const {
  std::string buf;
  if (!scheme.empty()) {
    buf += scheme;
    buf.push_back(':');
  }
  if (!opaque.empty()) {
    buf += opaque;
  } else {
    if (!scheme.empty() || !host.empty() || has_user) {
      if (!host.empty() || !path.empty() || has_user) buf += "//";
      if (has_user) {
        buf += user;
        buf.push_back('@');
      }
      buf += host;
    }
    std::string p = escaped_path();
    if (!p.empty() && p[0] != '/' && !host.empty()) buf.push_back('/');
    if (buf.empty()) {
      std::string_view segment = std::string_view(p).substr(0, p.find('/'));
      if (segment.find(':') != std::string_view::npos) buf += "./";
    }
    buf += p;
  }
  if (force_query || !raw_query.empty()) {
    buf.push_back('?');
    buf += raw_query;
  }
  if (!fragment.empty()) {
    buf.push_back('#');
    buf += escaped_fragment();
  }
  return buf;
}

GoUrl GoUrl::resolve_reference(const GoUrl& ref) const {
  GoUrl url = ref;
  if (ref.scheme.empty()) url.scheme = scheme;
  auto set_path = [&url](const std::string& p) {
    std::string err;
    url.raw_path = p;
    unescape(p, url.path, err);
  };
  if (!ref.scheme.empty() || !ref.host.empty() || ref.has_user) {
    set_path(resolve_path(ref.escaped_path(), ""));
    return url;
  }
  if (!ref.opaque.empty()) {
    url.has_user = false;
    url.user.clear();
    url.host.clear();
    url.path.clear();
    url.raw_path.clear();
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
    url.opaque = opaque;
    url.has_user = false;
    url.user.clear();
    url.host.clear();
    url.path.clear();
    url.raw_path.clear();
    return url;
  }
  url.host = host;
  url.user = user;
  url.has_user = has_user;
  set_path(resolve_path(escaped_path(), ref.escaped_path()));
  return url;
}

std::optional<JsonReference> JsonReference::parse(std::string_view s, std::string& error) {
  auto url = GoUrl::parse(s, error);
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
  GoUrl parent = url_;
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
