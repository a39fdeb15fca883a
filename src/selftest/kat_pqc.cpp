// Known-answer tests of ML-KEM-512 (FIPS 203), ML-DSA-44 (FIPS 204) and SLH-DSA-SHA2-128f
// (FIPS 205), through src/crypto/pqc, the code the mechanisms call. One parameter set per
// standard (the sets share all code but their constants); the fast sets keep C_Initialize short.
//
// ML-KEM: keyGen from (d, z), encapsulation with a fixed m (c and K), and two decapsulations, one
// valid and one implicit rejection (IG 10.3.A note on ML-KEM). ML-DSA and SLH-DSA: keyGen from a
// seed, a deterministic signature, and verification of that signature (and of a tampered copy).
#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/slh_dsa.h"
#include "selftest/kat.h"
#include "selftest/kat_vectors_pqc.h"

namespace craton::selftest::detail {
namespace {

namespace v = vectors;
namespace pqc = crypto::pqc;

constexpr Error kRefused = fail(CKR_FIPS_SELF_TEST_FAILED, "known-good signature refused");
constexpr Error kAccepted = fail(CKR_FIPS_SELF_TEST_FAILED, "tampered signature accepted");

// Flips one bit in the middle of a signature: verification must then fail.
std::vector<std::uint8_t> tampered(Span sig) {
  std::vector<std::uint8_t> t(sig.begin(), sig.end());
  t[t.size() / 2] ^= 0x10;
  return t;
}

}  // namespace

Status kat_ml_kem() {
  constexpr const char* kTest = "kat.ml_kem";
  const auto& p = pqc::kMlKem512;
  CRATON_ASSIGN_OR_RETURN(const pqc::MlKemKeyPair kp,
                          pqc::ml_kem_keygen_internal(p, unhex(v::kMlKemD), unhex(v::kMlKemZ)));
  CRATON_TRY(expect_digest(kTest, kp.ek, v::kMlKemEkSha256));
  CRATON_TRY(expect_digest(kTest, kp.dk.span(), v::kMlKemDkSha256));
  CRATON_ASSIGN_OR_RETURN(const pqc::MlKemEncapsulation enc,
                          pqc::ml_kem_encaps_internal(p, unhex(v::kMlKemEk), unhex(v::kMlKemM)));
  CRATON_TRY(expect_digest(kTest, enc.ciphertext, v::kMlKemCipherSha256));
  CRATON_TRY(expect(kTest, enc.shared_secret.span(), v::kMlKemShared));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes k, pqc::ml_kem_decaps(p, unhex(v::kMlKemDk), enc.ciphertext));
  CRATON_TRY(expect(kTest, k.span(), v::kMlKemShared));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes rejected,
                          pqc::ml_kem_decaps(p, unhex(v::kMlKemRejectDk), unhex(v::kMlKemRejectCipher)));
  return expect(kTest, rejected.span(), v::kMlKemRejectShared);
}

Status kat_ml_dsa() {
  constexpr const char* kTest = "kat.ml_dsa";
  const auto& p = pqc::kMlDsa44;
  CRATON_ASSIGN_OR_RETURN(const pqc::MlDsaKeyPair kp, pqc::ml_dsa_keygen_internal(p, unhex(v::kMlDsaSeed)));
  CRATON_TRY(expect_digest(kTest, kp.pk, v::kMlDsaPkSha256));
  CRATON_TRY(expect_digest(kTest, kp.sk.span(), v::kMlDsaSkSha256));
  const auto sk = unhex(v::kMlDsaSk);
  const auto msg = unhex(v::kMlDsaMsg);
  const auto ctx = unhex(v::kMlDsaContext);
  CRATON_ASSIGN_OR_RETURN(const auto sig, pqc::ml_dsa_sign(p, sk, msg, ctx, pqc::MlDsaHedge::kDeterministic));
  CRATON_TRY(expect_digest(kTest, sig, v::kMlDsaSigSha256));
  // The signature is now known to be right: verifying it must succeed, a tampered copy must fail.
  CRATON_ASSIGN_OR_RETURN(const auto pk, pqc::ml_dsa_public_from_private(p, sk));
  if (!pqc::ml_dsa_verify(p, pk, msg, ctx, maybe_corrupt(kTest, sig)).ok()) return kRefused;
  if (pqc::ml_dsa_verify(p, pk, msg, ctx, tampered(sig)).ok()) return kAccepted;
  return ok_status();
}

Status kat_slh_dsa() {
  constexpr const char* kTest = "kat.slh_dsa";
  const auto& p = pqc::kSlhDsaSha2_128f;
  CRATON_ASSIGN_OR_RETURN(const pqc::SlhDsaKeyPair kp,
                          pqc::slh_dsa_keygen_internal(p, unhex(v::kSlhSkSeed), unhex(v::kSlhSkPrf),
                                                       unhex(v::kSlhPkSeed)));
  CRATON_TRY(expect(kTest, kp.pk, v::kSlhPk));
  const auto msg = unhex(v::kSlhMsg);
  CRATON_ASSIGN_OR_RETURN(const auto sig,
                          pqc::slh_dsa_sign(p, kp.sk.span(), msg, {}, pqc::SlhDsaHedge::kDeterministic));
  CRATON_TRY(expect_digest(kTest, sig, v::kSlhSigSha256));
  if (!pqc::slh_dsa_verify(p, kp.pk, msg, {}, maybe_corrupt(kTest, sig)).ok()) return kRefused;
  if (pqc::slh_dsa_verify(p, kp.pk, msg, {}, tampered(sig)).ok()) return kAccepted;
  return ok_status();
}

}  // namespace craton::selftest::detail
