// craton_ct: the registry, the poison helpers and main() of the constant-time checks (ct.h).
//
//   craton_ct [--list] [--expect-leaks] [--native] <alg | case>...
//
// Runs the cases named "<alg>.*" (or exactly <case>); no argument runs every case except the
// self-checks ("selfcheck.*": deliberately leaky, run only with --expect-leaks). Refuses to run
// outside valgrind (poisoning would be a no-op and the check vacuous) unless --native is given
// (functional checks only, for debugging). Exit status: 0 when every selected case ran and met
// its expectations, 2 otherwise; valgrind's --error-exitcode reports memcheck findings.
#include <valgrind/memcheck.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <random>
#include <string_view>

#include "ct.h"

namespace craton::ct {
namespace {

std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

int g_failures = 0;

bool selected(const Case& c, const std::vector<std::string>& names, bool expect_leaks) {
  const bool selfcheck = c.name.rfind("selfcheck.", 0) == 0;
  if (selfcheck && !expect_leaks) return false;
  if (names.empty()) return !selfcheck;
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
    return c.name == n || c.name.rfind(n + ".", 0) == 0;
  });
}

}  // namespace

Register::Register(std::initializer_list<Case> cases) {
  registry().insert(registry().end(), cases.begin(), cases.end());
}

void poison(std::span<const std::uint8_t> b) noexcept {
  (void)VALGRIND_MAKE_MEM_UNDEFINED(b.data(), b.size());
}

void declassify(std::span<const std::uint8_t> b) noexcept {
  (void)VALGRIND_MAKE_MEM_DEFINED(b.data(), b.size());
}

namespace {
// The V bits of `b` (memcheck: a set bit is an undefined bit); empty when not under valgrind.
std::vector<std::uint8_t> vbits(std::span<const std::uint8_t> b) {
  std::vector<std::uint8_t> v(b.size());
  if (VALGRIND_GET_VBITS(b.data(), v.data(), b.size()) != 1) return {};
  return v;
}
}  // namespace

bool is_secret(std::span<const std::uint8_t> b) noexcept {
  const std::vector<std::uint8_t> v = vbits(b);
  return std::any_of(v.begin(), v.end(), [](std::uint8_t x) { return x != 0; });
}

bool is_public(std::span<const std::uint8_t> b) noexcept {
  const std::vector<std::uint8_t> v = vbits(b);
  return v.size() == b.size() && std::all_of(v.begin(), v.end(), [](std::uint8_t x) { return x == 0; });
}

void expect(bool cond, const std::string& what) {
  if (cond) return;
  ++g_failures;
  std::fprintf(stderr, "[ct]   FAILED expectation: %s\n", what.c_str());
}

void expect_secret(std::span<const std::uint8_t> b, const std::string& what) {
  if (RUNNING_ON_VALGRIND != 0) expect(is_secret(b), what + " still depends on the poisoned secret");
}

void expect_public(std::span<const std::uint8_t> b, const std::string& what) {
  if (RUNNING_ON_VALGRIND != 0)
    expect(is_public(b), what + " is declassified by the library (the CRATON_VALGRIND_CT copy)");
}

std::vector<std::uint8_t> det_bytes(std::size_t n, const std::string& label) {
  std::seed_seq seq(label.begin(), label.end());
  std::mt19937 gen(seq);
  std::vector<std::uint8_t> out(n);
  for (std::uint8_t& x : out) x = static_cast<std::uint8_t>(gen());
  return out;
}

namespace {

int run_main(int argc, char** argv) {
  bool list = false, expect_leaks = false, native = false;
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--list") list = true;
    else if (a == "--expect-leaks") expect_leaks = true;
    else if (a == "--native") native = true;
    else if (a.substr(0, 2) == "--") {
      std::fprintf(stderr, "usage: craton_ct [--list] [--expect-leaks] [--native] <alg | case>...\n");
      return 2;
    } else names.emplace_back(a);
  }
  std::vector<Case> cases;
  for (const Case& c : registry())
    if (selected(c, names, expect_leaks || list)) cases.push_back(c);
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  if (list) {
    for (const Case& c : cases) std::printf("%s\n", c.name.c_str());
    return 0;
  }
  if (cases.empty()) {
    std::fprintf(stderr, "craton_ct: no case selected\n");
    return 2;
  }
  if (RUNNING_ON_VALGRIND == 0 && !native) {
    std::fprintf(stderr, "craton_ct: not running under valgrind (poisoning would check nothing); "
                         "run `valgrind --error-exitcode=1 craton_ct ...`, or pass --native for "
                         "the functional checks alone\n");
    return 2;
  }
  for (const Case& c : cases) {
    const int failures_before = g_failures;
    const unsigned errors_before = VALGRIND_COUNT_ERRORS;
    const auto start = std::chrono::steady_clock::now();
    std::printf("[ct] %s\n", c.name.c_str());
    std::fflush(stdout);
    try {
      c.run();
    } catch (const std::exception& e) {
      expect(false, std::string("exception: ") + e.what());
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const unsigned errors = VALGRIND_COUNT_ERRORS - errors_before;
    std::printf("[ct] %s: %s, %u memcheck error(s), %.0f ms\n", c.name.c_str(),
                g_failures == failures_before ? "ok" : "EXPECTATION FAILED", errors, ms);
    std::fflush(stdout);
  }
  std::printf("[ct] %zu case(s), %d failed expectation(s), %u memcheck error(s) in total\n",
              cases.size(), g_failures, VALGRIND_COUNT_ERRORS);
  return g_failures == 0 ? 0 : 2;
}

}  // namespace
}  // namespace craton::ct

int main(int argc, char** argv) {
  try {
    return craton::ct::run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "craton_ct: %s\n", e.what());
    return 2;
  }
}
