#include "audit/burst.h"

#include <algorithm>

namespace craton::audit {

bool Tally::add(std::uint64_t delta_us) noexcept {
  std::uint64_t old = state_.load(std::memory_order_relaxed);
  while (true) {
    if ((old & kSealed) != 0) return false;
    const std::uint64_t count = old & kMaxCount;
    const std::uint64_t delta = std::max(delta_us, (old >> 32) & kMaxDelta);
    if (count == kMaxCount || delta > kMaxDelta) return false;
    const std::uint64_t next = (delta << 32) | (count + 1);
    // Release: nothing to publish beyond the word itself, but it pairs with seal()'s acquire so
    // the writer's view of the count is never older than the call that was counted.
    if (state_.compare_exchange_weak(old, next, std::memory_order_release, std::memory_order_relaxed)) return true;
  }
}

Tally::Counted Tally::seal() noexcept {
  const std::uint64_t old = state_.fetch_or(kSealed, std::memory_order_acquire);
  return {old & kMaxCount, (old >> 32) & kMaxDelta};
}

}  // namespace craton::audit
