// C_CreateObject: template validation, defaults, computed and token-set attributes, access rules.
#include <set>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

class ObjCreate : public TokenTest {
 protected:
  CK_RV create(CK_SESSION_HANDLE s, Template& t, CK_OBJECT_HANDLE* h = nullptr) {
    CK_OBJECT_HANDLE dummy = CK_INVALID_HANDLE;
    return f->C_CreateObject(s, t.data(), t.size(), h != nullptr ? h : &dummy);
  }
  CK_ULONG get_ulong(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ULONG v = 0xDEAD;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    EXPECT_EQ(a.ulValueLen, sizeof v);
    return v;
  }
  bool get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = 0x55;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    EXPECT_EQ(a.ulValueLen, 1u);
    return v == CK_TRUE;
  }
  Bytes get_bytes(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ATTRIBUTE a{t, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << t;
    return v;
  }
  static Template aes(std::size_t len) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, Bytes(len, 0x11));
    return t;
  }
  static Bytes modulus() {  // 1024-bit
    Bytes m(128, 0x5A);
    m[0] = 0xC3;
    m.back() = 0x01;
    return m;
  }
  static Template cert() {
    Template t;
    t.ulong(CKA_CLASS, CKO_CERTIFICATE).ulong(CKA_CERTIFICATE_TYPE, CKC_X_509);
    t.bytes(CKA_SUBJECT, {0x30, 0x00}).bytes(CKA_VALUE, {0x30, 0x03, 0x02, 0x01, 0x00});
    return t;
  }
};

const Bytes kP256Oid = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};

Bytes p256_name() {
  const std::string n = "\x13\x0aprime256v1";
  return Bytes(n.begin(), n.end());
}

TEST_F(ObjCreate, DataObjectGetsDefaults) {
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "data").str(CKA_VALUE, "payload");
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, t, &h), CKR_OK);
  EXPECT_NE(h, CK_INVALID_HANDLE);
  EXPECT_EQ(get_ulong(h, CKA_CLASS), CKO_DATA);
  EXPECT_FALSE(get_bool(h, CKA_TOKEN));
  EXPECT_FALSE(get_bool(h, CKA_PRIVATE));
  EXPECT_TRUE(get_bool(h, CKA_MODIFIABLE));
  EXPECT_TRUE(get_bool(h, CKA_COPYABLE));
  EXPECT_TRUE(get_bool(h, CKA_DESTROYABLE));
  EXPECT_EQ(get_bytes(h, CKA_LABEL), Bytes({'d', 'a', 't', 'a'}));
  EXPECT_EQ(get_bytes(h, CKA_VALUE), Bytes({'p', 'a', 'y', 'l', 'o', 'a', 'd'}));
  EXPECT_TRUE(get_bytes(h, CKA_APPLICATION).empty());
  EXPECT_FALSE(get_bytes(h, CKA_UNIQUE_ID).empty());
}

TEST_F(ObjCreate, CertificateRequiresTypeSubjectAndValue) {
  Template ok = cert();
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, ok, &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_CERTIFICATE_TYPE), CKC_X_509);
  EXPECT_FALSE(get_bool(h, CKA_TRUSTED));

  Template no_type;
  no_type.ulong(CKA_CLASS, CKO_CERTIFICATE).bytes(CKA_SUBJECT, {0x30, 0x00}).bytes(CKA_VALUE, {1});
  EXPECT_EQ(create(rw_, no_type), CKR_TEMPLATE_INCOMPLETE);
  Template no_subject;
  no_subject.ulong(CKA_CLASS, CKO_CERTIFICATE).ulong(CKA_CERTIFICATE_TYPE, CKC_X_509).bytes(CKA_VALUE, {1});
  EXPECT_EQ(create(rw_, no_subject), CKR_TEMPLATE_INCOMPLETE);
  Template no_value;
  no_value.ulong(CKA_CLASS, CKO_CERTIFICATE).ulong(CKA_CERTIFICATE_TYPE, CKC_X_509).bytes(CKA_SUBJECT, {0x30, 0x00});
  EXPECT_EQ(create(rw_, no_value), CKR_TEMPLATE_INCOMPLETE);
}

