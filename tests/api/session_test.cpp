// Session management (PKCS#11 3.2 §5.6): opening and closing sessions, session states, C_SessionCancel,
// operation state, validation flags, and the unsupported async / parallel functions.
#include <set>

#include "module_fixture.h"

namespace craton::test {
namespace {

class SessionTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    slot_ = make_token("sessions");
  }
  CK_SESSION_INFO info(CK_SESSION_HANDLE s) {
    CK_SESSION_INFO si{};
    EXPECT_EQ(f->C_GetSessionInfo(s, &si), CKR_OK);
    return si;
  }
  CK_STATE state(CK_SESSION_HANDLE s) { return info(s).state; }
  CK_SLOT_ID slot_ = 0;
};

TEST_F(SessionTest, OpenSessionFlagAndArgumentChecks) {
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_OpenSession(slot_, 0, nullptr, nullptr, &h), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
  EXPECT_EQ(f->C_OpenSession(slot_, CKF_RW_SESSION, nullptr, nullptr, &h), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
  EXPECT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_ASYNC_SESSION, nullptr, nullptr, &h),
            CKR_SESSION_ASYNC_NOT_SUPPORTED);
  EXPECT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_OpenSession(free_slot() + 1000, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_SLOT_ID_INVALID);
  CK_TOKEN_INFO ti{};
  ASSERT_EQ(f->C_GetTokenInfo(slot_, &ti), CKR_OK);
  EXPECT_EQ(ti.ulSessionCount, 0u);  // none of the refused calls opened a session
}

