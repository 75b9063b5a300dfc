// SQL entry points of workflow diagnostics (see workflow_checks.hpp).
#include <string>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/catalog/workflow_checks.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/run/run_support.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

// DETAIL lines "node <id>: <message>" (or the message alone), at most
// kListed of them.
constexpr std::size_t kListed = 20;

std::string listing(const std::vector<Diagnostic>& diagnostics, Diagnostic::Severity severity,
                    std::size_t& count) {
  std::string out;
  count = 0;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != severity) continue;
    if (++count > kListed) continue;
    if (!out.empty()) out += '\n';
    out += d.node_id.empty() ? d.message : "node " + d.node_id + ": " + d.message;
  }
  if (count > kListed) out += "\n(and " + std::to_string(count - kListed) + " more)";
  return out;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

Datum check_workflow_rows(FunctionCallInfo fcinfo) {
  const Jsonb* definition = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  const std::vector<Diagnostic> diagnostics = diagnose_definition(definition);
  pg_call([fcinfo]() noexcept { InitMaterializedSRF(fcinfo, 0); });
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  for (const Diagnostic& d : diagnostics) {
    const std::string severity(severity_name(d.severity));
    const char* texts[3] = {severity.c_str(), d.node_id.c_str(), d.message.c_str()};
    const bool no_node = d.node_id.empty();
    pg_call([rsinfo, &texts, no_node]() noexcept {
      Datum values[3] = {CStringGetTextDatum(texts[0]), CStringGetTextDatum(texts[1]),
                         CStringGetTextDatum(texts[2])};
      bool nulls[3] = {false, no_node, false};
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    });
  }
  return Datum(0);
}

Datum validate_checked(FunctionCallInfo fcinfo) {
  const Jsonb* definition = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  for (const Diagnostic& d : diagnose_definition(definition)) {
    if (d.severity == Diagnostic::Severity::Error) return BoolGetDatum(false);
  }
  return BoolGetDatum(true);
}

Datum definition_compiles(FunctionCallInfo fcinfo) {
  CallMemoryContext call_context("thaiyyal._definition_compiles");
  const Jsonb* jsonb = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  compile_payload(jsonb_to_value(jsonb));
  return BoolGetDatum(true);
}

}  // namespace

std::vector<Diagnostic> diagnose_definition(const Jsonb* definition) {
  CallMemoryContext call_context("thaiyyal check_workflow");
  return check_workflow(jsonb_to_value(definition));
}

void refuse_errors(const std::string& name, const std::vector<Diagnostic>& diagnostics) {
  // A payload that does not compile gets thaiyyal_execute's own error.
  if (!diagnostics.empty() && diagnostics.front().compile_failure) {
    const Diagnostic& d = diagnostics.front();
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE, d.message,
                   d.node_id.empty() ? std::string() : "node " + d.node_id);
  }
  std::size_t count = 0;
  const std::string detail = listing(diagnostics, Diagnostic::Severity::Error, count);
  if (count == 0) return;
  throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                 "workflow \"" + name + "\" has " + plural(count, "error") + " and was not saved",
                 detail,
                 "thaiyyal.check_workflow(definition) lists every problem; "
                 "save_workflow(name, definition, force => true) saves it anyway.");
}

void report_warnings(const std::string& name, const std::vector<Diagnostic>& diagnostics) {
  std::size_t count = 0;
  const std::string detail = listing(diagnostics, Diagnostic::Severity::Warning, count);
  if (count == 0) return;
  const std::string message = "workflow \"" + name + "\" has " + plural(count, "warning");
  const char* m = message.c_str();
  const char* d = detail.c_str();
  pg_call([m, d]() noexcept {
    ereport(NOTICE, (errmsg_internal("%s", m), errdetail_internal("%s", d)));
  });
}

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_check_workflow) {
  return thaiyyal::pg::check_workflow_rows(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_validate_workflow_checked) {
  return thaiyyal::pg::validate_checked(fcinfo);
}

// The CHECK constraint's function (0.1.0 called it validate_workflow).
THAIYYAL_PG_FUNCTION(thaiyyal_validate_workflow) {
  return thaiyyal::pg::definition_compiles(fcinfo);
}
