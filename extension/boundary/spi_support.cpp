// SPI connection, internal subtransactions and error conversion (see
// spi_support.hpp).
#include <string>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/identity.hpp"
#include "extension/boundary/spi_support.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

SpiConnection::SpiConnection() {
  const int rc = pg_call([]() noexcept {
    // SPI_connect makes SPI's procedure context current; keep ours.
    const MemoryContext caller_context = CurrentMemoryContext;
    const int result = SPI_connect();
    MemoryContextSwitchTo(caller_context);
    return result;
  });
  if (rc != SPI_OK_CONNECT) {
    throw SqlError(ERRCODE_INTERNAL_ERROR,
                   std::string("SPI_connect failed: ") + SPI_result_code_string(rc));
  }
}

void SpiConnection::finish() {
  if (finished_) return;
  finished_ = true;
  pg_call([]() noexcept { SPI_finish(); });
}

void KeptStatement::execute(const Datum* values, const char* nulls, long tcount) {
  // Prepared and executed with a fixed search_path: operators and functions
  // resolve to pg_catalog's whatever the caller's search_path is.
  FixedSearchPath search_path;
  if (plan_ == nullptr) {
    const char* sql = sql_;
    const int nargs = static_cast<int>(types_.size());
    Oid* types = types_.data();
    plan_ = pg_call([sql, nargs, types]() noexcept {
      const MemoryContext caller_context = CurrentMemoryContext;
      SPIPlanPtr plan = SPI_prepare(sql, nargs, types);
      if (plan == nullptr) {
        elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
      }
      SPI_keepplan(plan);
      MemoryContextSwitchTo(caller_context);
      return plan;
    });
  }
  SPIPlanPtr plan = plan_;
  const int rc = pg_call([plan, values, nulls, tcount]() noexcept {
    const MemoryContext caller_context = CurrentMemoryContext;
    const int result = SPI_execute_plan(plan, const_cast<Datum*>(values), nulls, false, tcount);
    MemoryContextSwitchTo(caller_context);  // SPI leaves its procedure context current
    return result;
  });
  if (rc < 0) {
    throw SqlError(ERRCODE_INTERNAL_ERROR,
                   std::string("SPI_execute_plan failed: ") + SPI_result_code_string(rc));
  }
}

std::uint64_t result_rows() {
  return SPI_processed;
}

Datum result_value(int row, int attno, bool* isnull) {
  return pg_call([row, attno, isnull]() noexcept {
    return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, attno, isnull);
  });
}

std::string result_text(int row, int attno, const std::string& fallback) {
  bool isnull = false;
  const Datum d = result_value(row, attno, &isnull);
  if (isnull) return fallback;
  return std::string(pg_call([d]() noexcept { return TextDatumGetCString(d); }));
}

Datum text_datum(const std::string& text) {
  const char* c = text.c_str();
  const std::size_t n = text.size();
  return pg_call([c, n]() noexcept {
    return PointerGetDatum(cstring_to_text_with_len(c, static_cast<int>(n)));
  });
}

SubTransaction::SubTransaction() : context_(CurrentMemoryContext), owner_(CurrentResourceOwner) {
  MemoryContext context = context_;
  pg_call([context]() noexcept {
    BeginInternalSubTransaction(nullptr);
    // Statements run in the caller's memory context, as in PL/pgSQL.
    MemoryContextSwitchTo(context);
  });
}

void SubTransaction::commit() {
  MemoryContext context = context_;
  ResourceOwner owner = owner_;
  pg_call([context, owner]() noexcept {
    ReleaseCurrentSubTransaction();
    MemoryContextSwitchTo(context);
    CurrentResourceOwner = owner;
  });
}

void SubTransaction::rollback() {
  MemoryContext context = context_;
  ResourceOwner owner = owner_;
  // Restore the caller's state even if the rollback itself fails.
  try {
    pg_call([context]() noexcept {
      MemoryContextSwitchTo(context);
      RollbackAndReleaseCurrentSubTransaction();
    });
  } catch (...) {
    MemoryContextSwitchTo(context);
    CurrentResourceOwner = owner;
    throw;
  }
  MemoryContextSwitchTo(context);
  CurrentResourceOwner = owner;
}

std::string sqlstate_text(int sqlerrcode) {
  return unpack_sql_state(sqlerrcode);
}

bool propagates_unchanged(const PgError& error) {
  if (error.edata() == nullptr) return true;
  const int code = error.sqlerrcode();
  return ERRCODE_TO_CATEGORY(code) == ERRCODE_TO_CATEGORY(ERRCODE_QUERY_CANCELED) ||
         ERRCODE_TO_CATEGORY(code) == ERRCODE_TO_CATEGORY(ERRCODE_T_R_SERIALIZATION_FAILURE);
}

NodeError node_error_from(const PgError& error) {
  const ErrorData* e = error.edata();
  std::string detail = "SQLSTATE " + sqlstate_text(error.sqlerrcode());
  if (e != nullptr && e->detail != nullptr && e->detail[0] != '\0') {
    detail += ": ";
    detail += e->detail;
  }
  return NodeError(error.message(), detail);
}

NodeError node_error_from(const SqlError& error) {
  std::string detail = "SQLSTATE " + sqlstate_text(error.sqlstate());
  if (!error.detail().empty()) detail += ": " + error.detail();
  return NodeError(error.what(), detail);
}

}  // namespace thaiyyal::pg
