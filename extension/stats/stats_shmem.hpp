// Cumulative statistics of workflow runs in shared memory, in the manner of
// pg_stat_statements: two bounded hash tables (workflows, nodes) under one
// LWLock, each entry with its own spinlock for its counters. Nothing is
// persisted: a restart (or thaiyyal.stat_reset()) starts from zero.
//
// Adding a run takes the lock once, shared, when every entry it touches
// exists (the common case: one lookup for the workflow and one per node
// type, none at all when the backend remembers the entries of the same
// workflow's last run and no entry was removed since); only a run that
// needs a new entry takes it again, exclusively, to insert -- evicting the least used entries first
// when the table is full (usage = calls, decayed by 1 % at every eviction, as pg_stat_statements
// does).
//
// Every function here is noexcept and calls PostgreSQL only: callers wrap
// them in pg_call.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/common/latency_histogram.hpp"

#include "extension/boundary/pg_includes.hpp"

namespace thaiyyal::pg::stats {

inline constexpr int kNameSize = NAMEDATALEN;
inline constexpr int kTypeSize = 48;
inline constexpr int kFailureClasses = 6;  // more distinct classes count as "other"

// Keys are compared and hashed as bytes: always zero-filled first. Texts
// enter keys as 64-bit hashes (short keys hash and compare fast on every
// run), as pg_stat_statements identifies queries by a 64-bit queryid; the
// texts themselves are kept in the entries.
struct WorkflowKey {
  Oid dbid;
  std::int32_t stored;        // 1: a stored workflow's revision; 0: a thaiyyal_execute payload
  std::int64_t workflow;      // the revision, or the payload's 64-bit hash
  std::uint64_t tenant_hash;  // text_hash(tenant)
};

struct NodeKey {
  Oid dbid;
  std::int32_t unused;
  std::int64_t revision;  // 0: all nodes of the type (thaiyyal.track = top or all)
  std::uint64_t tenant_hash;
  std::uint64_t node_hash;  // node_hash(type, node id); node id "" with revision 0
};

std::uint64_t text_hash(std::string_view text) noexcept;
std::uint64_t node_hash(std::string_view type, std::string_view node_id) noexcept;

struct FailureClass {
  char code[4];  // the SQLSTATE's first two characters
  std::int64_t count;
};

struct WorkflowCounters {
  std::int64_t calls;
  std::int64_t failures;
  FailureClass classes[kFailureClasses];
  std::int64_t other_failures;
  double total_ms;
  double min_ms;
  double max_ms;
  double mean_ms;
  double sum_var_ms;  // Welford's running sum of squared deviations
  std::int64_t compiles;
  double compile_ms;
  std::int64_t plan_cache_hits;
  std::int64_t sql_rows_read;
  std::int64_t sql_rows_written;
  std::uint64_t histogram[latency::kBuckets];
};

struct NodeCounters {
  std::int64_t executions;
  std::int64_t skips;
  std::int64_t failures;
  // Node times come from the runs whose nodes were timed
  // (thaiyyal.node_timing_sample_rate): their executions and time.
  std::int64_t timed_executions;
  double timed_ms;
  double max_ms;
};

// One run of a workflow. The texts are copied into a new entry only.
struct WorkflowSample {
  WorkflowKey key;
  const char* tenant;
  const char* name;  // the stored workflow's name; "" for a payload
  double duration_ms;
  char failure_class[4];  // "" when the run succeeded
  bool compiled;          // its plan was compiled for it ...
  double compile_ms;      // ... taking this long
  bool plan_cache_hit;    // its plan came from a backend's plan cache
  std::int64_t sql_rows_read;
  std::int64_t sql_rows_written;
};

// One run's nodes of one type (revision 0) or one node (track = all).
struct NodeSample {
  NodeKey key;
  const char* type;
  const char* node_id;  // "" for a type
  NodeCounters counters;
};

struct WorkflowRow {
  WorkflowKey key;
  char tenant[kNameSize];
  char name[kNameSize];
  WorkflowCounters counters;
};

struct NodeRow {
  NodeKey key;
  char tenant[kNameSize];
  char type[kTypeSize];
  char node_id[kNameSize];
  NodeCounters counters;
};

struct Info {
  std::int64_t dealloc;  // evictions
  TimestampTz reset_at;
};

// From _PG_init while preloading.
void install_stats_shmem_hooks() noexcept;
// Whether the shared memory exists (the library was preloaded).
bool stats_available() noexcept;

// The shared entries a backend found for one run's keys, to add the next
// run with the same keys without looking them up again: valid while the
// tables' generation (bumped by every removal) is unchanged. generation 0
// = nothing remembered. `entries` has room for 1 + the run's node samples.
struct RememberedEntries {
  std::uint64_t generation;
  void** entries;
};

// Adds one run; updates `remembered`.
void add_run(const WorkflowSample& run, const NodeSample* nodes, int node_count,
             RememberedEntries* remembered) noexcept;

// Copies of every entry, palloc'd in the current memory context.
int copy_workflows(WorkflowRow** rows) noexcept;
int copy_nodes(NodeRow** rows) noexcept;
Info info() noexcept;
void reset() noexcept;

}  // namespace thaiyyal::pg::stats
