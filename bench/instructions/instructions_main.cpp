// The engine's work per operation in instructions, for scripts/perf_gate.sh:
// run under callgrind with --collect-atstart=no
// --toggle-collect=thaiyyal_measured, so that only the measured loop counts
// (not start-up, dynamic linking, file reading or the warm-up).
//
//   engine_instructions MODE WORKLOAD.json ITERATIONS
//
// MODE: EndToEnd (JSON text -> Result JSON text, as engine_bench's
// EndToEnd) or Execute (compiled plan -> Result). One warm-up iteration runs
// first, outside the measured function, so that per-thread caches (box free
// list, parser scratch) are in their steady state.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/thaiyyal.hpp"

namespace {

thaiyyal::StandaloneHost& host() {
  static thaiyyal::StandaloneHost h;
  return h;
}

std::size_t end_to_end(const std::string& payload) {
  return thaiyyal::execute_json(payload, host(), thaiyyal::Limits{}).size();
}

std::size_t execute_only(const thaiyyal::WorkflowPlan& plan) {
  thaiyyal::RunOutcome outcome = thaiyyal::execute(plan, host(), thaiyyal::Limits{});
  return outcome.result.node_results.size();
}

}  // namespace

// The measured loop; callgrind counts only inside it (--toggle-collect).
extern "C" __attribute__((noinline)) std::size_t thaiyyal_measured(
    bool end_to_end_mode, const std::string* payload, const thaiyyal::WorkflowPlan* plan,
    long iterations) {
  std::size_t sink = 0;
  for (long i = 0; i < iterations; ++i) {
    sink += end_to_end_mode ? end_to_end(*payload) : execute_only(*plan);
  }
  return sink;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s EndToEnd|Execute WORKLOAD.json ITERATIONS\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string payload = buffer.str();
  const long iterations = std::atol(argv[3]);
  const bool e2e = mode == "EndToEnd";
  if (!e2e && mode != "Execute") {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  auto plan = thaiyyal::compile_workflow_json(payload);
  std::size_t sink = e2e ? end_to_end(payload) : execute_only(*plan);  // warm-up
  sink += thaiyyal_measured(e2e, &payload, plan.get(), iterations);
  std::printf("%zu\n", sink);
  return 0;
}
