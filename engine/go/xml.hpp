// A tokenizer following Go's encoding/xml Decoder (strict mode) closely
// enough to reproduce which inputs it accepts and, before the first start
// element, its error texts. The parse node's XML format is built on it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go::xml {

class Decoder {
 public:
  // Start and end elements, character data, anything else (comments,
  // processing instructions, directives), or an error.
  enum class Token { Start, End, Text, Other, Error };

  // text must outlive the decoder.
  explicit Decoder(std::string_view text);
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // The next token; on Error, error() holds Go's text ("EOF" at a clean end).
  Token next();
  const std::string& name() const;  // the element's local name
  const std::string& text() const;  // character data of a Text token
  const std::string& error() const;
  std::size_t depth() const;  // open elements

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace thaiyyal::go::xml
