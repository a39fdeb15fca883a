// ML-KEM and ML-DSA through the module API (PKCS#11 3.2): mechanism info, key-pair generation
// and its attributes, every signature variant (pure, caller pre-hash, token hash; hedged and
// deterministic; contexts), encapsulation into secret-key objects, key import in seed / expanded /
// both forms with the consistency checks, wrap/unwrap of private keys as OneAsymmetricKey, and the
// precise CKR_* of each refusal. Known-answer checks against NIST's ACVP files are in
// mech_pqc_acvp_test.cpp.
#include <array>
#include <cstring>
#include <string>

#include "acvp_util.h"
#include "pqc_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct DsaSet {
  CK_ULONG set;
  std::size_t pk, sk, sig;
  std::uint8_t oid_last;
};
constexpr DsaSet kDsaSets[] = {{CKP_ML_DSA_44, 1312, 2560, 2420, 0x11},
                               {CKP_ML_DSA_65, 1952, 4032, 3309, 0x12},
                               {CKP_ML_DSA_87, 2592, 4896, 4627, 0x13}};
struct KemSet {
  CK_ULONG set;
  std::size_t ek, dk, ct;
};
constexpr KemSet kKemSets[] = {{CKP_ML_KEM_512, 800, 1632, 768}, {CKP_ML_KEM_768, 1184, 2400, 1088}, {CKP_ML_KEM_1024, 1568, 3168, 1568}};

class MechPqc : public PqcTest {};

Bytes msg(const std::string& s) { return Bytes(s.begin(), s.end()); }

TEST_F(MechPqc, MechanismInfoUsesPublicKeyBytes) {
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_ML_DSA_KEY_PAIR_GEN, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 1312u);
  EXPECT_EQ(info.ulMaxKeySize, 2592u);
  EXPECT_EQ(info.flags & CKF_GENERATE_KEY_PAIR, CKF_GENERATE_KEY_PAIR);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_ML_DSA, &info), CKR_OK);
  EXPECT_EQ(info.flags & (CKF_SIGN | CKF_VERIFY), CKF_SIGN | CKF_VERIFY);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_ML_KEM, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 800u);
  EXPECT_EQ(info.ulMaxKeySize, 1568u);
  EXPECT_EQ(info.flags & (CKF_ENCAPSULATE | CKF_DECAPSULATE), CKF_ENCAPSULATE | CKF_DECAPSULATE);
  EXPECT_EQ(info.flags & CKF_SIGN, 0u);
  for (CK_MECHANISM_TYPE m : {CKM_HASH_ML_DSA, CKM_HASH_ML_DSA_SHA224, CKM_HASH_ML_DSA_SHA256, CKM_HASH_ML_DSA_SHA384,
                              CKM_HASH_ML_DSA_SHA512, CKM_HASH_ML_DSA_SHA3_224, CKM_HASH_ML_DSA_SHA3_256,
                              CKM_HASH_ML_DSA_SHA3_384, CKM_HASH_ML_DSA_SHA3_512, CKM_HASH_ML_DSA_SHAKE128,
                              CKM_HASH_ML_DSA_SHAKE256, CKM_ML_KEM_KEY_PAIR_GEN}) {
    EXPECT_EQ(f->C_GetMechanismInfo(slot_, m, &info), CKR_OK) << std::hex << m;
  }
}

