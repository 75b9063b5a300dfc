// Durable runs (engine/run/journal.hpp, journaling_host.hpp): a run that is
// killed at any durability point and resumed from what was committed ends
// with each statement's effects exactly once, each request sent once (twice
// at most, with the same Idempotency-Key, when the kill fell between its
// answer and its checkpoint), and a Result consistent with those effects.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/go/json.hpp"
#include "engine/plan/rerun_scope.hpp"
#include "engine/run/journal.hpp"
#include "engine/run/journaling_host.hpp"
#include "engine/tests/test_support.hpp"
#include "engine/value/value_codec.hpp"

namespace thaiyyal::testing {
namespace {

// kill -9 of the process running the attempt.
struct Crash {};

// What outlives an attempt: the database (a table and the checkpoints,
// changed only by commits) and the remote HTTP server's request log.
struct World {
  std::vector<Value> table;
  std::vector<std::string> checkpoints;
  std::map<std::string, int> requests_by_key;
  int commits = 0;           // durability points passed so far
  int crash_at = -1;         // the durability point at which the attempt dies
  bool crash_after = false;  // after its commit (else before)

  // One durability point: `commit` makes its changes durable.
  template <typename Fn>
  void durability_point(Fn&& commit) {
    const int point = ++commits;
    if (point == crash_at && !crash_after) throw Crash{};
    commit();
    if (point == crash_at && crash_after) throw Crash{};
  }

  std::vector<JournalEntry> journal() const {
    std::vector<JournalEntry> entries;
    for (const std::string& batch : checkpoints) decode_journal(batch, entries);
    return entries;
  }
};

class FakeDatabase final : public SqlService, public CheckpointWriter {
 public:
  explicit FakeDatabase(World& world) : world_(world) {}

  SqlQueryResult query(std::string_view, const std::vector<Value>&, std::int64_t) override {
    return query_with_checkpoint({}, {}, 0, [](const SqlQueryResult&) {});
  }
  std::int64_t batch(std::string_view, SqlBatchMode, const std::vector<std::string>&,
                     const Value& rows) override {
    return batch_with_checkpoint({}, SqlBatchMode::Insert, {}, rows, [](std::int64_t) {});
  }
  SqlQueryResult query_with_checkpoint(std::string_view, const std::vector<Value>&, std::int64_t,
                                       const QueryCheckpoint& checkpoint) override {
    ++statements;
    SqlQueryResult result;
    result.count = static_cast<std::int64_t>(world_.table.size());
    staged_.clear();
    checkpoint(result);
    commit_statement({});
    return result;
  }
  std::int64_t batch_with_checkpoint(std::string_view, SqlBatchMode,
                                     const std::vector<std::string>&, const Value& rows,
                                     const BatchCheckpoint& checkpoint) override {
    ++statements;
    const auto n = static_cast<std::int64_t>(rows.as_array().size());
    staged_.clear();
    checkpoint(n);
    commit_statement(rows.as_array());
    return n;
  }

  void write_now(const std::vector<JournalEntry>& entries) override {
    const std::string batch = encode_journal(entries);
    world_.durability_point([&] { world_.checkpoints.push_back(batch); });
  }
  void write_in_statement_transaction(const std::vector<JournalEntry>& entries) override {
    staged_ = encode_journal(entries);
  }

  int statements = 0;

 private:
  void commit_statement(const Array& rows) {
    world_.durability_point([&] {
      for (const Value& row : rows) world_.table.push_back(row);
      if (!staged_.empty()) world_.checkpoints.push_back(staged_);
    });
  }

  World& world_;
  std::string staged_;
};

// The outside world as one attempt sees it: its answers depend on the
// attempt, so that an answer replayed from the journal is told apart from
// one asked again.
class AttemptHost final : public Host {
 public:
  AttemptHost(World& world, FakeDatabase& db, int attempt)
      : world_(world),
        db_(db),
        random_(static_cast<std::uint64_t>(attempt) * 7919),
        attempt_(attempt) {}

  void check_interrupts() override {}
  std::int64_t now_unix_nanos() override { return 1700000000LL * 1000000000 + attempt_ * 1000; }
  std::int64_t monotonic_nanos() override { return clock_; }
  void sleep_nanos(std::int64_t nanos) override { clock_ += nanos; }
  void log_debug(std::string_view) override {}
  std::uint64_t random_u64() override { return random_(); }
  SqlService* sql() override { return &db_; }
  HttpResponse http_get(const HttpRequest& request) override {
    std::string key;
    for (const auto& [name, value] : request.headers) {
      if (name == "Idempotency-Key") key = value;
    }
    ++world_.requests_by_key[key];
    HttpResponse response;
    response.outcome = HttpResponse::Outcome::Ok;
    response.status = 200;
    response.content_type = "application/json";
    response.body = "{\"attempt\": " + std::to_string(attempt_) + "}";
    return response;
  }

