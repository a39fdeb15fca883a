// SLH-DSA through the module API (PKCS#11 3.2): key-pair generation on the parameter sets, pure /
// caller pre-hash / token-hash signatures with contexts and hedging, private-key import checks,
// wrap/unwrap, the refusals, and NIST ACVP known answers for the fast ('f') parameter sets (keyGen
// via C_CreateObject, deterministic external signatures via C_Sign). The 's' sets and the internal
// interface are covered case by case in tests/vectors/slh_dsa_acvp_test.cpp.
#include <string>

#include "acvp_util.h"
#include "pqc_fixture.h"

namespace craton::test {
namespace {

using namespace acvp;  // load, field, results_by_id, Hash, hashes, prehash
using Bytes = std::vector<std::uint8_t>;

struct SlhSet {
  CK_ULONG set;
  const char* name;
  std::size_t pk, sig;
};
constexpr SlhSet kSets[] = {
    {CKP_SLH_DSA_SHA2_128S, "SLH-DSA-SHA2-128s", 32, 7856},   {CKP_SLH_DSA_SHAKE_128S, "SLH-DSA-SHAKE-128s", 32, 7856},
    {CKP_SLH_DSA_SHA2_128F, "SLH-DSA-SHA2-128f", 32, 17088},  {CKP_SLH_DSA_SHAKE_128F, "SLH-DSA-SHAKE-128f", 32, 17088},
    {CKP_SLH_DSA_SHA2_192S, "SLH-DSA-SHA2-192s", 48, 16224},  {CKP_SLH_DSA_SHAKE_192S, "SLH-DSA-SHAKE-192s", 48, 16224},
    {CKP_SLH_DSA_SHA2_192F, "SLH-DSA-SHA2-192f", 48, 35664},  {CKP_SLH_DSA_SHAKE_192F, "SLH-DSA-SHAKE-192f", 48, 35664},
    {CKP_SLH_DSA_SHA2_256S, "SLH-DSA-SHA2-256s", 64, 29792},  {CKP_SLH_DSA_SHAKE_256S, "SLH-DSA-SHAKE-256s", 64, 29792},
    {CKP_SLH_DSA_SHA2_256F, "SLH-DSA-SHA2-256f", 64, 49856},  {CKP_SLH_DSA_SHAKE_256F, "SLH-DSA-SHAKE-256f", 64, 49856},
};
const SlhSet& by_name(const std::string& n) {
  for (const auto& s : kSets) {
    if (n == s.name) return s;
  }
  throw std::runtime_error("unknown SLH-DSA set " + n);
}
bool fast(const SlhSet& s) { return std::string(s.name).back() == 'f'; }

class MechSlhDsa : public PqcTest {
 protected:
  CK_RV gen(CK_ULONG set, CK_OBJECT_HANDLE& pub, CK_OBJECT_HANDLE& priv, bool extractable = false) {
    return gen_pair(CKM_SLH_DSA_KEY_PAIR_GEN, set, pub, priv, extractable);
  }
  // One C_Sign into a buffer large enough for every set (no length query: signing is slow).
  CK_RV sign(CK_MECHANISM& m, CK_OBJECT_HANDLE key, const Bytes& data, Bytes& sig) {
    return PqcTest::sign(m, key, data, sig, 50000);
  }
  CK_RV import_private(CK_ULONG set, const Bytes& sk, CK_OBJECT_HANDLE& h) {
    Template t = key_template(CKO_PRIVATE_KEY, CKK_SLH_DSA, set, sk);
    return create(t, h);
  }
};

TEST_F(MechSlhDsa, MechanismInfo) {
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_SLH_DSA_KEY_PAIR_GEN, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 32u);
  EXPECT_EQ(info.ulMaxKeySize, 64u);
  for (CK_MECHANISM_TYPE m : {CKM_SLH_DSA, CKM_HASH_SLH_DSA, CKM_HASH_SLH_DSA_SHA256, CKM_HASH_SLH_DSA_SHAKE256}) {
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, m, &info), CKR_OK);
    EXPECT_EQ(info.flags & (CKF_SIGN | CKF_VERIFY), CKF_SIGN | CKF_VERIFY);
  }
}

