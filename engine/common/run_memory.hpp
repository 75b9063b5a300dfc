// A memory budget per run (Limits::max_run_memory).
//
// A run's values live in the backend's heap; without a bound a payload of a
// few kilobytes (a 1 MiB `repeat`, then `concat` doubling it over a dozen
// nodes, every result kept) takes gigabytes, and on a database server that
// ends with the OOM killer and a restart of every session. execute()
// installs a RunMemoryBudget for the duration of a run:
//
//  * every value box created meanwhile (string, array, object; value.cpp) is
//    charged its footprint before it is allocated, the charge is kept in the
//    box header, and released when the box is freed;
//  * code that builds a large string or array in one go (repeat, concat,
//    the JSON, CSV and %v writers, flatten, CSV reading, expression concat,
//    SQL rows, HTTP bodies) asks ensure_available() first, so an allocation
//    that would not fit never happens;
//  * what a node holds outside values while it works (sort keys' texts,
//    seen keys, validation errors) is charged by a ScopedCharge.
//
// Exceeding the limit throws RunMemoryExceeded; execute() reports it as
// RunOutcome::Status::MemoryExceeded, naming the node that was running.
// The count estimates what values hold (box, string and element buffers),
// not every transient allocation; its cost is a thread-local load and an
// add per box.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "engine/common/checked_size.hpp"
#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

// Not a std::runtime_error on purpose: code that turns runtime errors into
// node errors or error values must not swallow it.
class RunMemoryExceeded final : public std::exception {
 public:
  RunMemoryExceeded(std::uint64_t limit, std::uint64_t requested) noexcept
      : limit_(limit), requested_(requested) {}
  const char* what() const noexcept override { return "run memory limit exceeded"; }
  std::uint64_t limit() const noexcept { return limit_; }
  // The allocation that did not fit, in bytes.
  std::uint64_t requested() const noexcept { return requested_; }

 private:
  std::uint64_t limit_;
  std::uint64_t requested_;
};

class RunMemoryBudget;

namespace detail {
// initial-exec: charged for every box (see stack_depth.hpp).
[[gnu::tls_model("initial-exec")]] extern thread_local constinit RunMemoryBudget* current_budget;
}  // namespace detail

// The thread's budget while it is alive. Budgets nest (a SQL node of one run
// may start another run in the same backend): what the inner run holds is
// also charged to the outer one, so nesting cannot multiply the limit.
class RunMemoryBudget {
 public:
  // `limit` bytes; 0 counts without limiting.
  explicit RunMemoryBudget(std::uint64_t limit) noexcept;
  RunMemoryBudget(const RunMemoryBudget&) = delete;
  RunMemoryBudget& operator=(const RunMemoryBudget&) = delete;
  ~RunMemoryBudget();

  std::uint64_t limit() const { return limit_; }
  std::uint64_t used() const { return used_; }
  // The highest `used` seen.
  std::uint64_t peak() const { return peak_; }

  // Adds `bytes`, or throws RunMemoryExceeded (and adds nothing) when this
  // budget or an enclosing one would exceed its limit.
  void charge(std::uint64_t bytes) {
    if (outer_ == nullptr && (limit_ == 0 || bytes <= limit_ - used_)) {
      used_ += bytes;
      if (used_ > peak_) peak_ = used_;
      return;
    }
    charge_nested(bytes);
  }
  void release(std::uint64_t bytes) noexcept {
    for (RunMemoryBudget* b = this; b != nullptr; b = b->outer_) {
      // A box charged by a run that has ended may be freed during a later
      // one: never below zero.
      b->used_ = bytes < b->used_ ? b->used_ - bytes : 0;
    }
  }
  // Throws RunMemoryExceeded when `bytes` more would not fit; charges
  // nothing.
  void ensure_available(std::uint64_t bytes) const;

 private:
  void charge_nested(std::uint64_t bytes);

  std::uint64_t limit_;
  std::uint64_t used_ = 0;
  std::uint64_t peak_ = 0;
  RunMemoryBudget* outer_;
};

// A size as PostgreSQL shows memory settings: "256MB", "1GB", "64kB",
// "100B" (the largest unit that divides it).
std::string memory_size_text(std::uint64_t bytes);

namespace run_memory {

// The thread's current budget, or nullptr outside any run.
inline RunMemoryBudget* current() noexcept {
  return detail::current_budget;
}

inline void charge(std::uint64_t bytes) {
  if (RunMemoryBudget* b = current()) b->charge(bytes);
}

inline void release(std::uint64_t bytes) noexcept {
  if (RunMemoryBudget* b = current()) b->release(bytes);
}

// "Charge before allocating": call with the size about to be allocated by a
// bulk builder (saturated arithmetic, common/checked_size.hpp, makes an
// overflowing size fail here).
inline void ensure_available(std::uint64_t bytes) {
  if (const RunMemoryBudget* b = current()) b->ensure_available(bytes);
}

// Memory a node holds outside values while it works (the texts of sort
// keys, a set of seen keys, validation errors): charged as it grows and
// released when the holder goes away. One holder lives within one node's
// execution, so charge and release meet the same budget.
class ScopedCharge {
 public:
  ScopedCharge() = default;
  ScopedCharge(const ScopedCharge&) = delete;
  ScopedCharge& operator=(const ScopedCharge&) = delete;
  ~ScopedCharge() { release(bytes_); }

  void add(std::uint64_t bytes) {
    charge(bytes);
    bytes_ += bytes;
  }

 private:
  std::uint64_t bytes_ = 0;
};

// Heap bytes of a std::string of this capacity (libstdc++ keeps up to 15
// characters inside the object).
constexpr std::uint64_t string_heap_bytes(std::size_t capacity) {
  return capacity > 15 ? capacity + 1 : 0;
}

// For loops that append to a vector whose final size the data decides (a
// flatten, a split, rows of a result): before the buffer grows, checks that
// the grown buffer fits.
template <class T>
inline void ensure_room_to_append(const std::vector<T>& v) {
  if (v.size() == v.capacity()) {
    ensure_available(saturating_mul(v.capacity() == 0 ? 1 : 2 * v.capacity(), sizeof(T)));
  }
}

}  // namespace run_memory

}  // namespace thaiyyal
