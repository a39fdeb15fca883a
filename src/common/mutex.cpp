#include "common/mutex.h"

#include <optional>

namespace craton {
namespace {

std::shared_ptr<AppMutexFactory> g_factory;  // written only under the library's init lock

// The application's mutex when its callbacks are installed, else null (OS locking).
std::unique_ptr<AppMutex> app_mutex_if_installed() {
  if (!g_factory) return nullptr;
  std::unique_ptr<AppMutex> m = g_factory->create();
  if (!m) throw LockFailure(CKR_CANT_LOCK);
  return m;
}

}  // namespace

void set_app_mutex_factory(std::shared_ptr<AppMutexFactory> factory) { g_factory = std::move(factory); }

Mutex::Mutex() : app_(app_mutex_if_installed()) {}

void Mutex::app_lock() {
  if (const CK_RV rv = app_->lock(); rv != CKR_OK) throw LockFailure(rv);
}

void Mutex::app_unlock() {
  (void)app_->unlock();  // an unlock failure cannot be recovered from; the lock is left as is
}

// `next(s)` is the word after taking the lock from word s, or nullopt while it cannot be taken.
// A waiter first sets kWaiters (so that the holder's release notifies), then sleeps until the word
// changes. A thread that gets the lock keeps kWaiters as it found it: other threads may still be
// asleep, and the next release must wake them (a spare wake-up costs a system call, a lost one a
// hang).
template <class Next>
void WordSharedMutex::acquire_slow(Next next) {
  std::uint32_t s = state_.load(std::memory_order_relaxed);
  while (true) {
    if (const std::optional<std::uint32_t> taken = next(s)) {
      if (state_.compare_exchange_weak(s, *taken, std::memory_order_acquire, std::memory_order_relaxed)) return;
      continue;
    }
    if ((s & kWaiters) == 0 && !state_.compare_exchange_weak(s, s | kWaiters, std::memory_order_relaxed)) continue;
    state_.wait(s | kWaiters);  // sequentially consistent, as the release and notify above
    s = state_.load(std::memory_order_relaxed);
  }
}

void WordSharedMutex::lock_slow() {
  acquire_slow([](std::uint32_t s) -> std::optional<std::uint32_t> {
    if ((s & (kWriter | kReaders)) != 0) return std::nullopt;
    return kWriter | (s & kWaiters);
  });
}

void WordSharedMutex::lock_shared_slow() {
  acquire_slow([](std::uint32_t s) -> std::optional<std::uint32_t> {
    if ((s & kWriter) != 0 || (s & kReaders) == kReaders) return std::nullopt;
    return s + 1;
  });
}

ExclusiveMutex::ExclusiveMutex() : app_(app_mutex_if_installed()) {}

void ExclusiveMutex::lock() {
  if (!app_) return os_.lock();
  if (const CK_RV rv = app_->lock(); rv != CKR_OK) throw LockFailure(rv);
}

void ExclusiveMutex::unlock() {
  if (!app_) return os_.unlock();
  (void)app_->unlock();  // as Mutex::unlock
}

}  // namespace craton
