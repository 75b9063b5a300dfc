// The journal of a durable run (docs/DURABLE_RUNS.md): everything one
// execution of a plan learnt from outside the engine -- the wall clock, random
// bits, how long it slept, what its SQL statements and HTTP requests
// returned -- per node, in order, plus a marker for each node that
// completed.
//
// The engine is deterministic given those answers, so a later attempt that
// executes the same plan with the same input and is given the same answers
// (JournalingHost, journaling_host.hpp) computes the same Result, and never
// repeats a statement or a request whose answer was recorded. Pure nodes are
// simply computed again; only what they could not compute is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/value/value.hpp"

namespace thaiyyal {

struct JournalEntry {
  enum class Kind : char {
    WallClock = 'u',  // value: nanoseconds since the Unix epoch
    Random = 'r',     // value: 64 random bits (an Int)
    Sleep = 's',      // value: nanoseconds actually slept
    SqlQuery = 'q',   // value: {"f": fingerprint, "count", "rows", "ns": duration}
    SqlBatch = 'b',   // value: {"f": fingerprint, "count", "ns": duration}
    Http = 'h',  // value: {"f": fingerprint, "outcome", "error", "status", "type", "body", "ns"}
    NodeDone = 'd',  // the node completed (no value)
    // Written by retry and fork (catalog) rather than by a run:
    Cut = 'c',            // forget the node's earlier entries: it executes again
    CutUnfinished = 'C',  // forget the entries of every node without a NodeDone so far
    Lenient = 'L',  // a request that differs from the recorded one executes instead of failing
  };
  std::string node;  // "" = the run itself (before its first node, or between nodes)
  Kind kind = Kind::NodeDone;
  Value value;
};

// The stored form of a batch of entries (value_codec.hpp: exact, any bytes).
std::string encode_journal(const std::vector<JournalEntry>& entries);
// The inverse, appending to `out`; throws JournalFormatError for anything
// encode_journal did not write.
void decode_journal(std::string_view stored, std::vector<JournalEntry>& out);

class JournalFormatError {
 public:
  explicit JournalFormatError(std::string message) : message_(std::move(message)) {}
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// A recorded answer that does not fit the question the engine asks now (a
// different statement, a request where a node finished, ...): the plan, the
// input or the engine changed between attempts. Not a std::exception, so
// that no node can swallow it.
class JournalMismatch {
 public:
  JournalMismatch(std::string node, std::string message)
      : node_(std::move(node)), message_(std::move(message)) {}
  const std::string& node() const { return node_; }
  const std::string& message() const { return message_; }

 private:
  std::string node_;
  std::string message_;
};

// What earlier attempts recorded, as one queue per node, and what this
// attempt adds (pending, until the host makes it durable).
class RunJournal {
 public:
  RunJournal() = default;
  // Entries of earlier attempts in the order they were written; cut markers
  // take effect where they stand.
  explicit RunJournal(const std::vector<JournalEntry>& recorded);

  bool lenient() const { return lenient_; }
  bool empty() const { return queues_.empty(); }

  // The next recorded entry of `node` not yet replayed, or nullptr.
  const JournalEntry* peek(std::string_view node) const;
  // Consumes the entry peek() returned.
  void pop(std::string_view node);
  // Drops the rest of `node`'s recorded entries (it goes live from here).
  void drop(std::string_view node);

  // Appends an entry made by this attempt.
  void record(JournalEntry entry) { pending_.push_back(std::move(entry)); }
  // The entries recorded and not yet durable, oldest first.
  const std::vector<JournalEntry>& pending() const { return pending_; }
  // The first `count` pending entries are durable now.
  void forget_pending(std::size_t count);
  // Takes back the pending entries after the first `size`.
  void truncate_pending(std::size_t size) {
    if (size < pending_.size()) pending_.resize(size);
  }

  // Whether `node` completed in an earlier attempt and this attempt replayed
  // it without asking the outside world anything.
  bool restored(std::string_view node) const;
  void set_restored(std::string_view node) { restored_.emplace(node, true); }
  void set_live(std::string_view node) { restored_[std::string(node)] = false; }

 private:
  std::map<std::string, std::deque<JournalEntry>, std::less<>> queues_;
  std::map<std::string, bool, std::less<>> restored_;
  std::vector<JournalEntry> pending_;
  bool lenient_ = false;
};

// A stable 64-bit digest (FNV-1a) as 16 hex digits: what identifies a
// statement or a request across attempts.
std::string fingerprint(std::string_view text);

}  // namespace thaiyyal
