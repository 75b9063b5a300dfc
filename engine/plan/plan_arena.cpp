#include "engine/plan/plan_arena.hpp"

#include <cstdint>
#include <new>
#include <utility>

#include "engine/run/node_executor.hpp"

namespace thaiyyal {

struct PlanArena::Block {
  Block* next;
  std::size_t size;  // bytes after the header
};

namespace {

constexpr std::size_t kAlign = 16;
constexpr std::size_t kMaxBlock = 64 * 1024;
constexpr std::size_t align_up(std::size_t n) {
  return (n + kAlign - 1) & ~(kAlign - 1);
}
constexpr std::size_t kBlockHeader = align_up(sizeof(void*) * 2);

// initial-exec: read for every executor built, from the dlopen'ed extension
// too (see value.cpp's box pool).
[[gnu::tls_model("initial-exec")]] thread_local PlanArena* current_arena = nullptr;

// Every executor carries this header, so that operator delete knows where
// its storage came from.
constexpr std::size_t kExecutorHeader = kAlign;
constexpr std::uintptr_t kFromHeap = 0;
constexpr std::uintptr_t kFromArena = 1;

}  // namespace

PlanArena::~PlanArena() {
  while (blocks_ != nullptr) {
    Block* next = blocks_->next;
    ::operator delete(blocks_, kBlockHeader + blocks_->size);
    blocks_ = next;
  }
}

PlanArena::PlanArena(PlanArena&& other) noexcept
    : blocks_(std::exchange(other.blocks_, nullptr)),
      next_(std::exchange(other.next_, nullptr)),
      end_(std::exchange(other.end_, nullptr)),
      next_block_size_(other.next_block_size_) {}

PlanArena& PlanArena::operator=(PlanArena&& other) noexcept {
  if (this != &other) {
    PlanArena gone(std::move(*this));
    blocks_ = std::exchange(other.blocks_, nullptr);
    next_ = std::exchange(other.next_, nullptr);
    end_ = std::exchange(other.end_, nullptr);
    next_block_size_ = other.next_block_size_;
  }
  return *this;
}

void* PlanArena::allocate(std::size_t size) {
  size = align_up(size);
  if (static_cast<std::size_t>(end_ - next_) < size) {
    std::size_t block_size = next_block_size_;
    while (block_size < size) block_size *= 2;
    if (next_block_size_ < kMaxBlock) next_block_size_ *= 2;
    auto* raw = static_cast<char*>(::operator new(kBlockHeader + block_size));
    auto* block = new (raw) Block{blocks_, block_size};
    blocks_ = block;
    next_ = raw + kBlockHeader;
    end_ = next_ + block_size;
  }
  void* p = next_;
  next_ += size;
  return p;
}

PlanArenaScope::PlanArenaScope(PlanArena& arena) noexcept : previous_(current_arena) {
  current_arena = &arena;
}

PlanArenaScope::~PlanArenaScope() {
  current_arena = previous_;
}

PlanArena* current_plan_arena() noexcept {
  return current_arena;
}

void* NodeExecutor::operator new(std::size_t size) {
  PlanArena* arena = current_arena;
  char* raw = static_cast<char*>(arena != nullptr ? arena->allocate(kExecutorHeader + size)
                                                  : ::operator new(kExecutorHeader + size));
  *reinterpret_cast<std::uintptr_t*>(raw) = arena != nullptr ? kFromArena : kFromHeap;
  return raw + kExecutorHeader;
}

void NodeExecutor::operator delete(void* p) noexcept {
  if (p == nullptr) return;
  char* raw = static_cast<char*>(p) - kExecutorHeader;
  // Arena storage is freed with the plan's arena.
  if (*reinterpret_cast<std::uintptr_t*>(raw) == kFromHeap) ::operator delete(raw);
}

}  // namespace thaiyyal
