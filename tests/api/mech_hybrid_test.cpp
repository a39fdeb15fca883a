// Craton's hybrid vendor mechanisms through the module API (craton_vendor.h, docs/HYBRIDS.md §4):
// composite ML-DSA + ECDSA signatures (CKM_CRATON_COMP_SIG, CKM_CRATON_COMP_SIG_EXTERNAL_HASH) and
// the X-Wing KEM (CKM_CRATON_XWING): mechanism info, key-pair generation and its attributes,
// single- and multi-part signatures with contexts, external hashing, the refusals and their CKR_*
// codes, the drafts' own vectors imported with C_CreateObject, import consistency checks and
// wrap/unwrap of private keys as OneAsymmetricKey.
#include <openssl/evp.h>

#include <algorithm>
#include <string>

#include "hybrid_draft_vectors.h"
#include "pqc_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
namespace hv = hybrid_draft_vectors;

struct CompSet {
  CK_ULONG set;
  std::size_t pk, sk, min_sig, max_sig, ml_pk;
  Bytes oid_der;
};
const CompSet kCompSets[] = {
    {CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512, 2017, 83, 3317, 3381, 1952,
     {0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x06, 0x2D}},
    {CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512, 2689, 96, 4635, 4731, 2592,
     {0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x06, 0x31}},
};
const Bytes kXWingOid = {0x06, 0x0B, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xE6, 0x2D, 0x81, 0xC8, 0x7A};

Bytes msg(const std::string& s) { return Bytes(s.begin(), s.end()); }
bool ends_with(const Bytes& hay, const Bytes& tail) {
  return hay.size() >= tail.size() && std::equal(tail.begin(), tail.end(), hay.end() - static_cast<std::ptrdiff_t>(tail.size()));
}
Bytes sha512(const Bytes& m) {
  Bytes out(64);
  unsigned int n = 0;
  EVP_Digest(m.data(), m.size(), out.data(), &n, EVP_sha512(), nullptr);
  return out;
}
// DER SubjectPublicKeyInfo with an absent-parameters AlgorithmIdentifier, written out by hand.
Bytes spki(const Bytes& oid, const Bytes& pk) {
  auto hdr = [](std::uint8_t tag, std::size_t len) {
    if (len < 0x80) return Bytes{tag, static_cast<std::uint8_t>(len)};
    if (len < 0x100) return Bytes{tag, 0x81, static_cast<std::uint8_t>(len)};
    return Bytes{tag, 0x82, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)};
  };
  Bytes alg = hdr(0x30, oid.size());
  alg.insert(alg.end(), oid.begin(), oid.end());
  Bytes bits = hdr(0x03, pk.size() + 1);
  bits.push_back(0);
  bits.insert(bits.end(), pk.begin(), pk.end());
  Bytes out = hdr(0x30, alg.size() + bits.size());
  out.insert(out.end(), alg.begin(), alg.end());
  out.insert(out.end(), bits.begin(), bits.end());
  return out;
}

class MechHybrid : public PqcTest {
 protected:
  // Encapsulates to `pub`; returns the ciphertext and the secret key's value.
  CK_RV encapsulate(CK_OBJECT_HANDLE pub, Bytes& ct, Bytes& secret) {
    CK_MECHANISM m{CKM_CRATON_XWING, nullptr, 0};
    Template t = secret_template();
    CK_ULONG n = 0;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = f->C_EncapsulateKey(rw_, &m, pub, t.data(), t.size(), nullptr, &n, &h);
    if (rv != CKR_OK) return rv;
    ct.resize(n);
    rv = f->C_EncapsulateKey(rw_, &m, pub, t.data(), t.size(), ct.data(), &n, &h);
    if (rv == CKR_OK) secret = attr(h, CKA_VALUE);
    return rv;
  }
  CK_RV decapsulate(CK_OBJECT_HANDLE priv, const Bytes& ct, Bytes& secret) {
    CK_MECHANISM m{CKM_CRATON_XWING, nullptr, 0};
    Template t = secret_template();
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    const CK_RV rv = f->C_DecapsulateKey(rw_, &m, priv, t.data(), t.size(), const_cast<CK_BYTE*>(ct.data()), ct.size(), &h);
    if (rv == CKR_OK) secret = attr(h, CKA_VALUE);
    return rv;
  }
  Bytes kwp(bool encrypt, CK_OBJECT_HANDLE kek, const Bytes& in) {
    CK_MECHANISM m{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
    EXPECT_EQ(encrypt ? f->C_EncryptInit(rw_, &m, kek) : f->C_DecryptInit(rw_, &m, kek), CKR_OK);
    Bytes out(in.size() + 16);
    CK_ULONG n = out.size();
    const CK_RV rv = encrypt ? f->C_Encrypt(rw_, const_cast<CK_BYTE*>(in.data()), in.size(), out.data(), &n)
                             : f->C_Decrypt(rw_, const_cast<CK_BYTE*>(in.data()), in.size(), out.data(), &n);
    EXPECT_EQ(rv, CKR_OK);
    out.resize(n);
    return out;
  }
};

TEST_F(MechHybrid, MechanismInfo) {
  CK_MECHANISM_INFO info{};
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 2017u);
  EXPECT_EQ(info.ulMaxKeySize, 2689u);
  EXPECT_EQ(info.flags, CKF_GENERATE_KEY_PAIR);
  for (CK_MECHANISM_TYPE m : {CKM_CRATON_COMP_SIG, CKM_CRATON_COMP_SIG_EXTERNAL_HASH}) {
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, m, &info), CKR_OK);
    EXPECT_EQ(info.ulMinKeySize, 2017u);
    EXPECT_EQ(info.ulMaxKeySize, 2689u);
    EXPECT_EQ(info.flags, CKF_SIGN | CKF_VERIFY);
  }
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_CRATON_XWING_KEY_PAIR_GEN, &info), CKR_OK);
  EXPECT_EQ(info.flags, CKF_GENERATE_KEY_PAIR);
  ASSERT_EQ(f->C_GetMechanismInfo(slot_, CKM_CRATON_XWING, &info), CKR_OK);
  EXPECT_EQ(info.ulMinKeySize, 1216u);
  EXPECT_EQ(info.ulMaxKeySize, 1216u);
  EXPECT_EQ(info.flags, CKF_ENCAPSULATE | CKF_DECAPSULATE);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_GetMechanismList(slot_, nullptr, &n), CKR_OK);
  std::vector<CK_MECHANISM_TYPE> list(n);
  ASSERT_EQ(f->C_GetMechanismList(slot_, list.data(), &n), CKR_OK);
  for (CK_MECHANISM_TYPE m : {CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, CKM_CRATON_COMP_SIG, CKM_CRATON_COMP_SIG_EXTERNAL_HASH,
                              CKM_CRATON_XWING_KEY_PAIR_GEN, CKM_CRATON_XWING}) {
    EXPECT_NE(std::find(list.begin(), list.end(), m), list.end()) << std::hex << m;
  }
}

