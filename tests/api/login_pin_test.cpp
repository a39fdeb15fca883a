// Login, logout and PIN management (PKCS#11 3.2 §5.6/5.7: C_Login, C_LoginUser, C_Logout, C_InitPIN,
// C_SetPIN), PIN lockout and its token flags, and the configurable PIN KDF cost.
#include <algorithm>
#include <chrono>

#include "module_fixture.h"

namespace craton::test {
namespace {

constexpr CK_FLAGS kUserPinFlags = CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED;
constexpr CK_FLAGS kSoPinFlags = CKF_SO_PIN_COUNT_LOW | CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_LOCKED;

class LoginPin : public ApiTest {
 protected:
  std::string extra_config() const override { return "pin.max_failures = 3\n"; }
  void SetUp() override {
    ApiTest::SetUp();
    slot_ = make_token("login");
  }
  CK_FLAGS flags() {
    CK_TOKEN_INFO ti{};
    EXPECT_EQ(f->C_GetTokenInfo(slot_, &ti), CKR_OK);
    return ti.flags;
  }
  CK_STATE state(CK_SESSION_HANDLE s) {
    CK_SESSION_INFO si{};
    EXPECT_EQ(f->C_GetSessionInfo(s, &si), CKR_OK);
    return si.state;
  }
  CK_RV set_pin(CK_SESSION_HANDLE s, std::string old_pin, std::string new_pin) {
    return f->C_SetPIN(s, utf8(old_pin), old_pin.size(), utf8(new_pin), new_pin.size());
  }
  CK_RV init_pin(CK_SESSION_HANDLE s, std::string pin) { return f->C_InitPIN(s, utf8(pin), pin.size()); }
  void restart() {
    ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  }
  CK_SLOT_ID slot_ = 0;
};

class LoginPinNoLockout : public LoginPin {
 protected:
  std::string extra_config() const override { return "pin.max_failures = 0\n"; }
};

TEST_F(LoginPin, UserLoginTwiceIsAlreadyLoggedIn) {
  const CK_SESSION_HANDLE s = open(slot_, true), other = open(slot_, false);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(state(s), CKS_RW_USER_FUNCTIONS);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_USER_ALREADY_LOGGED_IN);
  EXPECT_EQ(login(other, CKU_USER, kUserPin), CKR_USER_ALREADY_LOGGED_IN);  // login is per application
  EXPECT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(f->C_Logout(s), CKR_USER_NOT_LOGGED_IN);
}

TEST_F(LoginPin, OtherUserAlreadyLoggedIn) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(login(s, CKU_SO, kSoPin), CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  ASSERT_EQ(login(s, CKU_SO, kSoPin), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
  EXPECT_EQ(state(s), CKS_RW_SO_FUNCTIONS);
}

TEST_F(LoginPin, SoLoginWithReadOnlySessionOpenIsRefused) {
  const CK_SESSION_HANDLE rw = open(slot_, true), ro = open(slot_, false);
  EXPECT_EQ(login(rw, CKU_SO, kSoPin), CKR_SESSION_READ_ONLY_EXISTS);
  EXPECT_EQ(state(rw), CKS_RW_PUBLIC_SESSION);
  ASSERT_EQ(f->C_CloseSession(ro), CKR_OK);
  EXPECT_EQ(login(rw, CKU_SO, kSoPin), CKR_OK);
}

TEST_F(LoginPin, UserLockoutFlagsPersistenceAndReset) {
  CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(flags() & kUserPinFlags, 0u);
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin-1"), CKR_PIN_INCORRECT);
  EXPECT_EQ(flags() & kUserPinFlags, CKF_USER_PIN_COUNT_LOW);
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin-2"), CKR_PIN_INCORRECT);  // max - 1 failures
  EXPECT_NE(flags() & CKF_USER_PIN_FINAL_TRY, 0u);
  EXPECT_EQ(flags() & CKF_USER_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin-3"), CKR_PIN_INCORRECT);
  EXPECT_NE(flags() & CKF_USER_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_PIN_LOCKED);  // even the right PIN
  EXPECT_EQ(state(s), CKS_RW_PUBLIC_SESSION);
  EXPECT_EQ(flags() & kSoPinFlags, 0u);  // SO counter untouched

  restart();  // the lockout is stored with the token
  s = open(slot_, true);
  EXPECT_NE(flags() & CKF_USER_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_PIN_LOCKED);

  ASSERT_EQ(login(s, CKU_SO, kSoPin), CKR_OK);  // the SO resets the user PIN
  ASSERT_EQ(init_pin(s, "fresh-user-pin"), CKR_OK);
  EXPECT_EQ(flags() & kUserPinFlags, 0u);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_PIN_INCORRECT);
  EXPECT_EQ(login(s, CKU_USER, "fresh-user-pin"), CKR_OK);
  EXPECT_EQ(flags() & kUserPinFlags, 0u);
}

TEST_F(LoginPin, SuccessfulLoginResetsTheCounter) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin"), CKR_PIN_INCORRECT);
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin"), CKR_PIN_INCORRECT);
  EXPECT_NE(flags() & CKF_USER_PIN_FINAL_TRY, 0u);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(flags() & kUserPinFlags, 0u);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  // Counting starts again from zero: two more failures do not lock.
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin"), CKR_PIN_INCORRECT);
  EXPECT_EQ(flags() & kUserPinFlags, CKF_USER_PIN_COUNT_LOW);
  EXPECT_EQ(login(s, CKU_USER, "wrong-pin"), CKR_PIN_INCORRECT);
  EXPECT_EQ(flags() & CKF_USER_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
}

TEST_F(LoginPin, SoLockout) {
  CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(login(s, CKU_SO, "wrong-so-1"), CKR_PIN_INCORRECT);
  EXPECT_EQ(flags() & kSoPinFlags, CKF_SO_PIN_COUNT_LOW);
  EXPECT_EQ(login(s, CKU_SO, "wrong-so-2"), CKR_PIN_INCORRECT);
  EXPECT_NE(flags() & CKF_SO_PIN_FINAL_TRY, 0u);
  EXPECT_EQ(flags() & CKF_SO_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_SO, "wrong-so-3"), CKR_PIN_INCORRECT);
  EXPECT_NE(flags() & CKF_SO_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_SO, kSoPin), CKR_PIN_LOCKED);
  EXPECT_EQ(flags() & kUserPinFlags, 0u);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);  // the user PIN is independent
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  restart();
  s = open(slot_, true);
  EXPECT_NE(flags() & CKF_SO_PIN_LOCKED, 0u);
  EXPECT_EQ(login(s, CKU_SO, kSoPin), CKR_PIN_LOCKED);
}

