// Unit tests for ML-DSA (FIPS 204): round trips, context handling, size and malformed-input
// rejection, determinism, HashML-DSA and external mu, and the branch-free rounding helpers
// checked exhaustively against a literal transcription of Alg. 35/36.
#include <gtest/gtest.h>

#include <vector>

#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_dsa_poly.h"

namespace craton::crypto::pqc {
namespace {

using Bytes = std::vector<std::uint8_t>;

class MlDsaTest : public ::testing::TestWithParam<const MlDsaParams*> {
 protected:
  const MlDsaParams& p() const { return *GetParam(); }
  MlDsaKeyPair keys() const {
    auto kp = ml_dsa_keygen(p());
    EXPECT_TRUE(kp.ok());
    return std::move(kp).value();
  }
};

const Bytes kMsg = {'c', 'r', 'a', 't', 'o', 'n'};
const Bytes kCtx = {1, 2, 3};

TEST_P(MlDsaTest, SizesAndRoundTrip) {
  const MlDsaKeyPair kp = keys();
  EXPECT_EQ(kp.pk.size(), p().pk_bytes);
  EXPECT_EQ(kp.sk.size(), p().sk_bytes);
  auto sig = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), p().sig_bytes);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, *sig).rv(), CKR_OK);
  // Empty message and empty context work too.
  auto sig2 = ml_dsa_sign(p(), kp.sk.span(), {}, {}, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig2.ok());
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, {}, {}, *sig2).rv(), CKR_OK);
}

TEST_P(MlDsaTest, KeyGenFromSeedIsDeterministic) {
  const Bytes xi(32, 0x42);
  auto a = ml_dsa_keygen_internal(p(), xi);
  auto b = ml_dsa_keygen_internal(p(), xi);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->pk, b->pk);
  EXPECT_TRUE(ct_equal(a->sk.span(), b->sk.span()));
  EXPECT_EQ(ml_dsa_keygen_internal(p(), Bytes(31)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(ml_dsa_keygen_internal(p(), Bytes(33)).rv(), CKR_ARGUMENTS_BAD);
}

TEST_P(MlDsaTest, DeterministicSigningIsReproducibleHedgedIsNot) {
  const MlDsaKeyPair kp = keys();
  auto d1 = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kDeterministic);
  auto d2 = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kDeterministic);
  auto d3 = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, Bytes(32, 0));
  ASSERT_TRUE(d1.ok() && d2.ok() && d3.ok());
  EXPECT_EQ(*d1, *d2);
  EXPECT_EQ(*d1, *d3);  // deterministic = rnd of 32 zero bytes
  auto h1 = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kHedged);
  auto h2 = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kHedged);
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_NE(*h1, *h2);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, *h2).rv(), CKR_OK);
  EXPECT_EQ(ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, Bytes(31)).rv(), CKR_ARGUMENTS_BAD);
}

TEST_P(MlDsaTest, ContextHandling) {
  const MlDsaKeyPair kp = keys();
  const Bytes max_ctx(255, 0xA5);
  const Bytes long_ctx(256, 0xA5);
  auto sig = ml_dsa_sign(p(), kp.sk.span(), kMsg, max_ctx, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, max_ctx, *sig).rv(), CKR_OK);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, {}, *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, Bytes(254, 0xA5), *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(ml_dsa_sign(p(), kp.sk.span(), kMsg, long_ctx, MlDsaHedge::kHedged).rv(),
            CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, long_ctx, *sig).rv(), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(hash_ml_dsa_sign(p(), kp.sk.span(), Bytes(32), long_ctx, MlDsaPreHash::kSha256,
                             MlDsaHedge::kHedged).rv(),
            CKR_MECHANISM_PARAM_INVALID);
}

