// Unit tests for SLH-DSA (FIPS 205): the parameter table, round trips for all twelve sets,
// context handling, size and tamper rejection (one flip in every region of the signature),
// deterministic / hedged signing, the external interfaces against the internal one on M' built
// here from the standard's definition, HashSLH-DSA domain separation, the private-key check, the
// address layout and base_2b. Signing with the 's' sets takes 0.1-2 s, so most tests use 'f' sets
// (both hash families, both SHA-2 sizes); tests/vectors/slh_dsa_acvp_test.cpp signs with all sets.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "crypto/pqc/slh_dsa.h"
#include "crypto/pqc/slh_dsa_address.h"
#include "crypto/pqc/slh_dsa_internal.h"

namespace craton::crypto::pqc {
namespace {

using Bytes = std::vector<std::uint8_t>;

const Bytes kMsg = {'c', 'r', 'a', 't', 'o', 'n'};
const Bytes kCtx = {1, 2, 3};

Bytes to_vec(const SecureBytes& b) { return Bytes(b.data(), b.data() + b.size()); }

std::string test_name(const SlhDsaParams& p) {
  std::string s(p.name.substr(8));
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

// ---- the parameter table (FIPS 205 Table 2) ----

TEST(SlhDsaParamsTable, LookupOrderAndSizes) {
  const auto all = slh_dsa_all_params();
  ASSERT_EQ(all.size(), 12U);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]->parameter_set, CKP_SLH_DSA_SHA2_128S + i) << all[i]->name;
    EXPECT_EQ(slh_dsa_params_for(all[i]->parameter_set), all[i]);
    EXPECT_EQ(all[i]->shake, i % 2 == 1) << all[i]->name;
    EXPECT_EQ(all[i]->h, all[i]->d * all[i]->hp) << all[i]->name;
  }
  EXPECT_EQ(slh_dsa_params_for(0), nullptr);
  EXPECT_EQ(slh_dsa_params_for(CKP_SLH_DSA_SHAKE_256F + 1), nullptr);
  // Table 2: public key, signature sizes.
  const std::array<std::pair<const SlhDsaParams*, std::size_t>, 12> sig_sizes{{
      {&kSlhDsaSha2_128s, 7856}, {&kSlhDsaShake128s, 7856}, {&kSlhDsaSha2_128f, 17088},
      {&kSlhDsaShake128f, 17088}, {&kSlhDsaSha2_192s, 16224}, {&kSlhDsaShake192s, 16224},
      {&kSlhDsaSha2_192f, 35664}, {&kSlhDsaShake192f, 35664}, {&kSlhDsaSha2_256s, 29792},
      {&kSlhDsaShake256s, 29792}, {&kSlhDsaSha2_256f, 49856}, {&kSlhDsaShake256f, 49856}}};
  for (const auto& [p, sig] : sig_sizes) {
    EXPECT_EQ(p->sig_bytes(), sig) << p->name;
    EXPECT_EQ(p->pk_bytes(), 2 * p->n) << p->name;
    EXPECT_EQ(p->sk_bytes(), 4 * p->n) << p->name;
  }
  EXPECT_EQ(kSlhDsaShake192f.name, "SLH-DSA-SHAKE-192f");
  EXPECT_EQ(kSlhDsaSha2_256s.name, "SLH-DSA-SHA2-256s");
}

// ---- round trips, all twelve sets ----

class SlhDsaAllSets : public ::testing::TestWithParam<const SlhDsaParams*> {};

