#include "common/sharded_mutex.h"

#include <atomic>

namespace craton {

std::size_t thread_shard() noexcept {
  static std::atomic<std::size_t> next{0};
  // 0 = not assigned yet; a constant initialiser keeps the access free of a TLS init guard.
  thread_local std::size_t mine = 0;
  if (mine == 0) mine = next.fetch_add(1, std::memory_order_relaxed) + 1;
  return mine - 1;
}

}  // namespace craton
