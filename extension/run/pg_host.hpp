// The engine's Host (engine/run/host.hpp) inside a PostgreSQL backend.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/common/stack_depth.hpp"
#include "engine/http/http_types.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

// What a background worker adds to a run: stopping it (thaiyyal.cancel(),
// an expired lease) and progress for pg_stat_activity.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // Polled by check_interrupts() (node boundaries, waits, HTTP transfers):
  // the message to stop the run with, or nullptr to go on.
  virtual const char* stop_requested() = 0;
  virtual void node_starting(std::string_view node_id, std::string_view node_type) = 0;
};

// One per thaiyyal_execute call, used by one backend thread only.
//
//  * check_interrupts(): CHECK_FOR_INTERRUPTS() under pg_call. A query
//    cancel, statement_timeout or any other ERROR it raises travels through
//    the engine's frames as a PgError and is re-raised unchanged (SQLSTATE
//    57014 etc.) by the entry point's invoke_cpp. A FATAL (backend
//    termination) exits the process directly, as it would anywhere else.
//  * now_unix_nanos(): the real wall clock (CLOCK_REALTIME), not the
//    transaction timestamp: the reference engine reads time.Now() during the
//    run, and thaiyyal_execute is VOLATILE.
//  * monotonic_nanos(): CLOCK_MONOTONIC.
//  * sleep_nanos(): WaitLatch on MyLatch (latch set, timeout, postmaster
//    death exits) + ResetLatch + CHECK_FOR_INTERRUPTS, in a loop until the
//    time has passed, so a cancel interrupts a long `delay` at once.
//  * log_debug(): ereport(DEBUG1), skipped cheaply when DEBUG1 goes nowhere.
//  * http_get(): the engine's libcurl client (http/curl_client.hpp). It runs
//    in this backend's thread, with CURLOPT_NOSIGNAL (PostgreSQL owns
//    SIGALRM), and calls the request's check_interrupts (this Host) every
//    50 ms outside libcurl's frames, so a cancel stops a slow request. The
//    engine only gets here when thaiyyal.http_enabled is on.
//
// Once a PostgreSQL error has been thrown, every further Host call throws it
// again, and the entry point checks pending_error() after execute()
// returns: a cancel survives even engine code that swallows exceptions.
//
// While a PgHost exists, the engine's stack bound (common/stack_depth.hpp) is
// PostgreSQL's own: max_stack_depth below the stack base that
// check_stack_depth() measures from. A value nested too deeply then fails its
// node where PostgreSQL would raise "stack depth limit exceeded", with the
// kernel's slop (at least 512 kB) still below.
class PgHost final : public Host {
 public:
  PgHost();

  void check_interrupts() override;
  std::int64_t now_unix_nanos() override;
  std::int64_t monotonic_nanos() override;
  void sleep_nanos(std::int64_t nanos) override;
  void log_debug(std::string_view message) override;
  HttpResponse http_get(const HttpRequest& request) override;
  // The SQL nodes' database access (spi_sql_service.hpp), set by the entry
  // point for the duration of the run.
  SqlService* sql() override { return sql_; }
  void set_sql(SqlService* sql) { sql_ = sql; }

  void node_starting(std::string_view node_id, std::string_view node_type) override {
    if (observer_ != nullptr) observer_->node_starting(node_id, node_type);
  }
  bool observes_nodes() const override { return observer_ != nullptr; }
  // A worker's observer: once it asks to stop, check_interrupts() raises
  // ERROR 57014 with its message (as a PgError).
  void set_observer(RunObserver* observer) { observer_ = observer; }

  // Throws the PostgreSQL error an earlier Host call raised, if any.
  void rethrow_pending_error() const;

 private:
  template <typename Fn>
  void guarded(Fn&& fn);

  StackLimit stack_limit_;
  bool has_pending_error_ = false;
  ErrorData* pending_error_ = nullptr;
  SqlService* sql_ = nullptr;
  RunObserver* observer_ = nullptr;
};

}  // namespace thaiyyal::pg
