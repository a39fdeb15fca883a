// C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal: matching, batching, state rules and
// visibility (private objects, session objects, sensitive values).
#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>

#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Handles = std::set<CK_OBJECT_HANDLE>;

class ObjFind : public TokenTest {
 protected:
  CK_OBJECT_HANDLE create(Template& t, CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_CreateObject(s == CK_INVALID_HANDLE ? rw_ : s, t.data(), t.size(), &h), CKR_OK);
    return h;
  }
  CK_OBJECT_HANDLE data(const std::string& label, bool token = false, bool priv = false,
                        CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).str(CKA_LABEL, label).boolean(CKA_TOKEN, token).boolean(CKA_PRIVATE, priv);
    return create(t, s);
  }
  CK_OBJECT_HANDLE cert(const std::string& label, const Bytes& id) {
    Template t;
    t.ulong(CKA_CLASS, CKO_CERTIFICATE).ulong(CKA_CERTIFICATE_TYPE, CKC_X_509).str(CKA_LABEL, label);
    t.bytes(CKA_ID, id).bytes(CKA_SUBJECT, {0x30, 0x00}).bytes(CKA_VALUE, {0x30, 0x00});
    return create(t);
  }
  // Runs a whole search; `batch` objects per C_FindObjects call.
  Handles find(Template& q, CK_SESSION_HANDLE s = CK_INVALID_HANDLE, CK_ULONG batch = 16) {
    if (s == CK_INVALID_HANDLE) s = rw_;
    Handles out;
    EXPECT_EQ(f->C_FindObjectsInit(s, q.data(), q.size()), CKR_OK);
    std::vector<CK_OBJECT_HANDLE> buf(batch);
    for (;;) {
      CK_ULONG n = 0;
      EXPECT_EQ(f->C_FindObjects(s, buf.data(), batch, &n), CKR_OK);
      if (n == 0) break;
      for (CK_ULONG i = 0; i < n; ++i) EXPECT_TRUE(out.insert(buf[i]).second) << "handle returned twice";
    }
    EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
    return out;
  }
};

TEST_F(ObjFind, ByLabelIdClassAndCombinations) {
  const auto d1 = data("alpha");
  const auto d2 = data("beta", true);
  const auto c1 = cert("alpha", {1, 2});
  const auto c2 = cert("gamma", {1, 2});
  const auto c3 = cert("gamma", {3});

  Template by_label;
  by_label.str(CKA_LABEL, "alpha");
  EXPECT_EQ(find(by_label), Handles({d1, c1}));
  Template by_id;
  by_id.bytes(CKA_ID, {1, 2});
  EXPECT_EQ(find(by_id), Handles({c1, c2}));
  Template by_class;
  by_class.ulong(CKA_CLASS, CKO_CERTIFICATE);
  EXPECT_EQ(find(by_class), Handles({c1, c2, c3}));
  Template data_class;
  data_class.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(find(data_class), Handles({d1, d2}));
  Template combo;
  combo.ulong(CKA_CLASS, CKO_CERTIFICATE).str(CKA_LABEL, "gamma").bytes(CKA_ID, {3});
  EXPECT_EQ(find(combo), Handles({c3}));
  Template token_only;
  token_only.boolean(CKA_TOKEN, true);
  EXPECT_EQ(find(token_only), Handles({d2}));
  Template empty;
  EXPECT_EQ(find(empty), Handles({d1, d2, c1, c2, c3}));
  Template none;
  none.str(CKA_LABEL, "no such label");
  EXPECT_TRUE(find(none).empty());
  Template contradiction;
  contradiction.ulong(CKA_CLASS, CKO_DATA).bytes(CKA_ID, {1, 2});  // data objects have no CKA_ID
  EXPECT_TRUE(find(contradiction).empty());
  // A NULL template with count 0 is the empty template.
  ASSERT_EQ(f->C_FindObjectsInit(rw_, nullptr, 0), CKR_OK);
  CK_OBJECT_HANDLE buf[8];
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_FindObjects(rw_, buf, 8, &n), CKR_OK);
  EXPECT_EQ(n, 5u);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
}