TEST_F(MechHybrid, CompositeGenerateSignVerifyEverySet) {
  for (const CompSet& s : kCompSets) {
    SCOPED_TRACE(s.set);
    Pair p;
    ASSERT_EQ(gen_pair(CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, s.set, p), CKR_OK);
    EXPECT_EQ(attr_ulong(p.pub, CKA_KEY_TYPE), CKK_CRATON_COMP_SIG);
    EXPECT_EQ(attr_ulong(p.priv, CKA_KEY_TYPE), CKK_CRATON_COMP_SIG);
    EXPECT_EQ(attr_ulong(p.priv, CKA_PARAMETER_SET), s.set);
    EXPECT_TRUE(attr_bool(p.priv, CKA_LOCAL));
    EXPECT_EQ(attr_ulong(p.priv, CKA_KEY_GEN_MECHANISM), CKM_CRATON_COMP_SIG_KEY_PAIR_GEN);
    const Bytes pk = attr(p.pub, CKA_VALUE);
    ASSERT_EQ(pk.size(), s.pk);
    EXPECT_EQ(pk[s.ml_pk], 0x04) << "uncompressed EC point after the ML-DSA key";
    CK_ATTRIBUTE sensitive{CKA_VALUE, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, p.priv, &sensitive, 1), CKR_ATTRIBUTE_SENSITIVE);
    const Bytes info = attr(p.pub, CKA_PUBLIC_KEY_INFO);
    EXPECT_EQ(info, spki(s.oid_der, pk));
    EXPECT_EQ(attr(p.priv, CKA_PUBLIC_KEY_INFO), info);

    const Bytes m = msg("a composite message, long enough to be streamed in several parts");
    CK_MECHANISM mech{CKM_CRATON_COMP_SIG, nullptr, 0};
    Bytes sig, sig2, multi;
    ASSERT_EQ(f->C_SignInit(rw_, &mech, p.priv), CKR_OK);
    CK_ULONG len = 0;
    ASSERT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(m.data()), m.size(), nullptr, &len), CKR_OK);
    EXPECT_EQ(len, s.max_sig) << "the length query answers the longest signature";
    sig.resize(len);
    ASSERT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(m.data()), m.size(), sig.data(), &len), CKR_OK);
    sig.resize(len);
    EXPECT_GE(sig.size(), s.min_sig);
    EXPECT_LE(sig.size(), s.max_sig);
    ASSERT_EQ(sign(mech, p.priv, m, sig2), CKR_OK);
    EXPECT_NE(sig, sig2) << "hedged ML-DSA and a random ECDSA nonce";
    EXPECT_EQ(verify(mech, p.pub, m, sig), CKR_OK);
    EXPECT_EQ(verify_multi(mech, p.pub, m, sig2), CKR_OK);
    ASSERT_EQ(sign_multi(mech, p.priv, m, multi), CKR_OK);
    EXPECT_EQ(verify(mech, p.pub, m, multi), CKR_OK) << "multi-part signs PH(M), as single-part does";

    Bytes other = m;
    other.back() ^= 1;
    EXPECT_EQ(verify(mech, p.pub, other, sig), CKR_SIGNATURE_INVALID);
    EXPECT_EQ(verify_multi(mech, p.pub, other, sig), CKR_SIGNATURE_INVALID);
    for (std::size_t at : {std::size_t{100}, sig.size() - 3}) {  // the ML-DSA part, then the ECDSA part
      Bytes bad = sig;
      bad[at] ^= 0x01;
      EXPECT_EQ(verify(mech, p.pub, m, bad), CKR_SIGNATURE_INVALID) << at;
    }
    Bytes too_short(sig.begin(), sig.begin() + static_cast<std::ptrdiff_t>(s.min_sig - 1));
    EXPECT_EQ(verify(mech, p.pub, m, too_short), CKR_SIGNATURE_LEN_RANGE);
    Bytes too_long(s.max_sig + 1, 0x30);
    EXPECT_EQ(verify(mech, p.pub, m, too_long), CKR_SIGNATURE_LEN_RANGE);
    EXPECT_EQ(verify_multi(mech, p.pub, m, too_long), CKR_SIGNATURE_LEN_RANGE);
  }
}