TEST_F(MechPqc, MlDsaGenerateSignVerifyEverySet) {
  for (const DsaSet& s : kDsaSets) {
    SCOPED_TRACE(s.set);
    Pair p;
    ASSERT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, s.set, p), CKR_OK);
    EXPECT_EQ(attr_ulong(p.pub, CKA_KEY_TYPE), CKK_ML_DSA);
    EXPECT_EQ(attr_ulong(p.priv, CKA_PARAMETER_SET), s.set);
    EXPECT_EQ(attr(p.pub, CKA_VALUE).size(), s.pk);
    EXPECT_TRUE(attr_bool(p.priv, CKA_LOCAL));
    EXPECT_EQ(attr_ulong(p.priv, CKA_KEY_GEN_MECHANISM), CKM_ML_DSA_KEY_PAIR_GEN);
    // Sensitive private parts stay inside.
    for (CK_ATTRIBUTE_TYPE t : {CKA_VALUE, CKA_SEED}) {
      CK_ATTRIBUTE a{t, nullptr, 0};
      EXPECT_EQ(f->C_GetAttributeValue(rw_, p.priv, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
    }
    // SubjectPublicKeyInfo with the NIST OID 2.16.840.1.101.3.4.3.<17|18|19> and the raw key.
    const Bytes spki = attr(p.pub, CKA_PUBLIC_KEY_INFO);
    const Bytes oid = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, s.oid_last};
    ASSERT_GT(spki.size(), s.pk);
    EXPECT_TRUE(std::search(spki.begin(), spki.end(), oid.begin(), oid.end()) != spki.end());
    const Bytes pk = attr(p.pub, CKA_VALUE);
    EXPECT_TRUE(std::equal(pk.begin(), pk.end(), spki.end() - static_cast<std::ptrdiff_t>(pk.size())));
    EXPECT_EQ(attr(p.priv, CKA_PUBLIC_KEY_INFO), spki);

    const Bytes m = msg("post-quantum message");
    CK_MECHANISM mech{CKM_ML_DSA, nullptr, 0};
    Bytes sig;
    ASSERT_EQ(sign(mech, p.priv, m, sig), CKR_OK);
    EXPECT_EQ(sig.size(), s.sig);
    EXPECT_EQ(verify(mech, p.pub, m, sig), CKR_OK);
    Bytes other = m;
    other[0] ^= 1;
    EXPECT_EQ(verify(mech, p.pub, other, sig), CKR_SIGNATURE_INVALID);
    Bytes bad = sig;
    bad[sig.size() / 2] ^= 0x10;
    EXPECT_EQ(verify(mech, p.pub, m, bad), CKR_SIGNATURE_INVALID);
    bad = sig;
    bad.pop_back();
    EXPECT_EQ(verify(mech, p.pub, m, bad), CKR_SIGNATURE_LEN_RANGE);
  }
}

