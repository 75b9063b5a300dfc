// Go's net/url (engine/go/url.hpp). The engine had two ports of it, one for
// the http node and one for the JSON Schema validator, and they disagreed;
// the cases below are where they did, with the answers Go's url package
// gives (its documented behaviour and its url_test.go).
#include <gtest/gtest.h>

#include <string>

#include "engine/go/url.hpp"

namespace thaiyyal::go {
namespace {

// The URL's String(), or "error: " and Go's message.
std::string reparse(const std::string& text) {
  std::string error;
  auto url = Url::parse(text, error);
  return url ? url->string() : "error: " + error;
}

std::string error_of(const std::string& text) {
  std::string error;
  auto url = Url::parse(text, error);
  return url ? "parsed" : error;
}

Url parsed(const std::string& text) {
  std::string error;
  auto url = Url::parse(text, error);
  EXPECT_TRUE(url) << text << ": " << error;
  return url ? *url : Url();
}

TEST(GoUrl, ErrorsQuoteTheTextBeforeTheFragment) {
  // url.Parse reports errors of the part before '#' on that part only, and
  // fragment errors on the whole text.
  EXPECT_EQ(error_of("http://x/%zz#frag"), "parse \"http://x/%zz\": invalid URL escape \"%zz\"");
  EXPECT_EQ(error_of("http://x/#%zz"), "parse \"http://x/#%zz\": invalid URL escape \"%zz\"");
  // A control character after '#' is not checked at all.
  EXPECT_EQ(reparse("http://x/#a\tb"), "http://x/#a%09b");
}

TEST(GoUrl, ErrorsQuoteAsStrconvQuote) {
  EXPECT_EQ(error_of("http://x/\x01"),
            "parse \"http://x/\\x01\": net/url: invalid control character in URL");
  EXPECT_EQ(error_of("http://x/%\xff"), "parse \"http://x/%\\xff\": invalid URL escape \"%\\xff\"");
  EXPECT_EQ(error_of("http://a b\xc2\xa0/"),
            "parse \"http://a b\\u00a0/\": invalid character \" \" in host name");
  EXPECT_EQ(error_of("http://\"q\"\\/"),
            "parse \"http://\\\"q\\\"\\\\/\": invalid character \"\\\\\" in host name");
}

TEST(GoUrl, HostIsStoredUnescapedAndWrittenEscaped) {
  Url url = parsed("http://caf%C3%A9.example:8080/");
  EXPECT_EQ(url.host, "caf\xc3\xa9.example:8080");
  EXPECT_EQ(url.hostname(), "caf\xc3\xa9.example");
  EXPECT_EQ(url.port(), "8080");
  EXPECT_EQ(url.string(), "http://caf%C3%A9.example:8080/");
  // Non-ASCII written bare is escaped by String() too.
  EXPECT_EQ(reparse("http://caf\xc3\xa9.example/"), "http://caf%C3%A9.example/");
}

TEST(GoUrl, HostMayEscapeOnlyNonAscii) {
  EXPECT_EQ(error_of("http://a%41b/"), "parse \"http://a%41b/\": invalid URL escape \"%41\"");
  EXPECT_EQ(error_of("http://a%zz/"), "parse \"http://a%zz/\": invalid URL escape \"%zz\"");
}

TEST(GoUrl, BracketedHostsAreChecked) {
  EXPECT_EQ(error_of("http://[::1/"), "parse \"http://[::1/\": missing ']' in host");
  EXPECT_EQ(error_of("http://[::1]x/"), "parse \"http://[::1]x/\": invalid port \"x\" after host");
  EXPECT_EQ(error_of("http://[::1]:8a/"),
            "parse \"http://[::1]:8a/\": invalid port \":8a\" after host");
  EXPECT_EQ(error_of("http://[::1 x]/"),
            "parse \"http://[::1 x]/\": invalid character \" \" in host name");
  EXPECT_EQ(error_of("http://host:8x/"),
            "parse \"http://host:8x/\": invalid port \":8x\" after host");
}

TEST(GoUrl, Ipv6Zones) {
  Url url = parsed("http://[fe80::1%25en0]:8080/");
  EXPECT_EQ(url.host, "[fe80::1%en0]:8080");
  EXPECT_EQ(url.hostname(), "fe80::1%en0");
  EXPECT_EQ(url.port(), "8080");
  EXPECT_EQ(url.string(), "http://[fe80::1%25en0]:8080/");
  // A zone may escape what it could write bare, and a space (Windows zone
  // names have them), but nothing else.
  EXPECT_EQ(parsed("http://[fe80::1%25%41%200]/").hostname(), "fe80::1%A 0");
  EXPECT_EQ(error_of("http://[fe80::1%25%2F]/"),
            "parse \"http://[fe80::1%25%2F]/\": invalid URL escape \"%2F\"");
  EXPECT_EQ(error_of("http://[fe80::1%25%C3%A9]/"),
            "parse \"http://[fe80::1%25%C3%A9]/\": invalid URL escape \"%C3\"");
  // Outside the zone only non-ASCII may be escaped.
  EXPECT_EQ(error_of("http://[fe80::%31%25en0]/"),
            "parse \"http://[fe80::%31%25en0]/\": invalid URL escape \"%31\"");
}

TEST(GoUrl, UserinfoIsValidatedAndUnescaped) {
  EXPECT_EQ(error_of("http://a b@h/"), "parse \"http://a b@h/\": net/url: invalid userinfo");
  EXPECT_EQ(error_of("http://u%zz@h/"), "parse \"http://u%zz@h/\": invalid URL escape \"%zz\"");
  Url url = parsed("http://a%62c:p%3Aw@h/");
  ASSERT_TRUE(url.user);
  EXPECT_EQ(url.user->username, "abc");
  EXPECT_EQ(url.user->password, "p:w");
  EXPECT_TRUE(url.user->has_password);
  // String() escapes the parts again its own way, not as written.
  EXPECT_EQ(url.string(), "http://abc:p%3Aw@h/");
  EXPECT_EQ(reparse("http://a!b@h/"), "http://a%21b@h/");
  // "u@" is a user with an empty name, "u:@" one with an empty password.
  EXPECT_EQ(reparse("http://@h/"), "http://@h/");
  EXPECT_EQ(reparse("http://u:@h/"), "http://u:@h/");
}

TEST(GoUrl, StripPasswordAsNetHttpDoes) {
  EXPECT_EQ(parsed("http://user:secret@h/p").strip_password(), "http://user:***@h/p");
  EXPECT_EQ(parsed("http://us%65r:secret@h/").strip_password(), "http://user:***@h/");
  // The name goes in unescaped (net/http's stripPassword uses Username()).
  EXPECT_EQ(parsed("http://a%40b:pw@h/").strip_password(), "http://a@b:***@h/");
  EXPECT_EQ(parsed("http://user@h/").strip_password(), "http://user@h/");
  EXPECT_EQ(parsed("http://u:@h/").strip_password(), "http://u:***@h/");
}

TEST(GoUrl, PathKeepsItsEncodingOnlyWhenItIsValid) {
  Url url = parsed("http://h/a%2Fb");
  EXPECT_EQ(url.path, "/a/b");
  EXPECT_EQ(url.raw_path, "/a%2Fb");
  EXPECT_EQ(url.escaped_path(), "/a%2Fb");
  // Go's own escaping needs no hint.
  EXPECT_EQ(parsed("http://h/a%20b").raw_path, "");
  // The raw text holds a byte that needs escaping: Go escapes the decoded
  // path instead, so "%7e" is written "~".
  url = parsed("http://h/%7e b");
  EXPECT_EQ(url.path, "/~ b");
  EXPECT_EQ(url.escaped_path(), "/~%20b");
  EXPECT_EQ(url.string(), "http://h/~%20b");
  // A hint that no longer decodes to the path is ignored.
  url = parsed("http://h/a%2Fb");
  url.path = "/c";
  EXPECT_EQ(url.string(), "http://h/c");
}

TEST(GoUrl, FragmentIsUnescapedAndWrittenEscaped) {
  Url url = parsed("http://h/#a b");
  EXPECT_EQ(url.fragment, "a b");
  EXPECT_EQ(url.escaped_fragment(), "a%20b");
  EXPECT_EQ(url.string(), "http://h/#a%20b");
  url = parsed("http://h/#%7e/x");
  EXPECT_EQ(url.fragment, "~/x");
  EXPECT_EQ(url.string(), "http://h/#%7e/x");
  // Sub-delimiters are a valid encoding as written; Go's own escaping
  // of a fragment keeps all of them but the quote.
  EXPECT_EQ(reparse("http://h/#!$&'()*+,;=:@/?"), "http://h/#!$&'()*+,;=:@/?");
  url = parsed("http://h/");
  url.fragment = "it's (a) [b]";
  EXPECT_EQ(url.string(), "http://h/#it%27s%20(a)%20%5Bb%5D");
  // An empty fragment is no fragment.
  EXPECT_EQ(reparse("http://h/#"), "http://h/");
}

TEST(GoUrl, OmitHost) {
  // "file:/a" has no authority; "file:///a" has an empty one.
  Url url = parsed("file:/a/b");
  EXPECT_TRUE(url.omit_host);
  EXPECT_EQ(url.string(), "file:/a/b");
  EXPECT_EQ(reparse("file:///a/b"), "file:///a/b");
  EXPECT_EQ(reparse("http:/p"), "http:/p");
}

TEST(GoUrl, OpaqueAndRelativeForms) {
  Url url = parsed("mailto:Someone@Example.com?subject=hi");
  EXPECT_EQ(url.scheme, "mailto");
  EXPECT_EQ(url.opaque, "Someone@Example.com");
  EXPECT_EQ(url.raw_query, "subject=hi");
  EXPECT_EQ(url.string(), "mailto:Someone@Example.com?subject=hi");
  EXPECT_EQ(parsed("HTTP://h/").scheme, "http");
  EXPECT_EQ(reparse("http://h/p?"), "http://h/p?");
  EXPECT_EQ(reparse("http://h/p??"), "http://h/p??");
  EXPECT_EQ(reparse("*"), "*");
  EXPECT_EQ(reparse("///x"), "///x");
  EXPECT_EQ(reparse("//h/x"), "//h/x");
  EXPECT_EQ(error_of("a:b/c:d"), "parsed");
  EXPECT_EQ(error_of("1a:b"), "parse \"1a:b\": first path segment in URL cannot contain colon");
  EXPECT_EQ(error_of(":x"), "parse \":x\": missing protocol scheme");
  // A path whose first segment has a colon is written after "./".
  Url path_only;
  path_only.path = "a:b";
  EXPECT_EQ(path_only.string(), "./a:b");
}

std::string resolve(const std::string& base, const std::string& ref) {
  std::string error;
  auto b = Url::parse(base, error);
  auto r = Url::parse(ref, error);
  if (!b || !r) return "error: " + error;
  return b->resolve_reference(*r).string();
}

TEST(GoUrl, ResolveReference) {
  const std::string base = "http://h.example:81/a/b/c?q=1";
  EXPECT_EQ(resolve(base, "/x"), "http://h.example:81/x");
  EXPECT_EQ(resolve(base, "d"), "http://h.example:81/a/b/d");
  EXPECT_EQ(resolve(base, "../d?z"), "http://h.example:81/a/d?z");
  EXPECT_EQ(resolve(base, "../../../../d"), "http://h.example:81/d");
  EXPECT_EQ(resolve(base, "./"), "http://h.example:81/a/b/");
  EXPECT_EQ(resolve(base, ".."), "http://h.example:81/a/");
  EXPECT_EQ(resolve(base, "//other.example/p/../q"), "http://other.example/q");
  EXPECT_EQ(resolve(base, "https://o.example"), "https://o.example");
  EXPECT_EQ(resolve(base, "?only"), "http://h.example:81/a/b/c?only");
  EXPECT_EQ(resolve(base, ""), "http://h.example:81/a/b/c?q=1");
  EXPECT_EQ(resolve(base + "#f", "#g"), "http://h.example:81/a/b/c?q=1#g");
  EXPECT_EQ(resolve(base + "#f", ""), "http://h.example:81/a/b/c?q=1#f");
  // Escapes in the paths survive the merge.
  EXPECT_EQ(resolve("http://h/a%2Fb/c", "d%20e"), "http://h/a%2Fb/d%20e");
  // The user comes from the base unless the reference has an authority.
  EXPECT_EQ(resolve("http://u:p@h/a", "b"), "http://u:p@h/b");
  EXPECT_EQ(resolve("http://u:p@h/a", "//g/b"), "http://g/b");
}

TEST(GoUrl, ResolveAgainstAnOpaqueBase) {
  // A fragment or a query alone keeps the base's opaque part.
  EXPECT_EQ(resolve("mailto:a@b.example", "#f"), "mailto:a@b.example#f");
  EXPECT_EQ(resolve("urn:x:y?q", ""), "urn:x:y?q");
  EXPECT_EQ(resolve("urn:x:y", "?q"), "urn:x:y?q");
  // An opaque reference stands on its own.
  EXPECT_EQ(resolve("http://h/a", "mailto:z@w"), "mailto:z@w");
}

TEST(GoUrl, ResolveDoesNotCarryOmitHostFromTheBase) {
  // ResolveReference copies the reference's fields, and the reference has
  // no OmitHost: the result is written with an (empty) authority.
  EXPECT_EQ(resolve("file:/a/b", "c"), "file:///a/c");
}

}  // namespace
}  // namespace thaiyyal::go
