// Diagnostics of workflow definitions (engine/plan/check.hpp) for SQL:
//
//   thaiyyal.check_workflow(definition jsonb)
//       RETURNS TABLE(severity text, node_id text, message text)
//   thaiyyal.validate_workflow(definition jsonb) RETURNS boolean
//       true when check_workflow reports no error
//   thaiyyal._definition_compiles(definition jsonb) RETURNS boolean
//       the CHECK constraint of thaiyyal.workflows: true, or ERROR 22023 as
//       thaiyyal_execute raises it when the payload does not compile
//
// and what save_workflow refuses (or warns about) before saving.
#pragma once

#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

std::vector<Diagnostic> diagnose_definition(const Jsonb* definition);

// ERROR 22023 naming the workflow and listing the errors in DETAIL, unless
// there are none (a payload that does not compile: thaiyyal_execute's own
// error); a NOTICE listing the warnings.
void refuse_errors(const std::string& name, const std::vector<Diagnostic>& diagnostics);
void report_warnings(const std::string& name, const std::vector<Diagnostic>& diagnostics);

}  // namespace thaiyyal::pg
