// Protection limits (execution.md §7.1) with the reference library's
// defaults. The extension maps each field to a GUC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

struct Limits {
  std::int64_t max_execution_time_ms = 5 * 60 * 1000;  // thaiyyal.max_execution_time
  std::int64_t max_node_executions = 10000;            // 0 = unlimited
  std::int64_t max_string_length = 1048576;            // variable set; expression results
  std::int64_t max_array_length = 10000;               // variable set
  std::int64_t max_context_depth = 32;                 // variable set
  std::int64_t max_variables = 1000;
  // Bytes the values of one run may hold at a time (node results, variables,
  // strings, arrays, objects; common/run_memory.hpp); 0 = unlimited. Not in
  // the reference library, which has no such bound.
  std::int64_t max_run_memory = 256 * 1024 * 1024;  // thaiyyal.max_run_memory
  // sql_query: rows returned at most (thaiyyal.sql_max_rows); 0 = unlimited.
  std::int64_t sql_max_rows = 10000;
  // HTTP node (issue 3); off as in the reference library default.
  bool allow_http = false;
  std::int64_t max_http_calls_per_execution = 100;
  std::int64_t http_timeout_ms = 30000;
  std::int64_t max_http_redirects = 10;
  std::int64_t max_response_size = 10 * 1024 * 1024;
  // URL protections of the http node (nodes.md `http` step 3).
  bool allow_localhost = false;
  bool allow_private_ips = false;
  bool allow_link_local = false;
  bool allow_cloud_metadata = false;
  std::vector<std::string> allowed_domains{};  // empty = any domain
};

}  // namespace thaiyyal
