// Go's encoding/xml Decoder in strict mode, as far as the parse node
// observes it: which inputs it accepts, the tokens it reports, and its error
// texts before the first start element.
#include "engine/go/xml.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/go/unicode.hpp"

namespace thaiyyal::go::xml {

namespace {

// The decoder's state machine; Decoder keeps it out of the header.
class Tokenizer {
 public:
  using Tok = Decoder::Token;

  explicit Tokenizer(std::string_view s) : s_(s) {}

  // Next token; on Error, error() holds Go's text ("EOF" at a clean end).
  Tok next() {
    if (need_close_) {
      need_close_ = false;
      name_ = to_close_;
      return pop_element() ? Tok::End : Tok::Error;
    }
    Tok t = raw_token();
    if (t == Tok::Error && error_ == "EOF" && !stack_.empty()) {
      error_ = syntax("unexpected EOF");
    }
    if (t == Tok::Start) stack_.push_back(name_);
    if (t == Tok::End && !pop_element()) return Tok::Error;
    return t;
  }

  const std::string& name() const { return name_; }  // local name
  const std::string& text() const { return text_; }
  const std::string& error() const { return error_; }
  std::size_t depth() const { return stack_.size(); }

 private:
  bool pop_element() {
    if (stack_.empty()) {
      error_ = syntax("unexpected end element </" + name_ + ">");
      return false;
    }
    if (stack_.back() != name_) {
      error_ = syntax("element <" + stack_.back() + "> closed by </" + name_ + ">");
      return false;
    }
    stack_.pop_back();
    return true;
  }

  std::string syntax(const std::string& msg) const {
    return "XML syntax error on line " + std::to_string(line_) + ": " + msg;
  }
  bool fail(const std::string& msg) {
    error_ = syntax(msg);
    return false;
  }

  bool getc(char& c) {
    if (pos_ >= s_.size()) return false;
    c = s_[pos_++];
    if (c == '\n') ++line_;
    return true;
  }
  bool mustgetc(char& c) {
    if (!getc(c)) return fail("unexpected EOF");
    return true;
  }
  void ungetc(char c) {
    if (c == '\n') --line_;
    --pos_;
  }
  void space() {
    char c;
    while (getc(c)) {
      if (c != ' ' && c != '\r' && c != '\n' && c != '\t') {
        ungetc(c);
        return;
      }
    }
  }

  static bool is_name_byte(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ':' || c == '.' || c == '-';
  }
  static bool is_name_start(char32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' ||
           (c >= 0xC0 && go::unicode::is_letter(c));
  }
  static bool is_name_char(char32_t c) {
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == 0xB7 ||
           (c >= 0x80 &&
            (go::unicode::is_letter(c) || go::unicode::is_digit(c) || (c >= 0x300 && c <= 0x36F)));
  }
  static bool is_name(std::string_view s) {
    if (s.empty()) return false;
    std::size_t pos = 0;
    char32_t c = go::unicode::decode_next(s, pos);
    if (c == go::unicode::kReplacement || !is_name_start(c)) return false;
    while (pos < s.size()) {
      c = go::unicode::decode_next(s, pos);
      if (c == go::unicode::kReplacement || !is_name_char(c)) return false;
    }
    return true;
  }

  // Go's readName: raw name bytes; false (error_ unset) when none.
  bool read_name(std::string& out) {
    char c;
    if (!mustgetc(c)) return false;
    if (static_cast<unsigned char>(c) < 0x80 && !is_name_byte(static_cast<unsigned char>(c))) {
      ungetc(c);
      return false;
    }
    out.push_back(c);
    for (;;) {
      if (!mustgetc(c)) return false;
      if (static_cast<unsigned char>(c) < 0x80 && !is_name_byte(static_cast<unsigned char>(c))) {
        ungetc(c);
        return true;
      }
      out.push_back(c);
    }
  }
  bool name(std::string& out) {
    out.clear();
    if (!read_name(out)) return false;
    if (!is_name(out)) return fail("invalid XML name: " + out);
    return true;
  }
  // Local part of a possibly prefixed name; false without error_ when the
  // name is not a valid QName.
  bool nsname(std::string& local) {
    std::string s;
    if (!name(s)) return false;
    if (std::count(s.begin(), s.end(), ':') > 1) return false;
    std::size_t colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
      local = s;
    } else {
      local = s.substr(colon + 1);
    }
    return true;
  }

  static bool in_character_range(char32_t r) {
    return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
           (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF);
  }