TEST_P(SlhDsaAllSets, KeyGenSignVerify) {
  const SlhDsaParams& p = *GetParam();
  auto kp = slh_dsa_keygen(p);
  ASSERT_TRUE(kp.ok());
  EXPECT_EQ(kp->pk.size(), p.pk_bytes());
  ASSERT_EQ(kp->sk.size(), p.sk_bytes());
  // sk = SK.seed || SK.prf || PK.seed || PK.root and pk = PK.seed || PK.root.
  EXPECT_TRUE(std::equal(kp->pk.begin(), kp->pk.end(), kp->sk.data() + 2 * p.n));
  auto sig = slh_dsa_sign(p, kp->sk.span(), kMsg, kCtx, SlhDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), p.sig_bytes());
  EXPECT_EQ(slh_dsa_verify(p, kp->pk, kMsg, kCtx, *sig).rv(), CKR_OK);
  Bytes other = kMsg;
  other.back() ^= 1;
  EXPECT_EQ(slh_dsa_verify(p, kp->pk, other, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
}

INSTANTIATE_TEST_SUITE_P(Sets, SlhDsaAllSets, ::testing::ValuesIn(slh_dsa_all_params()),
                         [](const auto& param_info) { return test_name(*param_info.param); });

// ---- the remaining tests use 'f' sets: SHA2 with SHA-256 (128f) and SHA-512 (192f, 256f) for
// H / T_l / H_msg / PRF_msg, and SHAKE (128f) ----

class SlhDsaTest : public ::testing::TestWithParam<const SlhDsaParams*> {
 protected:
  const SlhDsaParams& p() const { return *GetParam(); }
  // One key pair per parameter set and process.
  const SlhDsaKeyPair& keys() const {
    static std::map<const SlhDsaParams*, SlhDsaKeyPair> cache;
    auto it = cache.find(&p());
    if (it == cache.end()) {
      auto kp = slh_dsa_keygen(p());
      EXPECT_TRUE(kp.ok());
      it = cache.emplace(&p(), std::move(kp).value()).first;
    }
    return it->second;
  }
  std::span<const std::uint8_t> sk() const { return keys().sk.span(); }
  const Bytes& pk() const { return keys().pk; }
  Bytes pk_seed() const { return Bytes(pk().begin(), pk().begin() + p().n); }
};

TEST_P(SlhDsaTest, KeyGenInternalIsDeterministicAndChecksSeeds) {
  const std::size_t n = p().n;
  // keygen() draws SK.seed, SK.prf, PK.seed; keygen_internal on them gives the same key pair.
  const std::span<const std::uint8_t> s = sk();
  auto again = slh_dsa_keygen_internal(p(), s.first(n), s.subspan(n, n), s.subspan(2 * n, n));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pk, pk());
  EXPECT_TRUE(ct_equal(again->sk.span(), s));
  // Another PK.seed gives another root.
  Bytes seed2(s.begin() + 2 * n, s.begin() + 3 * n);
  seed2[0] ^= 1;
  auto other = slh_dsa_keygen_internal(p(), s.first(n), s.subspan(n, n), seed2);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(std::equal(other->pk.begin() + n, other->pk.end(), pk().begin() + n));
  const Bytes ok(n), short_seed(n - 1), long_seed(n + 1);
  EXPECT_EQ(slh_dsa_keygen_internal(p(), short_seed, ok, ok).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(slh_dsa_keygen_internal(p(), ok, long_seed, ok).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(slh_dsa_keygen_internal(p(), ok, ok, Bytes{}).rv(), CKR_ARGUMENTS_BAD);
}

TEST_P(SlhDsaTest, DeterministicSigningIsReproducibleHedgedIsNot) {
  auto d1 = slh_dsa_sign(p(), sk(), kMsg, kCtx, SlhDsaHedge::kDeterministic);
  auto d2 = slh_dsa_sign(p(), sk(), kMsg, kCtx, SlhDsaHedge::kDeterministic);
  auto d3 = slh_dsa_sign(p(), sk(), kMsg, kCtx, Bytes{});
  auto d4 = slh_dsa_sign(p(), sk(), kMsg, kCtx, pk_seed());  // FIPS 205: opt_rand = PK.seed
  ASSERT_TRUE(d1.ok() && d2.ok() && d3.ok() && d4.ok());
  EXPECT_EQ(*d1, *d2);
  EXPECT_EQ(*d1, *d3);
  EXPECT_EQ(*d1, *d4);
  auto h1 = slh_dsa_sign(p(), sk(), kMsg, kCtx, SlhDsaHedge::kHedged);
  auto h2 = slh_dsa_sign(p(), sk(), kMsg, kCtx, Bytes(p().n, 0x77));
  ASSERT_TRUE(h1.ok() && h2.ok());
  EXPECT_NE(*h1, *d1);
  EXPECT_NE(*h2, *d1);
  EXPECT_NE(*h1, *h2);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, kCtx, *h1).rv(), CKR_OK);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, kCtx, *h2).rv(), CKR_OK);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, kCtx, *d1).rv(), CKR_OK);
  // addrnd must be n bytes (or empty).
  EXPECT_EQ(slh_dsa_sign(p(), sk(), kMsg, kCtx, Bytes(p().n - 1)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(slh_dsa_sign(p(), sk(), kMsg, kCtx, Bytes(p().n + 1)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(slh_dsa_sign_internal(p(), sk(), kMsg, Bytes(32 + p().n)).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(hash_slh_dsa_sign(p(), sk(), Bytes(32), kCtx, PreHash::kSha256, Bytes(1)).rv(), CKR_ARGUMENTS_BAD);
}

// The external functions are Alg. 19/20 on M' = toByte(0,1) || toByte(|ctx|,1) || ctx || M
// (Alg. 22/24) and M' = toByte(1,1) || toByte(|ctx|,1) || ctx || OID || PH(M) (Alg. 23/25).
TEST_P(SlhDsaTest, ExternalInterfacesAreInternalOnMessagePrime) {
  const Bytes addrnd(p().n, 0x3C);
  Bytes m_pure{0, static_cast<std::uint8_t>(kCtx.size())};
  m_pure.insert(m_pure.end(), kCtx.begin(), kCtx.end());
  m_pure.insert(m_pure.end(), kMsg.begin(), kMsg.end());
  auto ext = slh_dsa_sign(p(), sk(), kMsg, kCtx, addrnd);
  auto in = slh_dsa_sign_internal(p(), sk(), m_pure, addrnd);
  ASSERT_TRUE(ext.ok() && in.ok());
  EXPECT_EQ(*ext, *in);
  EXPECT_TRUE(slh_dsa_verify_internal(p(), pk(), m_pure, *ext));
  EXPECT_FALSE(slh_dsa_verify_internal(p(), pk(), kMsg, *ext));

  const Bytes ph(48, 0xA7);  // stands for SHA-384(M)
  const std::array<std::uint8_t, 11> sha384_oid{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};
  Bytes m_pre{1, static_cast<std::uint8_t>(kCtx.size())};
  m_pre.insert(m_pre.end(), kCtx.begin(), kCtx.end());
  m_pre.insert(m_pre.end(), sha384_oid.begin(), sha384_oid.end());
  m_pre.insert(m_pre.end(), ph.begin(), ph.end());
  auto hext = hash_slh_dsa_sign(p(), sk(), ph, kCtx, PreHash::kSha384, addrnd);
  auto hin = slh_dsa_sign_internal(p(), sk(), m_pre, addrnd);
  ASSERT_TRUE(hext.ok() && hin.ok());
  EXPECT_EQ(*hext, *hin);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), ph, kCtx, PreHash::kSha384, *hin).rv(), CKR_OK);
}

TEST_P(SlhDsaTest, ContextHandling) {
  const Bytes max_ctx(255, 0xA5), long_ctx(256, 0xA5);
  auto sig = slh_dsa_sign(p(), sk(), kMsg, max_ctx, SlhDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, max_ctx, *sig).rv(), CKR_OK);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, {}, *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, Bytes(254, 0xA5), *sig).rv(), CKR_SIGNATURE_INVALID);
  Bytes other_ctx = max_ctx;
  other_ctx[200] ^= 1;
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, other_ctx, *sig).rv(), CKR_SIGNATURE_INVALID);
  // Empty message and empty context.
  auto empty = slh_dsa_sign(p(), sk(), {}, {}, SlhDsaHedge::kDeterministic);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(slh_dsa_verify(p(), pk(), {}, {}, *empty).rv(), CKR_OK);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, {}, *empty).rv(), CKR_SIGNATURE_INVALID);
  // 256 bytes: rejected before anything else, by every external function.
  EXPECT_EQ(slh_dsa_sign(p(), sk(), kMsg, long_ctx, SlhDsaHedge::kHedged).rv(), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(slh_dsa_sign(p(), sk(), kMsg, long_ctx, Bytes{}).rv(), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, long_ctx, *sig).rv(), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(hash_slh_dsa_sign(p(), sk(), Bytes(32), long_ctx, PreHash::kSha256, SlhDsaHedge::kHedged).rv(),
            CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), Bytes(32), long_ctx, PreHash::kSha256, *sig).rv(),
            CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(slh_dsa_sign(p(), Bytes(3), kMsg, long_ctx, SlhDsaHedge::kHedged).rv(), CKR_MECHANISM_PARAM_INVALID);
}

