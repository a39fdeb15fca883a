#include "crypto/ossl/libctx.h"

#include <openssl/crypto.h>
#include <openssl/provider.h>

#include <string_view>

namespace craton::crypto {

OSSL_LIB_CTX* libctx() noexcept {
  static OSSL_LIB_CTX* const ctx = [] {
    OSSL_LIB_CTX* c = OSSL_LIB_CTX_new();
    // Without a provider every fetch fails cleanly with an error (reported as CKR_FUNCTION_FAILED
    // or CKR_HOST_MEMORY by the callers), so a failed load needs no special path here.
    if (c != nullptr) (void)OSSL_PROVIDER_load(c, "default");
    return c;
  }();
  return ctx;
}

EVP_PKEY_CTX* provider_pkey_ctx(const char* type) noexcept {
  struct Alias {
    std::string_view name;
    const char* oid;
  };
  static constexpr Alias kAliases[] = {{"RSA", "1.2.840.113549.1.1.1"}, {"EC", "1.2.840.10045.2.1"},
                                       {"ED25519", "1.3.101.112"},       {"ED448", "1.3.101.113"},
                                       {"X25519", "1.3.101.110"},        {"X448", "1.3.101.111"}};
  const char* name = type;
  for (const auto& a : kAliases) {
    if (a.name == type) name = a.oid;
  }
  return EVP_PKEY_CTX_new_from_name(libctx(), name, nullptr);
}

}  // namespace craton::crypto
