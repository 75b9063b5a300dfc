// The stack bound every recursive walk checks (common/stack_depth.hpp):
// recursion ends with StackDepthExceeded at the thread's floor instead of
// overflowing the stack, and hosts can raise the floor for a scope.
#include <gtest/gtest.h>

#include "engine/common/stack_depth.hpp"

namespace thaiyyal {
namespace {

// Recursion that neither inlines nor turns into a loop: the volatile local
// keeps every frame alive until the call below it returns.
[[gnu::noinline]] int recurse(int n) {
  check_stack_depth();
  volatile char frame[128];
  frame[0] = static_cast<char>(n);
  const int below = n == 0 ? 0 : recurse(n - 1);
  return below + frame[0];
}

TEST(StackDepth, ShallowRecursionPasses) {
  EXPECT_NO_THROW(recurse(100));
}

TEST(StackDepth, WithoutALimitTheThreadsOwnStackEndsUnboundedRecursion) {
  // 100 million frames are far more than any thread's stack holds: without
  // the check this test dies of SIGSEGV.
  EXPECT_THROW(recurse(100'000'000), StackDepthExceeded);
}

TEST(StackDepth, ALimitBoundsRecursionToItsBudget) {
  StackLimit limit(StackLimit::floor_below_caller(64 * 1024));
  // Well within 64 KB (frames are at most a few hundred bytes).
  EXPECT_NO_THROW(recurse(20));
  // 10,000 frames of at least 128 bytes do not fit in 64 KB, but fit the
  // thread's own stack many times over.
  EXPECT_THROW(recurse(10'000), StackDepthExceeded);
}

TEST(StackDepth, AFloorAboveTheCurrentFrameFailsTheNextCheck) {
  StackLimit limit(detail::current_frame() + 4096);
  EXPECT_TRUE(stack_too_deep());
  EXPECT_THROW(check_stack_depth(), StackDepthExceeded);
}

TEST(StackDepth, AnInnerLimitNeverLowersAnOuterOne) {
  StackLimit outer(StackLimit::floor_below_caller(64 * 1024));
  {
    StackLimit inner(StackLimit::floor_below_caller(64 * 1024 * 1024));
    EXPECT_THROW(recurse(10'000), StackDepthExceeded);
  }
}

TEST(StackDepth, ALimitEndsWithItsScope) {
  {
    StackLimit limit(detail::current_frame() + 4096);
    EXPECT_TRUE(stack_too_deep());
  }
  EXPECT_FALSE(stack_too_deep());
  EXPECT_NO_THROW(recurse(10'000));
}

TEST(StackDepth, TheErrorSaysWhatPostgresSays) {
  EXPECT_STREQ(StackDepthExceeded().what(),
               "stack depth limit exceeded (a value or expression is nested too deeply)");
}

}  // namespace
}  // namespace thaiyyal
