// A worker's SIGINT (see worker_signals.hpp).
#include "extension/workers/worker_signals.hpp"

#include <csignal>

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "tcop/tcopprot.h"
#include "utils/timeout.h"
}

namespace thaiyyal::pg {

namespace {

volatile sig_atomic_t sql_running = 0;

void worker_sigint(SIGNAL_ARGS) {
  if (sql_running) StatementCancelHandler(postgres_signal_arg);
}

}  // namespace

void install_worker_sigint_handler() noexcept {
  pqsignal(SIGINT, worker_sigint);
}

CancellableSqlSection::CancellableSqlSection() noexcept {
  sql_running = 1;
}

CancellableSqlSection::~CancellableSqlSection() {
  sql_running = 0;
  if (armed_) disable_timeout(STATEMENT_TIMEOUT, false);
  // Interrupts are processed only where PostgreSQL checks for them; a
  // cancel that came after the last check belongs to this section.
  QueryCancelPending = false;
}

void CancellableSqlSection::arm_statement_timeout(int milliseconds) {
  if (milliseconds <= 0) return;
  pg_call([milliseconds]() noexcept { enable_timeout_after(STATEMENT_TIMEOUT, milliseconds); });
  armed_ = true;
}

}  // namespace thaiyyal::pg