 private:
  World& world_;
  FakeDatabase& db_;
  std::mt19937_64 random_;
  std::int64_t attempt_;
  std::int64_t clock_ = 5000000000;
};

// Random sample -> insert -> HTTP -> counter -> wait -> count -> insert,
// and an output that shows what every step saw.
constexpr const char* kWorkflow = R"json({"nodes": [
  {"id": "n", "type": "number", "data": {"value": 1}},
  {"id": "arr", "type": "expression", "data": {"expression": "[1,2,3,4,5,6,7,8,9,10]"}},
  {"id": "s", "type": "sample", "data": {"count": 3, "method": "random"}},
  {"id": "rows", "type": "expression", "data": {"expression": "map(input.sample, {k: item})"
}
},
  {"id": "w1", "type": "sql_batch", "data": {"table": "t"}},
  {"id": "h", "type": "http", "data": {"url": "http://93.184.216.34/status"}},
  {"id": "c", "type": "counter", "data": {"counter_op": "increment"}},
  {"id": "d", "type": "delay", "data": {"duration": "25ms"}},
  {"id": "q", "type": "sql_query", "data": {"query": "SELECT count(*) FROM t"}},
  {"id": "rows2", "type": "expression", "data": {"expression": "[{k: 1000 * input.count}]"}},
  {"id": "w2", "type": "sql_batch", "data": {"table": "t"}},
  {"id": "out", "type": "expression",
   "data": {"expression": "{sample: node.s.sample, start: now(), http: node.h, counter: node.c.value, seen: node.q.count}"}}
], "edges": [
  {"source": "n", "target": "arr"}, {"source": "arr", "target": "s"},
  {"source": "s", "target": "rows"}, {"source": "rows", "target": "w1"},
  {"source": "w1", "target": "h"}, {"source": "h", "target": "c"}, {"source": "c", "target": "d"},
  {"source": "d", "target": "q"}, {"source": "q", "target": "rows2"},
  {"source": "rows2", "target": "w2"}, {"source": "w2", "target": "out"}
]
})json";

Limits durable_limits() {
  Limits limits;
  limits.allow_http = true;
  return limits;
}

struct Attempt {
  RunOutcome outcome;
  std::int64_t replayed = 0;
  std::int64_t asked = 0;
  int statements = 0;
};

// One attempt on the journal committed so far; like the worker, it writes
// what is still pending when the run ends (finish_run's transaction).
Attempt run_attempt(World& world, int attempt, const WorkflowPlan& plan) {
  FakeDatabase db(world);
  AttemptHost live(world, db, attempt);
  RunJournal journal(world.journal());
  JournalingHost host(live, journal, db, "run-7");
  Attempt a;
  a.outcome = execute(plan, host, durable_limits());
  if (!journal.pending().empty()) db.write_now(journal.pending());
  a.replayed = host.replayed();
  a.asked = host.asked();
  a.statements = db.statements;
  return a;
}

// Runs attempts until one finishes; returns the finishing one.
Attempt run_to_completion(World& world, const WorkflowPlan& plan, int& attempts) {
  for (attempts = 1;; ++attempts) {
    try {
      return run_attempt(world, attempts, plan);
    } catch (const Crash&) {
      world.crash_at = -1;  // the next attempt is not killed
    }
  }
}

TEST(DurableRun, AResumedRunReplaysEveryRecordedAnswerAndAsksNothingAgain) {
  auto plan = compile_workflow(parse_json(kWorkflow));
  World world;
  Attempt first = run_attempt(world, 1, *plan);
  ASSERT_EQ(first.outcome.status, RunOutcome::Status::Succeeded) << first.outcome.error;
  EXPECT_EQ(first.replayed, 0);
  ASSERT_EQ(world.table.size(), 4u);

  // The whole journal is durable: a second execution (another attempt, other
  // answers) computes the same Result from it and touches nothing.
  Attempt again = run_attempt(world, 2, *plan);
  ASSERT_EQ(again.outcome.status, RunOutcome::Status::Succeeded) << again.outcome.error;
  EXPECT_EQ(to_json(result_to_value(again.outcome.result)),
            to_json(result_to_value(first.outcome.result)));
  EXPECT_EQ(again.asked, 0);
  EXPECT_EQ(again.statements, 0);
  EXPECT_EQ(world.table.size(), 4u);
  EXPECT_EQ(world.requests_by_key.size(), 1u);
  EXPECT_EQ(world.requests_by_key.begin()->second, 1);
  EXPECT_EQ(world.requests_by_key.begin()->first, "run-7:h:0");
}

