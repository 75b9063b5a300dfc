// A Host for durable runs (docs/DURABLE_RUNS.md): it stands between the
// engine and the real host, answers from the journal of earlier attempts
// what they already asked (journal.hpp), and records what this attempt asks
// for the first time.
//
//  * Wall clock and random bits: replayed, else read and recorded.
//  * Sleeps: a recorded sleep returns at once; time then moves on by what
//    it lasted (the monotonic clock the engine sees is the live one plus
//    the time replayed answers took the first time), so deadlines, TTLs and
//    rate limits see the run's original timeline.
//  * SQL statements: replayed when the node's next recorded answer is for
//    the same statement (fingerprint of its text and parameters); else
//    executed with SqlService::*_with_checkpoint, so that the answer and
//    every entry pending before it commit in the statement's transaction:
//    after a crash at any instant, a statement's effects exist exactly once.
//  * HTTP requests: replayed likewise; else sent with an Idempotency-Key
//    (the run's key, the node, the request's index in the node) and the
//    answer made durable right after (CheckpointWriter::write_now): a request
//    whose answer was recorded is never sent again; one whose answer was
//    lost in a crash is sent again with the same key.
//  * Node completions: recorded; a node whose completion and every answer
//    were replayed is `restored`.
//
// A recorded answer that does not fit (another statement, a request where
// the node now finishes) throws JournalMismatch, unless the journal is
// lenient (retry and fork): then the node's remaining entries are cut and it
// executes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/run/host.hpp"
#include "engine/run/journal.hpp"
#include "engine/run/sql_service.hpp"

namespace thaiyyal {

// Where a durable run's new entries go.
class CheckpointWriter {
 public:
  virtual ~CheckpointWriter() = default;
  // Makes `entries` durable now, in a transaction of its own.
  virtual void write_now(const std::vector<JournalEntry>& entries) = 0;
  // Called inside the transaction of a SQL statement that just succeeded:
  // `entries` commit with it.
  virtual void write_in_statement_transaction(const std::vector<JournalEntry>& entries) = 0;
};

class JournalingHost final : public Host {
 public:
  // Sleeps at least this long are checkpointed as soon as they end.
  static constexpr std::int64_t kDurableSleepNanos = 100'000'000;

  // `idempotency_key`: the run's part of every request's Idempotency-Key.
  JournalingHost(Host& live, RunJournal& journal, CheckpointWriter& writer,
                 std::string idempotency_key);
  JournalingHost(const JournalingHost&) = delete;
  JournalingHost& operator=(const JournalingHost&) = delete;

  void check_interrupts() override { live_.check_interrupts(); }
  std::int64_t now_unix_nanos() override;
  std::int64_t monotonic_nanos() override { return live_.monotonic_nanos() + replayed_nanos_; }
  void sleep_nanos(std::int64_t nanos) override;
  void log_debug(std::string_view message) override { live_.log_debug(message); }
  std::uint64_t random_u64() override;
  SqlService* sql() override { return live_.sql() != nullptr ? &sql_ : nullptr; }
  HttpResponse http_get(const HttpRequest& request) override;
  void node_starting(std::string_view node_id, std::string_view node_type) override;
  void node_finished(std::string_view node_id, bool succeeded) override;
  bool observes_nodes() const override { return true; }

  // How many answers this attempt replayed and asked for (tests, logs).
  std::int64_t replayed() const { return replayed_; }
  std::int64_t asked() const { return asked_; }

 private:
  class JournalingSql final : public SqlService {
   public:
    explicit JournalingSql(JournalingHost& host) : host_(host) {}
    SqlQueryResult query(std::string_view query, const std::vector<Value>& params,
                         std::int64_t max_rows) override;
    std::int64_t batch(std::string_view table, SqlBatchMode mode,
                       const std::vector<std::string>& key, const Value& rows) override;

   private:
    JournalingHost& host_;
  };

  // The node's next recorded entry if it is of `kind` (and, for requests,
  // has `fingerprint`); nullptr when the node has nothing more recorded.
  // Throws JournalMismatch (or, lenient, cuts the node) when it does not fit.
  const JournalEntry* replay(JournalEntry::Kind kind, std::string_view fingerprint = {});
  void went_live();
  void record(JournalEntry::Kind kind, Value value);

  Host& live_;
  RunJournal& journal_;
  CheckpointWriter& writer_;
  std::string idempotency_key_;
  JournalingSql sql_;
  std::string node_;  // the node executing, "" between nodes
  std::map<std::string, std::int64_t, std::less<>> requests_in_node_;
  std::int64_t replayed_nanos_ = 0;
  std::int64_t replayed_ = 0;
  std::int64_t asked_ = 0;
};

}  // namespace thaiyyal