TEST_F(MechPqc, MlDsaHedgingAndContext) {
  Pair p;
  ASSERT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44, p), CKR_OK);
  const Bytes m = msg("hedge me");
  Bytes ctx = msg("application context");
  CK_SIGN_ADDITIONAL_CONTEXT det{CKH_DETERMINISTIC_REQUIRED, ctx.data(), ctx.size()};
  CK_MECHANISM mdet{CKM_ML_DSA, &det, sizeof det};
  Bytes a, b, c;
  ASSERT_EQ(sign(mdet, p.priv, m, a), CKR_OK);
  ASSERT_EQ(sign(mdet, p.priv, m, b), CKR_OK);
  EXPECT_EQ(a, b) << "deterministic signatures repeat";
  ASSERT_EQ(sign_multi(mdet, p.priv, m, c), CKR_OK);
  EXPECT_EQ(a, c) << "multi-part equals single-part";
  EXPECT_EQ(verify(mdet, p.pub, m, a), CKR_OK);

  CK_SIGN_ADDITIONAL_CONTEXT hedged{CKH_HEDGE_REQUIRED, ctx.data(), ctx.size()};
  CK_MECHANISM mh{CKM_ML_DSA, &hedged, sizeof hedged};
  Bytes h1, h2;
  ASSERT_EQ(sign(mh, p.priv, m, h1), CKR_OK);
  ASSERT_EQ(sign(mh, p.priv, m, h2), CKR_OK);
  EXPECT_NE(h1, h2) << "hedged signatures use fresh randomness";
  EXPECT_EQ(verify(mh, p.pub, m, h1), CKR_OK);
  EXPECT_EQ(verify(mdet, p.pub, m, h2), CKR_OK) << "the hedge choice does not matter to verification";

  // The context is bound: another context, or none, does not verify.
  Bytes other_ctx = msg("another context");
  CK_SIGN_ADDITIONAL_CONTEXT wrong{CKH_HEDGE_PREFERRED, other_ctx.data(), other_ctx.size()};
  CK_MECHANISM mw{CKM_ML_DSA, &wrong, sizeof wrong};
  EXPECT_EQ(verify(mw, p.pub, m, a), CKR_SIGNATURE_INVALID);
  CK_MECHANISM plain{CKM_ML_DSA, nullptr, 0};
  EXPECT_EQ(verify(plain, p.pub, m, a), CKR_SIGNATURE_INVALID);

  // 255 bytes is the longest context; 256 is refused at Init.
  Bytes ctx255(255, 0x5a);
  CK_SIGN_ADDITIONAL_CONTEXT c255{CKH_HEDGE_PREFERRED, ctx255.data(), ctx255.size()};
  CK_MECHANISM m255{CKM_ML_DSA, &c255, sizeof c255};
  Bytes s255;
  EXPECT_EQ(sign(m255, p.priv, m, s255), CKR_OK);
  EXPECT_EQ(verify(m255, p.pub, m, s255), CKR_OK);
  Bytes ctx256(256, 0x5a);
  CK_SIGN_ADDITIONAL_CONTEXT c256{CKH_HEDGE_PREFERRED, ctx256.data(), ctx256.size()};
  CK_MECHANISM m256{CKM_ML_DSA, &c256, sizeof c256};
  EXPECT_EQ(f->C_SignInit(rw_, &m256, p.priv), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(f->C_VerifyInit(rw_, &m256, p.pub), CKR_MECHANISM_PARAM_INVALID);

  CK_SIGN_ADDITIONAL_CONTEXT bad_hedge{7, nullptr, 0};
  CK_MECHANISM mb{CKM_ML_DSA, &bad_hedge, sizeof bad_hedge};
  EXPECT_EQ(f->C_SignInit(rw_, &mb, p.priv), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM short_param{CKM_ML_DSA, &det, sizeof det - 1};
  EXPECT_EQ(f->C_SignInit(rw_, &short_param, p.priv), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechPqc, HashMlDsaTokenHashMatchesCallerPreHash) {
  Pair p;
  ASSERT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_65, p), CKR_OK);
  const Bytes m = msg("a message long enough to be streamed in several parts by the multi-part call");
  Bytes ctx = msg("ctx");
  // Every pre-hash with an ML-DSA token-hash mechanism (all but SHA-512/224 and SHA-512/256).
  int n = 0;
  for (const auto& [name, c] : acvp::hashes()) {
    if (c.ml_dsa == 0) continue;
    SCOPED_TRACE(name);
    ++n;
    CK_SIGN_ADDITIONAL_CONTEXT det{CKH_DETERMINISTIC_REQUIRED, ctx.data(), ctx.size()};
    CK_MECHANISM token{c.ml_dsa, &det, sizeof det};
    Bytes by_token, multi;
    ASSERT_EQ(sign(token, p.priv, m, by_token), CKR_OK);
    ASSERT_EQ(sign_multi(token, p.priv, m, multi), CKR_OK);
    EXPECT_EQ(by_token, multi);
    EXPECT_EQ(verify(token, p.pub, m, by_token), CKR_OK);

    // The same signature through CKM_HASH_ML_DSA with the digest computed outside the token.
    const Bytes ph = acvp::prehash(c, m);
    CK_HASH_SIGN_ADDITIONAL_CONTEXT hdet{CKH_DETERMINISTIC_REQUIRED, ctx.data(), ctx.size(), c.digest};
    CK_MECHANISM caller{CKM_HASH_ML_DSA, &hdet, sizeof hdet};
    Bytes by_caller;
    ASSERT_EQ(sign(caller, p.priv, ph, by_caller), CKR_OK);
    EXPECT_EQ(by_caller, by_token);
    EXPECT_EQ(verify(caller, p.pub, ph, by_token), CKR_OK);
    Bytes short_ph(ph.begin(), ph.end() - 1);
    EXPECT_EQ(sign(caller, p.priv, short_ph, by_caller), CKR_DATA_LEN_RANGE);

    // Domain separation: a pre-hash signature is not a pure one.
    CK_MECHANISM pure{CKM_ML_DSA, &det, sizeof det};
    EXPECT_EQ(verify(pure, p.pub, m, by_token), CKR_SIGNATURE_INVALID);
  }
  EXPECT_EQ(n, 10);
  // CKM_HASH_ML_DSA needs its parameter, with a FIPS 204 pre-hash.
  CK_MECHANISM none{CKM_HASH_ML_DSA, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &none, p.priv), CKR_MECHANISM_PARAM_INVALID);
  CK_HASH_SIGN_ADDITIONAL_CONTEXT md5{CKH_HEDGE_PREFERRED, nullptr, 0, CKM_MD5};
  CK_MECHANISM bad{CKM_HASH_ML_DSA, &md5, sizeof md5};
  EXPECT_EQ(f->C_SignInit(rw_, &bad, p.priv), CKR_MECHANISM_PARAM_INVALID);
  CK_HASH_SIGN_ADDITIONAL_CONTEXT sha1{CKH_HEDGE_PREFERRED, nullptr, 0, CKM_SHA_1};
  CK_MECHANISM bad1{CKM_HASH_ML_DSA, &sha1, sizeof sha1};
  EXPECT_EQ(f->C_VerifyInit(rw_, &bad1, p.pub), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechPqc, KeyPairGenerationRefusals) {
  Pair p;
  EXPECT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, 4, p), CKR_PARAMETER_SET_NOT_SUPPORTED);
  EXPECT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, 0, p), CKR_PARAMETER_SET_NOT_SUPPORTED);
  CK_MECHANISM m{CKM_ML_DSA_KEY_PAIR_GEN, nullptr, 0};
  Template empty_pub;
  empty_pub.boolean(CKA_TOKEN, false);
  Template priv;
  priv.boolean(CKA_TOKEN, false);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &m, empty_pub.data(), empty_pub.size(), priv.data(), priv.size(), &p.pub, &p.priv),
            CKR_TEMPLATE_INCOMPLETE);
  Template pub44;
  pub44.ulong(CKA_PARAMETER_SET, CKP_ML_DSA_44);
  Template priv65;
  priv65.ulong(CKA_PARAMETER_SET, CKP_ML_DSA_65);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &m, pub44.data(), pub44.size(), priv65.data(), priv65.size(), &p.pub, &p.priv),
            CKR_TEMPLATE_INCONSISTENT);
  // A template may not supply the key material.
  Bytes junk(1312, 1);
  Template pubv;
  pubv.ulong(CKA_PARAMETER_SET, CKP_ML_DSA_44).bytes(CKA_VALUE, junk);
  EXPECT_NE(f->C_GenerateKeyPair(rw_, &m, pubv.data(), pubv.size(), priv.data(), priv.size(), &p.pub, &p.priv), CKR_OK);
  CK_MECHANISM param{CKM_ML_DSA_KEY_PAIR_GEN, junk.data(), 4};
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &param, pub44.data(), pub44.size(), priv.data(), priv.size(), &p.pub, &p.priv),
            CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechPqc, WrongKeysAreRefused) {
  Pair dsa, kem;
  ASSERT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44, dsa), CKR_OK);
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512, kem), CKR_OK);
  CK_MECHANISM mdsa{CKM_ML_DSA, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &mdsa, kem.priv), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_SignInit(rw_, &mdsa, dsa.pub), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_VerifyInit(rw_, &mdsa, dsa.priv), CKR_KEY_TYPE_INCONSISTENT);
  CK_MECHANISM mkem{CKM_ML_KEM, nullptr, 0};
  Template t = secret_template();
  CK_ULONG n = 0;
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &mkem, dsa.pub, t.data(), t.size(), nullptr, &n, &h), CKR_KEY_TYPE_INCONSISTENT);
  // ML-KEM keys do not sign; ML-KEM takes no parameter.
  CK_MECHANISM mkem_param{CKM_ML_KEM, &n, sizeof n};
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &mkem_param, kem.pub, t.data(), t.size(), nullptr, &n, &h), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(f->C_SignInit(rw_, &mkem, kem.priv), CKR_MECHANISM_INVALID);
}

