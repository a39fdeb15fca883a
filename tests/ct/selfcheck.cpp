// Deliberately leaky cases: they prove the checker is live, so the ct.<alg> tests cannot pass
// vacuously (valgrind not really checking, poison not applied, taint lost in the library). Run only
// with `craton_ct --expect-leaks selfcheck.<name>`; each ctest test ct.selfcheck.<name> requires
// memcheck to report the error kind named in tests/ct/CMakeLists.txt, in this file.
#include <cstdio>
#include <vector>

#include "crypto/pqc/ml_kem.h"
#include "ct.h"

namespace craton::ct {
namespace {

volatile int g_sink = 0;

[[gnu::noinline]] void taken() { g_sink = g_sink + 1; }
[[gnu::noinline]] void not_taken() { g_sink = g_sink - 1; }

// A branch on a secret byte (memcheck: "Conditional jump or move depends on uninitialised value").
[[gnu::noinline]] void leaky_branch(const std::uint8_t* secret) {
  if (*secret & 0x80) taken();
  else not_taken();
}

// A table index from a secret byte (memcheck: "Use of uninitialised value of size 8").
[[gnu::noinline]] int leaky_index(const std::uint8_t* secret) {
  static volatile int table[256] = {};  // NOLINT(*-avoid-c-arrays): a volatile lookup table
  return table[*secret];
}

const Register kCases({
    {"selfcheck.branch",
     [] {
       std::vector<std::uint8_t> s = det_bytes(1, "branch");
       poison(s);
       leaky_branch(s.data());
     }},
    {"selfcheck.index",
     [] {
       std::vector<std::uint8_t> s = det_bytes(1, "index");
       poison(s);
       g_sink = leaky_index(s.data());
     }},
    // The poison travels through the library: a branch on a byte of dk_PKE after key generation
    // from a poisoned seed is reported (so is_secret()/expect_secret() see real taint).
    {"selfcheck.taint",
     [] {
       std::vector<std::uint8_t> seed = det_bytes(64, "taint");
       poison(seed);
       auto kp = crypto::pqc::ml_kem_keygen_from_seed(crypto::pqc::kMlKem768, seed);
       expect(kp.ok(), "ML-KEM-768 keygen succeeds");
       if (kp.ok()) leaky_branch(kp->dk.data() + 100);
     }},
});

}  // namespace
}  // namespace craton::ct