TEST(DurableRun, KilledAtAnyDurabilityPointEachEffectExistsOnceAndTheResultAgrees) {
  auto plan = compile_workflow(parse_json(kWorkflow));
  World probe;
  run_attempt(probe, 1, *plan);
  const int points = probe.commits;
  ASSERT_GE(points, 4);  // two inserts, a query, a request, the end

  for (int point = 1; point <= points; ++point) {
    for (bool after : {false, true}) {
      SCOPED_TRACE("killed " + std::string(after ? "after" : "before") + " durability point " +
                   std::to_string(point));
      World world;
      world.crash_at = point;
      world.crash_after = after;
      int attempts = 0;
      Attempt last = run_to_completion(world, *plan, attempts);
      ASSERT_EQ(last.outcome.status, RunOutcome::Status::Succeeded) << last.outcome.error;
      EXPECT_EQ(attempts, 2);

      const Value result = result_to_value(last.outcome.result);
      const Value& out = *result.find("node_results")->find("out");
      // Each row once: the three sampled keys, then 1000 x the count seen.
      ASSERT_EQ(world.table.size(), 4u) << to_json(Value::array(world.table));
      const Array& sample = out.find("sample")->as_array();
      ASSERT_EQ(sample.size(), 3u);
      for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(to_json(*world.table[i].find("k")), to_json(sample[i]));
      }
      EXPECT_EQ(out.find("seen")->as_double(), 3);
      EXPECT_EQ(world.table[3].find("k")->as_double(), 3000);
      EXPECT_EQ(out.find("counter")->as_double(), 1);
      // One request, or two with the same key when the kill fell between its
      // answer and its checkpoint; the Result shows the answer that was kept.
      ASSERT_EQ(world.requests_by_key.size(), 1u);
      EXPECT_EQ(world.requests_by_key.begin()->first, "run-7:h:0");
      EXPECT_LE(world.requests_by_key.begin()->second, 2);

      // And the finished run replays to the same Result.
      Attempt replay = run_attempt(world, 99, *plan);
      EXPECT_EQ(to_json(result_to_value(replay.outcome.result)), to_json(result));
      EXPECT_EQ(replay.asked, 0);
    }
  }
}

TEST(DurableRun, ReplayedWaitsDoNotWaitAgainButTimeMovesOn) {
  auto plan = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "d", "type": "delay", "data": {"duration": "2s"}},
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT 1"}}],
    "edges": [{"source": "d", "target": "q"}]})json"));
  World world;
  world.crash_at = 3;  // the end: after the wait's checkpoint and the query's commit
  int attempts = 0;
  Attempt last = run_to_completion(world, *plan, attempts);
  ASSERT_EQ(last.outcome.status, RunOutcome::Status::Succeeded);
  EXPECT_EQ(last.asked, 0);  // neither the wait nor the query again
}

TEST(DurableRun, ALongWaitIsDurableAsSoonAsItEnds) {
  auto plan = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "d", "type": "delay", "data": {"duration": "2s"}},
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT 1"}}],
    "edges": [{"source": "d", "target": "q"}]})json"));
  World world;
  world.crash_at = 1;  // the wait's own checkpoint committed, then the kill
  world.crash_after = true;
  EXPECT_THROW(run_attempt(world, 1, *plan), Crash);
  world.crash_at = -1;
  Attempt second = run_attempt(world, 2, *plan);
  ASSERT_EQ(second.outcome.status, RunOutcome::Status::Succeeded);
  EXPECT_GE(second.replayed, 1);  // the wait (and the clock it read)
  EXPECT_EQ(second.asked, 1);     // only the query: the wait is not waited again
}

TEST(DurableRun, ADifferentStatementWhereOneWasRecordedIsAMismatch) {
  auto recorded = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT 1"}}]})json"));
  auto changed = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT 2"}}]})json"));
  World world;
  run_attempt(world, 1, *recorded);
  try {
    run_attempt(world, 2, *changed);
    FAIL() << "expected JournalMismatch";
  } catch (const JournalMismatch& e) {
    EXPECT_EQ(e.node(), "q");
    EXPECT_EQ(e.message(),
              "node \"q\" asked for a sql_query statement that differs from the recorded one");
  }
}

