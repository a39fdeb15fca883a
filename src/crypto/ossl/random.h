// Random numbers from OpenSSL's DRBG (seeded by the OS; reseeded after fork by OpenSSL itself).
// Thread safety: safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::crypto {

// Fills `out` with random bytes. Failure → CKR_FUNCTION_FAILED (out's content is then undefined);
// a failed continuous health test (selftest/health.h) → CKR_FIPS_SELF_TEST_FAILED and the error state.
[[nodiscard]] Status random_bytes(std::span<std::uint8_t> out);

// Mixes caller-supplied material into the DRBG as additional input (C_SeedRandom). It never
// replaces the OS entropy, so a hostile or constant seed cannot weaken the output.
[[nodiscard]] Status add_entropy(std::span<const std::uint8_t> seed);

// `n` random bytes as 2n hexadecimal digits (identifiers: token serials, CKA_UNIQUE_ID).
enum class HexCase { kLower, kUpper };
Result<std::string> random_hex(std::size_t n, HexCase hex_case);

// `n` random bytes in secure memory, for keys and seeds.
Result<SecureBytes> random_secret(std::size_t n);

}  // namespace craton::crypto
