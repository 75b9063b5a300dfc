// Transactions and identity of a background worker (worker_transaction.hpp).
#include "worker_transaction.hpp"

#include <string>

#include "pg_guard.hpp"

extern "C" {
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

RunIdentity::RunIdentity(Oid role, const std::string& tenant) {
  const char* tenant_text = tenant.c_str();
  Oid saved_user = InvalidOid;
  int saved_context = 0;
  guc_nest_level_ = pg_call([role, tenant_text, &saved_user, &saved_context]() noexcept {
    GetUserIdAndSecContext(&saved_user, &saved_context);
    const int level = NewGUCNestLevel();
    SetUserIdAndSecContext(
        role, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
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
