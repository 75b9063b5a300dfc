// Engine benchmarks over the shared workloads (bench/workloads/*.json).
//
// For every workload three modes are registered, named for tools that read
// the JSON output:
//   EndToEnd/<WORKLOAD>  JSON text -> parse -> compile -> execute -> Result JSON text
//   Compile/<WORKLOAD>   parsed payload Value -> compiled plan
//   Execute/<WORKLOAD>   compiled plan -> Result (no serialisation)
// Each reports bytes and allocations per operation through the counting
// allocator in alloc_counter.cpp.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/engine/alloc_counter.hpp"
#include "engine/go/json.hpp"
#include "engine/run/host.hpp"
#include "engine/thaiyyal.hpp"

namespace {

using thaiyyal::bench::AllocationScope;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A host without clocks' syscall cost dominating tiny workflows is not the
// point: the real StandaloneHost is used, as the extension uses real clocks.
thaiyyal::StandaloneHost& host() {
  static thaiyyal::StandaloneHost h;
  return h;
}

void report(benchmark::State& state, const AllocationScope& scope) {
  const double iterations = static_cast<double>(state.iterations());
  state.counters["allocs_per_op"] = static_cast<double>(scope.allocations()) / iterations;
  state.counters["bytes_per_op"] = static_cast<double>(scope.bytes()) / iterations;
}

void end_to_end(benchmark::State& state, const std::string& payload) {
  const thaiyyal::Limits limits;
  AllocationScope scope;
  for (auto _ : state) {
    std::string result = thaiyyal::execute_json(payload, host(), limits);
    benchmark::DoNotOptimize(result.data());
  }
  scope.stop();
  report(state, scope);
}

void compile_only(benchmark::State& state, const std::string& payload) {
  const thaiyyal::Value parsed = thaiyyal::parse_json(payload);
  AllocationScope scope;
  for (auto _ : state) {
    auto plan = thaiyyal::compile_workflow(parsed);
    benchmark::DoNotOptimize(plan.get());
  }
  scope.stop();
  report(state, scope);
}

void execute_only(benchmark::State& state, const std::string& payload) {
  const thaiyyal::Limits limits;
  auto plan = thaiyyal::compile_workflow(thaiyyal::parse_json(payload));
  AllocationScope scope;
  for (auto _ : state) {
    thaiyyal::RunOutcome outcome = thaiyyal::execute(*plan, host(), limits);
    benchmark::DoNotOptimize(&outcome);
  }
  scope.stop();
  report(state, scope);
}

std::filesystem::path workloads_dir() {
  if (const char* dir = std::getenv("THAIYYAL_BENCH_WORKLOADS")) return dir;
  return std::filesystem::path(THAIYYAL_SOURCE_DIR) / "bench" / "workloads";
}

int register_workloads() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(workloads_dir())) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string name = file.stem().string();
    const std::string payload = read_file(file);
    benchmark::RegisterBenchmark(("EndToEnd/" + name).c_str(),
                                 [payload](benchmark::State& s) { end_to_end(s, payload); });
    benchmark::RegisterBenchmark(("Compile/" + name).c_str(),
                                 [payload](benchmark::State& s) { compile_only(s, payload); });
    benchmark::RegisterBenchmark(("Execute/" + name).c_str(),
                                 [payload](benchmark::State& s) { execute_only(s, payload); });
  }
  return 0;
}

const int registered = register_workloads();

}  // namespace
