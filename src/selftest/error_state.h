// The FIPS 140-3 error state (ISO/IEC 19790 AS10.07 - AS10.12): a process-wide latch set by any
// failed self-test (power-on, pairwise consistency, random-source health).
//
// While it is set the ABI answers only the status functions (abi/guard.h lists them) and every
// other call gets CKR_GENERAL_ERROR, so nothing is signed, decrypted or otherwise output.
// Only a complete power-on self-test that passes clears it (selftest/post.h), which is what
// C_Initialize runs: an operator leaves the error state by re-initialising the module.
// Thread safety: every function may be called from any thread at any time.
#pragma once

#include <optional>

#include "common/result.h"

namespace craton::selftest {

// True once a self-test has failed, until a passing power-on self-test clears it.
[[nodiscard]] bool in_error_state() noexcept;

// Which test failed first and why; both are static strings.
struct Failure {
  const char* test;
  const char* reason;
};
[[nodiscard]] std::optional<Failure> first_failure() noexcept;

// Enters the error state (the first failure is the one remembered), logs the failure at ERROR
// level and returns CKR_FIPS_SELF_TEST_FAILED with `reason`, for the caller to pass on.
// REQUIRES: `test` and `reason` are string literals.
Error latch_failure(const char* test, const char* reason) noexcept;

// Leaves the error state. Only the power-on self-test runner calls it, after every test passed.
void clear_error_state() noexcept;

}  // namespace craton::selftest
