// SQLSTATEs raised by thaiyyal_execute (also documented in docs/SQL_API.md).
//
//   22023 invalid_parameter_value  the payload cannot be run: decoding or
//                                  validation failed ("failed to parse
//                                  payload: ..."), the graph has a cycle
//                                  ("workflow contains cycles (circular
//                                  dependencies)"), a number outside the
//                                  double range, nesting deeper than 512
//   TH001 (thaiyyal node failed)   a node failed; message "error executing
//                                  node <id>: <message>", DETAIL "node <id>
//                                  (type <type>)"
//   TH002 (thaiyyal timeout)       thaiyyal.max_execution_time was exceeded;
//                                  message "workflow execution timeout:
//                                  exceeded <duration>"
//   22P01 floating_point_exception the result holds NaN or +/-Inf, which JSON
//                                  cannot carry ("json: unsupported value:
//                                  NaN", as the reference)
//   57014 query_canceled           statement_timeout or a cancel request,
//                                  re-raised unchanged from PostgreSQL
//   53200 out_of_memory            thaiyyal.max_run_memory was exceeded;
//                                  message "workflow run exceeded
//                                  thaiyyal.max_run_memory (<size>) in node
//                                  "<id>"", DETAIL "node <id> (type <type>)"
//
// Class TH is in the range the SQL standard leaves to implementations
// (first character I-Z), so it cannot collide with PostgreSQL's codes.
#pragma once

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg {

inline constexpr int kSqlStateNodeFailed = MAKE_SQLSTATE('T', 'H', '0', '0', '1');
inline constexpr int kSqlStateTimedOut = MAKE_SQLSTATE('T', 'H', '0', '0', '2');

}  // namespace thaiyyal::pg