TEST_F(MechHybrid, CompositeContextAndHedging) {
  Pair p;
  ASSERT_EQ(gen_pair(CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512, p), CKR_OK);
  const Bytes m = msg("context-bound");
  Bytes ctx = msg("application context");
  CK_SIGN_ADDITIONAL_CONTEXT req{CKH_HEDGE_REQUIRED, ctx.data(), ctx.size()};
  CK_MECHANISM mreq{CKM_CRATON_COMP_SIG, &req, sizeof req};
  Bytes sig;
  ASSERT_EQ(sign(mreq, p.priv, m, sig), CKR_OK);
  CK_SIGN_ADDITIONAL_CONTEXT pref{CKH_HEDGE_PREFERRED, ctx.data(), ctx.size()};
  CK_MECHANISM mpref{CKM_CRATON_COMP_SIG, &pref, sizeof pref};
  EXPECT_EQ(verify(mpref, p.pub, m, sig), CKR_OK);
  // Verification ignores the hedge variant, even the one signing refuses.
  CK_SIGN_ADDITIONAL_CONTEXT det{CKH_DETERMINISTIC_REQUIRED, ctx.data(), ctx.size()};
  CK_MECHANISM mdet{CKM_CRATON_COMP_SIG, &det, sizeof det};
  EXPECT_EQ(verify(mdet, p.pub, m, sig), CKR_OK);
  EXPECT_EQ(f->C_SignInit(rw_, &mdet, p.priv), CKR_MECHANISM_PARAM_INVALID) << "ECDSA cannot be deterministic";
  CK_MECHANISM mdet_ext{CKM_CRATON_COMP_SIG_EXTERNAL_HASH, &det, sizeof det};
  EXPECT_EQ(f->C_SignInit(rw_, &mdet_ext, p.priv), CKR_MECHANISM_PARAM_INVALID);
  CK_SIGN_ADDITIONAL_CONTEXT bad_hedge{7, nullptr, 0};
  CK_MECHANISM mbad{CKM_CRATON_COMP_SIG, &bad_hedge, sizeof bad_hedge};
  EXPECT_EQ(f->C_SignInit(rw_, &mbad, p.priv), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM short_param{CKM_CRATON_COMP_SIG, &req, sizeof req - 1};
  EXPECT_EQ(f->C_SignInit(rw_, &short_param, p.priv), CKR_MECHANISM_PARAM_INVALID);

  // The context is bound: another one, or none, does not verify.
  Bytes other_ctx = msg("another context");
  CK_SIGN_ADDITIONAL_CONTEXT wrong{CKH_HEDGE_PREFERRED, other_ctx.data(), other_ctx.size()};
  CK_MECHANISM mwrong{CKM_CRATON_COMP_SIG, &wrong, sizeof wrong};
  EXPECT_EQ(verify(mwrong, p.pub, m, sig), CKR_SIGNATURE_INVALID);
  CK_MECHANISM plain{CKM_CRATON_COMP_SIG, nullptr, 0};
  EXPECT_EQ(verify(plain, p.pub, m, sig), CKR_SIGNATURE_INVALID);
  // Multi-part with a context.
  Bytes multi;
  ASSERT_EQ(sign_multi(mpref, p.priv, m, multi), CKR_OK);
  EXPECT_EQ(verify(mpref, p.pub, m, multi), CKR_OK);
  EXPECT_EQ(verify(plain, p.pub, m, multi), CKR_SIGNATURE_INVALID);

  // 255 bytes is the longest context; 256 is refused at Init.
  Bytes ctx255(255, 0x5a);
  CK_SIGN_ADDITIONAL_CONTEXT c255{CKH_HEDGE_PREFERRED, ctx255.data(), ctx255.size()};
  CK_MECHANISM m255{CKM_CRATON_COMP_SIG, &c255, sizeof c255};
  Bytes s255;
  ASSERT_EQ(sign(m255, p.priv, m, s255), CKR_OK);
  EXPECT_EQ(verify(m255, p.pub, m, s255), CKR_OK);
  Bytes ctx256(256, 0x5a);
  CK_SIGN_ADDITIONAL_CONTEXT c256{CKH_HEDGE_PREFERRED, ctx256.data(), ctx256.size()};
  for (CK_MECHANISM_TYPE t : {CKM_CRATON_COMP_SIG, CKM_CRATON_COMP_SIG_EXTERNAL_HASH}) {
    CK_MECHANISM m256{t, &c256, sizeof c256};
    EXPECT_EQ(f->C_SignInit(rw_, &m256, p.priv), CKR_MECHANISM_PARAM_INVALID);
    EXPECT_EQ(f->C_VerifyInit(rw_, &m256, p.pub), CKR_MECHANISM_PARAM_INVALID);
  }
}

TEST_F(MechHybrid, CompositeExternalHashEqualsTokenHashing) {
  for (const CompSet& s : kCompSets) {
    SCOPED_TRACE(s.set);
    Pair p;
    ASSERT_EQ(gen_pair(CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, s.set, p), CKR_OK);
    const Bytes m = msg("hash me outside the token, or inside: the signature is the same kind");
    const Bytes ph = sha512(m);
    Bytes ctx = msg("ctx");
    CK_SIGN_ADDITIONAL_CONTEXT c{CKH_HEDGE_PREFERRED, ctx.data(), ctx.size()};
    CK_MECHANISM token{CKM_CRATON_COMP_SIG, &c, sizeof c};
    CK_MECHANISM external{CKM_CRATON_COMP_SIG_EXTERNAL_HASH, &c, sizeof c};
    Bytes by_caller, by_token, by_stream;
    ASSERT_EQ(sign(external, p.priv, ph, by_caller), CKR_OK);
    ASSERT_EQ(sign(token, p.priv, m, by_token), CKR_OK);
    ASSERT_EQ(sign_multi(token, p.priv, m, by_stream), CKR_OK);
    for (const Bytes* sig : {&by_caller, &by_token, &by_stream}) {
      EXPECT_EQ(verify(token, p.pub, m, *sig), CKR_OK);
      EXPECT_EQ(verify_multi(token, p.pub, m, *sig), CKR_OK);
      EXPECT_EQ(verify(external, p.pub, ph, *sig), CKR_OK);
    }
    Bytes bad_ph = ph;
    bad_ph[0] ^= 1;
    EXPECT_EQ(verify(external, p.pub, bad_ph, by_token), CKR_SIGNATURE_INVALID);
    // Without the parameter: the empty context.
    CK_MECHANISM external0{CKM_CRATON_COMP_SIG_EXTERNAL_HASH, nullptr, 0};
    CK_MECHANISM token0{CKM_CRATON_COMP_SIG, nullptr, 0};
    Bytes sig0;
    ASSERT_EQ(sign(external0, p.priv, ph, sig0), CKR_OK);
    EXPECT_EQ(verify(token0, p.pub, m, sig0), CKR_OK);
    EXPECT_EQ(verify(token, p.pub, m, sig0), CKR_SIGNATURE_INVALID);

    // PH(M) is SHA-512: 64 bytes exactly.
    const Bytes short_ph(ph.begin(), ph.end() - 1);
    Bytes ignored;
    EXPECT_EQ(sign(external, p.priv, short_ph, ignored), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(sign(external, p.priv, m, ignored), CKR_DATA_LEN_RANGE);
    EXPECT_EQ(verify(external, p.pub, short_ph, by_token), CKR_DATA_LEN_RANGE);
    // Single-part only: an Update is refused and ends the operation.
    ASSERT_EQ(f->C_SignInit(rw_, &external, p.priv), CKR_OK);
    EXPECT_EQ(f->C_SignUpdate(rw_, const_cast<CK_BYTE*>(ph.data()), ph.size()), CKR_FUNCTION_NOT_SUPPORTED);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_SignFinal(rw_, nullptr, &n), CKR_OPERATION_NOT_INITIALIZED);
    ASSERT_EQ(f->C_VerifyInit(rw_, &external, p.pub), CKR_OK);
    EXPECT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(ph.data()), ph.size()), CKR_FUNCTION_NOT_SUPPORTED);
  }
}

