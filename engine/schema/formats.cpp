#include "engine/schema/formats.hpp"

#include <array>
#include <cctype>
#include <string>

#include "engine/go/net_ip.hpp"
#include "engine/go/url.hpp"
#include "engine/schema/regex.hpp"

namespace thaiyyal::schema {
namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// --- time.Parse layouts -------------------------------------------------------

struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool eat(char c) {
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  bool fixed(int n, int& out) {
    out = 0;
    for (int k = 0; k < n; ++k) {
      if (i >= s.size() || !digit(s[i])) return false;
      out = out * 10 + (s[i++] - '0');
    }
    return true;
  }
  bool done() const { return i == s.size(); }
};

// "15:04:05" (hour with one or two digits), plus a fractional second that Go
// accepts even when the layout has none.
bool parse_clock(Cursor& c) {
  int hour = 0;
  if (c.i >= c.s.size() || !digit(c.s[c.i])) return false;
  hour = c.s[c.i++] - '0';
  if (c.i < c.s.size() && digit(c.s[c.i])) hour = hour * 10 + (c.s[c.i++] - '0');
  if (hour >= 24) return false;
  int minute = 0, second = 0;
  if (!c.eat(':') || !c.fixed(2, minute) || minute >= 60) return false;
  if (!c.eat(':') || !c.fixed(2, second) || second >= 60) return false;
  if (c.i + 1 < c.s.size() && (c.s[c.i] == '.' || c.s[c.i] == ',') && digit(c.s[c.i + 1])) {
    ++c.i;
    while (c.i < c.s.size() && digit(c.s[c.i])) ++c.i;
  }
  return true;
}

// "Z07:00".
bool parse_zone(Cursor& c) {
  if (c.eat('Z')) return true;
  if (c.s.size() - c.i < 6) return false;
  char sign = c.s[c.i];
  if (sign != '+' && sign != '-') return false;
  if (c.s[c.i + 3] != ':') return false;
  ++c.i;
  int hh = 0, mm = 0;
  if (!c.fixed(2, hh)) return false;
  ++c.i;  // ':'
  if (!c.fixed(2, mm)) return false;
  return hh <= 24 && mm <= 60;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// "2006-01-02".
bool parse_date(Cursor& c) {
  int y = 0, m = 0, d = 0;
  if (!c.fixed(4, y) || !c.eat('-') || !c.fixed(2, m) || !c.eat('-') || !c.fixed(2, d)) {
    return false;
  }
  if (m < 1 || m > 12) return false;
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = kDays[static_cast<std::size_t>(m - 1)];
  if (m == 2 && !leap(y)) max_day = 28;
  return d >= 1 && d <= max_day;
}

bool is_time_layout(std::string_view s, bool zone) {
  Cursor c{s};
  if (!parse_clock(c)) return false;
  if (zone && !parse_zone(c)) return false;
  return c.done();
}
bool is_date_layout(std::string_view s) {
  Cursor c{s};
  return parse_date(c) && c.done();
}
bool is_rfc3339(std::string_view s) {
  Cursor c{s};
  return parse_date(c) && c.eat('T') && parse_clock(c) && parse_zone(c) && c.done();
}

// --- net/mail.ParseAddress (simplified RFC 5322) ----------------------------------

bool atext(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!atext(s[i])) {
      return false;
    }
  }
  return true;
}

bool addr_spec(std::string_view s) {
  std::size_t at = s.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  bool local_ok = false;
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    local_ok = true;
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      if (local[i] == '\\') {
        ++i;
        if (i + 1 >= local.size()) return false;
      } else if (local[i] == '"') {
        return false;
      }
    }
  } else {
    local_ok = dot_atom(local);
  }
  if (!local_ok) return false;
  if (domain.size() >= 2 && domain.front() == '[' && domain.back() == ']') return true;
  return dot_atom(domain);
}

