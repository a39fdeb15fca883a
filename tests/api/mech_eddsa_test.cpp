// Edwards curves through the module API: CKM_EC_EDWARDS_KEY_PAIR_GEN (both CKA_EC_PARAMS forms,
// attributes, refusals) and CKM_EDDSA with every RFC 8032 instance: the §7.1-§7.5 test vectors on
// imported keys (Ed25519, Ed25519ctx, Ed25519ph, Ed448, Ed448 with context, Ed448ph), multi-part
// equal to single-part, interoperability with OpenSSL for pure Ed25519/Ed448, and the error codes.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;


Bytes octet_string(const Bytes& v) {
  Bytes out(v.size() + 2);
  out[0] = 0x04;
  out[1] = static_cast<std::uint8_t>(v.size());
  std::copy(v.begin(), v.end(), out.begin() + 2);
  return out;
}

Bytes printable(const std::string& s) {
  Bytes out(s.size() + 2);
  out[0] = 0x13;
  out[1] = static_cast<std::uint8_t>(s.size());
  std::copy(s.begin(), s.end(), out.begin() + 2);
  return out;
}

const Bytes kEd25519Oid = from_hex("06032b6570");
const Bytes kEd448Oid = from_hex("06032b6571");

struct PkeyDel {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDel>;

// An RFC 8032 §7 test vector.
struct Vector {
  const char* name;
  bool ed448;
  const char* secret;
  const char* pub;
  const char* message;
  bool params;  // pass CK_EDDSA_PARAMS
  bool ph;
  const char* context;
  const char* signature;
};

const Vector kVectors[] = {
    {"7.1 TEST 1", false, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "", false, false, "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"7.1 TEST 2", false, "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72", false, false, "",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"7.2 foo", false, "0305334e381af78f141cb666f6199f57bc3495335a256a95bd2a55bf546663f6",
     "dfc9425e4f968f7f0c29f0259cf5f9aed6851c2bb4ad8bfb860cfee0ab248292", "f726936d19c800494e3fdaff20b276a8", true,
     false, "666f6f",
     "55a4cc2f70a54e04288c5f4cd1e45a7bb520b36292911876cada7323198dd87a8b36950b95130022907a7fb7c4e9b2d5f6cca685a587b4b21f4b888e4e7edb0d"},
    {"7.2 bar", false, "0305334e381af78f141cb666f6199f57bc3495335a256a95bd2a55bf546663f6",
     "dfc9425e4f968f7f0c29f0259cf5f9aed6851c2bb4ad8bfb860cfee0ab248292", "f726936d19c800494e3fdaff20b276a8", true,
     false, "626172",
     "fc60d5872fc46b3aa69f8b5b4351d5808f92bcc044606db097abab6dbcb1aee3216c48e8b3b66431b5b186d1d28f8ee15a5ca2df6668346291c2043d4eb3e90d"},
    {"7.3 abc", false, "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", "616263", true, true, "",
     "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"},
    {"7.4 blank", true,
     "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b",
     "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180",
     "", true, false, "",
     "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980"
     "ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600"},
    {"7.4 1 octet", true,
     "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e",
     "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
     "03", true, false, "",
     "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd77980"
     "5e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00"},
    {"7.4 1 octet with context", true,
     "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e",
     "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480",
     "03", true, false, "666f6f",
     "d4f8f6131770dd46f40867d6fd5d5055de43541f8c5e35abbcd001b32a89f7d2151f7647f11d8ca2ae279fb842d607217fce6e042f6815ea00"
     "0c85741de5c8da1144a6a1aba7f96de42505d7a7298524fda538fccbbb754f578c1cad10d54d0d5428407e85dcbc98a49155c13764e66c3c00"},
    {"7.5 abc", true,
     "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42ef7822e0d5104127dc05d6dbefde69e3ab2cec7c867c6e2c49",
     "259b71c19f83ef77a7abd26524cbdb3161b590a48f7d17de3ee0ba9c52beb743c09428a131d6b1b57303d90d8132c276d5ed3d5d01c0f53880",
     "616263", true, true, "",
     "822f6901f7480f3d5f562c592994d9693602875614483256505600bbc281ae381f54d6bce2ea911574932f52a4e6cadd78769375ec3ffd1b80"
     "1a0d9b3f4030cd433964b6457ea39476511214f97469b57dd32dbc560a9a94d00bff07620464a3ad203df7dc7ce360c3cd3696d9d9fab90f00"},
    {"7.5 abc foo", true,
     "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42ef7822e0d5104127dc05d6dbefde69e3ab2cec7c867c6e2c49",
     "259b71c19f83ef77a7abd26524cbdb3161b590a48f7d17de3ee0ba9c52beb743c09428a131d6b1b57303d90d8132c276d5ed3d5d01c0f53880",
     "616263", true, true, "666f6f",
     "c32299d46ec8ff02b54540982814dce9a05812f81962b649d528095916a2aa481065b1580423ef927ecf0af5888f90da0f6a9a85ad5dc3f280"
     "d91224ba9911a3653d00e484e2ce232521481c8658df304bb7745a73514cdb9bf3e15784ab71284f8d0704a608c54a6b62d97beb511d132100"},
};

class MechEddsa : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  }

  struct Pair {
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE;
  };

  // A CK_MECHANISM for CKM_EDDSA that owns its parameter.
  struct Mech {
    CK_EDDSA_PARAMS params{};
    Bytes context;
    CK_MECHANISM m{CKM_EDDSA, nullptr, 0};
    Mech() = default;
    Mech(bool ph, Bytes ctx) : context(std::move(ctx)) {
      params.phFlag = ph ? CK_TRUE : CK_FALSE;
      params.ulContextDataLen = context.size();
      params.pContextData = context.empty() ? nullptr : context.data();
      m.pParameter = &params;
      m.ulParameterLen = sizeof params;
    }
    Mech(const Mech&) = delete;
    Mech& operator=(const Mech&) = delete;
  };

  static std::unique_ptr<Mech> mech_for(const Vector& v) {
    return v.params ? std::make_unique<Mech>(v.ph, from_hex(v.context)) : std::make_unique<Mech>();
  }

  CK_RV generate(const Bytes& params, Pair& out, CK_MECHANISM_TYPE m = CKM_EC_EDWARDS_KEY_PAIR_GEN) {
    CK_MECHANISM mech{m, nullptr, 0};
    Template pub, priv;
    pub.bytes(CKA_EC_PARAMS, params).boolean(CKA_VERIFY, true);
    priv.boolean(CKA_SIGN, true);
    return f->C_GenerateKeyPair(rw_, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &out.pub, &out.priv);
  }

  Pair import(const Bytes& oid, const Bytes& secret, const Bytes& point) {
    Pair p;
    Template pub, priv;
    pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS).bytes(CKA_EC_PARAMS, oid)
        .bytes(CKA_EC_POINT, point).boolean(CKA_VERIFY, true);
    priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS).bytes(CKA_EC_PARAMS, oid)
        .bytes(CKA_VALUE, secret).boolean(CKA_SIGN, true);
    EXPECT_EQ(f->C_CreateObject(rw_, pub.data(), pub.size(), &p.pub), CKR_OK);
    EXPECT_EQ(f->C_CreateObject(rw_, priv.data(), priv.size(), &p.priv), CKR_OK);
    return p;
  }


  Bytes sign(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data) {
    EXPECT_EQ(f->C_SignInit(rw_, m, key), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), nullptr, &n), CKR_OK);
    Bytes sig(n);
    EXPECT_EQ(f->C_Sign(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  Bytes sign_parts(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data) {
    EXPECT_EQ(f->C_SignInit(rw_, m, key), CKR_OK);
    for (std::size_t off = 0; off < data.size(); off += 5) {
      const std::size_t n = std::min<std::size_t>(5, data.size() - off);
      EXPECT_EQ(f->C_SignUpdate(rw_, const_cast<CK_BYTE*>(data.data()) + off, n), CKR_OK);
    }
    CK_ULONG n = 114;
    Bytes sig(n);
    EXPECT_EQ(f->C_SignFinal(rw_, sig.data(), &n), CKR_OK);
    sig.resize(n);
    return sig;
  }
  CK_RV verify(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    EXPECT_EQ(f->C_VerifyInit(rw_, m, key), CKR_OK);
    return f->C_Verify(rw_, const_cast<CK_BYTE*>(data.data()), data.size(), const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
  CK_RV verify_parts(CK_MECHANISM* m, CK_OBJECT_HANDLE key, const Bytes& data, const Bytes& sig) {
    EXPECT_EQ(f->C_VerifyInit(rw_, m, key), CKR_OK);
    for (std::size_t off = 0; off < data.size(); off += 3) {
      const std::size_t n = std::min<std::size_t>(3, data.size() - off);
      EXPECT_EQ(f->C_VerifyUpdate(rw_, const_cast<CK_BYTE*>(data.data()) + off, n), CKR_OK);
    }
    return f->C_VerifyFinal(rw_, const_cast<CK_BYTE*>(sig.data()), sig.size());
  }
};

TEST_F(MechEddsa, Rfc8032VectorsOnImportedKeys) {
  for (const auto& v : kVectors) {
    SCOPED_TRACE(v.name);
    const Bytes pub = from_hex(v.pub), msg = from_hex(v.message), want = from_hex(v.signature);
    // CKA_EC_POINT raw for Ed25519, DER for Ed448: both forms are accepted.
    const Pair p = import(v.ed448 ? kEd448Oid : kEd25519Oid, from_hex(v.secret), v.ed448 ? octet_string(pub) : pub);
    auto m = mech_for(v);
    EXPECT_EQ(sign(&m->m, p.priv, msg), want);
    EXPECT_EQ(sign_parts(&m->m, p.priv, msg), want);
    EXPECT_EQ(verify(&m->m, p.pub, msg, want), CKR_OK);
    EXPECT_EQ(verify_parts(&m->m, p.pub, msg, want), CKR_OK);
    Bytes bad = want;
    bad[bad.size() / 4] ^= 0x10;  // in R
    EXPECT_EQ(verify(&m->m, p.pub, msg, bad), CKR_SIGNATURE_INVALID);
    bad = want;
    bad[bad.size() - 20] ^= 0x01;  // in S
    EXPECT_EQ(verify(&m->m, p.pub, msg, bad), CKR_SIGNATURE_INVALID);
    Bytes other = msg;
    other.push_back(0);
    EXPECT_EQ(verify(&m->m, p.pub, other, want), CKR_SIGNATURE_INVALID);
    // Another instance does not accept the signature.
    Mech flipped(!v.ph, from_hex(v.context));
    EXPECT_EQ(verify(&flipped.m, p.pub, msg, want), CKR_SIGNATURE_INVALID);
  }
}

TEST_F(MechEddsa, ParameterReadings) {
  // Ed25519: phFlag FALSE with an empty context is plain Ed25519.
  const Vector& t1 = kVectors[0];
  const Pair p = import(kEd25519Oid, from_hex(t1.secret), from_hex(t1.pub));
  Mech empty(false, {});
  EXPECT_EQ(sign(&empty.m, p.priv, {}), from_hex(t1.signature));
  // Ed448 without a parameter is Ed448 with an empty context.
  const Vector& blank = kVectors[5];
  const Pair q = import(kEd448Oid, from_hex(blank.secret), octet_string(from_hex(blank.pub)));
  Mech none;
  EXPECT_EQ(sign(&none.m, q.priv, {}), from_hex(blank.signature));
  EXPECT_EQ(verify(&none.m, q.pub, {}, from_hex(blank.signature)), CKR_OK);
  // Contexts: 255 bytes work, 256 are refused at Init.
  Mech ctx255(false, Bytes(255, 7));
  const Bytes msg = {1, 2, 3};
  EXPECT_EQ(verify(&ctx255.m, p.pub, msg, sign(&ctx255.m, p.priv, msg)), CKR_OK);
  Mech ph255(true, Bytes(255, 7));
  EXPECT_EQ(verify(&ph255.m, q.pub, msg, sign(&ph255.m, q.priv, msg)), CKR_OK);
  Mech ctx256(false, Bytes(256, 7));
  EXPECT_EQ(f->C_SignInit(rw_, &ctx256.m, p.priv), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(f->C_VerifyInit(rw_, &ctx256.m, p.pub), CKR_MECHANISM_PARAM_INVALID);
  // A wrong-sized parameter.
  CK_EDDSA_PARAMS raw{CK_FALSE, 0, nullptr};
  CK_MECHANISM shortp{CKM_EDDSA, &raw, sizeof raw - 8};
  EXPECT_EQ(f->C_SignInit(rw_, &shortp, p.priv), CKR_MECHANISM_PARAM_INVALID);
}

TEST_F(MechEddsa, KeyGenBothCurvesAndForms) {
  struct Case {
    Bytes params;
    std::size_t len;
    const char* type;
  };
  const Case cases[] = {
      {kEd25519Oid, 32, "ED25519"},
      {printable("edwards25519"), 32, "ED25519"},
      {kEd448Oid, 57, "ED448"},
      {printable("edwards448"), 57, "ED448"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.type);
    Pair p;
    ASSERT_EQ(generate(c.params, p), CKR_OK);
    EXPECT_EQ(attr(p.pub, CKA_EC_PARAMS), c.params);
    EXPECT_EQ(attr(p.priv, CKA_EC_PARAMS), c.params);
    const Bytes point = attr(p.pub, CKA_EC_POINT);
    ASSERT_EQ(point.size(), c.len + 2);  // DER OCTET STRING by default (PKCS11-FACTS §4.6)
    EXPECT_EQ(point[0], 0x04);
    EXPECT_EQ(point[1], c.len);
    EXPECT_EQ(attr(p.pub, CKA_LOCAL), Bytes{CK_TRUE});
    CK_ULONG kgm = 0, kt = 0;
    CK_ATTRIBUTE a[] = {{CKA_KEY_GEN_MECHANISM, &kgm, sizeof kgm}, {CKA_KEY_TYPE, &kt, sizeof kt}};
    ASSERT_EQ(f->C_GetAttributeValue(rw_, p.priv, a, 2), CKR_OK);
    EXPECT_EQ(kgm, CKM_EC_EDWARDS_KEY_PAIR_GEN);
    EXPECT_EQ(kt, CKK_EC_EDWARDS);
    const Bytes spki = attr(p.pub, CKA_PUBLIC_KEY_INFO);
    EXPECT_EQ(attr(p.priv, CKA_PUBLIC_KEY_INFO), spki);
    const unsigned char* sp = spki.data();
    Pkey key(d2i_PUBKEY(nullptr, &sp, static_cast<long>(spki.size())));
    ASSERT_NE(key, nullptr);
    EXPECT_TRUE(EVP_PKEY_is_a(key.get(), c.type));
    Bytes raw(c.len);
    std::size_t n = raw.size();
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &n), 1);
    EXPECT_EQ(octet_string(raw), point);
    // Module signature, OpenSSL verification (pure EdDSA), and back.
    Mech pure;
    const Bytes msg = {'h', 'e', 'l', 'l', 'o'};
    const Bytes sig = sign(&pure.m, p.priv, msg);
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    ASSERT_EQ(EVP_DigestVerifyInit_ex(md, nullptr, nullptr, nullptr, nullptr, key.get(), nullptr), 1);
    EXPECT_EQ(EVP_DigestVerify(md, sig.data(), sig.size(), msg.data(), msg.size()), 1);
    EVP_MD_CTX_free(md);
    EXPECT_EQ(verify(&pure.m, p.pub, msg, sig), CKR_OK);
    // Prehash and context instances round-trip on generated keys too.
    Mech ph(true, {'x'});
    EXPECT_EQ(verify_parts(&ph.m, p.pub, msg, sign_parts(&ph.m, p.priv, msg)), CKR_OK);
  }
  // OpenSSL signature, module verification.
  Pkey okey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  Bytes raw(32);
  std::size_t n = raw.size();
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(okey.get(), raw.data(), &n), 1);
  Template pub;
  pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS).bytes(CKA_EC_PARAMS, kEd25519Oid)
      .bytes(CKA_EC_POINT, octet_string(raw));
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_CreateObject(rw_, pub.data(), pub.size(), &h), CKR_OK);
  const Bytes msg(1000, 0x5A);
  Bytes sig(64);
  std::size_t siglen = sig.size();
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestSignInit_ex(md, nullptr, nullptr, nullptr, nullptr, okey.get(), nullptr), 1);
  ASSERT_EQ(EVP_DigestSign(md, sig.data(), &siglen, msg.data(), msg.size()), 1);
  EVP_MD_CTX_free(md);
  Mech pure;
  EXPECT_EQ(verify(&pure.m, h, msg, sig), CKR_OK);
  EXPECT_EQ(verify_parts(&pure.m, h, msg, sig), CKR_OK);
}

