// X9.62 elliptic curves and Montgomery ECDH through the module API: key-pair generation on every
// curve (attributes, CKA_EC_PARAMS forms, refusals), ECDSA with every hash against OpenSSL in both
// directions, ECDH against OpenSSL and RFC 7748 §6.1, the ECDH KDFs against a hand-written ANSI X9.63
// / SP 800-56C KDF on EVP digests, and the error codes of bad parameters and signatures.
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>
#include <string>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;


Bytes cat(const Bytes& a, const Bytes& b) {
  Bytes out(a.size() + b.size());
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + static_cast<std::ptrdiff_t>(a.size()));
  return out;
}

// DER OCTET STRING (short or one-byte long form: enough for points).
Bytes octet_string(const Bytes& v) {
  Bytes head = v.size() < 128 ? Bytes{0x04, static_cast<std::uint8_t>(v.size())}
                              : Bytes{0x04, 0x81, static_cast<std::uint8_t>(v.size())};
  return cat(head, v);
}

Bytes printable(const std::string& s) {
  Bytes out{0x13, static_cast<std::uint8_t>(s.size())};
  return cat(out, Bytes(s.begin(), s.end()));
}

struct PkeyDel {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDel>;

struct WCurve {
  const char* name;      // OpenSSL group name
  const char* oid_hex;   // DER OID
  std::size_t field;     // bytes
};

const WCurve kCurves[] = {
    {"prime256v1", "06082a8648ce3d030107", 32},
    {"secp384r1", "06052b81040022", 48},
    {"secp521r1", "06052b81040023", 66},
    {"secp256k1", "06052b8104000a", 32},
};

struct HashCase {
  CK_MECHANISM_TYPE mech;
  const char* md;  // nullptr: raw CKM_ECDSA
};

const HashCase kHashes[] = {
    {CKM_ECDSA, nullptr},          {CKM_ECDSA_SHA1, "SHA1"},         {CKM_ECDSA_SHA224, "SHA224"},
    {CKM_ECDSA_SHA256, "SHA256"},  {CKM_ECDSA_SHA384, "SHA384"},     {CKM_ECDSA_SHA512, "SHA512"},
    {CKM_ECDSA_SHA3_224, "SHA3-224"}, {CKM_ECDSA_SHA3_256, "SHA3-256"}, {CKM_ECDSA_SHA3_384, "SHA3-384"},
    {CKM_ECDSA_SHA3_512, "SHA3-512"},
};

Bytes evp_hash(const char* name, const Bytes& data) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr), 1);
  EVP_MD_free(md);
  out.resize(n);
  return out;
}

// r || s <-> DER ECDSA-Sig-Value, for OpenSSL.
Bytes rs_to_der(const Bytes& rs) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  const int half = static_cast<int>(rs.size() / 2);
  ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), half, nullptr), BN_bin2bn(rs.data() + half, half, nullptr));
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

Bytes der_to_rs(const Bytes& der, std::size_t field) {
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  Bytes out(2 * field);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), out.data(), static_cast<int>(field));
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), out.data() + field, static_cast<int>(field));
  ECDSA_SIG_free(sig);
  return out;
}

// OpenSSL verification of a module signature: with the hash of `md`, or over `data` as the hash.
bool ossl_verify(EVP_PKEY* key, const char* md, const Bytes& data, const Bytes& rs) {
  const Bytes der = rs_to_der(rs);
  const Bytes tbs = md != nullptr ? evp_hash(md, data) : data;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
  const bool ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_verify(ctx, der.data(), der.size(), tbs.data(), tbs.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

Bytes ossl_sign(EVP_PKEY* key, const char* md, const Bytes& data, std::size_t field) {
  const Bytes tbs = md != nullptr ? evp_hash(md, data) : data;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr);
  std::size_t len = 0;
  EXPECT_EQ(EVP_PKEY_sign_init(ctx), 1);
  EXPECT_EQ(EVP_PKEY_sign(ctx, nullptr, &len, tbs.data(), tbs.size()), 1);
  Bytes der(len);
  EXPECT_EQ(EVP_PKEY_sign(ctx, der.data(), &len, tbs.data(), tbs.size()), 1);
  der.resize(len);
  EVP_PKEY_CTX_free(ctx);
  return der_to_rs(der, field);
}

Pkey ossl_generate(const char* group) {
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group));
}

Bytes ossl_point(EVP_PKEY* key, bool compressed = false) {
  if (compressed) EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed");
  std::size_t len = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0, &len);
  Bytes out(len);
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out.data(), out.size(), &len);
  if (compressed) EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed");
  return out;
}

Bytes ossl_scalar(EVP_PKEY* key, std::size_t field) {
  BIGNUM* d = nullptr;
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d);
  Bytes out(field);
  BN_bn2binpad(d, out.data(), static_cast<int>(field));
  BN_clear_free(d);
  return out;
}