// A template naming CKA_UNIQUE_ID is answered from the unique-id table, for token and session
// objects alike; other attributes of the template still have to match.
TEST_F(ObjFind, ByUniqueId) {
  const auto token_obj = data("by-uid", true);
  const auto session_obj = data("by-uid");
  for (const CK_OBJECT_HANDLE h : {token_obj, session_obj}) {
    CK_ATTRIBUTE a{CKA_UNIQUE_ID, nullptr, 0};
    ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    Bytes uid(a.ulValueLen);
    a.pValue = uid.data();
    ASSERT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    ASSERT_FALSE(uid.empty());
    Template q;
    q.bytes(CKA_UNIQUE_ID, uid);
    EXPECT_EQ(find(q), (Handles{h}));
    Template wrong_label;
    wrong_label.bytes(CKA_UNIQUE_ID, uid).str(CKA_LABEL, "something else");
    EXPECT_TRUE(find(wrong_label).empty());
  }
  Template unknown;
  unknown.str(CKA_UNIQUE_ID, "no-such-unique-id");
  EXPECT_TRUE(find(unknown).empty());
}

TEST_F(ObjFind, BatchesOfOne) {
  Handles made;
  for (int i = 0; i < 5; ++i) made.insert(data("batch"));
  Template q;
  q.str(CKA_LABEL, "batch");
  EXPECT_EQ(find(q, rw_, 1), made);
  // Explicitly: after the last object, C_FindObjects keeps returning 0.
  ASSERT_EQ(f->C_FindObjectsInit(rw_, q.data(), q.size()), CKR_OK);
  CK_OBJECT_HANDLE h = 0;
  CK_ULONG n = 99;
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(f->C_FindObjects(rw_, &h, 1, &n), CKR_OK);
    EXPECT_EQ(n, 1u);
  }
  ASSERT_EQ(f->C_FindObjects(rw_, &h, 1, &n), CKR_OK);
  EXPECT_EQ(n, 0u);
  ASSERT_EQ(f->C_FindObjects(rw_, &h, 1, &n), CKR_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
}

