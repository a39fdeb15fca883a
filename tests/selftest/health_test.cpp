// Unit tests of the SP 800-90B health tests (src/selftest/health.h) on their own monitor
// instances: stuck and biased sequences trip exactly the expected test at the expected sample,
// and a healthy generator never trips them. Also, in-process: the lists of power-on and deferred
// tests, and the deferred-test gate (selftest/deferred.h) seen through its state counters.
#include <gtest/gtest.h>

#include <openssl/rand.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/slh_dsa.h"
#include "selftest/deferred.h"
#include "selftest/health.h"
#include "selftest/post.h"

namespace craton::selftest {
namespace {

std::vector<std::uint8_t> good_random(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  EXPECT_EQ(RAND_bytes(v.data(), static_cast<int>(n)), 1);
  return v;
}

// The 1-based sample index at which `m` first reports a failure, and the test it names.
std::pair<std::size_t, std::string> first_trip(HealthMonitor& m, const std::vector<std::uint8_t>& v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (const char* t = m.feed(std::span(v).subspan(i, 1))) return {i + 1, t};
  }
  return {0, ""};
}

TEST(HealthMonitor, StuckSourceTripsTheRepetitionCountAtTheCutoff) {
  HealthMonitor m;
  const std::vector<std::uint8_t> stuck(64, 0xA5);
  const auto [at, test] = first_trip(m, stuck);
  EXPECT_EQ(test, "rng.rct");
  EXPECT_EQ(at, kRctCutoff);  // the 11th equal byte in a row
}

TEST(HealthMonitor, RunsJustBelowTheCutoffPass) {
  HealthMonitor m;
  std::vector<std::uint8_t> v;
  for (int run = 0; run < 20; ++run) v.insert(v.end(), kRctCutoff - 1, static_cast<std::uint8_t>(run * 7 + 1));
  EXPECT_EQ(m.feed(v), nullptr);
}

TEST(HealthMonitor, BiasedSourceTripsTheAdaptiveProportionTest) {
  // Every other byte is 0x00 (no runs, consecutive blocks differ): about 512 zeros per window.
  HealthMonitor m;
  std::vector<std::uint8_t> v(4 * kAptWindow);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i % 2 == 0 ? 0 : static_cast<std::uint8_t>(i / 2 % 255 + 1);
  const auto [at, test] = first_trip(m, v);
  EXPECT_EQ(test, "rng.apt");
  EXPECT_EQ(at, 2 * kAptCutoff - 1);  // the 126th zero of the first window
}

TEST(HealthMonitor, ProportionJustBelowTheCutoffPasses) {
  // The window's first value occurs kAptCutoff - 1 times per window, spread out; everything else
  // is distinct enough to stay below every cutoff.
  HealthMonitor m;
  std::vector<std::uint8_t> v;
  for (int w = 0; w < 4; ++w) {
    for (std::size_t i = 0; i < kAptWindow; ++i) {
      const bool hit = i % 8 == 0 && i / 8 < kAptCutoff - 1;
      v.push_back(hit ? 0x42 : static_cast<std::uint8_t>(0x43 + (i * 37 + static_cast<std::size_t>(w)) % 200));
    }
  }
  EXPECT_EQ(m.feed(v), nullptr);
}

TEST(HealthMonitor, RepeatedBlockTripsTheConsecutiveOutputCheck) {
  HealthMonitor m;
  std::vector<std::uint8_t> v(64);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i % kBlockBytes);
  const auto [at, test] = first_trip(m, v);
  EXPECT_EQ(test, "rng.repeat");
  EXPECT_EQ(at, 2 * kBlockBytes);  // the end of the second (equal) block
}

TEST(HealthMonitor, BlocksAreComparedAcrossCalls) {
  HealthMonitor m;
  std::vector<std::uint8_t> block(kBlockBytes);
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<std::uint8_t>(3 * i + 1);
  EXPECT_EQ(m.feed(std::span(block).first(5)), nullptr);
  EXPECT_EQ(m.feed(std::span(block).subspan(5)), nullptr);
  EXPECT_STREQ(m.feed(block), "rng.repeat");
}