Bytes ossl_derive(EVP_PKEY* priv, EVP_PKEY* peer) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, priv, nullptr);
  std::size_t len = 0;
  EXPECT_EQ(EVP_PKEY_derive_init(ctx), 1);
  EXPECT_EQ(EVP_PKEY_derive_set_peer(ctx, peer), 1);
  EXPECT_EQ(EVP_PKEY_derive(ctx, nullptr, &len), 1);
  Bytes z(len);
  EXPECT_EQ(EVP_PKEY_derive(ctx, z.data(), &len), 1);
  EVP_PKEY_CTX_free(ctx);
  return z;
}

// ANSI X9.63 KDF and SP 800-56C one-step KDF written out on EVP digests.
Bytes ref_kdf(const char* md, const Bytes& z, const Bytes& info, std::size_t len, bool counter_first) {
  Bytes out;
  for (std::uint32_t counter = 1; out.size() < len; ++counter) {
    const Bytes c{static_cast<std::uint8_t>(counter >> 24), static_cast<std::uint8_t>(counter >> 16),
                  static_cast<std::uint8_t>(counter >> 8), static_cast<std::uint8_t>(counter)};
    const Bytes block = evp_hash(md, counter_first ? cat(cat(c, z), info) : cat(cat(z, c), info));
    out = cat(out, block);
  }
  out.resize(len);
  return out;
}

class MechEc : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  struct Pair {
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE;
  };

  CK_RV generate(CK_MECHANISM_TYPE m, const Bytes& params, Pair& out, CK_KEY_TYPE tmpl_kt = 0) {
    CK_MECHANISM mech{m, nullptr, 0};
    Template pub, priv;
    pub.bytes(CKA_EC_PARAMS, params).boolean(CKA_VERIFY, true);
    priv.boolean(CKA_SIGN, true).boolean(CKA_DERIVE, true).boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
    if (tmpl_kt != 0) pub.ulong(CKA_KEY_TYPE, tmpl_kt);
    return f->C_GenerateKeyPair(rw_, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &out.pub, &out.priv);
  }
  Pair generate_ok(const Bytes& params) {
    Pair p;
    EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, params, p), CKR_OK);
    return p;
  }

  Pkey spki_key(CK_OBJECT_HANDLE h) {
    const Bytes spki = attr(h, CKA_PUBLIC_KEY_INFO);
    const unsigned char* p = spki.data();
    return Pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  }

  Bytes sign(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE key, const Bytes& data) {
    CK_MECHANISM mech{m, nullptr, 0};
    EXPECT_EQ(f->C_SignInit(rw_, &mech, key), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n), CKR_OK);
    Bytes sig(n);
    EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  Bytes sign_parts(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE key, const Bytes& data) {
    CK_MECHANISM mech{m, nullptr, 0};
    EXPECT_EQ(f->C_SignInit(rw_, &mech, key), CKR_OK);
    for (std::size_t off = 0; off < data.size(); off += 7) {
      const std::size_t n = std::min<std::size_t>(7, data.size() - off);
      EXPECT_EQ(f->C_SignUpdate(rw_, const_cast<CK_BYTE*>(data.data()) + off, n), CKR_OK);
    }
    CK_ULONG n = 200;
    Bytes sig(n);
    EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  CK_RV verify(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    CK_MECHANISM mech{m, nullptr, 0};
    EXPECT_EQ(f->C_VerifyInit(rw_, &mech, key), CKR_OK);
    return f->C_Verify(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
  CK_RV verify_parts(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    CK_MECHANISM mech{m, nullptr, 0};
    EXPECT_EQ(f->C_VerifyInit(rw_, &mech, key), CKR_OK);
    const std::size_t half = data.size() / 2;
    EXPECT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data()), half), CKR_OK);
    EXPECT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data()) + half, data.size() - half), CKR_OK);
    return f->C_VerifyFinal(rw_, const_cast<CK_BYTE*>(sig.data()), sig.size());
  }

  // Imports an OpenSSL key pair as token objects.
  Pair import(EVP_PKEY* key, const WCurve& c, CK_KEY_TYPE kt = CKK_EC) {
    Pair p;
    Template pub, priv;
    pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, kt).bytes(CKA_EC_PARAMS, from_hex(c.oid_hex))
        .bytes(CKA_EC_POINT, octet_string(ossl_point(key))).boolean(CKA_VERIFY, true);
    priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, kt).bytes(CKA_EC_PARAMS, from_hex(c.oid_hex))
        .bytes(CKA_VALUE, ossl_scalar(key, c.field)).boolean(CKA_SIGN, true).boolean(CKA_DERIVE, true);
    EXPECT_EQ(f->C_CreateObject(rw_, pub.data(), pub.size(), &p.pub), CKR_OK);
    EXPECT_EQ(f->C_CreateObject(rw_, priv.data(), priv.size(), &p.priv), CKR_OK);
    return p;
  }

  // C_DeriveKey into a readable generic secret; returns the rv and, on success, the value.
  CK_RV derive(CK_MECHANISM_TYPE m, CK_OBJECT_HANDLE base, CK_EC_KDF_TYPE kdf, const Bytes& peer, const Bytes& shared,
               CK_ULONG value_len, Bytes& value) {
    CK_ECDH1_DERIVE_PARAMS p{kdf, shared.size(), shared.empty() ? nullptr : const_cast<CK_BYTE*>(shared.data()),
                             peer.size(), const_cast<CK_BYTE*>(peer.data())};
    CK_MECHANISM mech{m, &p, sizeof p};
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).boolean(CKA_SENSITIVE, false)
        .boolean(CKA_EXTRACTABLE, true);
    if (value_len != 0) t.ulong(CKA_VALUE_LEN, value_len);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    const CK_RV rv = f->C_DeriveKey(rw_, &mech, base, t.data(), t.size(), &h);
    if (rv == CKR_OK) value = attr(h, CKA_VALUE);
    return rv;
  }
};

