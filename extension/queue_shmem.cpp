// Shared memory of the background workers (see queue_shmem.hpp).
#include "queue_shmem.hpp"

#include "worker_gucs.hpp"

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
  slot.cancel_requested = false;
  SpinLockRelease(&shared->mutex);
}

void release_worker_slot(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  WorkerSlot& slot = shared->slots[index];
  if (slot.pid == MyProcPid) {
    slot.pid = 0;
    slot.latch = nullptr;
    slot.run_id = 0;
    slot.cancel_requested = false;
  }
  SpinLockRelease(&shared->mutex);
}

void set_slot_run(int index, std::int64_t run_id) noexcept {
  SpinLockAcquire(&shared->mutex);
  shared->slots[index].run_id = run_id;
  shared->slots[index].cancel_requested = false;
  SpinLockRelease(&shared->mutex);
}

bool slot_cancel_requested(int index) noexcept {
  SpinLockAcquire(&shared->mutex);
  const bool cancelled = shared->slots[index].cancel_requested;
  SpinLockRelease(&shared->mutex);
  return cancelled;
}

void wake_workers() noexcept {
  if (shared == nullptr) return;
  Latch* latches[kMaxWorkers];
  int count = 0;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    const WorkerSlot& slot = shared->slots[i];
    if (slot.pid != 0 && slot.run_id == 0 && slot.latch != nullptr) latches[count++] = slot.latch;
  }
  SpinLockRelease(&shared->mutex);
  // SetLatch outside the spinlock: it may issue a system call.
  for (int i = 0; i < count; ++i) SetLatch(latches[i]);
}

bool signal_cancel(std::int64_t run_id) noexcept {
  if (shared == nullptr || run_id == 0) return false;
  Latch* latch = nullptr;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    WorkerSlot& slot = shared->slots[i];
    if (slot.pid != 0 && slot.run_id == run_id) {
      slot.cancel_requested = true;
      latch = slot.latch;
      break;
    }
  }
  SpinLockRelease(&shared->mutex);
  if (latch != nullptr) SetLatch(latch);
  return latch != nullptr;
}

bool is_live_worker(pid_t pid) noexcept {
  if (shared == nullptr || pid == 0) return false;
  bool live = false;
  SpinLockAcquire(&shared->mutex);
  for (int i = 0; i < shared->slot_count; ++i) {
    if (shared->slots[i].pid == pid) {
      live = true;
      break;
    }
  }
  SpinLockRelease(&shared->mutex);
  return live;
}

void broadcast_run_finished() noexcept {
  if (shared != nullptr) ConditionVariableBroadcast(&shared->run_finished);
}

}  // namespace thaiyyal::pg
