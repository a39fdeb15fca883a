// A caller that passes the same template again (the module keeps the last few a thread parsed,
// src/abi/template_memo.h) gets exactly what a fresh parse would give: keys made in a loop carry
// the template's attributes, a template changed in place between calls is read anew, a change to
// one key reaches no other key, and templates used in turn each give their own attributes.
#include <string>
#include <vector>

#include "pqc_fixture.h"

namespace craton::test {
namespace {

class TemplateReuse : public PqcTest {
 protected:
  // C_EncapsulateKey on `pub` with template `t`; the new key's handle.
  CK_OBJECT_HANDLE encapsulate(CK_OBJECT_HANDLE pub, Template& t) {
    CK_MECHANISM m{CKM_ML_KEM, nullptr, 0};
    Bytes ct(768);
    CK_ULONG n = ct.size();
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_EncapsulateKey(rw_, &m, pub, t.data(), t.size(), ct.data(), &n, &h), CKR_OK);
    return h;
  }
  CK_OBJECT_HANDLE generate_aes(Template& t) {
    CK_MECHANISM m{CKM_AES_KEY_GEN, nullptr, 0};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_GenerateKey(rw_, &m, t.data(), t.size(), &h), CKR_OK);
    return h;
  }
  std::string label(CK_OBJECT_HANDLE h) {
    const Bytes v = attr(h, CKA_LABEL);
    return std::string(v.begin(), v.end());
  }
  std::vector<CK_OBJECT_HANDLE> find(Template& q) {
    std::vector<CK_OBJECT_HANDLE> out(64);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
    EXPECT_EQ(f->C_FindObjects(rw_, out.data(), out.size(), &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
    out.resize(n);
    return out;
  }
  // The bytes a template attribute points at, to change them in place.
  static std::uint8_t* value_of(Template& t, std::size_t i) { return static_cast<std::uint8_t*>(t.data()[i].pValue); }
};

TEST_F(TemplateReuse, KeysMadeInALoopCarryTheTemplatesAttributes) {
  Pair kem;
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512, kem), CKR_OK);
  Template t = secret_template();
  t.str(CKA_LABEL, "loop key").ulong(CKA_VALUE_LEN, 16);
  std::vector<CK_OBJECT_HANDLE> keys;
  for (int i = 0; i < 5; ++i) keys.push_back(encapsulate(kem.pub, t));
  std::vector<Bytes> uids, values;
  for (CK_OBJECT_HANDLE h : keys) {
    EXPECT_EQ(label(h), "loop key");
    EXPECT_EQ(attr_ulong(h, CKA_CLASS), CKO_SECRET_KEY);
    EXPECT_EQ(attr_ulong(h, CKA_KEY_TYPE), CKK_GENERIC_SECRET);
    EXPECT_EQ(attr_ulong(h, CKA_VALUE_LEN), 16u);
    EXPECT_TRUE(attr_bool(h, CKA_EXTRACTABLE));
    EXPECT_FALSE(attr_bool(h, CKA_SENSITIVE));
    values.push_back(attr(h, CKA_VALUE));
    EXPECT_EQ(values.back().size(), 16u);
    uids.push_back(attr(h, CKA_UNIQUE_ID));
    EXPECT_EQ(uids.back().size(), 32u);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (std::size_t j = i + 1; j < keys.size(); ++j) {
      EXPECT_NE(uids[i], uids[j]);
      EXPECT_NE(values[i], values[j]);
      EXPECT_NE(keys[i], keys[j]);
    }
  }
}