// ---- key-pair generation ------------------------------------------------------------------------

TEST_F(MechEc, KeyGenOnEveryCurveProducesConsistentAttributes) {
  for (const auto& c : kCurves) {
    SCOPED_TRACE(c.name);
    const Bytes oid = from_hex(c.oid_hex);
    const Pair p = generate_ok(oid);
    const Bytes point = attr(p.pub, CKA_EC_POINT);
    ASSERT_EQ(point.size(), 2 * c.field + 1 + (2 * c.field + 1 < 128 ? 2 : 3));  // DER OCTET STRING
    EXPECT_EQ(point[0], 0x04);
    EXPECT_EQ(point[point.size() - 2 * c.field - 1], 0x04);  // uncompressed X9.62 point
    EXPECT_EQ(attr(p.pub, CKA_EC_PARAMS), oid);
    EXPECT_EQ(attr(p.priv, CKA_EC_PARAMS), oid);
    EXPECT_EQ(attr_ulong(p.pub, CKA_KEY_TYPE), CKK_EC);
    EXPECT_EQ(attr_ulong(p.priv, CKA_KEY_TYPE), CKK_EC);
    EXPECT_EQ(attr_ulong(p.pub, CKA_KEY_GEN_MECHANISM), CKM_EC_KEY_PAIR_GEN);
    EXPECT_EQ(attr_ulong(p.priv, CKA_KEY_GEN_MECHANISM), CKM_EC_KEY_PAIR_GEN);
    EXPECT_EQ(attr(p.pub, CKA_LOCAL), Bytes{CK_TRUE});
    EXPECT_EQ(attr(p.priv, CKA_LOCAL), Bytes{CK_TRUE});
    EXPECT_EQ(attr(p.priv, CKA_VALUE).size(), c.field);
    // CKA_PUBLIC_KEY_INFO: the same SPKI on both keys, holding CKA_EC_POINT's point.
    EXPECT_EQ(attr(p.pub, CKA_PUBLIC_KEY_INFO), attr(p.priv, CKA_PUBLIC_KEY_INFO));
    Pkey key = spki_key(p.pub);
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "EC"));
    EXPECT_EQ(octet_string(ossl_point(key.get())), point);
    const Bytes data = {'a', 'b', 'c'};
    EXPECT_TRUE(ossl_verify(key.get(), "SHA256", data, sign(CKM_ECDSA_SHA256, p.priv, data)));
  }
}

TEST_F(MechEc, KeyGenAcceptsCurveNamesAndKeepsTheCallersBytes) {
  for (const char* name : {"prime256v1", "secp384r1", "secp521r1", "secp256k1"}) {
    SCOPED_TRACE(name);
    const Bytes params = printable(name);
    const Pair p = generate_ok(params);
    EXPECT_EQ(attr(p.pub, CKA_EC_PARAMS), params);
    EXPECT_EQ(attr(p.priv, CKA_EC_PARAMS), params);
    EXPECT_EQ(verify(CKM_ECDSA_SHA384, p.pub, params, sign(CKM_ECDSA_SHA384, p.priv, params)), CKR_OK);
  }
  // CKM_ECDSA_KEY_PAIR_GEN is the old name of the same mechanism number.
  Pair p;
  EXPECT_EQ(generate(CKM_ECDSA_KEY_PAIR_GEN, from_hex(kCurves[0].oid_hex), p), CKR_OK);
}

