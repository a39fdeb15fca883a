// C_CopyObject and C_DestroyObject.
#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

class ObjCopy : public TokenTest {
 protected:
  CK_OBJECT_HANDLE create(Template& t) {
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK);
    return h;
  }
  CK_OBJECT_HANDLE data(const std::string& label, bool token = false) {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, token).str(CKA_LABEL, label).str(CKA_VALUE, "contents");
    return create(t);
  }
  CK_OBJECT_HANDLE aes(bool sensitive, bool extractable) {
    Template t;
    t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, Bytes(16, 0x3C));
    t.boolean(CKA_SENSITIVE, sensitive).boolean(CKA_EXTRACTABLE, extractable);
    return create(t);
  }
  CK_RV copy(CK_OBJECT_HANDLE src, Template& t, CK_OBJECT_HANDLE* out = nullptr, CK_SESSION_HANDLE s = 0) {
    CK_OBJECT_HANDLE dummy = CK_INVALID_HANDLE;
    return f->C_CopyObject(s == 0 ? rw_ : s, src, t.data(), t.size(), out != nullptr ? out : &dummy);
  }
  Bytes get(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ATTRIBUTE a{t, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    Bytes v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  bool get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    const Bytes v = get(h, t);
    return v.size() == 1 && v[0] == CK_TRUE;
  }
  std::size_t count(const std::string& label) {
    Template q;
    q.str(CKA_LABEL, label);
    EXPECT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
    CK_OBJECT_HANDLE h[8];
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjects(rw_, h, 8, &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    return n;
  }
  static Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
};

TEST_F(ObjCopy, CopyWithNewLabel) {
  const auto src = data("original");
  Template t;
  t.str(CKA_LABEL, "duplicate");
  CK_OBJECT_HANDLE dup = 0;
  ASSERT_EQ(copy(src, t, &dup), CKR_OK);
  EXPECT_NE(dup, src);
  EXPECT_EQ(get(dup, CKA_LABEL), text("duplicate"));
  EXPECT_EQ(get(src, CKA_LABEL), text("original"));
  EXPECT_EQ(get(dup, CKA_VALUE), text("contents"));
  const Bytes id_src = get(src, CKA_UNIQUE_ID);
  const Bytes id_dup = get(dup, CKA_UNIQUE_ID);
  EXPECT_FALSE(id_dup.empty());
  EXPECT_NE(id_src, id_dup);

  CK_OBJECT_HANDLE dup2 = 0;  // a copy with no changes is a plain duplicate
  ASSERT_EQ(f->C_CopyObject(rw_, src, nullptr, 0, &dup2), CKR_OK);
  EXPECT_EQ(get(dup2, CKA_LABEL), text("original"));
  EXPECT_NE(get(dup2, CKA_UNIQUE_ID), id_src);
  EXPECT_NE(get(dup2, CKA_UNIQUE_ID), id_dup);
}

TEST_F(ObjCopy, SessionToTokenAndPrivate) {
  const auto src = data("session-src");
  Template to_token;
  to_token.boolean(CKA_TOKEN, true).str(CKA_LABEL, "token-copy");
  CK_SESSION_HANDLE ro = open(slot_, false);
  EXPECT_EQ(copy(src, to_token, nullptr, ro), CKR_SESSION_READ_ONLY);
  CK_OBJECT_HANDLE tok = 0;
  ASSERT_EQ(copy(src, to_token, &tok), CKR_OK);
  EXPECT_TRUE(get_bool(tok, CKA_TOKEN));
  EXPECT_FALSE(get_bool(src, CKA_TOKEN));

  Template to_private;
  to_private.boolean(CKA_PRIVATE, true).str(CKA_LABEL, "private-copy");
  EXPECT_EQ(copy(src, to_private), CKR_USER_NOT_LOGGED_IN);
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  CK_OBJECT_HANDLE priv = 0;
  ASSERT_EQ(copy(src, to_private, &priv), CKR_OK);
  EXPECT_TRUE(get_bool(priv, CKA_PRIVATE));
  ASSERT_EQ(f->C_Logout(rw_), CKR_OK);
  EXPECT_EQ(count("private-copy"), 0u);

  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);  // the token copy outlives the session source
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  EXPECT_EQ(count("token-copy"), 1u);
  EXPECT_EQ(count("session-src"), 0u);
}