TEST_F(MechEddsa, KeyGenRefusals) {
  Pair p;
  EXPECT_EQ(generate(from_hex("06032b656e"), p), CKR_CURVE_NOT_SUPPORTED);                // X25519
  EXPECT_EQ(generate(from_hex("06082a8648ce3d030107"), p), CKR_CURVE_NOT_SUPPORTED);      // P-256
  EXPECT_EQ(generate(from_hex("06032b6570"), p, CKM_EC_KEY_PAIR_GEN), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(generate(printable("edwards448"), p, CKM_EC_KEY_PAIR_GEN), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(generate(from_hex("1306656477617264"), p), CKR_CURVE_NOT_SUPPORTED);  // "edward": unknown name
}

TEST_F(MechEddsa, SignatureSizesAndErrors) {
  for (bool ed448 : {false, true}) {
    SCOPED_TRACE(ed448 ? "Ed448" : "Ed25519");
    Pair p;
    ASSERT_EQ(generate(ed448 ? kEd448Oid : kEd25519Oid, p), CKR_OK);
    const CK_ULONG size = ed448 ? 114 : 64;
    Mech m;
    Bytes data = {1, 2, 3};
    ASSERT_EQ(f->C_SignInit(rw_, &m.m, p.priv), CKR_OK);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), nullptr, &n), CKR_OK);
    EXPECT_EQ(n, size);
    Bytes sig(n - 1);
    n = sig.size();
    EXPECT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_BUFFER_TOO_SMALL);
    EXPECT_EQ(n, size);
    sig.resize(n);
    ASSERT_EQ(f->C_Sign(rw_, data.data(), data.size(), sig.data(), &n), CKR_OK);
    EXPECT_EQ(verify(&m.m, p.pub, data, sig), CKR_OK);
    EXPECT_EQ(verify(&m.m, p.pub, data, Bytes(sig.begin(), sig.end() - 1)), CKR_SIGNATURE_LEN_RANGE);
    EXPECT_EQ(verify_parts(&m.m, p.pub, data, Bytes(size + 1)), CKR_SIGNATURE_LEN_RANGE);
    Bytes big_s = sig;
    for (std::size_t i = size / 2; i < size; ++i) big_s[i] = 0xFF;  // S >= L
    EXPECT_EQ(verify(&m.m, p.pub, data, big_s), CKR_SIGNATURE_INVALID);
    Mech ph(true, {});
    big_s = sign(&ph.m, p.priv, data);
    for (std::size_t i = size / 2; i < size; ++i) big_s[i] = 0xFF;
    EXPECT_EQ(verify(&ph.m, p.pub, data, big_s), CKR_SIGNATURE_INVALID);
    // Keys of the wrong class.
    EXPECT_EQ(f->C_SignInit(rw_, &m.m, p.pub), CKR_KEY_TYPE_INCONSISTENT);
    EXPECT_EQ(f->C_VerifyInit(rw_, &m.m, p.priv), CKR_KEY_TYPE_INCONSISTENT);
  }
  // An ECDSA key is not an EdDSA key.
  CK_MECHANISM gen{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  Template pub, priv;
  pub.bytes(CKA_EC_PARAMS, from_hex("06082a8648ce3d030107"));
  Pair ec;
  ASSERT_EQ(f->C_GenerateKeyPair(rw_, &gen, pub.data(), pub.size(), priv.data(), priv.size(), &ec.pub, &ec.priv), CKR_OK);
  Mech m;
  EXPECT_EQ(f->C_SignInit(rw_, &m.m, ec.priv), CKR_KEY_TYPE_INCONSISTENT);
  // A public key that is not a point: every signature is invalid.
  const Pair bad = import(kEd25519Oid, Bytes(32, 1), Bytes(32, 0xFF));
  Mech ctx(false, {'c'});
  EXPECT_EQ(verify(&ctx.m, bad.pub, {1}, Bytes(64, 0)), CKR_SIGNATURE_INVALID);
}

}  // namespace
}  // namespace craton::test
