#include "bench/engine/alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace thaiyyal::bench {

AllocationCounters& thread_counters() {
  static thread_local AllocationCounters counters;
  return counters;
}

}  // namespace thaiyyal::bench

namespace {

void* counted_alloc(std::size_t size) {
  auto& c = thaiyyal::bench::thread_counters();
  ++c.allocations;
  c.bytes += size;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) {
  return counted_alloc(size);
}
void* operator new[](std::size_t size) {
  return counted_alloc(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_alloc(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