bool parse_mail_address(std::string_view s) {
  std::string_view t = s;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (!t.empty() && t.back() == '>') {
    std::size_t lt = t.rfind('<');
    if (lt == std::string_view::npos) return false;
    return addr_spec(t.substr(lt + 1, t.size() - lt - 2));
  }
  return addr_spec(t);
}

// --- regexes of format_checkers.go, as code ------------------------------------

bool hostname(std::string_view s) {
  if (s.empty() || s.size() >= 256) return false;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool uuid(std::string_view s) {
  static constexpr std::array<int, 5> kGroups = {8, 4, 4, 4, 12};
  std::size_t i = 0;
  for (std::size_t g = 0; g < kGroups.size(); ++g) {
    if (g > 0) {
      if (i >= s.size() || s[i] != '-') return false;
      ++i;
    }
    for (int k = 0; k < kGroups[g]; ++k, ++i) {
      if (i >= s.size()) return false;
      char c = s[i];
      if (!digit(c) && !(c >= 'a' && c <= 'f')) return false;
    }
  }
  return i == s.size();
}

bool pointer_tail(std::string_view s) {
  // (?:/(?:[^~/]|~0|~1)*)*
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~') {
      if (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1')) return false;
      ++i;
    }
  }
  return true;
}

bool relative_pointer(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (i < s.size() && s[i] >= '1' && s[i] <= '9') {
    while (i < s.size() && digit(s[i])) ++i;
  } else {
    return false;
  }
  std::string_view rest = s.substr(i);
  return rest == "#" || pointer_tail(rest);
}

bool uri_template_path(std::string_view p) {
  // ^([^{]*({[^}]*})?)*$
  std::size_t i = 0;
  while (i < p.size()) {
    if (p[i] == '{') {
      std::size_t close = p.find('}', i + 1);
      if (close == std::string_view::npos) return false;
      i = close + 1;
    } else {
      ++i;
    }
  }
  return true;
}

}  // namespace

bool is_known_format(std::string_view f) {
  static constexpr std::array<std::string_view, 17> kKnown = {"date",
                                                              "time",
                                                              "date-time",
                                                              "hostname",
                                                              "email",
                                                              "idn-email",
                                                              "ipv4",
                                                              "ipv6",
                                                              "uri",
                                                              "uri-reference",
                                                              "iri",
                                                              "iri-reference",
                                                              "uuid",
                                                              "uri-template",
                                                              "regex",
                                                              "json-pointer",
                                                              "relative-json-pointer"};
  for (std::string_view k : kKnown) {
    if (k == f) return true;
  }
  return false;
}

bool check_format(std::string_view f, std::string_view s) {
  if (f == "date-time") {
    return is_time_layout(s, false) || is_time_layout(s, true) || is_date_layout(s) ||
           is_rfc3339(s);
  }
  if (f == "date") return is_date_layout(s);
  if (f == "time") return is_time_layout(s, true) || is_time_layout(s, false);
  if (f == "hostname") return hostname(s);
  if (f == "email" || f == "idn-email") return parse_mail_address(s);
  // Go's net.ParseIP, then the library's test for which kind of text it was.
  if (f == "ipv4") return go::parse_ip(s) && s.find('.') != std::string_view::npos;
  if (f == "ipv6") return go::parse_ip(s) && s.find(':') != std::string_view::npos;
  std::string error;
  if (f == "uri" || f == "iri") {
    auto u = go::Url::parse(s, error);
    return u && !u->scheme.empty() && s.find('\\') == std::string_view::npos;
  }
  if (f == "uri-reference" || f == "iri-reference") {
    return go::Url::parse(s, error).has_value() && s.find('\\') == std::string_view::npos;
  }
  if (f == "uri-template") {
    auto u = go::Url::parse(s, error);
    return u && s.find('\\') == std::string_view::npos && uri_template_path(u->path);
  }
  if (f == "uuid") return uuid(s);
  if (f == "regex") return s.empty() || Regex::compile(s).has_value();
  if (f == "json-pointer") return pointer_tail(s);
  if (f == "relative-json-pointer") return relative_pointer(s);
  return true;
}

}  // namespace thaiyyal::schema
