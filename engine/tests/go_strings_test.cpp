// Substring search in linear time (engine/go/strings.hpp): the same answers as
// std::string_view::find, without its O(n·m) worst case.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "engine/go/strings.hpp"

namespace thaiyyal::go {
namespace {

TEST(FindSubstring, AnswersAsStringViewFind) {
  const std::string_view hay = "abcabcabd";
  for (std::string_view needle : {"", "a", "abd", "cab", "abcabcabd", "abcabcabdx", "x", "bcab"}) {
    for (std::size_t pos = 0; pos <= hay.size() + 1; ++pos) {
      EXPECT_EQ(find_substring(hay, needle, pos), hay.find(needle, pos))
          << "needle " << needle << " pos " << pos;
    }
  }
}

TEST(FindSubstring, FindsANeedleThatAlmostMatchesEverywhere) {
  // The worst case of a naive search: every position matches all but the
  // needle's last byte.
  const std::string hay = std::string(1 << 20, 'a') + "b";
  const std::string needle = std::string(1 << 19, 'a') + "b";
  EXPECT_EQ(find_substring(hay, needle), (1u << 20) - (1u << 19));
  EXPECT_EQ(find_substring(hay, needle + "b"), std::string_view::npos);
}

TEST(FindSubstring, HandlesEmbeddedNulBytes) {
  const std::string hay("a\0b\0c", 5);
  EXPECT_EQ(find_substring(hay, std::string_view("\0c", 2)), 3u);
}

}  // namespace
}  // namespace thaiyyal::go
