// Substring search in linear time.
//
// std::string_view::find tries the needle at every position where its first
// byte occurs: O(n·m) in the worst case ("aaa…a" searched for "aa…ab"), which
// for strings of a megabyte is seconds of uninterruptible work. glibc's
// memmem is the Two-Way algorithm: O(n + m), no allocation. Every search for
// a needle that comes from data goes through find_substring.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal::go {

// Like haystack.find(needle, pos): the first position >= pos, or npos.
inline std::size_t find_substring(std::string_view haystack, std::string_view needle,
                                  std::size_t pos = 0) {
  if (pos > haystack.size()) return std::string_view::npos;
  if (needle.empty()) return pos;
  const void* hit =
      memmem(haystack.data() + pos, haystack.size() - pos, needle.data(), needle.size());
  if (hit == nullptr) return std::string_view::npos;
  return static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data());
}

}  // namespace thaiyyal::go
