// Cryptographic operations from many threads at once (label "concurrency", also run under TSan):
// sessions on different threads share keys and their parsed forms, while another thread keeps
// changing the key objects (each change makes a new attribute snapshot, so the parsed-key cache
// is rebuilt under the signers' feet).
#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

}  // namespace
}  // namespace craton::test
