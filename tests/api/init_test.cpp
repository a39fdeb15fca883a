// C_Initialize / C_Finalize and CK_C_INITIALIZE_ARGS (PKCS#11 3.2 §5.4), the
// CKR_CRYPTOKI_NOT_INITIALIZED rule for every function, and configuration loading at C_Initialize.
#include <atomic>
#include <fstream>
#include <set>
#include <sstream>

#include "lifecycle_helpers.h"
#include "module_fixture.h"

namespace craton::test {
namespace {

// The module is loaded but not initialised; each test drives C_Initialize itself.
class InitTest : public ApiTest {
 protected:
  void SetUp() override {
    home_ = std::make_unique<TempHome>(extra_config());
    f = Module::get().fl();
  }

  CK_RV get_info() {
    CK_INFO info{};
    return f->C_GetInfo(&info);
  }

  // A session/login/object workload touching the library, session and token locks.
  void workload() {
    const CK_SLOT_ID slot = make_token("mutex workload");
    CK_SESSION_HANDLE s = open(slot, true);
    ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA).boolean(CKA_TOKEN, true).boolean(CKA_PRIVATE, false).str(CKA_LABEL, "m");
    CK_OBJECT_HANDLE h = 0;
    ASSERT_EQ(f->C_CreateObject(s, t.data(), t.size(), &h), CKR_OK);
    Template q;
    q.str(CKA_LABEL, "m");
    ASSERT_EQ(f->C_FindObjectsInit(s, q.data(), q.size()), CKR_OK);
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;
    ASSERT_EQ(f->C_FindObjects(s, found, 2, &n), CKR_OK);
    EXPECT_EQ(n, 1u);
    ASSERT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
    CK_SESSION_INFO si{};
    ASSERT_EQ(f->C_GetSessionInfo(s, &si), CKR_OK);
    EXPECT_EQ(si.state, CKS_RW_USER_FUNCTIONS);
    ASSERT_EQ(f->C_Logout(s), CKR_OK);
    ASSERT_EQ(f->C_CloseSession(s), CKR_OK);
  }
};

TEST_F(InitTest, InitializeWithNullAndFinalize) {
  EXPECT_EQ(get_info(), CKR_CRYPTOKI_NOT_INITIALIZED);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(get_info(), CKR_OK);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  EXPECT_EQ(get_info(), CKR_CRYPTOKI_NOT_INITIALIZED);
}

TEST_F(InitTest, DoubleInitializeIsAlreadyInitialized) {
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(f->C_Initialize(nullptr), CKR_CRYPTOKI_ALREADY_INITIALIZED);
  EXPECT_EQ(get_info(), CKR_OK);  // the first initialisation is untouched
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

TEST_F(InitTest, FinalizeTwiceIsNotInitialized) {
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_CRYPTOKI_NOT_INITIALIZED);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_CRYPTOKI_NOT_INITIALIZED);
}

