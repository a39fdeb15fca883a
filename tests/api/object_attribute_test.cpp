// C_GetAttributeValue / C_SetAttributeValue / C_GetObjectSize semantics (spec 5.7).
#include <cstring>
#include <map>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

class ObjAttr : public TokenTest {
 protected:
  CK_OBJECT_HANDLE create(Template& t, CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(s == CK_INVALID_HANDLE ? rw_ : s, t.data(), t.size(), &h), CKR_OK);
    return h;
  }
  CK_OBJECT_HANDLE data_object(const std::string& label, bool token = false) {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, token).str(CKA_LABEL, label).str(CKA_VALUE, "value-bytes");
    return create(t);
  }
  // Secret key; needs a user login (secret keys default to CKA_PRIVATE = TRUE).
  CK_OBJECT_HANDLE aes_key(bool sensitive, bool extractable, bool token = false) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, key_bytes());
    t.boolean(CKA_SENSITIVE, sensitive).boolean(CKA_EXTRACTABLE, extractable).boolean(CKA_TOKEN, token);
    return create(t);
  }
  static Bytes key_bytes() {
    Bytes k(32);
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(0xA0 + i);
    return k;
  }
  bool get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = 0x55;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v == CK_TRUE;
  }
  Bytes get_bytes(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t, CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    if (s == CK_INVALID_HANDLE) s = rw_;
    CK_ATTRIBUTE a{t, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    return v;
  }
  CK_RV set_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t, bool v, CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    Template c;
    c.boolean(t, v);
    return f->C_SetAttributeValue(s == CK_INVALID_HANDLE ? rw_ : s, h, c.data(), c.size());
  }
};

TEST_F(ObjAttr, LengthQueryThenExactBuffer) {
  const CK_OBJECT_HANDLE h = data_object("abcdef");
  CK_ATTRIBUTE a{CKA_LABEL, nullptr, 12345};
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen, 6u);
  char buf[6] = {};
  a.pValue = buf;
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen, 6u);
  EXPECT_EQ(std::string(buf, 6), "abcdef");
  char big[64] = {};
  CK_ATTRIBUTE b{CKA_LABEL, big, sizeof big};
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &b, 1), CKR_OK);
  EXPECT_EQ(b.ulValueLen, 6u);  // a larger buffer reports the actual length
}

TEST_F(ObjAttr, ShortBufferLeavesOthersFilled) {
  const CK_OBJECT_HANDLE h = data_object("abcdef");
  CK_ULONG cls = 0xFFFF;
  char label[5] = {};
  char value[32] = {};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, label, sizeof label}, {CKA_VALUE, value, sizeof value}};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, t, 3), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(t[0].ulValueLen, sizeof cls);
  EXPECT_EQ(cls, CKO_DATA);
  EXPECT_EQ(t[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(t[2].ulValueLen, 11u);
  EXPECT_EQ(std::string(value, 11), "value-bytes");
}

TEST_F(ObjAttr, InvalidTypeLeavesOthersFilled) {
  const CK_OBJECT_HANDLE h = data_object("lbl");
  CK_ULONG cls = 0xFFFF;
  std::uint8_t modulus[16];
  char label[8] = {};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_MODULUS, modulus, sizeof modulus}, {CKA_LABEL, label, sizeof label}};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, t, 3), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(cls, CKO_DATA);
  EXPECT_EQ(t[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(t[2].ulValueLen, 3u);
  EXPECT_EQ(std::string(label, 3), "lbl");
  CK_ATTRIBUTE unknown{0x0FFF0001UL, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &unknown, 1), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(unknown.ulValueLen, CK_UNAVAILABLE_INFORMATION);
}

TEST_F(ObjAttr, SensitiveSecretKeyValueIsHidden) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  for (auto [sensitive, extractable] : {std::pair{true, true}, std::pair{true, false}, std::pair{false, false}}) {
    const CK_OBJECT_HANDLE h = aes_key(sensitive, extractable);
    std::uint8_t value[32];
    CK_ULONG len = 0;
    CK_ATTRIBUTE t[] = {{CKA_VALUE, value, sizeof value}, {CKA_VALUE_LEN, &len, sizeof len}};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, t, 2), CKR_ATTRIBUTE_SENSITIVE);
    EXPECT_EQ(t[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    EXPECT_EQ(len, 32u);  // the non-sensitive attribute is still returned
    CK_ATTRIBUTE q{CKA_VALUE, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &q, 1), CKR_ATTRIBUTE_SENSITIVE);  // even a length query
    EXPECT_EQ(q.ulValueLen, CK_UNAVAILABLE_INFORMATION);
  }
}

