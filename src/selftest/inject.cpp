// The injection switch of the test module (see inject.h). Empty in every other build.
#include "selftest/inject.h"

#if defined(CRATON_SELFTEST_INJECTION)
#include <cstdlib>

namespace craton::selftest::inject {

bool armed(std::string_view test) noexcept {
  const char* v = std::getenv("CRATON_HSM_SELFTEST_INJECT");  // NOLINT(concurrency-mt-unsafe): tests only
  return v != nullptr && std::string_view(v) == test;
}

}  // namespace craton::selftest::inject
#endif