TEST_F(MechEc, KeyGenRefusals) {
  Pair p;
  // brainpoolP256r1: well-formed, not supported.
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, from_hex("06092b2403030208010107"), p), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, printable("brainpoolP256r1"), p), CKR_CURVE_NOT_SUPPORTED);
  // Edwards and Montgomery curves are not X9.62 curves.
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, from_hex("06032b6570"), p), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, printable("edwards25519"), p), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, from_hex("06032b656e"), p), CKR_CURVE_NOT_SUPPORTED);
  // Explicit parameters are a valid choice the token does not support.
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, from_hex("3003020101"), p), CKR_CURVE_NOT_SUPPORTED);
  // Not DER / not an OID or name.
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, from_hex("0403010203"), p), CKR_ATTRIBUTE_VALUE_INVALID);
  // A template key type of another family contradicts the mechanism.
  EXPECT_EQ(generate(CKM_EC_KEY_PAIR_GEN, from_hex(kCurves[0].oid_hex), p, CKK_EC_EDWARDS), CKR_TEMPLATE_INCONSISTENT);
  // No CKA_EC_PARAMS at all.
  CK_MECHANISM mech{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  Template pub, priv;
  pub.boolean(CKA_VERIFY, true);
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &p.pub, &p.priv),
            CKR_TEMPLATE_INCOMPLETE);
  // Both templates naming different curves.
  Template pub2, priv2;
  pub2.bytes(CKA_EC_PARAMS, from_hex(kCurves[0].oid_hex));
  priv2.bytes(CKA_EC_PARAMS, from_hex(kCurves[1].oid_hex));
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &mech, pub2.data(), pub2.size(), priv2.data(), priv2.size(), &p.pub, &p.priv),
            CKR_TEMPLATE_INCONSISTENT);
  // The same curve in the other form is fine; each key keeps its template's bytes.
  Template pub3, priv3;
  pub3.bytes(CKA_EC_PARAMS, from_hex(kCurves[0].oid_hex));
  priv3.bytes(CKA_EC_PARAMS, printable("prime256v1"));
  ASSERT_EQ(f->C_GenerateKeyPair(rw_, &mech, pub3.data(), pub3.size(), priv3.data(), priv3.size(), &p.pub, &p.priv),
            CKR_OK);
  EXPECT_EQ(attr(p.priv, CKA_EC_PARAMS), printable("prime256v1"));
  // The mechanism takes no parameter.
  CK_ULONG junk = 0;
  CK_MECHANISM with_param{CKM_EC_KEY_PAIR_GEN, &junk, sizeof junk};
  EXPECT_EQ(f->C_GenerateKeyPair(rw_, &with_param, pub3.data(), pub3.size(), priv3.data(), priv3.size(), &p.pub, &p.priv),
            CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechEc, MechanismInfo) {
  struct Want {
    CK_MECHANISM_TYPE m;
    CK_ULONG min, max;
    CK_FLAGS flags;
  };
  const CK_FLAGS ec = CKF_EC_F_P | CKF_EC_OID | CKF_EC_CURVENAME | CKF_EC_UNCOMPRESS;
  const Want wants[] = {
      {CKM_EC_KEY_PAIR_GEN, 256, 521, CKF_GENERATE_KEY_PAIR | ec},
      {CKM_EC_EDWARDS_KEY_PAIR_GEN, 255, 448, CKF_GENERATE_KEY_PAIR | CKF_EC_F_P | CKF_EC_OID | CKF_EC_CURVENAME},
      {CKM_EC_MONTGOMERY_KEY_PAIR_GEN, 255, 448, CKF_GENERATE_KEY_PAIR | CKF_EC_F_P | CKF_EC_OID | CKF_EC_CURVENAME},
      {CKM_ECDSA, 256, 521, CKF_SIGN | CKF_VERIFY | ec | CKF_EC_COMPRESS},
      {CKM_ECDSA_SHA3_512, 256, 521, CKF_SIGN | CKF_VERIFY | ec | CKF_EC_COMPRESS},
      {CKM_EDDSA, 255, 448, CKF_SIGN | CKF_VERIFY | CKF_EC_F_P | CKF_EC_OID | CKF_EC_CURVENAME},
      {CKM_ECDH1_DERIVE, 255, 521, CKF_DERIVE | ec | CKF_EC_COMPRESS},
      {CKM_ECDH1_COFACTOR_DERIVE, 256, 521, CKF_DERIVE | ec | CKF_EC_COMPRESS},
  };
  for (const auto& w : wants) {
    CK_MECHANISM_INFO info{};
    ASSERT_EQ(f->C_GetMechanismInfo(slot_, w.m, &info), CKR_OK) << w.m;
    EXPECT_EQ(info.ulMinKeySize, w.min) << w.m;
    EXPECT_EQ(info.ulMaxKeySize, w.max) << w.m;
    EXPECT_EQ(info.flags, w.flags) << w.m;
  }
}

// ---- ECDSA --------------------------------------------------------------------------------------

