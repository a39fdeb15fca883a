// Two processes on one token directory at once.
//
// The fixture creates the token, finalises the module and only then forks, so both processes start
// from an uninitialised module and call C_Initialize themselves, as two independent applications
// would. They run side by side, synchronised at named steps over a pair of pipes. The child never
// uses gtest assertions: it reports the first failed step through its exit status (and a line on
// stderr), which the parent checks.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "module_fixture.h"

namespace craton::test {
namespace {

// Generous: under TSan every step is several times slower.
constexpr int kStepTimeoutMs = 60000;
// The fixture's user PIN (ApiTest::kUserPin is protected; the child's helpers need it too).
constexpr const char* kUserPinText = "user-pin-1";

// A forked peer and a two-way pipe to it. In the parent, the destructor kills and reaps a child
// that is still running (a failed assertion must not leave it behind).
class Peer {
 public:
  Peer() = default;
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  ~Peer() {
    if (child_ && !is_child()) {
      kill(pid_, SIGKILL);
      int status = 0;
      (void)waitpid(pid_, &status, 0);
    }
    close_fd(in_);
    close_fd(out_);
  }

  // Forks. Returns false (in the parent) if that failed.
  bool start() {
    int to_child[2], to_parent[2];
    if (pipe(to_child) != 0) return false;
    if (pipe(to_parent) != 0) return false;
    std::fflush(nullptr);  // nothing buffered may be written twice
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      in_ = to_child[0];
      out_ = to_parent[1];
      ::close(to_child[1]);
      ::close(to_parent[0]);
      is_child_ = true;
    } else {
      in_ = to_parent[0];
      out_ = to_child[1];
      ::close(to_child[0]);
      ::close(to_parent[1]);
      pid_ = pid;
      child_ = true;
    }
    return true;
  }

  bool is_child() const { return is_child_; }
  const char* name() const { return is_child_ ? "child" : "parent"; }

  // Both sides call sync(step) to meet there; false if the other side died, stalled or is elsewhere.
  bool sync(char step) {
    if (::write(out_, &step, 1) != 1) return false;
    pollfd p{in_, POLLIN, 0};
    if (poll(&p, 1, kStepTimeoutMs) != 1) return false;
    char got = 0;
    return ::read(in_, &got, 1) == 1 && got == step;
  }

  // Parent: waits for the child; its exit code, or -1 if it did not exit normally.
  int wait_exit() {
    int status = 0;
    close_fd(out_);  // a child blocked in sync() sees EOF
    if (waitpid(pid_, &status, 0) != pid_) return -1;
    child_ = false;
    if (WIFSIGNALED(status)) return 1000 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }

  int in_ = -1;
  int out_ = -1;
  pid_t pid_ = 0;
  bool child_ = false;
  bool is_child_ = false;
};

// Calls without gtest, usable in the child. Every check names a step number, returned on failure.
class Client {
 public:
  Client(CK_FUNCTION_LIST_3_2* f, const Peer& peer) : f_(f), who_(peer.name()) {}

  int fail(int step, const std::string& what) const {
    std::fprintf(stderr, "[%s] step %d failed: %s\n", who_, step, what.c_str());
    return step;
  }

  CK_RV find(CK_SESSION_HANDLE s, Template& q, std::vector<CK_OBJECT_HANDLE>& out) const {
    out.clear();
    CK_RV rv = f_->C_FindObjectsInit(s, q.data(), q.size());
    if (rv != CKR_OK) return rv;
    for (;;) {
      CK_OBJECT_HANDLE buf[32];
      CK_ULONG n = 0;
      rv = f_->C_FindObjects(s, buf, 32, &n);
      if (rv != CKR_OK || n == 0) break;
      out.insert(out.end(), buf, buf + n);
    }
    const CK_RV final_rv = f_->C_FindObjectsFinal(s);
    return rv != CKR_OK ? rv : final_rv;
  }

  // Number of objects matching one string attribute, or -1 on error.
  long count(CK_SESSION_HANDLE s, CK_ATTRIBUTE_TYPE t, const std::string& v) const {
    Template q;
    q.str(t, v);
    std::vector<CK_OBJECT_HANDLE> found;
    return find(s, q, found) == CKR_OK ? static_cast<long>(found.size()) : -1;
  }

