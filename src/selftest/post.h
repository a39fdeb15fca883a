// The power-on self-tests (pre-operational tests, ISO/IEC 19790 AS10.03 - AS10.20), run by every
// C_Initialize before the library is created: the software integrity test, preceded by the
// known-answer test of its own algorithm (SHA-256 and HMAC-SHA-256), then the known-answer tests
// of the cheap algorithm families and the start-up test of the random source. The KATs of RSA,
// ML-KEM, ML-DSA and SLH-DSA are conditional tests run before the first use of their algorithm
// instead (deferred.h); run_post() re-arms them.
//
// Any failure enters the error state (error_state.h) and stops the run; a complete pass clears
// the error state, so C_Initialize (after C_Finalize, or again while in the error state) is how an
// operator asks for the self-tests on demand. docs/SELF_TESTS.md lists the tests and timings.
// Thread safety: run_post() must not run concurrently with itself or with cryptographic calls
// (C_Initialize holds the library's lifetime lock exclusively); post_tests() is immutable.
#pragma once

#include <chrono>
#include <span>

#include "common/result.h"

namespace craton::selftest {

struct SelfTest {
  const char* name;  // "integrity", "kat.sha2", ..., "rng.startup"
  Status (*run)();
};

// Every power-on test, in the order run_post() runs them (deferred_tests() are not among them).
std::span<const SelfTest> post_tests() noexcept;

struct PostReport {
  std::chrono::microseconds total{0};
  const char* failed = nullptr;  // the failing test's name, or null
};

// Runs post_tests(). On the first failure: enters the error state, logs the test and reason at
// ERROR level, and returns CKR_FIPS_SELF_TEST_FAILED. On success: leaves the error state and logs
// the duration at INFO level. `report` (optional) receives the duration and the failed test.
Status run_post(PostReport* report = nullptr);

}  // namespace craton::selftest