TEST_F(MechHybrid, WrongKeysAndParameterSets) {
  Pair comp, xw, dsa;
  ASSERT_EQ(gen_pair(CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512, comp), CKR_OK);
  ASSERT_EQ(gen_pair(CKM_CRATON_XWING_KEY_PAIR_GEN, CKP_CRATON_XWING, xw), CKR_OK);
  ASSERT_EQ(gen_pair(CKM_ML_DSA_KEY_PAIR_GEN, CKP_ML_DSA_65, dsa), CKR_OK);
  CK_MECHANISM mcomp{CKM_CRATON_COMP_SIG, nullptr, 0};
  CK_MECHANISM mext{CKM_CRATON_COMP_SIG_EXTERNAL_HASH, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &mcomp, dsa.priv), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_VerifyInit(rw_, &mext, dsa.pub), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_SignInit(rw_, &mcomp, comp.pub), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_VerifyInit(rw_, &mcomp, comp.priv), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_SignInit(rw_, &mcomp, xw.priv), CKR_KEY_TYPE_INCONSISTENT);
  CK_MECHANISM mdsa{CKM_ML_DSA, nullptr, 0};
  EXPECT_EQ(f->C_SignInit(rw_, &mdsa, comp.priv), CKR_KEY_TYPE_INCONSISTENT);
  CK_MECHANISM mxw{CKM_CRATON_XWING, nullptr, 0};
  Template t = secret_template();
  CK_ULONG n = 0;
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &mxw, comp.pub, t.data(), t.size(), nullptr, &n, &h), CKR_KEY_TYPE_INCONSISTENT);
  CK_MECHANISM mkem{CKM_ML_KEM, nullptr, 0};
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &mkem, xw.pub, t.data(), t.size(), nullptr, &n, &h), CKR_KEY_TYPE_INCONSISTENT);
  Bytes ct(1120);
  EXPECT_EQ(f->C_DecapsulateKey(rw_, &mxw, xw.pub, t.data(), t.size(), ct.data(), ct.size(), &h), CKR_KEY_TYPE_INCONSISTENT);
  // X-Wing does not sign and takes no parameter; the key-pair generators take none either.
  EXPECT_EQ(f->C_SignInit(rw_, &mxw, xw.priv), CKR_MECHANISM_INVALID);
  CK_MECHANISM mxw_param{CKM_CRATON_XWING, &n, sizeof n};
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &mxw_param, xw.pub, t.data(), t.size(), nullptr, &n, &h), CKR_MECHANISM_PARAM_INVALID);

  // Parameter sets belong to their key type.
  Pair p;
  EXPECT_EQ(gen_pair(CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, CKP_ML_DSA_65, p), CKR_PARAMETER_SET_NOT_SUPPORTED);
  EXPECT_EQ(gen_pair(CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, CKP_CRATON_XWING, p), CKR_PARAMETER_SET_NOT_SUPPORTED);
  EXPECT_EQ(gen_pair(CKM_CRATON_XWING_KEY_PAIR_GEN, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512, p),
            CKR_PARAMETER_SET_NOT_SUPPORTED);
  EXPECT_EQ(gen_pair(CKM_CRATON_XWING_KEY_PAIR_GEN, CKP_ML_KEM_768, p), CKR_PARAMETER_SET_NOT_SUPPORTED);
  CK_MECHANISM gen{CKM_CRATON_XWING_KEY_PAIR_GEN, nullptr, 0};
  Template none;
  none.boolean(CKA_TOKEN, false);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &gen, none.data(), none.size(), none.data(), none.size(), &p.pub, &p.priv),
            CKR_TEMPLATE_INCOMPLETE);
  Template only_priv;
  only_priv.ulong(CKA_PARAMETER_SET, CKP_CRATON_XWING).boolean(CKA_TOKEN, false);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &gen, none.data(), none.size(), only_priv.data(), only_priv.size(), &p.pub, &p.priv),
            CKR_OK);
  CK_MECHANISM cgen{CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, nullptr, 0};
  Template p65, p87;
  p65.ulong(CKA_PARAMETER_SET, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512);
  p87.ulong(CKA_PARAMETER_SET, CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &cgen, p65.data(), p65.size(), p87.data(), p87.size(), &p.pub, &p.priv),
            CKR_TEMPLATE_INCONSISTENT);
  CK_MECHANISM cgen_param{CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, &n, sizeof n};
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &cgen_param, p65.data(), p65.size(), none.data(), none.size(), &p.pub, &p.priv),
            CKR_MECHANISM_PARAM_INVALID);
  Template bad_set = key_template(CKO_PUBLIC_KEY, CKK_CRATON_COMP_SIG, CKP_CRATON_XWING, from_hex(hv::kCompP256Pk));
  EXPECT_EQ(create(bad_set, h), CKR_PARAMETER_SET_NOT_SUPPORTED);
}

