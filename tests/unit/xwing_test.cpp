// Unit tests for X-Wing (draft-connolly-cfrg-xwing-kem-10): the draft's Appendix C vectors
// (derandomized key generation, encapsulation, decapsulation), round trips, implicit rejection,
// lengths, the FIPS 203 §7.2 check, and low-order X25519 inputs checked against the combiner
// computed here from its definition.
//
// The vectors are the first two of the -10 draft's Appendix C, in tests/common/hybrid_draft_vectors.h
// (shared with the API tests).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "crypto/hybrid/xwing.h"
#include "crypto/ossl/scopers.h"
#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_kem.h"
#include "hex.h"
#include "hybrid_draft_vectors.h"

namespace craton::crypto::hybrid {
namespace {

using Bytes = std::vector<std::uint8_t>;
using test::from_hex;
namespace dv = test::hybrid_draft_vectors;

Bytes bytes_of(const SecureBytes& s) {
  const auto sp = s.span();
  return Bytes(sp.begin(), sp.end());
}

// ---- Appendix C vectors (tests/common/hybrid_draft_vectors.h) ---------------------------------
struct Vector {
  std::string_view seed, pk, eseed, ct, ss;
};
const std::array<Vector, 2> kVectors{{{dv::kXWing1Seed, dv::kXWing1Pk, dv::kXWing1Eseed, dv::kXWing1Ct, dv::kXWing1Ss},
                                      {dv::kXWing2Seed, dv::kXWing2Pk, dv::kXWing2Eseed, dv::kXWing2Ct, dv::kXWing2Ss}}};

// The combiner written out from draft §5.3, and the ML-KEM half of the key, for the checks that
// need an expected value the vectors do not provide.
Bytes combiner(std::span<const std::uint8_t> ss_m, std::span<const std::uint8_t> ss_x,
               std::span<const std::uint8_t> ct_x, std::span<const std::uint8_t> pk_x) {
  Bytes in(ss_m.begin(), ss_m.end());
  in.insert(in.end(), ss_x.begin(), ss_x.end());
  in.insert(in.end(), ct_x.begin(), ct_x.end());
  in.insert(in.end(), pk_x.begin(), pk_x.end());
  for (const std::uint8_t b : {0x5C, 0x2E, 0x2F, 0x2F, 0x5E, 0x5C}) in.push_back(b);
  const auto h = pqc::sha3_256(in);
  return Bytes(h.begin(), h.end());
}

std::array<std::uint8_t, 96> expand_seed(std::span<const std::uint8_t> seed) {
  std::array<std::uint8_t, 96> wide{};
  pqc::shake256(seed, wide);
  return wide;
}

pqc::MlKemKeyPair ml_kem_half(std::span<const std::uint8_t> seed) {
  const auto wide = expand_seed(seed);
  auto kp = pqc::ml_kem_keygen_internal(pqc::kMlKem768, std::span(wide).first(32), std::span(wide).subspan(32, 32));
  EXPECT_TRUE(kp.ok());
  return std::move(kp).value();
}

// X25519(k, u) straight from OpenSSL, for u of large order.
Bytes x25519_ref(std::span<const std::uint8_t> k, std::span<const std::uint8_t> u) {
  PkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, k.data(), k.size()));
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, u.data(), u.size()));
  PkeyCtxPtr ctx(key ? EVP_PKEY_CTX_new(key.get(), nullptr) : nullptr);
  Bytes out(32);
  std::size_t len = out.size();
  const bool ok = ctx && peer && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                  EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) == 1 &&
                  EVP_PKEY_derive(ctx.get(), out.data(), &len) == 1 && len == out.size();
  EXPECT_TRUE(ok);
  return out;
}

TEST(XWing, Constants) {
  EXPECT_EQ(kXWingPublicKeyBytes, pqc::kMlKem768.ek_bytes() + 32);
  EXPECT_EQ(kXWingCiphertextBytes, pqc::kMlKem768.ciphertext_bytes() + 32);
  EXPECT_EQ(Bytes(kXWingLabel.begin(), kXWingLabel.end()), Bytes({'\\', '.', '/', '/', '^', '\\'}));
}

TEST(XWing, DraftVectorsKeyGen) {
  for (const Vector& v : kVectors) {
    auto kp = xwing_keygen_derand(from_hex(v.seed));
    ASSERT_TRUE(kp.ok());
    EXPECT_EQ(kp->pk, from_hex(v.pk));
    EXPECT_EQ(bytes_of(kp->sk), from_hex(v.seed));  // the private key is the seed itself
  }
}

