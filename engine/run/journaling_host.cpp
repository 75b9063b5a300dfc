// JournalingHost (journaling_host.hpp).
#include "engine/run/journaling_host.hpp"

#include <bit>
#include <utility>

#include "engine/run/node_error.hpp"
#include "engine/value/value_codec.hpp"

namespace thaiyyal {

namespace {

std::string kind_name(JournalEntry::Kind kind) {
  switch (kind) {
    case JournalEntry::Kind::WallClock:
      return "a clock reading";
    case JournalEntry::Kind::Random:
      return "random bits";
    case JournalEntry::Kind::Sleep:
      return "a wait";
    case JournalEntry::Kind::SqlQuery:
      return "a sql_query statement";
    case JournalEntry::Kind::SqlBatch:
      return "a sql_batch statement";
    case JournalEntry::Kind::Http:
      return "an HTTP request";
    case JournalEntry::Kind::NodeDone:
      return "the end of the node";
    default:
      return "a marker";
  }
}

std::int64_t int_field(const Value& v, std::string_view key) {
  const Value* f = v.find(key);
  return f != nullptr && f->is_int() ? f->as_int() : 0;
}

std::string string_field(const Value& v, std::string_view key) {
  const Value* f = v.find(key);
  return f != nullptr && f->is_string() ? f->as_string() : std::string();
}

bool fingerprint_matches(const JournalEntry& entry, std::string_view fingerprint) {
  if (fingerprint.empty()) return true;
  const Value* f = entry.value.find("f");
  return f != nullptr && f->is_string() && f->as_string() == fingerprint;
}

// What identifies a statement's arguments: their exact encoding (kinds
// included; NaN and any bytes are fine).
void append_encoded(std::string& out, const std::vector<Value>& values) {
  for (const Value& v : values) encode_value(out, v);
}

// Runs `statement`; if it throws, the entries it recorded are taken back:
// what did not commit must not be written later as if it had.
template <typename Fn>
auto undoing_pending_on_failure(RunJournal& journal, Fn&& statement) {
  const std::size_t before = journal.pending().size();
  try {
    return statement();
  } catch (...) {
    journal.truncate_pending(before);
    throw;
  }
}

// The node id inside a header value: bytes outside RFC 3986's unreserved
// set are %-escaped, so that no id can end or extend the header.
std::string header_safe(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

Value response_value(const HttpResponse& r, const std::string& fingerprint, std::int64_t nanos) {
  return make_object({{"body", Value::string(r.body)},
                      {"error", Value::string(r.error)},
                      {"f", Value::string(fingerprint)},
                      {"ns", Value::integer(nanos)},
                      {"outcome", Value::integer(static_cast<std::int64_t>(r.outcome))},
                      {"status", Value::integer(r.status)},
                      {"type", Value::string(r.content_type)}});
}

HttpResponse response_of(const Value& v) {
  HttpResponse r;
  r.outcome = static_cast<HttpResponse::Outcome>(int_field(v, "outcome"));
  r.error = string_field(v, "error");
  r.status = static_cast<long>(int_field(v, "status"));
  r.content_type = string_field(v, "type");
  r.body = string_field(v, "body");
  return r;
}

}  // namespace

JournalingHost::JournalingHost(Host& live, RunJournal& journal, CheckpointWriter& writer,
                               std::string idempotency_key)
    : live_(live),
      journal_(journal),
      writer_(writer),
      idempotency_key_(std::move(idempotency_key)),
      sql_(*this) {}

const JournalEntry* JournalingHost::replay(JournalEntry::Kind kind, std::string_view fingerprint) {
  const JournalEntry* entry = journal_.peek(node_);
  // Waits are timing, not answers: the node may wait more or fewer times
  // now that the answers it waited for come back at once.
  while (entry != nullptr && entry->kind == JournalEntry::Kind::Sleep &&
         kind != JournalEntry::Kind::Sleep) {
    replayed_nanos_ += entry->value.is_int() ? entry->value.as_int() : 0;
    journal_.pop(node_);
    entry = journal_.peek(node_);
  }
  if (entry == nullptr) return nullptr;
  if (entry->kind == kind && fingerprint_matches(*entry, fingerprint)) return entry;
  if (kind == JournalEntry::Kind::Sleep) return nullptr;
  const std::string what =
      entry->kind == kind
          ? kind_name(kind) + " that differs from the recorded one"
          : kind_name(kind) + " where the recorded run had " + kind_name(entry->kind);
  if (!journal_.lenient()) {
    throw JournalMismatch(node_, "node \"" + node_ + "\" asked for " + what);
  }
  // Retry and fork: the node executes again from here; later attempts must
  // not replay its old entries in front of the new ones.
  journal_.drop(node_);
  record(JournalEntry::Kind::Cut, Value());
  return nullptr;
}

void JournalingHost::went_live() {
  ++asked_;
  journal_.set_live(node_);
}

void JournalingHost::record(JournalEntry::Kind kind, Value value) {
  journal_.record(JournalEntry{node_, kind, std::move(value)});
}

std::int64_t JournalingHost::now_unix_nanos() {
  if (const JournalEntry* e = replay(JournalEntry::Kind::WallClock)) {
    const std::int64_t t = e->value.is_int() ? e->value.as_int() : 0;
    journal_.pop(node_);
    ++replayed_;
    return t;
  }
  went_live();
  const std::int64_t t = live_.now_unix_nanos();
  record(JournalEntry::Kind::WallClock, Value::integer(t));
  return t;
}

std::uint64_t JournalingHost::random_u64() {
  if (const JournalEntry* e = replay(JournalEntry::Kind::Random)) {
    const auto bits = static_cast<std::uint64_t>(e->value.is_int() ? e->value.as_int() : 0);
    journal_.pop(node_);
    ++replayed_;
    return bits;
  }
  went_live();
  const std::uint64_t bits = live_.random_u64();
  record(JournalEntry::Kind::Random, Value::integer(static_cast<std::int64_t>(bits)));
  return bits;
}

void JournalingHost::sleep_nanos(std::int64_t nanos) {
  if (const JournalEntry* e = replay(JournalEntry::Kind::Sleep)) {
    replayed_nanos_ += e->value.is_int() ? e->value.as_int() : 0;
    journal_.pop(node_);
    ++replayed_;
    return;
  }
  went_live();
  const std::int64_t started = live_.monotonic_nanos();
  live_.sleep_nanos(nanos);
  record(JournalEntry::Kind::Sleep, Value::integer(live_.monotonic_nanos() - started));
  // A long wait is made durable at once, so that a resumed attempt does not
  // wait it again; a commit costs little next to it.
  if (nanos >= kDurableSleepNanos) {
    const std::size_t count = journal_.pending().size();
    writer_.write_now(journal_.pending());
    journal_.forget_pending(count);
  }
}

HttpResponse JournalingHost::http_get(const HttpRequest& request) {
  const std::string print = fingerprint("h\n" + request.url);
  const std::int64_t index = requests_in_node_[node_]++;
  if (const JournalEntry* e = replay(JournalEntry::Kind::Http, print)) {
    HttpResponse response = response_of(e->value);
    replayed_nanos_ += int_field(e->value, "ns");
    journal_.pop(node_);
    ++replayed_;
    return response;
  }
  went_live();
  HttpRequest keyed = request;
  keyed.headers.emplace_back(
      "Idempotency-Key", idempotency_key_ + ":" + header_safe(node_) + ":" + std::to_string(index));
  const std::int64_t started = live_.monotonic_nanos();
  HttpResponse response = live_.http_get(keyed);
  record(JournalEntry::Kind::Http,
         response_value(response, print, live_.monotonic_nanos() - started));
  // The answer is durable before the node goes on: it is never asked again.
  const std::size_t count = journal_.pending().size();
  writer_.write_now(journal_.pending());
  journal_.forget_pending(count);
  return response;
}

void JournalingHost::node_starting(std::string_view node_id, std::string_view node_type) {
  node_.assign(node_id);
  live_.node_starting(node_id, node_type);
}

void JournalingHost::node_finished(std::string_view node_id, bool succeeded) {
  if (succeeded) {
    if (const JournalEntry* e = replay(JournalEntry::Kind::NodeDone)) {
      (void)e;
      journal_.pop(node_);
      journal_.set_restored(node_);
    } else {
      journal_.set_live(node_);
      record(JournalEntry::Kind::NodeDone, Value());
    }
  }
  node_.clear();
  live_.node_finished(node_id, succeeded);
}

SqlQueryResult JournalingHost::JournalingSql::query(std::string_view query,
                                                    const std::vector<Value>& params,
                                                    std::int64_t max_rows) {
  JournalingHost& h = host_;
  std::string text = "q\n";
  text.append(query);
  text.push_back('\n');
  append_encoded(text, params);
  text += std::to_string(max_rows);
  const std::string print = fingerprint(text);
  if (const JournalEntry* e = h.replay(JournalEntry::Kind::SqlQuery, print)) {
    SqlQueryResult result;
    result.count = int_field(e->value, "count");
    if (const Value* rows = e->value.find("rows"); rows != nullptr && rows->is_array()) {
      result.rows = rows->as_array();
    }
    h.replayed_nanos_ += int_field(e->value, "ns");
    h.journal_.pop(h.node_);
    ++h.replayed_;
    return result;
  }
  h.went_live();
  const std::int64_t started = h.live_.monotonic_nanos();
  std::size_t written = 0;
  SqlQueryResult result = undoing_pending_on_failure(h.journal_, [&] {
    return h.live_.sql()->query_with_checkpoint(
        query, params, max_rows, [&](const SqlQueryResult& r) {
          h.record(JournalEntry::Kind::SqlQuery,
                   make_object({{"count", Value::integer(r.count)},
                                {"f", Value::string(print)},
                                {"ns", Value::integer(h.live_.monotonic_nanos() - started)},
                                {"rows", Value::array(r.rows)}}));
          written = h.journal_.pending().size();
          h.writer_.write_in_statement_transaction(h.journal_.pending());
        });
  });
  // Committed: the entries are durable with the statement.
  h.journal_.forget_pending(written);
  return result;
}

std::int64_t JournalingHost::JournalingSql::batch(std::string_view table, SqlBatchMode mode,
                                                  const std::vector<std::string>& key,
                                                  const Value& rows) {
  JournalingHost& h = host_;
  std::string text = "b\n";
  text.append(table);
  text.push_back('\n');
  text += std::to_string(static_cast<int>(mode));
  for (const std::string& k : key) {
    text.push_back('\n');
    text += k;
  }
  text.push_back('\n');
  encode_value(text, rows);
  const std::string print = fingerprint(text);
  if (const JournalEntry* e = h.replay(JournalEntry::Kind::SqlBatch, print)) {
    const std::int64_t count = int_field(e->value, "count");
    h.replayed_nanos_ += int_field(e->value, "ns");
    h.journal_.pop(h.node_);
    ++h.replayed_;
    return count;
  }
  h.went_live();
  const std::int64_t started = h.live_.monotonic_nanos();
  std::size_t written = 0;
  const std::int64_t count = undoing_pending_on_failure(h.journal_, [&] {
    return h.live_.sql()->batch_with_checkpoint(table, mode, key, rows, [&](std::int64_t n) {
      h.record(JournalEntry::Kind::SqlBatch,
               make_object({{"count", Value::integer(n)},
                            {"f", Value::string(print)},
                            {"ns", Value::integer(h.live_.monotonic_nanos() - started)}}));
      written = h.journal_.pending().size();
      h.writer_.write_in_statement_transaction(h.journal_.pending());
    });
  });
  h.journal_.forget_pending(written);
  return count;
}

}  // namespace thaiyyal
