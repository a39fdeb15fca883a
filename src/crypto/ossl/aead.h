// AES-256-GCM with a 12-byte nonce and a 16-byte tag (the storage sealing cipher).
//
// The caller owns nonce uniqueness: a nonce must never repeat under one key (use random 96-bit
// nonces and rekey long before 2^32 messages).
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::crypto {

inline constexpr std::size_t kGcmKeySize = 32;
inline constexpr std::size_t kGcmNonceSize = 12;
inline constexpr std::size_t kGcmTagSize = 16;

// Returns ciphertext || tag. Wrong key or nonce size → CKR_ARGUMENTS_BAD.
Result<std::vector<std::uint8_t>> aes256gcm_seal(const SecureBytes& key,
                                                 std::span<const std::uint8_t> nonce12,
                                                 std::span<const std::uint8_t> aad,
                                                 std::span<const std::uint8_t> plaintext);

// Verifies and decrypts ciphertext || tag. A tag mismatch (or input shorter than a tag) yields
// CKR_ENCRYPTED_DATA_INVALID "authentication failed"; no plaintext is released in that case.
Result<SecureBytes> aes256gcm_open(const SecureBytes& key, std::span<const std::uint8_t> nonce12,
                                   std::span<const std::uint8_t> aad,
                                   std::span<const std::uint8_t> ciphertext_and_tag);

}  // namespace craton::crypto