TEST_P(SlhDsaTest, WrongSizesRejected) {
  auto sig = slh_dsa_sign(p(), sk(), kMsg, kCtx, SlhDsaHedge::kDeterministic);
  ASSERT_TRUE(sig.ok());
  const Bytes key = to_vec(keys().sk);
  const Bytes short_sk(key.begin(), key.end() - 1);
  Bytes long_sk = key;
  long_sk.push_back(0);
  for (const Bytes& bad : {short_sk, long_sk, Bytes{}}) {
    EXPECT_EQ(slh_dsa_sign(p(), bad, kMsg, kCtx, SlhDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
    EXPECT_EQ(slh_dsa_sign(p(), bad, kMsg, kCtx, Bytes{}).rv(), CKR_KEY_SIZE_RANGE);
    EXPECT_EQ(slh_dsa_sign_internal(p(), bad, kMsg, Bytes{}).rv(), CKR_KEY_SIZE_RANGE);
    EXPECT_EQ(hash_slh_dsa_sign(p(), bad, Bytes(32), kCtx, PreHash::kSha256, SlhDsaHedge::kHedged).rv(),
              CKR_KEY_SIZE_RANGE);
    EXPECT_EQ(slh_dsa_check_private_key(p(), bad).rv(), CKR_KEY_SIZE_RANGE);
  }
  const Bytes short_pk(pk().begin(), pk().end() - 1);
  EXPECT_EQ(slh_dsa_verify(p(), short_pk, kMsg, kCtx, *sig).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(hash_slh_dsa_verify(p(), short_pk, Bytes(32), kCtx, PreHash::kSha256, *sig).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_FALSE(slh_dsa_verify_internal(p(), short_pk, kMsg, *sig));

  Bytes long_sig = *sig;
  long_sig.push_back(0);
  const Bytes short_sig(sig->begin(), sig->end() - 1);
  for (const Bytes& bad : {long_sig, short_sig, Bytes{}}) {
    EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, kCtx, bad).rv(), CKR_SIGNATURE_LEN_RANGE);
    EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), Bytes(32), kCtx, PreHash::kSha256, bad).rv(),
              CKR_SIGNATURE_LEN_RANGE);
    EXPECT_FALSE(slh_dsa_verify_internal(p(), pk(), kMsg, bad));
  }
  // Keys of a set with another n have the wrong size here.
  const SlhDsaParams& other = p().n == 16 ? kSlhDsaSha2_192f : kSlhDsaSha2_128f;
  EXPECT_EQ(slh_dsa_sign(other, key, kMsg, kCtx, SlhDsaHedge::kHedged).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(slh_dsa_verify(other, pk(), kMsg, kCtx, *sig).rv(), CKR_KEY_SIZE_RANGE);
}

