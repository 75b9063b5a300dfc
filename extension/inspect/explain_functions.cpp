// thaiyyal.explain: what EXPLAIN is to a query, for a workflow.
//
//   thaiyyal.explain(definition jsonb, input jsonb DEFAULT NULL,
//                    run boolean DEFAULT false, format text DEFAULT 'text')
//   thaiyyal.explain(name text, input jsonb DEFAULT NULL, run boolean DEFAULT false,
//                    format text DEFAULT 'text', version integer DEFAULT NULL)
//   RETURNS SETOF text
//
// The execution order, every node's type, decoded configuration and
// expressions as parsed, its inputs (with handles) and the handles it
// emits (engine/plan/explain.hpp). With run => true -- what ANALYZE is to
// EXPLAIN; `analyze` is a reserved word -- the workflow runs as the caller
// in the caller's transaction (its SQL nodes' writes included, as EXPLAIN
// ANALYZE executes an INSERT), and every node shows its state, time,
// output size and error; a failing node is reported, not raised. Such a
// run is neither recorded in thaiyyal.runs nor counted in the statistics.
// format 'text' gives one row per line, 'json' one row holding the JSON.
//
// The stored variant reads the current tenant's workflow `name` (its
// current version or `version`) as thaiyyal.run does: the tenant checked as
// the caller, the definition read as the catalog owner.
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/go/json.hpp"
#include "engine/plan/explain.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_version.hpp"
#include "extension/catalog/workflow_store.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/convert/value_to_jsonb.hpp"
#include "extension/inspect/inspect_support.hpp"
#include "extension/run/run_support.hpp"
#include "extension/sql_nodes/spi_sql_service.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

enum class Format { Text, Json };

struct ExplainArgs {
  Value input;
  bool run = false;
  Format format = Format::Text;
};

// Arguments 1-3 of both variants.
ExplainArgs explain_args(FunctionCallInfo fcinfo) {
  ExplainArgs args;
  if (!PG_ARGISNULL(1)) {
    const Jsonb* input = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(1); });
    args.input = jsonb_to_value(input);
  }
  args.run = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
  if (!PG_ARGISNULL(3)) {
    std::string format =
        pg_call([fcinfo]() noexcept { return text_to_cstring(PG_GETARG_TEXT_PP(3)); });
    for (char& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (format == "json") {
      args.format = Format::Json;
    } else if (format != "text") {
      throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                     "unrecognized explain format \"" + format + "\"", {},
                     "The formats are 'text' and 'json'.");
    }
  }
  return args;
}

// The rows of the result: text lines, or the JSON as one indented text.
void emit(FunctionCallInfo fcinfo, const WorkflowExplanation& explanation, Format format) {
  pg_call([fcinfo]() noexcept { InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC); });
  ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  auto put = [rsinfo](const char* line) {
    pg_call([rsinfo, line]() noexcept {
      Datum value = CStringGetTextDatum(line);
      bool isnull = false;
      tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
    });
  };
  if (format == Format::Json) {
    Jsonb* json = value_to_jsonb(explain_json(explanation), CurrentMemoryContext);
    const char* text = pg_call([json]() noexcept {
      return static_cast<const char*>(JsonbToCStringIndent(nullptr, &json->root, VARSIZE(json)));
    });
    put(text);
    return;
  }
  const std::string text = explain_text(explanation);
  std::string_view rest(text);
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    const std::string line(rest.substr(0, end));
    put(line.c_str());
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
}

Datum explain_definition(FunctionCallInfo fcinfo) {
  CallMemoryContext call_context("thaiyyal.explain");
  if (PG_ARGISNULL(0)) {
    pg_call([fcinfo]() noexcept { InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC); });
    return Datum(0);
  }
  const Jsonb* definition = pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); });
  const ExplainArgs args = explain_args(fcinfo);
  WorkflowExplanation explanation = explain_payload(jsonb_to_value(definition));
  if (args.run) {
    SpiSqlService sql;
    SpiConnection spi;
    run_for_explain(explanation, args.input, sql);
    spi.finish();
  }
  emit(fcinfo, explanation, args.format);
  return Datum(0);
}

Datum explain_stored(FunctionCallInfo fcinfo) {
  if (PG_ARGISNULL(0)) {
    throw SqlError(ERRCODE_NULL_VALUE_NOT_ALLOWED, "workflow name must not be null");
  }
  require_catalog_version();
  CallMemoryContext call_context("thaiyyal.explain");
  const std::string name =
      pg_call([fcinfo]() noexcept { return text_to_cstring(PG_GETARG_TEXT_PP(0)); });
  // An untyped '{...}' literal resolves to this variant (text is the
  // preferred type): say how to reach the other one.
  if (name.find_first_not_of(" \t\r\n") != std::string::npos &&
      name[name.find_first_not_of(" \t\r\n")] == '{') {
    throw SqlError(ERRCODE_INVALID_PARAMETER_VALUE,
                   "thaiyyal.explain(name text, ...) was given a workflow definition", {},
                   "Cast the definition to jsonb: thaiyyal.explain('{...}'::jsonb).");
  }
  const ExplainArgs args = explain_args(fcinfo);
  std::optional<std::int32_t> version;
  if (!PG_ARGISNULL(4)) version = PG_GETARG_INT32(4);

  SpiSqlService sql;
  SpiConnection spi;
  const Caller caller = require_caller_tenant();
  WorkflowRef ref;
  WorkflowRevision stored;
  {
    AsCatalogOwner owner;
    ref = lookup_workflow(caller.tenant, name, version);
    stored = fetch_revision(ref.revision);
    if (!stored.found) throw no_such_workflow(name, caller.tenant);  // dropped meanwhile
    owner.end();
  }
  WorkflowExplanation explanation = explain_payload(stored.definition);
  std::string heading;
  write_json_string(heading, name, JsonStyle::Plain);
  explanation.heading = heading + " version " + std::to_string(ref.version);
  if (args.run) run_for_explain(explanation, args.input, sql);
  spi.finish();
  emit(fcinfo, explanation, args.format);
  return Datum(0);
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_explain) {
  return thaiyyal::pg::explain_definition(fcinfo);
}

THAIYYAL_PG_FUNCTION(thaiyyal_explain_stored) {
  return thaiyyal::pg::explain_stored(fcinfo);
}
