// Helpers shared by the known-answer tests (kat_*.cpp) and the list of them. Internal to
// src/selftest.
//
// Every comparison goes through expect*(): in the test module (CRATON_SELFTEST_INJECTION) an armed
// test has its computed value corrupted there, so a test proves that the comparison is made.
// A KAT returns CKR_FIPS_SELF_TEST_FAILED on a mismatch and passes on any other error of the code
// under test; the runner (post.cpp) treats both as a failure of that test.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace craton::selftest::detail {

using Span = std::span<const std::uint8_t>;

// Decodes a lowercase hexadecimal vector (the vectors headers hold only valid, even-length hex).
std::vector<std::uint8_t> unhex(std::string_view hex);

// `got` must equal `expected` (hexadecimal). Constant-time compare: some outputs are key material.
[[nodiscard]] Status expect(const char* test, Span got, std::string_view expected_hex);
// SHA-256(got) must equal `expected_sha256_hex` (long outputs are stored as their digest).
[[nodiscard]] Status expect_digest(const char* test, Span got, std::string_view expected_sha256_hex);
// A verification of a known-good signature must succeed.
[[nodiscard]] Status expect_valid(const char* test, const Status& verdict);

// The signature or ciphertext a verification KAT checks: `value`, or a copy with one bit flipped
// when the test module has `test` armed (so the verification must then fail).
std::vector<std::uint8_t> maybe_corrupt(const char* test, Span value);

// Runs one test (power-on or deferred): times it (DEBUG log), turns an exception into a failure,
// and on failure latches the error state under `name` and returns CKR_FIPS_SELF_TEST_FAILED.
// REQUIRES: `name` is a string literal.
Status run_one_test(const char* name, Status (*run)());

// Each family's tests (one function per test name; see post.cpp and deferred.cpp for the order).
Status kat_sha1();
Status kat_sha2();
Status kat_sha3();
Status kat_hmac();
Status kat_aes_ecb();
Status kat_aes_cbc();
Status kat_aes_ctr();
Status kat_aes_gcm();
Status kat_aes_ccm();
Status kat_aes_kw();
Status kat_cmac();
Status kat_chacha20_poly1305();
Status kat_rsa_sign();
Status kat_rsa_oaep();
Status kat_ecdsa();
Status kat_eddsa();
Status kat_ecdh();
Status kat_hkdf();
Status kat_pbkdf2();
Status kat_drbg();
Status kat_ml_kem();
Status kat_ml_dsa();
Status kat_slh_dsa();

}  // namespace craton::selftest::detail
