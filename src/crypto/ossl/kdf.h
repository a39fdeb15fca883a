// Password-based key derivation (PIN → key-encryption key).
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::crypto {

// PBKDF2-HMAC-SHA-256 (RFC 8018) through EVP_KDF "PBKDF2". The SP 800-132 lower bounds (1000
// iterations, 16-byte salt) are NOT enforced here: choosing the cost is the caller's policy, and
// tests need cheap settings. iterations == 0 or out_len == 0 → CKR_ARGUMENTS_BAD.
Result<SecureBytes> pbkdf2_hmac_sha256(std::span<const std::uint8_t> password,
                                       std::span<const std::uint8_t> salt,
                                       std::uint32_t iterations, std::size_t out_len);

}  // namespace craton::crypto