TEST(HealthMonitor, HealthyGeneratorNeverTrips) {
  // 64 MiB of OpenSSL's DRBG output, in uneven pieces: with the documented cutoffs a false alarm
  // has probability far below 2^-60 here.
  HealthMonitor m;
  for (int round = 0; round < 64; ++round) {
    const auto v = good_random((1U << 20) + static_cast<std::size_t>(round) * 13);
    ASSERT_EQ(m.feed(v), nullptr) << "round " << round;
  }
}

TEST(HealthMonitor, ResetForgetsThePreviousBlockAndRuns) {
  HealthMonitor m;
  const std::vector<std::uint8_t> stuck(kRctCutoff - 1, 7);
  EXPECT_EQ(m.feed(stuck), nullptr);
  m.reset();
  EXPECT_EQ(m.feed(stuck), nullptr);  // without the reset this would be the 20th 7 in a row
}

TEST(PostList, NamesAreUniqueAndCoverEveryFamily) {
  // Power-on and deferred tests together cover every family, each name once.
  std::set<std::string> names;
  for (const auto& t : post_tests()) EXPECT_TRUE(names.insert(t.name).second) << t.name;
  for (const auto& t : deferred_tests()) EXPECT_TRUE(names.insert(t.name).second) << t.name;
  for (const char* family :
       {"integrity", "kat.sha1", "kat.sha2", "kat.sha3", "kat.hmac", "kat.aes_ecb", "kat.aes_cbc", "kat.aes_ctr",
        "kat.aes_gcm", "kat.aes_ccm", "kat.aes_kw", "kat.cmac", "kat.chacha20_poly1305", "kat.rsa_sign",
        "kat.rsa_oaep", "kat.ecdsa", "kat.eddsa", "kat.ecdh", "kat.hkdf", "kat.pbkdf2", "kat.drbg", "kat.ml_kem",
        "kat.ml_dsa", "kat.slh_dsa", "rng.startup"}) {
    EXPECT_TRUE(names.count(family)) << family;
  }
  // The integrity test's own algorithm is tested before it (ISO/IEC 19790 AS10.20).
  const auto tests = post_tests();
  auto index = [&](std::string_view n) {
    for (std::size_t i = 0; i < tests.size(); ++i) {
      if (n == tests[i].name) return i;
    }
    return tests.size();
  };
  EXPECT_LT(index("kat.sha2"), index("integrity"));
  EXPECT_LT(index("kat.hmac"), index("integrity"));
}

TEST(PostList, EveryTestPassesInProcess) {
  // Statically linked here, so the integrity test is not applicable and passes; every KAT runs.
  PostReport report;
  ASSERT_TRUE(run_post(&report).ok()) << (report.failed != nullptr ? report.failed : "");
  EXPECT_EQ(report.failed, nullptr);
  EXPECT_GT(report.total.count(), 0);
}

// ---- deferred tests (selftest/deferred.h) -----------------------------------------------------

TEST(DeferredList, PreOperationalTestsStayInThePowerOnSelfTest) {
  // The integrity test and its algorithm's KATs must never be deferred (AS10.20).
  for (const auto& t : deferred_tests()) {
    for (const char* kept : {"integrity", "kat.sha2", "kat.hmac", "rng.startup", "kat.drbg"}) {
      EXPECT_STRNE(t.name, kept);
    }
  }
  // Each algorithm's tests are adjacent in the list (the group runs in list order).
  std::set<int> seen;
  int last = -1;
  for (const auto& t : deferred_tests()) {
    const int a = static_cast<int>(t.algorithm);
    if (a != last) {
      EXPECT_TRUE(seen.insert(a).second) << t.name;
    }
    last = a;
  }
  EXPECT_EQ(seen.size(), kDeferredAlgorithms);
}

