// C_Initialize / C_Finalize, CK_C_INITIALIZE_ARGS and fork handling.
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

#include "abi/guard.h"
#include "audit/writer.h"
#include "common/ck_names.h"
#include "config/config.h"
#include "selftest/error_state.h"
#include "selftest/post.h"
#include "crypto/ossl/libctx.h"

namespace craton::abi {
namespace {

LifetimeLock g_mu;                           // guards g_lib's lifetime
// Deliberately never destroyed: a host that exits without C_Finalize (pkcs11-tool does, after an
// error or --change-pin) would otherwise tear the library down from exit handlers, possibly after
// libcrypto's own atexit cleanup, and crash using OpenSSL. The OS reclaims everything at exit.
template <class T>
union NeverDestroyed {  // static storage without an exit-time destructor (and without a heap leak)
  NeverDestroyed() : value() {}
  ~NeverDestroyed() {}
  T value;
};
NeverDestroyed<std::unique_ptr<token::Library>> g_lib_storage;
std::unique_ptr<token::Library>& g_lib = g_lib_storage.value;  // REQUIRES: g_mu
std::atomic<bool> g_forked{false};           // set in a child created by fork()
std::once_flag g_atfork_once;

// fork() must not copy a half-updated library: the prepare handler waits until no call is inside
// the library (every shard of the lifetime lock taken), and both sides release the lock afterwards.
// It then waits until the audit writer's thread is between two rounds of work
// (audit::Writer::hold_for_fork), so the child never inherits a lock that one of the module's
// threads held (the allocator's under a sanitizer, OpenSSL's, the audit file's).
void atfork_prepare() {
  g_mu.lock();
  if (g_lib && g_lib->audit_writer() != nullptr) g_lib->audit_writer()->hold_for_fork();
}
void atfork_parent() {
  if (g_lib && g_lib->audit_writer() != nullptr) g_lib->audit_writer()->release_after_fork();
  g_mu.unlock();
}
void atfork_child() {
  if (g_lib && g_lib->audit_writer() != nullptr) g_lib->audit_writer()->release_after_fork();
  // Not g_mu.unlock(): glibc's rwlock records the writer's TID, which differs in the child, so the
  // unlock would be taken for a reader's and leave g_mu write-locked forever (every call in the
  // child would hang). The child has one thread and nothing else holds g_mu: start every shard
  // afresh.
  g_mu.for_each_shard([](std::shared_mutex& m) {
#if defined(__SANITIZE_THREAD__)
    // The re-construction is a plain store TSan cannot see; tell it the lock taken in
    // atfork_prepare is released, or the child's first call reports a lock of a locked mutex.
    __tsan_mutex_pre_unlock(&m, 0);
    __tsan_mutex_post_unlock(&m, 0);
#endif
    std::construct_at(&m);
  });
  if (g_lib) g_forked.store(true, std::memory_order_relaxed);
}

// Adapts the application's CK_C_INITIALIZE_ARGS mutex callbacks.
class CallbackMutex final : public AppMutex {
 public:
  CallbackMutex(const CK_C_INITIALIZE_ARGS& a, CK_VOID_PTR m) : args_(a), m_(m) {}
  ~CallbackMutex() override { (void)args_.DestroyMutex(m_); }
  CK_RV lock() override { return args_.LockMutex(m_); }
  CK_RV unlock() override { return args_.UnlockMutex(m_); }

 private:
  CK_C_INITIALIZE_ARGS args_;
  CK_VOID_PTR m_;
};

class CallbackMutexFactory final : public AppMutexFactory {
 public:
  explicit CallbackMutexFactory(const CK_C_INITIALIZE_ARGS& a) : args_(a) {}
  std::unique_ptr<AppMutex> create() override {
    CK_VOID_PTR m = nullptr;
    if (args_.CreateMutex(&m) != CKR_OK || m == nullptr) return nullptr;
    return std::make_unique<CallbackMutex>(args_, m);
  }

