// Thrown when the run's MaxExecutionTime passes inside a node (a wait);
// execute() turns it into RunOutcome::Status::TimedOut.
#pragma once

#include <exception>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

class WorkflowTimeout final : public std::exception {
 public:
  const char* what() const noexcept override { return "workflow execution timeout"; }
};

}  // namespace thaiyyal
