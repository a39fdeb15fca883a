// Shared plumbing of the key converters (pkey_rsa, pkey_ec): big-endian integers to and from
// BIGNUM / EVP_PKEY parameters, and EVP_PKEY construction from an OSSL_PARAM list.
// Internal to src/crypto/ossl. Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/der.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto::detail {

// BIGNUM from big-endian bytes (leading zeros allowed). With `secret`, the BIGNUM is flagged
// BN_FLG_SECURE, so OSSL_PARAM_BLD places it in the block that OSSL_PARAM_free wipes.
Result<BnPtr> bn_from_bytes(std::span<const std::uint8_t> be, bool secret);

// A BIGNUM parameter of `pkey` as big-endian bytes, left-padded with zeros to `pad_to` (0: the
// minimal encoding, no leading zeros). Missing parameter → `missing_rv`.
Result<Bytes> public_bn_param(const EVP_PKEY* pkey, const char* name, std::size_t pad_to, CK_RV missing_rv);
Result<SecureBytes> secret_bn_param(const EVP_PKEY* pkey, const char* name, std::size_t pad_to, CK_RV missing_rv);

// True when `pkey` carries the BIGNUM parameter `name` (the OpenSSL error queue is left clean).
bool has_bn_param(const EVP_PKEY* pkey, const char* name);

// EVP_PKEY_fromdata for key type `type` ("RSA", "EC") with `selection` (EVP_PKEY_PUBLIC_KEY or
// EVP_PKEY_KEYPAIR). OpenSSL refusing the values → `invalid_rv` with `reason`.
Result<PkeyPtr> pkey_from_params(const char* type, int selection, OSSL_PARAM_BLD* bld, CK_RV invalid_rv,
                                 const char* reason);

// Runs EVP_PKEY_generate on a context already set up for key generation.
Result<PkeyPtr> generate_with(EVP_PKEY_CTX* ctx);

}  // namespace craton::crypto::detail
