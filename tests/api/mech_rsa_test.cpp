// RSA mechanisms through the module API: key-pair generation, every signature mechanism checked
// both ways against OpenSSL's EVP layer (the test builds its own EVP keys from the exported
// attributes), PKCS#1 v1.5 / OAEP / raw encryption, signatures with recovery, key wrapping, the
// error codes of PKCS#11 §5 and the output-buffer rules.
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct CtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// One 2048-bit OpenSSL key for the whole process (imported into each test's token).
EVP_PKEY* shared_key() {
  static EVP_PKEY* k = EVP_RSA_gen(2048);
  return k;
}

Bytes bn_param(const EVP_PKEY* k, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(k, name, &bn) != 1) return {};
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_clear_free(bn);
  return out;
}

// EVP public key from CKA_MODULUS / CKA_PUBLIC_EXPONENT.
Pkey evp_public(const Bytes& n, const Bytes& e) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  BIGNUM* bn_n = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* k = nullptr;
  EVP_PKEY_fromdata_init(ctx);
  EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  BN_free(bn_n);
  BN_free(bn_e);
  OSSL_PARAM_BLD_free(bld);
  return Pkey(k);
}

const EVP_MD* md(const char* name) { return EVP_get_digestbyname(name); }

Bytes evp_digest(const char* name, const Bytes& data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &n, md(name), nullptr);
  out.resize(n);
  return out;
}

// OpenSSL hash-and-sign (pss: salt = hash size, MGF1 of the same hash).
Bytes evp_sign(EVP_PKEY* k, const char* hash, bool pss, const Bytes& data) {
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit(ctx.get(), &pctx, md(hash), nullptr, k), 1);
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  std::size_t n = 0;
  EXPECT_EQ(EVP_DigestSign(ctx.get(), nullptr, &n, data.data(), data.size()), 1);
  Bytes sig(n);
  EXPECT_EQ(EVP_DigestSign(ctx.get(), sig.data(), &n, data.data(), data.size()), 1);
  return sig;
}

bool evp_verify(EVP_PKEY* k, const char* hash, bool pss, const Bytes& data, const Bytes& sig) {
  MdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestVerifyInit(ctx.get(), &pctx, md(hash), nullptr, k), 1);
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  return EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), data.data(), data.size()) == 1;
}

// OpenSSL encryption / decryption with a padding (OAEP: hash, MGF1 hash and label).
Bytes evp_crypt(EVP_PKEY* k, bool encrypt, int pad, const Bytes& in, const char* oaep_md = nullptr,
                const std::string& label = "") {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, k, nullptr));
  EXPECT_EQ(encrypt ? EVP_PKEY_encrypt_init(ctx.get()) : EVP_PKEY_decrypt_init(ctx.get()), 1);
  EVP_PKEY_CTX_set_rsa_padding(ctx.get(), pad);
  if (oaep_md != nullptr) {
    EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md(oaep_md));
    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md(oaep_md));
    if (!label.empty()) {
      EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), OPENSSL_memdup(label.data(), label.size()), static_cast<int>(label.size()));
    }
  }
  std::size_t n = static_cast<std::size_t>(EVP_PKEY_get_size(k));
  Bytes out(n);
  const int r = encrypt ? EVP_PKEY_encrypt(ctx.get(), out.data(), &n, in.data(), in.size())
                        : EVP_PKEY_decrypt(ctx.get(), out.data(), &n, in.data(), in.size());
  if (r != 1) return {};
  out.resize(n);
  return out;
}

// a ‖ b (element by element: GCC 12's -Warray-bounds misreads vector::insert at -O2).
Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out(a.size() + b.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i];
  for (std::size_t i = 0; i < b.size(); ++i) out[a.size() + i] = b[i];
  return out;
}

