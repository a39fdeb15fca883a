#include "selftest/deferred.h"

#include <chrono>
#include <mutex>

#include "audit/audit.h"
#include "common/log.h"
#include "selftest/error_state.h"
#include "selftest/kat.h"

namespace craton::selftest {
namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): the KAT functions

constexpr std::array<DeferredTest, 5> kDeferred = {{
    {"kat.rsa_sign", kat_rsa_sign, Algorithm::kRsa},
    {"kat.rsa_oaep", kat_rsa_oaep, Algorithm::kRsa},
    {"kat.ml_kem", kat_ml_kem, Algorithm::kMlKem},
    {"kat.ml_dsa", kat_ml_dsa, Algorithm::kMlDsa},
    {"kat.slh_dsa", kat_slh_dsa, Algorithm::kSlhDsa},
}};

constexpr std::array<const char*, kDeferredAlgorithms> kNames = {"RSA", "ML-KEM", "ML-DSA", "SLH-DSA"};

constexpr Error kFailedBefore = fail(CKR_FIPS_SELF_TEST_FAILED, "the algorithm's self-test failed in this power-on");

// The verdict of one algorithm's CAST in this power-on. `mu` is held while the CAST runs, so
// concurrent first users wait on it for the verdict.
struct Verdict {
  std::mutex mu;
  bool failed = false;  // REQUIRES: mu
  unsigned runs = 0;    // REQUIRES: mu
};
std::array<Verdict, kDeferredAlgorithms> g_verdicts;

// Bit i set while this thread runs the CAST of Algorithm i: the test's own uses of its algorithm
// pass the gate.
thread_local std::uint32_t t_running = 0;

constexpr std::size_t slot_of(Algorithm a) noexcept { return static_cast<std::size_t>(a); }
constexpr std::uint32_t bit(Algorithm a) noexcept { return std::uint32_t{1} << slot_of(a); }

// Marks the CAST of `a` as running on this thread for the lifetime of the object.
class RunningOnThisThread {
 public:
  explicit RunningOnThisThread(Algorithm a) noexcept : bit_(bit(a)) { t_running |= bit_; }
  ~RunningOnThisThread() { t_running &= ~bit_; }
  RunningOnThisThread(const RunningOnThisThread&) = delete;
  RunningOnThisThread& operator=(const RunningOnThisThread&) = delete;

 private:
  std::uint32_t bit_;
};

// Runs every test of `a` in list order; the first failure latches the error state (run_one_test)
// and stops the group.
Status run_group(Algorithm a) {
  const RunningOnThisThread running(a);
  const auto start = std::chrono::steady_clock::now();
  for (const DeferredTest& t : kDeferred) {
    if (t.algorithm != a) continue;
    Status s = run_one_test(t.name, t.run);
    if (!s.ok()) {
      log::error("selftest", "self-test ", std::string_view(t.name), " failed before the first use of ",
                 std::string_view(kNames[slot_of(a)]));
      return s;
    }
    audit::record_selftest(t.name, std::nullopt, CKR_OK);
  }
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  log::info("selftest", "self-tests of ", std::string_view(kNames[slot_of(a)]), " passed before its first use in ",
            static_cast<long>(us.count()), " us");
  return ok_status();
}

}  // namespace

std::array<std::atomic<bool>, kDeferredAlgorithms> detail::g_cast_passed{};

std::span<const DeferredTest> deferred_tests() noexcept { return kDeferred; }

const char* algorithm_name(Algorithm a) noexcept {
  const char* name = kNames[slot_of(a)];
  return name;
}

Status detail::run_deferred(Algorithm a) {
  if ((t_running & bit(a)) != 0) return ok_status();  // the CAST's own use of its algorithm
  Verdict& v = g_verdicts[slot_of(a)];
  std::lock_guard lock(v.mu);  // a concurrent first user runs the CAST: wait for its verdict
  if (g_cast_passed[slot_of(a)].load(std::memory_order_acquire)) return ok_status();
  if (v.failed) return kFailedBefore;
  ++v.runs;
  Status s = fail(CKR_FIPS_SELF_TEST_FAILED, "self-test failed");
  try {
    s = run_group(a);
  } catch (...) {
    // Keep the default (run_one_test catches the tests' own exceptions; this is the audit record).
    s = latch_failure("deferred self-test", "self-test threw");
  }
  if (!s.ok()) {
    v.failed = true;
    return fail(CKR_FIPS_SELF_TEST_FAILED, s.error().reason);
  }
  g_cast_passed[slot_of(a)].store(true, std::memory_order_release);
  return ok_status();
}

DeferredState deferred_state(Algorithm a) noexcept {
  Verdict& v = g_verdicts[slot_of(a)];
  std::lock_guard lock(v.mu);
  return {g_cast_passed[slot_of(a)].load(std::memory_order_acquire), v.failed, v.runs};
}

void rearm_deferred_tests() noexcept {
  for (std::size_t i = 0; i < kDeferredAlgorithms; ++i) {
    std::lock_guard lock(g_verdicts[i].mu);
    g_cast_passed[i].store(false, std::memory_order_release);
    g_verdicts[i].failed = false;
    g_verdicts[i].runs = 0;
  }
}

}  // namespace craton::selftest
