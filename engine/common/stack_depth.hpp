// A bound on every recursion the engine drives with data it did not write.
//
// Values built at run time can nest far deeper than the 512 levels allowed
// on input (a `reduce` with `[accumulator]` nests once per element, nodes
// chain), and a recursive walk over such a value would overflow the C stack:
// SIGSEGV, and inside PostgreSQL a restart of the whole cluster. Every
// recursive function over values, schemas or syntax trees therefore calls
// check_stack_depth() on entry (where it descends into a container), which
// throws StackDepthExceeded once the current frame is below the thread's
// stack floor. The exception unwinds like any other; execute() turns it into
// the failure of the node that was running.
//
// The floor is the innermost StackLimit alive on the thread (the PostgreSQL
// extension derives one from max_stack_depth), or by default the thread's own
// stack as pthread_getattr_np reports it, minus a margin for what runs below
// the last check (the unwinder, libc, non-recursive helpers).
#pragma once

#include <cstddef>
#include <stdexcept>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

// The text matches PostgreSQL's own error ("stack depth limit exceeded").
class StackDepthExceeded : public std::runtime_error {
 public:
  StackDepthExceeded();
};

namespace detail {
// Lowest address recursion may reach on this thread; null until the first
// check computes the thread's default. initial-exec: read on every check, and
// in the extension (a dlopen'ed -fPIC library) the default TLS model would
// call __tls_get_addr each time.
[[gnu::tls_model("initial-exec")]] extern thread_local constinit const char* stack_floor;
// Computes, stores and returns the thread's default floor.
const char* init_default_stack_floor() noexcept;
[[noreturn]] void throw_stack_depth_exceeded();

// The stack pointer, read from the register: one instruction, and unlike
// __builtin_frame_address(0) it does not force a frame pointer onto the
// recursive functions that check (the JSON parser was 8% slower with it).
// Not the address of a local: under AddressSanitizer locals may live on a
// heap-allocated fake stack.
inline const char* current_frame() noexcept {
  const char* sp;
#if defined(__x86_64__)
  asm volatile("mov %%rsp, %0" : "=r"(sp));
#elif defined(__aarch64__)
  asm volatile("mov %0, sp" : "=r"(sp));
#else
  sp = static_cast<const char*>(__builtin_frame_address(0));
#endif
  return sp;
}
}  // namespace detail

// Whether the caller's frame is below the floor. Stacks grow downwards on
// every platform PostgreSQL supports on Linux.
inline bool stack_too_deep() noexcept {
  const char* floor = detail::stack_floor;
  if (floor == nullptr) floor = detail::init_default_stack_floor();
  return detail::current_frame() < floor;
}

// Throws StackDepthExceeded when the caller's frame is below the floor.
inline void check_stack_depth() {
  if (stack_too_deep()) detail::throw_stack_depth_exceeded();
}

// Raises the thread's stack floor for its lifetime (never lowers it: an outer
// limit stays in force), restoring the previous one on destruction. Scopes
// nest strictly (RAII on one thread).
class StackLimit {
 public:
  // Recursion may go down to `floor` (an address on this thread's stack).
  explicit StackLimit(const char* floor) noexcept;
  StackLimit(const StackLimit&) = delete;
  StackLimit& operator=(const StackLimit&) = delete;
  ~StackLimit();

  // A limit `budget` bytes below the caller's frame.
  static const char* floor_below_caller(std::size_t budget) noexcept;

 private:
  const char* previous_;
};

}  // namespace thaiyyal