TEST_F(LoginPinNoLockout, MaxFailuresZeroNeverLocks) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  for (int i = 0; i < 12; ++i) {
    ASSERT_EQ(login(s, CKU_USER, "wrong-pin"), CKR_PIN_INCORRECT) << i;
    ASSERT_EQ(login(s, CKU_SO, "wrong-so-pin"), CKR_PIN_INCORRECT) << i;
  }
  EXPECT_EQ(flags() & (CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED | CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_LOCKED), 0u);
  EXPECT_NE(flags() & CKF_USER_PIN_COUNT_LOW, 0u);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_SO, kSoPin), CKR_OK);
}

TEST_F(LoginPin, InvalidUserTypeAndContextSpecificWithoutOperation) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(login(s, 3, kUserPin), CKR_USER_TYPE_INVALID);
  EXPECT_EQ(login(s, 0x80000001UL, kUserPin), CKR_USER_TYPE_INVALID);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(login(s, CKU_CONTEXT_SPECIFIC, kUserPin), CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(state(s), CKS_RW_USER_FUNCTIONS);
}

TEST_F(LoginPin, LogoutWhenNotLoggedIn) {
  const CK_SESSION_HANDLE s = open(slot_, false);
  EXPECT_EQ(f->C_Logout(s), CKR_USER_NOT_LOGGED_IN);
  EXPECT_EQ(f->C_Logout(CK_INVALID_HANDLE), CKR_SESSION_HANDLE_INVALID);
}

