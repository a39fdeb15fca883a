// Deferred conditional self-tests (ISO/IEC 19790 AS10.27): the known-answer tests of the
// expensive algorithms run before the FIRST OPERATIONAL USE of their algorithm after power-on
// (C_Initialize), not in the power-on self-test. docs/adr/0009-deferred-self-tests.md explains the
// choice; docs/SELF_TESTS.md lists which tests run when.
//
// Every entry point of the crypto layer that computes with such an algorithm (key generation,
// sign, verify, encapsulate, decapsulate, encrypt, decrypt, key agreement, import checks)
// starts with
//
//     CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlDsa));
//
// Once the algorithm's CAST has passed in this power-on, that is one acquire load of an atomic
// flag. Before that, the first caller runs the algorithm's tests (deferred_tests() with that
// algorithm) while concurrent first callers wait for its verdict; the test runs exactly once per
// power-on. A failure latches the error state (error_state.h) exactly as a failed power-on test
// does, is audited, and the call returns CKR_FIPS_SELF_TEST_FAILED; so does every later use of
// that algorithm that still reaches the crypto layer (the ABI refuses the others first).
// run_post() re-arms every deferred test, so C_Finalize + C_Initialize (the on-demand self-test)
// makes each one run again before its algorithm's next use.
//
// The tests themselves use their algorithm (a KAT signs with ML-DSA): calls made by the thread
// that runs an algorithm's CAST, while it runs it, pass the gate of that algorithm. A CAST may use
// another deferred algorithm (its CAST then runs first, nested); no two CASTs may need each other.
//
// Thread safety: before_use() and deferred_state() may be called from any thread at any time;
// rearm_deferred_tests() must not run concurrently with cryptographic calls (run_post's rule).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"

namespace craton::selftest {

// The algorithm families whose CASTs are deferred to first use.
enum class Algorithm : std::uint8_t {
  kRsa,     // kat.rsa_sign, kat.rsa_oaep: every RSA signature, verification, en/decryption, key generation
  kMlKem,   // kat.ml_kem: ML-KEM key generation, encapsulation, decapsulation, key checks
  kMlDsa,   // kat.ml_dsa: ML-DSA key generation, signing, verification, private-key import check
  kSlhDsa,  // kat.slh_dsa: SLH-DSA key generation, signing, verification, private-key import check
};
inline constexpr std::size_t kDeferredAlgorithms = 4;

struct DeferredTest {
  const char* name;  // "kat.ml_dsa", ... (also the CRATON_HSM_SELFTEST_INJECT name)
  Status (*run)();
  Algorithm algorithm;
};

// Every deferred test, grouped by algorithm in the order the group runs them.
std::span<const DeferredTest> deferred_tests() noexcept;

// "RSA", "ML-KEM", ... for logs.
const char* algorithm_name(Algorithm a) noexcept;

namespace detail {
// Set (release) when the algorithm's CAST has passed in this power-on; cleared by re-arming.
extern std::array<std::atomic<bool>, kDeferredAlgorithms> g_cast_passed;
// The slow path of before_use(): runs the CAST or waits for the thread running it.
Status run_deferred(Algorithm a);
}  // namespace detail

// The gate: OK when `a` may be used now; otherwise CKR_FIPS_SELF_TEST_FAILED (its CAST failed in
// this power-on, now or earlier). Call it before computing anything with `a`.
[[nodiscard]] inline Status before_use(Algorithm a) {
  if (detail::g_cast_passed[static_cast<std::size_t>(a)].load(std::memory_order_acquire)) [[likely]] {
    return ok_status();
  }
  return detail::run_deferred(a);
}

// What happened to an algorithm's CAST in this power-on (for status, logs and tests).
struct DeferredState {
  bool passed = false;
  bool failed = false;
  unsigned runs = 0;  // how often the CAST ran since the last re-arm (at most 1)
};
[[nodiscard]] DeferredState deferred_state(Algorithm a) noexcept;

// Forgets every verdict: each deferred CAST runs again before its algorithm's next use. Called by
// run_post() (every C_Initialize). REQUIRES: no cryptographic call in progress.
void rearm_deferred_tests() noexcept;

}  // namespace craton::selftest
