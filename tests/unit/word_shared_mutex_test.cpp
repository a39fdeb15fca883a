// WordSharedMutex (common/mutex.h): the one-word reader/writer lock behind craton::Mutex and so
// behind every token's sharded lock. Run under TSan too (Makefile TSAN_EXTRA): `value` below is a
// plain int, so a missing exclusion is also reported as a data race.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/sharded_mutex.h"
#include "lock_test_util.h"

namespace craton {
namespace {

using namespace std::chrono_literals;

// Waits (up to 5 s) until `pred` holds; the state word is how a test sees a thread asleep in it.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 5000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return pred();
}

TEST(WordSharedMutex, StateWordFollowsLockAndUnlock) {
  WordSharedMutex mu;
  EXPECT_EQ(mu.state_for_test(), 0u);
  mu.lock();
  EXPECT_EQ(mu.state_for_test(), WordSharedMutex::kWriter);
  mu.unlock();
  EXPECT_EQ(mu.state_for_test(), 0u);
  mu.lock_shared();
  mu.lock_shared();
  EXPECT_EQ(mu.state_for_test(), 2u);
  mu.unlock_shared();
  mu.unlock_shared();
  EXPECT_EQ(mu.state_for_test(), 0u);
}

TEST(WordSharedMutex, ReadersAreInsideTogether) {
  WordSharedMutex mu;
  test::hold_shared_together(mu, 6);  // never returns if readers excluded each other
  EXPECT_EQ(mu.state_for_test(), 0u);
}

// A writer sleeps while a reader is inside (and says so in the word), and gets in once it leaves.
TEST(WordSharedMutex, WriterWaitsForTheLastReader) {
  WordSharedMutex mu;
  mu.lock_shared();
  mu.lock_shared();
  std::atomic<bool> writer_in{false};
  std::thread writer([&] {
    std::unique_lock lock(mu);
    writer_in = true;
  });
  ASSERT_TRUE(eventually([&] { return (mu.state_for_test() & WordSharedMutex::kWaiters) != 0; }));
  EXPECT_FALSE(writer_in.load());
  mu.unlock_shared();
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(writer_in.load()) << "one reader is still inside";
  mu.unlock_shared();  // the last one out wakes the writer
  writer.join();
  EXPECT_TRUE(writer_in.load());
  EXPECT_EQ(mu.state_for_test() & (WordSharedMutex::kWriter | WordSharedMutex::kReaders), 0u);
}

// Readers and other writers sleep while a writer holds it, and all get in after it releases.
TEST(WordSharedMutex, WriterExcludesReadersAndWriters) {
  WordSharedMutex mu;
  mu.lock();
  std::atomic<int> readers_in{0}, writers_in{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      std::shared_lock lock(mu);
      ++readers_in;
    });
    threads.emplace_back([&] {
      std::unique_lock lock(mu);
      ++writers_in;
    });
  }
  ASSERT_TRUE(eventually([&] { return (mu.state_for_test() & WordSharedMutex::kWaiters) != 0; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(readers_in.load(), 0);
  EXPECT_EQ(writers_in.load(), 0);
  mu.unlock();
  for (auto& t : threads) t.join();
  EXPECT_EQ(readers_in.load(), 4);
  EXPECT_EQ(writers_in.load(), 4);
  EXPECT_EQ(mu.state_for_test() & (WordSharedMutex::kWriter | WordSharedMutex::kReaders), 0u);
}

// Readers are preferred, as with glibc's default rwlock that this lock replaced: a thread that
// already reads may take the lock shared again while a writer waits (a writer-preferring lock
// would deadlock here).
TEST(WordSharedMutex, AReaderMayReadAgainWhileAWriterWaits) {
  WordSharedMutex mu;
  mu.lock_shared();
  std::thread writer([&] { std::unique_lock lock(mu); });
  ASSERT_TRUE(eventually([&] { return (mu.state_for_test() & WordSharedMutex::kWaiters) != 0; }));
  mu.lock_shared();  // must not block
  EXPECT_EQ(mu.state_for_test() & WordSharedMutex::kReaders, 2u);
  mu.unlock_shared();
  mu.unlock_shared();
  writer.join();
}

// A flag a waiter set is kept by the writer that gets in after a reader's wake-up, so the other
// sleepers are woken when that writer releases (a lost wake-up would hang this test).
TEST(WordSharedMutex, SeveralSleepersAreAllWokenInTurn) {
  WordSharedMutex mu;
  mu.lock_shared();
  constexpr int kWriters = 5;
  std::atomic<int> done{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&] {
      std::unique_lock lock(mu);
      std::this_thread::sleep_for(1ms);
      ++done;
    });
  }
  ASSERT_TRUE(eventually([&] { return (mu.state_for_test() & WordSharedMutex::kWaiters) != 0; }));
  std::this_thread::sleep_for(20ms);  // let them all go to sleep
  mu.unlock_shared();
  for (auto& t : writers) t.join();
  EXPECT_EQ(done.load(), kWriters);
}

// Many readers and writers hammer one lock: a writer never sees a reader inside, a reader never
// sees a half-done write, and nothing hangs.
TEST(WordSharedMutex, StressKeepsTheInvariant) {
  WordSharedMutex mu;
  int value = 0;  // even outside a writer's critical section
  std::atomic<int> readers_inside{0};
  std::atomic<bool> broken{false};
  constexpr int kWrites = 2000;
  std::vector<std::thread> threads;
  std::atomic<bool> stop{false};
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < kWrites; ++i) {
        std::unique_lock lock(mu);
        if (readers_inside.load() != 0) broken = true;
        ++value;  // odd: a write in progress
        ++value;
      }
    });
  }
  for (int r = 0; r < 4; ++r) {
    threads.emplace_back([&] {
      while (!stop.load()) {
        std::shared_lock lock(mu);
        ++readers_inside;
        if (value % 2 != 0) broken = true;
        --readers_inside;
      }
    });
  }
  threads[0].join();
  threads[1].join();
  stop = true;
  for (std::size_t i = 2; i < threads.size(); ++i) threads[i].join();
  EXPECT_FALSE(broken.load());
  std::unique_lock lock(mu);
  EXPECT_EQ(value, 2 * 2 * kWrites);
}

// The same through the token's lock shape: eight craton::Mutex shards, readers on their own
// shards, writers taking all of them.
TEST(WordSharedMutex, StressThroughTheShardedTokenLock) {
  ShardedSharedMutex<Mutex> mu;
  int value = 0;
  std::atomic<bool> broken{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        ShardedSharedMutex<Mutex>::SharedLock lock(mu);
        if (value % 2 != 0) broken = true;
      }
    });
  }
  for (int i = 0; i < 3000; ++i) {
    std::unique_lock lock(mu);
    ++value;
    ++value;
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_FALSE(broken.load());
  EXPECT_EQ(value, 6000);
}

}  // namespace
}  // namespace craton
