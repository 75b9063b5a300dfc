// Interrupt checks inside every loop that can run long.
//
// A run must stay cancellable (statement_timeout, pg_cancel_backend,
// thaiyyal.cancel) wherever it spends time: node loops, sorting, string
// building, JSON writing, recursive walks over large values. The Host
// (engine/run/host.hpp) is an Interruptible; node code polls it through an
// InterruptPoll. Code with no Host at hand (the JSON writer, comparisons,
// value walks) polls the thread's current source, which execute() installs
// for the duration of a run (InterruptScope).
#pragma once

#include <cstdint>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

class Interruptible {
 public:
  virtual ~Interruptible() = default;
  // Throws (any exception type the implementation chooses) to abandon the
  // work in progress.
  virtual void check_interrupts() = 0;
};

// Units of work between two interrupt checks (a unit: one loop iteration or
// recursion step, tens of nanoseconds).
inline constexpr std::uint64_t kInterruptInterval = 1024;

namespace detail {
struct ThreadInterrupts {
  Interruptible* source = nullptr;
  std::uint64_t ticks = 0;
  std::uint64_t next_check = kInterruptInterval;
};
void poll_thread_source();
// initial-exec: see stack_depth.hpp; constinit: no TLS wrapper call.
[[gnu::tls_model("initial-exec")]] extern thread_local constinit ThreadInterrupts thread_interrupts;
}  // namespace detail

// Makes `source` the thread's interrupt source for the scope's lifetime,
// restoring the previous one (scopes nest, e.g. a run started by a SQL node
// of another run).
class InterruptScope {
 public:
  explicit InterruptScope(Interruptible& source) noexcept
      : previous_(detail::thread_interrupts.source) {
    detail::thread_interrupts.source = &source;
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
  ~InterruptScope() { detail::thread_interrupts.source = previous_; }

 private:
  Interruptible* previous_;
};

// `units` of work (one loop iteration or recursion step each) on the
// thread's shared counter; every kInterruptInterval units the thread's
// current source (if any) is checked. For recursive walks and helpers that
// have no poll object of their own.
inline void poll_interrupts(std::uint64_t units = 1) {
  detail::ThreadInterrupts& t = detail::thread_interrupts;
  t.ticks += units;
  if (t.ticks >= t.next_check) detail::poll_thread_source();
}

// Polls a source every `interval` units of work: tick() in the body of a
// loop, tick(n) where one iteration does n units (bytes copied, ...).
class InterruptPoll {
 public:
  // The thread's current source (none: ticks are free and never check).
  InterruptPoll() noexcept : InterruptPoll(detail::thread_interrupts.source) {}
  explicit InterruptPoll(Interruptible& source,
                         std::uint64_t interval = kInterruptInterval) noexcept
      : InterruptPoll(&source, interval) {}

  void tick(std::uint64_t units = 1) {
    work_ += units;
    if (work_ >= next_) poll();
  }

 private:
  InterruptPoll(Interruptible* source, std::uint64_t interval = kInterruptInterval) noexcept
      : source_(source), interval_(interval), next_(interval) {}
  void poll() {
    next_ = work_ + interval_;
    if (source_ != nullptr) source_->check_interrupts();
  }

  Interruptible* source_;
  std::uint64_t interval_;
  std::uint64_t work_ = 0;
  std::uint64_t next_;
};

}  // namespace thaiyyal
