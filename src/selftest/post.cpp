#include "selftest/post.h"

#include <array>

#include "audit/audit.h"
#include "common/log.h"
#include "selftest/deferred.h"
#include "selftest/error_state.h"
#include "selftest/health.h"
#include "selftest/integrity.h"
#include "selftest/kat.h"

namespace craton::selftest {
namespace {

using namespace detail;  // NOLINT(google-build-using-namespace): the KAT functions

// SHA-2 and HMAC come first: the integrity test relies on HMAC-SHA-256 (AS10.20). The remaining
// order puts the dependencies of later tests first (hashes before the signatures that use them).
// The expensive KATs (RSA, ML-KEM, ML-DSA, SLH-DSA) are not here: they run before the first use of
// their algorithm (deferred.h, docs/adr/0009-deferred-self-tests.md).
constexpr std::array<SelfTest, 20> kTests = {{
    {"kat.sha2", kat_sha2},
    {"kat.hmac", kat_hmac},
    {"integrity", run_integrity_test},
    {"kat.sha1", kat_sha1},
    {"kat.sha3", kat_sha3},
    {"kat.aes_ecb", kat_aes_ecb},
    {"kat.aes_cbc", kat_aes_cbc},
    {"kat.aes_ctr", kat_aes_ctr},
    {"kat.aes_gcm", kat_aes_gcm},
    {"kat.aes_ccm", kat_aes_ccm},
    {"kat.aes_kw", kat_aes_kw},
    {"kat.cmac", kat_cmac},
    {"kat.chacha20_poly1305", kat_chacha20_poly1305},
    {"kat.hkdf", kat_hkdf},
    {"kat.pbkdf2", kat_pbkdf2},
    {"kat.drbg", kat_drbg},
    {"rng.startup", random_startup_test},
    {"kat.ecdsa", kat_ecdsa},
    {"kat.eddsa", kat_eddsa},
    {"kat.ecdh", kat_ecdh},
}};

}  // namespace

// A test may fail by mismatch (CKR_FIPS_SELF_TEST_FAILED) or because the code under test returned
// an error of its own: both are failures of that test, reported with the reason it gave.
Status detail::run_one_test(const char* name, Status (*run)()) {
  const auto test_start = std::chrono::steady_clock::now();
  Status s = fail(CKR_GENERAL_ERROR, "self-test threw");
  try {
    s = run();
  } catch (...) {
    // Keep the default: an exception (e.g. bad_alloc) is a failed test, never an escape.
  }
  if (log::enabled(log::Level::Debug)) {
    const auto us = std::chrono::steady_clock::now() - test_start;
    log::debug("selftest", std::string_view(name), ": ",
               static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(us).count()), " us");
  }
  if (s.ok()) return s;
  const char* reason = s.error().reason[0] != '\0' ? s.error().reason : "self-test failed";
  return latch_failure(name, reason);
}

std::span<const SelfTest> post_tests() noexcept { return kTests; }

Status run_post(PostReport* report) {
  const auto start = std::chrono::steady_clock::now();
  // A new run decides afresh; C_Initialize holds every other call out meanwhile. The deferred
  // tests are re-armed: each runs again before its algorithm's next use (the on-demand rule).
  clear_error_state();
  rearm_deferred_tests();
  for (const SelfTest& t : kTests) {
    Status s = detail::run_one_test(t.name, t.run);
    if (!s.ok()) {
      if (report != nullptr) report->failed = t.name;
      log::error("selftest", "power-on self-tests failed at ", std::string_view(t.name));
      audit::record_selftest("post", std::nullopt, CKR_FIPS_SELF_TEST_FAILED);  // after the test's own record
      return s;
    }
  }
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  if (report != nullptr) report->total = us;
  log::info("selftest", "power-on self-tests passed: ", kTests.size(), " tests in ",
            static_cast<long>(us.count()), " us; ", deferred_tests().size(), " more run before first use");
  audit::record_selftest("post", std::nullopt, CKR_OK);  // kept until the audit log opens
  return ok_status();
}

}  // namespace craton::selftest
