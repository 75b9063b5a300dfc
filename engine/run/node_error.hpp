// The exception a node's work throws to fail the node (and with it the run).
#pragma once

#include <stdexcept>
#include <string>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

// A node failure: the message is the part after
// "error executing node <id>: " (nodes.md §0).
class NodeError : public std::runtime_error {
 public:
  explicit NodeError(const std::string& message) : std::runtime_error(message) {}
  explicit NodeError(const char* message) : std::runtime_error(message) {}
  // `detail` is extra context for the SQL error's DETAIL (e.g. the SQLSTATE
  // of a failed statement); not part of the reference's message.
  NodeError(const std::string& message, std::string detail)
      : std::runtime_error(message), detail_(std::move(detail)) {}
  const std::string& detail() const { return detail_; }

 private:
  std::string detail_;
};

}  // namespace thaiyyal
