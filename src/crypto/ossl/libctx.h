// The module's own OpenSSL library context.
//
// Every EVP call of the module names this context instead of OpenSSL's default one. A host
// application's configuration (openssl.cnf) and ENGINEs therefore never reach our cryptography:
// inside `openssl ... -engine pkcs11`, the libp11 engine is the default for RSA and EC keys, and
// the default context would route our own key operations back into that engine (and so back into
// this module). It also gives issue 5's FIPS provider one place to be loaded.
// Thread safety: created once, on first use; OSSL_LIB_CTX is thread-safe.
#pragma once

#include <openssl/evp.h>

#include <string>

#include "common/result.h"

namespace craton::crypto {

// The crypto backends (config key crypto.backend): OpenSSL's default provider, or OpenSSL's FIPS
// provider (with "base" for encoders), both loaded in the module's private library context.
enum class Backend { kOpenSslDefault, kOpenSslFips };

// Chooses the backend. The first successful choice of the process is final: the context, and all
// that is fetched from it, lives until the module is unloaded, so a later call naming another
// backend fails (CKR_GENERAL_ERROR). A provider that cannot be loaded fails the call and commits
// nothing; `detail` then says why (OpenSSL's own message), for the log. There is no fallback.
[[nodiscard]] Status select_backend(Backend backend, std::string& detail);

// The backend in use (the default one if nothing was selected before the first libctx()).
Backend current_backend() noexcept;

// The context. If no backend was selected yet, the default provider is loaded on first use (unit
// tests and tools that never call C_Initialize). Lives until the module is unloaded.
OSSL_LIB_CTX* libctx() noexcept;

// An EVP_PKEY_CTX for creating keys of `type` ("RSA", "EC", "ED25519", "ED448", "X25519", "X448")
// that never goes through an ENGINE. OpenSSL 3.0 picks a host application's default ENGINE for
// any context whose key type maps to a legacy NID (whatever the library context), and an ENGINE
// context cannot import or generate provider keys; asking for the key manager by its OID alias
// (which has no legacy NID) keeps the context on the provider. Null on failure.
EVP_PKEY_CTX* provider_pkey_ctx(const char* type) noexcept;

}  // namespace craton::crypto