TEST_F(ObjCopy, NotCopyable) {
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "nocopy").boolean(CKA_COPYABLE, false);
  const auto src = create(t);
  Template c;
  c.str(CKA_LABEL, "attempt");
  EXPECT_EQ(copy(src, c), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(f->C_CopyObject(rw_, src, nullptr, 0, nullptr), CKR_ARGUMENTS_BAD);
  Template again;
  again.boolean(CKA_COPYABLE, true);
  EXPECT_EQ(f->C_SetAttributeValue(rw_, src, again.data(), again.size()), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(count("attempt"), 0u);
}

TEST_F(ObjCopy, OneWayAttributesInCopies) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const auto sens = aes(true, false);
  Template unsensitive;
  unsensitive.boolean(CKA_SENSITIVE, false);
  EXPECT_EQ(copy(sens, unsensitive), CKR_ATTRIBUTE_READ_ONLY);
  Template extractable;
  extractable.boolean(CKA_EXTRACTABLE, true);
  EXPECT_EQ(copy(sens, extractable), CKR_ATTRIBUTE_READ_ONLY);

  const auto open_key = aes(false, true);
  Template harden;
  harden.boolean(CKA_SENSITIVE, true).boolean(CKA_EXTRACTABLE, false);
  CK_OBJECT_HANDLE hard = 0;
  ASSERT_EQ(copy(open_key, harden, &hard), CKR_OK);
  EXPECT_TRUE(get_bool(hard, CKA_SENSITIVE));
  EXPECT_FALSE(get_bool(hard, CKA_EXTRACTABLE));
  EXPECT_FALSE(get_bool(hard, CKA_ALWAYS_SENSITIVE));
  EXPECT_FALSE(get_bool(hard, CKA_NEVER_EXTRACTABLE));
  EXPECT_FALSE(get_bool(hard, CKA_LOCAL));
  CK_ATTRIBUTE v{CKA_VALUE, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, hard, &v, 1), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(get(open_key, CKA_VALUE), Bytes(16, 0x3C));  // the source is untouched
}

TEST_F(ObjCopy, FixedAndTokenSetAttributes) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const auto key = aes(true, false);
  Template same_class;
  same_class.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES);
  EXPECT_EQ(copy(key, same_class), CKR_OK);  // restating fixed values is harmless
  Template other_type;
  other_type.ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET);
  EXPECT_EQ(copy(key, other_type), CKR_ATTRIBUTE_READ_ONLY);
  Template other_value;
  other_value.bytes(CKA_VALUE, Bytes(16, 0x01));
  EXPECT_EQ(copy(key, other_value), CKR_ATTRIBUTE_READ_ONLY);
  Template local;
  local.boolean(CKA_LOCAL, false);
  EXPECT_EQ(copy(key, local), CKR_ATTRIBUTE_READ_ONLY);
  Template uid;
  uid.str(CKA_UNIQUE_ID, "forged");
  EXPECT_EQ(copy(key, uid), CKR_ATTRIBUTE_READ_ONLY);
  Template foreign;
  foreign.bytes(CKA_MODULUS, Bytes(4, 1));
  EXPECT_EQ(copy(key, foreign), CKR_ATTRIBUTE_TYPE_INVALID);
  Template dup;
  dup.str(CKA_LABEL, "a").str(CKA_LABEL, "b");
  EXPECT_EQ(copy(key, dup), CKR_TEMPLATE_INCONSISTENT);
}

TEST_F(ObjCopy, InvalidHandlesAndArguments) {
  const auto src = data("src");
  Template t;
  t.str(CKA_LABEL, "x");
  EXPECT_EQ(copy(src + 5000, t), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_EQ(f->C_CopyObject(rw_, src, t.data(), t.size(), nullptr), CKR_ARGUMENTS_BAD);
  CK_OBJECT_HANDLE out = 0;
  EXPECT_EQ(f->C_CopyObject(rw_, src, nullptr, 1, &out), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_CopyObject(rw_ + 99, src, t.data(), t.size(), &out), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_DestroyObject(rw_ + 99, src), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(ObjCopy, DestroyAndDestroyTwice) {
  const auto ses = data("doomed");
  const auto tok = data("doomed-token", true);
  ASSERT_EQ(f->C_DestroyObject(rw_, ses), CKR_OK);
  EXPECT_EQ(f->C_DestroyObject(rw_, ses), CKR_OBJECT_HANDLE_INVALID);
  CK_ATTRIBUTE a{CKA_LABEL, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, ses, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_EQ(count("doomed"), 0u);
  ASSERT_EQ(f->C_DestroyObject(rw_, tok), CKR_OK);
  EXPECT_EQ(f->C_DestroyObject(rw_, tok), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_EQ(count("doomed-token"), 0u);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  EXPECT_EQ(count("doomed-token"), 0u);  // gone from the store as well
}

TEST_F(ObjCopy, NotDestroyable) {
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "keeper").boolean(CKA_DESTROYABLE, false).boolean(CKA_TOKEN, true);
  const auto h = create(t);
  EXPECT_EQ(f->C_DestroyObject(rw_, h), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(count("keeper"), 1u);
}

TEST_F(ObjCopy, TokenObjectDestroyNeedsRwSession) {
  const auto tok = data("tok", true);
  const auto ses = data("ses", false);
  CK_SESSION_HANDLE ro = open(slot_, false);
  EXPECT_EQ(f->C_DestroyObject(ro, tok), CKR_SESSION_READ_ONLY);
  EXPECT_EQ(count("tok"), 1u);
  EXPECT_EQ(f->C_DestroyObject(ro, ses), CKR_OK);
  EXPECT_EQ(count("ses"), 0u);
}

}  // namespace
}  // namespace craton::test
