#include "engine/common/stack_depth.hpp"

#include <pthread.h>

#include <cstdint>

namespace thaiyyal {

namespace {

// Room left below the floor for what runs after the last check: throwing and
// unwinding, allocation, formatting helpers. Generous: sanitizer builds have
// much larger frames.
constexpr std::size_t kSafetyMargin = 256 * 1024;
// Used when the thread's stack cannot be determined.
constexpr std::size_t kFallbackBudget = 1024 * 1024;

const char* below(const char* frame, std::size_t bytes) noexcept {
  const auto address = reinterpret_cast<std::uintptr_t>(frame);
  return reinterpret_cast<const char*>(address > bytes ? address - bytes : 0);
}

}  // namespace

StackDepthExceeded::StackDepthExceeded()
    : std::runtime_error(
          "stack depth limit exceeded (a value or expression is nested too deeply)") {}

namespace detail {

[[gnu::tls_model("initial-exec")]] thread_local constinit const char* stack_floor = nullptr;

const char* init_default_stack_floor() noexcept {
  const char* frame = current_frame();
  const char* floor = below(frame, kFallbackBudget);
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* low = nullptr;
    std::size_t size = 0;
    if (pthread_attr_getstack(&attr, &low, &size) == 0 && low != nullptr &&
        static_cast<const char*>(low) < frame) {
      const char* lowest = static_cast<const char*>(low);
      const char* with_margin = lowest + kSafetyMargin;
      // A stack smaller than the margin (never seen) keeps the fallback.
      if (with_margin < frame) floor = with_margin;
    }
    pthread_attr_destroy(&attr);
  }
  stack_floor = floor;
  return floor;
}

void throw_stack_depth_exceeded() {
  throw StackDepthExceeded();
}

}  // namespace detail

// previous_ is never null: restoring must not make the next check compute the
// default again (pthread_getattr_np reads /proc/self/maps on the main thread).
StackLimit::StackLimit(const char* floor) noexcept
    : previous_(detail::stack_floor != nullptr ? detail::stack_floor
                                               : detail::init_default_stack_floor()) {
  detail::stack_floor = floor > previous_ ? floor : previous_;
}

StackLimit::~StackLimit() {
  detail::stack_floor = previous_;
}

const char* StackLimit::floor_below_caller(std::size_t budget) noexcept {
  return below(detail::current_frame(), budget);
}

}  // namespace thaiyyal