TEST_F(MechHybrid, CompositeDraftVectorVerifiesThroughTheApi) {
  const Bytes pk = from_hex(hv::kCompP256Pk);
  const Bytes sk = from_hex(hv::kCompP256Sk);
  ASSERT_EQ(pk.size(), 2017u);
  ASSERT_EQ(sk.size(), 83u);
  const CK_ULONG set = CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512;
  CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
  Template pt = key_template(CKO_PUBLIC_KEY, CKK_CRATON_COMP_SIG, set, pk);
  ASSERT_EQ(create(pt, pub), CKR_OK);
  EXPECT_EQ(attr(pub, CKA_PUBLIC_KEY_INFO), spki(kCompSets[0].oid_der, pk));

  const Bytes m = msg(std::string(hv::kCompMessage));
  Bytes ctx = msg(std::string(hv::kCompContext));
  CK_MECHANISM plain{CKM_CRATON_COMP_SIG, nullptr, 0};
  CK_SIGN_ADDITIONAL_CONTEXT c{CKH_HEDGE_PREFERRED, ctx.data(), ctx.size()};
  CK_MECHANISM with_ctx{CKM_CRATON_COMP_SIG, &c, sizeof c};
  const Bytes sig = from_hex(hv::kCompP256Sig);
  const Bytes sig_ctx = from_hex(hv::kCompP256SigCtx);
  EXPECT_EQ(verify(plain, pub, m, sig), CKR_OK);
  EXPECT_EQ(verify(with_ctx, pub, m, sig_ctx), CKR_OK);
  EXPECT_EQ(verify_multi(with_ctx, pub, m, sig_ctx), CKR_OK);
  CK_MECHANISM external{CKM_CRATON_COMP_SIG_EXTERNAL_HASH, &c, sizeof c};
  EXPECT_EQ(verify(external, pub, sha512(m), sig_ctx), CKR_OK);
  EXPECT_EQ(verify(with_ctx, pub, m, sig), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(plain, pub, m, sig_ctx), CKR_SIGNATURE_INVALID);

  // The draft's private key: its recomputed public key is the draft's, and it signs for it.
  Template kt = key_template(CKO_PRIVATE_KEY, CKK_CRATON_COMP_SIG, set, sk);
  ASSERT_EQ(create(kt, priv), CKR_OK);
  EXPECT_EQ(attr(priv, CKA_PUBLIC_KEY_INFO), attr(pub, CKA_PUBLIC_KEY_INFO));
  EXPECT_FALSE(attr_bool(priv, CKA_LOCAL));
  Bytes mine;
  ASSERT_EQ(sign(with_ctx, priv, m, mine), CKR_OK);
  EXPECT_EQ(verify(with_ctx, pub, m, mine), CKR_OK);
}

