// PgHost: the engine's Host on top of a PostgreSQL backend (see pg_host.hpp).
#include <climits>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "engine/http/curl_client.hpp"
#include "engine/http/http_types.hpp"
#include "engine/thaiyyal.hpp"

#include "engine/go/unicode.hpp"
#include "extension/run/pg_host.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

std::int64_t clock_nanos(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// The lowest address PostgreSQL's check_stack_depth() lets the stack reach:
// max_stack_depth (kB) below its stack base. The base is not exported;
// set_stack_base() returns it (after making the current frame the base) and
// restore_stack_base() puts it back; neither can fail. Null (no bound of our
// own; the engine then uses the thread's stack) if PostgreSQL has none.
const char* postgres_stack_floor() noexcept {
  const pg_stack_base_t base = set_stack_base();
  restore_stack_base(base);
  const char* top = base;
  const auto depth = static_cast<std::uintptr_t>(max_stack_depth) * 1024;
  const auto address = reinterpret_cast<std::uintptr_t>(top);
  if (top == nullptr || address <= depth) return nullptr;
  return reinterpret_cast<const char*>(address - depth);
}

}  // namespace

PgHost::PgHost() : stack_limit_(postgres_stack_floor()) {}

template <typename Fn>
void PgHost::guarded(Fn&& fn) {
  rethrow_pending_error();
  try {
    pg_call(std::forward<Fn>(fn));
  } catch (const PgError& e) {
    has_pending_error_ = true;
    pending_error_ = e.edata();
    throw;
  }
}

void PgHost::rethrow_pending_error() const {
  if (has_pending_error_) throw PgError(pending_error_);
}

void PgHost::check_interrupts() {
  rethrow_pending_error();
  // Reading the flag is all CHECK_FOR_INTERRUPTS does when nothing is
  // pending; only enter the guard when there is something to process.
  if (observer_ != nullptr) {
    if (const char* stop = observer_->stop_requested()) {
      guarded([stop]() noexcept {
        ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg_internal("%s", stop)));
      });
    }
  }
  if (!INTERRUPTS_PENDING_CONDITION()) return;
  guarded([]() noexcept { CHECK_FOR_INTERRUPTS(); });
}

std::int64_t PgHost::now_unix_nanos() {
  return clock_nanos(CLOCK_REALTIME);
}

std::int64_t PgHost::monotonic_nanos() {
  return clock_nanos(CLOCK_MONOTONIC);
}

void PgHost::sleep_nanos(std::int64_t nanos) {
  check_interrupts();
  if (nanos <= 0) return;
  const std::int64_t deadline = monotonic_nanos() + nanos;
  for (;;) {
    check_interrupts();  // the latch is also how a worker learns of a cancel
    const std::int64_t remaining = deadline - monotonic_nanos();
    if (remaining <= 0) return;
    std::int64_t millis = (remaining + 999999) / 1000000;
    if (millis > INT_MAX) millis = INT_MAX;
    const long timeout = static_cast<long>(millis);
    guarded([timeout]() noexcept {
      (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, timeout,
                      PG_WAIT_EXTENSION);
      ResetLatch(MyLatch);
      CHECK_FOR_INTERRUPTS();
    });
  }
}

void PgHost::log_debug(std::string_view message) {
  rethrow_pending_error();
  if (!message_level_is_interesting(DEBUG1)) return;
  std::string text;
  if (GetDatabaseEncoding() == PG_UTF8) {
    go::unicode::append_repaired(text, message);
  } else {
    for (char c : message) text += (static_cast<unsigned char>(c) < 0x80 && c != '\0') ? c : '?';
  }
  const char* p = text.c_str();
  guarded([p]() noexcept { ereport(DEBUG1, errmsg_internal("thaiyyal: %s", p)); });
}

HttpResponse PgHost::http_get(const HttpRequest& request) {
  rethrow_pending_error();
  HttpResponse response = http::curl_get(request);
  rethrow_pending_error();
  return response;
}

}  // namespace thaiyyal::pg
