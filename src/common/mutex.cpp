#include "common/mutex.h"

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

void Mutex::lock() {
  if (!app_) return os_.lock();
  if (const CK_RV rv = app_->lock(); rv != CKR_OK) throw LockFailure(rv);
}

void Mutex::unlock() {
  if (!app_) return os_.unlock();
  (void)app_->unlock();  // an unlock failure cannot be recovered from; the lock is left as is
}

void Mutex::lock_shared() {
  if (!app_) return os_.lock_shared();
  lock();
}

void Mutex::unlock_shared() {
  if (!app_) return os_.unlock_shared();
  unlock();
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