TEST_F(MechEc, EcdsaEveryHashAndCurveInteroperatesWithOpenSsl) {
  Bytes data(300);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
  for (const auto& c : kCurves) {
    Pkey key = ossl_generate(c.name);
    const Pair p = import(key.get(), c);
    for (const auto& h : kHashes) {
      SCOPED_TRACE(std::string(c.name) + " " + std::to_string(h.mech));
      // Raw CKM_ECDSA signs a hash given by the caller.
      const Bytes input = h.md != nullptr ? data : evp_hash("SHA256", data);
      const Bytes sig = sign(h.mech, p.priv, input);
      ASSERT_EQ(sig.size(), 2 * c.field);
      EXPECT_TRUE(ossl_verify(key.get(), h.md, input, sig));
      EXPECT_EQ(verify(h.mech, p.pub, input, ossl_sign(key.get(), h.md, input, c.field)), CKR_OK);
      // Multi-part gives the same result as single-part in both directions.
      const Bytes parts = sign_parts(h.mech, p.priv, input);
      EXPECT_TRUE(ossl_verify(key.get(), h.md, input, parts));
      EXPECT_EQ(verify_parts(h.mech, p.pub, input, sig), CKR_OK);
      EXPECT_EQ(verify(h.mech, p.pub, input, parts), CKR_OK);
    }
  }
}

TEST_F(MechEc, RawEcdsaTakesHashesOfAnyLength) {
  for (const auto& c : {kCurves[0], kCurves[2]}) {
    Pkey key = ossl_generate(c.name);
    const Pair p = import(key.get(), c);
    for (std::size_t len : {0u, 1u, 20u, 32u, 48u, 64u, 100u}) {
      SCOPED_TRACE(std::string(c.name) + " len " + std::to_string(len));
      Bytes hash(len, 0xA5);
      // FIPS 186-5: the leftmost bits are used, exactly as OpenSSL does.
      const Bytes sig = sign(CKM_ECDSA, p.priv, hash);
      EXPECT_TRUE(ossl_verify(key.get(), nullptr, hash, sig));
      EXPECT_EQ(verify(CKM_ECDSA, p.pub, hash, ossl_sign(key.get(), nullptr, hash, c.field)), CKR_OK);
    }
  }
}

TEST_F(MechEc, EcdsaVerifyErrorCodes) {
  const Pair p = generate_ok(from_hex(kCurves[0].oid_hex));
  const Bytes data = {1, 2, 3, 4};
  Bytes sig = sign(CKM_ECDSA_SHA256, p.priv, data);
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, data, sig), CKR_OK);
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, data, Bytes(sig.begin(), sig.end() - 1)), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, data, cat(sig, Bytes{0})), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify_parts(CKM_ECDSA_SHA256, p.pub, data, Bytes(10)), CKR_SIGNATURE_LEN_RANGE);
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, Bytes{1, 2, 3, 5}, sig), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, data, Bytes(64, 0)), CKR_SIGNATURE_INVALID);      // r = s = 0
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, data, Bytes(64, 0xFF)), CKR_SIGNATURE_INVALID);   // r, s >= n
  sig[10] ^= 1;
  EXPECT_EQ(verify(CKM_ECDSA_SHA256, p.pub, data, sig), CKR_SIGNATURE_INVALID);
  EXPECT_EQ(verify_parts(CKM_ECDSA_SHA256, p.pub, data, sig), CKR_SIGNATURE_INVALID);
}

TEST_F(MechEc, EcdsaSignLengthQueryAndShortBuffer) {
  const Pair p = generate_ok(from_hex(kCurves[2].oid_hex));  // P-521: 132-byte signatures
  CK_MECHANISM mech{CKM_ECDSA_SHA512, nullptr, 0};
  Bytes data = {9, 9, 9};
  ASSERT_EQ(f->C_SignInit(rw_, &mech, p.priv), CKR_OK);
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 132u);
  Bytes sig(10);
  n = sig.size();
  EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 132u);
  sig.resize(n);
  EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_OK);  // the operation was kept
  EXPECT_EQ(verify(CKM_ECDSA_SHA512, p.pub, data, sig), CKR_OK);
  // Multi-part: the same rules at C_SignFinal.
  ASSERT_EQ(f->C_SignInit(rw_, &mech, p.priv), CKR_OK);
  ASSERT_EQ(f->C_SignUpdate(rw_, data.data(), data.size()), CKR_OK);
  n = 5;
  EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(n, 132u);
  EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OK);
  EXPECT_EQ(verify(CKM_ECDSA_SHA512, p.pub, data, sig), CKR_OK);
}

TEST_F(MechEc, EcdsaKeyAndParameterRefusals) {
  const Pair p = generate_ok(from_hex(kCurves[0].oid_hex));
  CK_MECHANISM mech{CKM_ECDSA_SHA256, nullptr, 0};
  // A public key cannot sign, a private key cannot verify.
  EXPECT_EQ(f->C_SignInit(rw_, &mech, p.pub), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(f->C_VerifyInit(rw_, &mech, p.priv), CKR_KEY_TYPE_INCONSISTENT);
  // ECDSA takes no parameter.
  CK_ULONG junk = 0;
  CK_MECHANISM with_param{CKM_ECDSA_SHA256, &junk, sizeof junk};
  EXPECT_EQ(f->C_SignInit(rw_, &with_param, p.priv), CKR_MECHANISM_PARAM_INVALID);
  // An Edwards key is not an ECDSA key.
  Pair ed;
  ASSERT_EQ(generate(CKM_EC_EDWARDS_KEY_PAIR_GEN, from_hex("06032b6570"), ed), CKR_OK);
  EXPECT_EQ(f->C_SignInit(rw_, &mech, ed.priv), CKR_KEY_TYPE_INCONSISTENT);
  // A public key whose point is not on the curve is refused when it is created.
  Template bad;
  Bytes point = ossl_point(ossl_generate("prime256v1").get());
  point.back() ^= 1;
  bad.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, from_hex(kCurves[0].oid_hex))
      .bytes(CKA_EC_POINT, octet_string(point));
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_CreateObject(rw_, bad.data(), bad.size(), &h), CKR_ATTRIBUTE_VALUE_INVALID);
}