TEST_F(ObjCreate, AesKeySizes) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  for (std::size_t len : {16u, 24u, 32u}) {
    Template t = aes(len);
    CK_OBJECT_HANDLE h = 0;
    ASSERT_EQ(create(rw_, t, &h), CKR_OK) << len;
    EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), len);
    EXPECT_EQ(get_ulong(h, CKA_KEY_TYPE), CKK_AES);
    EXPECT_TRUE(get_bool(h, CKA_PRIVATE));    // secret keys default to private
    EXPECT_TRUE(get_bool(h, CKA_SENSITIVE));  // and sensitive
  }
  for (std::size_t len : {0u, 15u, 17u, 33u}) {
    Template t = aes(len);
    EXPECT_EQ(create(rw_, t), CKR_ATTRIBUTE_VALUE_INVALID) << len;
  }
}

TEST_F(ObjCreate, GenericSecretValueLen) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, Bytes(20, 7));
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, t, &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_VALUE_LEN), 20u);

  Template consistent;
  consistent.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, Bytes(20, 7));
  consistent.ulong(CKA_VALUE_LEN, 20);
  EXPECT_EQ(create(rw_, consistent), CKR_OK);

  Template mismatch;
  mismatch.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET).bytes(CKA_VALUE, Bytes(20, 7));
  mismatch.ulong(CKA_VALUE_LEN, 32);
  EXPECT_EQ(create(rw_, mismatch), CKR_TEMPLATE_INCONSISTENT);

  Template missing;
  missing.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  EXPECT_EQ(create(rw_, missing), CKR_TEMPLATE_INCOMPLETE);
}

TEST_F(ObjCreate, CreatedKeysAreNotLocal) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  Template t = aes(32);
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, t, &h), CKR_OK);
  EXPECT_FALSE(get_bool(h, CKA_LOCAL));
  EXPECT_FALSE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_NEVER_EXTRACTABLE));
  EXPECT_EQ(get_ulong(h, CKA_KEY_GEN_MECHANISM), CK_UNAVAILABLE_INFORMATION);
}

TEST_F(ObjCreate, RsaPublicKeyModulusBits) {
  Template t;
  t.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, modulus());
  t.bytes(CKA_PUBLIC_EXPONENT, {0x01, 0x00, 0x01});
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, t, &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_MODULUS_BITS), 1024u);
  EXPECT_FALSE(get_bool(h, CKA_LOCAL));
  EXPECT_EQ(get_ulong(h, CKA_KEY_GEN_MECHANISM), CK_UNAVAILABLE_INFORMATION);

  Bytes padded = modulus();  // a leading zero byte does not count
  padded.insert(padded.begin(), 0x00);
  Template z;
  z.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, padded);
  z.bytes(CKA_PUBLIC_EXPONENT, {0x03}).ulong(CKA_MODULUS_BITS, 1024);
  ASSERT_EQ(create(rw_, z, &h), CKR_OK);
  EXPECT_EQ(get_ulong(h, CKA_MODULUS_BITS), 1024u);

  Template wrong;
  wrong.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, modulus());
  wrong.bytes(CKA_PUBLIC_EXPONENT, {0x03}).ulong(CKA_MODULUS_BITS, 2048);
  EXPECT_EQ(create(rw_, wrong), CKR_TEMPLATE_INCONSISTENT);

  Template no_exp;
  no_exp.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, modulus());
  EXPECT_EQ(create(rw_, no_exp), CKR_TEMPLATE_INCOMPLETE);
}

TEST_F(ObjCreate, RsaPrivateKey) {
  Template t;
  t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, modulus());
  t.bytes(CKA_PUBLIC_EXPONENT, {0x01, 0x00, 0x01}).bytes(CKA_PRIVATE_EXPONENT, Bytes(128, 0x33));
  EXPECT_EQ(create(rw_, t), CKR_USER_NOT_LOGGED_IN);  // private keys default to CKA_PRIVATE = TRUE
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, t, &h), CKR_OK);
  EXPECT_TRUE(get_bool(h, CKA_PRIVATE));
  EXPECT_TRUE(get_bool(h, CKA_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_EXTRACTABLE));
  EXPECT_FALSE(get_bool(h, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(h, CKA_NEVER_EXTRACTABLE));
  EXPECT_EQ(get_bytes(h, CKA_MODULUS), modulus());

  Template no_priv;
  no_priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, modulus());
  EXPECT_EQ(create(rw_, no_priv), CKR_TEMPLATE_INCOMPLETE);
}

