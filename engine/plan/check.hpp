// Diagnostics of a workflow definition without running it
// (thaiyyal.check_workflow): every problem visible from the payload alone.
//
//  errors    the payload does not compile (the message thaiyyal_execute
//            would raise); a node whose type has no executor; a problem a
//            node reports every time it runs (an unknown operation, an
//            expression that does not parse) -- NodeExecutor::static_problems
//  warnings  an edge on a handle its source never emits (execution.md §5.2)
//            and the nodes that can therefore never run
#pragma once

#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string node_id;  // empty when the problem is the workflow's
  std::string message;
  // The payload does not compile (message is the PayloadError's); it is
  // then the only diagnostic.
  bool compile_failure = false;
};

// In node order (payload order), errors of a node before its warnings.
std::vector<Diagnostic> check_workflow(const Value& payload);

std::string_view severity_name(Diagnostic::Severity severity);

}  // namespace thaiyyal
