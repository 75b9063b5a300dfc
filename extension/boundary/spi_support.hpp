// SPI from C++: the connection, internal subtransactions, and turning a
// PostgreSQL error raised by a statement into a node error.
//
// Every call into SPI goes through pg_call (pg_guard.hpp). SPI state left
// behind by an ERROR is cleaned up by PostgreSQL itself when the
// (sub)transaction that was current at SPI_connect aborts, which is why
// SpiConnection's destructor does not call SPI_finish: only finish() does,
// on the success path.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/thaiyyal.hpp"

#include "extension/boundary/pg_guard.hpp"

namespace thaiyyal::pg {

class SpiConnection {
 public:
  SpiConnection();
  ~SpiConnection() = default;
  SpiConnection(const SpiConnection&) = delete;
  SpiConnection& operator=(const SpiConnection&) = delete;

  // SPI_finish; restores the memory context current before SPI_connect.
  void finish();

 private:
  bool finished_ = false;
};

// A fixed internal statement (catalog lookups and writes): prepared with
// SPI_prepare + SPI_keepplan on first use and kept for the life of the
// backend (PostgreSQL re-plans it after DDL on its tables). Instances are
// static; tables and functions are schema-qualified, and it is prepared and
// executed with search_path = pg_catalog, pg_temp (so operators too
// resolve to pg_catalog's). It runs as the current user: see identity.hpp
// for running it as the catalog owner.
class KeptStatement {
 public:
  KeptStatement(const char* sql, std::initializer_list<Oid> types) : sql_(sql), types_(types) {}
  KeptStatement(const KeptStatement&) = delete;
  KeptStatement& operator=(const KeptStatement&) = delete;

  // SPI_execute_plan (read_only = false: a fresh snapshot, sees the
  // caller's earlier writes); nulls[i] = 'n' for NULL. Afterwards
  // SPI_tuptable / SPI_processed hold the result. Throws PgError.
  void execute(const Datum* values, const char* nulls, long tcount = 0);

 private:
  const char* sql_;
  std::vector<Oid> types_;
  SPIPlanPtr plan_ = nullptr;
};

// Reading the result of the last SPI statement: row `row` (0-based),
// column `attno` (1-based).
std::uint64_t result_rows();
Datum result_value(int row, int attno, bool* isnull);
// The column as text; `fallback` when it is NULL.
std::string result_text(int row, int attno, const std::string& fallback = {});
// A text Datum in the current memory context.
Datum text_datum(const std::string& text);

// An internal subtransaction, as PL/pgSQL's exception blocks use them:
// begin() keeps the caller's memory context and resource owner current,
// commit() / rollback() end the subtransaction and restore both. Use it
// only through in_subtransaction(), which guarantees that every path ends
// it (a subtransaction left open would be closed by the wrong code).
class SubTransaction {
 public:
  SubTransaction();
  ~SubTransaction() = default;
  SubTransaction(const SubTransaction&) = delete;
  SubTransaction& operator=(const SubTransaction&) = delete;

  void commit();
  void rollback();

 private:
  MemoryContext context_;
  ResourceOwner owner_;
};

// Runs body() in a subtransaction: committed when it returns, rolled back
// when it throws (the exception then propagates, or the rollback's own
// PgError if even that fails).
template <typename Fn>
auto in_subtransaction(Fn&& body) -> decltype(body()) {
  SubTransaction sub;
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      sub.commit();
    } else {
      auto result = body();
      sub.commit();
      return result;
    }
  } catch (...) {
    sub.rollback();
    throw;
  }
}

// "42501" for ERRCODE_INSUFFICIENT_PRIVILEGE.
std::string sqlstate_text(int sqlerrcode);

// Errors that must not become node errors: query cancel and the other
// operator interventions (class 57), and serialization failures and
// deadlocks (class 40), which callers retry on their SQLSTATE.
bool propagates_unchanged(const PgError& error);

// A statement's error as a node error: the PostgreSQL message, DETAIL
// "SQLSTATE xxxxx[: <PostgreSQL detail>]".
NodeError node_error_from(const PgError& error);
NodeError node_error_from(const SqlError& error);

}  // namespace thaiyyal::pg
