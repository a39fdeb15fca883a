// Mutex: the lock type of every internal data structure.
//
// PKCS#11 lets an application hand the library its own mutex primitives through
// CK_C_INITIALIZE_ARGS (and forbid OS locking). The ABI layer adapts those callbacks to
// AppMutexFactory and installs it for the lifetime of one C_Initialize..C_Finalize; every Mutex
// created meanwhile then locks through the application's primitives (shared locking degrades to
// exclusive locking, which the callbacks cannot express). Otherwise a std::shared_mutex is used.
// Mutex satisfies Lockable and SharedLockable, so std::unique_lock / std::shared_lock work.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
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

class Mutex {
 public:
  Mutex();
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock();
  void unlock();
  void lock_shared();
  void unlock_shared();

 private:
  std::shared_mutex os_;
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
