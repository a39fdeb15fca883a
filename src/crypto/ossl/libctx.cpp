#define OPENSSL_SUPPRESS_DEPRECATED  // ENGINE_get_pkey_meth_engine: detecting a host ENGINE needs it
#include "crypto/ossl/libctx.h"

#include <openssl/engine.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/provider.h>

#include <atomic>
#include <mutex>
#include <string_view>

namespace craton::crypto {

namespace {

// Owns the context once a backend is committed. Freed when the module is unloaded (dlclose) or at
// exit: after everything that was fetched from it, because those caches are statics built after
// it (destroyed before it).
struct LibCtxOwner {
  OSSL_LIB_CTX* ctx = nullptr;
  OSSL_PROVIDER* providers[2] = {nullptr, nullptr};
  Backend backend = Backend::kOpenSslDefault;
  LibCtxOwner() = default;
  ~LibCtxOwner() {
    for (OSSL_PROVIDER* p : providers) {
      if (p != nullptr) OSSL_PROVIDER_unload(p);
    }
    OSSL_LIB_CTX_free(ctx);
  }
  LibCtxOwner(const LibCtxOwner&) = delete;
  LibCtxOwner& operator=(const LibCtxOwner&) = delete;
};

std::mutex g_mu;                           // guards the choice
std::atomic<OSSL_LIB_CTX*> g_ctx{nullptr};  // set once, never changed

LibCtxOwner& owner() {
  static LibCtxOwner o;
  return o;
}

std::string openssl_reason() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "no OpenSSL error recorded";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

}  // namespace

Status select_backend(Backend backend, std::string& detail) {
  std::lock_guard lock(g_mu);
  LibCtxOwner& o = owner();
  if (o.ctx != nullptr) {
    if (o.backend == backend) return {};
    detail = "crypto.backend cannot change within a process: another backend is already in use";
    return fail(CKR_GENERAL_ERROR, "crypto backend already chosen");
  }
  OSSL_LIB_CTX* ctx = OSSL_LIB_CTX_new();
  if (ctx == nullptr) {
    detail = "cannot create an OpenSSL library context";
    return fail(CKR_HOST_MEMORY, "OSSL_LIB_CTX_new failed");
  }
  OSSL_PROVIDER* first = nullptr;
  OSSL_PROVIDER* second = nullptr;
  if (backend == Backend::kOpenSslFips) {
    // The FIPS provider reads its self-test configuration (fipsmodule.cnf, from `openssl
    // fipsinstall`) through the system openssl.cnf; its own power-on tests run at this load.
    first = OSSL_PROVIDER_load(ctx, "fips");
    if (first != nullptr) second = OSSL_PROVIDER_load(ctx, "base");
    if (first == nullptr || second == nullptr || EVP_set_default_properties(ctx, "fips=yes") != 1) {
      detail = "crypto.backend = openssl-fips, but OpenSSL's FIPS provider cannot be loaded (" + openssl_reason() +
               "). Install and configure it (openssl fipsinstall) or set crypto.backend = openssl";
    }
  } else {
    first = OSSL_PROVIDER_load(ctx, "default");
    if (first == nullptr) detail = "OpenSSL's default provider cannot be loaded (" + openssl_reason() + ")";
  }
  if (!detail.empty()) {
    if (second != nullptr) OSSL_PROVIDER_unload(second);
    if (first != nullptr) OSSL_PROVIDER_unload(first);
    OSSL_LIB_CTX_free(ctx);
    return fail(CKR_GENERAL_ERROR, "crypto backend unavailable");
  }
  o.ctx = ctx;
  o.providers[0] = first;
  o.providers[1] = second;
  o.backend = backend;
  g_ctx.store(ctx, std::memory_order_release);
  return {};
}

Backend current_backend() noexcept {
  (void)libctx();
  std::lock_guard lock(g_mu);
  return owner().backend;
}

OSSL_LIB_CTX* libctx() noexcept {
  OSSL_LIB_CTX* ctx = g_ctx.load(std::memory_order_acquire);
  if (ctx != nullptr) return ctx;
  // Nothing chosen yet: the default backend. A failure leaves the context null; every fetch then
  // fails cleanly (CKR_FUNCTION_FAILED / CKR_HOST_MEMORY at the callers).
  try {
    std::string ignored;
    (void)select_backend(Backend::kOpenSslDefault, ignored);
  } catch (...) {  // std::string allocation in the message; noexcept function
  }
  return g_ctx.load(std::memory_order_acquire);
}

EVP_PKEY_CTX* provider_pkey_ctx(const char* type) noexcept {
  struct Alias {
    std::string_view name;
    int id;
    const char* oid;
  };
  static constexpr Alias kAliases[] = {
      {"RSA", EVP_PKEY_RSA, "1.2.840.113549.1.1.1"}, {"EC", EVP_PKEY_EC, "1.2.840.10045.2.1"},
      {"ED25519", EVP_PKEY_ED25519, "1.3.101.112"},  {"ED448", EVP_PKEY_ED448, "1.3.101.113"},
      {"X25519", EVP_PKEY_X25519, "1.3.101.110"},    {"X448", EVP_PKEY_X448, "1.3.101.111"}};
  const char* name = type;
  for (const auto& a : kAliases) {
    if (a.name != type) continue;
    // Only when the host has registered an ENGINE for the type: keys made through the alias
    // carry a key manager that is not the one later operations look up by name, which costs an
    // export/import per operation, so the ordinary name stays the fast path.
    if (ENGINE* e = ENGINE_get_pkey_meth_engine(a.id)) {
      ENGINE_finish(e);  // the lookup returned a functional reference
      name = a.oid;
    }
  }
  return EVP_PKEY_CTX_new_from_name(libctx(), name, nullptr);
}

}  // namespace craton::crypto
