// The two catalog accesses on the hot path of thaiyyal.run, done with the
// table and index access methods instead of SPI: finding a workflow by
// (tenant, name), and inserting a succeeded run's row and payload row.
//
// Why: through SPI each was a kept plan's executor start-up, run and shut-
// down -- about 90k and 170k instructions, more than executing the workflow
// (docs/notes/2026-12-06-recording.md). Here the same work is an index probe
// and two heap inserts with their index entries (execReplication.c's
// ExecSimpleRelationInsert, as logical replication applies rows).
//
// Same semantics as the SQL in catalog_sql.cpp: the lookup sees what a new
// statement would (CommandCounterIncrement, then the transaction snapshot);
// the inserts check NOT NULL and unique indexes and maintain every index,
// partial ones included. Both run as whoever is current (the callers hold
// AsCatalogOwner); row-level security does not apply to the owner anyway.
//
// Each function first checks that the tables are what it was written for --
// the exact set of columns and types, (tenant, name) as the leading columns
// of workflows_tenant_name_key, no CHECK constraint, no row trigger, not
// partitioned -- and answers "not done" otherwise, and the caller uses the
// SQL path. The answer is kept per backend and forgotten on any relcache
// invalidation of the tables (ALTER TABLE, ALTER EXTENSION UPDATE).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "extension/catalog/run_recorder.hpp"
#include "extension/catalog/workflow_store.hpp"

namespace thaiyyal::pg {

enum class DirectLookup { Found, NotFound, Unavailable };

// The tenant's workflow `name` (its current version): Found fills `ref`
// (table, id, version, revision).
DirectLookup find_workflow_directly(const std::string& tenant, const std::string& name,
                                    WorkflowRef& ref);

// Inserts the succeeded run and its payload (record_run's rows); the run id,
// or nothing when the tables do not have the expected shape.
std::optional<std::int64_t> insert_run_directly(const RunRecord& run);

}  // namespace thaiyyal::pg
