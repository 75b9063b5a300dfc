// Pictures of a workflow and of a run, as text for renderers:
//
//   thaiyyal.to_mermaid(definition jsonb, run_id bigint DEFAULT NULL) RETURNS text
//   thaiyyal.to_dot(definition jsonb, run_id bigint DEFAULT NULL) RETURNS text
//
// The DAG with node ids, types and key settings on the labels and handles
// on the edges (engine/plan/graph_text.hpp). Given a run id, every node is
// coloured by what happened in that run, from thaiyyal.run_nodes (its rows
// depend on thaiyyal.record_nodes: without them only the run's status is
// shown); a NULL definition with a run id draws the definition the run
// executed (its pinned revision). The run is read as the caller: row-level
// security shows only runs of the current tenant, and any other run id is
// "does not exist".
#include <cstdint>
#include <optional>
#include <string>

#include "engine/plan/explain.hpp"
#include "engine/plan/graph_text.hpp"
#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_version.hpp"
#include "extension/convert/jsonb_to_value.hpp"
#include "extension/inspect/inspect_support.hpp"
#include "extension/run/run_support.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

namespace {

enum class Picture { Mermaid, Dot };

Datum picture(FunctionCallInfo fcinfo, Picture kind) {
  const bool has_run = PG_NARGS() > 1 && !PG_ARGISNULL(1);
  if (PG_ARGISNULL(0) && !has_run) PG_RETURN_NULL();
  CallMemoryContext call_context(kind == Picture::Mermaid ? "thaiyyal.to_mermaid"
                                                          : "thaiyyal.to_dot");
  Value definition;
  if (!PG_ARGISNULL(0)) {
    definition = jsonb_to_value(pg_call([fcinfo]() noexcept { return PG_GETARG_JSONB_P(0); }));
  }
  std::optional<StoredRun> run;
  if (has_run) {
    require_catalog_version();
    const std::int64_t run_id = PG_GETARG_INT64(1);
    SpiConnection spi;
    const Caller caller = require_caller_tenant();
    run = load_stored_run(run_id, caller.tenant);
    if (PG_ARGISNULL(0)) definition = definition_of_run(*run);
    spi.finish();
  }
  WorkflowExplanation explanation = explain_payload(definition);
  if (run) attach_stored_run(explanation, *run);
  const std::string drawing =
      kind == Picture::Mermaid ? to_mermaid(explanation) : to_dot(explanation);
  const char* chars = drawing.c_str();
  const std::size_t length = drawing.size();
  MemoryContext outer = call_context.outer();
  return pg_call([chars, length, outer]() noexcept {
    MemoryContext previous = MemoryContextSwitchTo(outer);
    text* result = cstring_to_text_with_len(chars, static_cast<int>(length));
    MemoryContextSwitchTo(previous);
    return PointerGetDatum(result);
  });
}

}  // namespace

}  // namespace thaiyyal::pg

THAIYYAL_PG_FUNCTION(thaiyyal_to_mermaid) {
  return thaiyyal::pg::picture(fcinfo, thaiyyal::pg::Picture::Mermaid);
}

THAIYYAL_PG_FUNCTION(thaiyyal_to_dot) {
  return thaiyyal::pg::picture(fcinfo, thaiyyal::pg::Picture::Dot);
}