TEST_F(SessionTest, SessionInfoInEveryLoginState) {
  const CK_SESSION_HANDLE ro = open(slot_, false), rw = open(slot_, true);
  CK_SESSION_INFO si = info(ro);
  EXPECT_EQ(si.slotID, slot_);
  EXPECT_EQ(si.state, CKS_RO_PUBLIC_SESSION);
  EXPECT_EQ(si.flags, CKF_SERIAL_SESSION);
  si = info(rw);
  EXPECT_EQ(si.state, CKS_RW_PUBLIC_SESSION);
  EXPECT_EQ(si.flags, CKF_SERIAL_SESSION | CKF_RW_SESSION);
  // The login state is shared by all sessions of the application.
  ASSERT_EQ(login(ro, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(state(ro), CKS_RO_USER_FUNCTIONS);
  EXPECT_EQ(state(rw), CKS_RW_USER_FUNCTIONS);
  ASSERT_EQ(f->C_Logout(rw), CKR_OK);
  EXPECT_EQ(state(ro), CKS_RO_PUBLIC_SESSION);
  EXPECT_EQ(state(rw), CKS_RW_PUBLIC_SESSION);
  ASSERT_EQ(f->C_CloseSession(ro), CKR_OK);  // the SO cannot log in while an R/O session exists
  ASSERT_EQ(login(rw, CKU_SO, kSoPin), CKR_OK);
  EXPECT_EQ(state(rw), CKS_RW_SO_FUNCTIONS);
  EXPECT_EQ(info(rw).flags, CKF_SERIAL_SESSION | CKF_RW_SESSION);
  ASSERT_EQ(f->C_Logout(rw), CKR_OK);
  EXPECT_EQ(state(rw), CKS_RW_PUBLIC_SESSION);
  EXPECT_EQ(f->C_GetSessionInfo(rw, nullptr), CKR_ARGUMENTS_BAD);
}

TEST_F(SessionTest, CloseInvalidHandle) {
  EXPECT_EQ(f->C_CloseSession(CK_INVALID_HANDLE), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_CloseSession(0x7fffffff), CKR_SESSION_HANDLE_INVALID);
  CK_SESSION_INFO si{};
  EXPECT_EQ(f->C_GetSessionInfo(CK_INVALID_HANDLE, &si), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(SessionTest, ClosedHandleIsInvalidAndNeverReused) {
  const CK_SESSION_HANDLE h = open(slot_, true);
  ASSERT_EQ(f->C_CloseSession(h), CKR_OK);
  CK_SESSION_INFO si{};
  EXPECT_EQ(f->C_GetSessionInfo(h, &si), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_CloseSession(h), CKR_SESSION_HANDLE_INVALID);
  std::set<CK_SESSION_HANDLE> seen{h};
  for (int i = 0; i < 32; ++i) {
    const CK_SESSION_HANDLE n = open(slot_, i % 2 == 0);
    EXPECT_NE(n, CK_INVALID_HANDLE);
    EXPECT_TRUE(seen.insert(n).second) << "handle " << n << " reused";
    if (i % 3 == 0) {
      ASSERT_EQ(f->C_CloseSession(n), CKR_OK);
    }
  }
  EXPECT_EQ(f->C_GetSessionInfo(h, &si), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(SessionTest, CloseAllSessions) {
  const CK_SESSION_HANDLE a = open(slot_, true), b = open(slot_, false), c = open(slot_, true);
  ASSERT_EQ(f->C_CloseAllSessions(slot_), CKR_OK);
  CK_SESSION_INFO si{};
  for (CK_SESSION_HANDLE h : {a, b, c}) {
    EXPECT_EQ(f->C_GetSessionInfo(h, &si), CKR_SESSION_HANDLE_INVALID);
  }
  CK_TOKEN_INFO ti{};
  ASSERT_EQ(f->C_GetTokenInfo(slot_, &ti), CKR_OK);
  EXPECT_EQ(ti.ulSessionCount, 0u);
  EXPECT_EQ(ti.ulRwSessionCount, 0u);
  EXPECT_EQ(f->C_CloseAllSessions(slot_), CKR_OK);  // nothing to close is fine
  EXPECT_EQ(f->C_CloseAllSessions(free_slot() + 1000), CKR_SLOT_ID_INVALID);
}

TEST_F(SessionTest, ClosingTheLastSessionLogsOut) {
  CK_SESSION_HANDLE a = open(slot_, true), b = open(slot_, false);
  ASSERT_EQ(login(a, CKU_USER, kUserPin), CKR_OK);
  ASSERT_EQ(f->C_CloseSession(a), CKR_OK);
  EXPECT_EQ(state(b), CKS_RO_USER_FUNCTIONS);  // one session left: still logged in
  ASSERT_EQ(f->C_CloseSession(b), CKR_OK);
  const CK_SESSION_HANDLE c = open(slot_, true);
  EXPECT_EQ(state(c), CKS_RW_PUBLIC_SESSION);
  EXPECT_EQ(f->C_Logout(c), CKR_USER_NOT_LOGGED_IN);
  // Same via C_CloseAllSessions.
  ASSERT_EQ(login(c, CKU_USER, kUserPin), CKR_OK);
  ASSERT_EQ(f->C_CloseAllSessions(slot_), CKR_OK);
  EXPECT_EQ(state(open(slot_, false)), CKS_RO_PUBLIC_SESSION);
}

TEST_F(SessionTest, ReadOnlySessionWhileSoLoggedInIsRefused) {
  const CK_SESSION_HANDLE rw = open(slot_, true);
  ASSERT_EQ(login(rw, CKU_SO, kSoPin), CKR_OK);
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_SESSION_READ_WRITE_SO_EXISTS);
  ASSERT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), CKR_OK);
  EXPECT_EQ(state(h), CKS_RW_SO_FUNCTIONS);
}

TEST_F(SessionTest, SessionCancel) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(f->C_SessionCancel(s, 0), CKR_OK);
  EXPECT_EQ(f->C_SessionCancel(s, CKF_ENCRYPT | CKF_SIGN), CKR_OK);  // inactive operations are ignored
  ASSERT_EQ(f->C_FindObjectsInit(s, nullptr, 0), CKR_OK);
  EXPECT_EQ(f->C_SessionCancel(s, 0), CKR_OK);  // 0 changes nothing
  CK_OBJECT_HANDLE buf[4];
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_FindObjects(s, buf, 4, &n), CKR_OK);
  EXPECT_EQ(f->C_SessionCancel(s, CKF_FIND_OBJECTS), CKR_OK);
  EXPECT_EQ(f->C_FindObjects(s, buf, 4, &n), CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(f->C_FindObjectsInit(s, nullptr, 0), CKR_OK);  // a new search can start
  EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
  EXPECT_EQ(f->C_SessionCancel(CK_INVALID_HANDLE, CKF_FIND_OBJECTS), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(SessionTest, OperationState) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  CK_ULONG len = 0;
  EXPECT_EQ(f->C_GetOperationState(s, nullptr, &len), CKR_OPERATION_NOT_INITIALIZED);
  CK_BYTE garbage[37];
  for (std::size_t i = 0; i < sizeof garbage; ++i) garbage[i] = static_cast<CK_BYTE>(i * 7 + 3);
  EXPECT_EQ(f->C_SetOperationState(s, garbage, sizeof garbage, CK_INVALID_HANDLE, CK_INVALID_HANDLE),
            CKR_SAVED_STATE_INVALID);
  EXPECT_EQ(f->C_GetOperationState(CK_INVALID_HANDLE, nullptr, &len), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(SessionTest, SessionValidationFlags) {
  const CK_SESSION_HANDLE s = open(slot_, false);
  CK_FLAGS flags = ~CK_FLAGS{0};
  ASSERT_EQ(f->C_GetSessionValidationFlags(s, CKS_LAST_VALIDATION_OK, &flags), CKR_OK);
  EXPECT_EQ(flags, 0u);  // no operation has completed in this session
  EXPECT_EQ(f->C_GetSessionValidationFlags(s, CKS_LAST_VALIDATION_OK + 1, &flags), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_GetSessionValidationFlags(s, 0, &flags), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_GetSessionValidationFlags(s, CKS_LAST_VALIDATION_OK, nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_GetSessionValidationFlags(CK_INVALID_HANDLE, CKS_LAST_VALIDATION_OK, &flags),
            CKR_SESSION_HANDLE_INVALID);
}

TEST_F(SessionTest, AsyncFunctionsAreNotSupported) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  CK_UTF8CHAR fn[] = "C_Sign";
  CK_ASYNC_DATA data{};
  CK_ULONG id = 0;
  CK_BYTE buf[8] = {};
  EXPECT_EQ(f->C_AsyncComplete(s, fn, &data), CKR_FUNCTION_NOT_SUPPORTED);
  EXPECT_EQ(f->C_AsyncGetID(s, fn, &id), CKR_FUNCTION_NOT_SUPPORTED);
  EXPECT_EQ(f->C_AsyncJoin(s, fn, 1, buf, sizeof buf), CKR_FUNCTION_NOT_SUPPORTED);
  CK_TOKEN_INFO ti{};
  ASSERT_EQ(f->C_GetTokenInfo(slot_, &ti), CKR_OK);
  EXPECT_EQ(ti.flags & CKF_ASYNC_SESSION_SUPPORTED, 0u);  // consistent with the refusal above
}

TEST_F(SessionTest, LegacyParallelFunctions) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(f->C_GetFunctionStatus(s), CKR_FUNCTION_NOT_PARALLEL);
  EXPECT_EQ(f->C_CancelFunction(s), CKR_FUNCTION_NOT_PARALLEL);
  EXPECT_EQ(f->C_GetFunctionStatus(CK_INVALID_HANDLE), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_CancelFunction(CK_INVALID_HANDLE), CKR_SESSION_HANDLE_INVALID);
}

}  // namespace
}  // namespace craton::test
