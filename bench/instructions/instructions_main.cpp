// The engine's work per operation in instructions, for scripts/perf_gate.sh:
// run under callgrind with --collect-atstart=no
// --toggle-collect=thaiyyal_measured, so that only the measured loop counts
// (not start-up, dynamic linking, file reading or the warm-up).
//
//   engine_instructions MODE WORKLOAD.json ITERATIONS
//
// MODE: EndToEnd (JSON text -> Result JSON text, as engine_bench's
// EndToEnd), Execute (compiled plan -> Result), CompileText (JSON text ->
// plan by the text decoder) or CompileValue (JSON text -> Value tree ->
// plan, the path of a payload that arrives as a tree). One warm-up iteration runs
// first, outside the measured function, so that per-thread caches (box free
// list, parser scratch) are in their steady state.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/go/json.hpp"
#include "engine/plan/plan.hpp"
#include "engine/thaiyyal.hpp"

namespace {

thaiyyal::StandaloneHost& host() {
  static thaiyyal::StandaloneHost h;
  return h;
}

std::size_t end_to_end(const std::string& payload) {
  return thaiyyal::execute_json(payload, host(), thaiyyal::Limits{}).size();
}

enum class Mode { EndToEnd, Execute, CompileText, CompileValue };

std::size_t compile_text(const std::string& payload) {
  return thaiyyal::compile_workflow_json(payload)->nodes.size();
}

std::size_t compile_value(const std::string& payload) {
  return thaiyyal::compile_workflow(thaiyyal::parse_json(payload))->nodes.size();
}

std::size_t execute_only(const thaiyyal::WorkflowPlan& plan) {
  thaiyyal::RunOutcome outcome = thaiyyal::execute(plan, host(), thaiyyal::Limits{});
  return outcome.result.node_results.size();
}

}  // namespace

// The measured loop; callgrind counts only inside it (--toggle-collect).
namespace {

std::size_t once(Mode mode, const std::string& payload, const thaiyyal::WorkflowPlan& plan) {
  switch (mode) {
    case Mode::EndToEnd:
      return end_to_end(payload);
    case Mode::Execute:
      return execute_only(plan);
    case Mode::CompileText:
      return compile_text(payload);
    case Mode::CompileValue:
      return compile_value(payload);
  }
  return 0;
}

}  // namespace

extern "C" __attribute__((noinline)) std::size_t thaiyyal_measured(
    int mode, const std::string* payload, const thaiyyal::WorkflowPlan* plan, long iterations) {
  std::size_t sink = 0;
  for (long i = 0; i < iterations; ++i) sink += once(static_cast<Mode>(mode), *payload, *plan);
  return sink;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: %s EndToEnd|Execute|CompileText|CompileValue WORKLOAD.json ITERATIONS\n",
                 argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  std::ifstream in(argv[2], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string payload = buffer.str();
  const long iterations = std::atol(argv[3]);
  Mode m;
  if (mode == "EndToEnd") {
    m = Mode::EndToEnd;
  } else if (mode == "Execute") {
    m = Mode::Execute;
  } else if (mode == "CompileText") {
    m = Mode::CompileText;
  } else if (mode == "CompileValue") {
    m = Mode::CompileValue;
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  auto plan = thaiyyal::compile_workflow_json(payload);
  std::size_t sink = once(m, payload, *plan);  // warm-up
  sink += thaiyyal_measured(static_cast<int>(m), &payload, plan.get(), iterations);
  std::printf("%zu\n", sink);
  return 0;
}
