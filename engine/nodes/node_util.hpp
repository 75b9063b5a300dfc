// Small helpers shared by node family files.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/nodes/node_type.hpp"
#include "engine/run/node_executor.hpp"
#include "engine/run/run_context.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

// Builds the decode-time check "field present" (workflow-format.md §5).
#define THAIYYAL_REQUIRE_FIELD(field)                                                       \
  [](const NodeData& data) -> std::string {                                                 \
    return data.has(field) ? std::string() : std::string("missing required field: " field); \
  }

// An executor defined by a lambda over (data captured at compile time),
// with the problems it will report whenever it runs (static_problems).
template <typename Fn>
class LambdaExecutor final : public NodeExecutor {
 public:
  LambdaExecutor(Fn fn, std::vector<std::string> problems)
      : fn_(std::move(fn)), problems_(std::move(problems)) {}
  Value execute(RunContext& run, const std::vector<Value>& inputs) const override {
    return fn_(run, inputs);
  }
  void static_problems(std::vector<std::string>& problems) const override {
    problems.insert(problems.end(), problems_.begin(), problems_.end());
  }

 private:
  Fn fn_;
  std::vector<std::string> problems_;
};

template <typename Fn>
std::unique_ptr<NodeExecutor> make_executor(  // NOLINT: returns the base type on purpose
    Fn fn, std::vector<std::string> problems = {}) {
  return std::make_unique<LambdaExecutor<Fn>>(std::move(fn), std::move(problems));
}

// {message()} when `ok` is false, for make_executor's problems. The message
// is built only then: a valid node's compile allocates no text it drops.
template <typename MakeMessage>
std::vector<std::string> problem_unless(bool ok, MakeMessage&& message) {
  if (ok) return {};
  return {message()};
}

inline FieldSpec field(std::string key, FieldType type) {
  return FieldSpec{std::move(key), type, {}, {}};
}

// Object outputs are built with keys in sorted order; this keeps node code
// readable: out({{"a", x}, {"b", y}}).
inline Value out(std::vector<Object::Entry> entries) {
  return make_object(std::move(entries));
}

inline Value str(std::string s) {
  return Value::string(std::move(s));
}
inline Value integer(std::int64_t i) {
  return Value::integer(i);
}

// A Go slice that the reference builds by appending to a nil slice: nil
// (written `null`, still an empty array downstream) when nothing was
// appended (values.md §6).
inline Value appended_slice(Array items) {
  return items.empty() ? Value::nil_array() : Value::array(std::move(items));
}

}  // namespace thaiyyal