// Every 'f' set (the 's' sets take up to seconds per signature: SHA2-128s is signed in
// AcvpSha2_128sExternalPure, all of them in tests/vectors).
TEST_F(MechSlhDsa, GenerateSignVerify) {
  for (const SlhSet& s : kSets) {
    if (!fast(s)) continue;
    SCOPED_TRACE(s.name);
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
    ASSERT_EQ(gen(s.set, pub, priv), CKR_OK);
    EXPECT_EQ(attr(pub, CKA_VALUE).size(), s.pk);
    EXPECT_EQ(attr_ulong(priv, CKA_PARAMETER_SET), s.set);
    CK_ATTRIBUTE seed{CKA_SEED, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, priv, &seed, 1), CKR_ATTRIBUTE_TYPE_INVALID) << "SLH-DSA keys have no seed";
    Bytes ctx = {'c', 't', 'x'};
    CK_SIGN_ADDITIONAL_CONTEXT p{CKH_DETERMINISTIC_REQUIRED, ctx.data(), ctx.size()};
    CK_MECHANISM m{CKM_SLH_DSA, &p, sizeof p};
    const Bytes msg = {'h', 'a', 's', 'h', '-', 'b', 'a', 's', 'e', 'd'};
    Bytes a, b;
    ASSERT_EQ(sign(m, priv, msg, a), CKR_OK);
    EXPECT_EQ(a.size(), s.sig);
    EXPECT_EQ(verify(m, pub, msg, a), CKR_OK);
    if (fast(s)) {
      ASSERT_EQ(sign(m, priv, msg, b), CKR_OK);
      EXPECT_EQ(a, b) << "deterministic";
      CK_SIGN_ADDITIONAL_CONTEXT hp{CKH_HEDGE_REQUIRED, ctx.data(), ctx.size()};
      CK_MECHANISM mh{CKM_SLH_DSA, &hp, sizeof hp};
      ASSERT_EQ(sign(mh, priv, msg, b), CKR_OK);
      EXPECT_NE(a, b) << "hedged";
      EXPECT_EQ(verify(m, pub, msg, b), CKR_OK);
    }
    Bytes bad = a;
    bad[bad.size() - 3] ^= 1;
    EXPECT_EQ(verify(m, pub, msg, bad), CKR_SIGNATURE_INVALID);
    bad = a;
    bad.pop_back();
    EXPECT_EQ(verify(m, pub, msg, bad), CKR_SIGNATURE_LEN_RANGE);
    CK_MECHANISM none{CKM_SLH_DSA, nullptr, 0};
    EXPECT_EQ(verify(none, pub, msg, a), CKR_SIGNATURE_INVALID) << "the context is bound";
  }
}

