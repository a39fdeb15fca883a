// Multi-threaded API tests: many threads calling the module at once, through the function list.
//
// The module is initialised with OS locking (C_Initialize(NULL)). Login state is per token per
// process, so a C_Logout in one thread logs every thread out; where such a race makes a second
// outcome legal, the checks accept exactly that outcome and nothing else. Everything else is
// checked strictly, and at the end every object a thread created and did not destroy must be found
// exactly once.
//
// Runtime is bounded by iteration counts, not by time, so the same work runs under TSan.
#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstring>
#include <initializer_list>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "module_fixture.h"

namespace craton::test {
namespace {

constexpr int kThreads = 8;

std::string rv_hex(CK_RV rv) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%lX", static_cast<unsigned long>(rv));
  return buf;
}

// Set by expect_rv so worker loops stop early after a failure. (Test::HasFailure() reads gtest's
// result list without a lock, so worker threads must not call it while others record failures.)
std::atomic<bool> g_failed{false};

// True when rv is one of `legal`; records a test failure naming the call otherwise.
bool expect_rv(CK_RV rv, std::initializer_list<CK_RV> legal, const std::string& what) {
  for (CK_RV l : legal) {
    if (rv == l) return true;
  }
  g_failed = true;
  ADD_FAILURE() << what << " returned " << rv_hex(rv);
  return false;
}

class Concurrency : public ApiTest {
 protected:
  // WAL without fsync per commit: the locking is the same, the suite stays fast.
  std::string extra_config() const override { return "objectstore.sync = normal\n"; }
  void SetUp() override {
    g_failed = false;
    ApiTest::SetUp();
  }

  // A data object; label and application identify it, value is arbitrary.
  static Template data_object(bool token, bool priv, const std::string& label, const std::string& app,
                              const std::string& value = "v0") {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA)
        .boolean(CKA_TOKEN, token)
        .boolean(CKA_PRIVATE, priv)
        .str(CKA_LABEL, label)
        .str(CKA_APPLICATION, app)
        .str(CKA_VALUE, value);
    return t;
  }

  // A complete search. A concurrent C_Logout may end the search (spec: active operations "may or
  // may not" survive a logout), which shows as CKR_OPERATION_NOT_INITIALIZED; the search is then
  // repeated. Anything else is a failure.
  std::vector<CK_OBJECT_HANDLE> find(CK_SESSION_HANDLE s, Template& q) {
    for (int attempt = 0; attempt < 1000; ++attempt) {
      CK_RV rv = f->C_FindObjectsInit(s, q.data(), q.size());
      if (rv == CKR_OPERATION_ACTIVE) {
        // Left over from a search whose C_FindObjectsFinal raced with a logout reset: end it.
        (void)f->C_FindObjectsFinal(s);
        continue;
      }
      if (!expect_rv(rv, {CKR_OK}, "C_FindObjectsInit")) return {};
      std::vector<CK_OBJECT_HANDLE> out;
      bool reset = false;
      for (;;) {
        CK_OBJECT_HANDLE buf[16];
        CK_ULONG n = 0;
        rv = f->C_FindObjects(s, buf, 16, &n);
        if (rv == CKR_OPERATION_NOT_INITIALIZED) { reset = true; break; }
        if (!expect_rv(rv, {CKR_OK}, "C_FindObjects")) return {};
        if (n == 0) break;
        out.insert(out.end(), buf, buf + n);
      }
      if (reset) continue;
      rv = f->C_FindObjectsFinal(s);
      if (!expect_rv(rv, {CKR_OK, CKR_OPERATION_NOT_INITIALIZED}, "C_FindObjectsFinal")) return {};
      std::sort(out.begin(), out.end());
      return out;
    }
    ADD_FAILURE() << "search kept being reset";
    return {};
  }

  std::vector<CK_OBJECT_HANDLE> find_label(CK_SESSION_HANDLE s, const std::string& label) {
    Template q;
    q.str(CKA_LABEL, label);
    return find(s, q);
  }