TEST_F(ObjCreate, EcKeysAcceptOidOrCurveName) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  // The P-256 generator, as a DER OCTET STRING around the uncompressed point.
  const Bytes point = {
      0x04, 0x41, 0x04, 0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40, 0xF2,
      0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96, 0x4F, 0xE3, 0x42,
      0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E, 0x16, 0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31,
      0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5};
  // A raw (unwrapped) point is accepted too and stored in the DER form.
  const Bytes raw(point.begin() + 2, point.end());
  for (const Bytes& params : {kP256Oid, p256_name()}) {
    Template raw_pub;
    raw_pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, params).bytes(CKA_EC_POINT, raw);
    CK_OBJECT_HANDLE hr = 0;
    ASSERT_EQ(create(rw_, raw_pub, &hr), CKR_OK);
    EXPECT_EQ(get_bytes(hr, CKA_EC_POINT), point);
    EXPECT_FALSE(get_bytes(hr, CKA_PUBLIC_KEY_INFO).empty());
    Template pub;
    pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, params);
    pub.bytes(CKA_EC_POINT, point);
    CK_OBJECT_HANDLE h = 0;
    ASSERT_EQ(create(rw_, pub, &h), CKR_OK);
    EXPECT_EQ(get_bytes(h, CKA_EC_PARAMS), params);
    Template priv;
    priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, params);
    priv.bytes(CKA_VALUE, Bytes(32, 0x42));
    EXPECT_EQ(create(rw_, priv), CKR_OK);
  }
  // A point off the curve, and a private value outside [1, n-1].
  Bytes off = point;
  off.back() ^= 1;
  Template bad_point;
  bad_point.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, kP256Oid).bytes(CKA_EC_POINT, off);
  EXPECT_EQ(create(rw_, bad_point), CKR_ATTRIBUTE_VALUE_INVALID);
  Template zero;
  zero.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, kP256Oid).bytes(CKA_VALUE, Bytes(32, 0));
  EXPECT_EQ(create(rw_, zero), CKR_ATTRIBUTE_VALUE_INVALID);
  // A well-formed OID of a curve we do not offer (brainpoolP256r1).
  Template brainpool;
  brainpool.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC)
      .bytes(CKA_EC_PARAMS, {0x06, 0x09, 0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07}).bytes(CKA_EC_POINT, point);
  EXPECT_EQ(create(rw_, brainpool), CKR_CURVE_NOT_SUPPORTED);
  for (const Bytes& garbage : {Bytes{0x30, 0x03, 0x01, 0x01, 0xFF}, Bytes{0x06}, Bytes{0xDE, 0xAD, 0xBE, 0xEF}}) {
    Template pub;
    pub.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, garbage);
    pub.bytes(CKA_EC_POINT, point);
    EXPECT_EQ(create(rw_, pub), CKR_ATTRIBUTE_VALUE_INVALID);
    Template priv;
    priv.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_PARAMS, garbage);
    priv.bytes(CKA_VALUE, Bytes(32, 0x42));
    EXPECT_EQ(create(rw_, priv), CKR_ATTRIBUTE_VALUE_INVALID);
  }
}

TEST_F(ObjCreate, ClassAndTypeErrors) {
  Template no_class;
  no_class.str(CKA_LABEL, "x").str(CKA_VALUE, "y");
  EXPECT_EQ(create(rw_, no_class), CKR_TEMPLATE_INCOMPLETE);
  Template unknown_class;
  unknown_class.ulong(CKA_CLASS, 0x7FFF0000UL);
  EXPECT_EQ(create(rw_, unknown_class), CKR_ATTRIBUTE_VALUE_INVALID);
  Template no_key_type;
  no_key_type.ulong(CKA_CLASS, CKO_SECRET_KEY).bytes(CKA_VALUE, Bytes(16, 1));
  EXPECT_EQ(create(rw_, no_key_type), CKR_TEMPLATE_INCOMPLETE);
  Template unknown_key_type;
  unknown_key_type.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, 0x7FFF0000UL).bytes(CKA_VALUE, Bytes(16, 1));
  EXPECT_EQ(create(rw_, unknown_key_type), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_F(ObjCreate, AttributeNotValidForClass) {
  Template modulus_on_data;
  modulus_on_data.ulong(CKA_CLASS, CKO_DATA).bytes(CKA_MODULUS, modulus());
  EXPECT_EQ(create(rw_, modulus_on_data), CKR_ATTRIBUTE_TYPE_INVALID);
  Template sensitive_on_data;
  sensitive_on_data.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_SENSITIVE, true);
  EXPECT_EQ(create(rw_, sensitive_on_data), CKR_ATTRIBUTE_TYPE_INVALID);
  Template unknown_type;
  unknown_type.ulong(CKA_CLASS, CKO_DATA).ulong(0x0FFF1234UL, 1);
  EXPECT_EQ(create(rw_, unknown_type), CKR_ATTRIBUTE_TYPE_INVALID);
}

