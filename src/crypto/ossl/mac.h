// HMAC-SHA-256 and SHA-256 (record integrity, key check values).
// Thread safety: stateless; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"

namespace craton::crypto {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<std::uint8_t, kSha256Size>;

// HMAC-SHA-256 (RFC 2104) through EVP_MAC "HMAC". Any key length, including empty, is accepted.
// The result is a MAC, not a secret: compare it with ct_equal.
Result<Sha256Digest> hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data);

// SHA-256 of `data`. Returns Result because even a digest can fail (e.g. a provider refusing it).
Result<Sha256Digest> sha256(std::span<const std::uint8_t> data);

}  // namespace craton::crypto