// One bit flipped in each region of SIG = R || SIG_FORS || SIG_HT.
TEST_P(SlhDsaTest, TamperedSignatureRejected) {
  auto sig = slh_dsa_sign(p(), sk(), kMsg, kCtx, SlhDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  const std::size_t n = p().n, len = 2 * n + 3;
  const std::size_t fors = n, fors_bytes = p().k * (1 + p().a) * n;
  const std::size_t ht = fors + fors_bytes, xmss_bytes = (len + p().hp) * n;
  const std::vector<std::pair<const char*, std::size_t>> spots{
      {"R", 0},
      {"R last byte", n - 1},
      {"FORS sk of tree 0", fors},
      {"FORS auth path of tree 0", fors + n},
      {"FORS sk of the last tree", fors + (p().k - 1) * (1 + p().a) * n},
      {"FORS last auth node", ht - 1},
      {"WOTS+ sig, layer 0", ht},
      {"WOTS+ checksum chain, layer 0", ht + (len - 1) * n},
      {"XMSS auth path, layer 0", ht + len * n},
      {"WOTS+ sig, layer 1", ht + xmss_bytes + 5},
      {"WOTS+ sig, top layer", ht + (p().d - 1) * xmss_bytes + 2},
      {"XMSS auth path, top layer", p().sig_bytes() - 1},
  };
  for (const auto& [what, pos] : spots) {
    for (const std::uint8_t bit : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      Bytes bad = *sig;
      bad[pos] ^= bit;
      EXPECT_EQ(slh_dsa_verify(p(), pk(), kMsg, kCtx, bad).rv(), CKR_SIGNATURE_INVALID) << what;
    }
  }
  Bytes msg = kMsg;
  msg[0] ^= 0x80;
  EXPECT_EQ(slh_dsa_verify(p(), pk(), msg, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
  for (const std::size_t pos : {std::size_t{0}, n, 2 * n - 1}) {  // PK.seed, PK.root
    Bytes bad_pk = pk();
    bad_pk[pos] ^= 0x04;
    EXPECT_EQ(slh_dsa_verify(p(), bad_pk, kMsg, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID) << pos;
  }
  auto other = slh_dsa_keygen(p());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(slh_dsa_verify(p(), other->pk, kMsg, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
}

TEST_P(SlhDsaTest, HashSlhDsaDomainSeparation) {
  const Bytes ph(32, 0x5C);  // stands for SHA-256(M); hashing is the caller's job
  auto sig = hash_slh_dsa_sign(p(), sk(), ph, kCtx, PreHash::kSha256, SlhDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), p().sig_bytes());
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), ph, kCtx, PreHash::kSha256, *sig).rv(), CKR_OK);
  // Not a pure signature of PH(M), nor one under another hash of the same length, another context.
  EXPECT_EQ(slh_dsa_verify(p(), pk(), ph, kCtx, *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), ph, kCtx, PreHash::kSha3_256, *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), ph, kCtx, PreHash::kShake128, *sig).rv(), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), ph, {}, PreHash::kSha256, *sig).rv(), CKR_SIGNATURE_INVALID);
  // And a pure signature is not a pre-hash one.
  auto pure = slh_dsa_sign(p(), sk(), ph, kCtx, SlhDsaHedge::kHedged);
  ASSERT_TRUE(pure.ok());
  EXPECT_EQ(slh_dsa_verify(p(), pk(), ph, kCtx, *pure).rv(), CKR_OK);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), ph, kCtx, PreHash::kSha256, *pure).rv(), CKR_SIGNATURE_INVALID);
  // PH(M) must have its hash's length.
  EXPECT_EQ(hash_slh_dsa_sign(p(), sk(), Bytes(31), kCtx, PreHash::kSha256, SlhDsaHedge::kHedged).rv(),
            CKR_DATA_LEN_RANGE);
  EXPECT_EQ(hash_slh_dsa_sign(p(), sk(), Bytes(32), kCtx, PreHash::kShake256, Bytes{}).rv(), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), Bytes(64), kCtx, PreHash::kSha256, *sig).rv(), CKR_DATA_LEN_RANGE);
  // Deterministic pre-hash signing reproduces.
  auto d1 = hash_slh_dsa_sign(p(), sk(), Bytes(64, 1), kCtx, PreHash::kShake256, SlhDsaHedge::kDeterministic);
  auto d2 = hash_slh_dsa_sign(p(), sk(), Bytes(64, 1), kCtx, PreHash::kShake256, Bytes{});
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_EQ(*d1, *d2);
  EXPECT_EQ(hash_slh_dsa_verify(p(), pk(), Bytes(64, 1), kCtx, PreHash::kShake256, *d1).rv(), CKR_OK);
}