TEST_F(MechPqc, MlKemEncapsulateDecapsulateEverySet) {
  for (const KemSet& s : kKemSets) {
    SCOPED_TRACE(s.set);
    Pair p;
    ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, s.set, p), CKR_OK);
    EXPECT_EQ(attr(p.pub, CKA_VALUE).size(), s.ek);
    EXPECT_TRUE(attr_bool(p.pub, CKA_ENCAPSULATE));
    EXPECT_TRUE(attr_bool(p.priv, CKA_DECAPSULATE));
    CK_MECHANISM m{CKM_ML_KEM, nullptr, 0};
    Template t = secret_template();
    CK_ULONG n = 0;
    CK_OBJECT_HANDLE enc_key = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, t.data(), t.size(), nullptr, &n, &enc_key), CKR_OK);
    EXPECT_EQ(n, s.ct);
    Bytes ct(n);
    CK_ULONG small = n - 1;
    EXPECT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, t.data(), t.size(), ct.data(), &small, &enc_key), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(small, s.ct);
    ASSERT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, t.data(), t.size(), ct.data(), &n, &enc_key), CKR_OK);
    const Bytes k1 = attr(enc_key, CKA_VALUE);
    EXPECT_EQ(k1.size(), 32u);
    EXPECT_EQ(attr_ulong(enc_key, CKA_VALUE_LEN), 32u);

    CK_OBJECT_HANDLE dec_key = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_DecapsulateKey(rw_, &m, p.priv, t.data(), t.size(), ct.data(), ct.size(), &dec_key), CKR_OK);
    EXPECT_EQ(attr(dec_key, CKA_VALUE), k1);

    // A modified ciphertext decapsulates to the implicit-rejection key: no error, another secret.
    Bytes bad = ct;
    bad[5] ^= 1;
    CK_OBJECT_HANDLE rej = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_DecapsulateKey(rw_, &m, p.priv, t.data(), t.size(), bad.data(), bad.size(), &rej), CKR_OK);
    EXPECT_NE(attr(rej, CKA_VALUE), k1);
    // A truncated or extended one is refused.
    EXPECT_EQ(f->C_DecapsulateKey(rw_, &m, p.priv, t.data(), t.size(), ct.data(), ct.size() - 1, &rej),
              CKR_ENCRYPTED_DATA_LEN_RANGE);
    bad = ct;
    bad.push_back(0);
    EXPECT_EQ(f->C_DecapsulateKey(rw_, &m, p.priv, t.data(), t.size(), bad.data(), bad.size(), &rej),
              CKR_ENCRYPTED_DATA_LEN_RANGE);
  }
}