TEST_P(MlDsaTest, WrongSizesRejected) {
  const MlDsaKeyPair kp = keys();
  auto sig = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  const Bytes sk(kp.sk.data(), kp.sk.data() + kp.sk.size());
  const Bytes short_sk(sk.begin(), sk.end() - 1);
  Bytes long_sk = sk;
  long_sk.push_back(0);
  EXPECT_EQ(ml_dsa_sign(p(), short_sk, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_dsa_sign(p(), long_sk, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_dsa_sign_internal(p(), short_sk, kMsg, Bytes(32)).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_dsa_sign_mu(p(), short_sk, Bytes(64), Bytes(32)).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_dsa_sign_mu(p(), sk, Bytes(63), Bytes(32)).rv(), CKR_ARGUMENTS_BAD);

  const Bytes short_pk(kp.pk.begin(), kp.pk.end() - 1);
  EXPECT_EQ(ml_dsa_verify(p(), short_pk, kMsg, kCtx, *sig).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_FALSE(ml_dsa_verify_internal(p(), short_pk, kMsg, *sig));

  Bytes long_sig = *sig;
  long_sig.push_back(0);
  const Bytes short_sig(sig->begin(), sig->end() - 1);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, long_sig).rv(), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, short_sig).rv(), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, {}).rv(), CKR_SIGNATURE_LEN_RANGE);

  // A key of another parameter set has the wrong size for this one.
  const MlDsaParams& other = &p() == &kMlDsa44 ? kMlDsa65 : kMlDsa44;
  EXPECT_EQ(ml_dsa_sign(other, sk, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_dsa_verify(other, kp.pk, kMsg, kCtx, *sig).rv(), CKR_KEY_SIZE_RANGE);
}