  std::string label_of(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h) const {
    char buf[128];
    CK_ATTRIBUTE a{CKA_LABEL, buf, sizeof buf};
    if (f_->C_GetAttributeValue(s, h, &a, 1) != CKR_OK) return "<error>";
    return std::string(buf, a.ulValueLen);
  }

  CK_RV create(CK_SESSION_HANDLE s, const std::string& label, const std::string& app, bool priv,
               CK_OBJECT_HANDLE* h) const {
    Template t;
    t.ulong(CKA_CLASS, CKO_DATA)
        .boolean(CKA_TOKEN, true)
        .boolean(CKA_PRIVATE, priv)
        .str(CKA_LABEL, label)
        .str(CKA_APPLICATION, app)
        .str(CKA_VALUE, "payload of " + label);
    return f_->C_CreateObject(s, t.data(), t.size(), h);
  }

  // C_Initialize, a R/W session and (optionally) a user login.
  int begin(CK_SLOT_ID slot, CK_SESSION_HANDLE* s, bool log_in) const {
    if (CK_RV rv = f_->C_Initialize(nullptr); rv != CKR_OK) return fail(1, "C_Initialize " + std::to_string(rv));
    if (CK_RV rv = f_->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, s); rv != CKR_OK) {
      return fail(2, "C_OpenSession " + std::to_string(rv));
    }
    if (!log_in) return 0;
    std::string pin = kUserPinText;
    if (CK_RV rv = f_->C_Login(*s, CKU_USER, utf8(pin), pin.size()); rv != CKR_OK) {
      return fail(3, "C_Login " + std::to_string(rv));
    }
    return 0;
  }

  int end() const {
    if (CK_RV rv = f_->C_Finalize(nullptr); rv != CKR_OK) return fail(99, "C_Finalize " + std::to_string(rv));
    return 0;
  }

  CK_FUNCTION_LIST_3_2* fl() const { return f_; }

 private:
  CK_FUNCTION_LIST_3_2* f_;
  const char* who_;
};

class MultiProcess : public ApiTest {
 protected:
  std::string extra_config() const override { return "objectstore.sync = normal\n"; }

  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_STREQ(kUserPin, kUserPinText);
    slot_ = make_token();
    // Both processes must start from an uninitialised module.
    ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
  }

  // Runs body in a forked child and in this process at the same time; checks both succeeded.
  template <class Body>
  void run_both(Body body) {
    Peer peer;
    ASSERT_TRUE(peer.start());
    Client client(f, peer);
    if (peer.is_child()) {
      const int code = body(peer, client);
      std::fflush(nullptr);
      _exit(code);  // no gtest teardown, no static destructors in the child
    }
    const int mine = body(peer, client);
    const int child = peer.wait_exit();
    EXPECT_EQ(mine, 0) << "parent failed at step " << mine;
    EXPECT_EQ(child, 0) << "child failed at step " << child << " (1000+n: killed by signal n)";
    // Leave the module initialised for TearDown, as ApiTest expects (a failed body may have left
    // it initialised already).
    (void)f->C_Finalize(nullptr);
    if (f->C_Initialize(nullptr) != CKR_OK) ADD_FAILURE() << "C_Initialize after the test";
  }

  CK_SLOT_ID slot_ = 0;
};

