// The exception firewall and library-state access shared by every entry point.
//
// Every exported C_* function body runs inside guard(): no exception crosses the C boundary
// (std::bad_alloc -> CKR_HOST_MEMORY, a failed application mutex -> its CK_RV, anything else ->
// CKR_GENERAL_ERROR), and nothing in the module calls exit() or abort().
// with_library() additionally holds the library's lifetime lock for the duration of the call, so
// C_Finalize cannot free state another thread is using. That lock is sharded per thread
// (common/sharded_mutex.h): calls on different threads do not write a shared cache line.
#pragma once

#include <new>
#include <shared_mutex>

#include "common/log.h"
#include "common/mutex.h"
#include "common/sharded_mutex.h"
#include "common/result.h"
#include "token/library.h"

namespace craton::abi {

#define CRATON_EXPORT extern "C" __attribute__((visibility("default")))

template <class F>
CK_RV guard(F&& body) noexcept {
  try {
    return body();
  } catch (const LockFailure& e) {
    return e.rv;
  } catch (const std::bad_alloc&) {
    return CKR_HOST_MEMORY;
  } catch (...) {
    return CKR_GENERAL_ERROR;
  }
}

// Turns a Status into the CK_RV the caller sees (reasons are logged at debug level only).
CK_RV to_rv(const Status& s, const char* function);
template <class T>
CK_RV to_rv(const Result<T>& r, const char* function) {
  return r.ok() ? CKR_OK : to_rv(Status(r.error()), function);
}

// The library's lifetime lock: every call holds it shared (its thread's shard only),
// C_Initialize, C_Finalize and fork() exclusively.
using LifetimeLock = ShardedSharedMutex<std::shared_mutex, 16>;

// Library lifetime: initialize/finalize implement C_Initialize/C_Finalize; acquire() grants
// shared access for one call.
class LibraryRef {
 public:
  LibraryRef(LifetimeLock::SharedLock lock, token::Library* lib) : lock_(std::move(lock)), lib_(lib) {}
  token::Library& operator*() const { return *lib_; }
  token::Library* operator->() const { return lib_; }

 private:
  LifetimeLock::SharedLock lock_;
  token::Library* lib_;
};

Result<LibraryRef> acquire();
CK_RV initialize(const CK_C_INITIALIZE_ARGS* args);
CK_RV finalize();

// The FIPS 140-3 error state (selftest/error_state.h): after a failed self-test only the functions
// that report status or close things answer; every other call gets CKR_GENERAL_ERROR. `function`
// is the name of the exported C_* function making the call; the list lives in library_state.cpp.
bool refused_in_error_state(const char* function) noexcept;

// Runs `body(lib)` with the library held; CKR_CRYPTOKI_NOT_INITIALIZED if there is none,
// CKR_GENERAL_ERROR in the error state unless the caller may answer there.
// `caller` defaults to the name of the function that calls with_library / with_session, i.e. the
// C_* entry point itself (GCC and clang's __builtin_FUNCTION, evaluated at the call site), so no
// entry point has to opt in or out: a helper or a new entry point is refused by default.
template <class F>
CK_RV with_library(F&& body, const char* caller = __builtin_FUNCTION()) noexcept {
  return guard([&]() -> CK_RV {
    auto lib = acquire();
    if (!lib.ok()) return lib.rv();
    if (refused_in_error_state(caller)) return CKR_GENERAL_ERROR;
    return body(**lib);
  });
}

// Runs `body(lib, session)` for a valid session handle.
template <class F>
CK_RV with_session(CK_SESSION_HANDLE h, F&& body, const char* caller = __builtin_FUNCTION()) noexcept {
  return with_library(
      [&](token::Library& lib) -> CK_RV {
        auto s = lib.session(h);
        if (!s.ok()) return s.rv();
        return body(lib, **s);
      },
      caller);
}

}  // namespace craton::abi
