// Cryptographic operations from many threads at once (label "concurrency", also run under TSan):
// sessions on different threads share keys and their parsed forms, while another thread keeps
// changing the key objects (each change makes a new attribute snapshot, so the parsed-key cache
// is rebuilt under the signers' feet).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "lifecycle_helpers.h"
#include "module_fixture.h"

namespace craton::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

class ConcurrentCrypto : public TokenTest {
 protected:
  void SetUp() override {
    TokenTest::SetUp();
    ASSERT_EQ(login(rw_, CKU_USER, kUserPin), CKR_OK);
    const Bytes p256 = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    Template pub;
    pub.bytes(CKA_EC_PARAMS, p256);
    Template priv;
    priv.boolean(CKA_SIGN, true);
    CK_MECHANISM gen{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
    ASSERT_EQ(f->C_GenerateKeyPair(rw_, &gen, pub.data(), pub.size(), priv.data(), priv.size(), &ec_pub_, &ec_priv_), CKR_OK);
    Template aes;
    aes.ulong(CKA_VALUE_LEN, 32);
    CK_MECHANISM aes_gen{CKM_AES_KEY_GEN, nullptr, 0};
    ASSERT_EQ(f->C_GenerateKey(rw_, &aes_gen, aes.data(), aes.size(), &aes_), CKR_OK);
  }

  // One thread's work: sign/verify and encrypt/decrypt on its own session; returns failures.
  int worker(int rounds) {
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    if (f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s) != CKR_OK) return 1;
    int failures = 0;
    Bytes msg(100, 0x42), sig(64), ct(200), pt(200);
    Bytes iv(12, 0x09);
    for (int i = 0; i < rounds; ++i) {
      msg[0] = static_cast<std::uint8_t>(i);
      CK_MECHANISM ecdsa{CKM_ECDSA_SHA256, nullptr, 0};
      CK_ULONG n = sig.size();
      if (f->C_SignInit(s, &ecdsa, ec_priv_) != CKR_OK || f->C_Sign(s, msg.data(), msg.size(), sig.data(), &n) != CKR_OK) {
        ++failures;
        continue;
      }
      if (f->C_VerifyInit(s, &ecdsa, ec_pub_) != CKR_OK || f->C_Verify(s, msg.data(), msg.size(), sig.data(), n) != CKR_OK) {
        ++failures;
      }
      CK_GCM_PARAMS gcm{iv.data(), iv.size(), 96, nullptr, 0, 128};
      CK_MECHANISM m{CKM_AES_GCM, &gcm, sizeof gcm};
      CK_ULONG c = ct.size(), p = pt.size();
      if (f->C_EncryptInit(s, &m, aes_) != CKR_OK || f->C_Encrypt(s, msg.data(), msg.size(), ct.data(), &c) != CKR_OK ||
          f->C_DecryptInit(s, &m, aes_) != CKR_OK || f->C_Decrypt(s, ct.data(), c, pt.data(), &p) != CKR_OK ||
          !std::equal(msg.begin(), msg.end(), pt.begin()) || p != msg.size()) {
        ++failures;
      }
    }
    f->C_CloseSession(s);
    return failures;
  }

  CK_OBJECT_HANDLE ec_pub_ = 0, ec_priv_ = 0, aes_ = 0;
};

TEST_F(ConcurrentCrypto, SharedKeysSignAndEncryptInParallelWhileTheyChange) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 40;
  std::atomic<bool> stop{false};
  std::atomic<int> relabels{0};
  // The key objects keep changing (a new snapshot each time); operations must not notice.
  std::thread changer([&] {
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    ASSERT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s), CKR_OK);
    for (int i = 0; !stop.load(); ++i) {
      const std::string label = "label-" + std::to_string(i);
      CK_ATTRIBUTE a{CKA_LABEL, const_cast<char*>(label.data()), static_cast<CK_ULONG>(label.size())};
      EXPECT_EQ(f->C_SetAttributeValue(s, ec_priv_, &a, 1), CKR_OK);
      EXPECT_EQ(f->C_SetAttributeValue(s, aes_, &a, 1), CKR_OK);
      relabels.fetch_add(1);
    }
    f->C_CloseSession(s);
  });
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] { failures.fetch_add(worker(kRounds)); });
  }
  for (auto& t : threads) t.join();
  // On a loaded machine the workers may be done before the changer ran at all: give it a moment
  // (bounded), so that the check below is about the module, not the scheduler.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (relabels.load() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  stop = true;
  changer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(relabels.load(), 0);
}

TEST_F(ConcurrentCrypto, DigestStatesMoveBetweenThreads) {
  // A digest state saved on one thread is continued on another.
  Bytes data(1000, 0x61);
  CK_MECHANISM sha{CKM_SHA256, nullptr, 0};
  ASSERT_EQ(f->C_DigestInit(rw_, &sha), CKR_OK);
  ASSERT_EQ(f->C_DigestUpdate(rw_, data.data(), 500), CKR_OK);
  CK_ULONG n = 0;
  ASSERT_EQ(f->C_GetOperationState(rw_, nullptr, &n), CKR_OK);
  Bytes state(n);
  ASSERT_EQ(f->C_GetOperationState(rw_, state.data(), &n), CKR_OK);
  Bytes reference(32);
  ASSERT_EQ(f->C_DigestUpdate(rw_, data.data() + 500, 500), CKR_OK);
  CK_ULONG r = reference.size();
  ASSERT_EQ(f->C_DigestFinal(rw_, reference.data(), &r), CKR_OK);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
      if (f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s) != CKR_OK) {
        mismatches.fetch_add(1);
        return;
      }
      Bytes out(32);
      CK_ULONG len = out.size();
      if (f->C_SetOperationState(s, state.data(), state.size(), 0, 0) != CKR_OK ||
          f->C_DigestUpdate(s, data.data() + 500, 500) != CKR_OK || f->C_DigestFinal(s, out.data(), &len) != CKR_OK ||
          out != reference) {
        mismatches.fetch_add(1);
      }
      f->C_CloseSession(s);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// ---- the library's lifetime racing with calls ---------------------------------------------------

