// One arena per compiled plan for its node executors: a plan of n nodes
// costs one or two allocations for all of them instead of n, and frees them
// at once. Executors are still destroyed one by one (their destructors run);
// only their storage comes from here.
#pragma once

#include <cstddef>

#include "engine/common/no_postgres.hpp"

namespace thaiyyal {

class PlanArena {
 public:
  PlanArena() = default;
  ~PlanArena();
  PlanArena(PlanArena&& other) noexcept;
  PlanArena& operator=(PlanArena&& other) noexcept;
  PlanArena(const PlanArena&) = delete;
  PlanArena& operator=(const PlanArena&) = delete;

  // 16-byte aligned storage that lives as long as the arena.
  void* allocate(std::size_t size);

 private:
  struct Block;
  Block* blocks_ = nullptr;
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t next_block_size_ = 512;
};

// While a scope is alive, NodeExecutor objects created on this thread are
// placed in its arena (NodeExecutor::operator new); scopes nest.
class PlanArenaScope {
 public:
  explicit PlanArenaScope(PlanArena& arena) noexcept;
  ~PlanArenaScope();
  PlanArenaScope(const PlanArenaScope&) = delete;
  PlanArenaScope& operator=(const PlanArenaScope&) = delete;

 private:
  PlanArena* previous_;
};

// The arena of the innermost scope on this thread, or nullptr.
PlanArena* current_plan_arena() noexcept;

}  // namespace thaiyyal