// ---- ECDH ---------------------------------------------------------------------------------------

TEST_F(MechEc, EcdhBothWaysMatchesOpenSsl) {
  for (const auto& c : kCurves) {
    SCOPED_TRACE(c.name);
    const Pair a = generate_ok(from_hex(c.oid_hex));
    const Pair b = generate_ok(from_hex(c.oid_hex));
    const Bytes a_point = attr(a.pub, CKA_EC_POINT), b_point = attr(b.pub, CKA_EC_POINT);
    Bytes ab, ba;
    // pPublicData as the bare point and as CKA_EC_POINT's DER.
    ASSERT_EQ(derive(CKM_ECDH1_DERIVE, a.priv, CKD_NULL, Bytes(b_point.begin() + (b_point[1] == 0x81 ? 3 : 2), b_point.end()),
                     {}, 0, ab), CKR_OK);
    ASSERT_EQ(derive(CKM_ECDH1_DERIVE, b.priv, CKD_NULL, a_point, {}, 0, ba), CKR_OK);
    EXPECT_EQ(ab.size(), c.field);
    EXPECT_EQ(ab, ba);
    // OpenSSL from the two keys' SPKIs and a's scalar.
    Pkey b_pub = spki_key(b.pub);
    const Bytes scalar = attr(a.priv, CKA_VALUE);
    Pkey a_priv;
    {
      OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
      BIGNUM* d = BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr);
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, c.name, 0);
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
      OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
      EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
      EVP_PKEY* raw = nullptr;
      EXPECT_EQ(EVP_PKEY_fromdata_init(ctx), 1);
      EXPECT_EQ(EVP_PKEY_fromdata(ctx, &raw, EVP_PKEY_KEYPAIR, params), 1);
      a_priv.reset(raw);
      EVP_PKEY_CTX_free(ctx);
      OSSL_PARAM_free(params);
      BN_clear_free(d);
      OSSL_PARAM_BLD_free(bld);
    }
    EXPECT_EQ(ossl_derive(a_priv.get(), b_pub.get()), ab);
    // The cofactor variant is the same on these prime-order curves.
    Bytes cof;
    ASSERT_EQ(derive(CKM_ECDH1_COFACTOR_DERIVE, a.priv, CKD_NULL, b_point, {}, 0, cof), CKR_OK);
    EXPECT_EQ(cof, ab);
  }
}

TEST_F(MechEc, EcdhPeerFormsAndLengths) {
  const WCurve& c = kCurves[0];
  Pkey a = ossl_generate(c.name), b = ossl_generate(c.name);
  const Pair pa = import(a.get(), c);
  const Bytes z = ossl_derive(a.get(), b.get());
  Bytes v;
  ASSERT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, ossl_point(b.get(), true), {}, 0, v), CKR_OK);  // compressed
  EXPECT_EQ(v, z);
  ASSERT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, octet_string(ossl_point(b.get(), true)), {}, 0, v), CKR_OK);
  EXPECT_EQ(v, z);
  // A shorter key keeps the trailing bytes of Z; a longer one is refused.
  ASSERT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, ossl_point(b.get()), {}, 16, v), CKR_OK);
  EXPECT_EQ(v, Bytes(z.end() - 16, z.end()));
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, ossl_point(b.get()), {}, 33, v), CKR_TEMPLATE_INCONSISTENT);
  // An AES key from the shared secret.
  CK_ECDH1_DERIVE_PARAMS p{CKD_NULL, 0, nullptr, 65, nullptr};
  Bytes peer = ossl_point(b.get());
  p.pPublicData = peer.data();
  CK_MECHANISM mech{CKM_ECDH1_DERIVE, &p, sizeof p};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).ulong(CKA_VALUE_LEN, 16);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_DeriveKey(rw_, &mech, pa.priv, t.data(), t.size(), &h), CKR_OK);
  EXPECT_EQ(attr_ulong(h, CKA_VALUE_LEN), 16u);
  EXPECT_EQ(attr_ulong(h, CKA_KEY_GEN_MECHANISM), CK_UNAVAILABLE_INFORMATION);
}

