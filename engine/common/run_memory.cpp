#include "engine/common/run_memory.hpp"

namespace thaiyyal {

namespace detail {
[[gnu::tls_model("initial-exec")]] thread_local constinit RunMemoryBudget* current_budget = nullptr;
}  // namespace detail

namespace {

bool fits(const RunMemoryBudget& b, std::uint64_t bytes) {
  return b.limit() == 0 || (b.used() <= b.limit() && bytes <= b.limit() - b.used());
}

}  // namespace

std::string memory_size_text(std::uint64_t bytes) {
  static constexpr struct {
    std::uint64_t size;
    const char* unit;
  } kUnits[] = {{1ull << 40, "TB"}, {1ull << 30, "GB"}, {1ull << 20, "MB"}, {1ull << 10, "kB"}};
  for (const auto& u : kUnits) {
    if (bytes != 0 && bytes % u.size == 0) return std::to_string(bytes / u.size) + u.unit;
  }
  return std::to_string(bytes) + "B";
}

RunMemoryBudget::RunMemoryBudget(std::uint64_t limit) noexcept
    : limit_(limit), outer_(detail::current_budget) {
  detail::current_budget = this;
}

RunMemoryBudget::~RunMemoryBudget() {
  detail::current_budget = outer_;
}

void RunMemoryBudget::ensure_available(std::uint64_t bytes) const {
  for (const RunMemoryBudget* b = this; b != nullptr; b = b->outer_) {
    if (!fits(*b, bytes)) throw RunMemoryExceeded(b->limit_, bytes);
  }
}

void RunMemoryBudget::charge_nested(std::uint64_t bytes) {
  ensure_available(bytes);
  for (RunMemoryBudget* b = this; b != nullptr; b = b->outer_) {
    b->used_ += bytes;
    if (b->used_ > b->peak_) b->peak_ = b->used_;
  }
}

}  // namespace thaiyyal