TEST_F(ObjFind, OperationStateRules) {
  data("x");
  CK_OBJECT_HANDLE h[4];
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_FindObjects(rw_, h, 4, &n), CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OPERATION_NOT_INITIALIZED);
  ASSERT_EQ(f->C_FindObjectsInit(rw_, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_FindObjectsInit(rw_, nullptr, 0), CKR_OPERATION_ACTIVE);
  EXPECT_EQ(f->C_FindObjects(rw_, h, 4, nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_FindObjects(rw_, nullptr, 4, &n), CKR_ARGUMENTS_BAD);
  ASSERT_EQ(f->C_FindObjects(rw_, h, 4, &n), CKR_OK);  // the search survived the errors
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(f->C_FindObjectsInit(rw_, nullptr, 2), CKR_ARGUMENTS_BAD);
  CK_ATTRIBUTE null_value{CKA_LABEL, nullptr, 3};
  EXPECT_EQ(f->C_FindObjectsInit(rw_, &null_value, 1), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_FindObjectsInit(rw_ + 777, nullptr, 0), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_FindObjects(rw_ + 777, h, 4, &n), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_ + 777), CKR_SESSION_HANDLE_INVALID);
  // Each session has its own search.
  CK_SESSION_HANDLE other = open(slot_, false);
  ASSERT_EQ(f->C_FindObjectsInit(rw_, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_FindObjectsInit(other, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_FindObjectsFinal(other), CKR_OK);
  EXPECT_EQ(f->C_FindObjectsFinal(rw_), CKR_OK);
}

TEST_F(ObjFind, PrivateObjectsNeedLogin) {
  const auto pub = data("vis", true, false);
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const auto priv_tok = data("vis", true, true);
  const auto priv_ses = data("vis", false, true);
  Template q;
  q.str(CKA_LABEL, "vis");
  EXPECT_EQ(find(q), Handles({pub, priv_tok, priv_ses}));

  ASSERT_EQ(f->C_Logout(rw_), CKR_OK);
  EXPECT_EQ(find(q), Handles({pub}));
  for (CK_OBJECT_HANDLE h : {priv_tok, priv_ses}) {
    CK_ATTRIBUTE a{CKA_LABEL, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OBJECT_HANDLE_INVALID);
    CK_ULONG size = 0;
    EXPECT_EQ(f->C_GetObjectSize(rw_, h, &size), CKR_OBJECT_HANDLE_INVALID);
    EXPECT_EQ(f->C_DestroyObject(rw_, h), CKR_OBJECT_HANDLE_INVALID);
  }
  // After a new login the objects are back, under new handles; the old ones stay invalid.
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const Handles again = find(q);
  EXPECT_EQ(again.size(), 3u);
  EXPECT_EQ(again.count(pub), 1u);
  CK_ATTRIBUTE a{CKA_LABEL, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(rw_, priv_tok, &a, 1), CKR_OBJECT_HANDLE_INVALID);

  // A fresh library lifetime: the private token object is invisible until login.
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  EXPECT_EQ(find(q).size(), 1u);
  Template priv_only;
  priv_only.boolean(CKA_PRIVATE, true);
  EXPECT_TRUE(find(priv_only).empty());
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(find(priv_only).size(), 1u);
  EXPECT_EQ(find(q).size(), 2u);
}

TEST_F(ObjFind, SessionObjectsSharedAndDroppedOnClose) {
  CK_SESSION_HANDLE a = open(slot_, true);
  CK_SESSION_HANDLE b = open(slot_, false);
  const auto obj = data("shared", false, false, a);
  Template q;
  q.str(CKA_LABEL, "shared");
  EXPECT_EQ(find(q, b), Handles({obj}));
  CK_ATTRIBUTE attr{CKA_LABEL, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(b, obj, &attr, 1), CKR_OK);
  EXPECT_EQ(attr.ulValueLen, 6u);
  ASSERT_EQ(f->C_CloseSession(a), CKR_OK);
  EXPECT_TRUE(find(q, b).empty());
  EXPECT_EQ(f->C_GetAttributeValue(b, obj, &attr, 1), CKR_OBJECT_HANDLE_INVALID);
}

// New session objects are listed for search by the next search (ADR 0015): keys made in a loop,
// some destroyed and one relabelled before any search, are found exactly, by class, key type and
// label, and so are those made after that search.
TEST_F(ObjFind, SessionKeysMadeBetweenSearchesAreFoundByTheNext) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);  // secret keys are private objects
  CK_MECHANISM gen{CKM_AES_KEY_GEN, nullptr, 0};
  Template t;
  t.ulong(CKA_VALUE_LEN, 16).str(CKA_LABEL, "loop");
  std::vector<CK_OBJECT_HANDLE> keys(10);
  for (auto& h : keys) ASSERT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &h), CKR_OK);
  for (std::size_t i : {0u, 5u, 9u}) ASSERT_EQ(f->C_DestroyObject(rw_, keys[i]), CKR_OK);
  Template rename;
  rename.str(CKA_LABEL, "renamed");
  ASSERT_EQ(f->C_SetAttributeValue(rw_, keys[3], rename.data(), rename.size()), CKR_OK);
  Handles loop;
  for (std::size_t i : {1u, 2u, 4u, 6u, 7u, 8u}) loop.insert(keys[i]);
  Template by_label;
  by_label.str(CKA_LABEL, "loop");
  EXPECT_EQ(find(by_label), loop);
  EXPECT_EQ(find(rename), Handles({keys[3]}));
  Template aes;
  aes.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES);
  Handles all_aes = loop;
  all_aes.insert(keys[3]);
  EXPECT_EQ(find(aes), all_aes);
  // Made after that search, destroyed or not before the next.
  CK_OBJECT_HANDLE later = 0, gone = 0;
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &later), CKR_OK);
  ASSERT_EQ(f->C_GenerateKey(rw_, &gen, t.data(), t.size(), &gone), CKR_OK);
  ASSERT_EQ(f->C_DestroyObject(rw_, gone), CKR_OK);
  loop.insert(later);
  EXPECT_EQ(find(by_label), loop);
  for (std::size_t i : {1u, 2u}) ASSERT_EQ(f->C_DestroyObject(rw_, keys[i]), CKR_OK);
  loop.erase(keys[1]);
  loop.erase(keys[2]);
  EXPECT_EQ(find(by_label), loop);
}

