// A hash for short keys (node ids, type names): FNV-1a over the bytes with
// a final mix, for the small open-addressing tables of the compile, where
// a byte loop costs less than a call to a general-purpose hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

inline std::size_t short_key_hash(std::string_view key) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

}  // namespace thaiyyal
