// Constant-time check of ML-KEM (FIPS 203) for the three parameter sets: key generation from a
// poisoned seed d || z, encapsulation with a poisoned m, decapsulation with dk_PKE and z poisoned,
// of the real ciphertext and of a modified one (the implicit-rejection path, Alg. 18 lines 9-11).
// The library declassifies ρ (published in ek); everything else secret must stay secret.
#include <algorithm>
#include <string>
#include <vector>

#include "crypto/pqc/ml_kem.h"
#include "ct.h"

namespace craton::ct {
namespace {

using crypto::pqc::MlKemParams;
using Bytes = std::vector<std::uint8_t>;

void check_ml_kem(const MlKemParams& p) {
  const std::string P(p.name);
  const std::size_t k384 = 384 * std::size_t{p.k};  // ByteEncode_12 of a k-vector

  // KeyGen_internal(d, z) through the 64-byte seed form.
  Bytes seed = det_bytes(64, P + " d||z");
  poison(seed);
  auto kp = crypto::pqc::ml_kem_keygen_from_seed(p, seed);
  expect(kp.ok(), P + " keygen succeeds");
  if (!kp.ok()) return;
  const std::span<std::uint8_t> dk = kp->dk.span();
  expect_secret(dk.first(k384), P + " dk_PKE");
  expect_secret(dk.last(32), P + " z (in dk)");
  expect_secret(std::span(kp->ek).first(k384), P + " t-hat (ek before publication)");
  expect_public(std::span(kp->ek).last(32), P + " rho (in ek)");
  // ek is published: it, and the copy of ek and H(ek) inside dk, are public from here on.
  declassify(kp->ek);
  declassify(dk.subspan(k384, p.ek_bytes() + 32));

  // Encaps_internal(ek, m) with m secret.
  Bytes m = det_bytes(32, P + " m");
  poison(m);
  auto enc = crypto::pqc::ml_kem_encaps_internal(p, kp->ek, m);
  expect(enc.ok(), P + " encaps succeeds");
  if (!enc.ok()) return;
  expect_secret(enc->shared_secret.span(), P + " K from encaps");
  expect_secret(enc->ciphertext, P + " c (before it is sent)");
  declassify(enc->ciphertext);  // sent to the peer

  // Decaps (Alg. 21: §7.3 checks, then Alg. 18) with dk_PKE and z secret.
  poison(dk.first(k384));
  poison(dk.last(32));
  auto k_real = crypto::pqc::ml_kem_decaps(p, dk, enc->ciphertext);
  expect(k_real.ok(), P + " decaps succeeds");
  Bytes c_bad = enc->ciphertext;
  c_bad[c_bad.size() / 2] ^= 0x04;  // a modified ciphertext: implicit rejection
  auto k_reject = crypto::pqc::ml_kem_decaps(p, dk, c_bad);
  expect(k_reject.ok(), P + " decaps of a modified ciphertext succeeds (implicit rejection)");
  if (!k_real.ok() || !k_reject.ok()) return;
  expect_secret(k_real->span(), P + " K from decaps");
  expect_secret(k_reject->span(), P + " K-bar from decaps (rejection)");

  // Functional check on declassified copies: the real key matches, the rejection key does not.
  declassify(enc->shared_secret.span());
  declassify(k_real->span());
  declassify(k_reject->span());
  expect(std::ranges::equal(k_real->span(), enc->shared_secret.span()), P + " decaps K == encaps K");
  expect(!std::ranges::equal(k_reject->span(), enc->shared_secret.span()),
         P + " implicit rejection gives another key");
}

const Register kCases({
    {"ml_kem.ML-KEM-512", [] { check_ml_kem(crypto::pqc::kMlKem512); }},
    {"ml_kem.ML-KEM-768", [] { check_ml_kem(crypto::pqc::kMlKem768); }},
    {"ml_kem.ML-KEM-1024", [] { check_ml_kem(crypto::pqc::kMlKem1024); }},
});

}  // namespace
}  // namespace craton::ct
