// Per-thread scratch vectors: a builder borrows the thread's vector for its
// duration and gives it back empty but with its capacity, so the next
// compile or run does not allocate it again (a backend compiles and runs
// many workflows one after the other). A nested user (a compile inside a
// compile) finds the vector already borrowed and simply starts with an empty
// one of its own. A vector that grew beyond kKeptScratch elements is freed
// rather than kept: one huge payload should not pin its memory.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

inline constexpr std::size_t kKeptScratch = 4096;

// Tag distinguishes two scratch vectors of the same element type.
template <class T, class Tag = void>
class ScratchVector {
 public:
  ScratchVector() noexcept { items.swap(cache()); }
  ~ScratchVector() {
    items.clear();
    if (items.capacity() <= kKeptScratch) items.swap(cache());
  }
  ScratchVector(const ScratchVector&) = delete;
  ScratchVector& operator=(const ScratchVector&) = delete;

  std::vector<T> items;

 private:
  static std::vector<T>& cache() noexcept {
    static thread_local std::vector<T> kept;
    return kept;
  }
};

}  // namespace thaiyyal