TEST_P(MlDsaTest, TamperedInputsRejected) {
  const MlDsaKeyPair kp = keys();
  auto sig = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  // One bit flipped in c̃, in z, and in the hint's index area.
  for (std::size_t pos : {std::size_t{0}, p().sig_bytes / 2, p().sig_bytes - p().k - 1}) {
    Bytes bad = *sig;
    bad[pos] ^= 0x01;
    EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, bad).rv(), CKR_SIGNATURE_INVALID) << pos;
  }
  // Malformed hint: a count above ω, or counts that decrease.
  Bytes bad_count = *sig;
  bad_count[p().sig_bytes - 1] = static_cast<std::uint8_t>(p().omega + 1);
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, bad_count).rv(), CKR_SIGNATURE_INVALID);
  Bytes bad_order = *sig;
  bad_order[p().sig_bytes - p().k] = static_cast<std::uint8_t>(p().omega);
  bad_order[p().sig_bytes - 1] = 0;
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, kMsg, kCtx, bad_order).rv(), CKR_SIGNATURE_INVALID);

  Bytes msg = kMsg;
  msg[0] ^= 0x80;
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, msg, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
  Bytes pk = kp.pk;
  pk[40] ^= 0x04;
  EXPECT_EQ(ml_dsa_verify(p(), pk, kMsg, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
  // Another key pair's public key.
  const MlDsaKeyPair other = keys();
  EXPECT_EQ(ml_dsa_verify(p(), other.pk, kMsg, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
}

TEST_P(MlDsaTest, MalformedPrivateKeyRejected) {
  const MlDsaKeyPair kp = keys();
  Bytes sk(kp.sk.data(), kp.sk.data() + kp.sk.size());
  sk[128] = 0xFF;  // first coefficients of s1 become η - (2^bits - 1) < -η
  EXPECT_EQ(ml_dsa_sign(p(), sk, kMsg, kCtx, MlDsaHedge::kHedged).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_P(MlDsaTest, HashMlDsa) {
  const MlDsaKeyPair kp = keys();
  const Bytes ph(32, 0x5C);  // stands for SHA-256(M); hashing is the caller's job
  auto sig = hash_ml_dsa_sign(p(), kp.sk.span(), ph, kCtx, MlDsaPreHash::kSha256, MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(hash_ml_dsa_verify(p(), kp.pk, ph, kCtx, MlDsaPreHash::kSha256, *sig).rv(), CKR_OK);
  // Domain separation: not valid as a pure signature of PH(M), nor under another hash's OID.
  EXPECT_EQ(ml_dsa_verify(p(), kp.pk, ph, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(hash_ml_dsa_verify(p(), kp.pk, ph, kCtx, MlDsaPreHash::kSha3_256, *sig).rv(),
            CKR_SIGNATURE_INVALID);
  EXPECT_EQ(hash_ml_dsa_sign(p(), kp.sk.span(), Bytes(31), kCtx, MlDsaPreHash::kSha256,
                             MlDsaHedge::kHedged).rv(),
            CKR_DATA_LEN_RANGE);
  EXPECT_EQ(hash_ml_dsa_verify(p(), kp.pk, Bytes(64), kCtx, MlDsaPreHash::kSha256, *sig).rv(),
            CKR_DATA_LEN_RANGE);
}

TEST_P(MlDsaTest, ExternalMuMatchesInternalSign) {
  const MlDsaKeyPair kp = keys();
  const Bytes rnd(32, 0x11);
  auto m_prime = ml_dsa_message_prime(kMsg, kCtx);
  ASSERT_TRUE(m_prime.ok());
  auto mu = ml_dsa_compute_mu(p(), kp.pk, *m_prime);
  ASSERT_TRUE(mu.ok());
  auto by_mu = ml_dsa_sign_mu(p(), kp.sk.span(), *mu, rnd);
  auto by_internal = ml_dsa_sign_internal(p(), kp.sk.span(), *m_prime, rnd);
  auto by_external = ml_dsa_sign(p(), kp.sk.span(), kMsg, kCtx, rnd);
  ASSERT_TRUE(by_mu.ok() && by_internal.ok() && by_external.ok());
  EXPECT_EQ(*by_mu, *by_internal);
  EXPECT_EQ(*by_mu, *by_external);
  EXPECT_TRUE(ml_dsa_verify_mu(p(), kp.pk, *mu, *by_mu));
  EXPECT_TRUE(ml_dsa_verify_internal(p(), kp.pk, *m_prime, *by_mu));
}

INSTANTIATE_TEST_SUITE_P(AllSets, MlDsaTest, ::testing::Values(&kMlDsa44, &kMlDsa65, &kMlDsa87),
                         [](const auto& param_info) { return std::string(param_info.param->name.substr(7)); });

TEST(MlDsaPreHash, OidsAndLengths) {
  const auto sha256 = ml_dsa_prehash_oid(MlDsaPreHash::kSha256);
  const std::array<std::uint8_t, 11> expect{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
  EXPECT_EQ(sha256, expect);
  EXPECT_EQ(ml_dsa_prehash_oid(MlDsaPreHash::kShake256)[10], 0x0C);
  EXPECT_EQ(ml_dsa_prehash_oid(MlDsaPreHash::kSha224)[10], 0x04);
  EXPECT_EQ(ml_dsa_prehash_bytes(MlDsaPreHash::kShake128), 32U);
  EXPECT_EQ(ml_dsa_prehash_bytes(MlDsaPreHash::kShake256), 64U);
  EXPECT_EQ(ml_dsa_prehash_bytes(MlDsaPreHash::kSha512_224), 28U);
}

// Literal transcriptions of FIPS 204 Alg. 35 and 36 (with branches), as an oracle.
std::int32_t mod_pm(std::int32_t r, std::int32_t m) {
  std::int32_t x = r % m;
  if (x < 0) x += m;
  if (x > m / 2) x -= m;
  return x;
}

TEST(MlDsaRounding, Power2RoundAndDecomposeExhaustive) {
  using namespace mldsa;
  for (std::int32_t r = 0; r < kQ; ++r) {
    std::int32_t r0 = 0;
    const std::int32_t r1 = power2round(r, r0);
    const std::int32_t e0 = mod_pm(r, 1 << kD);
    ASSERT_EQ(r0, e0) << r;
    ASSERT_EQ(r1, (r - e0) >> kD) << r;
    for (const std::int32_t g2 : {(kQ - 1) / 88, (kQ - 1) / 32}) {
      std::int32_t d0 = 0;
      const std::int32_t d1 = decompose(r, g2, d0);
      std::int32_t x0 = mod_pm(r, 2 * g2);
      std::int32_t x1 = 0;
      if (r - x0 == kQ - 1) {
        x0 -= 1;
      } else {
        x1 = (r - x0) / (2 * g2);
      }
      ASSERT_EQ(d1, x1) << r;
      ASSERT_EQ(d0, x0) << r;
    }
  }
}

TEST(MlDsaNtt, InverseUndoesForwardTimesOne) {
  using namespace mldsa;
  Poly a{};
  for (int i = 0; i < kN; ++i) a[i] = (i * 7919 + 13) % kQ - kQ / 2;
  Poly one{};
  one[0] = 1;
  Poly a_hat = a, one_hat = one, prod{};
  ntt(a_hat);
  ntt(one_hat);
  pointwise_montgomery(prod, a_hat, one_hat);
  ntt_inverse(prod);
  for (int i = 0; i < kN; ++i) EXPECT_EQ(caddq(prod[i]), caddq(reduce32(a[i]))) << i;
}

}  // namespace
}  // namespace craton::crypto::pqc
