// Constant-time check of SLH-DSA (FIPS 205): key generation with SK.seed and SK.prf poisoned, and
// signing (hedged with a poisoned addrnd, and deterministic) with the private key's SK.seed and
// SK.prf poisoned, then the private-key check. The library declassifies only what FIPS 205 makes
// public (slh_dsa.h): PK.root, R (and with it the digest, the FORS indices, idx_tree, idx_leaf),
// the FORS public key and the XMSS roots the hypertree signs (a verifier recomputes them), the
// finished signature, and the verdicts of the PK.root comparisons. Sets: SHA2-128f (SHA-256
// throughout), SHA2-192f (SHA-512 for H, T_l, H_msg and HMAC PRF_msg) and SHAKE-128f; the 's' sets
// run the same code with other tree shapes, only slower.
#include <string>
#include <vector>

#include "crypto/pqc/slh_dsa.h"
#include "ct.h"

namespace craton::ct {
namespace {

using crypto::pqc::SlhDsaParams;
using Bytes = std::vector<std::uint8_t>;

// sk = SK.seed || SK.prf || PK.seed || PK.root: the first 2n bytes are secret.
void poison_private_key(const SlhDsaParams& p, std::span<std::uint8_t> sk) { poison(sk.first(2 * p.n)); }

void check_slh_dsa(const SlhDsaParams& p) {
  const std::string P(p.name);
  const std::size_t n = p.n;

  Bytes sk_seed = det_bytes(n, P + " SK.seed");
  Bytes sk_prf = det_bytes(n, P + " SK.prf");
  const Bytes pk_seed = det_bytes(n, P + " PK.seed");
  poison(sk_seed);
  poison(sk_prf);
  auto kp = crypto::pqc::slh_dsa_keygen_internal(p, sk_seed, sk_prf, pk_seed);
  expect(kp.ok(), P + " keygen succeeds");
  if (!kp.ok()) return;
  const std::span<std::uint8_t> sk = kp->sk.span();
  expect_public(kp->pk, P + " public key (PK.seed || PK.root)");
  expect_secret(sk.first(n), P + " SK.seed");
  expect_secret(sk.subspan(n, n), P + " SK.prf");

  const Bytes ctx = det_bytes(5, P + " ctx");
  for (int i = 0; i < 2; ++i) {
    const Bytes msg = det_bytes(static_cast<std::size_t>(40 * i + 3), P + " msg " + std::to_string(i));
    Bytes addrnd = det_bytes(n, P + " addrnd " + std::to_string(i));
    poison(addrnd);
    poison_private_key(p, sk);
    auto sig = crypto::pqc::slh_dsa_sign(p, sk, msg, ctx, std::span<const std::uint8_t>(addrnd));
    expect(sig.ok(), P + " hedged sign succeeds");
    if (!sig.ok()) return;
    expect_public(*sig, P + " the signature");
    expect_secret(sk.first(2 * n), P + " SK.seed, SK.prf after signing");
    expect(crypto::pqc::slh_dsa_verify(p, kp->pk, msg, ctx, *sig).ok(), P + " signature verifies");
  }
  poison_private_key(p, sk);
  const Bytes ph(32, 0x42);
  auto det = crypto::pqc::hash_slh_dsa_sign(p, sk, ph, Bytes{}, crypto::pqc::PreHash::kSha256,
                                            crypto::pqc::SlhDsaHedge::kDeterministic);
  expect(det.ok(), P + " deterministic pre-hash sign succeeds");
  if (!det.ok()) return;
  expect_public(*det, P + " the deterministic signature");
  expect(crypto::pqc::hash_slh_dsa_verify(p, kp->pk, ph, Bytes{}, crypto::pqc::PreHash::kSha256, *det).ok(),
         P + " deterministic signature verifies");

  poison_private_key(p, sk);
  expect(crypto::pqc::slh_dsa_check_private_key(p, sk).ok(), P + " private key check passes");
}

const Register kCases({
    {"slh_dsa.SLH-DSA-SHA2-128f", [] { check_slh_dsa(crypto::pqc::kSlhDsaSha2_128f); }},
    {"slh_dsa.SLH-DSA-SHA2-192f", [] { check_slh_dsa(crypto::pqc::kSlhDsaSha2_192f); }},
    {"slh_dsa.SLH-DSA-SHAKE-128f", [] { check_slh_dsa(crypto::pqc::kSlhDsaShake128f); }},
});

}  // namespace
}  // namespace craton::ct