// Each key object's prepared form (checked and expanded on first use, then cached with the
// object) belongs to that object alone: with two pairs used in turn, every ciphertext opens to its
// own secret under its own private key, to the implicit-rejection key under the other one, and the
// same under a fresh import of the same dk (a new object, prepared anew).
TEST_F(MechPqc, MlKemKeysUsedInTurnStayApart) {
  Pair a, b;
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, a, true), CKR_OK);
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, b, true), CKR_OK);
  Template imported;
  imported.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_ML_KEM).ulong(CKA_PARAMETER_SET, CKP_ML_KEM_768)
      .boolean(CKA_TOKEN, false).boolean(CKA_DECAPSULATE, true).bytes(CKA_VALUE, attr(a.priv, CKA_VALUE));
  CK_OBJECT_HANDLE a_copy = CK_INVALID_HANDLE;
  ASSERT_EQ(create(imported, a_copy), CKR_OK);
  CK_MECHANISM m{CKM_ML_KEM, nullptr, 0};
  Template t = secret_template();
  for (int round = 0; round < 3; ++round) {
    for (const Pair* own : {&a, &b}) {
      const Pair& other = own == &a ? b : a;
      Bytes ct(1088);
      CK_ULONG n = ct.size();
      CK_OBJECT_HANDLE sent = CK_INVALID_HANDLE, got = CK_INVALID_HANDLE, wrong = CK_INVALID_HANDLE;
      ASSERT_EQ(f->C_EncapsulateKey(rw_, &m, own->pub, t.data(), t.size(), ct.data(), &n, &sent), CKR_OK);
      ASSERT_EQ(f->C_DecapsulateKey(rw_, &m, own->priv, t.data(), t.size(), ct.data(), n, &got), CKR_OK);
      ASSERT_EQ(f->C_DecapsulateKey(rw_, &m, other.priv, t.data(), t.size(), ct.data(), n, &wrong), CKR_OK);
      const Bytes secret = attr(sent, CKA_VALUE);
      EXPECT_EQ(attr(got, CKA_VALUE), secret) << "round " << round;
      EXPECT_NE(attr(wrong, CKA_VALUE), secret) << "round " << round;
      if (own == &a) {
        CK_OBJECT_HANDLE via_copy = CK_INVALID_HANDLE;
        ASSERT_EQ(f->C_DecapsulateKey(rw_, &m, a_copy, t.data(), t.size(), ct.data(), n, &via_copy), CKR_OK);
        EXPECT_EQ(attr(via_copy, CKA_VALUE), secret) << "round " << round;
      }
    }
  }
}

