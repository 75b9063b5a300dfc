// Value <-> bytes (value_codec.hpp). One tag byte per value; numbers as
// their 8 bytes, little-endian; lengths and counts as varints.
#include "engine/value/value_codec.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/common/stack_depth.hpp"

namespace thaiyyal {

namespace {

enum Tag : unsigned char {
  kNull = 0,
  kFalse = 1,
  kTrue = 2,
  kNumber = 3,
  kIntegralNumber = 4,  // a Number with integral_literal set
  kInt = 5,
  kString = 6,
  kArray = 7,
  kNilArray = 8,
  kObject = 9,
  kRecordList = 10,
  kTime = 11,
  kJsonNumber = 12,
};

// Deeper values than any the engine builds are refused rather than walked.
constexpr std::size_t kMaxDepth = 10000;

void encode_u64(std::string& out, std::uint64_t bits) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
  out.append(buf, 8);
}

std::uint64_t decode_u64(std::string_view in, std::size_t& pos) {
  if (in.size() - pos < 8) throw ValueDecodeError("truncated number");
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) {
    bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
  }
  pos += 8;
  return bits;
}

void encode_at(std::string& out, const Value& v, std::size_t depth) {
  if (depth > kMaxDepth) throw std::length_error("value nested too deeply to encode");
  switch (v.kind()) {
    case Kind::Null:
      out.push_back(static_cast<char>(kNull));
      return;
    case Kind::Bool:
      out.push_back(static_cast<char>(v.as_bool() ? kTrue : kFalse));
      return;
    case Kind::Number:
      out.push_back(static_cast<char>(v.integral_literal() ? kIntegralNumber : kNumber));
      encode_u64(out, std::bit_cast<std::uint64_t>(v.as_number()));
      return;
    case Kind::Int:
      out.push_back(static_cast<char>(kInt));
      encode_u64(out, static_cast<std::uint64_t>(v.as_int()));
      return;
    case Kind::Time:
      out.push_back(static_cast<char>(kTime));
      encode_u64(out, static_cast<std::uint64_t>(v.as_time_nanos()));
      return;
    case Kind::String:
    case Kind::JsonNumber:
      out.push_back(static_cast<char>(v.is_string() ? kString : kJsonNumber));
      encode_bytes(out, v.as_string());
      return;
    case Kind::Array:
    case Kind::RecordList: {
      check_stack_depth();
      out.push_back(static_cast<char>(v.is_record_list() ? kRecordList
                                      : v.is_nil_array() ? kNilArray
                                                         : kArray));
      const Array& items = v.as_array();
      encode_varint(out, items.size());
      for (const Value& item : items) encode_at(out, item, depth + 1);
      return;
    }
    case Kind::Object: {
      check_stack_depth();
      out.push_back(static_cast<char>(kObject));
      const Object& obj = v.as_object();
      encode_varint(out, obj.size());
      for (const auto& [key, item] : obj) {
        encode_bytes(out, key);
        encode_at(out, item, depth + 1);
      }
      return;
    }
  }
}

// A count read from the input can claim at most one element per remaining
// byte: no allocation larger than the input itself.
std::size_t decode_count(std::string_view in, std::size_t& pos) {
  const std::uint64_t n = decode_varint(in, pos);
  if (n > in.size() - pos) throw ValueDecodeError("count larger than the input");
  return static_cast<std::size_t>(n);
}

Value decode_at(std::string_view in, std::size_t& pos, std::size_t depth) {
  if (pos >= in.size()) throw ValueDecodeError("truncated value");
  if (depth > kMaxDepth) throw ValueDecodeError("value nested too deeply");
  const auto tag = static_cast<unsigned char>(in[pos++]);
  switch (tag) {
    case kNull:
      return Value();
    case kFalse:
    case kTrue:
      return Value::boolean(tag == kTrue);
    case kNumber:
    case kIntegralNumber:
      return Value::number(std::bit_cast<double>(decode_u64(in, pos)), tag == kIntegralNumber);
    case kInt:
      return Value::integer(static_cast<std::int64_t>(decode_u64(in, pos)));
    case kTime:
      return Value::time(static_cast<std::int64_t>(decode_u64(in, pos)));
    case kString:
      return Value::string(decode_bytes(in, pos));
    case kJsonNumber:
      return Value::json_number(std::string(decode_bytes(in, pos)));
    case kArray:
    case kNilArray:
    case kRecordList: {
      check_stack_depth();
      const std::size_t n = decode_count(in, pos);
      if (tag == kNilArray) {
        if (n != 0) throw ValueDecodeError("nil array with elements");
        return Value::nil_array();
      }
      Array items;
      items.reserve(n);
      for (std::size_t i = 0; i < n; ++i) items.push_back(decode_at(in, pos, depth + 1));
      return tag == kRecordList ? Value::record_list(std::move(items))
                                : Value::array(std::move(items));
    }
    case kObject: {
      check_stack_depth();
      const std::size_t n = decode_count(in, pos);
      std::vector<Object::Entry> entries;
      entries.reserve(n);
      for (std::size_t i = 0; i < n; ++i) {
        std::string key(decode_bytes(in, pos));
        if (!entries.empty() && !(entries.back().first < key)) {
          throw ValueDecodeError("object keys out of order");
        }
        entries.emplace_back(std::move(key), decode_at(in, pos, depth + 1));
      }
      return Value::object(Object::from_sorted_unique(std::move(entries)));
    }
    default:
      throw ValueDecodeError("unknown value tag " + std::to_string(tag));
  }
}

}  // namespace

void encode_varint(std::string& out, std::uint64_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

std::uint64_t decode_varint(std::string_view in, std::size_t& pos) {
  std::uint64_t n = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) throw ValueDecodeError("truncated length");
    const auto byte = static_cast<unsigned char>(in[pos++]);
    n |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return n;
  }
  throw ValueDecodeError("length too long");
}

void encode_bytes(std::string& out, std::string_view bytes) {
  encode_varint(out, bytes.size());
  out.append(bytes);
}

std::string_view decode_bytes(std::string_view in, std::size_t& pos) {
  const std::uint64_t n = decode_varint(in, pos);
  if (n > in.size() - pos) throw ValueDecodeError("truncated string");
  std::string_view bytes = in.substr(pos, static_cast<std::size_t>(n));
  pos += static_cast<std::size_t>(n);
  return bytes;
}

void encode_value(std::string& out, const Value& v) {
  encode_at(out, v, 0);
}

Value decode_value(std::string_view in, std::size_t& pos) {
  return decode_at(in, pos, 0);
}

}  // namespace thaiyyal
