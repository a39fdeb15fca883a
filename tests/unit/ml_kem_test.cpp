// Unit tests for src/crypto/pqc/ml_kem*: the arithmetic building blocks against their definitions
// in FIPS 203 (exhaustively where the domain is small), and ML-KEM's properties — round trips for
// every parameter set, implicit rejection, deterministic key generation from d || z, and the
// size / key checks with their CK_RV. The known answers are in tests/vectors/ml_kem_acvp_test.cpp.
#include "crypto/pqc/ml_kem.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_kem_poly.h"

namespace craton::crypto::pqc {
namespace {

using Bytes = std::vector<std::uint8_t>;
using ml_kem::kQ;
using ml_kem::Poly;

const MlKemParams kAllSets[] = {kMlKem512, kMlKem768, kMlKem1024};

Bytes to_bytes(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + 31 * i);
  return b;
}

int mod_q(long long x) { return static_cast<int>(((x % kQ) + kQ) % kQ); }

// ---- arithmetic -------------------------------------------------------------------------------

TEST(MlKemPoly, BarrettReduceIsCongruentAndSmallForEveryInt16) {
  for (int a = -32768; a <= 32767; ++a) {
    const int r = ml_kem::barrett_reduce(static_cast<std::int16_t>(a));
    ASSERT_EQ(mod_q(r), mod_q(a)) << a;
    ASSERT_LE(std::abs(r), (kQ - 1) / 2) << a;
  }
}

TEST(MlKemPoly, MontgomeryReduceDividesByR) {
  std::mt19937 rng(1);
  const long long r_inv = 169;  // 2^16 · 169 ≡ 1 (mod 3329)
  ASSERT_EQ((65536LL * r_inv) % kQ, 1);
  for (int i = 0; i < 200000; ++i) {
    const std::int32_t a = static_cast<std::int32_t>(rng() % (2U * kQ * 32768U)) - kQ * 32768;
    const int r = ml_kem::montgomery_reduce(a);
    ASSERT_EQ(mod_q(r), mod_q(static_cast<long long>(a) * r_inv)) << a;
    ASSERT_LT(std::abs(r), kQ) << a;
  }
}

// Compress_d(x) = round(2^d x / q) mod 2^d and Decompress_d(y) = round(q y / 2^d), as rationals.
TEST(MlKemPoly, CompressAndDecompressMatchTheirDefinitionExhaustively) {
  for (const unsigned d : {1U, 4U, 5U, 10U, 11U}) {
    for (int base = 0; base < kQ; base += 256) {
      Poly f{};
      for (int i = 0; i < 256; ++i) f[i] = static_cast<std::int16_t>(std::min(base + i, kQ - 1));
      Poly c = f;
      ml_kem::compress(c, d);
      for (int i = 0; i < 256; ++i) {
        const long long x = f[i];
        const long long expect = ((2 * (x << d) + kQ) / (2 * kQ)) % (1LL << d);  // floor(y + 1/2)
        ASSERT_EQ(c[i], expect) << "d=" << d << " x=" << x;
      }
    }
    Poly y{};
    for (int i = 0; i < 256; ++i) y[i] = static_cast<std::int16_t>(i % (1 << d));
    Poly dec = y;
    ml_kem::decompress(dec, d);
    for (int i = 0; i < 256; ++i) {
      const long long expect = (2LL * kQ * y[i] + (1LL << d)) / (2LL << d);
      ASSERT_EQ(dec[i], expect) << "d=" << d << " y=" << y[i];
    }
  }
}

TEST(MlKemPoly, ByteEncodeDecodeRoundTripAndReduceModQ) {
  std::mt19937 rng(2);
  for (const unsigned d : {1U, 4U, 5U, 10U, 11U, 12U}) {
    Poly f{};
    const unsigned m = d == 12 ? static_cast<unsigned>(kQ) : (1U << d);
    for (auto& x : f) x = static_cast<std::int16_t>(rng() % m);
    Bytes enc(32 * d);
    ml_kem::byte_encode(enc, f, d);
    Poly back{};
    ml_kem::byte_decode(back, enc, d);
    EXPECT_EQ(back, f) << "d=" << d;
  }
  // ByteDecode_12 reduces mod q: all-ones decodes to 4095 mod q = 766.
  Bytes ones(384, 0xFF);
  Poly g{};
  ml_kem::byte_decode(g, ones, 12);
  for (const auto x : g) EXPECT_EQ(x, 4095 - kQ);
  EXPECT_FALSE(ml_kem::byte_decode_12_is_canonical(ones));
}

// NTT followed by NTT^-1 is the identity; the ·R of ntt_inverse_times_r is undone by one
// Montgomery multiplication by 1.
TEST(MlKemPoly, NttInverseUndoesNtt) {
  std::mt19937 rng(3);
  Poly f{};
  for (auto& x : f) x = static_cast<std::int16_t>(static_cast<int>(rng() % (2 * kQ - 1)) - (kQ - 1));
  Poly g = f;
  ml_kem::ntt(g);
  ml_kem::ntt_inverse_times_r(g);
  for (std::size_t i = 0; i < 256; ++i) {
    EXPECT_EQ(mod_q(ml_kem::montgomery_reduce(g[i])), mod_q(f[i])) << i;
  }
}

// MultiplyNTTs realises multiplication in Z_q[X]/(X^256 + 1): compare with the schoolbook product.
TEST(MlKemPoly, MultiplyNttsIsNegacyclicConvolution) {
  std::mt19937 rng(4);
  ml_kem::PolyVec a{};
  ml_kem::PolyVec b{};
  for (auto& x : a[0]) x = static_cast<std::int16_t>(rng() % kQ);
  for (auto& x : b[0]) x = static_cast<std::int16_t>(static_cast<int>(rng() % 7) - 3);
  std::vector<long long> expect(256, 0);
  for (int i = 0; i < 256; ++i) {
    for (int j = 0; j < 256; ++j) {
      const long long p = static_cast<long long>(a[0][i]) * b[0][j];
      if (i + j < 256) {
        expect[i + j] += p;
      } else {
        expect[i + j - 256] -= p;
      }
    }
  }
  ml_kem::ntt(a[0]);
  ml_kem::ntt(b[0]);
  Poly c{};
  ml_kem::multiply_ntts_sum(c, a, b, 1);
  ml_kem::ntt_inverse_times_r(c);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(mod_q(c[i]), mod_q(expect[i])) << i;
}

TEST(MlKemPoly, CbdCoefficientsStayInRange) {
  for (const unsigned eta : {2U, 3U}) {
    const Bytes b = pattern(64 * eta, 7);
    Poly f{};
    ml_kem::sample_poly_cbd(f, b, eta);
    for (const auto x : f) EXPECT_LE(std::abs(x), static_cast<int>(eta));
    // All-ones input: every half sums to eta, so every coefficient is eta - eta = 0.
    ml_kem::sample_poly_cbd(f, Bytes(64 * eta, 0xFF), eta);
    for (const auto x : f) EXPECT_EQ(x, 0);
    if (eta == 2) {
      ml_kem::sample_poly_cbd(f, Bytes(128, 0x33), eta);  // 0b0011_0011: x = 2, y = 0 per nibble
      for (const auto x : f) EXPECT_EQ(x, 2);
    }
  }
}

// ---- ML-KEM -----------------------------------------------------------------------------------

TEST(MlKem, RoundTripForEveryParameterSet) {
  for (const auto& p : kAllSets) {
    auto kp = ml_kem_keygen(p);
    ASSERT_TRUE(kp.ok()) << p.name;
    EXPECT_EQ(kp->ek.size(), p.ek_bytes());
    EXPECT_EQ(kp->dk.size(), p.dk_bytes());
    EXPECT_TRUE(ml_kem_check_encapsulation_key(p, kp->ek).ok());
    EXPECT_TRUE(ml_kem_check_decapsulation_key(p, kp->dk.span()).ok());
    for (int i = 0; i < 5; ++i) {
      auto enc = ml_kem_encaps(p, kp->ek);
      ASSERT_TRUE(enc.ok()) << p.name;
      EXPECT_EQ(enc->ciphertext.size(), p.ciphertext_bytes());
      EXPECT_EQ(enc->shared_secret.size(), kMlKemSharedSecretBytes);
      auto k = ml_kem_decaps(p, kp->dk.span(), enc->ciphertext);
      ASSERT_TRUE(k.ok()) << p.name;
      EXPECT_TRUE(ct_equal(k->span(), enc->shared_secret.span())) << p.name;
    }
  }
}

TEST(MlKem, TamperedCiphertextGivesImplicitRejectionKey) {
  for (const auto& p : kAllSets) {
    auto kp = ml_kem_keygen_from_seed(p, pattern(64, 9));
    ASSERT_TRUE(kp.ok());
    auto enc = ml_kem_encaps_internal(p, kp->ek, pattern(32, 10));
    ASSERT_TRUE(enc.ok());
    for (const std::size_t pos : {std::size_t{0}, p.ciphertext_bytes() / 2, p.ciphertext_bytes() - 1}) {
      Bytes c = enc->ciphertext;
      c[pos] ^= 0x01;
      auto k = ml_kem_decaps(p, kp->dk.span(), c);
      ASSERT_TRUE(k.ok()) << p.name;  // never an error: implicit rejection
      EXPECT_FALSE(ct_equal(k->span(), enc->shared_secret.span())) << p.name << " pos " << pos;
      // K̄ = J(z || c) = SHAKE256(z || c)[0:32] with z the last 32 bytes of dk.
      Bytes zc = to_bytes(kp->dk.span().last(32));
      zc.insert(zc.end(), c.begin(), c.end());
      Bytes k_bar(32);
      shake256(zc, k_bar);
      EXPECT_EQ(to_bytes(k->span()), k_bar) << p.name;
    }
  }
}

TEST(MlKem, KeyGenFromSeedIsDeterministicAndMatchesInternal) {
  for (const auto& p : kAllSets) {
    const Bytes seed = pattern(64, 3);
    auto a = ml_kem_keygen_from_seed(p, seed);
    auto b = ml_kem_keygen_from_seed(p, seed);
    auto c = ml_kem_keygen_internal(p, std::span(seed).first(32), std::span(seed).last(32));
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
    EXPECT_EQ(a->ek, b->ek);
    EXPECT_EQ(a->ek, c->ek);
    EXPECT_TRUE(ct_equal(a->dk.span(), c->dk.span()));
    // dk = dk_PKE || ek || H(ek) || z
    EXPECT_EQ(to_bytes(a->dk.span().subspan(384 * p.k, p.ek_bytes())), a->ek);
    EXPECT_EQ(to_bytes(a->dk.span().last(32)), to_bytes(std::span(seed).last(32)));
    const auto h = sha3_256(a->ek);
    EXPECT_EQ(to_bytes(a->dk.span().subspan(768 * p.k + 32, 32)), Bytes(h.begin(), h.end()));
  }
  SecureBytes seed_out;
  auto r = ml_kem_keygen(kMlKem768, &seed_out);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(seed_out.size(), kMlKemFullSeedBytes);
  auto again = ml_kem_keygen_from_seed(kMlKem768, seed_out.span());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ek, r->ek);
}