TEST_F(MechPqc, MlKemSharedSecretTemplates) {
  Pair p;
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_768, p), CKR_OK);
  CK_MECHANISM m{CKM_ML_KEM, nullptr, 0};
  // An AES-256 key made from the shared secret encrypts on one side and decrypts on the other.
  Template aes;
  aes.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_TOKEN, false)
      .boolean(CKA_ENCRYPT, true).boolean(CKA_DECRYPT, true);
  Bytes ct(1088);
  CK_ULONG n = ct.size();
  CK_OBJECT_HANDLE a = CK_INVALID_HANDLE, b = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, aes.data(), aes.size(), ct.data(), &n, &a), CKR_OK);
  ASSERT_EQ(f->C_DecapsulateKey(rw_, &m, p.priv, aes.data(), aes.size(), ct.data(), n, &b), CKR_OK);
  EXPECT_EQ(attr_ulong(a, CKA_KEY_TYPE), CKK_AES);
  Bytes iv(16, 3), plain(32, 0x42), enc(64), dec(64);
  CK_MECHANISM cbc{CKM_AES_CBC_PAD, iv.data(), iv.size()};
  CK_ULONG en = enc.size(), dn = dec.size();
  ASSERT_EQ(f->C_EncryptInit(rw_, &cbc, a), CKR_OK);
  ASSERT_EQ(f->C_Encrypt(rw_, plain.data(), plain.size(), enc.data(), &en), CKR_OK);
  ASSERT_EQ(f->C_DecryptInit(rw_, &cbc, b), CKR_OK);
  ASSERT_EQ(f->C_Decrypt(rw_, enc.data(), en, dec.data(), &dn), CKR_OK);
  dec.resize(dn);
  EXPECT_EQ(dec, plain);
  // A shared secret cannot become a public key; usage flags are enforced.
  Template wrong;
  wrong.ulong(CKA_CLASS, CKO_PUBLIC_KEY).boolean(CKA_TOKEN, false);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  n = ct.size();
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, wrong.data(), wrong.size(), ct.data(), &n, &h), CKR_TEMPLATE_INCONSISTENT);
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE off{CKA_ENCAPSULATE, &no, sizeof no};
  ASSERT_EQ(f->C_SetAttributeValue(rw_, p.pub, &off, 1), CKR_OK);
  Template t = secret_template();
  n = ct.size();
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, t.data(), t.size(), ct.data(), &n, &h), CKR_KEY_FUNCTION_NOT_PERMITTED);
}

