// HKDF (RFC 5869) and PBKDF2 (RFC 8018) over any hash mechanism md_for() knows, for the PKCS#11
// HKDF and PKCS #5 PBKDF2 mechanisms. (kdf.h keeps the fixed PIN-derivation PBKDF2-HMAC-SHA-256.)
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::crypto {

enum class HkdfMode { kExtractAndExpand, kExtractOnly, kExpandOnly };

// OpenSSL 3.0 refuses HKDF info longer than this.
inline constexpr std::size_t kHkdfMaxInfo = 1024;

// HKDF through EVP_KDF "HKDF". `salt` is ignored in kExpandOnly mode; an empty salt is the RFC's
// "HashLen zeros". kExtractOnly returns the PRK and needs out_len == digest size; the other modes
// take 1 .. 255·HashLen bytes. Unknown hash → CKR_MECHANISM_INVALID; a length out of range →
// CKR_KEY_SIZE_RANGE; info longer than kHkdfMaxInfo → CKR_MECHANISM_PARAM_INVALID.
Result<SecureBytes> hkdf(CK_MECHANISM_TYPE hash, HkdfMode mode, std::span<const std::uint8_t> ikm,
                         std::span<const std::uint8_t> salt, std::span<const std::uint8_t> info, std::size_t out_len);

// PBKDF2 with HMAC over `hash` through EVP_KDF "PBKDF2", without OpenSSL's SP 800-132 lower bounds
// (the caller picks the cost). iterations == 0 or out_len == 0 → CKR_ARGUMENTS_BAD; unknown hash →
// CKR_MECHANISM_INVALID.
Result<SecureBytes> pbkdf2_hmac(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> password,
                                std::span<const std::uint8_t> salt, std::uint64_t iterations, std::size_t out_len);

}  // namespace craton::crypto
