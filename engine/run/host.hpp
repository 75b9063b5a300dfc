// Everything the engine needs from its environment that is not pure
// computation. The PostgreSQL extension implements it with
// CHECK_FOR_INTERRUPTS, the transaction clock, ereport and the process
// latch; unit tests and benchmarks use StandaloneHost.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/common/interrupts.hpp"
#include "engine/common/no_postgres.hpp"
#include "engine/http/http_types.hpp"

namespace thaiyyal {

class SqlService;

class Host : public Interruptible {
 public:
  // Interruptible::check_interrupts(): called between nodes and inside every
  // loop that can run long (through InterruptPoll, common/interrupts.hpp).
  // Throws (any exception type the host chooses) to abandon the run; the
  // engine lets it propagate after releasing its resources.
  // Wall clock, nanoseconds since the Unix epoch.
  virtual std::int64_t now_unix_nanos() = 0;
  // Monotonic clock for deadlines, nanoseconds.
  virtual std::int64_t monotonic_nanos() = 0;
  // Sleeps up to `nanos`, returning early (or throwing) when interrupted.
  virtual void sleep_nanos(std::int64_t nanos) = 0;
  virtual void log_debug(std::string_view message) = 0;
  // Random bits for execution ids and random node behaviour; the default
  // uses std::random_device.
  virtual std::uint64_t random_u64();
  // Database access for the sql_query / sql_batch nodes
  // (engine/run/sql_service.hpp); nullptr when the host has no database.
  virtual SqlService* sql() { return nullptr; }
  // One HTTP GET for the `http` node (nodes.md `http`), URL already
  // validated. The default fails with "HTTP is not available in this host".
  virtual HttpResponse http_get(const HttpRequest& request);
  // Called before each node executes (progress reporting, e.g. a background
  // worker's pg_stat_activity line). The default does nothing.
  virtual void node_starting(std::string_view /*node_id*/, std::string_view /*node_type*/) {}
  // Called after a node executed: `succeeded` is false when it failed (the
  // run then ends). Durable runs record completions here. The default does
  // nothing.
  virtual void node_finished(std::string_view /*node_id*/, bool /*succeeded*/) {}
  // Whether node_starting / node_finished do anything: asked once per run,
  // so that hosts that do not observe nodes (thaiyyal_execute, thaiyyal.run)
  // pay nothing per node for them.
  virtual bool observes_nodes() const { return false; }
};

// Host for tests and benchmarks: real clocks, plain sleep, no logging.
class StandaloneHost final : public Host {
 public:
  void check_interrupts() override {}
  std::int64_t now_unix_nanos() override;
  std::int64_t monotonic_nanos() override;
  void sleep_nanos(std::int64_t nanos) override;
  void log_debug(std::string_view) override {}
  // libcurl (http/curl_client.hpp).
  HttpResponse http_get(const HttpRequest& request) override;
};

}  // namespace thaiyyal