TEST_P(SlhDsaTest, CheckPrivateKey) {
  const std::size_t n = p().n;
  EXPECT_EQ(slh_dsa_check_private_key(p(), sk()).rv(), CKR_OK);
  // SK.seed, PK.seed and PK.root each change the recomputed or the stored root.
  for (const std::size_t pos : {std::size_t{0}, n - 1, 2 * n, 3 * n, 4 * n - 1}) {
    Bytes bad = to_vec(keys().sk);
    bad[pos] ^= 0x10;
    EXPECT_EQ(slh_dsa_check_private_key(p(), bad).rv(), CKR_ATTRIBUTE_VALUE_INVALID) << pos;
  }
  // SK.prf does not enter PK.root: the check cannot see it (and need not: it only randomises R).
  Bytes prf_changed = to_vec(keys().sk);
  prf_changed[n] ^= 0x10;
  EXPECT_EQ(slh_dsa_check_private_key(p(), prf_changed).rv(), CKR_OK);
  // Signing notices a PK.root that does not belong to SK.seed (the top layer yields the root).
  Bytes bad_root = to_vec(keys().sk);
  bad_root[3 * n] ^= 0x01;
  EXPECT_EQ(slh_dsa_sign(p(), bad_root, kMsg, kCtx, SlhDsaHedge::kHedged).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  // The key of another set with the same n is a valid length but not a key of this set.
  const SlhDsaParams& twin = p().shake ? kSlhDsaSha2_128f : kSlhDsaShake128f;
  if (twin.n == n) {
    EXPECT_EQ(slh_dsa_check_private_key(twin, sk()).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  }
}

INSTANTIATE_TEST_SUITE_P(FastSets, SlhDsaTest,
                         ::testing::Values(&kSlhDsaSha2_128f, &kSlhDsaShake128f, &kSlhDsaSha2_192f,
                                           &kSlhDsaSha2_256f),
                         [](const auto& param_info) { return test_name(*param_info.param); });

// A known answer from NIST's ACVP keyGen set (SLH-DSA-keyGen-FIPS205, tcId 21 and 31), so a
// unit-test run alone notices a wrong root.
TEST(SlhDsaKnownAnswer, KeyGenFromAcvp) {
  auto hex = [](const char* s) {
    Bytes out;
    for (std::size_t i = 0; s[i] != '\0' && s[i + 1] != '\0'; i += 2)
      out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(s + i, 2), nullptr, 16)));
    return out;
  };
  struct Kat {
    const SlhDsaParams* p;
    const char *sk_seed, *sk_prf, *pk_seed, *pk_root;
  };
  for (const Kat& k : {Kat{&kSlhDsaSha2_128f, "C42BCB3B5A6F331F5CCE899253C6D9E2", "9FF2B7EAD7A04BAB1794DB8CC659C3B4",
                           "A868F1BD5DEBC12D4C9FAD66AABD0A94", "B546DF247BE4C457F3D467CDFCFABD39"},
                       Kat{&kSlhDsaShake128f, "3956AB391B4D22FC907AF0740326D061", "AB0EB206436F2B86EBE086D77739B3E4",
                           "56505C229F4E7FA6B201714C7DCC9DA3", "66578F1F24C3FE371C97C14CE0E79CDC"}}) {
    auto kp = slh_dsa_keygen_internal(*k.p, hex(k.sk_seed), hex(k.sk_prf), hex(k.pk_seed));
    ASSERT_TRUE(kp.ok());
    Bytes expect_pk = hex(k.pk_seed);
    const Bytes root = hex(k.pk_root);
    expect_pk.insert(expect_pk.end(), root.begin(), root.end());
    EXPECT_EQ(kp->pk, expect_pk) << k.p->name;
  }
}

