// Continuous health tests on the module's random source (src/crypto/ossl/random.cpp).
//
// Boundary: the module's random bits come from OpenSSL's CTR_DRBG (AES-256) in the module's
// library context, seeded by the operating system (getrandom()). The OS entropy source lies
// outside the module's boundary (a Level 1 software module; an entropy certificate or a caveat on
// key strength covers it). What the module can and does watch is the stream its DRBG hands out:
//
//   * SP 800-90B §4.4.1 Repetition Count Test and §4.4.2 Adaptive Proportion Test, on bytes
//     (non-binary samples, APT window W = 1024), with a false-positive probability α = 2^-40 per
//     sample under an assessed min-entropy of H = 4 bits per byte — deliberately half of what an
//     ideal generator gives, so that a healthy DRBG (H ≈ 8) trips them with probability about
//     2^-80 (RCT) and far less (APT) per sample: never, in practice.
//       RCT cutoff C = 1 + ⌈-log2 α / H⌉ = 1 + ⌈40 / 4⌉ = 11 equal bytes in a row.
//       APT cutoff C = 1 + CRITBINOM(1024, 2^-4, 1 - 2^-40) = 126 occurrences of the window's
//       first byte among its 1024 samples (computed exactly with rational arithmetic).
//   * a comparison of consecutive 16-byte output blocks (the stream cut into blocks across calls):
//     two equal consecutive blocks (probability 2^-128 when healthy) fail.
//
// To compare blocks the monitor keeps the previous 16 output bytes. They are no more sensitive
// than the DRBG's own state, which sits in the same process memory and predicts every output.
// Thread safety: one process-wide monitor behind a mutex; safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"

namespace craton::selftest {

inline constexpr std::size_t kRctCutoff = 11;
inline constexpr std::size_t kAptWindow = 1024;
inline constexpr std::size_t kAptCutoff = 126;
inline constexpr std::size_t kBlockBytes = 16;

// The three tests over one byte stream. Not thread-safe by itself (the module's instance is
// guarded by check_random_output's lock); unit tests drive their own instances.
class HealthMonitor {
 public:
  // Runs every byte of `bytes` through the tests. Returns the name of the first test that fails
  // ("rng.rct", "rng.apt" or "rng.repeat"), or nullptr. After a failure the monitor must be reset.
  const char* feed(std::span<const std::uint8_t> bytes) noexcept;
  void reset() noexcept;
  ~HealthMonitor() { reset(); }

 private:
  // RCT
  std::uint8_t rct_value_ = 0;
  std::size_t rct_run_ = 0;
  // APT
  std::uint8_t apt_value_ = 0;
  std::size_t apt_seen_ = 0;  // samples of the current window so far (0 = next one starts it)
  std::size_t apt_count_ = 0;
  // consecutive blocks
  std::array<std::uint8_t, kBlockBytes> prev_{};
  std::array<std::uint8_t, kBlockBytes> cur_{};
  std::size_t cur_fill_ = 0;
  bool have_prev_ = false;
};

// Checks bytes just produced by the module's DRBG. A failed test enters the error state and
// returns CKR_FIPS_SELF_TEST_FAILED; the caller must then not release `out`.
// (In the test module an armed "rng.rct", "rng.apt", "rng.repeat" or "rng.startup" replaces `out`
// with a faulty stream first, which the real tests must catch.)
[[nodiscard]] Status check_random_output(std::span<std::uint8_t> out);

// SP 800-90B §4.3 start-up test, part of the power-on self-tests: resets the monitor and runs
// 1024 fresh samples (plus block comparisons) through it.
[[nodiscard]] Status random_startup_test();

}  // namespace craton::selftest