TEST_F(MechPqc, ImportSeedExpandedOrBoth) {
  // A generated, extractable key gives us a consistent (seed, value, public) triple.
  Pair p;
  ASSERT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_44, p, true), CKR_OK);
  const Bytes seed = attr(p.priv, CKA_SEED);
  const Bytes value = attr(p.priv, CKA_VALUE);
  const Bytes pub = attr(p.pub, CKA_VALUE);
  ASSERT_EQ(seed.size(), 32u);
  ASSERT_EQ(value.size(), 2560u);
  auto priv_tmpl = [&](const Bytes* s, const Bytes* v) {
    Template t;
    t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_ML_DSA).ulong(CKA_PARAMETER_SET, CKP_ML_DSA_44)
        .boolean(CKA_TOKEN, false).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    if (s != nullptr) t.bytes(CKA_SEED, *s);
    if (v != nullptr) t.bytes(CKA_VALUE, *v);
    return t;
  };
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  {
    Template t = priv_tmpl(&seed, nullptr);
    ASSERT_EQ(create(t, h), CKR_OK);
    EXPECT_EQ(attr(h, CKA_VALUE), value) << "the seed is expanded on import";
    EXPECT_EQ(attr(h, CKA_PUBLIC_KEY_INFO), attr(p.pub, CKA_PUBLIC_KEY_INFO));
    EXPECT_FALSE(attr_bool(h, CKA_LOCAL));
  }
  {
    Template t = priv_tmpl(nullptr, &value);
    ASSERT_EQ(create(t, h), CKR_OK);
    EXPECT_EQ(attr(h, CKA_PUBLIC_KEY_INFO), attr(p.pub, CKA_PUBLIC_KEY_INFO)) << "the public key is recomputed";
    // The imported key signs, the generated public key verifies.
    CK_MECHANISM m{CKM_ML_DSA, nullptr, 0};
    Bytes sig;
    ASSERT_EQ(sign(m, h, msg("x"), sig), CKR_OK);
    EXPECT_EQ(verify(m, p.pub, msg("x"), sig), CKR_OK);
  }
  {
    Template t = priv_tmpl(&seed, &value);
    EXPECT_EQ(create(t, h), CKR_OK);
  }
  Bytes other_seed = seed;
  other_seed[0] ^= 1;
  {
    Template t = priv_tmpl(&other_seed, &value);
    EXPECT_EQ(create(t, h), CKR_TEMPLATE_INCONSISTENT);
  }
  Bytes broken = value;
  broken[2000] ^= 0x40;  // inside t0: no longer A·s1 + s2
  {
    Template t = priv_tmpl(nullptr, &broken);
    EXPECT_EQ(create(t, h), CKR_ATTRIBUTE_VALUE_INVALID);
  }
  Bytes short_seed(seed.begin(), seed.end() - 1);
  {
    Template t = priv_tmpl(&short_seed, nullptr);
    EXPECT_EQ(create(t, h), CKR_ATTRIBUTE_VALUE_INVALID);
  }
  Bytes short_value(value.begin(), value.end() - 1);
  {
    Template t = priv_tmpl(nullptr, &short_value);
    EXPECT_EQ(create(t, h), CKR_ATTRIBUTE_VALUE_INVALID);
  }
  {
    Template t = priv_tmpl(nullptr, nullptr);
    EXPECT_EQ(create(t, h), CKR_TEMPLATE_INCOMPLETE);
  }
  // Public keys: the right length for the set; an unknown set is refused.
  Template pt;
  pt.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_ML_DSA).ulong(CKA_PARAMETER_SET, CKP_ML_DSA_44)
      .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, pub);
  ASSERT_EQ(create(pt, h), CKR_OK);
  EXPECT_EQ(attr(h, CKA_PUBLIC_KEY_INFO), attr(p.pub, CKA_PUBLIC_KEY_INFO));
  Template pt65;
  pt65.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_ML_DSA).ulong(CKA_PARAMETER_SET, CKP_ML_DSA_65)
      .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, pub);
  EXPECT_EQ(create(pt65, h), CKR_ATTRIBUTE_VALUE_INVALID);
  Template pt9;
  pt9.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_ML_DSA).ulong(CKA_PARAMETER_SET, 9)
      .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, pub);
  EXPECT_EQ(create(pt9, h), CKR_PARAMETER_SET_NOT_SUPPORTED);
  Template no_set;
  no_set.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_ML_DSA).boolean(CKA_TOKEN, false).bytes(CKA_VALUE, pub);
  EXPECT_EQ(create(no_set, h), CKR_TEMPLATE_INCOMPLETE);
}