// DigestInfo for SHA-256 (RFC 8017 §9.2 note 1) followed by the hash.
Bytes sha256_digest_info(const Bytes& data) {
  const Bytes di{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  return concat(di, evp_digest("SHA256", data));
}

struct HashSign {
  CK_MECHANISM_TYPE mech;
  CK_MECHANISM_TYPE hash;
  CK_RSA_PKCS_MGF_TYPE mgf;
  const char* evp_name;
  bool pss;
};

const HashSign kHashSigns[] = {
    {CKM_SHA1_RSA_PKCS, CKM_SHA_1, CKG_MGF1_SHA1, "SHA1", false},
    {CKM_SHA224_RSA_PKCS, CKM_SHA224, CKG_MGF1_SHA224, "SHA224", false},
    {CKM_SHA256_RSA_PKCS, CKM_SHA256, CKG_MGF1_SHA256, "SHA256", false},
    {CKM_SHA384_RSA_PKCS, CKM_SHA384, CKG_MGF1_SHA384, "SHA384", false},
    {CKM_SHA512_RSA_PKCS, CKM_SHA512, CKG_MGF1_SHA512, "SHA512", false},
    {CKM_SHA3_224_RSA_PKCS, CKM_SHA3_224, CKG_MGF1_SHA3_224, "SHA3-224", false},
    {CKM_SHA3_256_RSA_PKCS, CKM_SHA3_256, CKG_MGF1_SHA3_256, "SHA3-256", false},
    {CKM_SHA3_384_RSA_PKCS, CKM_SHA3_384, CKG_MGF1_SHA3_384, "SHA3-384", false},
    {CKM_SHA3_512_RSA_PKCS, CKM_SHA3_512, CKG_MGF1_SHA3_512, "SHA3-512", false},
    {CKM_SHA1_RSA_PKCS_PSS, CKM_SHA_1, CKG_MGF1_SHA1, "SHA1", true},
    {CKM_SHA224_RSA_PKCS_PSS, CKM_SHA224, CKG_MGF1_SHA224, "SHA224", true},
    {CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, "SHA256", true},
    {CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, CKG_MGF1_SHA384, "SHA384", true},
    {CKM_SHA512_RSA_PKCS_PSS, CKM_SHA512, CKG_MGF1_SHA512, "SHA512", true},
    {CKM_SHA3_224_RSA_PKCS_PSS, CKM_SHA3_224, CKG_MGF1_SHA3_224, "SHA3-224", true},
    {CKM_SHA3_256_RSA_PKCS_PSS, CKM_SHA3_256, CKG_MGF1_SHA3_256, "SHA3-256", true},
    {CKM_SHA3_384_RSA_PKCS_PSS, CKM_SHA3_384, CKG_MGF1_SHA3_384, "SHA3-384", true},
    {CKM_SHA3_512_RSA_PKCS_PSS, CKM_SHA3_512, CKG_MGF1_SHA3_512, "SHA3-512", true},
};

// A CK_MECHANISM with its parameter kept alive.
struct Mech {
  CK_MECHANISM m{};
  CK_RSA_PKCS_PSS_PARAMS pss{};
  CK_RSA_PKCS_OAEP_PARAMS oaep{};
  std::string label;

  explicit Mech(CK_MECHANISM_TYPE t) { m = {t, nullptr, 0}; }
  static Mech with_pss(CK_MECHANISM_TYPE t, CK_MECHANISM_TYPE hash, CK_RSA_PKCS_MGF_TYPE mgf, CK_ULONG salt) {
    Mech x(t);
    x.pss = {hash, mgf, salt};
    return x;
  }
  static Mech with_oaep(CK_MECHANISM_TYPE hash, CK_RSA_PKCS_MGF_TYPE mgf, std::string label,
                        CK_ULONG source = CKZ_DATA_SPECIFIED) {
    Mech x(CKM_RSA_PKCS_OAEP);
    x.label = std::move(label);
    x.oaep = {hash, mgf, source, nullptr, 0};
    return x;
  }
  // Pointers are fixed up on use: the object may have been moved.
  CK_MECHANISM* get() {
    if (pss.hashAlg != 0) m.pParameter = &pss, m.ulParameterLen = sizeof pss;
    if (oaep.hashAlg != 0) {
      oaep.pSourceData = label.empty() ? nullptr : label.data();
      oaep.ulSourceDataLen = label.size();
      m.pParameter = &oaep;
      m.ulParameterLen = sizeof oaep;
    }
    return &m;
  }
};

class MechRsa : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  CK_OBJECT_HANDLE create(Template& t) {
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }

  // The shared OpenSSL key as a token key pair. `crt`: include the CRT values.
  std::pair<CK_OBJECT_HANDLE, CK_OBJECT_HANDLE> import(EVP_PKEY* k = shared_key(), bool crt = true,
                                                       bool sign = true) {
    Template pub;
    pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_RSA);
    pub.bytes(CKA_MODULUS, bn_param(k, OSSL_PKEY_PARAM_RSA_N)).bytes(CKA_PUBLIC_EXPONENT, bn_param(k, OSSL_PKEY_PARAM_RSA_E));
    Template priv;
    priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).boolean(CKA_SIGN, sign);
    priv.bytes(CKA_MODULUS, bn_param(k, OSSL_PKEY_PARAM_RSA_N)).bytes(CKA_PUBLIC_EXPONENT, bn_param(k, OSSL_PKEY_PARAM_RSA_E));
    priv.bytes(CKA_PRIVATE_EXPONENT, bn_param(k, OSSL_PKEY_PARAM_RSA_D));
    if (crt) {
      priv.bytes(CKA_PRIME_1, bn_param(k, OSSL_PKEY_PARAM_RSA_FACTOR1)).bytes(CKA_PRIME_2, bn_param(k, OSSL_PKEY_PARAM_RSA_FACTOR2));
      priv.bytes(CKA_EXPONENT_1, bn_param(k, OSSL_PKEY_PARAM_RSA_EXPONENT1));
      priv.bytes(CKA_EXPONENT_2, bn_param(k, OSSL_PKEY_PARAM_RSA_EXPONENT2));
      priv.bytes(CKA_COEFFICIENT, bn_param(k, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
    }
    return {create(pub), create(priv)};
  }

  CK_RV generate(CK_ULONG bits, const Bytes& exponent, CK_OBJECT_HANDLE* pub, CK_OBJECT_HANDLE* priv,
                 bool with_bits = true) {
    Template pt;
    if (with_bits) pt.ulong(CKA_MODULUS_BITS, bits);
    if (!exponent.empty()) pt.bytes(CKA_PUBLIC_EXPONENT, exponent);
    pt.boolean(CKA_VERIFY, true);
    Template st;
    st.boolean(CKA_SIGN, true).boolean(CKA_SENSITIVE, true);
    CK_MECHANISM m{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
    return f->C_GenerateKeyPair(rw_, &m, pt.data(), pt.size(), st.data(), st.size(), pub, priv);
  }

  Pkey evp_of(CK_OBJECT_HANDLE pub) { return evp_public(attr(pub, CKA_MODULUS), attr(pub, CKA_PUBLIC_EXPONENT)); }

  CK_RV sign(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data, Bytes* sig) {
    CK_RV rv = f->C_SignInit(rw_, m, key);
    if (rv != CKR_OK) return rv;
    CK_ULONG n = 0;
    rv = f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n);
    if (rv != CKR_OK) return rv;
    sig->assign(n, 0);
    rv = f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), sig->data(), &n);
    sig->resize(n);
    return rv;
  }
  CK_RV verify(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    CK_RV rv = f->C_VerifyInit(rw_, m, key);
    if (rv != CKR_OK) return rv;
    return f->C_Verify(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
  Bytes sign_multi(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data, std::size_t chunk) {
    EXPECT_EQ(f->C_SignInit(rw_, m, key), CKR_OK);
    for (std::size_t off = 0; off < data.size(); off += chunk) {
      const std::size_t n = std::min(chunk, data.size() - off);
      EXPECT_EQ(f->C_SignUpdate(rw_, const_cast<CK_BYTE*>(data.data() + off), n), CKR_OK);
    }
    CK_ULONG n = 1024;
    Bytes sig(n);
    EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  CK_RV verify_multi(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig, std::size_t chunk) {
    EXPECT_EQ(f->C_VerifyInit(rw_, m, key), CKR_OK);
    for (std::size_t off = 0; off < data.size(); off += chunk) {
      const std::size_t n = std::min(chunk, data.size() - off);
      EXPECT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data() + off), n), CKR_OK);
    }
    return f->C_VerifyFinal(rw_, const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
  CK_RV encrypt(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& in, Bytes* out) {
    CK_RV rv = f->C_EncryptInit(rw_, m, key);
    if (rv != CKR_OK) return rv;
    CK_ULONG n = 1024;
    out->assign(n, 0);
    rv = f->C_Encrypt(rw_, const_cast<CK_BYTE*>(in.data()), in.size(), out->data(), &n);
    out->resize(rv == CKR_OK ? n : 0);
    return rv;
  }
  CK_RV decrypt(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& in, Bytes* out) {
    CK_RV rv = f->C_DecryptInit(rw_, m, key);
    if (rv != CKR_OK) return rv;
    CK_ULONG n = 1024;
    out->assign(n, 0);
    rv = f->C_Decrypt(rw_, const_cast<CK_BYTE*>(in.data()), in.size(), out->data(), &n);
    out->resize(rv == CKR_OK ? n : 0);
    return rv;
  }
  CK_RV recover(bool sign_side, CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& in, Bytes* out) {
    CK_RV rv = sign_side ? f->C_SignRecoverInit(rw_, m, key) : f->C_VerifyRecoverInit(rw_, m, key);
    if (rv != CKR_OK) return rv;
    CK_ULONG n = 1024;
    out->assign(n, 0);
    rv = sign_side ? f->C_SignRecover(rw_, const_cast<CK_BYTE*>(in.data()), in.size(), out->data(), &n)
                   : f->C_VerifyRecover(rw_, const_cast<CK_BYTE*>(in.data()), in.size(), out->data(), &n);
    out->resize(rv == CKR_OK ? n : 0);
    return rv;
  }
};

Bytes message(std::size_t n) {
  Bytes m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return m;
}

// ---- mechanism list and generation ----------------------------------------------------------

TEST_F(MechRsa, MechanismInfo) {
  struct Want {
    CK_MECHANISM_TYPE m;
    CK_FLAGS flags;
  };
  const CK_FLAGS all = CKF_ENCRYPT | CKF_DECRYPT | CKF_SIGN | CKF_VERIFY | CKF_SIGN_RECOVER | CKF_VERIFY_RECOVER |
                       CKF_WRAP | CKF_UNWRAP;
  const Want wants[] = {{CKM_RSA_PKCS_KEY_PAIR_GEN, CKF_GENERATE_KEY_PAIR},
                        {CKM_RSA_PKCS, all},
                        {CKM_RSA_X_509, all},
                        {CKM_RSA_PKCS_OAEP, CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP},
                        {CKM_RSA_PKCS_PSS, CKF_SIGN | CKF_VERIFY}};
  for (const Want& w : wants) {
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, w.m, &info), CKR_OK) << w.m;
    EXPECT_EQ(info.ulMinKeySize, 1024u);
    EXPECT_EQ(info.ulMaxKeySize, 16384u);
    EXPECT_EQ(info.flags, w.flags) << w.m;
  }
  for (const HashSign& h : kHashSigns) {
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, h.mech, &info), CKR_OK) << h.mech;
    EXPECT_EQ(info.flags, CKF_SIGN | CKF_VERIFY);
  }
}