TEST(DurableRun, ALenientJournalExecutesTheChangedStatementAndCutsTheOldAnswer) {
  auto recorded = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT 1"}}]})json"));
  auto changed = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "q", "type": "sql_query", "data": {"query": "SELECT 2"}}]})json"));
  World world;
  run_attempt(world, 1, *recorded);
  world.checkpoints.push_back(encode_journal({{"", JournalEntry::Kind::Lenient, Value()}}));
  Attempt second = run_attempt(world, 2, *changed);
  ASSERT_EQ(second.outcome.status, RunOutcome::Status::Succeeded);
  EXPECT_EQ(second.statements, 1);
  // A third attempt replays the new answer: the old one was cut durably.
  Attempt third = run_attempt(world, 3, *changed);
  EXPECT_EQ(third.statements, 0);
  EXPECT_EQ(third.outcome.status, RunOutcome::Status::Succeeded);
}

TEST(DurableRun, CutMarkersMakeNodesExecuteAgain) {
  auto plan = compile_workflow(parse_json(kWorkflow));
  World world;
  run_attempt(world, 1, *plan);
  // retry(run, from_node => 'w2'): w2 (and what depends on it) executes again.
  world.checkpoints.push_back(encode_journal(
      {{"w2", JournalEntry::Kind::Cut, Value()}, {"out", JournalEntry::Kind::Cut, Value()}}));
  Attempt retried = run_attempt(world, 2, *plan);
  ASSERT_EQ(retried.outcome.status, RunOutcome::Status::Succeeded);
  EXPECT_EQ(retried.statements, 1);  // w2 only
  EXPECT_EQ(world.table.size(), 5u);
}

TEST(DurableRun, CutUnfinishedForgetsTheNodeThatFailed) {
  std::vector<JournalEntry> recorded = {
      {"a", JournalEntry::Kind::Random, Value::integer(1)},
      {"a", JournalEntry::Kind::NodeDone, Value()},
      {"b", JournalEntry::Kind::Http, Value()},
      {"", JournalEntry::Kind::CutUnfinished, Value()},
  };
  RunJournal journal(recorded);
  ASSERT_NE(journal.peek("a"), nullptr);
  EXPECT_EQ(journal.peek("b"), nullptr);
}

TEST(DurableRun, RequestsCarryAKeyThatNoNodeIdCanBreak) {
  auto plan = compile_workflow(parse_json(R"json({"nodes": [
    {"id": "a b\r\nX-Evil: 1", "type": "http", "data": {"url": "http://93.184.216.34/"}}]})json"));
  World world;
  run_attempt(world, 1, *plan);
  ASSERT_EQ(world.requests_by_key.size(), 1u);
  EXPECT_EQ(world.requests_by_key.begin()->first, "run-7:a%20b%0D%0AX-Evil%3A%201:0");
}

TEST(DurableRun, SynchronousHostsRunCheckpointsRightAfterTheStatement) {
  // The SqlService default: services whose statements commit with their
  // caller call the checkpoint at once.
  struct Plain final : SqlService {
    SqlQueryResult query(std::string_view, const std::vector<Value>&, std::int64_t) override {
      return {};
    }
    std::int64_t batch(std::string_view, SqlBatchMode, const std::vector<std::string>&,
                       const Value&) override {
      return 3;
    }
  } plain;
  std::int64_t seen = -1;
  EXPECT_EQ(plain.batch_with_checkpoint("t", SqlBatchMode::Insert, {}, Value::array(),
                                        [&](std::int64_t n) { seen = n; }),
            3);
  EXPECT_EQ(seen, 3);
}