// The audit writer thread is off here, so a forked child creates no thread (TSan forbids that after
// a multi-threaded fork); everything else is the default configuration.
class ConcurrentLifecycle : public ConcurrentCrypto {
 protected:
  std::string extra_config() const override { return "audit.enabled = false\n"; }

  // One caller's loop: open a session, AES-GCM with the shared key, a digest, close. Runs until
  // `stop`; counts completed encryptions in `done` and records any result outside `legal`.
  void caller(const std::atomic<bool>& stop, std::atomic<int>& done, std::atomic<int>& illegal) {
    // Legal whatever the lifetime calls do meanwhile: a call before C_Finalize succeeds, one
    // after it sees no library, one after the next C_Initialize sees its old session (and the
    // session key made before the first C_Finalize) gone.
    auto ok = [&](CK_RV rv, std::initializer_list<CK_RV> legal) {
      for (CK_RV l : legal) {
        if (rv == l) return rv == CKR_OK;
      }
      illegal.fetch_add(1);
      return false;
    };
    Bytes msg(256, 0x5a), iv(12, 0x01), ct(300), digest(32);
    while (!stop.load()) {
      CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
      if (!ok(f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s), {CKR_OK, CKR_CRYPTOKI_NOT_INITIALIZED})) {
        continue;
      }
      const std::initializer_list<CK_RV> kGone = {CKR_OK, CKR_CRYPTOKI_NOT_INITIALIZED, CKR_SESSION_HANDLE_INVALID};
      for (int i = 0; i < 20; ++i) {
        CK_GCM_PARAMS gcm{iv.data(), iv.size(), 96, nullptr, 0, 128};
        CK_MECHANISM m{CKM_AES_GCM, &gcm, sizeof gcm};
        CK_ULONG c = ct.size();
        if (ok(f->C_EncryptInit(s, &m, aes_), {CKR_OK, CKR_CRYPTOKI_NOT_INITIALIZED, CKR_SESSION_HANDLE_INVALID,
                                               CKR_KEY_HANDLE_INVALID}) &&
            ok(f->C_Encrypt(s, msg.data(), msg.size(), ct.data(), &c), kGone)) {
          done.fetch_add(1);
        }
        CK_MECHANISM sha{CKM_SHA256, nullptr, 0};
        CK_ULONG d = digest.size();
        if (ok(f->C_DigestInit(s, &sha), kGone)) (void)ok(f->C_Digest(s, msg.data(), msg.size(), digest.data(), &d), kGone);
      }
      (void)ok(f->C_CloseSession(s), kGone);
    }
  }
};

// C_Finalize and C_Initialize while other threads are inside calls: every call returns one of the
// results of running entirely before or entirely after the lifetime change, and nothing crashes
// (the lifetime lock keeps the library alive for the calls inside it).
TEST_F(ConcurrentLifecycle, FinalizeAndInitializeWhileThreadsCallIn) {
  constexpr int kThreads = 4;
  constexpr int kCycles = 4;
  std::atomic<bool> stop{false};
  std::atomic<int> done{0}, illegal{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&] { caller(stop, done, illegal); });
  while (done.load() == 0 && illegal.load() == 0) std::this_thread::yield();  // calls are running
  for (int i = 0; i < kCycles; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(f->C_Initialize(nullptr), CKR_OK);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(illegal.load(), 0);
  EXPECT_GT(done.load(), 0);
  // The library is whole afterwards: a new session works.
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
  ASSERT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s), CKR_OK);
  CK_BYTE r[8];
  EXPECT_EQ(f->C_GenerateRandom(s, r, sizeof r), CKR_OK);
}

// fork() while other threads are inside calls: the atfork handler waits until no call is inside
// (every shard of the lifetime lock), and the child starts with a usable lock: its calls answer
// at once, C_Initialize works, and the parent's threads carry on.
TEST_F(ConcurrentLifecycle, ForkWhileThreadsCallIn) {
  constexpr int kThreads = 3;
  std::atomic<bool> stop{false};
  std::atomic<int> done{0}, illegal{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([&] { caller(stop, done, illegal); });
  while (done.load() == 0 && illegal.load() == 0) std::this_thread::yield();
  for (int i = 0; i < 3; ++i) {
    std::string note;
    const int status = run_in_child(
        [&](int fd) -> int {
          auto failed = [fd](const char* what, int code) {
            child_note(fd, what);
            return code;
          };
          CK_INFO info{};
          if (f->C_GetInfo(&info) != CKR_CRYPTOKI_NOT_INITIALIZED) return failed("C_GetInfo before C_Initialize", 10);
          if (f->C_Initialize(nullptr) != CKR_OK) return failed("C_Initialize", 11);
          CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
          if (f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s) != CKR_OK) return failed("C_OpenSession", 12);
          CK_BYTE r[8];
          if (f->C_GenerateRandom(s, r, sizeof r) != CKR_OK) return failed("C_GenerateRandom", 13);
          if (f->C_Finalize(nullptr) != CKR_OK) return failed("C_Finalize", 14);
          return 0;
        },
        note);
    EXPECT_EQ(status, 0) << note;
  }
  const int before = done.load();
  while (done.load() == before && illegal.load() == 0) std::this_thread::yield();  // the parent goes on
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(illegal.load(), 0);
}

}  // namespace
}  // namespace craton::test