 private:
  CK_C_INITIALIZE_ARGS args_;
};

// Decides how to lock (spec 5.4, C_Initialize): all four callbacks or none; callbacks without
// CKF_OS_LOCKING_OK must be used; with it we may (and do) use OS primitives.
Result<std::shared_ptr<AppMutexFactory>> locking_from(const CK_C_INITIALIZE_ARGS* args) {
  if (args == nullptr) return std::shared_ptr<AppMutexFactory>();
  if (args->pReserved != nullptr) return fail(CKR_ARGUMENTS_BAD, "pReserved must be NULL");
  const int given = (args->CreateMutex != nullptr) + (args->DestroyMutex != nullptr) +
                    (args->LockMutex != nullptr) + (args->UnlockMutex != nullptr);
  if (given != 0 && given != 4) return fail(CKR_ARGUMENTS_BAD, "mutex callbacks must be all or none");
  if (given == 0 || (args->flags & CKF_OS_LOCKING_OK) != 0) return std::shared_ptr<AppMutexFactory>();
  return std::shared_ptr<AppMutexFactory>(std::make_shared<CallbackMutexFactory>(*args));
}

// The functions that still answer in the error state (PKCS11-FACTS §6.3): status queries, so an
// application can see CKF_ERROR_STATE, and closing sessions. C_GetSlotList is among them because
// C_GetTokenInfo needs a slot ID. C_Initialize, C_Finalize, C_GetFunctionList and
// C_GetInterface(List) never go through with_library and always answer.
constexpr std::array<std::string_view, 6> kAnswerInErrorState = {
    "C_GetInfo", "C_GetSlotList", "C_GetSlotInfo", "C_GetTokenInfo", "C_CloseSession", "C_CloseAllSessions",
};
// crypto.backend: the provider set of the module's library context, chosen before any
// cryptography runs (self-tests included). Never a silent fallback to another backend.
Status select_crypto_backend(const config::Config& cfg) {
  if (cfg.crypto_backend == config::CryptoBackend::kInvalid) {
    log::error("library", "crypto.backend has an unknown value (see the config warning); not starting");
    return fail(CKR_GENERAL_ERROR, "unknown crypto backend");
  }
  const auto backend = cfg.crypto_backend == config::CryptoBackend::kOpenSslFips ? crypto::Backend::kOpenSslFips
                                                                                : crypto::Backend::kOpenSslDefault;
  std::string detail;
  auto st = crypto::select_backend(backend, detail);
  if (!st.ok()) log::error("library", "cannot start: ", detail);
  return st;
}

}  // namespace

bool refused_in_error_state(const char* function) noexcept {
  if (!selftest::in_error_state()) return false;
  const std::string_view f(function != nullptr ? function : "");
  return std::find(kAnswerInErrorState.begin(), kAnswerInErrorState.end(), f) == kAnswerInErrorState.end();
}

CK_RV to_rv(const Status& s, const char* function) {
  if (s.ok()) return CKR_OK;
  if (log::enabled(log::Level::Debug)) {
    log::debug("abi", std::string_view(function), " -> ", rv_name(s.rv()), ": ", std::string_view(s.error().reason));
  }
  return s.rv();
}

Result<LibraryRef> acquire() {
  LifetimeLock::SharedLock lock(g_mu);
  if (!g_lib) return fail(CKR_CRYPTOKI_NOT_INITIALIZED, "C_Initialize not called");
  if (g_forked.load(std::memory_order_relaxed) && g_lib->config().reset_on_fork) {
    return fail(CKR_CRYPTOKI_NOT_INITIALIZED, "forked child must call C_Initialize");
  }
  token::Library* lib = g_lib.get();
  return LibraryRef(std::move(lock), lib);
}

CK_RV initialize(const CK_C_INITIALIZE_ARGS* args) {
  auto locking = locking_from(args);
  if (!locking.ok()) return locking.rv();
  std::call_once(g_atfork_once, [] { (void)pthread_atfork(atfork_prepare, atfork_parent, atfork_child); });
  std::unique_lock lock(g_mu);
  if (g_lib) {
    // In the error state C_Initialize is the operator's way back: the module starts afresh and
    // re-runs the power-on self-tests (docs/SELF_TESTS.md), as after C_Finalize.
    const bool restart = (g_forked.load() && g_lib->config().reset_on_fork) || selftest::in_error_state();
    if (!restart) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    // A forked child starts afresh. The inherited state is destroyed, not abandoned: fork() ran
    // while no call was inside the library (atfork_prepare), so every inherited SQLite connection
    // is idle and closing it in the child is safe, whereas an abandoned one would leave SQLite's
    // per-process lock bookkeeping believing it holds locks it does not (see sqlite_token.h).
    g_lib.reset();
  }
  g_forked.store(false);
  auto cfg = config::load();
  if (!cfg.ok()) return CKR_GENERAL_ERROR;
  if (!log::configure(cfg->log).ok()) log::warning("config", "cannot open the log file; logging to stderr");
  for (const auto& w : cfg->warnings) log::warning("config", w);
  if (auto st = select_crypto_backend(*cfg); !st.ok()) return st.rv();
  set_app_mutex_factory(*locking);
  // The audit writer then writes in the calling thread instead of its own (docs/AUDIT.md).
  cfg->audit.no_threads = args != nullptr && (args->flags & CKF_LIBRARY_CANT_CREATE_OS_THREADS) != 0;
  // FIPS 140-3 power-on self-tests, before any service. A failure is logged and latched by
  // run_post; the library is still created so that the status functions can report the error
  // state (CKF_ERROR_STATE) and C_Finalize works, while every other call is refused (guard.h).
  const Status post = selftest::run_post();
  Result<std::unique_ptr<token::Library>> lib = fail(CKR_GENERAL_ERROR);
  try {
    lib = token::Library::create(std::move(cfg).value());
  } catch (...) {
    set_app_mutex_factory(nullptr);  // a failing CreateMutex lands here (CKR_CANT_LOCK)
    throw;
  }
  if (!lib.ok()) {
    set_app_mutex_factory(nullptr);
    log::error("library", "initialisation failed: ", std::string_view(lib.error().reason));
    if (!post.ok()) return CKR_FIPS_SELF_TEST_FAILED;
    return lib.rv() == CKR_GENERAL_ERROR || lib.rv() == CKR_HOST_MEMORY || lib.rv() == CKR_CANT_LOCK
               ? lib.rv()
               : CKR_GENERAL_ERROR;
  }
  g_lib = std::move(lib).value();
  if (!post.ok()) {
    log::error("library", "initialised in the error state: a power-on self-test failed");
    return CKR_FIPS_SELF_TEST_FAILED;
  }
  log::info("library", "initialised");
  return CKR_OK;
}

CK_RV finalize() {
  std::unique_lock lock(g_mu);
  if (!g_lib || (g_forked.load() && g_lib->config().reset_on_fork)) return CKR_CRYPTOKI_NOT_INITIALIZED;
  g_lib.reset();
  set_app_mutex_factory(nullptr);
  log::info("library", "finalised");
  log::reset();
  return CKR_OK;
}

}  // namespace craton::abi
