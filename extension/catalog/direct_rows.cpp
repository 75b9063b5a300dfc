// Hot-path catalog rows without SPI (see direct_rows.hpp).
#include "extension/catalog/direct_rows.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/dependency.h"
#include "catalog/pg_am.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

namespace thaiyyal::pg {

namespace {

struct ColumnSpec {
  const char* name;
  Oid type;
};

// thaiyyal.runs and thaiyyal.run_payloads, every column (sql/thaiyyal--0.3.0.sql).
enum RunColumn {
  kId,
  kWorkflowId,
  kWorkflowVersion,
  kTenant,
  kStatus,
  kAttempts,
  kRunBy,
  kCreatedAt,
  kStartedAt,
  kFinishedAt,
  kErrorCode,
  kPriority,
  kRunAt,
  kIdempotencyKey,
  kWorkerPid,
  kLeaseExpiresAt,
  kRunByRole,
  kCancelRequested,
  kWorkflowRevision,
  kAttemptsBase,
  kRunColumns
};
constexpr ColumnSpec kRunSpecs[kRunColumns] = {
    {"id", INT8OID},
    {"workflow_id", INT8OID},
    {"workflow_version", INT4OID},
    {"tenant", TEXTOID},
    {"status", TEXTOID},
    {"attempts", INT4OID},
    {"run_by", TEXTOID},
    {"created_at", TIMESTAMPTZOID},
    {"started_at", TIMESTAMPTZOID},
    {"finished_at", TIMESTAMPTZOID},
    {"error_code", TEXTOID},
    {"priority", INT4OID},
    {"run_at", TIMESTAMPTZOID},
    {"idempotency_key", TEXTOID},
    {"worker_pid", INT4OID},
    {"lease_expires_at", TIMESTAMPTZOID},
    {"run_by_role", OIDOID},
    {"cancel_requested", BOOLOID},
    {"workflow_revision", INT8OID},
    {"attempts_base", INT4OID},
};

enum PayloadColumn { kRunId, kPayloadTenant, kInput, kResult, kError, kPayloadColumns };
constexpr ColumnSpec kPayloadSpecs[kPayloadColumns] = {
    {"run_id", INT8OID},  {"tenant", TEXTOID}, {"input", JSONBOID},
    {"result", JSONBOID}, {"error", JSONBOID},
};

// The columns the lookup reads (workflows has more).
enum WorkflowColumn { kWfId, kWfTenant, kWfName, kWfVersion, kWfRevision, kWorkflowColumns };
constexpr ColumnSpec kWorkflowSpecs[kWorkflowColumns] = {
    {"id", INT8OID},      {"tenant", TEXTOID},   {"name", TEXTOID},
    {"version", INT4OID}, {"revision", INT8OID},
};

constexpr int kMaxColumns = kRunColumns;

// What one table looks like, as far as this file cares; kept per backend
// and forgotten by the relcache callback below.
struct Shape {
  Oid relid = InvalidOid;
  bool checked = false;
  bool usable = false;
  AttrNumber attnums[kMaxColumns] = {};
  Oid sequence = InvalidOid;  // runs: the identity sequence of id
  Oid index = InvalidOid;     // workflows: workflows_tenant_name_key
};

Shape runs_shape;
Shape payloads_shape;
Shape workflows_shape;
bool callback_registered = false;

void forget_shapes(Datum, Oid relid) {
  for (Shape* shape : {&runs_shape, &payloads_shape, &workflows_shape}) {
    if (relid == InvalidOid || relid == shape->relid) *shape = Shape{};
  }
}

// The table's oid (cached; InvalidOid when the extension's schema or table is
// missing, which the SQL path then reports).
Oid table_oid(Shape& shape, const char* name) {
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(forget_shapes, Datum(0));
    callback_registered = true;
  }
  if (OidIsValid(shape.relid)) return shape.relid;
  const Oid ns = get_namespace_oid("thaiyyal", true);
  if (!OidIsValid(ns)) return InvalidOid;
  shape.relid = get_relname_relid(name, ns);
  return shape.relid;
}

// Every spec'd column by name and type; `exact`: and no other live column.
bool resolve_columns(Relation rel, const ColumnSpec* specs, int count, bool exact,
                     AttrNumber* attnums) {
  const TupleDesc desc = RelationGetDescr(rel);
  int live = 0;
  for (int k = 0; k < count; ++k) attnums[k] = InvalidAttrNumber;
  for (int i = 0; i < desc->natts; ++i) {
    const Form_pg_attribute att = TupleDescAttr(desc, i);
    if (att->attisdropped) continue;
    ++live;
    int match = -1;
    for (int k = 0; k < count; ++k) {
      if (strcmp(NameStr(att->attname), specs[k].name) == 0) match = k;
    }
    if (match < 0) {
      if (exact) return false;
      continue;
    }
    if (att->atttypid != specs[match].type || att->attgenerated != '\0') return false;
    attnums[match] = att->attnum;
  }
  for (int k = 0; k < count; ++k) {
    if (attnums[k] == InvalidAttrNumber) return false;
  }
  return !exact || live == count;
}

// A table a row may be inserted into without the executor's statement-level
// machinery: a plain table, no CHECK constraint, no stored generated column,
// no insert trigger, no forced row-level security.
bool plain_insert_target(Relation rel) {
  if (rel->rd_rel->relkind != RELKIND_RELATION || rel->rd_rel->relispartition ||
      rel->rd_rel->relforcerowsecurity) {
    return false;
  }
  const TupleConstr* constr = RelationGetDescr(rel)->constr;
  if (constr != nullptr && (constr->num_check > 0 || constr->has_generated_stored)) return false;
  const TriggerDesc* triggers = rel->trigdesc;
  return triggers == nullptr ||
         !(triggers->trig_insert_before_row || triggers->trig_insert_after_row ||
           triggers->trig_insert_instead_row || triggers->trig_insert_before_statement ||
           triggers->trig_insert_after_statement || triggers->trig_insert_new_table);
}

void check_runs(Relation rel) {
  Shape& s = runs_shape;
  // Opening the table may have applied an invalidation that forgot it.
  s.relid = RelationGetRelid(rel);
  s.checked = true;
  s.usable = plain_insert_target(rel) &&
             resolve_columns(rel, kRunSpecs, kRunColumns, true, s.attnums) &&
             TupleDescAttr(RelationGetDescr(rel), s.attnums[kId] - 1)->attidentity ==
                 ATTRIBUTE_IDENTITY_ALWAYS;
  if (s.usable) s.sequence = getIdentitySequence(s.relid, s.attnums[kId], false);
}

void check_payloads(Relation rel) {
  Shape& s = payloads_shape;
  // Opening the table may have applied an invalidation that forgot it.
  s.relid = RelationGetRelid(rel);
  s.checked = true;
  s.usable = plain_insert_target(rel) &&
             resolve_columns(rel, kPayloadSpecs, kPayloadColumns, true, s.attnums);
}

// workflows_tenant_name_key: a valid unique btree whose two key columns are
// (tenant, name), with the default text equality.
void check_workflows(Relation rel) {
  Shape& s = workflows_shape;
  // Opening the table may have applied an invalidation that forgot it.
  s.relid = RelationGetRelid(rel);
  s.checked = true;
  s.usable = false;
  if (!resolve_columns(rel, kWorkflowSpecs, kWorkflowColumns, false, s.attnums)) return;
  const Oid ns = RelationGetNamespace(rel);
  const Oid index_oid = get_relname_relid("workflows_tenant_name_key", ns);
  if (!OidIsValid(index_oid)) return;
  Relation index = index_open(index_oid, AccessShareLock);
  const Form_pg_index form = index->rd_index;
  const bool fits = form->indrelid == s.relid && form->indisunique && form->indisvalid &&
                    index->rd_rel->relam == BTREE_AM_OID && form->indnkeyatts == 2 &&
                    form->indkey.values[0] == s.attnums[kWfTenant] &&
                    form->indkey.values[1] == s.attnums[kWfName] &&
                    RelationGetIndexPredicate(index) == NIL &&
                    RelationGetIndexExpressions(index) == NIL &&
                    index->rd_opcintype[0] == TEXTOID && index->rd_opcintype[1] == TEXTOID;
  index_close(index, NoLock);
  if (!fits) return;
  s.index = index_oid;
  s.usable = true;
}

// Inserts one row as logical replication applies one: NOT NULL checked,
// every index maintained (unique ones checked, partial ones by predicate).
void insert_row(EState* estate, Relation rel, Index range_index, const Datum* values,
                const bool* nulls) {
  ResultRelInfo* info = makeNode(ResultRelInfo);
  InitResultRelInfo(info, rel, range_index, nullptr, 0);
  ExecOpenIndices(info, false);
  TupleTableSlot* slot = table_slot_create(rel, &estate->es_tupleTable);
  ExecClearTuple(slot);
  const int natts = RelationGetDescr(rel)->natts;
  memcpy(slot->tts_values, values, sizeof(Datum) * natts);
  memcpy(slot->tts_isnull, nulls, sizeof(bool) * natts);
  ExecStoreVirtualTuple(slot);
  ExecSimpleRelationInsert(info, estate, slot);
  ExecCloseIndices(info);
}

RangeTblEntry* range_entry(Relation rel) {
  RangeTblEntry* rte = makeNode(RangeTblEntry);
  rte->rtekind = RTE_RELATION;
  rte->relid = RelationGetRelid(rel);
  rte->relkind = rel->rd_rel->relkind;
  rte->rellockmode = RowExclusiveLock;
  return rte;
}

}  // namespace

