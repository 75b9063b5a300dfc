// Configuration parameters (GUCs) -> thaiyyal::Limits.
//
// Every parameter is an int (PostgreSQL GUC ints are 32-bit; each limit fits),
// a bool, or (http_allowed_domains) a comma-separated list. Time limits use
// GUC_UNIT_MS and sizes GUC_UNIT_BYTE (max_run_memory: GUC_UNIT_KB, so that
// 256MB fits a 32-bit int), so SET thaiyyal.max_execution_time = '2s' and
// ... = '1MB' work.
//
// Every limit is superuser-only (PGC_SUSET): it bounds what one run may
// cost the server (time, memory, rows, network), so ordinary roles cannot
// lift it. Administrators set them in postgresql.conf, per database or per
// role (ALTER ROLE ... SET, which queued runs apply too); a role that wants
// a shorter bound for itself has statement_timeout.
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"
#include "extension/catalog/catalog_gucs.hpp"
#include "extension/run/gucs.hpp"
#include "extension/stats/stats_gucs.hpp"
#include "extension/workers/worker_gucs.hpp"

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

namespace {

const Limits kDefaults{};

int guc_max_execution_time = static_cast<int>(kDefaults.max_execution_time_ms);
int guc_max_node_executions = static_cast<int>(kDefaults.max_node_executions);
int guc_max_string_length = static_cast<int>(kDefaults.max_string_length);
int guc_max_array_length = static_cast<int>(kDefaults.max_array_length);
int guc_max_context_depth = static_cast<int>(kDefaults.max_context_depth);
int guc_max_variables = static_cast<int>(kDefaults.max_variables);
bool guc_http_enabled = kDefaults.allow_http;
int guc_max_http_calls = static_cast<int>(kDefaults.max_http_calls_per_execution);
int guc_http_timeout = static_cast<int>(kDefaults.http_timeout_ms);
int guc_max_http_redirects = static_cast<int>(kDefaults.max_http_redirects);
int guc_max_response_size = static_cast<int>(kDefaults.max_response_size);
bool guc_http_allow_localhost = kDefaults.allow_localhost;
bool guc_http_allow_private_ips = kDefaults.allow_private_ips;
bool guc_http_allow_link_local = kDefaults.allow_link_local;
bool guc_http_allow_cloud_metadata = kDefaults.allow_cloud_metadata;
char* guc_http_allowed_domains = nullptr;
int guc_sql_max_rows = static_cast<int>(kDefaults.sql_max_rows);
// In kB (GUC_UNIT_KB): in bytes, a 32-bit int GUC would stop below 2GB.
int guc_max_run_memory = static_cast<int>(kDefaults.max_run_memory / 1024);

void define_int(const char* name, const char* description, int* variable, int min_value,
                GucContext context, int flags) {
  DefineCustomIntVariable(name, description, nullptr, variable, *variable, min_value, INT_MAX,
                          context, flags, nullptr, nullptr, nullptr);
}

void define_bool(const char* name, const char* description, bool* variable, GucContext context) {
  DefineCustomBoolVariable(name, description, nullptr, variable, *variable, context, 0, nullptr,
                           nullptr, nullptr);
}

// "a.example, b.example" -> {"a.example", "b.example"}
std::vector<std::string> split_domains(const char* list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  std::string current;
  for (const char* p = list;; ++p) {
    if (*p == ',' || *p == '\0') {
      const auto first = current.find_first_not_of(" \t");
      if (first != std::string::npos) {
        const auto last = current.find_last_not_of(" \t");
        out.push_back(current.substr(first, last - first + 1));
      }
      current.clear();
      if (*p == '\0') break;
    } else {
      current += *p;
    }
  }
  return out;
}

}  // namespace

