// Shared memory of the cumulative statistics (see stats_shmem.hpp).
#include "extension/stats/stats_shmem.hpp"

#include <cmath>
#include <cstring>

#include "extension/stats/stats_gucs.hpp"

extern "C" {
#include "common/hashfn.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/hsearch.h"
}

namespace thaiyyal::pg::stats {

namespace {

constexpr double kUsageDecay = 0.99;     // at every eviction, as pg_stat_statements
constexpr double kEvictFraction = 0.05;  // of the entries, the least used

struct WorkflowEntry {
  WorkflowKey key;  // first: the hash table's key
  slock_t mutex;
  double usage;
  char tenant[kNameSize];
  char name[kNameSize];
  WorkflowCounters counters;
};

struct NodeEntry {
  NodeKey key;
  slock_t mutex;
  double usage;
  char tenant[kNameSize];
  char type[kTypeSize];
  char node_id[kNameSize];
  NodeCounters counters;
};

// `text` into a fixed buffer, cut at a character boundary.
void copy_text(char* dst, int size, const char* text) {
  const int length = static_cast<int>(strlen(text));
  const int kept = length < size ? length : pg_mbcliplen(text, length, size - 1);
  memcpy(dst, text, static_cast<size_t>(kept));
  dst[kept] = '\0';
}

struct Shared {
  LWLock* lock;
  slock_t mutex;  // dealloc, reset_at
  std::int64_t dealloc;
  TimestampTz reset_at;
  // Changed, under the exclusive lock, whenever an entry is removed
  // (eviction, reset): entry addresses a backend remembered under an equal
  // generation still hold the same keys (inserting never moves an entry).
  std::uint64_t generation;
};

constexpr const char* kTranche = "thaiyyal stats";

Shared* shared = nullptr;
HTAB* workflows = nullptr;
HTAB* nodes = nullptr;
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

long workflow_capacity() {
  return track_max();
}
long node_capacity() {
  return static_cast<long>(track_max()) * kNodeEntriesPerWorkflow;
}

Size shared_size() {
  return add_size(MAXALIGN(sizeof(Shared)),
                  add_size(hash_estimate_size(workflow_capacity(), sizeof(WorkflowEntry)),
                           hash_estimate_size(node_capacity(), sizeof(NodeEntry))));
}

// The keys' texts are hashes already: mixing the fields is enough, cheaper
// than hashing the key's bytes again.
uint32 workflow_key_hash(const void* key, Size) {
  const auto* k = static_cast<const WorkflowKey*>(key);
  const std::uint64_t h = hash_combine64(
      hash_combine64(k->tenant_hash, static_cast<std::uint64_t>(k->workflow)),
      (static_cast<std::uint64_t>(k->dbid) << 1) | static_cast<std::uint64_t>(k->stored));
  return static_cast<uint32>(h ^ (h >> 32));
}

uint32 node_key_hash(const void* key, Size) {
  const auto* k = static_cast<const NodeKey*>(key);
  const std::uint64_t h =
      hash_combine64(hash_combine64(k->tenant_hash, k->node_hash),
                     hash_combine64(static_cast<std::uint64_t>(k->revision), k->dbid));
  return static_cast<uint32>(h ^ (h >> 32));
}

int memcmp_keys(const void* a, const void* b, Size size) {
  return memcmp(a, b, size);
}

void request_stats_shmem() {
  if (previous_request_hook != nullptr) previous_request_hook();
  RequestAddinShmemSpace(shared_size());
  RequestNamedLWLockTranche(kTranche, 1);
}

void start_stats_shmem() {
  if (previous_startup_hook != nullptr) previous_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  shared = static_cast<Shared*>(ShmemInitStruct("thaiyyal stats", sizeof(Shared), &found));
  if (!found) {
    shared->lock = &(GetNamedLWLockTranche(kTranche))->lock;
    SpinLockInit(&shared->mutex);
    shared->dealloc = 0;
    shared->reset_at = GetCurrentTimestamp();
    shared->generation = 1;
  }
  HASHCTL info;
  memset(&info, 0, sizeof(info));
  info.keysize = sizeof(WorkflowKey);
  info.entrysize = sizeof(WorkflowEntry);
  info.hash = workflow_key_hash;
  info.match = memcmp_keys;
  workflows = ShmemInitHash("thaiyyal stat workflows", workflow_capacity(), workflow_capacity(),
                            &info, HASH_ELEM | HASH_FUNCTION | HASH_COMPARE);
  memset(&info, 0, sizeof(info));
  info.keysize = sizeof(NodeKey);
  info.entrysize = sizeof(NodeEntry);
  info.hash = node_key_hash;
  info.match = memcmp_keys;
  nodes = ShmemInitHash("thaiyyal stat nodes", node_capacity(), node_capacity(), &info,
                        HASH_ELEM | HASH_FUNCTION | HASH_COMPARE);
  LWLockRelease(AddinShmemInitLock);
}

void add_to(WorkflowEntry& entry, const WorkflowSample& run) {
  SpinLockAcquire(&entry.mutex);
  WorkflowCounters& c = entry.counters;
  entry.usage += 1;
  c.calls += 1;
  const double x = run.duration_ms;
  if (c.calls == 1) {
    c.min_ms = x;
    c.max_ms = x;
    c.mean_ms = x;
  } else {
    // Welford: mean and sum of squared deviations in one pass.
    const double old_mean = c.mean_ms;
    c.mean_ms += (x - old_mean) / static_cast<double>(c.calls);
    c.sum_var_ms += (x - old_mean) * (x - c.mean_ms);
    if (x < c.min_ms) c.min_ms = x;
    if (x > c.max_ms) c.max_ms = x;
  }
  c.total_ms += x;
  c.histogram[latency::bucket_of(static_cast<std::int64_t>(x * 1e6))] += 1;
  if (run.failure_class[0] != '\0') {
    c.failures += 1;
    bool counted = false;
    for (FailureClass& slot : c.classes) {
      if (slot.code[0] == '\0') {
        memcpy(slot.code, run.failure_class, sizeof(slot.code));
      }
      if (memcmp(slot.code, run.failure_class, sizeof(slot.code)) == 0) {
        slot.count += 1;
        counted = true;
        break;
      }
    }
    if (!counted) c.other_failures += 1;
  }
  if (run.compiled) {
    c.compiles += 1;
    c.compile_ms += run.compile_ms;
  }
  if (run.plan_cache_hit) c.plan_cache_hits += 1;
  c.sql_rows_read += run.sql_rows_read;
  c.sql_rows_written += run.sql_rows_written;
  SpinLockRelease(&entry.mutex);
}

void add_to(NodeEntry& entry, const NodeCounters& sample) {
  SpinLockAcquire(&entry.mutex);
  NodeCounters& c = entry.counters;
  entry.usage += 1;
  c.executions += sample.executions;
  c.skips += sample.skips;
  c.failures += sample.failures;
  c.timed_executions += sample.timed_executions;
  c.timed_ms += sample.timed_ms;
  if (sample.max_ms > c.max_ms) c.max_ms = sample.max_ms;
  SpinLockRelease(&entry.mutex);
}

int compare_usage(const void* a, const void* b) {
  const double ua = **static_cast<const double* const*>(a);
  const double ub = **static_cast<const double* const*>(b);
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

// Removes the least used kEvictFraction of `table`'s entries (at least
// one) and decays the usage of the others. Exclusive lock held; `scratch`
// has room for a pointer per entry (allocated before the lock was taken,
// so that nothing can fail while it is held). Each entry starts with its
// key, and its usage sits at `usage_offset`.
template <typename Entry>
void evict(HTAB* table, void** scratch) {
  const long count = hash_get_num_entries(table);
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, table);
  long n = 0;
  while (Entry* entry = static_cast<Entry*>(hash_seq_search(&scan))) {
    scratch[n++] = &entry->usage;
    entry->usage *= kUsageDecay;
    if (n == count) {
      hash_seq_term(&scan);
      break;
    }
  }
  qsort(scratch, static_cast<size_t>(n), sizeof(void*), compare_usage);
  long remove = static_cast<long>(static_cast<double>(n) * kEvictFraction);
  if (remove < 1) remove = 1;
  for (long i = 0; i < remove && i < n; ++i) {
    const char* usage = static_cast<const char*>(scratch[i]);
    const Entry* entry = reinterpret_cast<const Entry*>(usage - offsetof(Entry, usage));
    hash_search(table, &entry->key, HASH_REMOVE, nullptr);
  }
  SpinLockAcquire(&shared->mutex);
  shared->dealloc += 1;
  shared->generation += 1;
  SpinLockRelease(&shared->mutex);
}

template <typename Entry, typename Key>
Entry* enter(HTAB* table, long capacity, const Key& key, void** scratch) {
  bool found = false;
  Entry* entry = static_cast<Entry*>(hash_search(table, &key, HASH_FIND, nullptr));
  if (entry != nullptr) return entry;
  if (hash_get_num_entries(table) >= capacity) evict<Entry>(table, scratch);
  entry = static_cast<Entry*>(hash_search(table, &key, HASH_ENTER, &found));
  if (!found) {
    memset(reinterpret_cast<char*>(entry) + sizeof(Key), 0, sizeof(Entry) - sizeof(Key));
    SpinLockInit(&entry->mutex);
  }
  return entry;
}

}  // namespace

std::uint64_t text_hash(std::string_view text) noexcept {
  return hash_bytes_extended(reinterpret_cast<const unsigned char*>(text.data()),
                             static_cast<int>(text.size()), 0);
}

std::uint64_t node_hash(std::string_view type, std::string_view node_id) noexcept {
  return hash_combine64(text_hash(type), node_id.empty() ? 0 : text_hash(node_id) + 1);
}

void install_stats_shmem_hooks() noexcept {
  previous_request_hook = shmem_request_hook;
  shmem_request_hook = request_stats_shmem;
  previous_startup_hook = shmem_startup_hook;
  shmem_startup_hook = start_stats_shmem;
}

bool stats_available() noexcept {
  return shared != nullptr && workflows != nullptr && nodes != nullptr;
}

void add_run(const WorkflowSample& run, const NodeSample* samples, int count,
             RememberedEntries* remembered) noexcept {
  if (!stats_available()) return;
  void** entries = remembered->entries;  // [0] the workflow, [1 + i] sample i
  // The common case: every entry exists; shared lock, counters under the
  // entries' spinlocks. Entries this backend found for the same keys
  // before are used without a lookup while no entry was removed since.
  bool missing = false;
  LWLockAcquire(shared->lock, LW_SHARED);
  if (remembered->generation != shared->generation) {
    entries[0] = hash_search(workflows, &run.key, HASH_FIND, nullptr);
    missing = entries[0] == nullptr;
    for (int i = 0; i < count && !missing; ++i) {
      entries[1 + i] = hash_search(nodes, &samples[i].key, HASH_FIND, nullptr);
      missing = entries[1 + i] == nullptr;
    }
  }
  if (!missing) {
    remembered->generation = shared->generation;
    add_to(*static_cast<WorkflowEntry*>(entries[0]), run);
    for (int i = 0; i < count; ++i) {
      add_to(*static_cast<NodeEntry*>(entries[1 + i]), samples[i].counters);
    }
    LWLockRelease(shared->lock);
    return;
  }
  LWLockRelease(shared->lock);

  // An entry to insert: exclusively. The eviction scratch space first, while
  // an allocation failure holds no lock.
  const long most = node_capacity() > workflow_capacity() ? node_capacity() : workflow_capacity();
  void** scratch = static_cast<void**>(palloc(sizeof(void*) * static_cast<size_t>(most)));
  LWLockAcquire(shared->lock, LW_EXCLUSIVE);
  auto* workflow = enter<WorkflowEntry>(workflows, workflow_capacity(), run.key, scratch);
  if (workflow->tenant[0] == '\0') {
    copy_text(workflow->tenant, kNameSize, run.tenant);
    copy_text(workflow->name, kNameSize, run.name);
  }
  add_to(*workflow, run);
  entries[0] = workflow;
  for (int i = 0; i < count; ++i) {
    NodeEntry* node = enter<NodeEntry>(nodes, node_capacity(), samples[i].key, scratch);
    if (node->tenant[0] == '\0') {
      copy_text(node->tenant, kNameSize, run.tenant);
      copy_text(node->type, kTypeSize, samples[i].type);
      copy_text(node->node_id, kNameSize, samples[i].node_id);
    }
    add_to(*node, samples[i].counters);
    entries[1 + i] = node;
  }
  // An eviction while entering may have removed an entry entered before it.
  remembered->generation = 0;
  LWLockRelease(shared->lock);
  pfree(scratch);
}

namespace {

// Rows to allocate for a copy of `table`: its entries now and some slack,
// at most its capacity (entries added after that are left out of the copy).
long room_for(HTAB* table, long capacity) {
  LWLockAcquire(shared->lock, LW_SHARED);
  const long now = hash_get_num_entries(table);
  LWLockRelease(shared->lock);
  const long room = now + 64;
  return room < capacity ? room : capacity;
}

}  // namespace

int copy_workflows(WorkflowRow** rows) noexcept {
  *rows = nullptr;
  if (!stats_available()) return 0;
  // Room for the entries there are now (and a few more that may come
  // meanwhile), allocated while no lock is held.
  const long room = room_for(workflows, workflow_capacity());
  auto* out = static_cast<WorkflowRow*>(
      palloc_extended(sizeof(WorkflowRow) * static_cast<size_t>(room), MCXT_ALLOC_HUGE));
  int n = 0;
  LWLockAcquire(shared->lock, LW_SHARED);
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, workflows);
  while (auto* entry = static_cast<WorkflowEntry*>(hash_seq_search(&scan))) {
    if (n == room) {
      hash_seq_term(&scan);
      break;
    }
    WorkflowRow& row = out[n++];
    row.key = entry->key;
    memcpy(row.tenant, entry->tenant, sizeof(row.tenant));
    memcpy(row.name, entry->name, sizeof(row.name));
    SpinLockAcquire(&entry->mutex);
    row.counters = entry->counters;
    SpinLockRelease(&entry->mutex);
  }
  LWLockRelease(shared->lock);
  *rows = out;
  return n;
}

