// Unit tests of the SP 800-90B health tests (src/selftest/health.h) on their own monitor
// instances: stuck and biased sequences trip exactly the expected test at the expected sample,
// and a healthy generator never trips them.
#include <gtest/gtest.h>

#include <openssl/rand.h>

#include <set>
#include <string>
#include <vector>

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
  std::set<std::string> names;
  for (const auto& t : post_tests()) EXPECT_TRUE(names.insert(t.name).second) << t.name;
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

}  // namespace
}  // namespace craton::selftest