  // Go's Decoder.text: character data up to '<' (quote < 0), up to the
  // closing quote, or up to "]]>" (cdata).
  bool read_text(int quote, bool cdata, std::string& out) {
    out.clear();
    char b0 = 0, b1 = 0;
    for (;;) {
      char b;
      if (!getc(b)) {
        if (cdata) return fail("unexpected EOF in CDATA section");
        break;
      }
      if (b0 == ']' && b1 == ']' && b == '>') {
        if (cdata) {
          out.resize(out.size() - 2);
          break;
        }
        return fail("unescaped ]]> not in CDATA section");
      }
      if (b == '<' && !cdata) {
        if (quote >= 0) return fail("unescaped < inside quoted string");
        ungetc(b);
        break;
      }
      if (quote >= 0 && b == static_cast<char>(quote)) break;
      if (b == '&' && !cdata) {
        std::size_t before = out.size();
        out.push_back('&');
        char c;
        if (!mustgetc(c)) return false;
        std::string replacement;
        bool have = false;
        if (c == '#') {
          out.push_back(c);
          if (!mustgetc(c)) return false;
          int base = 10;
          if (c == 'x') {
            base = 16;
            out.push_back(c);
            if (!mustgetc(c)) return false;
          }
          std::size_t start = out.size();
          while ((c >= '0' && c <= '9') ||
                 (base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))) {
            out.push_back(c);
            if (!mustgetc(c)) return false;
          }
          if (c != ';') {
            ungetc(c);
          } else {
            std::string digits = out.substr(start);
            out.push_back(';');
            if (!digits.empty() && digits.size() <= 16) {
              unsigned long long n = std::stoull(digits, nullptr, base);
              if (n <= 0x10FFFF) {
                go::unicode::append_utf8(replacement, static_cast<char32_t>(n));
                have = true;
              }
            }
          }
        } else {
          ungetc(c);
          std::string nm;
          if (!read_name(nm) && !error_.empty()) return false;
          out += nm;
          if (!mustgetc(c)) return false;
          if (c != ';') {
            ungetc(c);
          } else {
            out.push_back(';');
            if (is_name(nm)) {
              if (nm == "lt") replacement = "<", have = true;
              if (nm == "gt") replacement = ">", have = true;
              if (nm == "amp") replacement = "&", have = true;
              if (nm == "apos") replacement = "'", have = true;
              if (nm == "quot") replacement = "\"", have = true;
            }
          }
        }
        if (have) {
          out.resize(before);
          out += replacement;
          b0 = b1 = 0;
          continue;
        }
        std::string ent = out.substr(before);
        if (ent.back() != ';') ent += " (no semicolon)";
        return fail("invalid character entity " + ent);
      }
      if (b == '\r') {
        out.push_back('\n');
      } else if (b1 == '\r' && b == '\n') {
        // "\r\n" already produced its '\n'
      } else {
        out.push_back(b);
      }
      b0 = b1;
      b1 = b;
    }
    std::size_t pos = 0;
    while (pos < out.size()) {
      std::size_t start = pos;
      char32_t r = go::unicode::decode_next(out, pos);
      if (r == go::unicode::kReplacement && pos - start == 1) return fail("invalid UTF-8");
      if (!in_character_range(r)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
        return fail(std::string("illegal character code ") + buf);
      }
    }
    return true;
  }

  static std::string proc_inst_param(std::string_view param, std::string_view content) {
    std::size_t idx = content.find(std::string(param) + "=");
    if (idx == std::string_view::npos) return "";
    std::string_view v = content.substr(idx + param.size() + 1);
    if (v.empty()) return "";
    char q = v.front();
    if (q != '\'' && q != '"') return "";
    v.remove_prefix(1);
    std::size_t end = v.find(q);
    if (end == std::string_view::npos) return "";
    return std::string(v.substr(0, end));
  }