TEST(MlKem, WrongSizesAreRejectedWithPreciseCodes) {
  const auto& p = kMlKem768;
  auto kp = ml_kem_keygen_from_seed(p, pattern(64, 5));
  ASSERT_TRUE(kp.ok());
  auto enc = ml_kem_encaps_internal(p, kp->ek, pattern(32, 6));
  ASSERT_TRUE(enc.ok());
  const Bytes seed31(31);
  const Bytes seed32(32);
  EXPECT_EQ(ml_kem_keygen_internal(p, seed31, seed32).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(ml_kem_keygen_internal(p, seed32, Bytes(33)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(ml_kem_keygen_from_seed(p, Bytes(63)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(ml_kem_encaps_internal(p, kp->ek, seed31).rv(), CKR_ARGUMENTS_BAD);

  Bytes ek_short(kp->ek.begin(), kp->ek.end() - 1);
  EXPECT_EQ(ml_kem_encaps(p, ek_short).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_kem_encaps_internal(p, ek_short, seed32).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_kem_encaps(kMlKem512, kp->ek).rv(), CKR_KEY_SIZE_RANGE);  // wrong set

  const Bytes c = enc->ciphertext;
  const Bytes c_short(c.begin(), c.end() - 1);
  Bytes c_long = c;
  c_long.push_back(0);
  EXPECT_EQ(ml_kem_decaps(p, kp->dk.span(), c_short).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(ml_kem_decaps(p, kp->dk.span(), c_long).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(ml_kem_decaps_internal(p, kp->dk.span(), c_short).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(ml_kem_decaps(p, kp->dk.span().first(p.dk_bytes() - 1), c).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(ml_kem_decaps(kMlKem1024, kp->dk.span(), c).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  EXPECT_EQ(ml_kem_check_decapsulation_key(kMlKem1024, kp->dk.span()).rv(), CKR_KEY_SIZE_RANGE);
}

TEST(MlKem, KeyChecksRejectBadValues) {
  const auto& p = kMlKem512;
  auto kp = ml_kem_keygen_from_seed(p, pattern(64, 8));
  ASSERT_TRUE(kp.ok());
  // §7.2 modulus check: a 12-bit value >= q in t̂.
  Bytes ek = kp->ek;
  ek[0] = 0xFF;
  ek[1] |= 0x0F;  // first coefficient = 4095
  EXPECT_EQ(ml_kem_check_encapsulation_key(p, ek).rv(), CKR_PUBLIC_KEY_INVALID);
  EXPECT_EQ(ml_kem_encaps(p, ek).rv(), CKR_PUBLIC_KEY_INVALID);
  // §7.3 hash check: flip a bit of the embedded ek.
  SecureBytes dk = kp->dk.clone();
  dk.span()[384 * p.k + 5] ^= 0x40;
  EXPECT_EQ(ml_kem_check_decapsulation_key(p, dk.span()).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  auto enc = ml_kem_encaps(p, kp->ek);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(ml_kem_decaps(p, dk.span(), enc->ciphertext).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

// ---- prepared keys ----------------------------------------------------------------------------

TEST(MlKemPrepared, EncapsulationEqualsTheByteStringFunctionsBitForBit) {
  for (const auto& p : kAllSets) {
    for (std::uint8_t seed_byte : {1, 2, 3}) {
      auto kp = ml_kem_keygen_from_seed(p, pattern(64, seed_byte));
      ASSERT_TRUE(kp.ok());
      auto ek = MlKemEncapsulationKey::prepare(p, kp->ek);
      ASSERT_TRUE(ek.ok()) << p.name;
      EXPECT_EQ(ek->params().parameter_set, p.parameter_set);
      for (std::uint8_t m_byte : {7, 8}) {
        const Bytes m = pattern(32, static_cast<std::uint8_t>(m_byte + seed_byte));
        auto want = ml_kem_encaps_internal(p, kp->ek, m);
        auto got = ml_kem_encaps_internal(*ek, m);
        ASSERT_TRUE(want.ok() && got.ok()) << p.name;
        EXPECT_EQ(got->ciphertext, want->ciphertext) << p.name;
        EXPECT_TRUE(ct_equal(got->shared_secret.span(), want->shared_secret.span())) << p.name;
      }
      // Fresh m each time; the byte-string decapsulation agrees with the prepared encapsulation.
      auto fresh = ml_kem_encaps(*ek);
      ASSERT_TRUE(fresh.ok());
      auto k = ml_kem_decaps(p, kp->dk.span(), fresh->ciphertext);
      ASSERT_TRUE(k.ok());
      EXPECT_TRUE(ct_equal(k->span(), fresh->shared_secret.span())) << p.name;
    }
  }
}

TEST(MlKemPrepared, DecapsulationEqualsTheByteStringFunctionsIncludingImplicitRejection) {
  for (const auto& p : kAllSets) {
    auto kp = ml_kem_keygen_from_seed(p, pattern(64, 21));
    ASSERT_TRUE(kp.ok());
    auto dk = MlKemDecapsulationKey::prepare(p, kp->dk.span());
    ASSERT_TRUE(dk.ok()) << p.name;
    EXPECT_EQ(dk->params().parameter_set, p.parameter_set);
    auto enc = ml_kem_encaps_internal(p, kp->ek, pattern(32, 22));
    ASSERT_TRUE(enc.ok());
    auto k = ml_kem_decaps(*dk, enc->ciphertext);
    ASSERT_TRUE(k.ok());
    EXPECT_TRUE(ct_equal(k->span(), enc->shared_secret.span())) << p.name;
    for (const std::size_t pos : {std::size_t{0}, p.ciphertext_bytes() / 2, p.ciphertext_bytes() - 1}) {
      Bytes c = enc->ciphertext;
      c[pos] ^= 0x80;
      auto want = ml_kem_decaps(p, kp->dk.span(), c);
      auto got = ml_kem_decaps(*dk, c);
      ASSERT_TRUE(want.ok() && got.ok());
      EXPECT_TRUE(ct_equal(got->span(), want->span())) << p.name << " pos " << pos;  // J(z || c)
      EXPECT_FALSE(ct_equal(got->span(), enc->shared_secret.span())) << p.name;
    }
    // A copy shares the expansion and decapsulates the same.
    const MlKemDecapsulationKey copy = *dk;
    auto again = ml_kem_decaps(copy, enc->ciphertext);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(ct_equal(again->span(), enc->shared_secret.span()));
  }
}

TEST(MlKemPrepared, PreparationRunsTheKeyChecksAndDecapsulationTheCiphertextCheck) {
  const auto& p = kMlKem512;
  auto kp = ml_kem_keygen_from_seed(p, pattern(64, 31));
  ASSERT_TRUE(kp.ok());
  // §7.2: length, then the modulus check.
  EXPECT_EQ(MlKemEncapsulationKey::prepare(p, Bytes(kp->ek.begin(), kp->ek.end() - 1)).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(MlKemEncapsulationKey::prepare(kMlKem768, kp->ek).rv(), CKR_KEY_SIZE_RANGE);
  Bytes bad_ek = kp->ek;
  bad_ek[0] = 0xFF;
  bad_ek[1] |= 0x0F;  // a coefficient of 4095 >= q
  EXPECT_EQ(MlKemEncapsulationKey::prepare(p, bad_ek).rv(), CKR_PUBLIC_KEY_INVALID);
  // §7.3: length, then the hash check.
  EXPECT_EQ(MlKemDecapsulationKey::prepare(p, kp->dk.span().first(p.dk_bytes() - 1)).rv(), CKR_KEY_SIZE_RANGE);
  SecureBytes bad_dk = kp->dk.clone();
  bad_dk.span()[384 * p.k + 5] ^= 0x40;
  EXPECT_EQ(MlKemDecapsulationKey::prepare(p, bad_dk.span()).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  // m of the wrong size; ciphertexts of the wrong size.
  auto ek = MlKemEncapsulationKey::prepare(p, kp->ek);
  auto dk = MlKemDecapsulationKey::prepare(p, kp->dk.span());
  ASSERT_TRUE(ek.ok() && dk.ok());
  EXPECT_EQ(ml_kem_encaps_internal(*ek, Bytes(31)).rv(), CKR_ARGUMENTS_BAD);
  auto enc = ml_kem_encaps(*ek);
  ASSERT_TRUE(enc.ok());
  const Bytes c = enc->ciphertext;
  EXPECT_EQ(ml_kem_decaps(*dk, Bytes(c.begin(), c.end() - 1)).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
  Bytes c_long = c;
  c_long.push_back(0);
  EXPECT_EQ(ml_kem_decaps(*dk, c_long).rv(), CKR_ENCRYPTED_DATA_LEN_RANGE);
}

TEST(MlKem, ParameterSetLookup) {
  EXPECT_EQ(ml_kem_params_for(CKP_ML_KEM_512)->k, 2U);
  EXPECT_EQ(ml_kem_params_for(CKP_ML_KEM_768)->k, 3U);
  EXPECT_EQ(ml_kem_params_for(CKP_ML_KEM_1024)->k, 4U);
  EXPECT_FALSE(ml_kem_params_for(0).has_value());
  EXPECT_FALSE(ml_kem_params_for(4).has_value());
}

}  // namespace
}  // namespace craton::crypto::pqc
