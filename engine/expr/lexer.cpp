#include "engine/expr/lexer.hpp"

#include <locale.h>
#include <cerrno>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <system_error>

#include "engine/go/unicode.hpp"

namespace thaiyyal::expr {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ident_start(char c) {
  return is_letter(c) || c == '_' || c == '$';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}
bool is_node_id_char(char c) {
  return is_letter(c) || is_digit(c) || c == '_' || c == '-';
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

locale_t c_locale() {
  static locale_t loc = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return loc;
}

}  // namespace

double parse_decimal(std::string_view text) {
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  double d = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), d, std::chars_format::general);
  if (res.ec == std::errc() && res.ptr == s.data() + s.size()) return neg ? -d : d;
  // Out of range (or a form from_chars rejects, such as "5."): strtod in the
  // C locale gives ±HUGE_VAL on overflow and the nearest value on underflow.
  std::string buf(s);
  char* endp = nullptr;
  d = strtod_l(buf.c_str(), &endp, c_locale());
  return neg ? -d : d;
}

void Lexer::skip_space() {
  while (pos_ < end_ && is_space(src_[pos_])) ++pos_;
}

Token Lexer::next() {
  skip_space();
  Token t;
  t.pos = pos_;
  if (pos_ >= end_) {
    t.kind = Tok::End;
    after_operand_ = false;
    return t;
  }
  const std::size_t start = pos_;
  const char c = src_[pos_];
  auto single = [&](Tok k, std::size_t n = 1) {
    t.kind = k;
    t.len = n;
    pos_ += n;
  };
  auto peek = [&](std::size_t off) -> char { return pos_ + off < end_ ? src_[pos_ + off] : '\0'; };
  if (is_digit(c) || (c == '.' && !after_operand_ && is_digit(peek(1)))) {
    t = lex_number(start);
    after_operand_ = true;
    return t;
  }
  if (c == '"' || c == '\'') {
    t = lex_string(start);
    after_operand_ = true;
    return t;
  }
  if (is_ident_start(c)) {
    std::size_t p = pos_ + 1;
    while (p < end_ && is_ident_char(src_[p])) ++p;
    t.ident = src_.substr(pos_, p - pos_);
    t.len = p - pos_;
    pos_ = p;
    if (t.ident == "true") {
      t.kind = Tok::True;
    } else if (t.ident == "false") {
      t.kind = Tok::False;
    } else if (t.ident == "null") {
      t.kind = Tok::Null;
    } else {
      t.kind = Tok::Ident;
    }
    after_operand_ = true;
    return t;
  }
  switch (c) {
    case '?':
      single(Tok::Question);
      break;
    case ':':
      single(Tok::Colon);
      break;
    case '|':
      if (peek(1) != '|') throw SyntaxError{start, "unexpected character '|'"};
      single(Tok::OrOr, 2);
      break;
    case '&':
      if (peek(1) != '&') throw SyntaxError{start, "unexpected character '&'"};
      single(Tok::AndAnd, 2);
      break;
    case '=':
      if (peek(1) != '=') throw SyntaxError{start, "unexpected character '='"};
      single(Tok::EqEq, 2);
      break;
    case '!':
      if (peek(1) == '=') {
        single(Tok::NotEq, 2);
      } else {
        single(Tok::Bang);
      }
      break;
    case '<':
      if (peek(1) == '=') {
        single(Tok::Le, 2);
      } else {
        single(Tok::Lt);
      }
      break;
    case '>':
      if (peek(1) == '=') {
        single(Tok::Ge, 2);
      } else {
        single(Tok::Gt);
      }
      break;
    case '+':
      single(Tok::Plus);
      break;
    case '-':
      single(Tok::Minus);
      break;
    case '*':
      single(Tok::Star);
      break;
    case '/':
      single(Tok::Slash);
      break;
    case '%':
      single(Tok::Percent);
      break;
    case '.':
      single(Tok::Dot);
      break;
    case '(':
      single(Tok::LParen);
      break;
    case ')':
      single(Tok::RParen);
      break;
    case '[':
      single(Tok::LBracket);
      break;
    case ']':
      single(Tok::RBracket);
      break;
    case '{':
      single(Tok::LBrace);
      break;
    case '}':
      single(Tok::RBrace);
      break;
    case ',':
      single(Tok::Comma);
      break;
    default: {
      if (static_cast<unsigned char>(c) >= 0x80) {
        go::unicode::Rune r = go::unicode::decode(src_.substr(0, end_), pos_);
        if (!r.valid) throw SyntaxError{start, "invalid UTF-8"};
        throw SyntaxError{start,
                          "unexpected character '" + std::string(src_.substr(pos_, r.len)) + "'"};
      }
      std::string what = "unexpected character '";
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        static const char* hex = "0123456789abcdef";
        what += "\\x";
        what += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
        what += hex[static_cast<unsigned char>(c) & 0xF];
      } else {
        what += c;
      }
      what += "'";
      throw SyntaxError{start, what};
    }
  }
  after_operand_ = t.kind == Tok::RParen || t.kind == Tok::RBracket || t.kind == Tok::RBrace;
  return t;
}