TEST_F(LoginPin, LoginUserIgnoresTheUserName) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  std::string pin = kUserPin, name = "alice";
  EXPECT_EQ(f->C_LoginUser(s, CKU_USER, utf8(pin), pin.size(), nullptr, 5), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(state(s), CKS_RW_PUBLIC_SESSION);
  ASSERT_EQ(f->C_LoginUser(s, CKU_USER, utf8(pin), pin.size(), utf8(name), name.size()), CKR_OK);
  EXPECT_EQ(state(s), CKS_RW_USER_FUNCTIONS);
  EXPECT_EQ(f->C_LoginUser(s, CKU_USER, utf8(pin), pin.size(), utf8(name), name.size()),
            CKR_USER_ALREADY_LOGGED_IN);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  std::string wrong = "wrong-pin";
  EXPECT_EQ(f->C_LoginUser(s, CKU_USER, utf8(wrong), wrong.size(), utf8(name), name.size()), CKR_PIN_INCORRECT);
  EXPECT_EQ(f->C_LoginUser(s, CKU_USER, utf8(pin), pin.size(), nullptr, 0), CKR_OK);
}

TEST_F(LoginPin, UserPinNotInitialized) {
  const CK_SLOT_ID bare = make_token("no user pin", false);
  const CK_SESSION_HANDLE s = open(bare, true);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_USER_PIN_NOT_INITIALIZED);
  EXPECT_EQ(state(s), CKS_RW_PUBLIC_SESSION);
}

TEST_F(LoginPin, InitPinNeedsTheSo) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(init_pin(s, "another-pin"), CKR_USER_NOT_LOGGED_IN);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(init_pin(s, "another-pin"), CKR_USER_NOT_LOGGED_IN);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);  // the PIN was not changed
}

TEST_F(LoginPin, InitPinLengthAndArguments) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  ASSERT_EQ(login(s, CKU_SO, kSoPin), CKR_OK);
  EXPECT_EQ(init_pin(s, "abc"), CKR_PIN_LEN_RANGE);
  EXPECT_EQ(init_pin(s, std::string(256, 'p')), CKR_PIN_LEN_RANGE);
  EXPECT_EQ(f->C_InitPIN(s, nullptr, 8), CKR_ARGUMENTS_BAD);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
}

TEST_F(LoginPin, SetPinInReadOnlySession) {
  const CK_SESSION_HANDLE ro = open(slot_, false);
  EXPECT_EQ(set_pin(ro, kUserPin, "new-user-pin"), CKR_SESSION_READ_ONLY);
  ASSERT_EQ(login(ro, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(set_pin(ro, kUserPin, "new-user-pin"), CKR_SESSION_READ_ONLY);
  ASSERT_EQ(f->C_Logout(ro), CKR_OK);
  EXPECT_EQ(login(ro, CKU_USER, kUserPin), CKR_OK);
}

TEST_F(LoginPin, SetPinAsUser) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(set_pin(s, "not-the-old-pin", "new-user-pin"), CKR_PIN_INCORRECT);
  ASSERT_EQ(set_pin(s, kUserPin, "new-user-pin"), CKR_OK);
  EXPECT_EQ(state(s), CKS_RW_USER_FUNCTIONS);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_PIN_INCORRECT);
  EXPECT_EQ(login(s, CKU_USER, "new-user-pin"), CKR_OK);
}

TEST_F(LoginPin, SetPinAsSoChangesTheSoPin) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  ASSERT_EQ(login(s, CKU_SO, kSoPin), CKR_OK);
  ASSERT_EQ(set_pin(s, kSoPin, "new-so-pin"), CKR_OK);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_SO, kSoPin), CKR_PIN_INCORRECT);
  EXPECT_EQ(login(s, CKU_SO, "new-so-pin"), CKR_OK);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);  // the user PIN is unchanged
}

