// Constant-time check of ML-DSA (FIPS 204) for the three parameter sets: key generation from a
// poisoned ξ; signing (hedged with a poisoned rnd, and deterministic) with the private key's K, s1,
// s2 and t0 poisoned, several messages so the rejection loop restarts. The library declassifies ρ,
// c̃, the restart decisions, RejBoundedPoly's rejections and the accepted signature (ml_dsa.h);
// everything else secret must stay secret.
#include <string>
#include <vector>

#include "crypto/pqc/ml_dsa.h"
#include "ct.h"

namespace craton::ct {
namespace {

using crypto::pqc::MlDsaParams;
using Bytes = std::vector<std::uint8_t>;

// skEncode layout: ρ (32) || K (32) || tr (64) || s1, s2, t0.
constexpr std::size_t kRho = 32, kK = 32, kTr = 64;

void poison_private_key(std::span<std::uint8_t> sk) {
  poison(sk.subspan(kRho, kK));                 // K
  poison(sk.subspan(kRho + kK + kTr));          // s1, s2, t0
}

void check_ml_dsa(const MlDsaParams& p) {
  const std::string P(p.name);

  Bytes xi = det_bytes(32, P + " xi");
  poison(xi);
  auto kp = crypto::pqc::ml_dsa_keygen_internal(p, xi);
  expect(kp.ok(), P + " keygen succeeds");
  if (!kp.ok()) return;
  const std::span<std::uint8_t> sk = kp->sk.span();
  expect_public(std::span(kp->pk).first(kRho), P + " rho (in pk)");
  expect_secret(std::span(kp->pk).subspan(kRho), P + " t1 (pk before publication)");
  expect_secret(sk.subspan(kRho, kK), P + " K");
  expect_secret(sk.subspan(kRho + kK + kTr), P + " s1, s2, t0");
  // pk is published; tr = H(pk) in sk is public too.
  declassify(kp->pk);
  declassify(sk.subspan(kRho + kK, kTr));

  const Bytes ctx = det_bytes(7, P + " ctx");
  for (int i = 0; i < 3; ++i) {
    const Bytes msg = det_bytes(static_cast<std::size_t>(33 * i), P + " msg " + std::to_string(i));
    Bytes rnd = det_bytes(32, P + " rnd " + std::to_string(i));
    poison(rnd);
    poison_private_key(sk);
    auto sig = crypto::pqc::ml_dsa_sign(p, sk, msg, ctx, std::span<const std::uint8_t>(rnd));
    expect(sig.ok(), P + " hedged sign succeeds");
    if (!sig.ok()) return;
    expect_public(*sig, P + " the accepted signature");
    declassify(*sig);
    expect(crypto::pqc::ml_dsa_verify(p, kp->pk, msg, ctx, *sig).ok(), P + " signature verifies");
  }
  poison_private_key(sk);
  auto det = crypto::pqc::ml_dsa_sign(p, sk, Bytes{}, Bytes{}, crypto::pqc::MlDsaHedge::kDeterministic);
  expect(det.ok(), P + " deterministic sign succeeds");
  if (!det.ok()) return;
  declassify(*det);
  expect(crypto::pqc::ml_dsa_verify(p, kp->pk, Bytes{}, Bytes{}, *det).ok(),
         P + " deterministic signature verifies");
}

const Register kCases({
    {"ml_dsa.ML-DSA-44", [] { check_ml_dsa(crypto::pqc::kMlDsa44); }},
    {"ml_dsa.ML-DSA-65", [] { check_ml_dsa(crypto::pqc::kMlDsa65); }},
    {"ml_dsa.ML-DSA-87", [] { check_ml_dsa(crypto::pqc::kMlDsa87); }},
});

}  // namespace
}  // namespace craton::ct