TEST_F(MechHybrid, CompositeImportChecks) {
  const Bytes pk = from_hex(hv::kCompP256Pk);
  const Bytes sk = from_hex(hv::kCompP256Sk);
  const CK_ULONG set = CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512;
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  auto priv_rv = [&](const Bytes& v) {
    Template t = key_template(CKO_PRIVATE_KEY, CKK_CRATON_COMP_SIG, set, v);
    return create(t, h);
  };
  auto pub_rv = [&](const Bytes& v) {
    Template t = key_template(CKO_PUBLIC_KEY, CKK_CRATON_COMP_SIG, set, v);
    return create(t, h);
  };
  Bytes framing = sk;
  framing[32 + 4] ^= 1;  // 30 31 02 01 [01]: the ECPrivateKey version
  EXPECT_EQ(priv_rv(framing), CKR_ATTRIBUTE_VALUE_INVALID);
  Bytes zero = sk;
  std::fill(zero.begin() + 39, zero.begin() + 71, std::uint8_t{0});  // d = 0
  EXPECT_EQ(priv_rv(zero), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(priv_rv(Bytes(sk.begin(), sk.end() - 1)), CKR_ATTRIBUTE_VALUE_INVALID);
  Bytes longer = sk;
  longer.push_back(0);
  EXPECT_EQ(priv_rv(longer), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(priv_rv(from_hex(hv::kCompP256Sk)), CKR_OK);
  // A private key that does not belong to the public key info given with it.
  Bytes other_seed = sk;
  other_seed[0] ^= 1;
  Template t = key_template(CKO_PRIVATE_KEY, CKK_CRATON_COMP_SIG, set, other_seed);
  t.bytes(CKA_PUBLIC_KEY_INFO, spki(kCompSets[0].oid_der, pk));
  EXPECT_EQ(create(t, h), CKR_ATTRIBUTE_VALUE_INVALID);
  Template ok = key_template(CKO_PRIVATE_KEY, CKK_CRATON_COMP_SIG, set, sk);
  ok.bytes(CKA_PUBLIC_KEY_INFO, spki(kCompSets[0].oid_der, pk));
  EXPECT_EQ(create(ok, h), CKR_OK);
  // Composite keys have no CKA_SEED; the key's parameter set must fit its length.
  Template seeded = key_template(CKO_PRIVATE_KEY, CKK_CRATON_COMP_SIG, set, sk);
  seeded.bytes(CKA_SEED, Bytes(sk.begin(), sk.begin() + 32));
  EXPECT_EQ(create(seeded, h), CKR_ATTRIBUTE_TYPE_INVALID);
  Template p87 = key_template(CKO_PRIVATE_KEY, CKK_CRATON_COMP_SIG, CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512, sk);
  EXPECT_EQ(create(p87, h), CKR_ATTRIBUTE_VALUE_INVALID);

  // Public keys: an EC point off the curve, compressed, or a wrong length.
  Bytes off_curve = pk;
  off_curve.back() ^= 1;
  EXPECT_EQ(pub_rv(off_curve), CKR_ATTRIBUTE_VALUE_INVALID);
  Bytes compressed = pk;
  compressed[1952] = 0x02;
  EXPECT_EQ(pub_rv(compressed), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(pub_rv(Bytes(pk.begin(), pk.end() - 1)), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(pub_rv(pk), CKR_OK);
}

TEST_F(MechHybrid, XWingEncapsulateDecapsulate) {
  Pair p;
  ASSERT_EQ(gen_pair(CKM_CRATON_XWING_KEY_PAIR_GEN, CKP_CRATON_XWING, p), CKR_OK);
  EXPECT_EQ(attr_ulong(p.pub, CKA_KEY_TYPE), CKK_CRATON_XWING);
  EXPECT_EQ(attr_ulong(p.priv, CKA_PARAMETER_SET), CKP_CRATON_XWING);
  EXPECT_EQ(attr_ulong(p.priv, CKA_KEY_GEN_MECHANISM), CKM_CRATON_XWING_KEY_PAIR_GEN);
  EXPECT_TRUE(attr_bool(p.pub, CKA_ENCAPSULATE));
  EXPECT_TRUE(attr_bool(p.priv, CKA_DECAPSULATE));
  const Bytes pk = attr(p.pub, CKA_VALUE);
  ASSERT_EQ(pk.size(), 1216u);
  EXPECT_EQ(attr(p.pub, CKA_PUBLIC_KEY_INFO), spki(kXWingOid, pk));
  EXPECT_EQ(attr(p.priv, CKA_PUBLIC_KEY_INFO), spki(kXWingOid, pk));

  CK_MECHANISM m{CKM_CRATON_XWING, nullptr, 0};
  Template t = secret_template();
  CK_ULONG n = 0;
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, t.data(), t.size(), nullptr, &n, &h), CKR_OK);
  EXPECT_EQ(n, 1120u);
  Bytes small(n - 1);
  CK_ULONG sn = small.size();
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, t.data(), t.size(), small.data(), &sn, &h), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(sn, 1120u);

  Bytes ct, k1, k2, k3;
  ASSERT_EQ(encapsulate(p.pub, ct, k1), CKR_OK);
  EXPECT_EQ(k1.size(), 32u);
  ASSERT_EQ(decapsulate(p.priv, ct, k2), CKR_OK);
  EXPECT_EQ(k2, k1);
  Bytes ct2, other;
  ASSERT_EQ(encapsulate(p.pub, ct2, other), CKR_OK);
  EXPECT_NE(ct2, ct);
  EXPECT_NE(other, k1);
  // Implicit rejection: a modified ML-KEM part gives another secret and no error; so does a
  // modified X25519 part (it enters the combiner).
  for (std::size_t at : {std::size_t{5}, std::size_t{1100}}) {
    Bytes bad = ct;
    bad[at] ^= 1;
    ASSERT_EQ(decapsulate(p.priv, bad, k3), CKR_OK) << at;
    EXPECT_NE(k3, k1) << at;
  }
  EXPECT_EQ(decapsulate(p.priv, Bytes(ct.begin(), ct.end() - 1), k3), CKR_ENCRYPTED_DATA_LEN_RANGE);
  Bytes longer = ct;
  longer.push_back(0);
  EXPECT_EQ(decapsulate(p.priv, longer, k3), CKR_ENCRYPTED_DATA_LEN_RANGE);

  // The shared secret can be an AES key.
  Template aes;
  aes.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_TOKEN, false).boolean(CKA_ENCRYPT, true);
  n = ct.size();
  ASSERT_EQ(f->C_EncapsulateKey(rw_, &m, p.pub, aes.data(), aes.size(), ct.data(), &n, &h), CKR_OK);
  EXPECT_EQ(attr_ulong(h, CKA_VALUE_LEN), 32u);
}