TEST_F(LoginPin, SetPinWhilePublicChangesTheUserPin) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  EXPECT_EQ(set_pin(s, "wrong-old-pin", "public-new-pin"), CKR_PIN_INCORRECT);
  ASSERT_EQ(set_pin(s, kUserPin, "public-new-pin"), CKR_OK);
  EXPECT_EQ(state(s), CKS_RW_PUBLIC_SESSION);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_PIN_INCORRECT);
  EXPECT_EQ(login(s, CKU_USER, "public-new-pin"), CKR_OK);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_SO, kSoPin), CKR_OK);  // the SO PIN is unchanged
}

TEST_F(LoginPin, SetPinNewPinLength) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(set_pin(s, kUserPin, "abc"), CKR_PIN_LEN_RANGE);
  EXPECT_EQ(set_pin(s, kUserPin, std::string(256, 'n')), CKR_PIN_LEN_RANGE);
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);  // unchanged
}

TEST_F(LoginPin, NullPinPointersWithLengthAreArgumentsBad) {
  const CK_SESSION_HANDLE s = open(slot_, true);
  std::string pin = kUserPin, other = "other-pin-1";
  EXPECT_EQ(f->C_Login(s, CKU_USER, nullptr, 8), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_SetPIN(s, nullptr, 8, utf8(other), other.size()), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f->C_SetPIN(s, utf8(pin), pin.size(), nullptr, 8), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(flags() & kUserPinFlags, 0u);  // none of them counted as a failed attempt
  EXPECT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
}

// ---- PIN KDF cost ------------------------------------------------------------------------------

// Best-of-two C_Login time on a token whose PINs were set with `iterations` PBKDF2 rounds. The
// in-memory store keeps disk syncs out of the measurement.
double login_seconds(unsigned long iterations) {
  TempHome home("objectstore.backend = memory\npin.kdf_iterations = " + std::to_string(iterations) + "\n");
  CK_FUNCTION_LIST_3_2* f = Module::get().fl();
  EXPECT_EQ(f->C_Initialize(nullptr), CKR_OK);
  CK_ULONG n = 1;
  CK_SLOT_ID slot = 0;
  EXPECT_EQ(f->C_GetSlotList(CK_FALSE, &slot, &n), CKR_OK);
  std::string so = "so-secret-1", user = "user-pin-1";
  auto label = label32("kdf");
  EXPECT_EQ(f->C_InitToken(slot, utf8(so), so.size(), label.data()), CKR_OK);
  CK_SESSION_HANDLE s = 0;
  EXPECT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s), CKR_OK);
  EXPECT_EQ(f->C_Login(s, CKU_SO, utf8(so), so.size()), CKR_OK);
  EXPECT_EQ(f->C_InitPIN(s, utf8(user), user.size()), CKR_OK);
  EXPECT_EQ(f->C_Logout(s), CKR_OK);
  double best = 1e9;
  for (int i = 0; i < 2; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(f->C_Login(s, CKU_USER, utf8(user), user.size()), CKR_OK);
    const std::chrono::duration<double> d = std::chrono::steady_clock::now() - t0;
    best = std::min(best, d.count());
    EXPECT_EQ(f->C_Logout(s), CKR_OK);
  }
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  return best;
}

TEST(LoginPinKdf, IterationCountIsConfigurable) {
  const double cheap = login_seconds(1000);
  const double costly = login_seconds(200000);
  RecordProperty("login_ms_1000", std::to_string(cheap * 1000));
  RecordProperty("login_ms_200000", std::to_string(costly * 1000));
  EXPECT_GT(costly, 5 * cheap) << "1000 iterations: " << cheap * 1000 << " ms, 200000: " << costly * 1000 << " ms";
}

}  // namespace
}  // namespace craton::test