TEST_F(MechRsa, GenerateKeyPair2048) {
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  ASSERT_EQ(generate(2048, {}, &pub, &priv), CKR_OK);
  for (CK_OBJECT_HANDLE h : {pub, priv}) {
    EXPECT_TRUE(attr_bool(h, CKA_LOCAL));
    EXPECT_EQ(attr_ulong(h, CKA_KEY_GEN_MECHANISM), CKM_RSA_PKCS_KEY_PAIR_GEN);
    EXPECT_EQ(attr_ulong(h, CKA_KEY_TYPE), CKK_RSA);
    EXPECT_EQ(attr(h, CKA_PUBLIC_EXPONENT), (Bytes{0x01, 0x00, 0x01}));
  }
  EXPECT_EQ(attr_ulong(pub, CKA_MODULUS_BITS), 2048u);
  EXPECT_TRUE(attr_bool(priv, CKA_ALWAYS_SENSITIVE));
  EXPECT_TRUE(attr_bool(priv, CKA_NEVER_EXTRACTABLE));
  const Bytes n = attr(pub, CKA_MODULUS);
  ASSERT_EQ(n.size(), 256u);
  EXPECT_EQ(attr(priv, CKA_MODULUS), n);

  // CKA_PUBLIC_KEY_INFO is the SubjectPublicKeyInfo of the same key, on both objects.
  const Bytes spki = attr(pub, CKA_PUBLIC_KEY_INFO);
  EXPECT_EQ(attr(priv, CKA_PUBLIC_KEY_INFO), spki);
  const unsigned char* p = spki.data();
  Pkey parsed(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(EVP_PKEY_is_a(parsed.get(), "RSA"));
  EXPECT_EQ(EVP_PKEY_get_bits(parsed.get()), 2048);
  EXPECT_EQ(bn_param(parsed.get(), OSSL_PKEY_PARAM_RSA_N), n);

  // The pair works, and OpenSSL accepts its signatures.
  Mech m(CKM_SHA256_RSA_PKCS);
  const Bytes data = message(100);
  Bytes sig;
  ASSERT_EQ(sign(m.get(), priv, data, &sig), CKR_OK);
  EXPECT_EQ(verify(m.get(), pub, data, sig), CKR_OK);
  EXPECT_TRUE(evp_verify(parsed.get(), "SHA256", false, data, sig));
}

TEST_F(MechRsa, GenerateKeyPair3072WithPaddedExponent) {
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  const Bytes e{0x00, 0x01, 0x00, 0x01};  // leading zero: the template's encoding is kept
  ASSERT_EQ(generate(3072, e, &pub, &priv), CKR_OK);
  EXPECT_EQ(attr_ulong(pub, CKA_MODULUS_BITS), 3072u);
  EXPECT_EQ(attr(pub, CKA_MODULUS).size(), 384u);
  EXPECT_EQ(attr(pub, CKA_PUBLIC_EXPONENT), e);
  Mech m = Mech::with_pss(CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, CKG_MGF1_SHA384, 48);
  const Bytes data = message(33);
  Bytes sig;
  ASSERT_EQ(sign(m.get(), priv, data, &sig), CKR_OK);
  EXPECT_EQ(sig.size(), 384u);
  EXPECT_TRUE(evp_verify(evp_of(pub).get(), "SHA384", true, data, sig));
}

TEST_F(MechRsa, GenerateKeyPairErrors) {
  CK_OBJECT_HANDLE pub = 0, priv = 0;
  EXPECT_EQ(generate(2048, {}, &pub, &priv, false), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(generate(512, {}, &pub, &priv), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(generate(1023, {}, &pub, &priv), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(generate(16385, {}, &pub, &priv), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(generate(2048, {0x01, 0x00, 0x00}, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);  // even exponent
  EXPECT_EQ(generate(2048, {0x00}, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
  CK_MECHANISM bad{CKM_RSA_PKCS_KEY_PAIR_GEN, &pub, sizeof pub};
  Template pt;
  pt.ulong(CKA_MODULUS_BITS, 2048);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &bad, pt.data(), pt.size(), nullptr, 0, &pub, &priv), CKR_MECHANISM_PARAM_INVALID);
}

// ---- signatures -------------------------------------------------------------------------------

TEST_F(MechRsa, EveryHashSignMechanismAgainstOpenSsl) {
  auto [pub, priv] = import();
  const Bytes data = message(1000);
  for (const HashSign& h : kHashSigns) {
    SCOPED_TRACE(h.evp_name + std::string(h.pss ? " PSS" : " PKCS1"));
    const CK_ULONG hlen = evp_digest(h.evp_name, {}).size();
    Mech m = h.pss ? Mech::with_pss(h.mech, h.hash, h.mgf, hlen) : Mech(h.mech);
    Bytes sig;
    ASSERT_EQ(sign(m.get(), priv, data, &sig), CKR_OK);
    ASSERT_EQ(sig.size(), 256u);
    EXPECT_EQ(verify(m.get(), pub, data, sig), CKR_OK);
    EXPECT_TRUE(evp_verify(shared_key(), h.evp_name, h.pss, data, sig));
    // Multi-part: streamed through the digest.
    const Bytes multi = sign_multi(m.get(), priv, data, 97);
    EXPECT_TRUE(evp_verify(shared_key(), h.evp_name, h.pss, data, multi));
    if (!h.pss) {
      EXPECT_EQ(multi, sig);  // PKCS#1 v1.5 is deterministic
      EXPECT_EQ(evp_sign(shared_key(), h.evp_name, false, data), sig);
    }
    // OpenSSL's signatures verify in the module, single- and multi-part.
    const Bytes theirs = evp_sign(shared_key(), h.evp_name, h.pss, data);
    EXPECT_EQ(verify(m.get(), pub, data, theirs), CKR_OK);
    EXPECT_EQ(verify_multi(m.get(), pub, data, theirs, 300), CKR_OK);
    Bytes bad = theirs;
    bad[10] ^= 1;
    EXPECT_EQ(verify(m.get(), pub, data, bad), CKR_SIGNATURE_INVALID);
    EXPECT_EQ(verify_multi(m.get(), pub, data, bad, 300), CKR_SIGNATURE_INVALID);
  }
}

TEST_F(MechRsa, HashPssWithoutParameterUsesTheMechanismHash) {
  auto [pub, priv] = import();
  Mech m(CKM_SHA256_RSA_PKCS_PSS);
  const Bytes data = message(50);
  Bytes sig;
  ASSERT_EQ(sign(m.get(), priv, data, &sig), CKR_OK);
  EXPECT_TRUE(evp_verify(shared_key(), "SHA256", true, data, sig));
}

TEST_F(MechRsa, RawPkcs1SignsTheCallersDigestInfo) {
  auto [pub, priv] = import();
  const Bytes data = message(64);
  const Bytes di = sha256_digest_info(data);
  Mech m(CKM_RSA_PKCS);
  Bytes sig;
  ASSERT_EQ(sign(m.get(), priv, di, &sig), CKR_OK);
  EXPECT_EQ(sig, evp_sign(shared_key(), "SHA256", false, data));
  EXPECT_EQ(verify(m.get(), pub, di, sig), CKR_OK);
  Bytes other = di;
  other.back() ^= 1;
  EXPECT_EQ(verify(m.get(), pub, other, sig), CKR_SIGNATURE_INVALID);
  // Multi-part input is collected.
  EXPECT_EQ(sign_multi(m.get(), priv, di, 5), sig);
  // k − 11 bytes at most.
  EXPECT_EQ(sign(m.get(), priv, Bytes(245, 1), &sig), CKR_OK);
  EXPECT_EQ(sign(m.get(), priv, Bytes{}, &sig), CKR_OK);
  EXPECT_EQ(sign(m.get(), priv, Bytes(246, 1), &sig), CKR_DATA_LEN_RANGE);
  ASSERT_EQ(f->C_SignInit(rw_, m.get(), priv), CKR_OK);
  Bytes big(200, 1);
  EXPECT_EQ(f->C_SignUpdate(rw_, big.data(), big.size()), CKR_OK);
  EXPECT_EQ(f->C_SignUpdate(rw_, big.data(), big.size()), CKR_DATA_LEN_RANGE);
  CK_ULONG n = 256;
  EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
}

TEST_F(MechRsa, RawPssSignsTheCallersHash) {
  auto [pub, priv] = import();
  const Bytes data = message(77);
  const Bytes hash = evp_digest("SHA256", data);
  Mech m = Mech::with_pss(CKM_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 32);
  Bytes sig;
  ASSERT_EQ(sign(m.get(), priv, hash, &sig), CKR_OK);
  EXPECT_TRUE(evp_verify(shared_key(), "SHA256", true, data, sig));
  EXPECT_EQ(verify(m.get(), pub, hash, sig), CKR_OK);
  EXPECT_EQ(verify(m.get(), pub, hash, evp_sign(shared_key(), "SHA256", true, data)), CKR_OK);
  // The input must be exactly the hash.
  EXPECT_EQ(sign(m.get(), priv, Bytes(hash.begin(), hash.end() - 1), &sig), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(sign(m.get(), priv, data, &sig), CKR_DATA_LEN_RANGE);
  // A different salt length than the signer used does not verify.
  Mech other = Mech::with_pss(CKM_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 20);
  ASSERT_EQ(sign(m.get(), priv, hash, &sig), CKR_OK);
  EXPECT_EQ(verify(other.get(), pub, hash, sig), CKR_SIGNATURE_INVALID);
  // Mixed hashes: SHA-512 message hash with MGF1-SHA1 and no salt.
  Mech mixed = Mech::with_pss(CKM_RSA_PKCS_PSS, CKM_SHA512, CKG_MGF1_SHA1, 0);
  const Bytes h512 = evp_digest("SHA512", data);
  ASSERT_EQ(sign(mixed.get(), priv, h512, &sig), CKR_OK);
  EXPECT_EQ(verify(mixed.get(), pub, h512, sig), CKR_OK);
}

TEST_F(MechRsa, PssParameterErrors) {
  auto [pub, priv] = import();
  Mech none(CKM_RSA_PKCS_PSS);
  EXPECT_EQ(f->C_SignInit(rw_, none.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  Mech wrong_hash = Mech::with_pss(CKM_SHA256_RSA_PKCS_PSS, CKM_SHA_1, CKG_MGF1_SHA256, 32);
  EXPECT_EQ(f->C_SignInit(rw_, wrong_hash.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(f->C_VerifyInit(rw_, wrong_hash.get(), pub), CKR_MECHANISM_PARAM_INVALID);
  Mech bad_mgf = Mech::with_pss(CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, 0x77, 32);
  EXPECT_EQ(f->C_SignInit(rw_, bad_mgf.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  Mech bad_hash = Mech::with_pss(CKM_RSA_PKCS_PSS, CKM_MD5, CKG_MGF1_SHA256, 16);
  EXPECT_EQ(f->C_SignInit(rw_, bad_hash.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  // emLen = 256: sLen ≤ 256 − 32 − 2.
  Mech max_salt = Mech::with_pss(CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 222);
  Bytes sig;
  EXPECT_EQ(sign(max_salt.get(), priv, message(5), &sig), CKR_OK);
  EXPECT_EQ(verify(max_salt.get(), pub, message(5), sig), CKR_OK);
  Mech long_salt = Mech::with_pss(CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 223);
  EXPECT_EQ(f->C_SignInit(rw_, long_salt.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  Mech huge_salt = Mech::with_pss(CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, ~CK_ULONG{0});
  EXPECT_EQ(f->C_SignInit(rw_, huge_salt.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM short_param{CKM_RSA_PKCS_PSS, &sig, 8};
  EXPECT_EQ(f->C_SignInit(rw_, &short_param, priv), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechRsa, SignatureErrors) {
  auto [pub, priv] = import();
  const Bytes data = message(20);
  for (CK_MECHANISM_TYPE t : {CKM_SHA256_RSA_PKCS, CKM_RSA_PKCS, CKM_RSA_X_509}) {
    Mech m(t);
    Bytes sig;
    ASSERT_EQ(sign(m.get(), priv, data, &sig), CKR_OK);
    Bytes shorter(sig.begin(), sig.end() - 1);
    EXPECT_EQ(verify(m.get(), pub, data, shorter), CKR_SIGNATURE_LEN_RANGE);
    const Bytes longer = concat(sig, {0});
    EXPECT_EQ(verify(m.get(), pub, data, longer), CKR_SIGNATURE_LEN_RANGE);
    Bytes flipped = sig;
    flipped[100] ^= 0x40;
    EXPECT_EQ(verify(m.get(), pub, data, flipped), CKR_SIGNATURE_INVALID);
    EXPECT_EQ(verify(m.get(), pub, data, Bytes(256, 0xff)), CKR_SIGNATURE_INVALID);  // ≥ n
  }
}

TEST_F(MechRsa, SignLengthQueryAndBufferTooSmall) {
  auto [pub, priv] = import();
  Mech m(CKM_SHA256_RSA_PKCS);
  Bytes data = message(10);
  ASSERT_EQ(f->C_SignInit(rw_, m.get(), priv), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_Sign(rw_, data.data(), data.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 256u);
  Bytes sig(255);
  n = 255;
  ASSERT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 256u);
  sig.resize(256);
  ASSERT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_OK);
  EXPECT_TRUE(evp_verify(shared_key(), "SHA256", false, data, sig));
  EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_OPERATION_NOT_INITIALIZED);
}

TEST_F(MechRsa, KeyPolicyErrors) {
  auto [pub, priv] = import(shared_key(), true, false);  // CKA_SIGN = FALSE
  Mech m(CKM_SHA256_RSA_PKCS);
  EXPECT_EQ(f->C_SignInit(rw_, m.get(), priv), CKR_KEY_FUNCTION_NOT_PERMITTED);
  EXPECT_EQ(f->C_SignInit(rw_, m.get(), pub), CKR_KEY_TYPE_INCONSISTENT);  // a public key has no CKA_SIGN
  EXPECT_EQ(f->C_VerifyInit(rw_, m.get(), priv), CKR_KEY_TYPE_INCONSISTENT);
  Mech oaep = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "");
  EXPECT_EQ(f->C_EncryptInit(rw_, oaep.get(), priv), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_DecryptInit(rw_, oaep.get(), pub), CKR_KEY_TYPE_INCONSISTENT);
  // An AES key is not an RSA key.
  Template aes;
  Bytes v(16, 7);
  aes.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, v);
  EXPECT_EQ(f->C_SignInit(rw_, m.get(), create(aes)), CKR_KEY_TYPE_INCONSISTENT);
}

TEST_F(MechRsa, PrivateKeyWithoutCrtValues) {
  auto [pub, priv] = import(shared_key(), false);  // n, e, d only
  const Bytes data = message(300);
  for (const HashSign& h : {kHashSigns[2], kHashSigns[11]}) {
    const CK_ULONG hlen = 32;
    Mech m = h.pss ? Mech::with_pss(h.mech, h.hash, h.mgf, hlen) : Mech(h.mech);
    Bytes sig;
    ASSERT_EQ(sign(m.get(), priv, data, &sig), CKR_OK);
    EXPECT_TRUE(evp_verify(shared_key(), h.evp_name, h.pss, data, sig));
  }
  // Decryption works as well.
  Mech pkcs(CKM_RSA_PKCS);
  const Bytes c = evp_crypt(shared_key(), true, RSA_PKCS1_PADDING, message(40));
  Bytes p;
  ASSERT_EQ(decrypt(pkcs.get(), priv, c, &p), CKR_OK);
  EXPECT_EQ(p, message(40));

  // Even without CKA_PUBLIC_EXPONENT (found among the usual exponents).
  Template t;
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_RSA);
  t.bytes(CKA_MODULUS, bn_param(shared_key(), OSSL_PKEY_PARAM_RSA_N));
  t.bytes(CKA_PRIVATE_EXPONENT, bn_param(shared_key(), OSSL_PKEY_PARAM_RSA_D));
  const CK_OBJECT_HANDLE bare = create(t);
  Mech m(CKM_SHA512_RSA_PKCS);
  Bytes sig;
  ASSERT_EQ(sign(m.get(), bare, data, &sig), CKR_OK);
  EXPECT_TRUE(evp_verify(shared_key(), "SHA512", false, data, sig));
}

TEST_F(MechRsa, KeySizeRange) {
  Pkey small(EVP_RSA_gen(768));
  ASSERT_TRUE(small);
  auto [pub, priv] = import(small.get());
  Mech m(CKM_SHA256_RSA_PKCS);
  EXPECT_EQ(f->C_SignInit(rw_, m.get(), priv), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(f->C_VerifyInit(rw_, m.get(), pub), CKR_KEY_SIZE_RANGE);
  Mech pkcs(CKM_RSA_PKCS);
  EXPECT_EQ(f->C_EncryptInit(rw_, pkcs.get(), pub), CKR_KEY_SIZE_RANGE);
}

// ---- signatures with recovery -------------------------------------------------------------------

TEST_F(MechRsa, SignRecoverAndVerifyRecover) {
  auto [pub, priv] = import();
  const Bytes data = message(50);
  Mech pkcs(CKM_RSA_PKCS);
  Bytes sig, back;
  ASSERT_EQ(recover(true, pkcs.get(), priv, data, &sig), CKR_OK);
  EXPECT_EQ(sig.size(), 256u);
  ASSERT_EQ(recover(false, pkcs.get(), pub, sig, &back), CKR_OK);
  EXPECT_EQ(back, data);
  Bytes plain_sig;
  ASSERT_EQ(sign(pkcs.get(), priv, data, &plain_sig), CKR_OK);
  EXPECT_EQ(plain_sig, sig);
  sig[5] ^= 1;
  EXPECT_EQ(recover(false, pkcs.get(), pub, sig, &back), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(recover(false, pkcs.get(), pub, Bytes(255, 1), &back), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(recover(true, pkcs.get(), priv, Bytes(246, 1), &back), CKR_DATA_LEN_RANGE);

  // Raw: the recovered value is k bytes, the data left-padded with zeros.
  Mech raw(CKM_RSA_X_509);
  ASSERT_EQ(recover(true, raw.get(), priv, data, &sig), CKR_OK);
  ASSERT_EQ(recover(false, raw.get(), pub, sig, &back), CKR_OK);
  ASSERT_EQ(back.size(), 256u);
  EXPECT_EQ(Bytes(back.end() - 50, back.end()), data);
  EXPECT_EQ(Bytes(back.begin(), back.end() - 50), Bytes(206, 0));

  // Length query: k bytes at most.
  ASSERT_EQ(f->C_VerifyRecoverInit(rw_, pkcs.get(), pub), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_VerifyRecover(rw_, plain_sig.data(), plain_sig.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 256u);
  back.assign(n, 0);
  ASSERT_EQ(f->C_VerifyRecover(rw_, plain_sig.data(), plain_sig.size(), back.data(), &n), CKR_OK);
  back.resize(n);
  EXPECT_EQ(back, data);
  // PSS and hash-and-sign have no recovery.
  Mech pss(CKM_SHA256_RSA_PKCS_PSS);
  EXPECT_EQ(f->C_SignRecoverInit(rw_, pss.get(), priv), CKR_MECHANISM_INVALID);
}

TEST_F(MechRsa, RawX509) {
  auto [pub, priv] = import();
  Mech raw(CKM_RSA_X_509);
  const Bytes data = message(40);
  Bytes c, p, sig;
  ASSERT_EQ(encrypt(raw.get(), pub, data, &c), CKR_OK);
  ASSERT_EQ(c.size(), 256u);
  const Bytes padded = concat(Bytes(216, 0), data);
  EXPECT_EQ(c, evp_crypt(shared_key(), true, RSA_NO_PADDING, padded));
  ASSERT_EQ(decrypt(raw.get(), priv, c, &p), CKR_OK);
  EXPECT_EQ(p, padded);  // k bytes
  // Signing is the private-key operation on the same integer; verification compares padded data.
  ASSERT_EQ(sign(raw.get(), priv, data, &sig), CKR_OK);
  EXPECT_EQ(evp_crypt(shared_key(), true, RSA_NO_PADDING, sig), padded);
  EXPECT_EQ(verify(raw.get(), pub, data, sig), CKR_OK);
  EXPECT_EQ(verify(raw.get(), pub, padded, sig), CKR_OK);
  EXPECT_EQ(verify(raw.get(), pub, message(41), sig), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(encrypt(raw.get(), pub, Bytes(257, 1), &c), CKR_DATA_LEN_RANGE);
  EXPECT_EQ(encrypt(raw.get(), pub, Bytes(256, 0xff), &c), CKR_DATA_INVALID);  // ≥ n
  EXPECT_EQ(sign(raw.get(), priv, Bytes(256, 0xff), &sig), CKR_DATA_INVALID);
  EXPECT_EQ(decrypt(raw.get(), priv, Bytes(256, 0xff), &p), CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(decrypt(raw.get(), priv, Bytes(255, 1), &p), CKR_ENCRYPTED_DATA_LEN_RANGE);
}

// ---- encryption -------------------------------------------------------------------------------

TEST_F(MechRsa, Pkcs1EncryptDecrypt) {
  auto [pub, priv] = import();
  Mech m(CKM_RSA_PKCS);
  for (std::size_t len : {0u, 1u, 32u, 245u}) {
    const Bytes data = message(len);
    Bytes c, p;
    ASSERT_EQ(encrypt(m.get(), pub, data, &c), CKR_OK);
    ASSERT_EQ(c.size(), 256u);
    ASSERT_EQ(decrypt(m.get(), priv, c, &p), CKR_OK);
    EXPECT_EQ(p, data);
    EXPECT_EQ(evp_crypt(shared_key(), false, RSA_PKCS1_PADDING, c), data);
    ASSERT_EQ(decrypt(m.get(), priv, evp_crypt(shared_key(), true, RSA_PKCS1_PADDING, data), &p), CKR_OK);
    EXPECT_EQ(p, data);
  }
  Bytes c, p;
  EXPECT_EQ(encrypt(m.get(), pub, message(246), &c), CKR_DATA_LEN_RANGE);
  ASSERT_EQ(encrypt(m.get(), pub, message(16), &c), CKR_OK);
  Bytes bad = c;
  bad[0] ^= 0x01;
  bad[200] ^= 0x80;
  EXPECT_EQ(decrypt(m.get(), priv, bad, &p), CKR_ENCRYPTED_DATA_INVALID);
  // Not a PKCS#1 v1.5 block at all (a raw encryption of a random value).
  EXPECT_EQ(decrypt(m.get(), priv, evp_crypt(shared_key(), true, RSA_NO_PADDING, Bytes(256, 0x11)), &p),
            CKR_ENCRYPTED_DATA_INVALID);
  EXPECT_EQ(decrypt(m.get(), priv, Bytes(c.begin(), c.end() - 1), &p), CKR_ENCRYPTED_DATA_LEN_RANGE);
  const Bytes longer = concat(c, {0});
  EXPECT_EQ(decrypt(m.get(), priv, longer, &p), CKR_ENCRYPTED_DATA_LEN_RANGE);
}

TEST_F(MechRsa, DecryptLengthQueryAndRepeatedCall) {
  auto [pub, priv] = import();
  Mech m(CKM_RSA_PKCS);
  Bytes data = message(20), c;
  ASSERT_EQ(encrypt(m.get(), pub, data, &c), CKR_OK);
  ASSERT_EQ(f->C_DecryptInit(rw_, m.get(), priv), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_Decrypt(rw_, c.data(), c.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 245u);  // an upper bound: k − 11
  Bytes p(5);
  n = 5;
  ASSERT_EQ(f->C_Decrypt(rw_, c.data(), c.size(), p.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 20u);  // now exact
  p.resize(20);
  ASSERT_EQ(f->C_Decrypt(rw_, c.data(), c.size(), p.data(), &n), CKR_OK);
  EXPECT_EQ(p, data);
  // Encryption: k bytes.
  ASSERT_EQ(f->C_EncryptInit(rw_, m.get(), pub), CKR_OK);
  n = 0;
  ASSERT_EQ(f->C_Encrypt(rw_, data.data(), data.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 256u);
  // Multi-part RSA encryption does not exist.
  EXPECT_EQ(f->C_EncryptUpdate(rw_, data.data(), data.size(), p.data(), &n), CKR_FUNCTION_NOT_SUPPORTED);
}

TEST_F(MechRsa, OaepSha256WithLabelAgainstOpenSsl) {
  auto [pub, priv] = import();
  Mech m = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "abc");  // what pkcs11-tool --test sends
  const Bytes data = message(50);
  Bytes c, p;
  // OpenSSL encrypts, the module decrypts.
  ASSERT_EQ(decrypt(m.get(), priv, evp_crypt(shared_key(), true, RSA_PKCS1_OAEP_PADDING, data, "SHA256", "abc"), &p), CKR_OK);
  EXPECT_EQ(p, data);
  // The module encrypts, OpenSSL decrypts.
  ASSERT_EQ(encrypt(m.get(), pub, data, &c), CKR_OK);
  EXPECT_EQ(evp_crypt(shared_key(), false, RSA_PKCS1_OAEP_PADDING, c, "SHA256", "abc"), data);
  // Another label, or none, does not decrypt.
  Mech other = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "abd");
  EXPECT_EQ(decrypt(other.get(), priv, c, &p), CKR_ENCRYPTED_DATA_INVALID);
  Mech unlabelled = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "", 0);
  EXPECT_EQ(decrypt(unlabelled.get(), priv, c, &p), CKR_ENCRYPTED_DATA_INVALID);
  // Size limit: k − 2·32 − 2 = 190.
  EXPECT_EQ(encrypt(m.get(), pub, message(190), &c), CKR_OK);
  EXPECT_EQ(encrypt(m.get(), pub, message(191), &c), CKR_DATA_LEN_RANGE);
}

TEST_F(MechRsa, OaepHashesAndParameters) {
  auto [pub, priv] = import();
  const Bytes data = message(30);
  // SHA-1 without a label (source 0), and every SHA-2/SHA-3 with MGF1 of another hash.
  struct Case {
    CK_MECHANISM_TYPE hash;
    CK_RSA_PKCS_MGF_TYPE mgf;
  };
  for (const Case& k : {Case{CKM_SHA_1, CKG_MGF1_SHA1}, Case{CKM_SHA224, CKG_MGF1_SHA512}, Case{CKM_SHA384, CKG_MGF1_SHA1},
                        Case{CKM_SHA512, CKG_MGF1_SHA3_256}, Case{CKM_SHA3_256, CKG_MGF1_SHA3_256},
                        Case{CKM_SHA3_512, CKG_MGF1_SHA224}}) {
    Mech m = Mech::with_oaep(k.hash, k.mgf, "", k.hash == CKM_SHA_1 ? 0 : CKZ_DATA_SPECIFIED);
    Bytes c, p;
    ASSERT_EQ(encrypt(m.get(), pub, data, &c), CKR_OK) << k.hash;
    ASSERT_EQ(decrypt(m.get(), priv, c, &p), CKR_OK) << k.hash;
    EXPECT_EQ(p, data);
  }
  Mech sha1 = Mech::with_oaep(CKM_SHA_1, CKG_MGF1_SHA1, "", 0);
  Bytes c1;
  ASSERT_EQ(encrypt(sha1.get(), pub, data, &c1), CKR_OK);
  EXPECT_EQ(evp_crypt(shared_key(), false, RSA_PKCS1_OAEP_PADDING, c1, "SHA1"), data);
  Mech bad_hash = Mech::with_oaep(CKM_MD5, CKG_MGF1_SHA256, "");
  EXPECT_EQ(f->C_EncryptInit(rw_, bad_hash.get(), pub), CKR_MECHANISM_PARAM_INVALID);
  Mech bad_mgf = Mech::with_oaep(CKM_SHA256, 0x99, "");
  EXPECT_EQ(f->C_EncryptInit(rw_, bad_mgf.get(), pub), CKR_MECHANISM_PARAM_INVALID);
  Mech bad_source = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "label", 0);
  EXPECT_EQ(f->C_EncryptInit(rw_, bad_source.get(), pub), CKR_MECHANISM_PARAM_INVALID);
  Mech bad_source2 = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "", 2);
  EXPECT_EQ(f->C_DecryptInit(rw_, bad_source2.get(), priv), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM missing{CKM_RSA_PKCS_OAEP, nullptr, 0};
  EXPECT_EQ(f->C_EncryptInit(rw_, &missing, pub), CKR_MECHANISM_PARAM_INVALID);
  // SHA-512 OAEP needs k ≥ 130: a 1024-bit key is too small.
  Pkey k1024(EVP_RSA_gen(1024));
  auto [pub1024, priv1024] = import(k1024.get());
  Mech sha512 = Mech::with_oaep(CKM_SHA512, CKG_MGF1_SHA512, "");
  EXPECT_EQ(f->C_EncryptInit(rw_, sha512.get(), pub1024), CKR_KEY_SIZE_RANGE);
  (void)priv1024;
}

// ---- wrapping ---------------------------------------------------------------------------------

TEST_F(MechRsa, WrapAndUnwrapAnAesKey) {
  auto [pub, priv] = import();
  const Bytes value = message(32);
  Template aes;
  aes.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, value);
  aes.boolean(CKA_EXTRACTABLE, true).boolean(CKA_SENSITIVE, false);
  const CK_OBJECT_HANDLE key = create(aes);

  Mech oaep = Mech::with_oaep(CKM_SHA256, CKG_MGF1_SHA256, "wrap");
  Mech pkcs(CKM_RSA_PKCS);
  for (Mech* m : {&oaep, &pkcs}) {
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_WrapKey(rw_, m->get(), pub, key, nullptr, &n), CKR_OK);
    Bytes wrapped(n);
    ASSERT_EQ(f->C_WrapKey(rw_, m->get(), pub, key, wrapped.data(), &n), CKR_OK);
    wrapped.resize(n);
    ASSERT_EQ(wrapped.size(), 256u);
    // OpenSSL recovers the same value.
    if (m == &oaep) {
      EXPECT_EQ(evp_crypt(shared_key(), false, RSA_PKCS1_OAEP_PADDING, wrapped, "SHA256", "wrap"), value);
    } else {
      EXPECT_EQ(evp_crypt(shared_key(), false, RSA_PKCS1_PADDING, wrapped), value);
    }
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_EXTRACTABLE, true).boolean(CKA_SENSITIVE, false);
    CK_OBJECT_HANDLE out = 0;
    ASSERT_EQ(f->C_UnwrapKey(rw_, m->get(), priv, wrapped.data(), wrapped.size(), t.data(), t.size(), &out), CKR_OK);
    EXPECT_EQ(attr(out, CKA_VALUE), value);
    EXPECT_EQ(attr_ulong(out, CKA_VALUE_LEN), 32u);
    // Corrupted or wrong-length blobs.
    Bytes bad = wrapped;
    bad[7] ^= 4;
    EXPECT_EQ(f->C_UnwrapKey(rw_, m->get(), priv, bad.data(), bad.size(), t.data(), t.size(), &out), CKR_WRAPPED_KEY_INVALID);
    EXPECT_EQ(f->C_UnwrapKey(rw_, m->get(), priv, bad.data(), 255, t.data(), t.size(), &out), CKR_WRAPPED_KEY_LEN_RANGE);
    // Wrapping needs the public key, unwrapping the private one.
    EXPECT_EQ(f->C_WrapKey(rw_, m->get(), priv, key, nullptr, &n), CKR_WRAPPING_KEY_TYPE_INCONSISTENT);
    EXPECT_EQ(f->C_UnwrapKey(rw_, m->get(), pub, wrapped.data(), wrapped.size(), t.data(), t.size(), &out),
              CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT);
  }
}

TEST_F(MechRsa, WrapAndUnwrapRawX509) {
  auto [pub, priv] = import();
  Bytes value = message(24);
  value[0] = 0x9c;  // raw RSA cannot keep leading zero bytes of the key (docs/MECHANISMS.md)
  Template gs;
  gs.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, value);
  gs.boolean(CKA_EXTRACTABLE, true).boolean(CKA_SENSITIVE, false);
  const CK_OBJECT_HANDLE key = create(gs);
  Mech raw(CKM_RSA_X_509);
  CK_ULONG n = 256;
  Bytes wrapped(n);
  ASSERT_EQ(f->C_WrapKey(rw_, raw.get(), pub, key, wrapped.data(), &n), CKR_OK);
  ASSERT_EQ(n, 256u);
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_SENSITIVE, false);
  t.boolean(CKA_EXTRACTABLE, true);
  CK_OBJECT_HANDLE out = 0;
  ASSERT_EQ(f->C_UnwrapKey(rw_, raw.get(), priv, wrapped.data(), wrapped.size(), t.data(), t.size(), &out), CKR_OK);
  EXPECT_EQ(attr(out, CKA_VALUE), value);

  // A key longer than the scheme carries.
  Template big;
  big.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, message(246));
  big.boolean(CKA_EXTRACTABLE, true);
  const CK_OBJECT_HANDLE big_key = create(big);
  Mech pkcs(CKM_RSA_PKCS);
  n = 256;
  EXPECT_EQ(f->C_WrapKey(rw_, pkcs.get(), pub, big_key, wrapped.data(), &n), CKR_KEY_SIZE_RANGE);
  n = 256;
  EXPECT_EQ(f->C_WrapKey(rw_, raw.get(), pub, big_key, wrapped.data(), &n), CKR_OK);
}

}  // namespace
}  // namespace craton::test