TEST_F(MechHybrid, XWingDraftVectorThroughTheApi) {
  const Bytes seed = from_hex(hv::kXWing1Seed);
  const Bytes pk = from_hex(hv::kXWing1Pk);
  const Bytes ct = from_hex(hv::kXWing1Ct);
  ASSERT_EQ(seed.size(), 32u);
  ASSERT_EQ(pk.size(), 1216u);
  ASSERT_EQ(ct.size(), 1120u);
  CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE, pub = CK_INVALID_HANDLE;
  Template kt = key_template(CKO_PRIVATE_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, seed);
  ASSERT_EQ(create(kt, priv), CKR_OK);
  const Bytes info = attr(priv, CKA_PUBLIC_KEY_INFO);
  EXPECT_TRUE(ends_with(info, pk)) << "the public key is recomputed from the seed";
  EXPECT_EQ(info, spki(kXWingOid, pk));
  Bytes ss;
  ASSERT_EQ(decapsulate(priv, ct, ss), CKR_OK);
  EXPECT_EQ(ss, from_hex(hv::kXWing1Ss));

  Template pt = key_template(CKO_PUBLIC_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, pk);
  ASSERT_EQ(create(pt, pub), CKR_OK);
  EXPECT_EQ(attr(pub, CKA_PUBLIC_KEY_INFO), info);
  Bytes ct2, k1, k2;
  ASSERT_EQ(encapsulate(pub, ct2, k1), CKR_OK);
  ASSERT_EQ(decapsulate(priv, ct2, k2), CKR_OK);
  EXPECT_EQ(k1, k2);
}