TEST(DeferredList, EveryTestPassesInProcess) {
  for (const auto& t : deferred_tests()) EXPECT_TRUE(t.run().ok()) << t.name;
}

// The first use of each algorithm runs its CAST exactly once; re-arming (what run_post does at
// every C_Initialize) makes the next use run it again.
TEST(DeferredGate, FirstUseRunsTheCastOnceAndRearmingRunsItAgain) {
  const auto& p = crypto::pqc::kMlDsa44;
  rearm_deferred_tests();
  EXPECT_FALSE(deferred_state(Algorithm::kMlDsa).passed);
  EXPECT_EQ(deferred_state(Algorithm::kMlDsa).runs, 0U);
  auto kp = crypto::pqc::ml_dsa_keygen(p);
  ASSERT_TRUE(kp.ok());
  EXPECT_TRUE(deferred_state(Algorithm::kMlDsa).passed);
  EXPECT_EQ(deferred_state(Algorithm::kMlDsa).runs, 1U);
  const std::vector<std::uint8_t> msg = {1, 2, 3};
  auto sig = crypto::pqc::ml_dsa_sign(p, kp->sk.span(), msg, {}, crypto::pqc::MlDsaHedge::kHedged);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(crypto::pqc::ml_dsa_verify(p, kp->pk, msg, {}, *sig).ok());
  EXPECT_EQ(deferred_state(Algorithm::kMlDsa).runs, 1U) << "later uses do not run it again";
  // Only the algorithm that was used has been tested.
  EXPECT_EQ(deferred_state(Algorithm::kSlhDsa).runs, 0U);
  rearm_deferred_tests();
  EXPECT_FALSE(deferred_state(Algorithm::kMlDsa).passed);
  EXPECT_TRUE(crypto::pqc::ml_dsa_verify(p, kp->pk, msg, {}, *sig).ok());
  EXPECT_EQ(deferred_state(Algorithm::kMlDsa).runs, 1U);
  EXPECT_TRUE(deferred_state(Algorithm::kMlDsa).passed);
}

// Concurrent first users: one runs the CAST, the others wait for its verdict and then proceed.
TEST(DeferredGate, ConcurrentFirstUsersRunTheCastOnce) {
  const auto& p = crypto::pqc::kSlhDsaSha2_128f;
  const std::vector<std::uint8_t> sk_seed(16, 1), sk_prf(16, 2), pk_seed(16, 3);
  for (int round = 0; round < 3; ++round) {
    rearm_deferred_tests();
    constexpr int kThreads = 8;
    std::atomic<int> ready{0};
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();  // start together
        if (crypto::pqc::slh_dsa_keygen_internal(p, sk_seed, sk_prf, pk_seed).ok()) ok.fetch_add(1);
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kThreads);
    const DeferredState st = deferred_state(Algorithm::kSlhDsa);
    EXPECT_TRUE(st.passed);
    EXPECT_FALSE(st.failed);
    EXPECT_EQ(st.runs, 1U) << "round " << round;
  }
}

// run_post re-arms every deferred test (C_Initialize is the on-demand self-test).
TEST(DeferredGate, PowerOnSelfTestRearmsEveryDeferredTest) {
  ASSERT_TRUE(crypto::pqc::ml_kem_keygen(crypto::pqc::kMlKem768).ok());
  ASSERT_TRUE(deferred_state(Algorithm::kMlKem).passed);
  ASSERT_TRUE(run_post().ok());
  for (std::size_t i = 0; i < kDeferredAlgorithms; ++i) {
    const DeferredState st = deferred_state(static_cast<Algorithm>(i));
    EXPECT_FALSE(st.passed) << algorithm_name(static_cast<Algorithm>(i));
    EXPECT_EQ(st.runs, 0U);
  }
}

}  // namespace
}  // namespace craton::selftest
