// Transactions and identity of a background worker (worker_transaction.hpp).
#include "extension/workers/worker_transaction.hpp"

#include <string>

#include "extension/boundary/pg_guard.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/pg_db_role_setting.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
}

namespace thaiyyal::pg {

WorkerTransaction::WorkerTransaction() : caller_context_(CurrentMemoryContext) {
  pg_call([]() noexcept {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    PushActiveSnapshot(GetTransactionSnapshot());
  });
  open_ = true;
  const int rc = pg_call([]() noexcept { return SPI_connect(); });
  if (rc != SPI_OK_CONNECT) {
    throw SqlError(ERRCODE_INTERNAL_ERROR,
                   std::string("SPI_connect failed: ") + SPI_result_code_string(rc));
  }
}

WorkerTransaction::~WorkerTransaction() {
  if (open_) {
    // SPI, the snapshot, locks, GUC nesting and the user id are all cleaned
    // up by the abort.
    try {
      pg_call([]() noexcept { AbortCurrentTransaction(); });
    } catch (...) {
      // Nothing left to do in a destructor; the next StartTransactionCommand
      // would report a broken state.
    }
  }
  MemoryContextSwitchTo(caller_context_);
}

void WorkerTransaction::commit() {
  pg_call([]() noexcept {
    SPI_finish();
    PopActiveSnapshot();
    CommitTransactionCommand();
  });
  open_ = false;
  MemoryContextSwitchTo(caller_context_);
}

namespace {

// Settings that would change who the statements run as. At a login they
// are checked against the logging-in user; here the session user is the
// worker's superuser, so they are never applied.
bool identity_setting(const char* name) {
  return pg_strcasecmp(name, "role") == 0 || pg_strcasecmp(name, "session_authorization") == 0;
}

// One row of pg_db_role_setting, as ProcessGUCArray applies it (PGC_SUSET:
// the values were checked when ALTER ROLE / DATABASE stored them; a value
// that no longer applies is a WARNING, as at login). The source is
// PGC_S_SESSION, not the login-time PGC_S_USER & co.: those would make
// the values the worker's RESET defaults, which no GUC nest level reverts.
// Plain C.
void apply_settings_row(Snapshot snapshot, Relation settings, Oid database, Oid role) noexcept {
  ScanKeyData keys[2];
  ScanKeyInit(&keys[0], Anum_pg_db_role_setting_setdatabase, BTEqualStrategyNumber, F_OIDEQ,
              ObjectIdGetDatum(database));
  ScanKeyInit(&keys[1], Anum_pg_db_role_setting_setrole, BTEqualStrategyNumber, F_OIDEQ,
              ObjectIdGetDatum(role));
  SysScanDesc scan =
      systable_beginscan(settings, DbRoleSettingDatidRolidIndexId, true, snapshot, 2, keys);
  HeapTuple tuple;
  while (HeapTupleIsValid(tuple = systable_getnext(scan))) {
    bool isnull = false;
    const Datum config =
        heap_getattr(tuple, Anum_pg_db_role_setting_setconfig, RelationGetDescr(settings), &isnull);
    if (isnull) continue;
    ArrayType* array = DatumGetArrayTypeP(config);
    if (ARR_NDIM(array) != 1) continue;
    for (int i = 1; i <= ARR_DIMS(array)[0]; ++i) {
      const Datum item = array_ref(array, 1, &i, -1 /* varlena */, -1 /* TEXT's typlen */, false,
                                   TYPALIGN_INT, &isnull);
      if (isnull) continue;
      char* option = TextDatumGetCString(item);
      char* name = nullptr;
      char* value = nullptr;
      ParseLongOption(option, &name, &value);
      if (value != nullptr && !identity_setting(name)) {
        (void)set_config_option(name, value, PGC_SUSET, PGC_S_SESSION, GUC_ACTION_SET, true,
                                WARNING, false);
      }
      pfree(option);
      // ParseLongOption allocates with malloc (guc_malloc), as
      // ProcessGUCArray knows.
      free(name);
      free(value);
    }
  }
  systable_endscan(scan);
}

// What PostgreSQL applies when the role logs in (postinit.c's
// process_settings): ALTER ROLE ... IN DATABASE, ALTER ROLE, ALTER
// DATABASE and ALTER ROLE ALL settings -- applied here from the least to
// the most specific, each overriding the ones before. Plain C, inside
// pg_call, at a GUC nest level that reverts them.
void apply_role_settings(Oid role) noexcept {
  Relation settings = table_open(DbRoleSettingRelationId, AccessShareLock);
  Snapshot snapshot = RegisterSnapshot(GetCatalogSnapshot(DbRoleSettingRelationId));
  apply_settings_row(snapshot, settings, InvalidOid, InvalidOid);
  apply_settings_row(snapshot, settings, MyDatabaseId, InvalidOid);
  apply_settings_row(snapshot, settings, InvalidOid, role);
  apply_settings_row(snapshot, settings, MyDatabaseId, role);
  UnregisterSnapshot(snapshot);
  table_close(settings, AccessShareLock);
}

}  // namespace

RunIdentity::RunIdentity(Oid role, const std::string& tenant) {
  const char* tenant_text = tenant.c_str();
  Oid saved_user = InvalidOid;
  int saved_context = 0;
  guc_nest_level_ = pg_call([role, tenant_text, &saved_user, &saved_context]() noexcept {
    GetUserIdAndSecContext(&saved_user, &saved_context);
    const int level = NewGUCNestLevel();
    SetUserIdAndSecContext(
        role, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
    apply_role_settings(role);
    (void)set_config_option("thaiyyal.tenant", tenant_text, PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    return level;
  });
  saved_user_ = saved_user;
  saved_security_context_ = saved_context;
}

void RunIdentity::end() {
  if (ended_) return;
  ended_ = true;
  const int level = guc_nest_level_;
  const Oid user = saved_user_;
  const int context = saved_security_context_;
  pg_call([level, user, context]() noexcept {
    AtEOXact_GUC(false, level);  // revert whatever the run's statements SET
    SetUserIdAndSecContext(user, context);
  });
}

ErrorInfo capture_error(const PgError& error) {
  ErrorInfo info;
  info.sqlerrcode = error.sqlerrcode();
  info.message = error.message();
  if (error.edata() != nullptr && error.edata()->detail != nullptr) {
    info.detail = error.edata()->detail;
  }
  return info;
}

void commit_synchronously() {
  pg_call([]() noexcept {
    (void)set_config_option("synchronous_commit", "on", PGC_SUSET, PGC_S_SESSION, GUC_ACTION_LOCAL,
                            true, 0, false);
  });
}

void prefer_index_scans() {
  pg_call([]() noexcept {
    (void)set_config_option("enable_bitmapscan", "off", PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_LOCAL, true, 0, false);
    (void)set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_LOCAL,
                            true, 0, false);
  });
}

void log_worker_error(const char* what, const ErrorInfo& error) noexcept {
  const char* message = error.message.c_str();
  const char* code = unpack_sql_state(error.sqlerrcode);
  PG_TRY();
  {
    ereport(LOG, (errmsg("thaiyyal worker: %s: %s", what, message),
                  errdetail_internal("SQLSTATE %s", code)));
  }
  PG_CATCH();
  { FlushErrorState(); }
  PG_END_TRY();
}

}  // namespace thaiyyal::pg
