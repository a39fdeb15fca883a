#include "selftest/pct.h"

#include <array>

#include "selftest/error_state.h"
#include "selftest/inject.h"

namespace craton::selftest {
namespace {

constexpr const char* kFailed = "pairwise consistency test failed";
constexpr std::array<std::uint8_t, 16> kProbe = {'C', 'r', 'a', 't', 'o', 'n', ' ', 'P',
                                                 'C', 'T', ' ', 'p', 'r', 'o', 'b', 'e'};

// The value handed to the second half of a test: `v`, or in the test module with `test` armed, a
// copy with one bit flipped, which the comparison must then catch.
std::vector<std::uint8_t> observed(const char* test, PctSpan v) {
  std::vector<std::uint8_t> out(v.begin(), v.end());
  if (CRATON_SELFTEST_INJECTED(test) && !out.empty()) out[out.size() / 2] ^= 0x01;
  (void)test;
  return out;
}

}  // namespace

Status pct_signature(const char* test, const PctSign& sign, const PctVerify& verify) {
  auto sig = sign(kProbe);
  if (!sig.ok() || !verify(kProbe, observed(test, *sig)).ok()) return latch_failure(test, kFailed);
  return ok_status();
}

Status pct_kem(const char* test, const PctEncaps& encaps, const PctDecaps& decaps) {
  auto enc = encaps();
  if (!enc.ok()) return latch_failure(test, kFailed);
  auto k = decaps(observed(test, enc->first));
  if (!k.ok() || !ct_equal(k->span(), enc->second.span())) return latch_failure(test, kFailed);
  return ok_status();
}

Status pct_public_key(const char* test, PctSpan recomputed, PctSpan generated) {
  const auto seen = observed(test, recomputed);
  if (seen.empty() || seen.size() != generated.size() || !ct_equal(seen, generated)) {
    return latch_failure(test, kFailed);
  }
  return ok_status();
}

}  // namespace craton::selftest