TEST_F(MechPqc, MlKemImportChecks) {
  Pair p;
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512, p, true), CKR_OK);
  const Bytes seed = attr(p.priv, CKA_SEED);
  const Bytes dk = attr(p.priv, CKA_VALUE);
  Bytes ek = attr(p.pub, CKA_VALUE);
  ASSERT_EQ(seed.size(), 64u);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  Template from_seed;
  from_seed.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_ML_KEM).ulong(CKA_PARAMETER_SET, CKP_ML_KEM_512)
      .boolean(CKA_TOKEN, false).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true).bytes(CKA_SEED, seed);
  ASSERT_EQ(create(from_seed, h), CKR_OK);
  EXPECT_EQ(attr(h, CKA_VALUE), dk);
  // dk = dk_PKE || ek || H(ek) || z: a changed ek breaks the FIPS 203 §7.3 hash check.
  Bytes bad_dk = dk;
  bad_dk[768 + 10] ^= 1;
  Template t;
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_ML_KEM).ulong(CKA_PARAMETER_SET, CKP_ML_KEM_512)
      .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, bad_dk);
  EXPECT_EQ(create(t, h), CKR_ATTRIBUTE_VALUE_INVALID);
  // An encapsulation key with a coefficient ≥ q fails the §7.2 modulus check: 0xFFF in the first 12 bits.
  ek[0] = 0xFF;
  ek[1] |= 0x0F;
  Template pt;
  pt.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_ML_KEM).ulong(CKA_PARAMETER_SET, CKP_ML_KEM_512)
      .boolean(CKA_TOKEN, false).bytes(CKA_VALUE, ek);
  EXPECT_EQ(create(pt, h), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_F(MechPqc, WrapAndUnwrapPrivateKeys) {
  const CK_OBJECT_HANDLE kek = aes_key();
  for (CK_MECHANISM_TYPE gen : {CKM_ML_DSA_KEY_PAIR_GEN, CKM_ML_KEM_KEY_PAIR_GEN}) {
    SCOPED_TRACE(gen);
    Pair p;
    ASSERT_EQ(gen_pair(gen, gen == CKM_ML_DSA_KEY_PAIR_GEN ? CKP_ML_DSA_87 : CKP_ML_KEM_1024, p, true), CKR_OK);
    CK_MECHANISM wrap{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_WrapKey(rw_, &wrap, kek, p.priv, nullptr, &n), CKR_OK);
    Bytes wrapped(n);
    ASSERT_EQ(f->C_WrapKey(rw_, &wrap, kek, p.priv, wrapped.data(), &n), CKR_OK);
    wrapped.resize(n);

    // The plaintext is a OneAsymmetricKey carrying both the seed and the expanded key.
    CK_MECHANISM dec{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
    ASSERT_EQ(f->C_DecryptInit(rw_, &dec, kek), CKR_OK);
    Bytes der(wrapped.size());
    CK_ULONG dn = der.size();
    ASSERT_EQ(f->C_Decrypt(rw_, wrapped.data(), wrapped.size(), der.data(), &dn), CKR_OK);
    der.resize(dn);
    const Bytes seed = attr(p.priv, CKA_SEED);
    const Bytes value = attr(p.priv, CKA_VALUE);
    ASSERT_GT(der.size(), 30u);
    EXPECT_EQ(der[0], 0x30);
    EXPECT_TRUE(std::search(der.begin(), der.end(), seed.begin(), seed.end()) != der.end());
    EXPECT_TRUE(std::search(der.begin(), der.end(), value.begin(), value.end()) != der.end());

    Template ut;
    ut.ulong(CKA_CLASS, CKO_PRIVATE_KEY).boolean(CKA_TOKEN, false).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    CK_OBJECT_HANDLE u = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, wrapped.data(), wrapped.size(), ut.data(), ut.size(), &u), CKR_OK);
    EXPECT_EQ(attr(u, CKA_VALUE), value);
    EXPECT_EQ(attr(u, CKA_SEED), seed);
    EXPECT_EQ(attr_ulong(u, CKA_KEY_TYPE), gen == CKM_ML_DSA_KEY_PAIR_GEN ? CKK_ML_DSA : CKK_ML_KEM);

    // A blob whose seed and expanded key disagree is refused like a C_CreateObject would be.
    Bytes tampered = der;
    const auto at = std::search(tampered.begin(), tampered.end(), seed.begin(), seed.end());
    *at ^= 1;
    CK_MECHANISM enc{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
    ASSERT_EQ(f->C_EncryptInit(rw_, &enc, kek), CKR_OK);
    Bytes rewrapped(tampered.size() + 16);
    CK_ULONG rn = rewrapped.size();
    ASSERT_EQ(f->C_Encrypt(rw_, tampered.data(), tampered.size(), rewrapped.data(), &rn), CKR_OK);
    EXPECT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, rewrapped.data(), rn, ut.data(), ut.size(), &u), CKR_TEMPLATE_INCONSISTENT);
    // A truncated structure is not a key.
    Bytes cut(der.begin(), der.end() - 3);
    ASSERT_EQ(f->C_EncryptInit(rw_, &enc, kek), CKR_OK);
    rn = rewrapped.size();
    ASSERT_EQ(f->C_Encrypt(rw_, cut.data(), cut.size(), rewrapped.data(), &rn), CKR_OK);
    EXPECT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, rewrapped.data(), rn, ut.data(), ut.size(), &u), CKR_WRAPPED_KEY_INVALID);
  }
}

}  // namespace
}  // namespace craton::test
