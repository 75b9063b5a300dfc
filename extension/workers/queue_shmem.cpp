// Shared memory of the background workers (see queue_shmem.hpp).
#include "extension/workers/queue_shmem.hpp"

#include "extension/workers/worker_gucs.hpp"

#include <csignal>

extern "C" {
#include "storage/ipc.h"
#include "storage/proc.h"
#include "storage/shmem.h"
}

namespace thaiyyal::pg {

namespace {

QueueShared* shared = nullptr;
shmem_request_hook_type previous_request_hook = nullptr;
shmem_startup_hook_type previous_startup_hook = nullptr;

void request_queue_shmem() {
  if (previous_request_hook != nullptr) previous_request_hook();
  RequestAddinShmemSpace(MAXALIGN(sizeof(QueueShared)));
}

void start_queue_shmem() {
  if (previous_startup_hook != nullptr) previous_startup_hook();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  shared =
      static_cast<QueueShared*>(ShmemInitStruct("thaiyyal queue", sizeof(QueueShared), &found));
  if (!found) {
    memset(shared, 0, sizeof(QueueShared));
    SpinLockInit(&shared->mutex);
    ConditionVariableInit(&shared->run_finished);
    shared->slot_count = worker_count();
  }
  LWLockRelease(AddinShmemInitLock);
}

}  // namespace

QueueShared* queue_shared() noexcept {
  return shared;
}

void install_queue_shmem_hooks() noexcept {
  previous_request_hook = shmem_request_hook;
  shmem_request_hook = request_queue_shmem;
  previous_startup_hook = shmem_startup_hook;
  shmem_startup_hook = start_queue_shmem;
}

void claim_worker_slot(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  slot.pid = MyProcPid;
  slot.latch = &MyProc->procLatch;
  slot.run_id = 0;
  slot.stop = StopReason::None;
  slot.held_count = 0;
  slot.claiming = false;
  SpinLockRelease(&shared->mutex);
}

void release_worker_slot(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  if (slot.pid == MyProcPid) {
    slot.pid = 0;
    slot.latch = nullptr;
    slot.run_id = 0;
    slot.stop = StopReason::None;
    slot.held_count = 0;
    slot.claiming = false;
  }
  SpinLockRelease(&shared->mutex);
}

namespace {

// The position of `run_id` among the slot's held runs, -1 when not held.
// Under the mutex.
int held_index(const WorkerSlot& slot, std::int64_t run_id) {
  for (int k = 0; k < slot.held_count; ++k) {
    if (slot.held[k] == run_id) return k;
  }
  return -1;
}

}  // namespace

void set_slot_run(int index, std::int64_t run_id) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  slot.run_id = run_id;
  const int k = run_id == 0 ? -1 : held_index(slot, run_id);
  slot.stop = k >= 0 ? slot.held_stop[k] : StopReason::None;
  SpinLockRelease(&shared->mutex);
}

void hold_slot_run(int index, std::int64_t run_id) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  if (held_index(slot, run_id) < 0 && slot.held_count < 2 * kMaxBatch) {
    slot.held[slot.held_count] = run_id;
    slot.held_stop[slot.held_count] = StopReason::None;
    ++slot.held_count;
  }
  SpinLockRelease(&shared->mutex);
}

void keep_slot_runs(int index, const std::int64_t* run_ids, int count) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  int kept = 0;
  for (int k = 0; k < slot.held_count; ++k) {
    bool keep = false;
    for (int i = 0; i < count && !keep; ++i) keep = slot.held[k] == run_ids[i];
    if (keep) {
      slot.held[kept] = slot.held[k];
      slot.held_stop[kept] = slot.held_stop[k];
      ++kept;
    }
  }
  slot.held_count = kept;
  SpinLockRelease(&shared->mutex);
}

void release_slot_runs(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  slot.held_count = 0;
  slot.run_id = 0;
  slot.stop = StopReason::None;
  SpinLockRelease(&shared->mutex);
}

StopReason slot_stop_reason(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  const StopReason reason = shared->slots[index].stop;
  SpinLockRelease(&shared->mutex);
  return reason;
}

void wake_workers() noexcept {
  if (shared == nullptr) return;
  Latch* latches[kMaxWorkers];
  int count = 0;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    const WorkerSlot& slot = shared->slots[i];
    if (slot.pid != 0 && slot.run_id == 0 && slot.held_count == 0 && slot.latch != nullptr) {
      latches[count++] = slot.latch;
    }
  }
  SpinLockRelease(&shared->mutex);
  // SetLatch outside the spinlock: it may issue a system call.
  for (int i = 0; i < count; ++i) SetLatch(latches[i]);
}

bool signal_stop(std::int64_t run_id, StopReason reason) noexcept {
  if (shared == nullptr || run_id == 0) return false;
  Latch* latch = nullptr;
  pid_t pid = 0;
  bool executing = false;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    WorkerSlot& slot = shared->slots[i];
    if (slot.pid == 0) continue;
    // A cancel wins over a lease expiry: the user asked for it.
    if (slot.run_id == run_id) {
      if (slot.stop != StopReason::Cancel) slot.stop = reason;
      executing = true;
    }
    const int k = held_index(slot, run_id);
    if (k >= 0 && slot.held_stop[k] != StopReason::Cancel) slot.held_stop[k] = reason;
    if (executing || k >= 0) {
      latch = slot.latch;
      pid = slot.pid;
      break;
    }
  }
  SpinLockRelease(&shared->mutex);
  if (latch == nullptr) return false;
  SetLatch(latch);
  // SIGINT cancels the SQL statement the run may be executing; a held run
  // that has not started sees its stop when it starts.
  if (executing) (void)kill(pid, SIGINT);
  return true;
}

bool worker_executes(pid_t pid, std::int64_t run_id) noexcept {
  if (shared == nullptr || pid == 0) return false;
  bool executes = false;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    const WorkerSlot& slot = shared->slots[i];
    if (slot.pid == pid) {
      executes = slot.run_id == run_id || held_index(slot, run_id) >= 0;
      break;
    }
  }
  SpinLockRelease(&shared->mutex);
  return executes;
}

bool begin_tenant_claim(int index, std::int32_t tenant_hash) noexcept {
  bool taken = false;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    const WorkerSlot& other = shared->slots[i];
    if (i != index && other.pid != 0 && other.claiming && other.claiming_hash == tenant_hash) {
      taken = true;
      break;
    }
  }
  if (!taken) {
    shared->slots[index].claiming = true;
    shared->slots[index].claiming_hash = tenant_hash;
  }
  SpinLockRelease(&shared->mutex);
  return !taken;
}

void end_tenant_claim(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  shared->slots[index].claiming = false;
  SpinLockRelease(&shared->mutex);
}

std::int32_t last_tenant_hash() noexcept {
  SpinLockAcquire(&shared->mutex);
  const std::int32_t hash = shared->last_tenant_hash;
  SpinLockRelease(&shared->mutex);
  return hash;
}

void set_last_tenant_hash(std::int32_t hash) noexcept {
  SpinLockAcquire(&shared->mutex);
  shared->last_tenant_hash = hash;
  SpinLockRelease(&shared->mutex);
}

void broadcast_run_finished() noexcept {
  if (shared != nullptr) ConditionVariableBroadcast(&shared->run_finished);
}

}  // namespace thaiyyal::pg
