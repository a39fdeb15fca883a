#include "common/mutex.h"

namespace craton {
namespace {
std::shared_ptr<AppMutexFactory> g_factory;  // written only under the library's init lock
}

void set_app_mutex_factory(std::shared_ptr<AppMutexFactory> factory) { g_factory = std::move(factory); }

Mutex::Mutex() {
  if (g_factory) {
    app_ = g_factory->create();
    if (!app_) throw LockFailure(CKR_CANT_LOCK);
  }
}

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

}  // namespace craton
