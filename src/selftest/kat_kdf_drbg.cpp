// Known-answer tests of HKDF, PBKDF2 and the DRBG.
//
// The DRBG KAT instantiates the same DRBG the module draws from (OpenSSL's CTR_DRBG, AES-256,
// with derivation function: the default of the provider loaded into crypto::libctx()) on a test
// entropy source with fixed entropy input and nonce, and checks two consecutive generate calls
// (SP 800-90A §11.3: instantiate and generate; the second call covers the state update), with a
// personalisation string. No CAVP
// DRBG file is in the vector collection: the expected output was computed once, offline, with an
// independent implementation of SP 800-90A §10.2.1 (Python on `cryptography`'s AES; see
// docs/SELF_TESTS.md), never by this module.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <vector>

#include "crypto/ossl/kdf_ext.h"
#include "crypto/ossl/libctx.h"
#include "crypto/ossl/scopers.h"
#include "selftest/kat.h"
#include "selftest/kat_vectors.h"

namespace craton::selftest::detail {
namespace {

namespace v = vectors;
using RandPtr = crypto::OsslPtr<EVP_RAND, EVP_RAND_free>;
using RandCtxPtr = crypto::OsslPtr<EVP_RAND_CTX, EVP_RAND_CTX_free>;

constexpr Error kDrbgSetupFailed = fail(CKR_FIPS_SELF_TEST_FAILED, "DRBG known-answer test could not be set up");

// A failed OpenSSL call: its error queue is drained so nothing stale reaches later calls.
Error setup_failed() {
  ERR_clear_error();
  return kDrbgSetupFailed;
}

// Entropy input (32 bytes: the AES-256 CTR_DRBG's security strength) and nonce (16 bytes).
constexpr std::string_view kDrbgEntropy = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
constexpr std::string_view kDrbgNonce = "404142434445464748494a4b4c4d4e4f";
// An explicit personalisation string: without one OpenSSL substitutes its own default
// ("OpenSSL NIST SP 800-90A DRBG" and a NUL), which the expected values would then depend on.
constexpr std::string_view kDrbgPersonalisation = "Craton HSM DRBG known-answer test";
// The first and second 64-byte outputs after instantiation (no additional input, no reseed).
constexpr std::string_view kDrbgOutput1 =
    "b0fa42002336fed6fa49b11a00c9e594f2ac0a894e151ebab99d19383a51a537"
    "d3251023e4519f58d95857e832bc76aed2bd5057f38e53ec0eba37706fd6612f";
constexpr std::string_view kDrbgOutput2 =
    "61539f1d8a1a30135068628d53eb3a1c197df19237341f269e53ff12d86a1c68"
    "7eaf47f32e61c65c9d13f9d4770111b430005320aa6a17738f1d7ce1e4f77a59";
constexpr unsigned kStrength = 256;

// A test entropy source that hands out exactly `entropy` and `nonce`.
Result<RandCtxPtr> test_source(std::vector<std::uint8_t>& entropy, std::vector<std::uint8_t>& nonce) {
  const RandPtr alg(EVP_RAND_fetch(crypto::libctx(), "TEST-RAND", nullptr));
  if (!alg) return setup_failed();
  RandCtxPtr ctx(EVP_RAND_CTX_new(alg.get(), nullptr));
  if (!ctx) return setup_failed();
  unsigned strength = kStrength;
  const std::array<OSSL_PARAM, 4> params = {
      OSSL_PARAM_construct_uint(OSSL_RAND_PARAM_STRENGTH, &strength),
      OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_ENTROPY, entropy.data(), entropy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_RAND_PARAM_TEST_NONCE, nonce.data(), nonce.size()),
      OSSL_PARAM_construct_end()};
  if (EVP_RAND_CTX_set_params(ctx.get(), params.data()) != 1 ||
      EVP_RAND_instantiate(ctx.get(), kStrength, 0, nullptr, 0, nullptr) != 1) {
    return setup_failed();
  }
  return ctx;
}

Result<RandCtxPtr> ctr_drbg(EVP_RAND_CTX* parent) {
  const RandPtr alg(EVP_RAND_fetch(crypto::libctx(), "CTR-DRBG", nullptr));
  if (!alg) return setup_failed();
  RandCtxPtr ctx(EVP_RAND_CTX_new(alg.get(), parent));
  if (!ctx) return setup_failed();
  char cipher[] = "AES-256-CTR";
  int use_df = 1;
  const std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_DRBG_PARAM_CIPHER, cipher, 0),
      OSSL_PARAM_construct_int(OSSL_DRBG_PARAM_USE_DF, &use_df), OSSL_PARAM_construct_end()};
  std::vector<std::uint8_t> pers(kDrbgPersonalisation.begin(), kDrbgPersonalisation.end());
  // Strength 0: the DRBG's own (256 for AES-256); asking for it explicitly is refused by 3.0.
  if (EVP_RAND_CTX_set_params(ctx.get(), params.data()) != 1 ||
      EVP_RAND_instantiate(ctx.get(), 0, 0, pers.data(), pers.size(), nullptr) != 1) {
    return setup_failed();
  }
  return ctx;
}

}  // namespace

Status kat_hkdf() {
  CRATON_ASSIGN_OR_RETURN(
      const SecureBytes okm,
      crypto::hkdf(CKM_SHA256, crypto::HkdfMode::kExtractAndExpand, unhex(v::kHkdfIkm), unhex(v::kHkdfSalt),
                   unhex(v::kHkdfInfo), v::kHkdfOkm.size() / 2));
  return expect("kat.hkdf", okm.span(), v::kHkdfOkm);
}

Status kat_pbkdf2() {
  const std::size_t len = v::kPbkdf2Output.size() / 2;
  CRATON_ASSIGN_OR_RETURN(const SecureBytes dk,
                          crypto::pbkdf2_hmac(CKM_SHA256, unhex(v::kPbkdf2Password), unhex(v::kPbkdf2Salt), 1, len));
  return expect("kat.pbkdf2", dk.span(), v::kPbkdf2Output);
}

Status kat_drbg() {
  auto entropy = unhex(kDrbgEntropy);
  auto nonce = unhex(kDrbgNonce);
  CRATON_ASSIGN_OR_RETURN(const RandCtxPtr source, test_source(entropy, nonce));
  CRATON_ASSIGN_OR_RETURN(const RandCtxPtr drbg, ctr_drbg(source.get()));
  std::vector<std::uint8_t> out(64);
  for (const std::string_view expected : {kDrbgOutput1, kDrbgOutput2}) {
    if (EVP_RAND_generate(drbg.get(), out.data(), out.size(), 0, 0, nullptr, 0) != 1) return setup_failed();
    CRATON_TRY(expect("kat.drbg", out, expected));
  }
  return ok_status();
}

}  // namespace craton::selftest::detail