TEST_F(TemplateReuse, ATemplateChangedInPlaceIsReadAnew) {
  Pair kem;
  ASSERT_EQ(gen_pair(CKM_ML_KEM_KEY_PAIR_GEN, CKP_ML_KEM_512, kem), CKR_OK);
  Template t = secret_template();  // CLASS, KEY_TYPE, TOKEN, SENSITIVE, EXTRACTABLE
  t.str(CKA_LABEL, "first");
  const CK_OBJECT_HANDLE a = encapsulate(kem.pub, t);
  // Same array, same pointers and lengths; other bytes behind them.
  value_of(t, 5)[0] = 'F';
  value_of(t, 4)[0] = CK_FALSE;  // CKA_EXTRACTABLE
  const CK_OBJECT_HANDLE b = encapsulate(kem.pub, t);
  EXPECT_EQ(label(a), "first");
  EXPECT_TRUE(attr_bool(a, CKA_EXTRACTABLE));
  EXPECT_EQ(label(b), "First");
  EXPECT_FALSE(attr_bool(b, CKA_EXTRACTABLE));
  // Back to the first bytes: the first attributes again.
  value_of(t, 5)[0] = 'f';
  value_of(t, 4)[0] = CK_TRUE;
  const CK_OBJECT_HANDLE c = encapsulate(kem.pub, t);
  EXPECT_EQ(label(c), "first");
  EXPECT_TRUE(attr_bool(c, CKA_EXTRACTABLE));
  // An invalid value in place of a valid one is refused, and a valid one works again after it.
  value_of(t, 4)[0] = 2;  // not a CK_BBOOL
  CK_MECHANISM m{CKM_ML_KEM, nullptr, 0};
  Bytes ct(768);
  CK_ULONG n = ct.size();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_EncapsulateKey(rw_, &m, kem.pub, t.data(), t.size(), ct.data(), &n, &h), CKR_ATTRIBUTE_VALUE_INVALID);
  value_of(t, 4)[0] = CK_TRUE;
  EXPECT_EQ(label(encapsulate(kem.pub, t)), "first");
}

TEST_F(TemplateReuse, AChangeToOneKeyReachesNoOtherKey) {
  Template t;
  t.ulong(CKA_VALUE_LEN, 16).boolean(CKA_TOKEN, false).boolean(CKA_ENCRYPT, true).str(CKA_LABEL, "batch");
  const CK_OBJECT_HANDLE a = generate_aes(t);
  const CK_OBJECT_HANDLE b = generate_aes(t);
  std::string renamed = "renamed";
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE change[] = {{CKA_LABEL, renamed.data(), renamed.size()}, {CKA_ENCRYPT, &no, 1}};
  ASSERT_EQ(f->C_SetAttributeValue(rw_, a, change, 2), CKR_OK);
  const CK_OBJECT_HANDLE c = generate_aes(t);
  EXPECT_EQ(label(a), "renamed");
  EXPECT_FALSE(attr_bool(a, CKA_ENCRYPT));
  for (CK_OBJECT_HANDLE h : {b, c}) {
    EXPECT_EQ(label(h), "batch");
    EXPECT_TRUE(attr_bool(h, CKA_ENCRYPT));
  }
}

TEST_F(TemplateReuse, TemplatesUsedInTurnEachGiveTheirOwnAttributes) {
  // More templates than the module keeps, each used several times, round after round.
  std::vector<Template> templates(7);
  for (std::size_t i = 0; i < templates.size(); ++i) {
    templates[i].ulong(CKA_VALUE_LEN, 16 + 8 * (i % 3)).boolean(CKA_TOKEN, false).str(CKA_LABEL, "turn " + std::to_string(i));
  }
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < templates.size(); ++i) {
      const CK_OBJECT_HANDLE h = generate_aes(templates[i]);
      EXPECT_EQ(label(h), "turn " + std::to_string(i));
      EXPECT_EQ(attr_ulong(h, CKA_VALUE_LEN), 16 + 8 * (i % 3));
    }
  }
  // The same search template, asked again as objects change, sees the change.
  Template q;
  q.ulong(CKA_CLASS, CKO_SECRET_KEY).str(CKA_LABEL, "turn 3");
  const auto found = find(q);
  ASSERT_EQ(found.size(), 3u);
  std::string renamed = "turn 33";
  CK_ATTRIBUTE change{CKA_LABEL, renamed.data(), renamed.size()};
  ASSERT_EQ(f->C_SetAttributeValue(rw_, found[0], &change, 1), CKR_OK);
  EXPECT_EQ(find(q).size(), 2u);
}

TEST_F(TemplateReuse, TemplatesWithKeyValuesAreReadEveryTime) {
  // C_CreateObject with CKA_VALUE (never kept): the value changed in place gives another key.
  Template t;
  t.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).boolean(CKA_TOKEN, false).boolean(CKA_SENSITIVE, false)
      .boolean(CKA_EXTRACTABLE, true).bytes(CKA_VALUE, Bytes(16, 0x11));
  CK_OBJECT_HANDLE a = CK_INVALID_HANDLE, b = CK_INVALID_HANDLE;
  ASSERT_EQ(create(t, a), CKR_OK);
  std::fill_n(value_of(t, 5), 16, 0x22);
  ASSERT_EQ(create(t, b), CKR_OK);
  EXPECT_EQ(attr(a, CKA_VALUE), Bytes(16, 0x11));
  EXPECT_EQ(attr(b, CKA_VALUE), Bytes(16, 0x22));
}

}  // namespace
}  // namespace craton::test
