#include "module_fixture.h"

namespace craton::test {
namespace {

class Smoke : public ApiTest {};

TEST_F(Smoke, CreateAndFindDataObject) {
  const CK_SLOT_ID slot = make_token();
  CK_SESSION_HANDLE s = open(slot, true);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  Template t;
  t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).str(CKA_LABEL, "hello").str(CKA_VALUE, "world");
  CK_OBJECT_HANDLE h = 0;
  ASSERT_EQ(f->C_CreateObject(s, t.data(), t.size(), &h), CKR_OK);
  Template q;
  q.str(CKA_LABEL, "hello");
  ASSERT_EQ(f->C_FindObjectsInit(s, q.data(), q.size()), CKR_OK);
  CK_OBJECT_HANDLE found[4];
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_FindObjects(s, found, 4, &n), CKR_OK);
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(found[0], h);
  EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
}

}  // namespace
}  // namespace craton::test
