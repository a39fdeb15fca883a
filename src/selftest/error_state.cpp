#include "selftest/error_state.h"

#include <atomic>
#include <mutex>

#include "audit/audit.h"
#include "common/log.h"

namespace craton::selftest {
namespace {

// The flag is what the hot path reads (one relaxed-enough atomic load per PKCS#11 call); the
// failure record beside it is only read for status and logs, so a plain mutex is enough.
std::atomic<bool> g_error{false};
std::mutex g_mu;
Failure g_first{nullptr, nullptr};  // REQUIRES: g_mu

}  // namespace

bool in_error_state() noexcept { return g_error.load(std::memory_order_acquire); }

std::optional<Failure> first_failure() noexcept {
  std::lock_guard lock(g_mu);
  if (g_first.test == nullptr) return std::nullopt;
  return g_first;
}

Error latch_failure(const char* test, const char* reason) noexcept {
  {
    std::lock_guard lock(g_mu);
    if (g_first.test == nullptr) g_first = Failure{test, reason};
    g_error.store(true, std::memory_order_release);
  }
  log::error("selftest", "self-test ", std::string_view(test), " failed: ", std::string_view(reason),
             "; the module is in the error state");
  try {
    audit::record_selftest(test, std::nullopt, CKR_FIPS_SELF_TEST_FAILED);  // docs/AUDIT.md
  } catch (...) {
    // Out of memory while recording: the failure is latched and logged all the same.
  }
  return fail(CKR_FIPS_SELF_TEST_FAILED, reason);
}

void clear_error_state() noexcept {
  std::lock_guard lock(g_mu);
  g_first = Failure{nullptr, nullptr};
  g_error.store(false, std::memory_order_release);
}

}  // namespace craton::selftest