TEST(JournalFormat, RoundTripsEveryKindOfValueExactly) {
  Array items;
  items.push_back(Value::integer(-7));
  items.push_back(Value::number(0.1));
  items.push_back(Value::number(3, true));
  items.push_back(Value::number(std::nan("")));
  items.push_back(Value::string(std::string("a\0b\xff", 4)));
  items.push_back(Value::nil_array());
  items.push_back(Value::record_list({make_object({{"x", Value::boolean(true)}})}));
  items.push_back(Value::time(-5));
  items.push_back(Value::json_number("1e400"));
  items.push_back(Value());
  const std::vector<JournalEntry> entries = {
      {"node ☃", JournalEntry::Kind::SqlQuery, Value::array(items)}};
  std::vector<JournalEntry> back;
  decode_journal(encode_journal(entries), back);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].node, "node ☃");
  EXPECT_EQ(back[0].kind, JournalEntry::Kind::SqlQuery);
  const Array& got = back[0].value.as_array();
  ASSERT_EQ(got.size(), items.size());
  EXPECT_TRUE(got[0].is_int());
  EXPECT_EQ(got[1].as_number(), 0.1);
  EXPECT_TRUE(got[2].integral_literal());
  EXPECT_TRUE(std::isnan(got[3].as_number()));
  EXPECT_EQ(got[4].as_string(), std::string("a\0b\xff", 4));
  EXPECT_TRUE(got[5].is_nil_array());
  EXPECT_TRUE(got[6].is_record_list());
  EXPECT_TRUE(got[7].is_time());
  EXPECT_EQ(got[7].as_time_nanos(), -5);
  EXPECT_TRUE(got[8].is_json_number());
  EXPECT_TRUE(got[9].is_null());
}

TEST(JournalFormat, DamagedCheckpointsAreRefusedNotTrusted) {
  std::string good = encode_journal(
      {{"a", JournalEntry::Kind::SqlBatch, make_object({{"count", Value::integer(3)}})}});
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    std::vector<JournalEntry> out;
    if (cut == 1) continue;  // the version byte alone is an empty batch
    EXPECT_THROW(decode_journal(good.substr(0, cut), out), JournalFormatError) << cut;
  }
  std::string huge_count = good.substr(0, 1);
  encode_bytes(huge_count, "a");
  huge_count.push_back('q');
  huge_count.push_back(7);  // array tag
  encode_varint(huge_count, 1ULL << 60);
  std::vector<JournalEntry> out;
  EXPECT_THROW(decode_journal(huge_count, out), JournalFormatError);
}

}  // namespace
}  // namespace thaiyyal::testing

namespace thaiyyal::testing {
namespace {

// retry(from_node) and fork: which nodes execute again (rerun_scope.hpp).
constexpr const char* kChain = R"json({"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "b", "type": "sql_query", "data": {"query": "SELECT 1"}},
  {"id": "c", "type": "sql_query", "data": {"query": "SELECT 2"}},
  {"id": "side", "type": "number", "data": {"value": 2}}],
  "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}]})json";

TEST(RerunScope, ANodeAndEverythingDownstreamOfItExecuteAgain) {
  const Value wf = parse_json(kChain);
  EXPECT_EQ(nodes_to_execute_again(wf, nullptr, "b"), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(nodes_to_execute_again(wf, nullptr, "a"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(nodes_to_execute_again(wf, nullptr, "side"), (std::vector<std::string>{"side"}));
  EXPECT_TRUE(nodes_to_execute_again(wf, nullptr, "").empty());
  EXPECT_THROW(nodes_to_execute_again(wf, nullptr, "nope"), std::invalid_argument);
}

TEST(RerunScope, OnAnotherRevisionChangedAndNewNodesExecuteAgainWithTheirDependents) {
  const Value before = parse_json(kChain);
  // b's statement changed, a new node d feeds c: b, c, d execute again.
  const Value after = parse_json(R"json({"nodes": [
    {"id": "a", "type": "number", "data": {"value": 1}},
    {"id": "b", "type": "sql_query", "data": {"query": "SELECT 10"}},
    {"id": "c", "type": "sql_query", "data": {"query": "SELECT 2"}},
    {"id": "d", "type": "number", "data": {"value": 3}},
    {"id": "side", "type": "number", "data": {"value": 2}}],
    "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "c"},
              {"source": "d", "target": "c"}]})json");
  EXPECT_EQ(nodes_to_execute_again(after, &before, ""), (std::vector<std::string>{"b", "c", "d"}));
  // Unchanged definitions: only the node asked for.
  EXPECT_EQ(nodes_to_execute_again(before, &before, "side"), (std::vector<std::string>{"side"}));
  // An edge that moved makes its target execute again.
  const Value rewired = parse_json(R"json({"nodes": [
    {"id": "a", "type": "number", "data": {"value": 1}},
    {"id": "b", "type": "sql_query", "data": {"query": "SELECT 1"}},
    {"id": "c", "type": "sql_query", "data": {"query": "SELECT 2"}},
    {"id": "side", "type": "number", "data": {"value": 2}}],
    "edges": [{"source": "a", "target": "b"}, {"source": "side", "target": "c"}]})json");
  EXPECT_EQ(nodes_to_execute_again(rewired, &before, ""), (std::vector<std::string>{"c"}));
}

}  // namespace
}  // namespace thaiyyal::testing
