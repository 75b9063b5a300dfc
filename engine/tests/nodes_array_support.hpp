// Test helpers for the array node families: run one node on runtime Values
// (for inputs JSON cannot express: record-lists, Go ints, NaN) and on a host
// whose interrupt check can fail.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tests/test_support.hpp"

namespace thaiyyal::testing {

// A host that counts interrupt checks and throws once `fail_after` checks
// have been made (never when fail_after is 0).
class CountingHost final : public Host {
 public:
  explicit CountingHost(std::uint64_t fail_after = 0) : fail_after_(fail_after) {}
  void check_interrupts() override {
    ++checks;
    if (fail_after_ != 0 && checks >= fail_after_) throw std::runtime_error("interrupted");
  }
  std::int64_t now_unix_nanos() override { return inner_.now_unix_nanos(); }
  std::int64_t monotonic_nanos() override { return inner_.monotonic_nanos(); }
  void sleep_nanos(std::int64_t nanos) override { inner_.sleep_nanos(nanos); }
  void log_debug(std::string_view) override {}

  std::uint64_t checks = 0;

 private:
  std::uint64_t fail_after_;
  StandaloneHost inner_;
};

// Like run_node, with the inputs given as Values and an optional host.
inline std::string run_node_values(std::string_view type, std::string_view data_json,
                                   std::vector<Value> inputs, Host* host = nullptr) {
  std::string payload = "{\"nodes\":[{\"id\":\"n\",\"type\":\"" + std::string(type) +
                        "\",\"data\":" + std::string(data_json) + "}]}";
  auto plan = compile_workflow(parse_json(payload));
  StandaloneHost standalone;
  Limits limits;
  RunContext run(*plan, host != nullptr ? *host : standalone, limits);
  try {
    return to_json(plan->nodes[0].executor->execute(run, inputs));
  } catch (const NodeError& e) {
    return std::string("error: ") + e.what();
  }
}

// A CSV-style record-list [{"a":1},{"a":2}] (values.md §1.2).
inline Value sample_record_list() {
  return Value::record_list(
      Array{make_object({{"a", Value::number(1)}}), make_object({{"a", Value::number(2)}})});
}

// The decode-time error for a single node of `type` with `data`.
inline std::string node_payload_error(std::string_view type, std::string_view data_json) {
  return payload_error("{\"nodes\":[{\"id\":\"n\",\"type\":\"" + std::string(type) +
                       "\",\"data\":" + std::string(data_json) + "}]}");
}

// The reference's error when a node's data does not decode.
inline std::string decode_error(std::string_view type, std::string_view reason) {
  return "failed to parse payload: failed to unmarshal data for node n (type " + std::string(type) +
         "): " + std::string(reason);
}

// The output of an array node given something that is not an array ("not an
// array payload"): the input and its Go type name.
inline std::string nap(std::string_view input_json, std::string_view go_type) {
  return R"({"error":"input is not an array","input":)" + std::string(input_json) +
         R"(,"original_type":")" + std::string(go_type) + R"("})";
}

}  // namespace thaiyyal::testing