// Both processes create objects at the same time and search for each other's as they go; in the
// end each sees all 2N (public and private ones: both hold the token's master key after login).
TEST_F(MultiProcess, ConcurrentCreatorsSeeAllObjects) {
  constexpr int kObjects = 40;
  const CK_SLOT_ID slot = slot_;
  run_both([&](Peer& peer, const Client& c) -> int {
    const std::string me = peer.name();
    const std::string other = peer.is_child() ? "parent" : "child";
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    if (int e = c.begin(slot, &s, true)) return e;
    if (!peer.sync('a')) return c.fail(10, "sync before creating");
    long seen = 0;
    for (int k = 0; k < kObjects; ++k) {
      CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
      const std::string label = me + "-" + std::to_string(k);
      if (CK_RV rv = c.create(s, label, me, k % 2 == 0, &h); rv != CKR_OK) return c.fail(11, "create " + std::to_string(rv));
      if (k % 4 != 0) continue;
      // The other's objects only ever become more, and each is theirs.
      Template q;
      q.str(CKA_APPLICATION, other);
      std::vector<CK_OBJECT_HANDLE> found;
      if (CK_RV rv = c.find(s, q, found); rv != CKR_OK) return c.fail(12, "find " + std::to_string(rv));
      const long now = static_cast<long>(found.size());
      if (now < seen || now > kObjects) return c.fail(13, "other's count went from " + std::to_string(seen) + " to " + std::to_string(now));
      seen = now;
      for (CK_OBJECT_HANDLE o : found) {
        if (c.label_of(s, o).rfind(other + "-", 0) != 0) return c.fail(14, "foreign object has label " + c.label_of(s, o));
      }
    }
    if (!peer.sync('b')) return c.fail(20, "sync after creating");
    if (long n = c.count(s, CKA_APPLICATION, me); n != kObjects) return c.fail(21, "own objects: " + std::to_string(n));
    if (long n = c.count(s, CKA_APPLICATION, other); n != kObjects) return c.fail(22, "other's objects: " + std::to_string(n));
    for (int k = 0; k < kObjects; ++k) {
      if (long n = c.count(s, CKA_LABEL, other + "-" + std::to_string(k)); n != 1) {
        return c.fail(23, other + "-" + std::to_string(k) + " found " + std::to_string(n) + " times");
      }
    }
    Template all;
    all.ulong(CKA_CLASS, CKO_DATA);
    std::vector<CK_OBJECT_HANDLE> found;
    if (c.find(s, all, found) != CKR_OK || found.size() != 2 * kObjects) return c.fail(24, "total " + std::to_string(found.size()));
    if (!peer.sync('c')) return c.fail(25, "final sync");
    return c.end();
  });
}

// A deletion or change in one process is seen by the other's next search.
TEST_F(MultiProcess, DeletionsAndChangesAreSeenByTheOtherProcess) {
  const CK_SLOT_ID slot = slot_;
  run_both([&](Peer& peer, const Client& c) -> int {
    const bool child = peer.is_child();
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    if (int e = c.begin(slot, &s, true)) return e;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    if (!child) {
      if (c.create(s, "A", "parent", false, &h) != CKR_OK) return c.fail(10, "create A");
      if (c.create(s, "B", "parent", true, &h) != CKR_OK) return c.fail(11, "create B");
    } else {
      if (c.create(s, "C", "child", true, &h) != CKR_OK) return c.fail(12, "create C");
    }
    if (!peer.sync('a')) return c.fail(13, "sync after creating");
    for (const char* l : {"A", "B", "C"}) {
      if (long n = c.count(s, CKA_LABEL, l); n != 1) return c.fail(14, std::string(l) + " found " + std::to_string(n));
    }
    if (!peer.sync('b')) return c.fail(15, "sync after searching");
    // At the same time, the parent destroys its A and the child its C.
    std::vector<CK_OBJECT_HANDLE> found;
    Template q;
    q.str(CKA_LABEL, child ? "C" : "A");
    if (c.find(s, q, found) != CKR_OK || found.size() != 1) return c.fail(16, "find own");
    if (CK_RV rv = c.fl()->C_DestroyObject(s, found[0]); rv != CKR_OK) return c.fail(17, "destroy " + std::to_string(rv));
    if (!peer.sync('c')) return c.fail(18, "sync after destroying");
    if (long n = c.count(s, CKA_LABEL, "A"); n != 0) return c.fail(19, "A still found " + std::to_string(n));
    if (long n = c.count(s, CKA_LABEL, "C"); n != 0) return c.fail(20, "C still found " + std::to_string(n));
    if (long n = c.count(s, CKA_LABEL, "B"); n != 1) return c.fail(21, "B found " + std::to_string(n));
    if (!peer.sync('C')) return c.fail(29, "sync before renaming");
    if (child) {
      // The child renames the parent's private object B.
      Template b;
      b.str(CKA_LABEL, "B");
      if (c.find(s, b, found) != CKR_OK || found.size() != 1) return c.fail(22, "find B");
      Template rename;
      rename.str(CKA_LABEL, "B renamed");
      if (CK_RV rv = c.fl()->C_SetAttributeValue(s, found[0], rename.data(), rename.size()); rv != CKR_OK) {
        return c.fail(23, "rename " + std::to_string(rv));
      }
    }
    if (!peer.sync('d')) return c.fail(24, "sync after renaming");
    if (long n = c.count(s, CKA_LABEL, "B"); n != 0) return c.fail(25, "old label still found " + std::to_string(n));
    Template renamed;
    renamed.str(CKA_LABEL, "B renamed");
    if (c.find(s, renamed, found) != CKR_OK || found.size() != 1) return c.fail(26, "renamed B not found");
    if (c.label_of(s, found[0]) != "B renamed") return c.fail(27, "label read back: " + c.label_of(s, found[0]));
    if (!peer.sync('e')) return c.fail(28, "final sync");
    return c.end();
  });
}