TEST(XWing, DraftVectorsEncapsulate) {
  for (const Vector& v : kVectors) {
    auto enc = xwing_encaps_derand(from_hex(v.pk), from_hex(v.eseed));
    ASSERT_TRUE(enc.ok());
    EXPECT_EQ(enc->ciphertext, from_hex(v.ct));
    EXPECT_EQ(bytes_of(enc->shared_secret), from_hex(v.ss));
  }
}

TEST(XWing, DraftVectorsDecapsulate) {
  for (const Vector& v : kVectors) {
    auto ss = xwing_decaps(from_hex(v.seed), from_hex(v.ct));
    ASSERT_TRUE(ss.ok());
    EXPECT_EQ(bytes_of(*ss), from_hex(v.ss));
  }
}

TEST(XWing, RoundTripWithFreshKeysAndRandomness) {
  auto kp = xwing_keygen();
  ASSERT_TRUE(kp.ok());
  EXPECT_EQ(kp->pk.size(), kXWingPublicKeyBytes);
  EXPECT_EQ(kp->sk.size(), kXWingSeedBytes);
  auto again = xwing_keygen_derand(kp->sk.span());  // public from private
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pk, kp->pk);

  auto e1 = xwing_encaps(kp->pk);
  auto e2 = xwing_encaps(kp->pk);
  ASSERT_TRUE(e1.ok() && e2.ok());
  EXPECT_EQ(e1->ciphertext.size(), kXWingCiphertextBytes);
  EXPECT_EQ(e1->shared_secret.size(), kXWingSharedSecretBytes);
  EXPECT_NE(e1->ciphertext, e2->ciphertext);
  EXPECT_FALSE(ct_equal(e1->shared_secret.span(), e2->shared_secret.span()));
  auto d1 = xwing_decaps(kp->sk.span(), e1->ciphertext);
  ASSERT_TRUE(d1.ok());
  EXPECT_TRUE(ct_equal(d1->span(), e1->shared_secret.span()));

  auto other = xwing_keygen();
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->pk, kp->pk);
  auto wrong_key = xwing_decaps(other->sk.span(), e1->ciphertext);
  ASSERT_TRUE(wrong_key.ok());
  EXPECT_FALSE(ct_equal(wrong_key->span(), e1->shared_secret.span()));
}

TEST(XWing, ModifiedCiphertextDecapsulatesToAnUnrelatedSecretWithoutError) {
  const Vector& v = kVectors[0];
  const Bytes seed = from_hex(v.seed), ct = from_hex(v.ct), ss = from_hex(v.ss);
  for (const std::size_t pos : {std::size_t{0}, std::size_t{1087}, std::size_t{1088}, std::size_t{1119}}) {
    Bytes bad = ct;
    bad[pos] ^= 0x01;
    auto a = xwing_decaps(seed, bad);
    auto b = xwing_decaps(seed, bad);
    ASSERT_TRUE(a.ok() && b.ok()) << "byte " << pos;
    EXPECT_NE(bytes_of(*a), ss) << "byte " << pos;
    EXPECT_EQ(bytes_of(*a), bytes_of(*b)) << "byte " << pos;  // deterministic, as in ML-KEM
  }
  // The unmodified ciphertext: the combiner over ML-KEM's key and X25519(sk_X, ct_X) is the
  // vector's secret.
  const auto wide = expand_seed(seed);
  const Bytes pk = from_hex(v.pk);
  const auto ct_x = std::span(ct).subspan(1088);
  const auto pk_x = std::span(pk).subspan(1184);
  const Bytes ss_x = x25519_ref(std::span(wide).subspan(64), ct_x);
  const pqc::MlKemKeyPair ml = ml_kem_half(seed);
  auto ss_m = pqc::ml_kem_decaps_internal(pqc::kMlKem768, ml.dk.span(), std::span(ct).first(1088));
  ASSERT_TRUE(ss_m.ok());
  EXPECT_EQ(combiner(ss_m->span(), ss_x, ct_x, pk_x), ss);
  // A modified ML-KEM part: the same combiner, over ML-KEM's implicit-rejection key.
  Bytes bad = ct;
  bad[10] ^= 0x80;
  auto rejected = pqc::ml_kem_decaps_internal(pqc::kMlKem768, ml.dk.span(), std::span(bad).first(1088));
  ASSERT_TRUE(rejected.ok());
  EXPECT_FALSE(ct_equal(rejected->span(), ss_m->span()));
  auto got = xwing_decaps(seed, bad);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(bytes_of(*got), combiner(rejected->span(), ss_x, ct_x, pk_x));
}

