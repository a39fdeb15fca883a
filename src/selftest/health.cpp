#include "selftest/health.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "crypto/ossl/random.h"
#include "selftest/error_state.h"
#include "selftest/inject.h"

namespace craton::selftest {
namespace {

std::mutex g_mu;
HealthMonitor g_monitor;  // REQUIRES: g_mu
// True while random_startup_test draws its samples (only C_Initialize runs it, under the library's
// exclusive lock).
std::atomic<bool> g_in_startup{false};

#if defined(CRATON_SELFTEST_INJECTION)
// Faulty streams for the test module, each built to trip exactly one test (see health.h):
//   rng.rct     all zeros (11 equal bytes come long before the APT's 126); rng.startup the same,
//               during the start-up test only;
//   rng.apt     00 00 c, c = 1, 2, ... 255, 1, ...: runs of two, consecutive blocks differ, and
//               since 3 does not divide 1024, at least two windows in three start on a 00 and
//               count about 683 of them;
//   rng.repeat  00 01 .. 0f repeated: no runs, each value 64 times per window, equal blocks.
void inject_fault(std::span<std::uint8_t> out) {
  const bool startup_fault = g_in_startup.load() && CRATON_SELFTEST_INJECTED("rng.startup");
  if (CRATON_SELFTEST_INJECTED("rng.rct") || startup_fault) {
    std::fill(out.begin(), out.end(), std::uint8_t{0});
  } else if (CRATON_SELFTEST_INJECTED("rng.apt")) {
    unsigned c = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (i % 3 != 2) {
        out[i] = 0;
      } else {
        c = c % 255 + 1;
        out[i] = static_cast<std::uint8_t>(c);
      }
    }
  } else if (CRATON_SELFTEST_INJECTED("rng.repeat")) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(i % 16);
  }
}
#endif

}  // namespace

const char* HealthMonitor::feed(std::span<const std::uint8_t> bytes) noexcept {
  for (const std::uint8_t b : bytes) {
    // §4.4.1: a run of kRctCutoff equal samples fails.
    if (rct_run_ > 0 && b == rct_value_) {
      if (++rct_run_ >= kRctCutoff) return "rng.rct";
    } else {
      rct_value_ = b;
      rct_run_ = 1;
    }
    // §4.4.2: the first sample of each window of kAptWindow samples is counted in that window.
    if (apt_seen_ == 0) {
      apt_value_ = b;
      apt_count_ = 1;
    } else if (b == apt_value_ && ++apt_count_ >= kAptCutoff) {
      return "rng.apt";
    }
    if (++apt_seen_ == kAptWindow) apt_seen_ = 0;
    // Consecutive 16-byte blocks must differ.
    cur_[cur_fill_++] = b;
    if (cur_fill_ == kBlockBytes) {
      if (have_prev_ && prev_ == cur_) return "rng.repeat";
      prev_ = cur_;
      have_prev_ = true;
      cur_fill_ = 0;
    }
  }
  return nullptr;
}

void HealthMonitor::reset() noexcept {
  OPENSSL_cleanse(prev_.data(), prev_.size());
  OPENSSL_cleanse(cur_.data(), cur_.size());
  rct_value_ = apt_value_ = 0;
  rct_run_ = apt_seen_ = apt_count_ = cur_fill_ = 0;
  have_prev_ = false;
}

Status check_random_output(std::span<std::uint8_t> out) {
#if defined(CRATON_SELFTEST_INJECTION)
  inject_fault(out);
#endif
  const char* failed = nullptr;
  {
    std::lock_guard lock(g_mu);
    failed = g_monitor.feed(out);
    if (failed != nullptr) g_monitor.reset();  // a fresh start after the operator re-initialises
  }
  if (failed == nullptr) return ok_status();
  OPENSSL_cleanse(out.data(), out.size());  // never released
  return latch_failure(failed, "continuous health test of the random source failed");
}

Status random_startup_test() {
  {
    std::lock_guard lock(g_mu);
    g_monitor.reset();
  }
  std::vector<std::uint8_t> samples(kAptWindow + kBlockBytes);
  g_in_startup.store(true);
  const Status s = crypto::random_bytes(samples);
  g_in_startup.store(false);
  OPENSSL_cleanse(samples.data(), samples.size());
  return s;
}

}  // namespace craton::selftest
