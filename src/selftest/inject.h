// Failure injection for the self-tests, compiled in only with CRATON_SELFTEST_INJECTION.
//
// That macro is defined for exactly one target, the test module libcratonhsm_testhooks.so (see
// CMakeLists.txt), which compiles src/selftest/ a second time. In every other build the macro
// below is the constant `false`, so the release module contains neither the hook nor the names it
// compares (tests/build/selftest_release_check.sh checks the shipped binary for the variable name).
//
// In the test module, CRATON_HSM_SELFTEST_INJECT=<test name> (a name from selftest::post_tests(),
// "integrity", "rng.rct", "rng.apt", "rng.repeat" or "pct.<family>") makes that one test see
// corrupted data, so the test's own comparison must notice it.
//
// Include this header only from src/selftest/*.cpp: the macro's meaning differs between the two
// builds of those files, and nothing compiled once may depend on it.
#pragma once

#include <string_view>

#if defined(CRATON_SELFTEST_INJECTION)
namespace craton::selftest::inject {
// True when the environment asks for a failure of `test` (read at every call, so a test can
// change it between C_Initialize calls).
bool armed(std::string_view test) noexcept;
}  // namespace craton::selftest::inject
#define CRATON_SELFTEST_INJECTED(test) (::craton::selftest::inject::armed(test))
#else
#define CRATON_SELFTEST_INJECTED(test) false
#endif