TEST(XWing, WrongLengths) {
  const Vector& v = kVectors[0];
  const Bytes seed = from_hex(v.seed), pk = from_hex(v.pk), ct = from_hex(v.ct), eseed = from_hex(v.eseed);
  for (const std::size_t n : {std::size_t{0}, std::size_t{31}, std::size_t{33}, std::size_t{64}}) {
    EXPECT_EQ(xwing_keygen_derand(Bytes(n, 1)).rv(), CKR_KEY_SIZE_RANGE) << n;
    EXPECT_EQ(xwing_decaps(Bytes(n, 1), ct).rv(), CKR_KEY_SIZE_RANGE) << n;
  }
  for (const std::size_t n : {std::size_t{0}, std::size_t{1184}, std::size_t{1215}, std::size_t{1217}}) {
    Bytes bad = pk;
    bad.resize(n, 0);
    EXPECT_EQ(xwing_encaps(bad).rv(), CKR_KEY_SIZE_RANGE) << n;
    EXPECT_EQ(xwing_encaps_derand(bad, eseed).rv(), CKR_KEY_SIZE_RANGE) << n;
  }
  for (const std::size_t n : {std::size_t{0}, std::size_t{1088}, std::size_t{1119}, std::size_t{1121}}) {
    Bytes bad = ct;
    bad.resize(n, 0);
    EXPECT_EQ(xwing_decaps(seed, bad).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE) << n;
  }
  EXPECT_EQ(xwing_encaps_derand(pk, Bytes(63, 1)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(xwing_encaps_derand(pk, Bytes(65, 1)).rv(), CKR_ARGUMENTS_BAD);
}

TEST(XWing, EncapsulationKeyFailingTheModulusCheckIsRefused) {
  Bytes pk = from_hex(kVectors[0].pk);
  // The first 12-bit coefficient of t̂ set to 4095 ≥ q = 3329 (FIPS 203 §7.2).
  pk[0] = 0xFF;
  pk[1] |= 0x0F;
  EXPECT_EQ(xwing_encaps(pk).rv(), CKR_PUBLIC_KEY_INVALID);
  EXPECT_EQ(xwing_encaps_derand(pk, from_hex(kVectors[0].eseed)).rv(), CKR_PUBLIC_KEY_INVALID);
}

// X25519 of a small-order u is the all-zero string (RFC 7748); X-Wing carries on with it. The
// expected secrets are built here from the combiner's definition and ML-KEM alone.
TEST(XWing, LowOrderX25519ValuesAreCombinedNotRefused) {
  const Vector& v = kVectors[0];
  const Bytes seed = from_hex(v.seed), pk = from_hex(v.pk), eseed = from_hex(v.eseed);
  const Bytes zero(32, 0);
  const auto pk_x = std::span(pk).subspan(1184);
  const pqc::MlKemKeyPair ml = ml_kem_half(seed);

  // Decapsulation of a ciphertext whose X25519 part is u = 0.
  Bytes ct = from_hex(v.ct);
  std::fill(ct.begin() + 1088, ct.end(), std::uint8_t{0});
  auto ss_m = pqc::ml_kem_decaps_internal(pqc::kMlKem768, ml.dk.span(), std::span(ct).first(1088));
  ASSERT_TRUE(ss_m.ok());
  auto got = xwing_decaps(seed, ct);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(bytes_of(*got), combiner(ss_m->span(), zero, zero, pk_x));
  // u = 1 has order 4 on the curve: also zero.
  ct[1088] = 1;
  auto got1 = xwing_decaps(seed, ct);
  ASSERT_TRUE(got1.ok());
  EXPECT_EQ(bytes_of(*got1), combiner(ss_m->span(), zero, std::span(ct).subspan(1088), pk_x));

  // Encapsulation to a public key whose X25519 part is u = 0.
  Bytes weak_pk = pk;
  std::fill(weak_pk.begin() + 1184, weak_pk.end(), std::uint8_t{0});
  auto enc = xwing_encaps_derand(weak_pk, eseed);
  ASSERT_TRUE(enc.ok());
  auto ml_enc = pqc::ml_kem_encaps_internal(pqc::kMlKem768, std::span(pk).first(1184), std::span(eseed).first(32));
  ASSERT_TRUE(ml_enc.ok());
  const Bytes vector_ct = from_hex(v.ct);
  EXPECT_EQ(enc->ciphertext, vector_ct);  // ct_M and ct_X do not depend on pk_X
  EXPECT_EQ(bytes_of(enc->shared_secret),
            combiner(ml_enc->shared_secret.span(), zero, std::span(vector_ct).subspan(1088), zero));
}

}  // namespace
}  // namespace craton::crypto::hybrid
