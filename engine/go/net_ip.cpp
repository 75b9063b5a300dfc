#include "engine/go/net_ip.hpp"

namespace thaiyyal::go {
namespace {

// netip's parseIPv4 over the whole of s: four decimal fields of 0..255,
// none empty, none with a leading zero.
bool parse_v4(std::string_view s, std::uint8_t* out) {
  int value = 0;
  int digits = 0;
  int field = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (digits == 1 && value == 0) return false;
      value = value * 10 + (c - '0');
      ++digits;
      if (value > 255) return false;
    } else if (c == '.') {
      if (i == 0 || i + 1 == s.size() || s[i - 1] == '.' || field == 3) return false;
      out[field++] = static_cast<std::uint8_t>(value);
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (field < 3) return false;
  out[3] = static_cast<std::uint8_t>(value);
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// netip's parseIPv6 for text without a zone.
bool parse_v6(std::string_view s, std::uint8_t* ip) {
  int ellipsis = -1;  // byte offset where "::" stands
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) return true;  // "::"
  }
  int filled = 0;
  while (filled < 16) {
    std::size_t len = 0;
    std::uint32_t group = 0;
    for (; len < s.size(); ++len) {
      const int d = hex_digit(s[len]);
      if (d < 0) break;
      if (len == 4) return false;  // at most four digits a group
      group = group << 4 | static_cast<std::uint32_t>(d);
    }
    if (len == 0) return false;
    if (len < s.size() && s[len] == '.') {
      // A dotted quad stands for the last two groups, or anywhere after a
      // "::" as long as it fits.
      if ((ellipsis < 0 && filled != 12) || filled + 4 > 16) return false;
      if (!parse_v4(s, ip + filled)) return false;
      filled += 4;
      s = {};
      break;
    }
    ip[filled] = static_cast<std::uint8_t>(group >> 8);
    ip[filled + 1] = static_cast<std::uint8_t>(group);
    filled += 2;
    s.remove_prefix(len);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return false;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return false;
      ellipsis = filled;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return false;
  if (filled < 16) {
    if (ellipsis < 0) return false;
    // Slide what followed the "::" to the end; zeros fill the gap.
    const int gap = 16 - filled;
    for (int j = filled - 1; j >= ellipsis; --j) ip[j + gap] = ip[j];
    for (int j = ellipsis; j < ellipsis + gap; ++j) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return false;  // "::" must stand for at least one zero group
  }
  return true;
}

void append_hex_group(std::string& out, unsigned group) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned d = (group >> shift) & 15;
    if (d == 0 && !started && shift > 0) continue;
    started = true;
    out += kHex[d];
  }
}

}  // namespace

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress ip;
  ip.bytes[10] = 0xff;
  ip.bytes[11] = 0xff;
  ip.bytes[12] = a;
  ip.bytes[13] = b;
  ip.bytes[14] = c;
  ip.bytes[15] = d;
  return ip;
}

bool IpAddress::is_v4() const {
  for (int i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  // The first '.' or ':' decides the family, as in netip.ParseAddr. A zone
  // ('%') is never accepted: ParseIP refuses zoned addresses.
  for (char c : text) {
    if (c == '.') {
      IpAddress ip = IpAddress::v4(0, 0, 0, 0);
      if (!parse_v4(text, &ip.bytes[12])) return std::nullopt;
      return ip;
    }
    if (c == ':') {
      if (text.find('%') != std::string_view::npos) return std::nullopt;
      IpAddress ip;
      if (!parse_v6(text, ip.bytes.data())) return std::nullopt;
      return ip;
    }
    if (c == '%') return std::nullopt;
  }
  return std::nullopt;
}

std::string format_ip(const IpAddress& ip) {
  const auto& b = ip.bytes;
  std::string out;
  if (ip.is_v4()) {
    for (int i = 12; i < 16; ++i) {
      if (i > 12) out += '.';
      out += std::to_string(b[i]);
    }
    return out;
  }
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<unsigned>(b[2 * i] << 8 | b[2 * i + 1]);
  // The first longest run of at least two zero groups becomes "::".
  int run_start = -1;
  int run_len = 1;
  for (int i = 0; i < 8; ++i) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > run_len) {
      run_start = i;
      run_len = j - i;
    }
  }
  for (int i = 0; i < 8; ++i) {
    if (i == run_start) {
      out += "::";
      i += run_len - 1;
      continue;
    }
    if (i > 0 && i != run_start + run_len) out += ':';
    append_hex_group(out, groups[i]);
  }
  return out;
}

}  // namespace thaiyyal::go
