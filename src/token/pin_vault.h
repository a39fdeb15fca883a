// PIN-protected token master key.
//
// Each token has one random 256-bit master key (TMK) that seals all secret material. It is stored
// only wrapped: once under a key derived from the SO PIN and once under a key derived from the
// user PIN. Wrap = AES-256-GCM under PBKDF2-HMAC-SHA-256(PIN, 16-byte random salt, iterations),
// with the role ("so"/"user") bound as associated data. A wrong PIN fails the GCM tag check, which
// is the constant-time PIN comparison; the slow KDF sits in front of it.
//
// Blob v1: "CPK1" | u32 iterations | salt[16] | nonce[12] | ciphertext[32] | tag[16]
// The iteration count travels with the blob, so changing pin.kdf_iterations affects new PINs only.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::token {

enum class PinRole { kSo, kUser };

Result<std::vector<std::uint8_t>> wrap_master_key(const SecureBytes& master_key, const SecureBytes& pin,
                                                  PinRole role, std::uint32_t iterations);

// CKR_PIN_INCORRECT when the PIN does not open the blob; CKR_DEVICE_ERROR for a malformed blob.
Result<SecureBytes> unwrap_master_key(std::span<const std::uint8_t> blob, const SecureBytes& pin, PinRole role);

}  // namespace craton::token