TEST_F(MechEc, EcdhKdfsMatchAHandWrittenKdf) {
  const WCurve& c = kCurves[1];
  Pkey a = ossl_generate(c.name), b = ossl_generate(c.name);
  const Pair pa = import(a.get(), c);
  const Bytes z = ossl_derive(a.get(), b.get()), peer = ossl_point(b.get());
  const Bytes info = {'s', 'h', 'a', 'r', 'e', 'd', 0, 1, 2};
  struct Kdf {
    CK_EC_KDF_TYPE x963, sp800;
    const char* md;
  };
  const Kdf kdfs[] = {
      {CKD_SHA1_KDF, CKD_SHA1_KDF_SP800, "SHA1"},
      {CKD_SHA224_KDF, CKD_SHA224_KDF_SP800, "SHA224"},
      {CKD_SHA256_KDF, CKD_SHA256_KDF_SP800, "SHA256"},
      {CKD_SHA384_KDF, CKD_SHA384_KDF_SP800, "SHA384"},
      {CKD_SHA512_KDF, CKD_SHA512_KDF_SP800, "SHA512"},
      {CKD_SHA3_224_KDF, CKD_SHA3_224_KDF_SP800, "SHA3-224"},
      {CKD_SHA3_256_KDF, CKD_SHA3_256_KDF_SP800, "SHA3-256"},
      {CKD_SHA3_384_KDF, CKD_SHA3_384_KDF_SP800, "SHA3-384"},
      {CKD_SHA3_512_KDF, CKD_SHA3_512_KDF_SP800, "SHA3-512"},
  };
  for (const auto& k : kdfs) {
    SCOPED_TRACE(k.md);
    for (CK_ULONG len : {16UL, 70UL}) {  // one block and several
      Bytes v;
      ASSERT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, k.x963, peer, info, len, v), CKR_OK);
      EXPECT_EQ(v, ref_kdf(k.md, z, info, len, false));
      ASSERT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, k.sp800, peer, info, len, v), CKR_OK);
      EXPECT_EQ(v, ref_kdf(k.md, z, info, len, true));
    }
    Bytes v;  // no shared data
    ASSERT_EQ(derive(CKM_ECDH1_COFACTOR_DERIVE, pa.priv, k.x963, peer, {}, 32, v), CKR_OK);
    EXPECT_EQ(v, ref_kdf(k.md, z, {}, 32, false));
  }
}

TEST_F(MechEc, EcdhParameterErrors) {
  const WCurve& c = kCurves[0];
  Pkey a = ossl_generate(c.name), b = ossl_generate(c.name);
  const Pair pa = import(a.get(), c);
  const Bytes peer = ossl_point(b.get());
  Bytes v;
  Bytes off_curve = peer;
  off_curve.back() ^= 1;
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, off_curve, {}, 0, v), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, Bytes(peer.begin(), peer.end() - 1), {}, 0, v),
            CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, Bytes{0x00}, {}, 0, v), CKR_MECHANISM_PARAM_INVALID);  // infinity
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, ossl_point(ossl_generate("secp384r1").get()), {}, 0, v),
            CKR_MECHANISM_PARAM_INVALID);  // a point of another curve
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_NULL, peer, Bytes{1}, 0, v), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_SHA1_KDF_ASN1, peer, {}, 16, v), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, 0x12345, peer, {}, 16, v), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, pa.priv, CKD_SHA256_KDF, peer, {}, 0, v), CKR_TEMPLATE_INCOMPLETE);
  // A wrong-sized parameter structure, and none at all.
  CK_ECDH1_DERIVE_PARAMS p{CKD_NULL, 0, nullptr, peer.size(), const_cast<CK_BYTE*>(peer.data())};
  CK_MECHANISM mech{CKM_ECDH1_DERIVE, &p, sizeof p - 1};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_DeriveKey(rw_, &mech, pa.priv, t.data(), t.size(), &h), CKR_MECHANISM_PARAM_INVALID);
  CK_MECHANISM none{CKM_ECDH1_DERIVE, nullptr, 0};
  EXPECT_EQ(f->C_DeriveKey(rw_, &none, pa.priv, t.data(), t.size(), &h), CKR_MECHANISM_PARAM_INVALID);
  // The base key must be a private key allowed to derive.
  mech.ulParameterLen = sizeof p;
  Template dp;
  dp.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, from_hex(c.oid_hex))
      .bytes(CKA_EC_POINT, octet_string(ossl_point(a.get()))).boolean(CKA_DERIVE, true);
  CK_OBJECT_HANDLE derive_pub = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_CreateObject(rw_, dp.data(), dp.size(), &derive_pub), CKR_OK);
  EXPECT_EQ(f->C_DeriveKey(rw_, &mech, derive_pub, t.data(), t.size(), &h), CKR_KEY_TYPE_INCONSISTENT);
  Template nd;
  nd.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, from_hex(c.oid_hex))
      .bytes(CKA_VALUE, ossl_scalar(a.get(), c.field));
  CK_OBJECT_HANDLE no_derive = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_CreateObject(rw_, nd.data(), nd.size(), &no_derive), CKR_OK);
  EXPECT_EQ(f->C_DeriveKey(rw_, &mech, no_derive, t.data(), t.size(), &h), CKR_KEY_FUNCTION_NOT_PERMITTED);
}