// ---- building blocks ----

TEST(SlhDsaAddress, LayoutAndCompression) {
  slhdsa::Address a;
  a.set_layer_address(0x0A0B0C0D);
  a.set_tree_address(0x1122334455667788ULL);
  a.set_type_and_clear(slhdsa::AddressType::kForsTree);
  a.set_key_pair_address(0x01020304);
  a.set_tree_height(0x05060708);
  a.set_tree_index(0x090A0B0C);
  const std::array<std::uint8_t, 32> expect{0x0A, 0x0B, 0x0C, 0x0D, 0, 0, 0, 0, 0x11, 0x22, 0x33,
                                            0x44, 0x55, 0x66, 0x77, 0x88, 0, 0, 0, 3, 1, 2, 3, 4,
                                            5, 6, 7, 8, 9, 0x0A, 0x0B, 0x0C};
  EXPECT_TRUE(std::equal(expect.begin(), expect.end(), a.bytes().begin()));
  EXPECT_EQ(a.get_key_pair_address(), 0x01020304U);
  EXPECT_EQ(a.get_tree_index(), 0x090A0B0CU);
  std::array<std::uint8_t, 22> c{};
  a.compress(c);
  const std::array<std::uint8_t, 22> expect_c{0x0D, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 3, 1,
                                              2, 3, 4, 5, 6, 7, 8, 9, 0x0A, 0x0B, 0x0C};
  EXPECT_EQ(c, expect_c);
  a.set_type_and_clear(slhdsa::AddressType::kWotsPrf);  // clears the last 12 bytes
  EXPECT_EQ(a.get_key_pair_address(), 0U);
  EXPECT_EQ(a.get_tree_index(), 0U);
  EXPECT_EQ(a.bytes()[19], 5);
}

TEST(SlhDsaBase2b, MatchesBitReading) {
  const Bytes x{0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x0F, 0xED};
  for (const unsigned b : {4U, 6U, 9U, 12U, 14U}) {
    const std::size_t count = x.size() * 8 / b;
    std::vector<std::uint32_t> out(count);
    slhdsa::base_2b(x, b, out);
    for (std::size_t i = 0; i < count; ++i) {
      std::uint32_t want = 0;
      for (std::size_t j = 0; j < b; ++j) {
        const std::size_t bit = i * b + j;  // most significant bit first
        want = (want << 1) | ((x[bit / 8] >> (7 - bit % 8)) & 1U);
      }
      EXPECT_EQ(out[i], want) << "b=" << b << " i=" << i;
    }
  }
}

}  // namespace
}  // namespace craton::crypto::pqc
