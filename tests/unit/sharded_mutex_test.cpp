// ShardedSharedMutex (common/sharded_mutex.h): the per-thread sharded reader/writer lock behind
// the library's lifetime lock, and thread_shard().
#include "common/sharded_mutex.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <bit>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "lock_test_util.h"

namespace craton {
namespace {

TEST(ShardedMutex, ThreadShardIsStablePerThreadAndDistinctAcrossThreads) {
  constexpr int kThreads = 8;
  std::vector<std::size_t> first(kThreads), second(kThreads);
  std::barrier all_assigned(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      first[static_cast<std::size_t>(i)] = thread_shard();
      all_assigned.arrive_and_wait();  // all threads alive at once
      second[static_cast<std::size_t>(i)] = thread_shard();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(first, second);
  EXPECT_EQ(std::set<std::size_t>(first.begin(), first.end()).size(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(thread_shard(), thread_shard());
}

// A thread that exits gives its number back: threads started one after the other (each gone
// before the next starts) all get the same number, so a long-running process does not walk its
// threads round the shards.
TEST(ShardedMutex, AThreadsNumberIsGivenBackWhenItExits) {
  std::vector<std::size_t> numbers;
  for (int i = 0; i < 20; ++i) {
    std::size_t n = 0;
    std::thread([&n] { n = thread_shard(); }).join();
    numbers.push_back(n);
  }
  EXPECT_EQ(std::set<std::size_t>(numbers.begin(), numbers.end()).size(), 1u) << numbers.front();
}

// The benchmark pattern that used to collide: a long-lived thread (this one) and, again and again,
// a new helper thread running next to it, after threads of other sizes came and went. Every time,
// the live threads' shards modulo 8 differ from each other.
TEST(ShardedMutex, LiveThreadsGetDifferentShardsModuloEight) {
  const std::size_t mine = thread_shard();
  for (int round = 0; round < 24; ++round) {
    const int group = 1 + round % 7;  // 1..7 helpers alive together with this thread
    std::vector<std::size_t> got(static_cast<std::size_t>(group));
    std::barrier all_in(group);
    std::vector<std::thread> helpers;
    for (int i = 0; i < group; ++i) {
      helpers.emplace_back([&, i] {
        got[static_cast<std::size_t>(i)] = thread_shard();
        all_in.arrive_and_wait();  // all alive at once
      });
    }
    for (auto& t : helpers) t.join();
    std::set<std::size_t> residues{mine % 8};
    for (std::size_t n : got) residues.insert(n % 8);
    EXPECT_EQ(residues.size(), got.size() + 1) << "round " << round;
  }
}

// In a fork() child only the forking thread exists: its number is the only one still taken, so
// threads the child starts get shards of their own even when the parent had many threads alive at
// the fork. (Checked on the numbers: TSan does not allow starting threads in such a child.)
TEST(ShardedMutex, AForkChildForgetsTheParentsOtherThreads) {
  const std::size_t mine = thread_shard();
  ASSERT_LT(mine, 64u);
  std::barrier all_in(9);
  std::barrier forked(9);
  std::vector<std::thread> busy;
  for (int i = 0; i < 8; ++i) {
    busy.emplace_back([&] {
      (void)thread_shard();
      all_in.arrive_and_wait();
      forked.arrive_and_wait();
    });
  }
  all_in.arrive_and_wait();  // 9 live threads: every remainder modulo 8 is taken in the parent
  EXPECT_EQ(std::popcount(thread_shard_numbers_taken()), 9);
  const pid_t child = fork();
  if (child == 0) _exit(thread_shard_numbers_taken() == (std::uint64_t{1} << mine) ? 0 : 1);
  forked.arrive_and_wait();
  for (auto& t : busy) t.join();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(thread_shard_numbers_taken(), std::uint64_t{1} << mine);  // the parent's helpers gave theirs back
}

// Readers on several threads are inside at the same time: each waits, holding its shared lock,
// until all of them are in (this would never finish if readers excluded each other).
TEST(ShardedMutex, ReadersDoNotExcludeEachOther) {
  ShardedSharedMutex<std::shared_mutex> mu;
  test::hold_shared_together(mu, 6);
  std::unique_lock lock(mu);  // and every shard was released again
}

// SharedLock holds its shard until it is destroyed, also after a move.
TEST(ShardedMutex, SharedLockGuardKeepsItsShardAcrossMoves) {
  ShardedSharedMutex<std::shared_mutex, 4> mu;
  std::atomic<bool> writer_in{false};
  std::thread writer;
  {
    using Lock = ShardedSharedMutex<std::shared_mutex, 4>::SharedLock;
    auto held = std::make_unique<Lock>(mu);
    Lock moved(std::move(*held));
    held.reset();  // the moved-from guard releases nothing
    writer = std::thread([&] {
      std::unique_lock lock(mu);
      writer_in = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(writer_in.load());
  }  // `moved` releases the shard here
  writer.join();
  EXPECT_TRUE(writer_in.load());
}

// As many shards as threads can run at once: the CPUs this process may use, rounded up to a
// power of two, at most the type's N; at least one.
TEST(ShardedMutex, UsesAsManyShardsAsThreadsCanRunAtOnce) {
  ASSERT_GE(usable_cpus(), 1u);
  ShardedSharedMutex<std::shared_mutex, 8> by_default;
  EXPECT_EQ(by_default.shards_in_use(), std::min<std::size_t>(8, std::bit_ceil(usable_cpus())));
  const std::vector<std::pair<std::size_t, std::size_t>> cases = {{0, 1}, {1, 1}, {2, 2}, {3, 4}, {5, 8}, {8, 8}, {100, 8}};
  for (const auto& [threads, shards] : cases) {
    ShardedSharedMutex<std::shared_mutex, 8> mu(threads);
    EXPECT_EQ(mu.shards_in_use(), shards) << threads;
  }
}

// for_each_shard() visits the shards lock() takes and no other: a fork() child re-creates exactly
// those (abi/library_state.cpp), and under TSan announces their release.
TEST(ShardedMutex, ForEachShardVisitsTheShardsInUse) {
  for (std::size_t threads : {1u, 2u, 3u, 8u}) {
    ShardedSharedMutex<std::shared_mutex, 8> mu(threads);
    std::set<std::shared_mutex*> visited;
    mu.for_each_shard([&](std::shared_mutex& m) { visited.insert(&m); });
    EXPECT_EQ(visited.size(), mu.shards_in_use()) << threads;
    // Every visited shard is one a writer holds: another thread can take none of them meanwhile.
    std::unique_lock lock(mu);
    std::size_t taken = 0;
    std::thread other([&] {
      for (std::shared_mutex* m : visited) {
        if (m->try_lock_shared()) {
          ++taken;
          m->unlock_shared();
        }
      }
    });
    other.join();
    EXPECT_EQ(taken, 0u) << threads;
  }
}

// A writer waits for a reader on any shard, and readers on every shard wait for the writer;
// with one, two and four shards in use.
class ShardedMutexInUse : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ShardedMutexInUse, WriterExcludesReadersOfEveryShard) {
  ShardedSharedMutex<std::shared_mutex, 4> mu(GetParam());
  ASSERT_EQ(mu.shards_in_use(), GetParam());
  std::atomic<bool> writer_in{false};
  {
    // A reader holds its shard; the writer must not get in until it leaves.
    std::promise<void> reader_holds;
    std::promise<void> reader_may_leave;
    std::thread reader([&] {
      std::shared_lock lock(mu);
      reader_holds.set_value();
      reader_may_leave.get_future().wait();
    });
    reader_holds.get_future().wait();
    std::thread writer([&] {
      std::unique_lock lock(mu);
      writer_in = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(writer_in.load());
    reader_may_leave.set_value();
    reader.join();
    writer.join();
    EXPECT_TRUE(writer_in.load());
  }
  {
    // The writer holds the lock; readers on more threads than shards all wait for it.
    std::unique_lock wlock(mu);
    std::atomic<int> readers_in{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 8; ++i) {
      readers.emplace_back([&] {
        std::shared_lock lock(mu);
        ++readers_in;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(readers_in.load(), 0);
    wlock.unlock();
    for (auto& t : readers) t.join();
    EXPECT_EQ(readers_in.load(), 8);
  }
}

INSTANTIATE_TEST_SUITE_P(ShardedMutex, ShardedMutexInUse, ::testing::Values(std::size_t{1}, std::size_t{2}, std::size_t{4}));

// Many readers and two writers hammer the lock: a writer never sees a reader inside, a reader
// never sees a half-done write. `value` is a plain int, so under TSan any missing exclusion is
// also reported as a data race.
TEST(ShardedMutex, StressReadersAndWritersKeepTheInvariant) {
  ShardedSharedMutex<std::shared_mutex> mu;
  int value = 0;  // even outside a writer's critical section
  std::atomic<int> readers_inside{0};
  std::atomic<bool> broken{false};
  std::atomic<long> reads{0};
  constexpr int kWrites = 300;
  std::atomic<int> writers_done{0};
  auto writer = [&] {
    // Not before a reader got in once: on a loaded machine the writers could otherwise be done
    // before any reader ran, and the test would check nothing about readers (they need no writer
    // to make progress, so this wait ends).
    while (reads.load() == 0) std::this_thread::yield();
    for (int i = 0; i < kWrites; ++i) {
      std::unique_lock lock(mu);
      if (readers_inside.load() != 0) broken = true;
      ++value;
      if (value % 2 != 1) broken = true;
      ++value;
    }
    ++writers_done;
  };
  auto reader = [&] {
    while (writers_done.load() < 2) {
      std::shared_lock lock(mu);
      ++readers_inside;
      if (value % 2 != 0) broken = true;
      --readers_inside;
      ++reads;
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) threads.emplace_back(reader);
  threads.emplace_back(writer);
  threads.emplace_back(writer);
  for (auto& t : threads) t.join();
  EXPECT_FALSE(broken.load());
  EXPECT_EQ(value, 2 * 2 * kWrites);
  EXPECT_GT(reads.load(), 0);
}

// A shard lock whose lock() fails once armed: lock() must release the shards it already took and
// pass the failure on.
struct FailingLock {
  static inline std::atomic<int> fail_at{-1};  // index of the lock() call that throws
  static inline std::atomic<int> calls{0};
  bool held = false;
  void lock() {
    if (calls++ == fail_at.load()) throw LockFailure(CKR_MUTEX_BAD);
    held = true;
  }
  void unlock() { held = false; }
  void lock_shared() { lock(); }
  void unlock_shared() { unlock(); }
};

TEST(ShardedMutex, FailedLockReleasesTheShardsAlreadyTaken) {
  ShardedSharedMutex<FailingLock, 8> mu(8);  // all eight in use, whatever this machine has
  FailingLock::calls = 0;
  FailingLock::fail_at = 5;
  try {
    mu.lock();
    FAIL() << "lock() did not report the failing shard";
  } catch (const LockFailure& e) {
    EXPECT_EQ(e.rv, CKR_MUTEX_BAD);
  }
  int held = 0;
  mu.for_each_shard([&](FailingLock& l) { held += l.held ? 1 : 0; });
  EXPECT_EQ(held, 0);
  FailingLock::fail_at = -1;
  mu.lock();
  held = 0;
  mu.for_each_shard([&](FailingLock& l) { held += l.held ? 1 : 0; });
  EXPECT_EQ(held, 8);
  mu.unlock();
}

// With the application's mutex callbacks installed, every shard is one application mutex: a
// reader locks one of them, a writer all of those in use.
class CountingMutex final : public AppMutex {
 public:
  explicit CountingMutex(std::atomic<int>* locks) : locks_(locks) {}
  CK_RV lock() override {
    m_.lock();
    ++*locks_;
    return CKR_OK;
  }
  CK_RV unlock() override {
    m_.unlock();
    return CKR_OK;
  }

 private:
  std::mutex m_;
  std::atomic<int>* locks_;
};

class CountingFactory final : public AppMutexFactory {
 public:
  std::unique_ptr<AppMutex> create() override {
    ++created;
    return std::make_unique<CountingMutex>(&locks);
  }
  std::atomic<int> created{0};
  std::atomic<int> locks{0};
};

TEST(ShardedMutex, ShardsOfCratonMutexUseTheApplicationCallbacks) {
  auto factory = std::make_shared<CountingFactory>();
  set_app_mutex_factory(factory);
  {
    ShardedSharedMutex<Mutex, 8> mu(8);
    EXPECT_EQ(factory->created.load(), 8);
    { std::shared_lock lock(mu); }
    EXPECT_EQ(factory->locks.load(), 1);
    { std::unique_lock lock(mu); }
    EXPECT_EQ(factory->locks.load(), 9);
    ShardedSharedMutex<Mutex, 8> two(2);
    { std::unique_lock lock(two); }
    EXPECT_EQ(factory->locks.load(), 11);
  }
  set_app_mutex_factory(nullptr);
}

// ExclusiveMutex (the session table's shard lock) honours the callbacks too, and a CreateMutex
// failure is CKR_CANT_LOCK.
class FailingFactory final : public AppMutexFactory {
 public:
  std::unique_ptr<AppMutex> create() override { return nullptr; }
};

TEST(ShardedMutex, ExclusiveMutexUsesTheApplicationCallbacks) {
  {
    ExclusiveMutex plain;  // no callbacks installed: OS locking
    std::unique_lock lock(plain);
    EXPECT_TRUE(lock.owns_lock());
  }
  auto factory = std::make_shared<CountingFactory>();
  set_app_mutex_factory(factory);
  {
    ExclusiveMutex m;
    EXPECT_EQ(factory->created.load(), 1);
    { std::unique_lock lock(m); }
    EXPECT_EQ(factory->locks.load(), 1);
  }
  set_app_mutex_factory(std::make_shared<FailingFactory>());
  try {
    ExclusiveMutex m;
    ADD_FAILURE() << "a failed CreateMutex went unnoticed";
  } catch (const LockFailure& e) {
    EXPECT_EQ(e.rv, CKR_CANT_LOCK);
  }
  set_app_mutex_factory(nullptr);
}

}  // namespace
}  // namespace craton