TEST_F(MechSlhDsa, MultiPartAndPreHashVariants) {
  CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
  ASSERT_EQ(gen(CKP_SLH_DSA_SHAKE_128F, pub, priv), CKR_OK);
  Bytes msg(300);
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::uint8_t>(i * 7);
  CK_SIGN_ADDITIONAL_CONTEXT det{CKH_DETERMINISTIC_REQUIRED, nullptr, 0};
  for (const char* name : {"SHA2-256", "SHA3-512", "SHAKE-128", "SHAKE-256"}) {
    SCOPED_TRACE(name);
    const Hash& h = hashes().at(name);
    CK_MECHANISM token{h.slh_dsa, &det, sizeof det};
    // Multi-part through the token hash.
    ASSERT_EQ(f->C_SignInit(rw_, &token, priv), CKR_OK);
    ASSERT_EQ(f->C_SignUpdate(rw_, msg.data(), 100), CKR_OK);
    ASSERT_EQ(f->C_SignUpdate(rw_, msg.data() + 100, 200), CKR_OK);
    Bytes multi(17088);
    CK_ULONG n = multi.size();
    ASSERT_EQ(f->C_SignFinal(rw_, multi.data(), &n), CKR_OK);
    Bytes ph = prehash(h, msg);
    CK_HASH_SIGN_ADDITIONAL_CONTEXT hp{CKH_DETERMINISTIC_REQUIRED, nullptr, 0, h.digest};
    CK_MECHANISM caller{CKM_HASH_SLH_DSA, &hp, sizeof hp};
    Bytes single;
    ASSERT_EQ(sign(caller, priv, ph, single), CKR_OK);
    EXPECT_EQ(single, multi);
    EXPECT_EQ(verify(token, pub, msg, single), CKR_OK);
    CK_MECHANISM pure{CKM_SLH_DSA, &det, sizeof det};
    EXPECT_EQ(verify(pure, pub, msg, single), CKR_SIGNATURE_INVALID);
  }
  // Pure multi-part equals single-part.
  CK_MECHANISM pure{CKM_SLH_DSA, &det, sizeof det};
  Bytes single;
  ASSERT_EQ(sign(pure, priv, msg, single), CKR_OK);
  ASSERT_EQ(f->C_SignInit(rw_, &pure, priv), CKR_OK);
  ASSERT_EQ(f->C_SignUpdate(rw_, msg.data(), 1), CKR_OK);
  ASSERT_EQ(f->C_SignUpdate(rw_, msg.data() + 1, msg.size() - 1), CKR_OK);
  Bytes multi(17088);
  CK_ULONG n = multi.size();
  ASSERT_EQ(f->C_SignFinal(rw_, multi.data(), &n), CKR_OK);
  EXPECT_EQ(multi, single);
  ASSERT_EQ(f->C_VerifyInit(rw_, &pure, pub), CKR_OK);
  ASSERT_EQ(f->C_VerifyUpdate(rw_, msg.data(), 150), CKR_OK);
  ASSERT_EQ(f->C_VerifyUpdate(rw_, msg.data() + 150, 150), CKR_OK);
  EXPECT_EQ(f->C_VerifyFinal(rw_, single.data(), single.size()), CKR_OK);
}

TEST_F(MechSlhDsa, ImportWrapAndRefusals) {
  CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
  ASSERT_EQ(gen(CKP_SLH_DSA_SHA2_128F, pub, priv, true), CKR_OK);
  const Bytes sk = attr(priv, CKA_VALUE);
  ASSERT_EQ(sk.size(), 64u);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(import_private(CKP_SLH_DSA_SHA2_128F, sk, h), CKR_OK);
  EXPECT_EQ(attr(h, CKA_PUBLIC_KEY_INFO), attr(pub, CKA_PUBLIC_KEY_INFO));
  Bytes bad_root = sk;
  bad_root.back() ^= 1;  // PK.root no longer the root of the hypertree
  EXPECT_EQ(import_private(CKP_SLH_DSA_SHA2_128F, bad_root, h), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(import_private(CKP_SLH_DSA_SHA2_192F, sk, h), CKR_ATTRIBUTE_VALUE_INVALID) << "wrong length for 192f";
  Template with_seed;
  with_seed.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_SLH_DSA).ulong(CKA_PARAMETER_SET, CKP_SLH_DSA_SHA2_128F)
      .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, sk).bytes(CKA_SEED, Bytes(32, 1));
  EXPECT_EQ(f->C_CreateObject(rw_, with_seed.data(), with_seed.size(), &h), CKR_ATTRIBUTE_TYPE_INVALID);
  CK_OBJECT_HANDLE p2 = CK_INVALID_HANDLE;
  EXPECT_EQ(gen(13, pub, p2), CKR_PARAMETER_SET_NOT_SUPPORTED);

  // Wrap as OneAsymmetricKey (RFC 9909: the raw key in privateKey) and unwrap.
  CK_MECHANISM kg{CKM_AES_KEY_GEN, nullptr, 0};
  Template kt;
  kt.ulong(CKA_VALUE_LEN, 32).boolean(CKA_TOKEN, false).boolean(CKA_WRAP, true).boolean(CKA_UNWRAP, true);
  CK_OBJECT_HANDLE kek = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_GenerateKey(rw_, &kg, kt.data(), kt.size(), &kek), CKR_OK);
  CK_MECHANISM wrap{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  Bytes wrapped(200);
  CK_ULONG n = wrapped.size();
  ASSERT_EQ(f->C_WrapKey(rw_, &wrap, kek, priv, wrapped.data(), &n), CKR_OK);
  EXPECT_EQ(n, 8u + 86u + 2u) << "30 54 | 02 01 00 | 30 0b 06 09 … | 04 40 sk, padded to 8 bytes plus the KWP block";
  Template ut;
  ut.ulong(CKA_CLASS, CKO_PRIVATE_KEY).boolean(CKA_TOKEN, false).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
  CK_OBJECT_HANDLE u = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, wrapped.data(), n, ut.data(), ut.size(), &u), CKR_OK);
  EXPECT_EQ(attr(u, CKA_VALUE), sk);
  EXPECT_EQ(attr_ulong(u, CKA_PARAMETER_SET), CKP_SLH_DSA_SHA2_128F);
}