TEST_F(ObjCreate, TokenSetAttributesAreReadOnly) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const CK_ATTRIBUTE_TYPE bools[] = {CKA_LOCAL, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE};
  for (CK_ATTRIBUTE_TYPE a : bools) {
    for (bool v : {false, true}) {
      Template t = aes(16);
      t.boolean(a, v);
      EXPECT_EQ(create(rw_, t), CKR_ATTRIBUTE_READ_ONLY) << std::hex << a << " " << v;
    }
  }
  Template gen = aes(16);
  gen.ulong(CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(create(rw_, gen), CKR_ATTRIBUTE_READ_ONLY);
  Template uid = aes(16);
  uid.str(CKA_UNIQUE_ID, "my-own-id");
  EXPECT_EQ(create(rw_, uid), CKR_ATTRIBUTE_READ_ONLY);
  Template data_uid;
  data_uid.ulong(CKA_CLASS, CKO_DATA).str(CKA_UNIQUE_ID, "x");
  EXPECT_EQ(create(rw_, data_uid), CKR_ATTRIBUTE_READ_ONLY);
}

TEST_F(ObjCreate, WrongSizedValues) {
  const CK_ULONG four_byte_bool = CK_TRUE;
  Template big_bool;
  big_bool.ulong(CKA_CLASS, CKO_DATA).add(CKA_TOKEN, &four_byte_bool, sizeof four_byte_bool);
  EXPECT_EQ(create(rw_, big_bool), CKR_ATTRIBUTE_VALUE_INVALID);
  Template empty_bool;
  empty_bool.ulong(CKA_CLASS, CKO_DATA).add(CKA_PRIVATE, nullptr, 0);
  EXPECT_EQ(create(rw_, empty_bool), CKR_ATTRIBUTE_VALUE_INVALID);
  const std::uint32_t short_class = CKO_DATA;
  Template small_ulong;
  small_ulong.add(CKA_CLASS, &short_class, sizeof short_class);
  EXPECT_EQ(create(rw_, small_ulong), CKR_ATTRIBUTE_VALUE_INVALID);
  const std::uint16_t short_type = CKC_X_509;
  Template cert_type;
  cert_type.ulong(CKA_CLASS, CKO_CERTIFICATE).add(CKA_CERTIFICATE_TYPE, &short_type, sizeof short_type);
  cert_type.bytes(CKA_SUBJECT, {0x30, 0x00}).bytes(CKA_VALUE, {1});
  EXPECT_EQ(create(rw_, cert_type), CKR_ATTRIBUTE_VALUE_INVALID);
  Template cat = cert();
  const CK_BBOOL one_byte = 1;
  cat.add(CKA_CERTIFICATE_CATEGORY, &one_byte, 1);
  EXPECT_EQ(create(rw_, cat), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_F(ObjCreate, DuplicateAttributes) {
  Template differ;
  differ.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "a").str(CKA_LABEL, "b");
  EXPECT_EQ(create(rw_, differ), CKR_TEMPLATE_INCONSISTENT);
  Template bool_differ;
  bool_differ.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_MODIFIABLE, true).boolean(CKA_MODIFIABLE, false);
  EXPECT_EQ(create(rw_, bool_differ), CKR_TEMPLATE_INCONSISTENT);
  Template same;
  same.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "a").ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "a");
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, same, &h), CKR_OK);
  EXPECT_EQ(get_bytes(h, CKA_LABEL), Bytes({'a'}));
}

