// Go's net.IP as the http node's address checks see it: net.ParseIP (which
// is netip.ParseAddr without zones) and IP.String().
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go {

// An IP address in 16 bytes; IPv4 is stored IPv4-mapped (::ffff:a.b.c.d),
// as Go's net.IP does.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  // ::ffff:a.b.c.d.
  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  // IPv4 or IPv4-mapped (Go's To4() != nil).
  bool is_v4() const;
};

// Go net.ParseIP: dotted quad (no leading zeros, no shorthand forms) or
// IPv6 text (at most 4 hex digits a group, an embedded dotted quad only at
// the end, no zone).
std::optional<IpAddress> parse_ip(std::string_view text);
// Go net.IP.String(): a dotted quad for IPv4(-mapped) addresses, otherwise
// RFC 5952 (lower case, the longest run of two or more zero groups as "::",
// never a dotted tail).
std::string format_ip(const IpAddress& ip);

}  // namespace thaiyyal::go