  Tok raw_token() {
    char b;
    if (!getc(b)) {
      error_ = "EOF";
      return Tok::Error;
    }
    if (b != '<') {
      ungetc(b);
      return read_text(-1, false, text_) ? Tok::Text : Tok::Error;
    }
    if (!mustgetc(b)) return Tok::Error;
    if (b == '/') {
      if (!nsname(name_)) {
        if (error_.empty()) fail("expected element name after </");
        return Tok::Error;
      }
      space();
      if (!mustgetc(b)) return Tok::Error;
      if (b != '>') {
        fail("invalid characters between </" + name_ + " and >");
        return Tok::Error;
      }
      return Tok::End;
    }
    if (b == '?') {
      std::string target;
      if (!name(target)) {
        if (error_.empty()) fail("expected target name after <?");
        return Tok::Error;
      }
      space();
      std::string data;
      char prev = 0;
      for (;;) {
        if (!mustgetc(b)) return Tok::Error;
        data.push_back(b);
        if (prev == '?' && b == '>') break;
        prev = b;
      }
      data.resize(data.size() - 2);
      if (target == "xml") {
        std::string ver = proc_inst_param("version", data);
        if (!ver.empty() && ver != "1.0") {
          error_ = "xml: unsupported version \"" + ver + "\"; only version 1.0 is supported";
          return Tok::Error;
        }
        std::string enc = proc_inst_param("encoding", data);
        if (!enc.empty() && go::unicode::to_lower(enc) != "utf-8") {
          error_ = "xml: encoding \"" + enc + "\" declared but Decoder.CharsetReader is nil";
          return Tok::Error;
        }
      }
      return Tok::Other;
    }
    if (b == '!') {
      if (!mustgetc(b)) return Tok::Error;
      if (b == '-') {
        if (!mustgetc(b)) return Tok::Error;
        if (b != '-') {
          fail("invalid sequence <!- not part of <!--");
          return Tok::Error;
        }
        char b0 = 0, b1 = 0;
        for (;;) {
          if (!mustgetc(b)) return Tok::Error;
          if (b0 == '-' && b1 == '-') {
            if (b != '>') {
              fail("invalid sequence \"--\" not allowed in comments");
              return Tok::Error;
            }
            break;
          }
          b0 = b1;
          b1 = b;
        }
        return Tok::Other;
      }
      if (b == '[') {
        static constexpr std::string_view kCdata = "CDATA[";
        for (char expected : kCdata) {
          if (!mustgetc(b)) return Tok::Error;
          if (b != expected) {
            fail("invalid <![ sequence");
            return Tok::Error;
          }
        }
        return read_text(-1, true, text_) ? Tok::Text : Tok::Error;
      }
      // Directive: skip to the matching '>' (quotes and nested <...>).
      char inquote = 0;
      int depth = 0;
      for (;;) {
        if (!mustgetc(b)) return Tok::Error;
        if (inquote == 0 && b == '>' && depth == 0) break;
        if (b == inquote) {
          inquote = 0;
        } else if (inquote != 0) {
        } else if (b == '\'' || b == '"') {
          inquote = b;
        } else if (b == '>') {
          --depth;
        } else if (b == '<') {
          static constexpr std::string_view kComment = "!--";
          bool comment = true;
          for (char expected : kComment) {
            if (!mustgetc(b)) return Tok::Error;
            if (b != expected) {
              comment = false;
              break;
            }
          }
          if (!comment) {
            ++depth;
            ungetc(b);
            continue;
          }
          char b0 = 0, b1 = 0;
          for (;;) {
            if (!mustgetc(b)) return Tok::Error;
            if (b0 == '-' && b1 == '-' && b == '>') break;
            b0 = b1;
            b1 = b;
          }
        }
      }
      return Tok::Other;
    }
    // Start element.
    ungetc(b);
    if (!nsname(name_)) {
      if (error_.empty()) fail("expected element name after <");
      return Tok::Error;
    }
    for (;;) {
      space();
      if (!mustgetc(b)) return Tok::Error;
      if (b == '/') {
        if (!mustgetc(b)) return Tok::Error;
        if (b != '>') {
          fail("expected /> in element");
          return Tok::Error;
        }
        need_close_ = true;
        to_close_ = name_;
        break;
      }
      if (b == '>') break;
      ungetc(b);
      std::string attr;
      if (!nsname(attr)) {
        if (error_.empty()) fail("expected attribute name in element");
        return Tok::Error;
      }
      space();
      if (!mustgetc(b)) return Tok::Error;
      if (b != '=') {
        fail("attribute name without = in element");
        return Tok::Error;
      }
      space();
      if (!mustgetc(b)) return Tok::Error;
      if (b != '"' && b != '\'') {
        fail("unquoted or missing attribute value in element");
        return Tok::Error;
      }
      std::string value;
      if (!read_text(static_cast<unsigned char>(b), false, value)) return Tok::Error;
    }
    return Tok::Start;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int line_ = 1;
  bool need_close_ = false;
  std::string to_close_;
  std::string name_;
  std::string text_;
  std::string error_;
  std::vector<std::string> stack_;
};

}  // namespace

struct Decoder::State {
  explicit State(std::string_view s) : tokenizer(s) {}
  Tokenizer tokenizer;
};

Decoder::Decoder(std::string_view text) : state_(std::make_unique<State>(text)) {}
Decoder::~Decoder() = default;

Decoder::Token Decoder::next() {
  return state_->tokenizer.next();
}
const std::string& Decoder::name() const {
  return state_->tokenizer.name();
}
const std::string& Decoder::text() const {
  return state_->tokenizer.text();
}
const std::string& Decoder::error() const {
  return state_->tokenizer.error();
}
std::size_t Decoder::depth() const {
  return state_->tokenizer.depth();
}

}  // namespace thaiyyal::go::xml