  std::string get_string(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t, CK_RV* rv_out) {
    std::vector<char> buf(256);
    CK_ATTRIBUTE a{t, buf.data(), static_cast<CK_ULONG>(buf.size())};
    *rv_out = f->C_GetAttributeValue(s, h, &a, 1);
    if (*rv_out != CKR_OK) return {};
    return std::string(buf.data(), a.ulValueLen);
  }
};

// ---- 8 threads, each with its own sessions --------------------------------------------------

struct Tracked {
  std::string label;
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;  // CK_INVALID_HANDLE: handle died with a logout
  bool token = false;
  bool priv = false;
  std::string value = "v0";
};

struct ThreadLog {
  std::vector<Tracked> live;
  std::vector<std::string> destroyed;
  CK_SESSION_HANDLE ro = CK_INVALID_HANDLE;
  CK_SESSION_HANDLE rw = CK_INVALID_HANDLE;
};

TEST_F(Concurrency, MixedWorkloadKeepsObjectsConsistent) {
  const CK_SLOT_ID slot = make_token();
  // The main session stays open throughout, so no thread ever closes the token's last session.
  const CK_SESSION_HANDLE main_session = open(slot, true);
  constexpr int kIterations = 400;
  std::vector<ThreadLog> logs(kThreads);

  auto worker = [&](int id) {
    ThreadLog& log = logs[static_cast<std::size_t>(id)];
    const std::string app = "thread-" + std::to_string(id);
    std::mt19937 rng(static_cast<std::uint32_t>(1000 + id));
    log.ro = open(slot, false);
    log.rw = open(slot, true);
    auto pick_public = [&]() -> Tracked* {
      std::vector<Tracked*> c;
      for (auto& t : log.live) if (!t.priv) c.push_back(&t);
      return c.empty() ? nullptr : c[rng() % c.size()];
    };
    auto forget = [&](const Tracked* t) {
      log.destroyed.push_back(t->label);
      log.live.erase(log.live.begin() + (t - log.live.data()));
    };
    for (int k = 0; k < kIterations && !g_failed.load(); ++k) {
      const std::string label = app + "-obj-" + std::to_string(k);
      const CK_SESSION_HANDLE any = (rng() & 1) ? log.ro : log.rw;
      switch (rng() % 14) {
        case 0:
          expect_rv(login(any, CKU_USER, kUserPin), {CKR_OK, CKR_USER_ALREADY_LOGGED_IN}, "C_Login");
          break;
        case 1:
          expect_rv(f->C_Logout(any), {CKR_OK, CKR_USER_NOT_LOGGED_IN}, "C_Logout");
          break;
        case 2:
        case 3: {  // public token object (R/W session) or public session object (R/O session)
          const bool token = rng() & 1;
          Template t = data_object(token, false, label, app);
          CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
          if (!expect_rv(f->C_CreateObject(token ? log.rw : log.ro, t.data(), t.size(), &h), {CKR_OK}, "C_CreateObject")) break;
          log.live.push_back({label, h, token, false});
          const auto found = find_label(any, label);
          EXPECT_EQ(found, std::vector<CK_OBJECT_HANDLE>{h}) << label;
          break;
        }
        case 4: {  // private token object: needs the (shared, racy) user login
          Template t = data_object(true, true, label, app);
          CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
          const CK_RV rv = f->C_CreateObject(log.rw, t.data(), t.size(), &h);
          if (expect_rv(rv, {CKR_OK, CKR_USER_NOT_LOGGED_IN}, "C_CreateObject(private)") && rv == CKR_OK) {
            log.live.push_back({label, h, true, true});
          }
          break;
        }
        case 5: {  // attributes of a public object: read, change, read back
          Tracked* t = pick_public();
          if (t == nullptr) break;
          CK_RV rv = CKR_OK;
          EXPECT_EQ(get_string(any, t->handle, CKA_LABEL, &rv), t->label);
          expect_rv(rv, {CKR_OK}, "C_GetAttributeValue");
          const std::string value = "v" + std::to_string(k);
          Template change;
          change.str(CKA_VALUE, value);
          const CK_SESSION_HANDLE writer = t->token ? log.rw : any;
          if (!expect_rv(f->C_SetAttributeValue(writer, t->handle, change.data(), change.size()), {CKR_OK},
                         "C_SetAttributeValue")) break;
          t->value = value;
          EXPECT_EQ(get_string(any, t->handle, CKA_VALUE, &rv), value);
          expect_rv(rv, {CKR_OK}, "C_GetAttributeValue(value)");
          CK_ULONG size = 0;
          expect_rv(f->C_GetObjectSize(any, t->handle, &size), {CKR_OK}, "C_GetObjectSize");
          break;
        }
        case 6: {  // destroy a public object
          Tracked* t = pick_public();
          if (t == nullptr) break;
          const CK_SESSION_HANDLE destroyer = t->token ? log.rw : any;
          if (!expect_rv(f->C_DestroyObject(destroyer, t->handle), {CKR_OK}, "C_DestroyObject")) break;
          const std::string gone = t->label;
          forget(t);
          EXPECT_TRUE(find_label(any, gone).empty()) << gone;
          break;
        }
        case 7: {  // destroy a private object: its handle is dead once any thread logged out
          std::vector<Tracked*> c;
          for (auto& t : log.live) if (t.priv && t.handle != CK_INVALID_HANDLE) c.push_back(&t);
          if (c.empty()) break;
          Tracked* t = c[rng() % c.size()];
          const CK_RV rv = f->C_DestroyObject(log.rw, t->handle);
          if (!expect_rv(rv, {CKR_OK, CKR_OBJECT_HANDLE_INVALID}, "C_DestroyObject(private)")) break;
          if (rv == CKR_OK) {
            forget(t);
          } else {
            t->handle = CK_INVALID_HANDLE;  // never valid again (spec: C_Logout)
          }
          break;
        }
        case 8: {  // a short-lived session: its session objects go with it
          const bool rw = rng() & 1;
          CK_SESSION_HANDLE tmp = CK_INVALID_HANDLE;
          if (!expect_rv(f->C_OpenSession(slot, CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0), nullptr, nullptr, &tmp),
                         {CKR_OK}, "C_OpenSession")) break;
          Template t = data_object(false, false, label, app);
          CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
          expect_rv(f->C_CreateObject(tmp, t.data(), t.size(), &h), {CKR_OK}, "C_CreateObject(temp)");
          EXPECT_EQ(find_label(log.ro, label), std::vector<CK_OBJECT_HANDLE>{h});
          expect_rv(f->C_CloseSession(tmp), {CKR_OK}, "C_CloseSession");
          EXPECT_TRUE(find_label(log.ro, label).empty()) << "session object outlived its session: " << label;
          CK_SESSION_INFO info{};
          expect_rv(f->C_GetSessionInfo(tmp, &info), {CKR_SESSION_HANDLE_INVALID}, "C_GetSessionInfo(closed)");
          break;
        }
        case 9: {
          CK_TOKEN_INFO info{};
          if (!expect_rv(f->C_GetTokenInfo(slot, &info), {CKR_OK}, "C_GetTokenInfo")) break;
          const CK_FLAGS need = CKF_RNG | CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED | CKF_LOGIN_REQUIRED;
          EXPECT_EQ(info.flags & need, need);
          // No wrong PIN is ever used. (CKF_USER_PIN_COUNT_LOW may show while a correct login is in
          // flight: the attempt is counted before the PIN is checked, by design.)
          EXPECT_EQ(info.flags & (CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED | CKF_SO_PIN_LOCKED), 0u);
          EXPECT_GE(info.ulSessionCount, 3u);    // this thread's two and the main session
          EXPECT_GE(info.ulRwSessionCount, 2u);
          EXPECT_LE(info.ulRwSessionCount, info.ulSessionCount);
          EXPECT_LE(info.ulSessionCount, static_cast<CK_ULONG>(1 + 3 * kThreads));
          break;
        }
        case 10: {
          std::vector<CK_BYTE> r(64, 0);
          expect_rv(f->C_GenerateRandom(any, r.data(), r.size()), {CKR_OK}, "C_GenerateRandom");
          EXPECT_TRUE(std::any_of(r.begin(), r.end(), [](CK_BYTE b) { return b != 0; }));
          break;
        }
        case 11: {
          CK_SESSION_INFO info{};
          if (!expect_rv(f->C_GetSessionInfo(log.ro, &info), {CKR_OK}, "C_GetSessionInfo")) break;
          EXPECT_TRUE(info.state == CKS_RO_PUBLIC_SESSION || info.state == CKS_RO_USER_FUNCTIONS) << info.state;
          EXPECT_EQ(info.flags, CKF_SERIAL_SESSION);
          if (!expect_rv(f->C_GetSessionInfo(log.rw, &info), {CKR_OK}, "C_GetSessionInfo")) break;
          EXPECT_TRUE(info.state == CKS_RW_PUBLIC_SESSION || info.state == CKS_RW_USER_FUNCTIONS) << info.state;
          EXPECT_EQ(info.flags, CKF_SERIAL_SESSION | CKF_RW_SESSION);
          break;
        }
        case 12: {  // everything public this thread owns, and nothing else
          Template q;
          q.str(CKA_APPLICATION, app).boolean(CKA_PRIVATE, false);
          std::vector<CK_OBJECT_HANDLE> want;
          for (const auto& t : log.live) if (!t.priv) want.push_back(t.handle);
          std::sort(want.begin(), want.end());
          EXPECT_EQ(find(any, q), want) << app;
          break;
        }
        case 13: {  // copy a public object into a new token object
          Tracked* t = pick_public();
          if (t == nullptr) break;
          Template change;
          change.str(CKA_LABEL, label).boolean(CKA_TOKEN, true);
          CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
          const std::string value = t->value;
          if (!expect_rv(f->C_CopyObject(log.rw, t->handle, change.data(), change.size(), &h), {CKR_OK}, "C_CopyObject")) break;
          log.live.push_back({label, h, true, false, value});
          EXPECT_EQ(find_label(any, label), std::vector<CK_OBJECT_HANDLE>{h});
          break;
        }
      }
    }
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  ASSERT_FALSE(HasFailure());

  // Consistency: every surviving object exactly once, every destroyed one gone, counts add up.
  expect_rv(login(main_session, CKU_USER, kUserPin), {CKR_OK, CKR_USER_ALREADY_LOGGED_IN}, "C_Login(main)");
  std::size_t total = 0, token_total = 0;
  for (int i = 0; i < kThreads; ++i) {
    const ThreadLog& log = logs[static_cast<std::size_t>(i)];
    for (const auto& t : log.live) {
      const auto found = find_label(main_session, t.label);
      ASSERT_EQ(found.size(), 1u) << t.label;
      if (!t.priv) {
        EXPECT_EQ(found[0], t.handle) << t.label;
        CK_RV rv = CKR_OK;
        EXPECT_EQ(get_string(main_session, found[0], CKA_VALUE, &rv), t.value) << t.label;
      }
      if (t.token) ++token_total;
    }
    for (const auto& label : log.destroyed) EXPECT_TRUE(find_label(main_session, label).empty()) << label;
    Template q;
    q.str(CKA_APPLICATION, "thread-" + std::to_string(i));
    EXPECT_EQ(find(main_session, q).size(), log.live.size()) << "thread " << i;
    total += log.live.size();
  }
  Template all;
  all.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(find(main_session, all).size(), total);

  // Closing the threads' sessions removes exactly their session objects.
  for (const auto& log : logs) {
    EXPECT_EQ(f->C_CloseSession(log.ro), CKR_OK);
    EXPECT_EQ(f->C_CloseSession(log.rw), CKR_OK);
  }
  EXPECT_EQ(find(main_session, all).size(), token_total);

  // The token objects are in the store: a fresh library instance sees the same set.
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  const CK_SESSION_HANDLE again = open(slot, false);
  ASSERT_EQ(login(again, CKU_USER, kUserPin), CKR_OK);
  EXPECT_EQ(find(again, all).size(), token_total);
}

