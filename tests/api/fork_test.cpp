// Behaviour in a child created by fork() (PKCS#11 3.2 §5.4, C_Initialize: a child must call
// C_Initialize before using the library), for both settings of library.reset_on_fork.
//
// The child never runs gtest assertions: it reports through its exit status (0 = every check
// passed, otherwise the number of the failing step) and a pipe carrying a short diagnostic.
#include <string>

#include "lifecycle_helpers.h"
#include "module_fixture.h"

namespace craton::test {
namespace {

class ForkTest : public ApiTest {
 protected:
  CK_RV create_data(CK_SESSION_HANDLE s, const std::string& label, CK_OBJECT_HANDLE* h) {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, false).str(CKA_LABEL, label);
    return f->C_CreateObject(s, t.data(), t.size(), h);
  }
  // Number of objects labelled `label`, or -1 on a failed call.
  long count_labelled(CK_SESSION_HANDLE s, const std::string& label) {
    Template q;
    q.str(CKA_LABEL, label);
    if (f->C_FindObjectsInit(s, q.data(), q.size()) != CKR_OK) return -1;
    CK_OBJECT_HANDLE buf[8];
    CK_ULONG n = 0;
    const CK_RV rv = f->C_FindObjects(s, buf, 8, &n);
    if (f->C_FindObjectsFinal(s) != CKR_OK || rv != CKR_OK) return -1;
    return static_cast<long>(n);
  }
};

class ForkReset : public ForkTest {
 protected:
  std::string extra_config() const override { return "library.reset_on_fork = true\n"; }
};

class ForkInherit : public ForkTest {
 protected:
  std::string extra_config() const override { return "library.reset_on_fork = false\n"; }
};

// In the child: `step` fails with exit code `code` and a note naming the call and its result.
#define CHILD_EXPECT(cond, code, what)                  \
  do {                                                  \
    if (!(cond)) {                                      \
      child_note(fd, std::string(what));               \
      return code;                                      \
    }                                                   \
  } while (0)

std::string rv_text(CK_RV rv) {
  char buf[32];
  std::snprintf(buf, sizeof buf, " rv=0x%lx", static_cast<unsigned long>(rv));
  return buf;
}

TEST_F(ForkReset, ChildMustReinitializeThenSharesTheToken) {
  const CK_SLOT_ID slot = make_token("forked");
  const CK_SESSION_HANDLE parent_s = open(slot, true);
  ASSERT_EQ(login(parent_s, CKU_USER, kUserPin), CKR_OK);

  std::string note;
  const int status = run_in_child(
      [&](int fd) -> int {
        // Every function (except the pre-initialise ones) refuses until C_Initialize.
        const std::string bad = calls_not_returning(f, CKR_CRYPTOKI_NOT_INITIALIZED);
        CHILD_EXPECT(bad.empty(), 10, "before C_Initialize: " + bad);
        CK_RV rv = f->C_Initialize(nullptr);
        CHILD_EXPECT(rv == CKR_OK, 11, "C_Initialize" + rv_text(rv));
        CK_SESSION_INFO si{};
        rv = f->C_GetSessionInfo(parent_s, &si);
        CHILD_EXPECT(rv == CKR_SESSION_HANDLE_INVALID, 12, "parent's session in child" + rv_text(rv));
        CK_TOKEN_INFO ti{};
        rv = f->C_GetTokenInfo(slot, &ti);
        CHILD_EXPECT(rv == CKR_OK && (ti.flags & CKF_TOKEN_INITIALIZED) != 0, 13, "C_GetTokenInfo" + rv_text(rv));
        CK_SESSION_HANDLE s = 0;
        rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s);
        CHILD_EXPECT(rv == CKR_OK, 14, "C_OpenSession" + rv_text(rv));
        CHILD_EXPECT(f->C_GetSessionInfo(s, &si) == CKR_OK && si.state == CKS_RW_PUBLIC_SESSION, 15,
                     "child inherited the parent's login");
        rv = login(s, CKU_USER, kUserPin);
        CHILD_EXPECT(rv == CKR_OK, 16, "C_Login" + rv_text(rv));
        CK_OBJECT_HANDLE h = 0;
        rv = create_data(s, "from-child", &h);
        CHILD_EXPECT(rv == CKR_OK, 17, "C_CreateObject" + rv_text(rv));
        rv = f->C_Finalize(nullptr);
        CHILD_EXPECT(rv == CKR_OK, 18, "C_Finalize" + rv_text(rv));
        return 0;
      },
      note);
  ASSERT_EQ(status, 0) << note;

