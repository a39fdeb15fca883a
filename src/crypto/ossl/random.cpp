#include "crypto/ossl/random.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

#include "crypto/ossl/error.h"
#include "crypto/ossl/libctx.h"
#include "selftest/health.h"

namespace craton::crypto {

Status random_bytes(std::span<std::uint8_t> out) {
  // RAND_bytes takes an int; large requests are served in chunks rather than refused.
  constexpr std::size_t kChunk = 1U << 20;
  while (!out.empty()) {
    const std::size_t n = std::min(out.size(), kChunk);
    if (RAND_bytes_ex(libctx(), out.data(), n, 0) != 1) {
      return openssl_failure(CKR_FUNCTION_FAILED, "random generator failed");
    }
    // Every output passes the continuous health tests before anyone sees it (FIPS 140-3; a failure
    // enters the error state and is CKR_FIPS_SELF_TEST_FAILED).
    CRATON_TRY(selftest::check_random_output(out.first(n)));
    out = out.subspan(n);
  }
  return ok_status();
}

Status add_entropy(std::span<const std::uint8_t> seed) {
  constexpr std::size_t kChunk = 1U << 20;
  while (!seed.empty()) {
    const std::size_t n = std::min(seed.size(), kChunk);
    // Mixed into both generators as additional input, credited with no entropy.
    for (EVP_RAND_CTX* drbg : {RAND_get0_public(libctx()), RAND_get0_private(libctx())}) {
      if (drbg == nullptr || EVP_RAND_reseed(drbg, 0, nullptr, 0, seed.data(), n) != 1) {
        return openssl_failure(CKR_FUNCTION_FAILED, "random generator reseed failed");
      }
    }
    seed = seed.subspan(n);
  }
  return ok_status();
}

Result<std::string> random_hex(std::size_t n, HexCase hex_case) {
  std::vector<std::uint8_t> raw(n);
  CRATON_TRY(random_bytes(raw));
  const char* digits = hex_case == HexCase::kUpper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (const auto b : raw) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xF]);
  }
  return out;
}

Result<SecureBytes> random_secret(std::size_t n) {
  SecureBytes s(n);
  CRATON_TRY(random_bytes(s.span()));
  return s;
}

}  // namespace craton::crypto
