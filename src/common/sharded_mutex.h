// ShardedSharedMutex: a reader/writer lock whose readers do not share a cache line.
//
// A plain reader/writer lock is one word that every reader writes (the reader count), so readers
// on different cores bounce its cache line even though they never wait for each other. Here the
// lock is N shards, each on its own cache lines: a reader locks only the shard of its thread
// (thread_shard()), a writer locks every shard in index order. Readers on different threads that
// got different shard numbers therefore touch disjoint memory; writers pay N lock operations, so
// this is for locks that are read on every call and written rarely.
//
// M is the shard lock (std::shared_mutex, or craton::Mutex so that the application's
// CK_C_INITIALIZE_ARGS callbacks are honoured). The class satisfies Lockable and SharedLockable;
// unlock_shared() must run on the thread that called lock_shared(), as for std::shared_mutex.
// Recursion, fairness and exception behaviour are those of M; lock() unwinds the shards it
// already took when M::lock() throws (craton::LockFailure).
#pragma once

#include <array>
#include <cstddef>
#include <utility>

namespace craton {

// A small number for the calling thread: assigned on the thread's first call from a process-wide
// counter (round robin) and kept for the thread's life, so threads running at the same time get
// different numbers (until the counter wraps modulo a shard count). Survives fork() in the
// calling thread, like any thread_local.
std::size_t thread_shard() noexcept;

template <class M, std::size_t N = 8>
class ShardedSharedMutex {
  static_assert(N > 0 && (N & (N - 1)) == 0, "the shard count is a power of two");

 public:
  static constexpr std::size_t kShards = N;

  ShardedSharedMutex() = default;
  ShardedSharedMutex(const ShardedSharedMutex&) = delete;
  ShardedSharedMutex& operator=(const ShardedSharedMutex&) = delete;

  void lock() {
    std::size_t taken = 0;
    try {
      for (; taken < N; ++taken) shards_[taken].mu.lock();
    } catch (...) {
      while (taken > 0) shards_[--taken].mu.unlock();
      throw;
    }
  }
  void unlock() {
    for (std::size_t i = N; i > 0; --i) shards_[i - 1].mu.unlock();
  }
  void lock_shared() { shards_[thread_shard() & (N - 1)].mu.lock_shared(); }
  void unlock_shared() { shards_[thread_shard() & (N - 1)].mu.unlock_shared(); }

  // A shared lock that remembers its shard: one thread_shard() lookup per lock instead of two.
  // Movable, not copyable; released on the thread that took it (as any reader lock).
  class SharedLock {
   public:
    explicit SharedLock(ShardedSharedMutex& m) : m_(&m), shard_(thread_shard() & (N - 1)) {
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

  // Calls fn(M&) for every shard (fork handling: a child re-creates the shards it inherited
  // locked, see abi/library_state.cpp).
  template <class F>
  void for_each_shard(F&& fn) {
    for (auto& s : shards_) fn(s.mu);
  }

 private:
  // 128 bytes: the adjacent-line prefetcher of x86 cores pulls cache lines in pairs.
  struct alignas(128) Shard {
    M mu;
  };
  std::array<Shard, N> shards_;
};

}  // namespace craton