TEST_F(ObjAttr, ExtractableNonSensitiveKeyIsReadable) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const CK_OBJECT_HANDLE h = aes_key(false, true);
  EXPECT_EQ(get_bytes(h, CKA_VALUE), key_bytes());
}

TEST_F(ObjAttr, RsaPrivateExponentIsSensitive) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  Bytes n(128, 0x77);
  n[0] = 0xC1;
  const Bytes d(128, 0x31);
  for (bool sensitive : {true, false}) {
    Template t;
    t.ulong(CKA_CLASS, CKO_PRIVATE_KEY).ulong(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, n).bytes(CKA_PRIVATE_EXPONENT, d);
    t.bytes(CKA_PUBLIC_EXPONENT, {0x01, 0x00, 0x01}).boolean(CKA_SENSITIVE, sensitive).boolean(CKA_EXTRACTABLE, true);
    const CK_OBJECT_HANDLE h = create(t);
    std::uint8_t buf[128];
    CK_ATTRIBUTE a[] = {{CKA_PRIVATE_EXPONENT, buf, sizeof buf}, {CKA_MODULUS, nullptr, 0}};
    if (sensitive) {
      EXPECT_EQ(f->C_GetAttributeValue(rw_, h, a, 2), CKR_ATTRIBUTE_SENSITIVE);
      EXPECT_EQ(a[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
      EXPECT_EQ(a[1].ulValueLen, 128u);
    } else {
      EXPECT_EQ(get_bytes(h, CKA_PRIVATE_EXPONENT), d);
    }
  }
}

TEST_F(ObjAttr, WrapTemplateRoundTrip) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  CK_ULONG cls = CKO_SECRET_KEY;
  CK_ULONG kt = CKK_AES;
  CK_ATTRIBUTE nested[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, key_bytes());
  t.add(CKA_WRAP_TEMPLATE, nested, sizeof nested);
  const CK_OBJECT_HANDLE h = create(t);

  CK_ATTRIBUTE a{CKA_WRAP_TEMPLATE, nullptr, 0};
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
  ASSERT_EQ(a.ulValueLen, 2 * sizeof(CK_ATTRIBUTE));

  CK_ATTRIBUTE one[1] = {};
  CK_ATTRIBUTE small{CKA_WRAP_TEMPLATE, one, sizeof one};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &small, 1), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(small.ulValueLen, CK_UNAVAILABLE_INFORMATION);

  CK_ATTRIBUTE out[2] = {{0, nullptr, 0}, {0, nullptr, 0}};
  a.pValue = out;
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);  // nested types and lengths
  std::map<CK_ATTRIBUTE_TYPE, CK_ULONG> lens;
  for (const auto& e : out) lens[e.type] = e.ulValueLen;
  ASSERT_EQ(lens.size(), 2u);
  EXPECT_EQ(lens[CKA_CLASS], sizeof(CK_ULONG));
  EXPECT_EQ(lens[CKA_KEY_TYPE], sizeof(CK_ULONG));

  CK_ULONG v[2] = {0xFFFF, 0xFFFF};
  out[0].pValue = &v[0];
  out[1].pValue = &v[1];
  ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);  // nested values
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(v[i], out[i].type == CKA_CLASS ? CKO_SECRET_KEY : CKK_AES) << i;
  }
}

TEST_F(ObjAttr, EncapsulateTemplateUnderBothNumbers) {
  // Schema: every public key (ML-KEM included) carries CKA_ENCAPSULATE_TEMPLATE.
  constexpr CK_ATTRIBUTE_TYPE kLegacy = 0x0000062AUL;
  constexpr CK_ATTRIBUTE_TYPE kFlagged = 0x4000062AUL;
  for (auto [written, read] : {std::pair{kLegacy, kFlagged}, std::pair{kFlagged, kLegacy}}) {
    CK_ULONG cls = CKO_SECRET_KEY;
    CK_BBOOL extractable = CK_FALSE;
    CK_ATTRIBUTE nested[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_EXTRACTABLE, &extractable, 1}};
    Template t;
    t.ulong(CKA_CLASS, CKO_PUBLIC_KEY).ulong(CKA_KEY_TYPE, CKK_ML_KEM).ulong(CKA_PARAMETER_SET, CKP_ML_KEM_768);
    t.bytes(CKA_VALUE, Bytes(1184, 0x5C)).add(written, nested, sizeof nested);
    const CK_OBJECT_HANDLE h = create(t);
    for (CK_ATTRIBUTE_TYPE type : {read, written}) {
      CK_ATTRIBUTE a{type, nullptr, 0};
      ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK) << std::hex << type;
      EXPECT_EQ(a.ulValueLen, 2 * sizeof(CK_ATTRIBUTE));
    }
    CK_ULONG got_cls = 0;
    CK_BBOOL got_ex = 0x55;
    CK_ATTRIBUTE out[2] = {{0, nullptr, 0}, {0, nullptr, 0}};
    CK_ATTRIBUTE a{read, out, sizeof out};
    ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    for (auto& e : out) e.pValue = e.type == CKA_CLASS ? static_cast<void*>(&got_cls) : static_cast<void*>(&got_ex);
    ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    EXPECT_EQ(got_cls, CKO_SECRET_KEY);
    EXPECT_EQ(got_ex, CK_FALSE);
  }
  // Not an attribute of data objects.
  CK_ATTRIBUTE none[1] = {};
  Template d;
  d.ulong(CKA_CLASS, CKO_DATA).add(kLegacy, none, 0);
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(f->C_CreateObject(rw_, d.data(), d.size(), &h), CKR_ATTRIBUTE_TYPE_INVALID);
}