TEST_F(InitTest, FinalizeWithReservedPointerIsArgumentsBad) {
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  int reserved = 0;
  EXPECT_EQ(f->C_Finalize(&reserved), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(get_info(), CKR_OK);  // still initialised
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

TEST_F(InitTest, CallListCoversTheWhole32TableExceptThePreInitFunctions) {
  const std::set<std::size_t> allowed_before_init = {
      offsetof(CK_FUNCTION_LIST_3_2, C_Initialize), offsetof(CK_FUNCTION_LIST_3_2, C_GetFunctionList),
      offsetof(CK_FUNCTION_LIST_3_2, C_GetInterfaceList), offsetof(CK_FUNCTION_LIST_3_2, C_GetInterface)};
  std::set<std::size_t> offsets;
  for (const TableCall& c : every_call_after_initialize()) {
    EXPECT_TRUE(offsets.insert(c.offset).second) << c.name << " listed twice";
    EXPECT_EQ(allowed_before_init.count(c.offset), 0u) << c.name;
  }
  EXPECT_EQ(offsets.size(), 100u);
  // Pointer n (1-based) sits at byte 8n: together with the four pre-init functions, the list
  // fills every one of the 104 slots.
  for (std::size_t n = 1; n <= 104; ++n) {
    const std::size_t off = n * sizeof(void*);
    EXPECT_TRUE(offsets.count(off) + allowed_before_init.count(off) == 1) << "slot " << n;
  }
}

TEST_F(InitTest, EveryFunctionBeforeInitializeIsNotInitialized) {
  EXPECT_EQ(calls_not_returning(f, CKR_CRYPTOKI_NOT_INITIALIZED), "");
  // Nothing was done behind our back: the token directory holds no token.
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_GetSlotList(CK_FALSE, nullptr, &n), CKR_OK);
  EXPECT_EQ(n, 1u);
}

TEST_F(InitTest, EveryFunctionAfterFinalizeIsNotInitialized) {
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  make_token();
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  EXPECT_EQ(calls_not_returning(f, CKR_CRYPTOKI_NOT_INITIALIZED), "");
}

TEST_F(InitTest, ArgsWithReservedPointerAreArgumentsBad) {
  int reserved = 0;
  CK_C_INITIALIZE_ARGS args{};
  args.pReserved = &reserved;
  EXPECT_EQ(f->C_Initialize(&args), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(get_info(), CKR_CRYPTOKI_NOT_INITIALIZED);
}

TEST_F(InitTest, ArgsWithoutCallbacksOrFlagsAreLikeNull) {
  CK_C_INITIALIZE_ARGS args{};
  EXPECT_EQ(f->C_Initialize(&args), CKR_OK);
  EXPECT_EQ(get_info(), CKR_OK);
}

// ---- application mutex callbacks -----------------------------------------------------------

// The workload is single-threaded, so a lock of an already locked mutex would deadlock a real
// implementation; the fakes count such misuse instead of blocking.
struct FakeMutex {
  bool locked = false;
};
std::atomic<int> g_create_calls{0}, g_created{0}, g_destroyed{0}, g_locks{0}, g_unlocks{0}, g_misuse{0};
std::atomic<bool> g_fail_create{false};

void reset_counters() {
  g_create_calls = g_created = g_destroyed = g_locks = g_unlocks = g_misuse = 0;
  g_fail_create = false;
}

CK_RV create_mutex(CK_VOID_PTR_PTR pp) {
  ++g_create_calls;
  if (pp == nullptr) return ++g_misuse, CKR_ARGUMENTS_BAD;
  if (g_fail_create) return CKR_GENERAL_ERROR;
  *pp = new FakeMutex;
  ++g_created;
  return CKR_OK;
}
CK_RV destroy_mutex(CK_VOID_PTR p) {
  if (p == nullptr) return ++g_misuse, CKR_MUTEX_BAD;
  auto* m = static_cast<FakeMutex*>(p);
  if (m->locked) ++g_misuse;
  delete m;
  ++g_destroyed;
  return CKR_OK;
}
CK_RV lock_mutex(CK_VOID_PTR p) {
  auto* m = static_cast<FakeMutex*>(p);
  if (m == nullptr || m->locked) return ++g_misuse, CKR_MUTEX_BAD;
  m->locked = true;
  ++g_locks;
  return CKR_OK;
}
CK_RV unlock_mutex(CK_VOID_PTR p) {
  auto* m = static_cast<FakeMutex*>(p);
  if (m == nullptr || !m->locked) return ++g_misuse, CKR_MUTEX_NOT_LOCKED;
  m->locked = false;
  ++g_unlocks;
  return CKR_OK;
}

CK_C_INITIALIZE_ARGS callback_args(CK_FLAGS flags) {
  CK_C_INITIALIZE_ARGS a{};
  a.CreateMutex = create_mutex;
  a.DestroyMutex = destroy_mutex;
  a.LockMutex = lock_mutex;
  a.UnlockMutex = unlock_mutex;
  a.flags = flags;
  return a;
}

TEST_F(InitTest, SomeButNotAllCallbacksAreArgumentsBad) {
  for (unsigned mask = 1; mask < 15; ++mask) {  // every non-empty proper subset of the four
    CK_C_INITIALIZE_ARGS a = callback_args(0);
    if ((mask & 1) == 0) a.CreateMutex = nullptr;
    if ((mask & 2) == 0) a.DestroyMutex = nullptr;
    if ((mask & 4) == 0) a.LockMutex = nullptr;
    if ((mask & 8) == 0) a.UnlockMutex = nullptr;
    EXPECT_EQ(f->C_Initialize(&a), CKR_ARGUMENTS_BAD) << "mask " << mask;
    a.flags = CKF_OS_LOCKING_OK;
    EXPECT_EQ(f->C_Initialize(&a), CKR_ARGUMENTS_BAD) << "mask " << mask << " with OS_LOCKING_OK";
    EXPECT_EQ(get_info(), CKR_CRYPTOKI_NOT_INITIALIZED);
  }
}

TEST_F(InitTest, CallbacksWithoutOsLockingAreReallyUsed) {
  reset_counters();
  CK_C_INITIALIZE_ARGS a = callback_args(0);
  ASSERT_EQ(f->C_Initialize(&a), CKR_OK);
  workload();
  EXPECT_GT(g_created.load(), 0);
  EXPECT_GT(g_locks.load(), 0);
  EXPECT_EQ(g_locks.load(), g_unlocks.load());
  EXPECT_EQ(g_misuse.load(), 0);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  EXPECT_EQ(g_destroyed.load(), g_created.load());
  EXPECT_EQ(g_locks.load(), g_unlocks.load());
  EXPECT_EQ(g_misuse.load(), 0);
  // After C_Finalize the callbacks are no longer used.
  const int created = g_created.load(), locks = g_locks.load();
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  workload();
  EXPECT_EQ(g_created.load(), created);
  EXPECT_EQ(g_locks.load(), locks);
}

TEST_F(InitTest, CallbacksWithOsLockingOkAreAccepted) {
  reset_counters();
  CK_C_INITIALIZE_ARGS a = callback_args(CKF_OS_LOCKING_OK);
  ASSERT_EQ(f->C_Initialize(&a), CKR_OK);
  workload();  // whichever primitives the module picked, they work
  EXPECT_EQ(g_locks.load(), g_unlocks.load());
  EXPECT_EQ(g_misuse.load(), 0);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  EXPECT_EQ(g_destroyed.load(), g_created.load());
}

TEST_F(InitTest, FailingCreateMutexIsCantLockAndRecoverable) {
  reset_counters();
  g_fail_create = true;
  CK_C_INITIALIZE_ARGS a = callback_args(0);
  EXPECT_EQ(f->C_Initialize(&a), CKR_CANT_LOCK);
  EXPECT_GT(g_create_calls.load(), 0);
  EXPECT_EQ(get_info(), CKR_CRYPTOKI_NOT_INITIALIZED);
  g_fail_create = false;
  const int calls = g_create_calls.load();
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  workload();
  EXPECT_EQ(g_create_calls.load(), calls);  // the failed attempt left no callback factory behind
}

TEST_F(InitTest, LibraryCantCreateOsThreadsIsAccepted) {
  CK_C_INITIALIZE_ARGS a{};
  a.flags = CKF_LIBRARY_CANT_CREATE_OS_THREADS;
  ASSERT_EQ(f->C_Initialize(&a), CKR_OK);
  workload();
}

TEST_F(InitTest, FinalizeClosesOpenSessions) {
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  const CK_SLOT_ID slot = make_token();
  const CK_SESSION_HANDLE before = open(slot, true);
  const CK_SESSION_HANDLE before_ro = open(slot, false);
  ASSERT_EQ(login(before, CKU_USER, kUserPin), CKR_OK);
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  CK_SESSION_INFO si{};
  EXPECT_EQ(f->C_GetSessionInfo(before, &si), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_GetSessionInfo(before_ro, &si), CKR_SESSION_HANDLE_INVALID);
  CK_TOKEN_INFO ti{};
  ASSERT_EQ(f->C_GetTokenInfo(slot, &ti), CKR_OK);
  EXPECT_EQ(ti.ulSessionCount, 0u);
  // New sessions must not revive an old handle (house rule: handles come from a monotonic counter
  // and are never reused, so a stale handle can never address someone else's session), and the
  // old login is gone.
  for (CK_SESSION_HANDLE i = 0; i <= before_ro + 1; ++i) {
    const CK_SESSION_HANDLE after = open(slot, true);
    EXPECT_NE(after, before);
    EXPECT_NE(after, before_ro);
    ASSERT_EQ(f->C_GetSessionInfo(after, &si), CKR_OK);
    EXPECT_EQ(si.state, CKS_RW_PUBLIC_SESSION);
  }
  EXPECT_EQ(f->C_GetSessionInfo(before, &si), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f->C_GetSessionInfo(before_ro, &si), CKR_SESSION_HANDLE_INVALID);
}

// ---- configuration ---------------------------------------------------------------------------

TEST_F(InitTest, MissingConfigFileFailsAndAFixedOneWorks) {
  const std::string missing = home_->dir() + "/no-such.conf";
  setenv("CRATON_HSM_CONF", missing.c_str(), 1);
  EXPECT_NE(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(get_info(), CKR_CRYPTOKI_NOT_INITIALIZED);
  setenv("CRATON_HSM_CONF", home_->conf().c_str(), 1);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(get_info(), CKR_OK);
}

TEST_F(InitTest, UnknownConfigKeyIsLoggedAsWarning) {
  home_->write_config("bogus.craton_test_key = 42\n");
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(get_info(), CKR_OK);
  std::ifstream in(home_->logfile());
  ASSERT_TRUE(in.good()) << "no log file at " << home_->logfile();
  std::string line;
  bool found = false;
  while (std::getline(in, line)) {
    if (line.find("bogus.craton_test_key") != std::string::npos && line.find("WARNING") != std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << "no WARNING line naming the unknown key in " << home_->logfile();
}

}  // namespace
}  // namespace craton::test
