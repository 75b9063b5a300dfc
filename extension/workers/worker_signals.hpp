// SIGINT in a background worker. PostgreSQL's handler would cancel whatever
// the worker does next, its own bookkeeping included (a claim, a run's
// finishing transaction). A worker installs this one instead: SIGINT
// cancels the statement of a SQL node that is running (thaiyyal.cancel and
// lease expiry send it, queue_shmem.hpp signal_stop), and is ignored
// anywhere else -- the stop reason in the worker's slot still stops the run
// at its next node boundary or wait.
#pragma once

namespace thaiyyal::pg {

void install_worker_sigint_handler() noexcept;

// While one exists, SIGINT cancels the current statement; at its end a
// cancel that arrived but was not acted on is dropped and the statement
// timeout it armed (arm_statement_timeout) is disarmed.
class CancellableSqlSection {
 public:
  CancellableSqlSection() noexcept;
  ~CancellableSqlSection();
  CancellableSqlSection(const CancellableSqlSection&) = delete;
  CancellableSqlSection& operator=(const CancellableSqlSection&) = delete;

  // statement_timeout for the statements of this section (SPI does not arm
  // it, only the client protocol does); <= 0: none.
  void arm_statement_timeout(int milliseconds);

 private:
  bool armed_ = false;
};

}  // namespace thaiyyal::pg