TEST_F(ObjAttr, AllowedMechanismsRoundTrip) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const CK_MECHANISM_TYPE mechs[] = {CKM_AES_GCM, CKM_AES_CBC};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, key_bytes());
  t.add(CKA_ALLOWED_MECHANISMS, mechs, sizeof mechs);
  const CK_OBJECT_HANDLE h = create(t);
  const Bytes got = get_bytes(h, CKA_ALLOWED_MECHANISMS);
  ASSERT_EQ(got.size(), sizeof mechs);
  CK_MECHANISM_TYPE back[2];
  std::memcpy(back, got.data(), sizeof back);
  EXPECT_EQ(back[0], CKM_AES_GCM);
  EXPECT_EQ(back[1], CKM_AES_CBC);
  const CK_OBJECT_HANDLE plain = aes_key(true, false);
  EXPECT_TRUE(get_bytes(plain, CKA_ALLOWED_MECHANISMS).empty());  // default: empty list
  Template odd = Template();
  odd.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, key_bytes());
  odd.add(CKA_ALLOWED_MECHANISMS, mechs, 5);
  CK_OBJECT_HANDLE ho = 0;
  EXPECT_EQ(f->C_CreateObject(rw_, odd.data(), odd.size(), &ho), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST_F(ObjAttr, AllowedMechanismsPersistOnTokenObjects) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const CK_MECHANISM_TYPE mechs[] = {CKM_AES_GCM};
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, key_bytes());
  t.boolean(CKA_TOKEN, true).str(CKA_LABEL, "restricted").add(CKA_ALLOWED_MECHANISMS, mechs, sizeof mechs);
  create(t);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  Template q;
  q.str(CKA_LABEL, "restricted");
  ASSERT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
  CK_OBJECT_HANDLE h = 0;
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_FindObjects(rw_, &h, 1, &n), CKR_OK);
  ASSERT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
  ASSERT_EQ(n, 1u);
  const Bytes got = get_bytes(h, CKA_ALLOWED_MECHANISMS);
  ASSERT_EQ(got.size(), sizeof mechs);
  CK_MECHANISM_TYPE back = 0;
  std::memcpy(&back, got.data(), sizeof back);
  EXPECT_EQ(back, CKM_AES_GCM);
}