// The PIN failure counter lives in the token, not in the process: a wrong PIN entered in one
// process shows as CKF_USER_PIN_COUNT_LOW in the other, and a successful login in the other clears
// it. Login state itself stays per process.
TEST_F(MultiProcess, PinFailureCounterIsShared) {
  const CK_SLOT_ID slot = slot_;
  run_both([&](Peer& peer, const Client& c) -> int {
    const bool child = peer.is_child();
    CK_FUNCTION_LIST_3_2* fl = c.fl();
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    if (int e = c.begin(slot, &s, false)) return e;
    auto flags = [&](CK_FLAGS* out) {
      CK_TOKEN_INFO info{};
      const CK_RV rv = fl->C_GetTokenInfo(slot, &info);
      *out = info.flags;
      return rv == CKR_OK;
    };
    CK_FLAGS flags_now = 0;
    if (!flags(&flags_now) || (flags_now & CKF_USER_PIN_COUNT_LOW) != 0) return c.fail(10, "counter not clear at start");
    if (!peer.sync('a')) return c.fail(11, "sync at start");
    std::string wrong = "not-the-pin";
    std::string right = kUserPinText;
    if (!child) {
      if (CK_RV rv = fl->C_Login(s, CKU_USER, utf8(wrong), wrong.size()); rv != CKR_PIN_INCORRECT) {
        return c.fail(12, "wrong PIN gave " + std::to_string(rv));
      }
    }
    if (!peer.sync('b')) return c.fail(13, "sync after wrong PIN");
    if (!flags(&flags_now)) return c.fail(14, "C_GetTokenInfo");
    if ((flags_now & CKF_USER_PIN_COUNT_LOW) == 0) return c.fail(15, "CKF_USER_PIN_COUNT_LOW not seen");
    if ((flags_now & (CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED)) != 0) return c.fail(16, "too many failures counted");
    if (!peer.sync('c')) return c.fail(17, "sync after checking");
    if (child) {
      if (CK_RV rv = fl->C_Login(s, CKU_USER, utf8(right), right.size()); rv != CKR_OK) {
        return c.fail(18, "login gave " + std::to_string(rv));
      }
    }
    if (!peer.sync('d')) return c.fail(19, "sync after login");
    if (!flags(&flags_now) || (flags_now & CKF_USER_PIN_COUNT_LOW) != 0) return c.fail(20, "counter not cleared by the other's login");
    CK_SESSION_INFO info{};
    if (fl->C_GetSessionInfo(s, &info) != CKR_OK) return c.fail(21, "C_GetSessionInfo");
    const CK_STATE want = child ? CKS_RW_USER_FUNCTIONS : CKS_RW_PUBLIC_SESSION;
    if (info.state != want) return c.fail(22, "session state " + std::to_string(info.state));
    if (!peer.sync('e')) return c.fail(23, "sync before the parent's login");
    if (!child) {
      if (CK_RV rv = fl->C_Login(s, CKU_USER, utf8(right), right.size()); rv != CKR_OK) {
        return c.fail(24, "parent login gave " + std::to_string(rv));
      }
    }
    if (!peer.sync('f')) return c.fail(25, "final sync");
    return c.end();
  });
}

}  // namespace
}  // namespace craton::test