void define_gucs() noexcept {
  define_int("thaiyyal.max_execution_time",
             "Maximum wall-clock time of one workflow run (0 = no limit of its own).",
             &guc_max_execution_time, 0, PGC_SUSET, GUC_UNIT_MS);
  define_int("thaiyyal.max_node_executions",
             "Maximum number of node executions in one run (0 = unlimited).",
             &guc_max_node_executions, 0, PGC_SUSET, 0);
  define_int("thaiyyal.max_string_length",
             "Maximum length in bytes of a string stored by a variable node (0 = unchecked).",
             &guc_max_string_length, 0, PGC_SUSET, GUC_UNIT_BYTE);
  define_int("thaiyyal.max_array_length",
             "Maximum number of elements of an array stored by a variable node (0 = unchecked).",
             &guc_max_array_length, 0, PGC_SUSET, 0);
  define_int("thaiyyal.max_context_depth",
             "Maximum nesting depth of a value stored by a variable node (0 = unchecked).",
             &guc_max_context_depth, 0, PGC_SUSET, 0);
  define_int("thaiyyal.max_variables", "Maximum number of workflow variables in one run.",
             &guc_max_variables, 0, PGC_SUSET, 0);
  define_int("thaiyyal.sql_max_rows",
             "Maximum number of rows a sql_query node returns (0 = unlimited).", &guc_sql_max_rows,
             0, PGC_SUSET, 0);
  define_int("thaiyyal.max_run_memory",
             "Maximum memory the values of one workflow run may hold (0 = unlimited).",
             &guc_max_run_memory, 0, PGC_SUSET, GUC_UNIT_KB);
  define_bool("thaiyyal.http_enabled",
              "Allows http nodes to make network requests from the server.", &guc_http_enabled,
              PGC_SUSET);
  define_bool("thaiyyal.http_allow_localhost", "Allows http nodes to reach localhost.",
              &guc_http_allow_localhost, PGC_SUSET);
  define_bool("thaiyyal.http_allow_private_ips", "Allows http nodes to reach private networks.",
              &guc_http_allow_private_ips, PGC_SUSET);
  define_bool("thaiyyal.http_allow_link_local", "Allows http nodes to reach link-local addresses.",
              &guc_http_allow_link_local, PGC_SUSET);
  define_bool("thaiyyal.http_allow_cloud_metadata",
              "Allows http nodes to reach cloud metadata endpoints.",
              &guc_http_allow_cloud_metadata, PGC_SUSET);
  DefineCustomStringVariable("thaiyyal.http_allowed_domains",
                             "Comma-separated domains http nodes may reach (empty = any).", nullptr,
                             &guc_http_allowed_domains, "", PGC_SUSET, GUC_LIST_INPUT, nullptr,
                             nullptr, nullptr);
  define_int("thaiyyal.max_http_calls", "Maximum number of HTTP requests in one run.",
             &guc_max_http_calls, 0, PGC_SUSET, 0);
  define_int("thaiyyal.http_timeout", "Timeout of one HTTP request.", &guc_http_timeout, 1,
             PGC_SUSET, GUC_UNIT_MS);
  define_int("thaiyyal.max_http_redirects", "Maximum number of redirects an HTTP request follows.",
             &guc_max_http_redirects, 0, PGC_SUSET, 0);
  define_int("thaiyyal.max_response_size", "Maximum size of an HTTP response body.",
             &guc_max_response_size, 0, PGC_SUSET, GUC_UNIT_BYTE);
  define_catalog_gucs();  // tenant, plan caches, record_nodes (catalog_gucs.cpp)
  define_worker_gucs();   // background workers (worker_gucs.cpp)
  define_stats_gucs();    // statistics, slow-run log (stats/stats_gucs.cpp)
  MarkGUCPrefixReserved("thaiyyal");
}

Limits current_limits() {
  Limits limits;
  limits.max_execution_time_ms = guc_max_execution_time;
  limits.max_node_executions = guc_max_node_executions;
  limits.max_string_length = guc_max_string_length;
  limits.max_array_length = guc_max_array_length;
  limits.max_context_depth = guc_max_context_depth;
  limits.max_variables = guc_max_variables;
  limits.allow_http = guc_http_enabled;
  limits.max_http_calls_per_execution = guc_max_http_calls;
  limits.http_timeout_ms = guc_http_timeout;
  limits.max_http_redirects = guc_max_http_redirects;
  limits.max_response_size = guc_max_response_size;
  limits.allow_localhost = guc_http_allow_localhost;
  limits.allow_private_ips = guc_http_allow_private_ips;
  limits.allow_link_local = guc_http_allow_link_local;
  limits.allow_cloud_metadata = guc_http_allow_cloud_metadata;
  limits.allowed_domains = split_domains(guc_http_allowed_domains);
  limits.sql_max_rows = guc_sql_max_rows;
  limits.max_run_memory = max_run_memory_bytes();
  return limits;
}

std::int64_t max_run_memory_bytes() noexcept {
  return static_cast<std::int64_t>(guc_max_run_memory) * 1024;
}

}  // namespace thaiyyal::pg