TEST_F(ObjAttr, InvalidHandleAndObjectSize) {
  const CK_OBJECT_HANDLE h = data_object("size");
  CK_ULONG size = 0;
  ASSERT_EQ(f->C_GetObjectSize(rw_, h, &size), CKR_OK);
  EXPECT_GT(size, 0u);
  EXPECT_EQ(f->C_GetObjectSize(rw_, h, nullptr), CKR_ARGUMENTS_BAD);
  const CK_OBJECT_HANDLE bogus = h + 100000;
  EXPECT_EQ(f->C_GetObjectSize(rw_, bogus, &size), CKR_OBJECT_HANDLE_INVALID);
  CK_ATTRIBUTE a{CKA_LABEL, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, bogus, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_EQ(f->C_GetAttributeValue(rw_, CK_INVALID_HANDLE, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_EQ(f->C_GetAttributeValue(rw_, h, nullptr, 1), CKR_ARGUMENTS_BAD);
  Template c;
  c.str(CKA_LABEL, "x");
  EXPECT_EQ(f->C_SetAttributeValue(rw_, bogus, c.data(), c.size()), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_EQ(f->C_SetAttributeValue(rw_, h, nullptr, 1), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_GetAttributeValue(rw_ + 999, h, &a, 1), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(ObjAttr, LabelChangePersists) {
  const CK_OBJECT_HANDLE session_obj = data_object("old-session");
  const CK_OBJECT_HANDLE token_obj = data_object("old-token", true);
  Template c1;
  c1.str(CKA_LABEL, "new-session");
  ASSERT_EQ(f->C_SetAttributeValue(rw_, session_obj, c1.data(), c1.size()), CKR_OK);
  EXPECT_EQ(get_bytes(session_obj, CKA_LABEL), Bytes({'n', 'e', 'w', '-', 's', 'e', 's', 's', 'i', 'o', 'n'}));
  Template c2;
  c2.str(CKA_LABEL, "new-token");
  ASSERT_EQ(f->C_SetAttributeValue(rw_, token_obj, c2.data(), c2.size()), CKR_OK);

  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  for (const char* label : {"new-token", "old-token"}) {
    Template q;
    q.str(CKA_LABEL, label);
    ASSERT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_FindObjects(rw_, found, 2, &n), CKR_OK);
    ASSERT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    EXPECT_EQ(n, std::string(label) == "new-token" ? 1u : 0u) << label;
  }
}

TEST_F(ObjAttr, FixedAttributesAreReadOnly) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const CK_OBJECT_HANDLE h = aes_key(true, false);
  Template cls;
  cls.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(f->C_SetAttributeValue(rw_, h, cls.data(), cls.size()), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(set_bool(h, CKA_TOKEN, true), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(set_bool(h, CKA_PRIVATE, false), CKR_ATTRIBUTE_READ_ONLY);
  Template kt;
  kt.ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  EXPECT_EQ(f->C_SetAttributeValue(rw_, h, kt.data(), kt.size()), CKR_ATTRIBUTE_READ_ONLY);
  Template value;
  value.bytes(CKA_VALUE, Bytes(32, 1));
  EXPECT_EQ(f->C_SetAttributeValue(rw_, h, value.data(), value.size()), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(set_bool(h, CKA_LOCAL, true), CKR_ATTRIBUTE_READ_ONLY);
  Template bad;
  bad.bytes(CKA_MODULUS, Bytes(8, 1));
  EXPECT_EQ(f->C_SetAttributeValue(rw_, h, bad.data(), bad.size()), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_FALSE(get_bool(h, CKA_TOKEN));
  EXPECT_TRUE(get_bool(h, CKA_PRIVATE));
}

TEST_F(ObjAttr, OneWayBooleans) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const CK_OBJECT_HANDLE s = aes_key(true, false);
  EXPECT_EQ(set_bool(s, CKA_SENSITIVE, false), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_TRUE(get_bool(s, CKA_SENSITIVE));
  EXPECT_EQ(set_bool(s, CKA_EXTRACTABLE, true), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_FALSE(get_bool(s, CKA_EXTRACTABLE));
  EXPECT_EQ(set_bool(s, CKA_SENSITIVE, true), CKR_OK);  // unchanged value is fine

  const CK_OBJECT_HANDLE o = aes_key(false, true);
  EXPECT_EQ(set_bool(o, CKA_SENSITIVE, true), CKR_OK);
  EXPECT_TRUE(get_bool(o, CKA_SENSITIVE));
  EXPECT_EQ(set_bool(o, CKA_EXTRACTABLE, false), CKR_OK);
  EXPECT_FALSE(get_bool(o, CKA_EXTRACTABLE));
  // A key that was once readable never claims to have always been protected.
  EXPECT_FALSE(get_bool(o, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(o, CKA_NEVER_EXTRACTABLE));
  EXPECT_EQ(set_bool(o, CKA_SENSITIVE, false), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE v{CKA_VALUE, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, o, &v, 1), CKR_ATTRIBUTE_SENSITIVE);
}

TEST_F(ObjAttr, UnmodifiableObject) {
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "frozen").boolean(CKA_MODIFIABLE, false);
  const CK_OBJECT_HANDLE h = create(t);
  Template c;
  c.str(CKA_LABEL, "thawed");
  EXPECT_EQ(f->C_SetAttributeValue(rw_, h, c.data(), c.size()), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(get_bytes(h, CKA_LABEL), Bytes({'f', 'r', 'o', 'z', 'e', 'n'}));
}

TEST_F(ObjAttr, TokenObjectNeedsRwSessionToChange) {
  const CK_OBJECT_HANDLE tok = data_object("tok", true);
  const CK_OBJECT_HANDLE ses = data_object("ses", false);
  CK_SESSION_HANDLE ro = open(slot_, false);
  Template c;
  c.str(CKA_LABEL, "changed");
  EXPECT_EQ(f->C_SetAttributeValue(ro, tok, c.data(), c.size()), CKR_SESSION_READ_ONLY);
  EXPECT_EQ(get_bytes(tok, CKA_LABEL), Bytes({'t', 'o', 'k'}));
  EXPECT_EQ(f->C_SetAttributeValue(ro, ses, c.data(), c.size()), CKR_OK);
}

}  // namespace
}  // namespace craton::test