DirectLookup find_workflow_directly(const std::string& tenant, const std::string& name,
                                    WorkflowRef& ref) {
  struct Found {
    DirectLookup status;
    Oid table;
    std::int64_t id;
    std::int32_t version;
    std::int64_t revision;
  };
  const char* tenant_text = tenant.c_str();
  const char* name_text = name.c_str();
  const Found found = pg_call([tenant_text, name_text]() noexcept {
    Found f{DirectLookup::Unavailable, InvalidOid, 0, 0, 0};
    const Oid relid = table_oid(workflows_shape, "workflows");
    if (!OidIsValid(relid)) return f;
    // Opening takes the lock, which first applies pending invalidations.
    Relation rel = table_open(relid, AccessShareLock);
    if (!workflows_shape.checked) check_workflows(rel);
    if (!workflows_shape.usable) {
      table_close(rel, NoLock);
      return f;
    }
    const Shape& s = workflows_shape;
    Relation index = index_open(s.index, AccessShareLock);
    // What a new SQL statement would see (SPI does the same).
    CommandCounterIncrement();
    Snapshot snapshot = RegisterSnapshot(GetTransactionSnapshot());
    ScanKeyData keys[2];
    ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid,
                           index->rd_indcollation[0], F_TEXTEQ, CStringGetTextDatum(tenant_text));
    ScanKeyEntryInitialize(&keys[1], 0, 2, BTEqualStrategyNumber, InvalidOid,
                           index->rd_indcollation[1], F_TEXTEQ, CStringGetTextDatum(name_text));
    IndexScanDesc scan = index_beginscan(rel, index, snapshot, 2, 0);
    index_rescan(scan, keys, 2, nullptr, 0);
    TupleTableSlot* slot = table_slot_create(rel, nullptr);
    f.status = DirectLookup::NotFound;
    if (index_getnext_slot(scan, ForwardScanDirection, slot)) {
      bool isnull = false;
      f.status = DirectLookup::Found;
      f.table = relid;
      f.id = DatumGetInt64(slot_getattr(slot, s.attnums[kWfId], &isnull));
      f.version = DatumGetInt32(slot_getattr(slot, s.attnums[kWfVersion], &isnull));
      f.revision = DatumGetInt64(slot_getattr(slot, s.attnums[kWfRevision], &isnull));
    }
    ExecDropSingleTupleTableSlot(slot);
    index_endscan(scan);
    UnregisterSnapshot(snapshot);
    // Locks are held to the end of the transaction, as a statement's are.
    index_close(index, NoLock);
    table_close(rel, NoLock);
    return f;
  });
  if (found.status == DirectLookup::Found) {
    ref.table = found.table;
    ref.id = found.id;
    ref.version = found.version;
    ref.revision = found.revision;
  }
  return found.status;
}

