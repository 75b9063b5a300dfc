// Tokenizer for language.md §2. The parser pulls tokens one at a time and
// asks for the two context-dependent token classes explicitly: a member name
// right after a postfix `.`, and a node id right after `node.`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::expr {

enum class Tok : unsigned char {
  End,
  Number,
  String,
  Ident,
  True,
  False,
  Null,
  Question,
  Colon,
  OrOr,
  AndAnd,
  EqEq,
  NotEq,
  Lt,
  Le,
  Gt,
  Ge,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
};

struct Token {
  Tok kind = Tok::End;
  std::size_t pos = 0;     // byte offset in the original source
  std::size_t len = 0;     // bytes of source text
  double number = 0;       // Number
  std::string text;        // String: decoded contents
  std::string_view ident;  // Ident / member name / node id
};

// Thrown (and caught by the compiler) for syntax errors; `what` is the part
// after "expression syntax error at position <p>: ".
struct SyntaxError {
  std::size_t pos;
  std::string what;
};

class Lexer {
 public:
  // Lexes source[begin, end): the caller has already removed leading and
  // trailing Unicode white space.
  Lexer(std::string_view source, std::size_t begin, std::size_t end)
      : src_(source), pos_(begin), end_(end) {}

  // The next ordinary token. Throws SyntaxError.
  Token next();
  // A `membername` (after a postfix `.`); throws when there is none. The
  // view points into the source.
  std::string_view member_name();
  // A `nodeid` (after `node.`); throws when there is none.
  std::string_view node_id();

  std::string_view source() const { return src_; }

 private:
  void skip_space();
  Token lex_number(std::size_t start);
  Token lex_string(std::size_t start);

  std::string_view src_;
  std::size_t pos_;
  std::size_t end_;
  // Whether the previous token ends an operand: then `.5` is `.` + `5`.
  bool after_operand_ = false;
};

// "'<text>'" for unexpected-token messages.
std::string describe_token(std::string_view source, const Token& t);

// Parses a decimal literal already validated by the caller (digits with
// optional fraction/exponent, optional leading sign). Out-of-range values
// become ±Inf (overflow) or the nearest representable value (underflow),
// as Go's strconv.ParseFloat returns them.
double parse_decimal(std::string_view text);

}  // namespace thaiyyal::expr
