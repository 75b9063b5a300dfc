// Go's net.ParseIP and IP.String() (engine/go/net_ip.hpp), with the answers
// of Go's net and net/netip tests.
#include <gtest/gtest.h>

#include <string>

#include "engine/go/net_ip.hpp"

namespace thaiyyal::go {
namespace {

// The address as IP.String() writes it, or "nil" when ParseIP refuses it.
std::string round_trip(const std::string& text) {
  auto ip = parse_ip(text);
  return ip ? format_ip(*ip) : "nil";
}

TEST(GoNetIp, Ipv4) {
  EXPECT_EQ(round_trip("192.168.0.1"), "192.168.0.1");
  EXPECT_EQ(round_trip("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(round_trip("255.255.255.255"), "255.255.255.255");
  EXPECT_TRUE(parse_ip("127.0.0.1")->is_v4());
  // No leading zeros (they read as octal elsewhere), no short forms.
  for (const char* bad : {"01.2.3.4", "1.2.3.04", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3",
                          ".1.2.3", "1.2.3.", "1.2.3.4 ", "0x1.2.3.4", "", "localhost"}) {
    EXPECT_EQ(round_trip(bad), "nil") << bad;
  }
}

TEST(GoNetIp, Ipv6) {
  EXPECT_EQ(round_trip("::"), "::");
  EXPECT_EQ(round_trip("::1"), "::1");
  EXPECT_EQ(round_trip("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
  EXPECT_EQ(round_trip("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(round_trip("1:2:3:4:5:6:1.2.3.4"), "1:2:3:4:5:6:102:304");
  EXPECT_EQ(round_trip("64:ff9b::169.254.169.254"), "64:ff9b::a9fe:a9fe");
  EXPECT_FALSE(parse_ip("::1")->is_v4());
  for (const char* bad : {"12345::", "1::2::3", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:8:9",
                          "1:2:3:4:5:6:7", ":1::", "1:", "1:2:3:4:5:1.2.3.4", "::1.2.3",
                          "::01.2.3.4", "::g", "fe80::1%eth0", "%eth0", "1:2:3:4:5:6:7:8:"}) {
    EXPECT_EQ(round_trip(bad), "nil") << bad;
  }
}

TEST(GoNetIp, Ipv4MappedIsIpv4) {
  auto ip = parse_ip("::ffff:10.1.2.3");
  ASSERT_TRUE(ip);
  EXPECT_TRUE(ip->is_v4());
  EXPECT_EQ(format_ip(*ip), "10.1.2.3");
  EXPECT_EQ(round_trip("::FFFF:0a01:0203"), "10.1.2.3");
}

TEST(GoNetIp, StringCompressesTheFirstLongestZeroRun) {
  EXPECT_EQ(round_trip("1:0:0:1:0:0:0:1"), "1:0:0:1::1");
  EXPECT_EQ(round_trip("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
  // A single zero group stays.
  EXPECT_EQ(round_trip("1:2:3:4:5:6:0:8"), "1:2:3:4:5:6:0:8");
  // Go never writes a dotted tail for an IPv6 address (the C library's
  // inet_ntop writes "::1.2.3.4" for this IPv4-compatible one).
  EXPECT_EQ(round_trip("::1.2.3.4"), "::102:304");
  EXPECT_EQ(round_trip("::ffff:0:1.2.3.4"), "::ffff:0:102:304");
}

}  // namespace
}  // namespace thaiyyal::go
