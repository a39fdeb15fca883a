#define OPENSSL_SUPPRESS_DEPRECATED  // ENGINE_get_pkey_meth_engine: detecting a host ENGINE needs it
#include "crypto/ossl/libctx.h"

#include <openssl/engine.h>

#include <openssl/crypto.h>
#include <openssl/provider.h>

#include <string_view>

namespace craton::crypto {

namespace {

// Owns the context. Freed when the module is unloaded (dlclose) or at exit: after everything that
// was fetched from it, because those caches are statics built after it (destroyed before it).
struct LibCtxOwner {
  OSSL_LIB_CTX* ctx = nullptr;
  OSSL_PROVIDER* provider = nullptr;
  LibCtxOwner() : ctx(OSSL_LIB_CTX_new()) {
    // Without a provider every fetch fails cleanly with an error (reported as CKR_FUNCTION_FAILED
    // or CKR_HOST_MEMORY by the callers), so a failed load needs no special path here.
    if (ctx != nullptr) provider = OSSL_PROVIDER_load(ctx, "default");
  }
  ~LibCtxOwner() {
    if (provider != nullptr) OSSL_PROVIDER_unload(provider);
    OSSL_LIB_CTX_free(ctx);
  }
  LibCtxOwner(const LibCtxOwner&) = delete;
  LibCtxOwner& operator=(const LibCtxOwner&) = delete;
};

}  // namespace

OSSL_LIB_CTX* libctx() noexcept {
  static const LibCtxOwner owner;
  return owner.ctx;
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
