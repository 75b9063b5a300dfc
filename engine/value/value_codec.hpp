// A compact binary form of a Value that keeps everything the engine
// distinguishes -- Int from Number, a number's integral-literal flag, nil
// arrays, record lists, times, json.Number literals, arbitrary bytes in
// strings -- so that a decoded value is the value that was encoded. JSON
// cannot: jsonb turns every number into numeric, rejects U+0000 and invalid
// UTF-8. Used for the journals of durable runs (engine/run/journal.hpp).
//
// The form is private to one build of the engine family: a one-byte version
// leads it, and decoding checks every length against the input.
#pragma once

#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

// Appends v's encoding to out.
void encode_value(std::string& out, const Value& v);

class ValueDecodeError {
 public:
  explicit ValueDecodeError(std::string message) : message_(std::move(message)) {}
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// Reads one value starting at in[pos], advancing pos past it. Throws
// ValueDecodeError for input that encode_value did not write.
Value decode_value(std::string_view in, std::size_t& pos);

// Unsigned LEB128 integers, shared with the journal's own framing.
void encode_varint(std::string& out, std::uint64_t n);
std::uint64_t decode_varint(std::string_view in, std::size_t& pos);
// A length-prefixed byte string.
void encode_bytes(std::string& out, std::string_view bytes);
std::string_view decode_bytes(std::string_view in, std::size_t& pos);

}  // namespace thaiyyal
