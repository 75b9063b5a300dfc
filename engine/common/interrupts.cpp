#include "engine/common/interrupts.hpp"

namespace thaiyyal::detail {

[[gnu::tls_model("initial-exec")]] thread_local constinit ThreadInterrupts thread_interrupts;

void poll_thread_source() {
  ThreadInterrupts& t = thread_interrupts;
  t.next_check = t.ticks + kInterruptInterval;
  if (t.source != nullptr) t.source->check_interrupts();
}

}  // namespace thaiyyal::detail