  // The parent is unaffected: its session and login survive, and it sees the child's object.
  CK_SESSION_INFO si{};
  ASSERT_EQ(f->C_GetSessionInfo(parent_s, &si), CKR_OK);
  EXPECT_EQ(si.state, CKS_RW_USER_FUNCTIONS);
  EXPECT_EQ(count_labelled(parent_s, "from-child"), 1);
}

TEST_F(ForkReset, ChildThatNeverInitializesLeavesTheParentAlone) {
  const CK_SLOT_ID slot = make_token("idle child");
  const CK_SESSION_HANDLE s = open(slot, true);
  std::string note;
  const int status = run_in_child(
      [&](int fd) -> int {
        CK_RV rv = f->C_Finalize(nullptr);
        CHILD_EXPECT(rv == CKR_CRYPTOKI_NOT_INITIALIZED, 20, "C_Finalize" + rv_text(rv));
        return 0;
      },
      note);
  ASSERT_EQ(status, 0) << note;
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(create_data(s, "after-child", &h), CKR_OK);
  EXPECT_EQ(count_labelled(s, "after-child"), 1);
}

TEST_F(ForkInherit, ChildKeepsWorkingWithInheritedState) {
  const CK_SLOT_ID slot = make_token("inherited");
  const CK_SESSION_HANDLE s = open(slot, true);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  CK_OBJECT_HANDLE parent_obj = 0;
  ASSERT_EQ(create_data(s, "from-parent", &parent_obj), CKR_OK);

  std::string note;
  const int status = run_in_child(
      [&](int fd) -> int {
        CK_SESSION_INFO si{};
        CK_RV rv = f->C_GetSessionInfo(s, &si);
        CHILD_EXPECT(rv == CKR_OK && si.state == CKS_RW_USER_FUNCTIONS, 30, "inherited session" + rv_text(rv));
        rv = f->C_Initialize(nullptr);
        CHILD_EXPECT(rv == CKR_CRYPTOKI_ALREADY_INITIALIZED, 31, "C_Initialize" + rv_text(rv));
        CHILD_EXPECT(count_labelled(s, "from-parent") == 1, 32, "parent's object not found");
        CK_OBJECT_HANDLE h = 0;
        rv = create_data(s, "from-child", &h);
        CHILD_EXPECT(rv == CKR_OK, 33, "C_CreateObject" + rv_text(rv));
        CHILD_EXPECT(count_labelled(s, "from-child") == 1, 34, "own object not found");
        CK_SESSION_HANDLE s2 = 0;
        rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &s2);
        CHILD_EXPECT(rv == CKR_OK, 35, "C_OpenSession" + rv_text(rv));
        // No C_Finalize: the child exits with the inherited state, as a forking server would.
        return 0;
      },
      note);
  ASSERT_EQ(status, 0) << note;

  CK_SESSION_INFO si{};
  ASSERT_EQ(f->C_GetSessionInfo(s, &si), CKR_OK);
  EXPECT_EQ(si.state, CKS_RW_USER_FUNCTIONS);
  EXPECT_EQ(count_labelled(s, "from-child"), 1);  // written by the child, read by the parent
  CK_OBJECT_HANDLE h = 0;
  EXPECT_EQ(create_data(s, "parent-after", &h), CKR_OK);  // the parent's store still works
  EXPECT_EQ(count_labelled(s, "parent-after"), 1);
}

#undef CHILD_EXPECT

}  // namespace
}  // namespace craton::test