TEST_F(MechSlhDsa, AcvpKeyGenFastSets) {
  const Json prompt = load("SLH-DSA-keyGen-FIPS205/prompt.json");
  const auto expected = results_by_id(load("SLH-DSA-keyGen-FIPS205/expectedResults.json"));
  int n = 0;
  for (const Json& g : prompt.value("testGroups", Json::array())) {
    const SlhSet& s = by_name(g.at("parameterSet"));
    if (!fast(s)) continue;
    for (const Json& t : g.at("tests")) {
      const int id = t.at("tcId");
      SCOPED_TRACE(id);
      CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
      ASSERT_EQ(import_private(s.set, field(expected.at(id), "sk"), h), CKR_OK);
      const Bytes pk = field(expected.at(id), "pk");
      const Bytes spki = attr(h, CKA_PUBLIC_KEY_INFO);
      ASSERT_GT(spki.size(), pk.size());
      EXPECT_TRUE(std::equal(pk.begin(), pk.end(), spki.end() - static_cast<std::ptrdiff_t>(pk.size())));
      EXPECT_EQ(f->C_DestroyObject(rw_, h), CKR_OK);
      ++n;
    }
  }
  EXPECT_EQ(n, 60);
}

// ACVP external pure signatures for SLH-DSA-SHA2-128s with expected values (the fastcrypto subset
// in ../shared/vectors; the main sigGen file has prompts only): three deterministic cases are
// re-signed through C_Sign, and every case's signature is checked through C_Verify.
TEST_F(MechSlhDsa, AcvpSha2_128sExternalPure) {
  const Json cases = load("SLH-DSA-supplementary/fastcrypto-acvp-SHA2-128s-subset/slh_dsa_sha2_128s_siggen_pure.json");
  int signed_n = 0, verified = 0;
  for (const Json& t : cases) {
    SCOPED_TRACE(t.at("tcId").dump());
    Bytes ctx = field(t, "context");
    Bytes msg = field(t, "message");
    const Bytes want = field(t, "signature");
    Template pt;
    pt.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_SLH_DSA).ulong(CKA_PARAMETER_SET, CKP_SLH_DSA_SHA2_128S)
        .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, field(t, "pk"));
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_CreateObject(rw_, pt.data(), pt.size(), &pub), CKR_OK);
    CK_SIGN_ADDITIONAL_CONTEXT p{CKH_DETERMINISTIC_REQUIRED, ctx.data(), ctx.size()};
    CK_MECHANISM m{CKM_SLH_DSA, &p, sizeof p};
    EXPECT_EQ(verify(m, pub, msg, want), CKR_OK);
    ++verified;
    const Json& det = t.at("deterministic");
    const bool deterministic = det.is_boolean() ? det.get<bool>() : det.get<std::string>() == "True";
    if (deterministic && signed_n < 3) {
      CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE;
      ASSERT_EQ(import_private(CKP_SLH_DSA_SHA2_128S, field(t, "sk"), priv), CKR_OK);
      Bytes sig;
      ASSERT_EQ(sign(m, priv, msg, sig), CKR_OK);
      EXPECT_EQ(sig, want);
      ++signed_n;
    }
  }
  EXPECT_EQ(verified, 14);
  EXPECT_EQ(signed_n, 3);
}

}  // namespace
}  // namespace craton::test