// ---- one session, many threads --------------------------------------------------------------

// PKCS#11 lets an application call into one session from several threads. The results of racing
// calls may be any legal CKR (a second C_FindObjectsInit sees CKR_OPERATION_ACTIVE, ...), but the
// module must not crash, and objects created through the session stay consistent.
TEST_F(Concurrency, SameSessionFromManyThreads) {
  const CK_SLOT_ID slot = make_token();
  const CK_SESSION_HANDLE s = open(slot, true);
  constexpr int kIterations = 200;
  std::vector<std::vector<std::pair<std::string, CK_OBJECT_HANDLE>>> owned(kThreads);

  auto worker = [&](int id) {
    std::mt19937 rng(static_cast<std::uint32_t>(7 + id));
    auto& mine = owned[static_cast<std::size_t>(id)];
    const std::string app = "shared-" + std::to_string(id);
    for (int k = 0; k < kIterations && !g_failed.load(); ++k) {
      switch (rng() % 9) {
        case 0:
          expect_rv(login(s, CKU_USER, kUserPin), {CKR_OK, CKR_USER_ALREADY_LOGGED_IN}, "C_Login");
          break;
        case 1:
          expect_rv(f->C_Logout(s), {CKR_OK, CKR_USER_NOT_LOGGED_IN}, "C_Logout");
          break;
        case 2: {
          const std::string label = app + "-" + std::to_string(k);
          Template t = data_object(rng() & 1, false, label, app);
          CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
          if (expect_rv(f->C_CreateObject(s, t.data(), t.size(), &h), {CKR_OK}, "C_CreateObject")) mine.emplace_back(label, h);
          break;
        }
        case 3: {
          if (mine.empty()) break;
          const std::size_t i = rng() % mine.size();
          CK_RV rv = CKR_OK;
          EXPECT_EQ(get_string(s, mine[i].second, CKA_LABEL, &rv), mine[i].first);
          expect_rv(rv, {CKR_OK}, "C_GetAttributeValue");
          break;
        }
        case 4: {
          if (mine.empty()) break;
          const std::size_t i = rng() % mine.size();
          if (expect_rv(f->C_DestroyObject(s, mine[i].second), {CKR_OK}, "C_DestroyObject")) mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
        case 5: {  // the session's one search slot is shared by all threads: any legal outcome
          Template q;
          q.str(CKA_APPLICATION, app);
          expect_rv(f->C_FindObjectsInit(s, q.data(), q.size()), {CKR_OK, CKR_OPERATION_ACTIVE}, "C_FindObjectsInit");
          CK_OBJECT_HANDLE buf[8];
          CK_ULONG n = 0;
          const CK_RV rv = f->C_FindObjects(s, buf, 8, &n);
          expect_rv(rv, {CKR_OK, CKR_OPERATION_NOT_INITIALIZED}, "C_FindObjects");
          if (rv == CKR_OK) {
            EXPECT_LE(n, 8u);
          }
          expect_rv(f->C_FindObjectsFinal(s), {CKR_OK, CKR_OPERATION_NOT_INITIALIZED}, "C_FindObjectsFinal");
          break;
        }
        case 6: {
          CK_SESSION_INFO info{};
          if (expect_rv(f->C_GetSessionInfo(s, &info), {CKR_OK}, "C_GetSessionInfo")) {
            EXPECT_TRUE(info.state == CKS_RW_PUBLIC_SESSION || info.state == CKS_RW_USER_FUNCTIONS) << info.state;
          }
          break;
        }
        case 7: {
          CK_BYTE r[32];
          expect_rv(f->C_GenerateRandom(s, r, sizeof r), {CKR_OK}, "C_GenerateRandom");
          break;
        }
        case 8: {
          expect_rv(f->C_SessionCancel(s, CKF_FIND_OBJECTS), {CKR_OK}, "C_SessionCancel");
          break;
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  ASSERT_FALSE(HasFailure());

  // A search left active by a racing thread is ended; then every object is there exactly once.
  (void)f->C_FindObjectsFinal(s);
  std::size_t total = 0;
  for (int i = 0; i < kThreads; ++i) {
    const auto& mine = owned[static_cast<std::size_t>(i)];
    for (const auto& [label, h] : mine) {
      EXPECT_EQ(find_label(s, label), std::vector<CK_OBJECT_HANDLE>{h}) << label;
    }
    Template q;
    q.str(CKA_APPLICATION, "shared-" + std::to_string(i));
    EXPECT_EQ(find(s, q).size(), mine.size());
    total += mine.size();
  }
  Template all;
  all.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_EQ(find(s, all).size(), total);
}

// ---- sessions closed while other threads use them -------------------------------------------

// Closing a session another thread is using is the application's race, but its outcome must be
// one of the two serial ones: the call ran before the close (and its session objects went with the
// session) or after it (CKR_SESSION_HANDLE_INVALID). No session object may outlive its session.
TEST_F(Concurrency, SessionsClosedWhileInUse) {
  const CK_SLOT_ID slot = make_token();
  const CK_SESSION_HANDLE keeper = open(slot, false);  // keeps the token's session count above zero
  constexpr int kPool = 4;
  constexpr int kRounds = 400;
  std::vector<std::atomic<CK_SESSION_HANDLE>> pool(kPool);
  for (auto& p : pool) p = open(slot, (&p - pool.data()) % 2 == 0);
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};

  auto user = [&](int id) {
    std::mt19937 rng(static_cast<std::uint32_t>(31 + id));
    for (int k = 0; !stop.load() && !g_failed.load(); ++k) {
      const CK_SESSION_HANDLE s = pool[rng() % kPool].load();
      const std::string label = "closing-" + std::to_string(id) + "-" + std::to_string(k);
      Template t = data_object(false, false, label, "closing");
      CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
      const CK_RV rv = f->C_CreateObject(s, t.data(), t.size(), &h);
      if (expect_rv(rv, {CKR_OK, CKR_SESSION_HANDLE_INVALID}, "C_CreateObject") && rv == CKR_OK) ++created;
      CK_SESSION_INFO info{};
      expect_rv(f->C_GetSessionInfo(s, &info), {CKR_OK, CKR_SESSION_HANDLE_INVALID}, "C_GetSessionInfo");
      CK_BYTE r[16];
      expect_rv(f->C_GenerateRandom(s, r, sizeof r), {CKR_OK, CKR_SESSION_HANDLE_INVALID}, "C_GenerateRandom");
      Template q;
      q.str(CKA_LABEL, label);
      expect_rv(f->C_FindObjectsInit(s, q.data(), q.size()), {CKR_OK, CKR_SESSION_HANDLE_INVALID, CKR_OPERATION_ACTIVE},
                "C_FindObjectsInit");
      expect_rv(f->C_FindObjectsFinal(s), {CKR_OK, CKR_SESSION_HANDLE_INVALID, CKR_OPERATION_NOT_INITIALIZED},
                "C_FindObjectsFinal");
      CK_TOKEN_INFO ti{};
      if (expect_rv(f->C_GetTokenInfo(slot, &ti), {CKR_OK}, "C_GetTokenInfo")) {
        EXPECT_GE(ti.ulSessionCount, 1u);
        EXPECT_LE(ti.ulSessionCount, static_cast<CK_ULONG>(1 + 2 * kPool));
      }
    }
  };
  auto closer = [&]() {
    std::mt19937 rng(99);
    // At least kRounds, and on until some object was created (on a loaded machine the users may not
    // have run at all before kRounds were over: the test then measured nothing); bounded, so a
    // module that never lets a creation through fails the check below instead of hanging.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (int round = 0; (round < kRounds || (created.load() == 0 && std::chrono::steady_clock::now() < deadline)) &&
                        !g_failed.load();
         ++round) {
      const int i = static_cast<int>(rng() % kPool);
      CK_SESSION_HANDLE fresh = CK_INVALID_HANDLE;
      if (!expect_rv(f->C_OpenSession(slot, CKF_SERIAL_SESSION | ((round & 1) ? CKF_RW_SESSION : 0), nullptr, nullptr, &fresh),
                     {CKR_OK}, "C_OpenSession")) break;
      const CK_SESSION_HANDLE old = pool[i].exchange(fresh);
      expect_rv(f->C_CloseSession(old), {CKR_OK}, "C_CloseSession");
      std::this_thread::yield();
    }
    stop = true;
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads - 1; ++i) threads.emplace_back(user, i);
  threads.emplace_back(closer);
  for (auto& t : threads) t.join();
  ASSERT_FALSE(HasFailure());
  EXPECT_GT(created.load(), 0);

  for (auto& p : pool) EXPECT_EQ(f->C_CloseSession(p.load()), CKR_OK);
  Template all;
  all.ulong(CKA_CLASS, CKO_DATA);
  EXPECT_TRUE(find(keeper, all).empty()) << "session objects outlived their sessions";
  CK_TOKEN_INFO ti{};
  ASSERT_EQ(f->C_GetTokenInfo(slot, &ti), CKR_OK);
  EXPECT_EQ(ti.ulSessionCount, 1u);
}

// ---- first uses after a restart ----------------------------------------------------------------

// After C_Initialize a token's objects are listed but none is verified yet (ADR 0010). Threads
// with their own sessions search for the same objects and read them at once, so first uses race:
// every search finds its object, every read returns its value, and all threads get the same
// handle for each object (it was loaded once). Private objects are opened by whichever search
// of the logged-in user comes first.
TEST_F(Concurrency, FirstUsesAfterRestartAgree) {
  const CK_SLOT_ID slot = make_token();
  constexpr int kObjects = 48;
  {
    const CK_SESSION_HANDLE s = open(slot, true);
    ASSERT_EQ(login(s, CKU_USER, kUserPin), CKR_OK);
    for (int i = 0; i < kObjects; ++i) {
      Template t = data_object(true, i % 2 == 1, "first-use-" + std::to_string(i), "app", "value-" + std::to_string(i));
      CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
      ASSERT_EQ(f->C_CreateObject(s, t.data(), t.size(), &h), CKR_OK);
    }
  }
  ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  std::vector<CK_SESSION_HANDLE> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(open(slot, i % 2 == 0));
  ASSERT_EQ(login(sessions[0], CKU_USER, kUserPin), CKR_OK);

  std::vector<std::vector<CK_OBJECT_HANDLE>> seen(kThreads, std::vector<CK_OBJECT_HANDLE>(kObjects));
  std::barrier sync(kThreads);
  auto worker = [&](int id) {
    const CK_SESSION_HANDLE s = sessions[static_cast<std::size_t>(id)];
    sync.arrive_and_wait();
    for (int k = 0; k < kObjects && !g_failed; ++k) {
      const int i = (k + id * 5) % kObjects;
      const std::string label = "first-use-" + std::to_string(i);
      const auto found = find_label(s, label);
      if (found.size() != 1) {
        g_failed = true;
        ADD_FAILURE() << label << ": " << found.size() << " objects found";
        continue;
      }
      CK_RV rv = CKR_OK;
      const std::string value = get_string(s, found[0], CKA_VALUE, &rv);
      if (!expect_rv(rv, {CKR_OK}, "C_GetAttributeValue " + label)) continue;
      if (value != "value-" + std::to_string(i)) {
        g_failed = true;
        ADD_FAILURE() << label << " read as " << value;
      }
      seen[static_cast<std::size_t>(id)][static_cast<std::size_t>(i)] = found[0];
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  for (int id = 1; id < kThreads; ++id) EXPECT_EQ(seen[static_cast<std::size_t>(id)], seen[0]) << "thread " << id;
}

// ---- login races -----------------------------------------------------------------------------

// All threads log in at once: exactly one wins, the others see CKR_USER_ALREADY_LOGGED_IN; then
// all log out at once: exactly one CKR_OK, the others CKR_USER_NOT_LOGGED_IN.
TEST_F(Concurrency, SimultaneousLoginAndLogoutHaveOneWinner) {
  const CK_SLOT_ID slot = make_token();
  std::vector<CK_SESSION_HANDLE> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(open(slot, i % 2 == 0));
  constexpr int kRounds = 5;
  std::barrier sync(kThreads);
  std::vector<std::vector<CK_RV>> logins(kRounds), logouts(kRounds);
  for (int r = 0; r < kRounds; ++r) {
    logins[static_cast<std::size_t>(r)].assign(kThreads, CKR_GENERAL_ERROR);
    logouts[static_cast<std::size_t>(r)].assign(kThreads, CKR_GENERAL_ERROR);
  }
  auto worker = [&](int id) {
    const CK_SESSION_HANDLE s = sessions[static_cast<std::size_t>(id)];
    for (int r = 0; r < kRounds; ++r) {
      sync.arrive_and_wait();
      logins[static_cast<std::size_t>(r)][static_cast<std::size_t>(id)] = login(s, CKU_USER, kUserPin);
      sync.arrive_and_wait();
      logouts[static_cast<std::size_t>(r)][static_cast<std::size_t>(id)] = f->C_Logout(s);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  for (int r = 0; r < kRounds; ++r) {
    const auto& in = logins[static_cast<std::size_t>(r)];
    const auto& out = logouts[static_cast<std::size_t>(r)];
    EXPECT_EQ(std::count(in.begin(), in.end(), CKR_OK), 1) << "round " << r;
    EXPECT_EQ(std::count(in.begin(), in.end(), CKR_USER_ALREADY_LOGGED_IN), kThreads - 1) << "round " << r;
    EXPECT_EQ(std::count(out.begin(), out.end(), CKR_OK), 1) << "round " << r;
    EXPECT_EQ(std::count(out.begin(), out.end(), CKR_USER_NOT_LOGGED_IN), kThreads - 1) << "round " << r;
  }
}

class ConcurrencyLockout : public Concurrency {
 protected:
  std::string extra_config() const override { return Concurrency::extra_config() + "pin.max_failures = 9\n"; }
};

// Wrong PINs from many threads at once: every attempt is counted (no lost update), so after
// max_failures - 1 of them the token reports the final try, and one more locks the PIN.
TEST_F(ConcurrencyLockout, ConcurrentWrongPinsAreAllCounted) {
  const CK_SLOT_ID slot = make_token();
  std::vector<CK_SESSION_HANDLE> sessions;
  for (int i = 0; i < kThreads; ++i) sessions.push_back(open(slot, i % 2 == 0));
  std::barrier sync(kThreads);
  std::vector<CK_RV> results(kThreads, CKR_GENERAL_ERROR);
  auto worker = [&](int id) {
    sync.arrive_and_wait();
    results[static_cast<std::size_t>(id)] = login(sessions[static_cast<std::size_t>(id)], CKU_USER, "wrong-pin-" + std::to_string(id));
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (auto& t : threads) t.join();
  for (CK_RV rv : results) EXPECT_EQ(rv, CKR_PIN_INCORRECT);

  CK_TOKEN_INFO info{};
  ASSERT_EQ(f->C_GetTokenInfo(slot, &info), CKR_OK);
  EXPECT_EQ(info.flags & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED),
            CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY);
  EXPECT_EQ(login(sessions[0], CKU_USER, "wrong-again"), CKR_PIN_INCORRECT);
  ASSERT_EQ(f->C_GetTokenInfo(slot, &info), CKR_OK);
  EXPECT_NE(info.flags & CKF_USER_PIN_LOCKED, 0u);
  EXPECT_EQ(login(sessions[0], CKU_USER, kUserPin), CKR_PIN_LOCKED);
}

}  // namespace
}  // namespace craton::test