int copy_nodes(NodeRow** rows) noexcept {
  *rows = nullptr;
  if (!stats_available()) return 0;
  const long room = room_for(nodes, node_capacity());
  auto* out = static_cast<NodeRow*>(
      palloc_extended(sizeof(NodeRow) * static_cast<size_t>(room), MCXT_ALLOC_HUGE));
  int n = 0;
  LWLockAcquire(shared->lock, LW_SHARED);
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, nodes);
  while (auto* entry = static_cast<NodeEntry*>(hash_seq_search(&scan))) {
    if (n == room) {
      hash_seq_term(&scan);
      break;
    }
    NodeRow& row = out[n++];
    row.key = entry->key;
    memcpy(row.tenant, entry->tenant, sizeof(row.tenant));
    memcpy(row.type, entry->type, sizeof(row.type));
    memcpy(row.node_id, entry->node_id, sizeof(row.node_id));
    SpinLockAcquire(&entry->mutex);
    row.counters = entry->counters;
    SpinLockRelease(&entry->mutex);
  }
  LWLockRelease(shared->lock);
  *rows = out;
  return n;
}

Info info() noexcept {
  Info out{0, 0};
  if (!stats_available()) return out;
  SpinLockAcquire(&shared->mutex);
  out.dealloc = shared->dealloc;
  out.reset_at = shared->reset_at;
  SpinLockRelease(&shared->mutex);
  return out;
}

void reset() noexcept {
  if (!stats_available()) return;
  LWLockAcquire(shared->lock, LW_EXCLUSIVE);
  HASH_SEQ_STATUS scan;
  hash_seq_init(&scan, workflows);
  while (auto* entry = static_cast<WorkflowEntry*>(hash_seq_search(&scan))) {
    hash_search(workflows, &entry->key, HASH_REMOVE, nullptr);
  }
  hash_seq_init(&scan, nodes);
  while (auto* entry = static_cast<NodeEntry*>(hash_seq_search(&scan))) {
    hash_search(nodes, &entry->key, HASH_REMOVE, nullptr);
  }
  SpinLockAcquire(&shared->mutex);
  shared->dealloc = 0;
  shared->reset_at = GetCurrentTimestamp();
  SpinLockRelease(&shared->mutex);
  shared->generation += 1;
  LWLockRelease(shared->lock);
}

}  // namespace thaiyyal::pg::stats
