// libFuzzer harness for the engine's entry point: payload JSON text ->
// compile -> execute -> Result JSON text, as thaiyyal_execute does it, with
// small limits and no network or database (scripts/fuzz.sh builds and runs
// it with AddressSanitizer and UBSan).
//
// What counts as a finding: a crash or sanitizer report, a leak, an
// exception other than the documented ones escaping the engine, a run that
// ignores a cancel (the host cancels any run after kCancelAfter of real
// time, so only code that never checks for interrupts reaches libFuzzer's
// -timeout), and memory beyond -rss_limit_mb (the run's budget is far lower).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/common/interrupts.hpp"
#include "engine/common/run_memory.hpp"
#include "engine/common/stack_depth.hpp"
#include "engine/go/json.hpp"
#include "engine/run/host.hpp"
#include "engine/thaiyyal.hpp"

namespace {

using thaiyyal::Host;

struct Cancelled {};

constexpr auto kCancelAfter = std::chrono::seconds(2);

// Deterministic clocks (a `delay` advances virtual time instead of
// sleeping), HTTP unavailable (Host's default), no SQL service, and a
// statement_timeout-like cancel on the real clock.
class FuzzHost final : public Host {
 public:
  FuzzHost() : started_(std::chrono::steady_clock::now()) {}
  void check_interrupts() override {
    if (std::chrono::steady_clock::now() - started_ > kCancelAfter) throw Cancelled{};
  }
  std::int64_t now_unix_nanos() override { return 1'700'000'000'000'000'000 + virtual_nanos_; }
  std::int64_t monotonic_nanos() override { return virtual_nanos_; }
  void sleep_nanos(std::int64_t nanos) override {
    check_interrupts();
    if (nanos > 0) virtual_nanos_ += nanos;
  }
  void log_debug(std::string_view) override {}
  std::uint64_t random_u64() override { return 0x9e3779b97f4a7c15ULL; }

 private:
  std::chrono::steady_clock::time_point started_;
  std::int64_t virtual_nanos_ = 1'000'000'000;
};

thaiyyal::Limits fuzz_limits() {
  thaiyyal::Limits limits;
  limits.max_execution_time_ms = 10'000;  // virtual time: delays add up
  limits.max_node_executions = 200;
  limits.max_string_length = 64 * 1024;
  limits.max_array_length = 1000;
  limits.max_run_memory = 64 * 1024 * 1024;
  limits.sql_max_rows = 100;
  limits.allow_http = false;
  return limits;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const thaiyyal::Limits limits = fuzz_limits();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FuzzHost host;
  try {
    const thaiyyal::Value payload = thaiyyal::parse_json(text);
    const auto plan = thaiyyal::compile_workflow(payload);
    thaiyyal::RunOutcome outcome = thaiyyal::execute(*plan, host, limits);
    // As the extension converts the Result: bounded by the run's memory
    // limit (a value shared many times over is small, its text is not) and
    // interruptible.
    thaiyyal::RunMemoryBudget memory(static_cast<std::uint64_t>(limits.max_run_memory));
    thaiyyal::InterruptScope interrupts(host);
    std::string json = thaiyyal::result_to_json(outcome.result);
    (void)json;
  } catch (const thaiyyal::JsonParseError&) {
    // Not JSON: the caller's error.
  } catch (const thaiyyal::PayloadError&) {
    // Not a runnable payload: 22023 in the extension.
  } catch (const thaiyyal::JsonWriteError&) {
    // NaN/Inf or a value too deep in the Result: 22P01 / 54001.
  } catch (const thaiyyal::RunMemoryExceeded&) {
    // The Result's text would exceed the memory limit: 53200.
  } catch (const thaiyyal::StackDepthExceeded&) {
    // A Result too deep for the stack (sanitizer frames are large): 54001.
  } catch (const Cancelled&) {
    // The host's cancel reached the engine, as it must.
  }
  return 0;
}