TEST_F(MechHybrid, XWingImportChecks) {
  const Bytes seed = from_hex(hv::kXWing1Seed);
  Bytes pk = from_hex(hv::kXWing1Pk);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  Template short_seed = key_template(CKO_PRIVATE_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, Bytes(seed.begin(), seed.end() - 1));
  EXPECT_EQ(create(short_seed, h), CKR_ATTRIBUTE_VALUE_INVALID);
  Template long_seed = key_template(CKO_PRIVATE_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, Bytes(33, 7));
  EXPECT_EQ(create(long_seed, h), CKR_ATTRIBUTE_VALUE_INVALID);
  // Every 32-byte string is a seed, so consistency means: it belongs to the public key given.
  Bytes tampered = seed;
  tampered[31] ^= 0x80;
  Template t = key_template(CKO_PRIVATE_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, tampered);
  t.bytes(CKA_PUBLIC_KEY_INFO, spki(kXWingOid, pk));
  EXPECT_EQ(create(t, h), CKR_ATTRIBUTE_VALUE_INVALID);
  Template good = key_template(CKO_PRIVATE_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, seed);
  good.bytes(CKA_PUBLIC_KEY_INFO, spki(kXWingOid, pk));
  EXPECT_EQ(create(good, h), CKR_OK);
  Template no_value;
  no_value.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_CRATON_XWING).ulong(CKA_PARAMETER_SET, CKP_CRATON_XWING)
      .boolean(CKA_TOKEN, false);
  EXPECT_EQ(create(no_value, h), CKR_TEMPLATE_INCOMPLETE);

  Template short_pk = key_template(CKO_PUBLIC_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, Bytes(pk.begin(), pk.end() - 1));
  EXPECT_EQ(create(short_pk, h), CKR_ATTRIBUTE_VALUE_INVALID);
  // A coefficient ≥ q in the ML-KEM part fails the FIPS 203 §7.2 modulus check.
  pk[0] = 0xFF;
  pk[1] |= 0x0F;
  Template bad_pk = key_template(CKO_PUBLIC_KEY, CKK_CRATON_XWING, CKP_CRATON_XWING, pk);
  EXPECT_EQ(create(bad_pk, h), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_F(MechHybrid, WrapAndUnwrapPrivateKeys) {
  const CK_OBJECT_HANDLE kek = aes_key();
  struct Case {
    CK_MECHANISM_TYPE gen;
    CK_ULONG set;
    Bytes oid;
  };
  const Case cases[] = {{CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, kCompSets[0].set, kCompSets[0].oid_der},
                        {CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, kCompSets[1].set, kCompSets[1].oid_der},
                        {CKM_CRATON_XWING_KEY_PAIR_GEN, CKP_CRATON_XWING, kXWingOid}};
  CK_MECHANISM wrap{CKM_AES_KEY_WRAP_KWP, nullptr, 0};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.set);
    Pair p;
    ASSERT_EQ(gen_pair(c.gen, c.set, p, true), CKR_OK);
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_WrapKey(rw_, &wrap, kek, p.priv, nullptr, &n), CKR_OK);
    Bytes wrapped(n);
    ASSERT_EQ(f->C_WrapKey(rw_, &wrap, kek, p.priv, wrapped.data(), &n), CKR_OK);
    wrapped.resize(n);

    // The plaintext is OneAsymmetricKey v0 { alg = the OID, privateKey = the raw private key }.
    const Bytes value = attr(p.priv, CKA_VALUE);
    const Bytes der = kwp(false, kek, wrapped);
    Bytes expect = {0x02, 0x01, 0x00, 0x30, static_cast<std::uint8_t>(c.oid.size())};
    expect.insert(expect.end(), c.oid.begin(), c.oid.end());
    expect.push_back(0x04);
    expect.push_back(static_cast<std::uint8_t>(value.size()));
    expect.insert(expect.end(), value.begin(), value.end());
    expect.insert(expect.begin(), {0x30, static_cast<std::uint8_t>(expect.size())});
    EXPECT_EQ(der, expect);

    Template ut;
    ut.ulong(CKA_CLASS, CKO_PRIVATE_KEY).boolean(CKA_TOKEN, false).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    CK_OBJECT_HANDLE u = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, wrapped.data(), wrapped.size(), ut.data(), ut.size(), &u), CKR_OK);
    EXPECT_EQ(attr(u, CKA_VALUE), value);
    EXPECT_EQ(attr_ulong(u, CKA_KEY_TYPE), c.gen == CKM_CRATON_XWING_KEY_PAIR_GEN ? CKK_CRATON_XWING : CKK_CRATON_COMP_SIG);
    EXPECT_EQ(attr_ulong(u, CKA_PARAMETER_SET), c.set);
    EXPECT_EQ(attr(u, CKA_PUBLIC_KEY_INFO), attr(p.pub, CKA_PUBLIC_KEY_INFO));
    if (c.gen == CKM_CRATON_XWING_KEY_PAIR_GEN) {
      Bytes ct, k1, k2;
      ASSERT_EQ(encapsulate(p.pub, ct, k1), CKR_OK);
      ASSERT_EQ(decapsulate(u, ct, k2), CKR_OK);
      EXPECT_EQ(k1, k2);
    } else {
      CK_MECHANISM m{CKM_CRATON_COMP_SIG, nullptr, 0};
      Bytes sig;
      ASSERT_EQ(sign(m, u, msg("unwrapped"), sig), CKR_OK);
      EXPECT_EQ(verify(m, p.pub, msg("unwrapped"), sig), CKR_OK);
    }

    // Version 1 with a publicKey [1]: it must be the key's own.
    const Bytes pk = attr(p.pub, CKA_VALUE);
    auto with_public = [&](const Bytes& pub) {
      Bytes body(der.begin() + 2, der.end());  // everything after the outer header (short form)
      body[2] = 0x01;                         // version 1
      body.push_back(0x81);
      const std::size_t len = pub.size() + 1;
      body.insert(body.end(), {0x82, static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len), 0x00});
      body.insert(body.end(), pub.begin(), pub.end());
      Bytes out = {0x30, 0x82, static_cast<std::uint8_t>(body.size() >> 8), static_cast<std::uint8_t>(body.size())};
      out.insert(out.end(), body.begin(), body.end());
      return kwp(true, kek, out);
    };
    const Bytes good = with_public(pk);
    EXPECT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, const_cast<CK_BYTE*>(good.data()), good.size(), ut.data(), ut.size(), &u), CKR_OK);
    Bytes other_pk = pk;
    other_pk[10] ^= 1;
    const Bytes bad = with_public(other_pk);
    EXPECT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, const_cast<CK_BYTE*>(bad.data()), bad.size(), ut.data(), ut.size(), &u),
              CKR_ATTRIBUTE_VALUE_INVALID);
    // A truncated structure is not a key; a private key of the wrong length is not one either.
    const Bytes cut = kwp(true, kek, Bytes(der.begin(), der.end() - 3));
    EXPECT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, const_cast<CK_BYTE*>(cut.data()), cut.size(), ut.data(), ut.size(), &u),
              CKR_WRAPPED_KEY_INVALID);
    Bytes shorter = der;
    shorter.pop_back();
    shorter[1] = static_cast<std::uint8_t>(shorter[1] - 1);
    shorter[shorter.size() - value.size()] = static_cast<std::uint8_t>(value.size() - 1);
    const Bytes short_blob = kwp(true, kek, shorter);
    EXPECT_EQ(f->C_UnwrapKey(rw_, &wrap, kek, const_cast<CK_BYTE*>(short_blob.data()), short_blob.size(), ut.data(),
                             ut.size(), &u),
              CKR_ATTRIBUTE_VALUE_INVALID);
  }
}

}  // namespace
}  // namespace craton::test
