// Constant-time check of ML-KEM (FIPS 203) for the three parameter sets: key generation from a
// poisoned seed d || z, encapsulation with a poisoned m, decapsulation with dk_PKE and z poisoned,
// of the real ciphertext and of a modified one (the implicit-rejection path, Alg. 18 lines 9-11);
// the same through prepared keys (MlKemEncapsulationKey / MlKemDecapsulationKey, whose expansion
// decodes the secret ŝ and copies z once).
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

  // Prepared keys: encapsulation with m secret, decapsulation with dk_PKE and z secret (poisoned
  // before preparation, so the expanded ŝ and z carry the poison).
  auto ek_key = crypto::pqc::MlKemEncapsulationKey::prepare(p, kp->ek);
  expect(ek_key.ok(), P + " prepare ek succeeds");
  poison(dk.first(k384));
  poison(dk.last(32));
  auto dk_key = crypto::pqc::MlKemDecapsulationKey::prepare(p, dk);
  expect(dk_key.ok(), P + " prepare dk succeeds");
  if (!ek_key.ok() || !dk_key.ok()) return;
  auto enc2 = crypto::pqc::ml_kem_encaps_internal(*ek_key, m);
  expect(enc2.ok(), P + " prepared encaps succeeds");
  if (!enc2.ok()) return;
  expect_secret(enc2->shared_secret.span(), P + " K from prepared encaps");
  declassify(enc2->ciphertext);
  auto k2 = crypto::pqc::ml_kem_decaps(*dk_key, enc2->ciphertext);
  Bytes c2_bad = enc2->ciphertext;
  c2_bad[0] ^= 0x10;
  auto k2_reject = crypto::pqc::ml_kem_decaps(*dk_key, c2_bad);
  expect(k2.ok() && k2_reject.ok(), P + " prepared decaps succeeds");
  if (!k2.ok() || !k2_reject.ok()) return;
  expect_secret(k2->span(), P + " K from prepared decaps");
  expect_secret(k2_reject->span(), P + " K-bar from prepared decaps (rejection)");
  declassify(enc2->shared_secret.span());
  declassify(k2->span());
  declassify(k2_reject->span());
  expect(std::ranges::equal(k2->span(), enc2->shared_secret.span()), P + " prepared decaps K == encaps K");
  expect(std::ranges::equal(enc2->shared_secret.span(), enc->shared_secret.span()), P + " prepared encaps == byte-string encaps");
  expect(!std::ranges::equal(k2_reject->span(), enc2->shared_secret.span()), P + " prepared implicit rejection");
}

const Register kCases({
    {"ml_kem.ML-KEM-512", [] { check_ml_kem(crypto::pqc::kMlKem512); }},
    {"ml_kem.ML-KEM-768", [] { check_ml_kem(crypto::pqc::kMlKem768); }},
    {"ml_kem.ML-KEM-1024", [] { check_ml_kem(crypto::pqc::kMlKem1024); }},
});

}  // namespace
}  // namespace craton::ct
