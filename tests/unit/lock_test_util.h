// Helpers shared by the lock unit tests (sharded_mutex_test.cpp, word_shared_mutex_test.cpp).
#pragma once

#include <barrier>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace craton::test {

// Takes `mu` shared on `n` threads, each of which waits, holding it, until all n are inside.
// Returns once they have all let go; never returns if readers excluded each other.
template <class SharedLockable>
void hold_shared_together(SharedLockable& mu, int n) {
  std::barrier inside(n);
  std::vector<std::thread> readers;
  for (int i = 0; i < n; ++i) {
    readers.emplace_back([&] {
      std::shared_lock lock(mu);
      inside.arrive_and_wait();
    });
  }
  for (auto& t : readers) t.join();
}

}  // namespace craton::test
