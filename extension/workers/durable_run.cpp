// Checkpoints of queued runs (durable_run.hpp).
#include "extension/workers/durable_run.hpp"

#include <string_view>

#include "extension/boundary/spi_support.hpp"
#include "extension/catalog/catalog_sql.hpp"
#include "extension/workers/worker_transaction.hpp"

namespace thaiyyal::pg {

namespace {

SqlError claim_lost(std::int64_t run_id) {
  return SqlError(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
                  "run " + std::to_string(run_id) +
                      " is no longer executed by this worker: its checkpoint is not written",
                  "A recovery took the run back (thaiyyal.run_lease); this attempt's outcome "
                  "is discarded.");
}

}  // namespace

std::vector<JournalEntry> load_checkpoints(std::int64_t run_id) {
  Datum id = Int64GetDatum(run_id);
  catalog_sql::load_checkpoints.execute(&id, " ", 0);
  std::vector<JournalEntry> entries;
  for (std::uint64_t i = 0; i < result_rows(); ++i) {
    bool isnull = false;
    const Datum d = result_value(static_cast<int>(i), 1, &isnull);
    if (isnull) continue;
    const std::string_view bytes = pg_call([d]() noexcept {
      bytea* b = DatumGetByteaPP(d);  // detoasted in the transaction's memory
      return std::string_view(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
    });
    decode_journal(bytes, entries);
  }
  return entries;
}

bool append_checkpoint(std::int64_t run_id, const std::vector<JournalEntry>& entries) {
  if (entries.empty()) return true;
  const std::string bytes = encode_journal(entries);
  Datum values[3] = {Int64GetDatum(run_id), Int32GetDatum(MyProcPid), text_datum(bytes)};
  catalog_sql::write_checkpoint.execute(values, "   ", 1);
  return result_rows() == 1;
}

void append_final_checkpoint(std::int64_t run_id, const std::vector<JournalEntry>& entries) {
  if (entries.empty()) return;
  const std::string bytes = encode_journal(entries);
  Datum values[2] = {Int64GetDatum(run_id), text_datum(bytes)};
  catalog_sql::write_final_checkpoint.execute(values, "  ", 1);
}

void WorkerCheckpointWriter::write_now(const std::vector<JournalEntry>& entries) {
  if (entries.empty()) return;
  WorkerTransaction transaction;
  commit_synchronously();
  if (!append_checkpoint(run_id_, entries)) throw claim_lost(run_id_);
  transaction.commit();
}

void WorkerCheckpointWriter::write_in_statement_transaction(
    const std::vector<JournalEntry>& entries) {
  if (!append_checkpoint(run_id_, entries)) throw claim_lost(run_id_);
}

std::string idempotency_key_of(std::int64_t run_id) {
  return "thaiyyal-run-" + std::to_string(run_id);
}

}  // namespace thaiyyal::pg