TEST_F(ObjCreate, BadArguments) {
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA);
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(f->C_CreateObject(rw_, nullptr, 1, &h), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), nullptr), CKR_ARGUMENTS_BAD);
  CK_ULONG cls = CKO_DATA;
  CK_ATTRIBUTE null_value[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, nullptr, 5}};
  EXPECT_EQ(f->C_CreateObject(rw_, null_value, 2, &h), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_CreateObject(rw_ + 1000, t.data(), t.size(), &h), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(ObjCreate, TokenObjectNeedsRwSession) {
  CK_SESSION_HANDLE ro = open(slot_, false);
  Template tok;
  tok.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true);
  EXPECT_EQ(create(ro, tok), CKR_SESSION_READ_ONLY);
  Template sess;
  sess.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, false);
  EXPECT_EQ(create(ro, sess), CKR_OK);  // session objects are fine in a R/O session
  EXPECT_EQ(create(rw_, tok), CKR_OK);
}

TEST_F(ObjCreate, PrivateObjectNeedsUserLogin) {
  Template priv;
  priv.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_PRIVATE, true);
  EXPECT_EQ(create(rw_, priv), CKR_USER_NOT_LOGGED_IN);
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(create(rw_, priv), CKR_OK);
}

TEST_F(ObjCreate, SoCreatesPublicTokenObjectsOnly) {
  ASSERT_EQ(login(rw_, CKU_SO, kSoPin), CKR_OK);
  Template pub;
  pub.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, false).str(CKA_LABEL, "so");
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(create(rw_, pub, &h), CKR_OK);
  Template priv;
  priv.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, true);
  EXPECT_EQ(create(rw_, priv), CKR_USER_NOT_LOGGED_IN);
}

TEST_F(ObjCreate, TrustedOnlyBySo) {
  Template untrusted = cert();
  untrusted.boolean(CKA_TRUSTED, false);
  EXPECT_EQ(create(rw_, untrusted), CKR_OK);
  Template trusted = cert();
  trusted.boolean(CKA_TRUSTED, true).boolean(CKA_TOKEN, true);
  EXPECT_EQ(create(rw_, trusted), CKR_ATTRIBUTE_READ_ONLY);  // public session
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(create(rw_, trusted), CKR_ATTRIBUTE_READ_ONLY);  // user
  ASSERT_EQ(f->C_Logout(rw_), CKR_OK);
  ASSERT_EQ(login(rw_, CKU_SO, kSoPin), CKR_OK);
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(create(rw_, trusted, &h), CKR_OK);
  EXPECT_TRUE(get_bool(h, CKA_TRUSTED));
}

TEST_F(ObjCreate, UniqueIdIsUniqueAndStable) {
  std::set<std::string> ids;  // as strings: GCC 12 -O3 warns falsely on std::set<std::vector<uint8_t>>
  std::vector<std::pair<std::string, Bytes>> token_ids;
  for (int i = 0; i < 8; ++i) {
    const std::string label = "uid-" + std::to_string(i);
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, i % 2 == 0).str(CKA_LABEL, label);
    CK_OBJECT_HANDLE h = 0;
    ASSERT_EQ(create(rw_, t, &h), CKR_OK);
    const Bytes id = get_bytes(h, CKA_UNIQUE_ID);
    ASSERT_FALSE(id.empty());
    EXPECT_TRUE(ids.insert(std::string(id.begin(), id.end())).second) << "duplicate CKA_UNIQUE_ID";
    if (i % 2 == 0) token_ids.emplace_back(label, id);
  }
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  for (const auto& [label, id] : token_ids) {
    Template q;
    q.str(CKA_LABEL, label);
    ASSERT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
    CK_OBJECT_HANDLE h[2];
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_FindObjects(rw_, h, 2, &n), CKR_OK);
    ASSERT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    ASSERT_EQ(n, 1u) << label;
    EXPECT_EQ(get_bytes(h[0], CKA_UNIQUE_ID), id) << label;
    // And the id itself finds the object.
    Template by_id;
    by_id.bytes(CKA_UNIQUE_ID, id);
    ASSERT_EQ(f->C_FindObjectsInit(rw_, by_id.data(), by_id.size()), CKR_OK);
    CK_OBJECT_HANDLE h2[2];
    ASSERT_EQ(f->C_FindObjects(rw_, h2, 2, &n), CKR_OK);
    ASSERT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(h2[0], h[0]);
  }
}

}  // namespace
}  // namespace craton::test