std::optional<std::int64_t> insert_run_directly(const RunRecord& run) {
  const RunRecord* r = &run;
  const std::int64_t id = pg_call([r]() noexcept -> std::int64_t {
    const Oid runs_oid = table_oid(runs_shape, "runs");
    const Oid payloads_oid = table_oid(payloads_shape, "run_payloads");
    if (!OidIsValid(runs_oid) || !OidIsValid(payloads_oid)) return -1;
    Relation runs = table_open(runs_oid, RowExclusiveLock);
    Relation payloads = table_open(payloads_oid, RowExclusiveLock);
    if (!runs_shape.checked) check_runs(runs);
    if (!payloads_shape.checked) check_payloads(payloads);
    if (!runs_shape.usable || !payloads_shape.usable) {
      table_close(payloads, NoLock);
      table_close(runs, NoLock);
      return -1;
    }
    const std::int64_t run_id = nextval_internal(runs_shape.sequence, false);

    Datum run_values[kMaxColumns + 1] = {};
    bool run_nulls[kMaxColumns + 1] = {};
    const int run_natts = RelationGetDescr(runs)->natts;
    Datum* values = static_cast<Datum*>(palloc0(sizeof(Datum) * run_natts));
    bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * run_natts));
    for (int i = 0; i < run_natts; ++i) nulls[i] = true;  // dropped columns
    run_values[kId] = Int64GetDatum(run_id);
    run_values[kWorkflowId] = Int64GetDatum(r->workflow_id);
    run_values[kWorkflowVersion] = Int32GetDatum(r->workflow_version);
    run_values[kTenant] = CStringGetTextDatum(r->tenant.c_str());
    run_values[kStatus] = CStringGetTextDatum("succeeded");
    run_values[kAttempts] = Int32GetDatum(1);
    run_values[kRunBy] = CStringGetTextDatum(r->run_by.c_str());
    run_values[kCreatedAt] = TimestampTzGetDatum(r->started_at);
    run_values[kStartedAt] = TimestampTzGetDatum(r->started_at);
    run_values[kFinishedAt] = TimestampTzGetDatum(r->finished_at);
    run_nulls[kErrorCode] = true;
    run_values[kPriority] = Int32GetDatum(0);
    run_values[kRunAt] = TimestampTzGetDatum(r->started_at);
    run_nulls[kIdempotencyKey] = true;
    run_nulls[kWorkerPid] = true;
    run_nulls[kLeaseExpiresAt] = true;
    run_values[kRunByRole] = ObjectIdGetDatum(r->run_by_role);
    run_values[kCancelRequested] = BoolGetDatum(false);
    run_values[kWorkflowRevision] = Int64GetDatum(r->workflow_revision);
    run_values[kAttemptsBase] = Int32GetDatum(0);
    for (int k = 0; k < kRunColumns; ++k) {
      const int i = runs_shape.attnums[k] - 1;
      values[i] = run_values[k];
      nulls[i] = run_nulls[k];
    }

    const int payload_natts = RelationGetDescr(payloads)->natts;
    Datum* payload_values = static_cast<Datum*>(palloc0(sizeof(Datum) * payload_natts));
    bool* payload_nulls = static_cast<bool*>(palloc(sizeof(bool) * payload_natts));
    for (int i = 0; i < payload_natts; ++i) payload_nulls[i] = true;
    const auto set_payload = [&](int column, Datum value, bool isnull) {
      const int i = payloads_shape.attnums[column] - 1;
      payload_values[i] = value;
      payload_nulls[i] = isnull;
    };
    set_payload(kRunId, Int64GetDatum(run_id), false);
    set_payload(kPayloadTenant, run_values[kTenant], false);
    set_payload(kInput, r->input != nullptr ? JsonbPGetDatum(r->input) : Datum(0),
                r->input == nullptr);
    set_payload(kResult, JsonbPGetDatum(r->result), false);
    set_payload(kError, Datum(0), true);

    EState* estate = CreateExecutorState();
    ExecInitRangeTable(estate, list_make2(range_entry(runs), range_entry(payloads)));
    estate->es_output_cid = GetCurrentCommandId(true);
    insert_row(estate, runs, 1, values, nulls);
    insert_row(estate, payloads, 2, payload_values, payload_nulls);
    ExecResetTupleTable(estate->es_tupleTable, false);
    FreeExecutorState(estate);
    table_close(payloads, NoLock);
    table_close(runs, NoLock);
    // What follows in this transaction (node rows, the caller's next
    // statement) sees the rows, as after an SQL statement.
    CommandCounterIncrement();
    return run_id;
  });
  if (id < 0) return std::nullopt;
  return id;
}

}  // namespace thaiyyal::pg
