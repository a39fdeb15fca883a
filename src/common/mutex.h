// Mutex: the lock type of every internal data structure.
//
// PKCS#11 lets an application hand the library its own mutex primitives through
// CK_C_INITIALIZE_ARGS (and forbid OS locking). The ABI layer adapts those callbacks to
// AppMutexFactory and installs it for the lifetime of one C_Initialize..C_Finalize; every Mutex
// created meanwhile then locks through the application's primitives (shared locking degrades to
// exclusive locking, which the callbacks cannot express). Otherwise a WordSharedMutex is used.
// Mutex satisfies Lockable and SharedLockable, so std::unique_lock / std::shared_lock work.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>  // std::shared_lock, which Mutex works with
#include <stdexcept>

#include "craton/pkcs11/pkcs11.h"

namespace craton {

class AppMutex {
 public:
  virtual ~AppMutex() = default;
  virtual CK_RV lock() = 0;
  virtual CK_RV unlock() = 0;
};

class AppMutexFactory {
 public:
  virtual ~AppMutexFactory() = default;
  // Returns null when the application's CreateMutex fails.
  virtual std::unique_ptr<AppMutex> create() = 0;
};

// Thrown when an application mutex callback fails; the entry-point guard turns it into `rv`.
struct LockFailure : std::runtime_error {
  explicit LockFailure(CK_RV r) : std::runtime_error("application mutex callback failed"), rv(r) {}
  CK_RV rv;
};

// Installs (or, with null, removes) the application's mutex factory. Not thread-safe: called only
// while the library is being initialised or finalised.
void set_app_mutex_factory(std::shared_ptr<AppMutexFactory> factory);

// The OS lock behind Mutex: a reader/writer lock in one 32-bit word, waiting through
// std::atomic wait/notify (a futex on Linux). Bit 31: held exclusively; bit 30: someone may be
// waiting; bits 0..29: readers. Taking and releasing it uncontended is one atomic instruction
// each, in line. (std::shared_mutex, glibc's pthread_rwlock, was two to four atomic instructions
// behind two calls each way; a token's write lock takes eight of these, once per shard, and that
// was about 15% of what C_EncapsulateKey adds to an ML-KEM encapsulation.)
// Readers are preferred, as with glibc's default: a thread may hold it shared twice while a writer
// waits. Not recursive for writers. Satisfies Lockable and SharedLockable.
class WordSharedMutex {
 public:
  WordSharedMutex() = default;
  WordSharedMutex(const WordSharedMutex&) = delete;
  WordSharedMutex& operator=(const WordSharedMutex&) = delete;

  void lock() {
    std::uint32_t free = 0;
    if (!state_.compare_exchange_strong(free, kWriter, std::memory_order_acquire, std::memory_order_relaxed)) {
      lock_slow();
    }
  }
  void unlock() {
    // Sequentially consistent: the release and the waiter check inside notify must not pass
    // each other.
    if ((state_.exchange(0) & kWaiters) != 0) state_.notify_all();
  }
  void lock_shared() {
    std::uint32_t s = state_.load(std::memory_order_relaxed);
    if ((s & kWriter) != 0 || (s & kReaders) == kReaders ||
        !state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire, std::memory_order_relaxed)) {
      lock_shared_slow();
    }
  }
  void unlock_shared() {
    // The last reader out wakes a writer that waits for it.
    if (state_.fetch_sub(1) - 1 == kWaiters) state_.notify_all();
  }

  // The word, for tests: kWriter, kWaiters and the reader count.
  std::uint32_t state_for_test() const noexcept { return state_.load(); }
  static constexpr std::uint32_t kWriter = 1U << 31;
  static constexpr std::uint32_t kWaiters = 1U << 30;
  static constexpr std::uint32_t kReaders = kWaiters - 1;

 private:
  void lock_slow();
  void lock_shared_slow();
  template <class Next>
  void acquire_slow(Next next);  // the wait loop of both (mutex.cpp)

  std::atomic<std::uint32_t> state_{0};
};

class Mutex {
 public:
  Mutex();
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() {
    if (app_) return app_lock();
    os_.lock();
  }
  void unlock() {
    if (app_) return app_unlock();
    os_.unlock();
  }
  void lock_shared() {
    if (app_) return app_lock();  // the callbacks know no shared locking
    os_.lock_shared();
  }
  void unlock_shared() {
    if (app_) return app_unlock();
    os_.unlock_shared();
  }

 private:
  void app_lock();
  void app_unlock();

  WordSharedMutex os_;
  std::unique_ptr<AppMutex> app_;
};

// As Mutex, exclusive only: a std::mutex (cheaper to take and release than a reader/writer lock)
// unless the application's callbacks are installed. For short critical sections that are rarely
// contended (the session table's shards). Satisfies Lockable.
class ExclusiveMutex {
 public:
  ExclusiveMutex();
  ExclusiveMutex(const ExclusiveMutex&) = delete;
  ExclusiveMutex& operator=(const ExclusiveMutex&) = delete;

  void lock();
  void unlock();

 private:
  std::mutex os_;
  std::unique_ptr<AppMutex> app_;
};

}  // namespace craton
