#include "selftest/kat.h"

#include "common/secure_bytes.h"
#include "crypto/ossl/mac.h"
#include "selftest/inject.h"

namespace craton::selftest::detail {
namespace {

constexpr Error kMismatch = fail(CKR_FIPS_SELF_TEST_FAILED, "known-answer mismatch");

std::uint8_t nibble(char c) noexcept {
  return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10);
}

// The value compared: `got` itself, or in the test module with `test` armed, a corrupted copy.
std::vector<std::uint8_t> observed(const char* test, Span got) {
  std::vector<std::uint8_t> v(got.begin(), got.end());
  if (CRATON_SELFTEST_INJECTED(test)) {
    if (v.empty()) v.push_back(0);
    v[0] ^= 0x01;
  }
  (void)test;
  return v;
}

}  // namespace

std::vector<std::uint8_t> unhex(std::string_view hex) {
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>((nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]));
  }
  return out;
}

Status expect(const char* test, Span got, std::string_view expected_hex) {
  // KAT keys and outputs are published test values: ordinary vectors suffice for the copies.
  const auto seen = observed(test, got);
  const auto want = unhex(expected_hex);
  return ct_equal(seen, want) ? ok_status() : Status(kMismatch);
}

Status expect_digest(const char* test, Span got, std::string_view expected_sha256_hex) {
  CRATON_ASSIGN_OR_RETURN(const crypto::Sha256Digest d, crypto::sha256(got));
  return expect(test, d, expected_sha256_hex);
}

Status expect_valid(const char* test, const Status& verdict) {
  (void)test;
  return verdict.ok() ? ok_status() : Status(fail(CKR_FIPS_SELF_TEST_FAILED, "known-good signature refused"));
}

std::vector<std::uint8_t> maybe_corrupt(const char* test, Span value) { return observed(test, value); }

}  // namespace craton::selftest::detail
