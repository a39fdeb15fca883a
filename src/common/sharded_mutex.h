// ShardedSharedMutex: a reader/writer lock whose readers do not share a cache line.
//
// A plain reader/writer lock is one word that every reader writes (the reader count), so readers
// on different cores bounce its cache line even though they never wait for each other. Here the
// lock is up to N shards, each on its own cache lines: a reader locks only the shard of its
// thread (thread_shard()), a writer locks every shard in use in index order. Readers on different
// threads that got different shard numbers therefore touch disjoint memory; writers pay a lock
// operation per shard, so this is for locks that are read on every call and written rarely.
// Only as many shards are used as threads can run at once (the CPUs the process may run on,
// rounded up to a power of two): more would only add to every writer's cost, since readers on
// the same CPU never contend. A writer of an 8-shard lock took 52 ns, of a 2-shard one 14 ns, on
// the 2-core VM of docs/PERFORMANCE.md (a new session object takes the token's lock as a writer).
//
// M is the shard lock (std::shared_mutex, or craton::Mutex so that the application's
// CK_C_INITIALIZE_ARGS callbacks are honoured). The class satisfies Lockable and SharedLockable;
// unlock_shared() must run on the thread that called lock_shared(), as for std::shared_mutex.
// Recursion, fairness and exception behaviour are those of M; lock() unwinds the shards it
// already took when M::lock() throws (craton::LockFailure).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace craton {

// A small number for the calling thread, kept for the thread's life and given back when the
// thread exits. Threads alive at the same time hold different numbers, and a thread that starts
// while fewer than 8 others hold one takes a number below 8 whose remainder modulo 8 none of them
// has: with up to 8 threads its shard of an 8- or 16-shard structure is its own. (Round robin from a counter, the
// first design, put a new thread in the same shard as a long-lived one whenever the counter came
// round to it: two benchmark threads then shared their token-lock and context-pool shards in about
// one run out of eight.) In a fork() child only the forking thread's number stays taken.
std::size_t thread_shard() noexcept;
// The numbers below 64 now held, one bit each (tests).
std::uint64_t thread_shard_numbers_taken() noexcept;
// The number of CPUs the process may run on (its affinity mask; at least 1).
std::size_t usable_cpus() noexcept;

template <class M, std::size_t N = 8>
class ShardedSharedMutex {
  static_assert(N > 0 && (N & (N - 1)) == 0, "the shard count is a power of two");

 public:
  static constexpr std::size_t kShards = N;  // the most shards a lock uses

  // Uses `threads` shards (default: usable_cpus()), rounded up to a power of two, at most N.
  explicit ShardedSharedMutex(std::size_t threads = usable_cpus())
      : used_(std::min(N, std::bit_ceil(std::max<std::size_t>(threads, 1)))) {}
  ShardedSharedMutex(const ShardedSharedMutex&) = delete;
  ShardedSharedMutex& operator=(const ShardedSharedMutex&) = delete;

  void lock() {
    std::size_t taken = 0;
    try {
      for (; taken < used_; ++taken) shards_[taken].mu.lock();
    } catch (...) {
      while (taken > 0) shards_[--taken].mu.unlock();
      throw;
    }
  }
  void unlock() {
    for (std::size_t i = used_; i > 0; --i) shards_[i - 1].mu.unlock();
  }
  void lock_shared() { shards_[thread_shard() & (used_ - 1)].mu.lock_shared(); }
  void unlock_shared() { shards_[thread_shard() & (used_ - 1)].mu.unlock_shared(); }
  std::size_t shards_in_use() const noexcept { return used_; }

  // A shared lock that remembers its shard: one thread_shard() lookup per lock instead of two.
  // Movable, not copyable; released on the thread that took it (as any reader lock).
  class SharedLock {
   public:
    explicit SharedLock(ShardedSharedMutex& m) : m_(&m), shard_(thread_shard() & (m.used_ - 1)) {
      m_->shards_[shard_].mu.lock_shared();
    }
    SharedLock(SharedLock&& other) noexcept : m_(std::exchange(other.m_, nullptr)), shard_(other.shard_) {}
    SharedLock(const SharedLock&) = delete;
    SharedLock& operator=(const SharedLock&) = delete;
    SharedLock& operator=(SharedLock&&) = delete;
    ~SharedLock() {
      if (m_ != nullptr) m_->shards_[shard_].mu.unlock_shared();
    }

   private:
    ShardedSharedMutex* m_;
    std::size_t shard_;
  };

  // Calls fn(M&) for every shard in use, the ones lock() takes (fork handling: a child re-creates
  // the shards it inherited locked, see abi/library_state.cpp; the others were never locked).
  template <class F>
  void for_each_shard(F&& fn) {
    for (std::size_t i = 0; i < used_; ++i) fn(shards_[i].mu);
  }

 private:
  // 128 bytes: the adjacent-line prefetcher of x86 cores pulls cache lines in pairs.
  struct alignas(128) Shard {
    M mu;
  };
  std::size_t used_;  // a power of two, 1..N: shards_[0..used_)
  std::array<Shard, N> shards_;
};

}  // namespace craton