Token Lexer::lex_number(std::size_t start) {
  std::size_t p = start;
  while (p < end_ && is_digit(src_[p])) ++p;
  if (p < end_ && src_[p] == '.' && p + 1 < end_ && is_digit(src_[p + 1])) {
    ++p;
    while (p < end_ && is_digit(src_[p])) ++p;
  }
  if (p < end_ && (src_[p] == 'e' || src_[p] == 'E')) {
    std::size_t q = p + 1;
    if (q < end_ && (src_[q] == '+' || src_[q] == '-')) ++q;
    if (q < end_ && is_digit(src_[q])) {
      while (q < end_ && is_digit(src_[q])) ++q;
      p = q;
    }
  }
  Token t;
  t.kind = Tok::Number;
  t.pos = start;
  t.len = p - start;
  t.number = parse_decimal(src_.substr(start, p - start));
  if (!std::isfinite(t.number)) throw SyntaxError{start, "number out of range"};
  pos_ = p;
  return t;
}

Token Lexer::lex_string(std::size_t start) {
  const char quote = src_[start];
  Token t;
  t.kind = Tok::String;
  t.pos = start;
  std::size_t p = start + 1;
  std::string& out = t.text;
  auto read_hex4 = [&](std::size_t at) -> long {
    if (at + 4 > end_) return -1;
    long v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      int h = hex_value(src_[at + k]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  while (true) {
    if (p >= end_) throw SyntaxError{start, "unterminated string"};
    const char c = src_[p];
    if (c == quote) {
      ++p;
      break;
    }
    if (c == '\\') {
      if (p + 1 >= end_) throw SyntaxError{start, "unterminated string"};
      const char e = src_[p + 1];
      switch (e) {
        case '\\':
        case '\'':
        case '"':
        case '/':
          out += e;
          p += 2;
          continue;
        case 'n':
          out += '\n';
          p += 2;
          continue;
        case 't':
          out += '\t';
          p += 2;
          continue;
        case 'r':
          out += '\r';
          p += 2;
          continue;
        case 'b':
          out += '\b';
          p += 2;
          continue;
        case 'f':
          out += '\f';
          p += 2;
          continue;
        case 'u': {
          long cp = read_hex4(p + 2);
          if (cp < 0) throw SyntaxError{p, "invalid unicode escape"};
          std::size_t consumed = 6;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = -1;
            if (p + 7 < end_ && src_[p + 6] == '\\' && src_[p + 7] == 'u') lo = read_hex4(p + 8);
            if (lo < 0xDC00 || lo > 0xDFFF)
              throw SyntaxError{p, "lone surrogate in unicode escape"};
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            consumed = 12;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            throw SyntaxError{p, "lone surrogate in unicode escape"};
          }
          go::unicode::append_utf8(out, static_cast<char32_t>(cp));
          p += consumed;
          continue;
        }
        default:
          // Unknown escape: the backslash stays, the next character is
          // handled normally (so a quote after it is still checked).
          out += '\\';
          ++p;
          continue;
      }
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      out += c;
      ++p;
      continue;
    }
    go::unicode::Rune r = go::unicode::decode(src_.substr(0, end_), p);
    if (!r.valid) throw SyntaxError{p, "invalid UTF-8"};
    out.append(src_.substr(p, r.len));
    p += r.len;
  }
  t.len = p - start;
  pos_ = p;
  return t;
}

std::string_view Lexer::member_name() {
  skip_space();
  std::size_t p = pos_;
  while (p < end_ && is_ident_char(src_[p])) ++p;
  if (p == pos_) throw SyntaxError{pos_, "expected member name after '.'"};
  std::string_view name = src_.substr(pos_, p - pos_);
  pos_ = p;
  after_operand_ = true;
  return name;
}

std::string_view Lexer::node_id() {
  skip_space();
  std::size_t p = pos_;
  while (p < end_ && is_node_id_char(src_[p])) ++p;
  if (p == pos_) throw SyntaxError{pos_, "expected node id after 'node.'"};
  std::string_view id = src_.substr(pos_, p - pos_);
  pos_ = p;
  after_operand_ = true;
  return id;
}

std::string describe_token(std::string_view source, const Token& t) {
  if (t.kind == Tok::End) return "end of expression";
  std::string_view text = source.substr(t.pos, t.len);
  if (text.size() > 32) {
    std::size_t cut = 32;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  return "token '" + std::string(text) + "'";
}

}  // namespace thaiyyal::expr