// ---- Montgomery keys: X25519 / X448 -------------------------------------------------------------

TEST_F(MechEc, X25519Rfc7748Vector) {
  const Bytes alice = from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const Bytes alice_pub = from_hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  const Bytes bob = from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  const Bytes bob_pub = from_hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  const Bytes shared = from_hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  auto import_x = [&](const Bytes& value) {
    Template t;
    t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC_MONTGOMERY).bytes(CKA_EC_PARAMS, from_hex("06032b656e"))
        .bytes(CKA_VALUE, value).boolean(CKA_DERIVE, true);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  };
  const CK_OBJECT_HANDLE a = import_x(alice), b = import_x(bob);
  Bytes v;
  ASSERT_EQ(derive(CKM_ECDH1_DERIVE, a, CKD_NULL, bob_pub, {}, 0, v), CKR_OK);
  EXPECT_EQ(v, shared);
  ASSERT_EQ(derive(CKM_ECDH1_DERIVE, b, CKD_NULL, octet_string(alice_pub), {}, 0, v), CKR_OK);
  EXPECT_EQ(v, shared);
  ASSERT_EQ(derive(CKM_ECDH1_DERIVE, a, CKD_SHA256_KDF, bob_pub, Bytes{1, 2}, 40, v), CKR_OK);
  EXPECT_EQ(v, ref_kdf("SHA256", shared, Bytes{1, 2}, 40, false));
  // A small-order peer point (u = 0, u = 1) makes the shared secret zero: refused.
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, a, CKD_NULL, Bytes(32, 0), {}, 0, v), CKR_MECHANISM_PARAM_INVALID);
  Bytes one(32, 0);
  one[0] = 1;
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, a, CKD_NULL, one, {}, 0, v), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(derive(CKM_ECDH1_DERIVE, a, CKD_NULL, Bytes(31, 9), {}, 0, v), CKR_MECHANISM_PARAM_INVALID);
  // The cofactor mechanism is for X9.62 keys only.
  EXPECT_EQ(derive(CKM_ECDH1_COFACTOR_DERIVE, a, CKD_NULL, bob_pub, {}, 0, v), CKR_KEY_TYPE_INCONSISTENT);
}

TEST_F(MechEc, MontgomeryKeyGenAndAgreement) {
  struct Case {
    Bytes params;
    std::size_t len;
    const char* type;
  };
  const Case cases[] = {
      {from_hex("06032b656e"), 32, "X25519"},
      {printable("curve25519"), 32, "X25519"},
      {from_hex("130b63757276653235353139"), 32, "X25519"},  // pkcs11-tool 0.23's malformed name
      {from_hex("06032b656f"), 56, "X448"},
      {printable("curve448"), 56, "X448"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type);
    Pair a, b;
    ASSERT_EQ(generate(CKM_EC_MONTGOMERY_KEY_PAIR_GEN, c.params, a), CKR_OK);
    ASSERT_EQ(generate(CKM_EC_MONTGOMERY_KEY_PAIR_GEN, c.params, b), CKR_OK);
    EXPECT_EQ(attr(a.pub, CKA_EC_PARAMS), c.params);
    EXPECT_EQ(attr_ulong(a.pub, CKA_KEY_TYPE), CKK_EC_MONTGOMERY);
    EXPECT_EQ(attr_ulong(a.priv, CKA_KEY_GEN_MECHANISM), CKM_EC_MONTGOMERY_KEY_PAIR_GEN);
    const Bytes point = attr(a.pub, CKA_EC_POINT);
    ASSERT_EQ(point.size(), c.len + 2);
    EXPECT_EQ(point[0], 0x04);
    Pkey spki = spki_key(a.pub);
    ASSERT_NE(spki, nullptr);
    EXPECT_TRUE(EVP_PKEY_is_a(spki.get(), c.type));
    Bytes ab, ba;
    ASSERT_EQ(derive(CKM_ECDH1_DERIVE, a.priv, CKD_NULL, attr(b.pub, CKA_EC_POINT), {}, 0, ab), CKR_OK);
    const Bytes a_point = attr(a.pub, CKA_EC_POINT);
    ASSERT_EQ(derive(CKM_ECDH1_DERIVE, b.priv, CKD_NULL, Bytes(a_point.begin() + 2, a_point.end()), {}, 0, ba), CKR_OK);
    EXPECT_EQ(ab.size(), c.len);
    EXPECT_EQ(ab, ba);
  }
  Pair p;
  EXPECT_EQ(generate(CKM_EC_MONTGOMERY_KEY_PAIR_GEN, from_hex("06032b6570"), p), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(generate(CKM_EC_MONTGOMERY_KEY_PAIR_GEN, from_hex(kCurves[0].oid_hex), p), CKR_CURVE_NOT_SUPPORTED);
}

}  // namespace
}  // namespace craton::test
