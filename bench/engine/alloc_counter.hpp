// Counts heap allocations made by this thread while a scope is active, via
// replaced global operator new (alloc_counter.cpp). Benchmarks only.
#pragma once

#include <cstddef>
#include <cstdint>

namespace thaiyyal::bench {

struct AllocationCounters {
  std::uint64_t allocations = 0;
  std::uint64_t bytes = 0;
};

// The calling thread's running totals.
AllocationCounters& thread_counters();

class AllocationScope {
 public:
  AllocationScope() : start_(thread_counters()) {}
  void stop() {
    if (!stopped_) {
      end_ = thread_counters();
      stopped_ = true;
    }
  }
  std::uint64_t allocations() const { return end_.allocations - start_.allocations; }
  std::uint64_t bytes() const { return end_.bytes - start_.bytes; }

 private:
  AllocationCounters start_;
  AllocationCounters end_;
  bool stopped_ = false;
};

}  // namespace thaiyyal::bench