TEST_F(ObjFind, SensitiveValuesNeverMatch) {
  ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
  const Bytes secret(32, 0x6B);
  const Bytes open_value(32, 0x6C);
  Template sens;
  sens.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, secret).boolean(CKA_SENSITIVE, true);
  create(sens);
  Template unextractable;
  unextractable.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, secret);
  unextractable.boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, false);
  create(unextractable);
  Template readable;
  readable.ulong(CKA_CLASS, CKO_SECRET_KEY).ulong(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, open_value);
  readable.boolean(CKA_SENSITIVE, false).boolean(CKA_EXTRACTABLE, true);
  const auto r = create(readable);

  Template q_secret;
  q_secret.bytes(CKA_VALUE, secret);
  EXPECT_TRUE(find(q_secret).empty());
  Template q_secret_class;
  q_secret_class.ulong(CKA_CLASS, CKO_SECRET_KEY).bytes(CKA_VALUE, secret);
  EXPECT_TRUE(find(q_secret_class).empty());
  Template q_open;
  q_open.bytes(CKA_VALUE, open_value);
  EXPECT_EQ(find(q_open), Handles({r}));
  Template q_keys;
  q_keys.ulong(CKA_CLASS, CKO_SECRET_KEY);
  EXPECT_EQ(find(q_keys).size(), 3u);  // the keys themselves are found by public attributes
}

class ObjFindScale : public ObjFind {
 protected:
  std::string extra_config() const override { return "objectstore.sync = normal\n"; }
};

TEST_F(ObjFindScale, OneLabelAmongTwoThousandTokenObjects) {
  constexpr int kCount = 2000;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kCount; ++i) {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).str(CKA_LABEL, "obj-" + std::to_string(i));
    t.str(CKA_APPLICATION, "scale");
    CK_OBJECT_HANDLE h = 0;
    ASSERT_EQ(f->C_CreateObject(rw_, t.data(), t.size(), &h), CKR_OK) << i;
  }
  const auto t1 = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };

  Template q;
  q.str(CKA_LABEL, "obj-1234");
  auto timed_find = [&]() {
    const auto a = std::chrono::steady_clock::now();
    Handles r = find(q);
    return std::pair{r, ms(std::chrono::steady_clock::now() - a)};
  };
  const auto [warm, warm_ms] = timed_find();
  EXPECT_EQ(warm.size(), 1u);

  // A new library lifetime loads the objects from disk on the first search.
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  rw_ = open(slot_, true);
  const auto [cold, cold_ms] = timed_find();
  ASSERT_EQ(cold.size(), 1u);
  const auto [again, again_ms] = timed_find();
  EXPECT_EQ(again, cold);
  CK_ATTRIBUTE a{CKA_LABEL, nullptr, 0};
  ASSERT_EQ(f->C_GetAttributeValue(rw_, *cold.begin(), &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen, 8u);
  Template app;
  app.str(CKA_APPLICATION, "scale");
  EXPECT_EQ(find(app).size(), static_cast<std::size_t>(kCount));

  std::cout << "[ timing   ] created " << kCount << " token objects in " << ms(t1 - t0) << " ms; find by label: "
            << warm_ms << " ms (warm), " << cold_ms << " ms (first after C_Initialize, loads the store), "
            << again_ms << " ms (cached)\n";
  RecordProperty("find_by_label_cached_ms", std::to_string(again_ms));
}

}  // namespace
}  // namespace craton::test
