// Constant-time checks with valgrind memcheck (label "ct"; see tests/ct/CMakeLists.txt).
//
// The idea: mark every secret input as *undefined* memory (poison). Memcheck tracks definedness
// bit by bit through every computation and reports a conditional jump or a memory address that
// depends on an undefined value. Secret-dependent arithmetic is not reported (it is what constant-
// time code does); a secret-dependent branch or table index is. Where the algorithm legitimately
// makes a secret-derived value public (ρ in a public key, a published signature, a rejection
// decision about discarded values), the library declassifies it with a client request, in builds
// with CRATON_VALGRIND_CT only. The harness declassifies outputs itself before it looks at them
// (a comparison of two secrets in the harness would otherwise be reported, correctly).
//
// Adding an algorithm: write ct_<alg>.cpp with a `const Register` object listing cases named
// "<alg>.<anything>" (see ct_ml_kem.cpp). CMake finds ct_*.cpp by glob and registers the ctest test
// ct.<alg>, which runs `craton_ct <alg>` under valgrind. A case:
//   1. makes its inputs (det_bytes: deterministic, so a failure reproduces) and poison()s the secret ones;
//   2. calls the library and checks the call succeeded (Result::ok() is public);
//   3. expect_secret() on outputs that must still carry the secret (proves the poison reached them:
//      the check cannot pass because nothing was poisoned) and expect_public() on values the library
//      is meant to declassify (proves the CRATON_VALGRIND_CT copy is the one linked);
//   4. declassify()s outputs before comparing them or feeding them on as public inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

namespace craton::ct {

// Marks bytes as secret (memcheck: undefined). REQUIRES running under valgrind to have an effect.
void poison(std::span<const std::uint8_t> bytes) noexcept;
// Marks bytes as public (memcheck: defined): the harness publishes an output or compares it.
void declassify(std::span<const std::uint8_t> bytes) noexcept;
// Silent queries (no memcheck report): whether any bit / no bit of `bytes` depends on a secret.
[[nodiscard]] bool is_secret(std::span<const std::uint8_t> bytes) noexcept;
[[nodiscard]] bool is_public(std::span<const std::uint8_t> bytes) noexcept;

// Functional expectations. `cond` must be public (a Result's ok(), an is_secret() verdict, a
// comparison of declassified bytes). A failed expectation fails the run (exit status 2).
void expect(bool cond, const std::string& what);
// Under valgrind only (no-ops with --native): `b` still carries the poisoned secret (at least one
// undefined bit), or is entirely public (the library declassified it).
void expect_secret(std::span<const std::uint8_t> b, const std::string& what);
void expect_public(std::span<const std::uint8_t> b, const std::string& what);

// n bytes of a fixed pseudo-random sequence (std::mt19937 seeded from `label`).
[[nodiscard]] std::vector<std::uint8_t> det_bytes(std::size_t n, const std::string& label);

struct Case {
  std::string name;  // "<alg>.<what>"; `craton_ct <alg>` runs every case named "<alg>.*"
  std::function<void()> run;
};

// Adds cases to the registry at static-initialisation time:
//   const craton::ct::Register kCases({{"ml_kem.ML-KEM-512", [] { ... }}, ...});
struct Register {
  Register(std::initializer_list<Case> cases);
};

}  // namespace craton::ct
