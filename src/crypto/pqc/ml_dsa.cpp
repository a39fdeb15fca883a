// ML-DSA (FIPS 204): Alg. 1-8, on top of ml_dsa_poly / ml_dsa_sample / ml_dsa_encode.
#include "crypto/pqc/ml_dsa.h"

#include <algorithm>
#include <initializer_list>

#include "crypto/ossl/random.h"
#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_dsa_encode.h"
#include "crypto/pqc/ml_dsa_poly.h"
#include "crypto/pqc/ml_dsa_sample.h"
#include "selftest/deferred.h"

namespace craton::crypto::pqc {
namespace {

using mldsa::Poly;
using mldsa::PolyVec;
using mldsa::SecretPolyVec;
using Bytes = std::span<const std::uint8_t>;


// H(pieces..., out.size()) with H = SHAKE256.
void h_concat(std::initializer_list<Bytes> pieces, std::span<std::uint8_t> out) noexcept {
  Shake256 h;
  for (Bytes b : pieces) h.absorb(b);
  h.squeeze(out);
}

void ntt_all(std::span<Poly> v) noexcept {
  for (Poly& p : v) mldsa::ntt(p);
}

// out[i] = NTT^-1(Σ_j Â[i][j] ∘ v̂[j]), frozen to [0, q).
void matrix_vector_ntt(const MlDsaParams& p, const PolyVec& a_hat, std::span<const Poly> v_hat,
                       std::span<Poly> out) noexcept {
  const auto l = static_cast<std::size_t>(p.l);
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.k); ++i) {
    Poly& acc = out[i];
    mldsa::pointwise_montgomery(acc, a_hat[i * l], v_hat[0]);
    for (std::size_t j = 1; j < l; ++j) mldsa::pointwise_acc_montgomery(acc, a_hat[i * l + j], v_hat[j]);
    mldsa::ntt_inverse(acc);
    mldsa::poly_freeze(acc);
  }
}

// out[i] = NTT^-1(ĉ ∘ v̂[i]) in centered form (the true values are small: |c·v| ≤ τ·‖v‖∞).
void scalar_times_vec(const Poly& c_hat, std::span<const Poly> v_hat, std::span<Poly> out) noexcept {
  for (std::size_t i = 0; i < v_hat.size(); ++i) {
    mldsa::pointwise_montgomery(out[i], c_hat, v_hat[i]);
    mldsa::ntt_inverse(out[i]);
    for (auto& x : out[i]) x = mldsa::center(mldsa::caddq(x));
  }
}

// All secret polynomials of one signing operation in a single zeroizing allocation (large secure
// allocations cost an mlock/madvise pair each, so one is made per signature, not per iteration).
class SignWorkspace {
 public:
  explicit SignWorkspace(const MlDsaParams& p)
      : buf_(static_cast<std::size_t>(4 * p.l + 6 * p.k)) {
    const auto k = static_cast<std::size_t>(p.k);
    const auto l = static_cast<std::size_t>(p.l);
    std::span<Poly> all(buf_);
    auto take = [&all](std::size_t n) {
      std::span<Poly> part = all.first(n);
      all = all.subspan(n);
      return part;
    };
    s1_hat = take(l);
    s2_hat = take(k);
    t0_hat = take(k);
    y = take(l);
    y_hat = take(l);
    cs1 = take(l);
    w = take(k);
    w1 = take(k);
    cs2 = take(k);
    ct0 = take(k);
  }
  SignWorkspace(const SignWorkspace&) = delete;
  SignWorkspace& operator=(const SignWorkspace&) = delete;

  SecureBytes seeds;  // ρ || K || tr
  PolyVec a_hat;      // public
  std::span<Poly> s1_hat, s2_hat, t0_hat, y, y_hat, cs1, w, w1, cs2, ct0;

 private:
  SecretPolyVec buf_;
};

Status check_context(Bytes ctx) {
  if (ctx.size() > kMlDsaMaxContextBytes)
    return fail(CKR_MECHANISM_PARAM_INVALID, "ML-DSA context longer than 255 bytes");
  return ok_status();
}

Status check_prehash(Bytes ph_m, MlDsaPreHash ph) {
  if (ph_m.size() != ml_dsa_prehash_bytes(ph))
    return fail(CKR_DATA_LEN_RANGE, "HashML-DSA pre-hash length does not match its hash");
  return ok_status();
}

// μ = H(tr || pieces..., 64) where tr = H(pk, 64).
std::array<std::uint8_t, kMlDsaMuBytes> mu_from_pk(Bytes pk, std::initializer_list<Bytes> pieces) {
  std::array<std::uint8_t, kMlDsaTrBytes> tr{};
  h_concat({pk}, tr);
  Shake256 h;
  h.absorb(tr);
  for (Bytes b : pieces) h.absorb(b);
  std::array<std::uint8_t, kMlDsaMuBytes> mu{};
  h.squeeze(mu);
  return mu;
}

// Alg. 7 given μ (computing μ = H(tr || M', 64) is left to the callers, which know tr or get μ).
Result<std::vector<std::uint8_t>> sign_from_mu(const MlDsaParams& p, Bytes sk, Bytes mu, Bytes rnd);

Result<std::vector<std::uint8_t>> sign_with_prefix(const MlDsaParams& p, Bytes sk,
                                                   std::initializer_list<Bytes> m_prime, Bytes rnd) {
  if (sk.size() != p.sk_bytes) return fail(CKR_KEY_SIZE_RANGE, "ML-DSA private key has the wrong length");
  std::array<std::uint8_t, kMlDsaMuBytes> mu{};
  Shake256 h;
  h.absorb(sk.subspan(64, kMlDsaTrBytes));  // tr, public (a hash of pk)
  for (Bytes b : m_prime) h.absorb(b);
  h.squeeze(mu);
  return sign_from_mu(p, sk, mu, rnd);
}

bool verify_from_mu(const MlDsaParams& p, Bytes pk, Bytes mu, Bytes sigma);

// One iteration of Alg. 7's rejection loop. Returns the signature, or an empty vector when
// this κ is rejected (the only information the loop's timing reveals).
std::vector<std::uint8_t> sign_attempt(const MlDsaParams& p, SignWorkspace& ws, Bytes mu,
                                       Bytes rho_pp, int kappa) {
  const auto k = static_cast<std::size_t>(p.k);
  const auto l = static_cast<std::size_t>(p.l);
  mldsa::expand_mask(p, rho_pp, kappa, ws.y);
  std::copy(ws.y.begin(), ws.y.end(), ws.y_hat.begin());
  ntt_all(ws.y_hat);
  matrix_vector_ntt(p, ws.a_hat, ws.y_hat, ws.w);

  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < mldsa::kN; ++j) ws.w1[i][j] = mldsa::high_bits(ws.w[i][j], p.gamma2);
  SecureBytes w1_enc(mldsa::w1_encoded_bytes(p));
  mldsa::w1_encode(p, ws.w1, w1_enc.span());
  std::vector<std::uint8_t> c_tilde(mldsa::c_tilde_bytes(p));
  h_concat({mu, w1_enc.span()}, c_tilde);
  mldsa::declassify(c_tilde.data(), c_tilde.size());  // a hash output; published if accepted

  Poly c_hat{};
  mldsa::sample_in_ball(c_hat, c_tilde, p.tau);
  mldsa::ntt(c_hat);
  // The two norm checks on z and r0 are taken one after the other, so a restart may come before
  // c·s2 is computed. The timing then tells which check failed; both verdicts concern values that
  // are discarded.
  scalar_times_vec(c_hat, ws.s1_hat, ws.cs1);
  std::span<Poly> z = ws.y;  // z = y + ⟨⟨c·s1⟩⟩, centered
  for (std::size_t i = 0; i < l; ++i) mldsa::poly_add(z[i], ws.y[i], ws.cs1[i]);
  if (mldsa::declassify_value(mldsa::inf_norm(z) >= p.gamma1 - p.beta)) return {};  // restart

  scalar_times_vec(c_hat, ws.s2_hat, ws.cs2);
  std::span<Poly> r = ws.w;  // r = w - ⟨⟨c·s2⟩⟩ in [0, q)
  std::span<Poly> r0 = ws.w1;  // LowBits(r); w1 is no longer needed
  for (std::size_t i = 0; i < k; ++i) {
    mldsa::poly_sub(r[i], ws.w[i], ws.cs2[i]);
    mldsa::poly_freeze(r[i]);
    for (std::size_t j = 0; j < mldsa::kN; ++j) r0[i][j] = mldsa::low_bits(r[i][j], p.gamma2);
  }
  if (mldsa::declassify_value(mldsa::inf_norm(r0) >= p.gamma2 - p.beta)) return {};  // restart

  scalar_times_vec(c_hat, ws.t0_hat, ws.ct0);
  PolyVec h(k);
  std::int32_t ones = 0;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < mldsa::kN; ++j) {
      // MakeHint(-ct0, w - cs2 + ct0): HighBits(w - cs2 + ct0) != HighBits(w - cs2).
      const std::int32_t shifted = mldsa::caddq(mldsa::reduce32(r[i][j] + ws.ct0[i][j]));
      h[i][j] = mldsa::make_hint(shifted, r[i][j], p.gamma2);
      ones += h[i][j];
    }
  }
  const bool reject = (mldsa::inf_norm(ws.ct0) >= p.gamma2) | (ones > p.omega);
  if (mldsa::declassify_value(reject)) return {};  // restart
  // Accepted: z and h are the published signature.
  for (const Poly& zi : z) mldsa::declassify(zi.data(), sizeof zi);
  for (const Poly& hi : h) mldsa::declassify(hi.data(), sizeof hi);
  return mldsa::sig_encode(p, c_tilde, z, h);
}

Result<std::vector<std::uint8_t>> sign_from_mu(const MlDsaParams& p, Bytes sk, Bytes mu, Bytes rnd) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlDsa));  // deferred CAST (selftest/deferred.h)
  if (sk.size() != p.sk_bytes) return fail(CKR_KEY_SIZE_RANGE, "ML-DSA private key has the wrong length");
  if (rnd.size() != kMlDsaRndBytes) return fail(CKR_ARGUMENTS_BAD, "ML-DSA rnd must be 32 bytes");
  if (mu.size() != kMlDsaMuBytes) return fail(CKR_ARGUMENTS_BAD, "ML-DSA mu must be 64 bytes");
  SignWorkspace ws(p);
  // Only the well-formedness verdict of the key is revealed.
  if (!mldsa::declassify_value(mldsa::sk_decode(p, sk, ws.seeds, ws.s1_hat, ws.s2_hat, ws.t0_hat)))
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "ML-DSA private key has s1/s2 out of range");
  ntt_all(ws.s1_hat);
  ntt_all(ws.s2_hat);
  ntt_all(ws.t0_hat);
  const Bytes seeds = ws.seeds.span();
  mldsa::expand_a(p, seeds.first(32), ws.a_hat);
  SecureBytes rho_pp(64);
  h_concat({seeds.subspan(32, 32), rnd, mu}, rho_pp.span());  // ρ'' = H(K || rnd || μ, 64)
  // κ is encoded in two bytes (Alg. 34), which bounds the loop; reaching the bound has
  // probability far below 2^-1000 for a well-formed key.
  for (int kappa = 0; kappa + p.l <= 0xFFFF; kappa += p.l) {
    std::vector<std::uint8_t> sig = sign_attempt(p, ws, mu, rho_pp.span(), kappa);
    if (!sig.empty()) return sig;
  }
  return fail(CKR_FUNCTION_FAILED, "ML-DSA signing did not terminate");
}

bool verify_from_mu(const MlDsaParams& p, Bytes pk, Bytes mu, Bytes sigma) {
  if (pk.size() != p.pk_bytes || sigma.size() != p.sig_bytes || mu.size() != kMlDsaMuBytes) return false;
  const auto k = static_cast<std::size_t>(p.k);
  std::array<std::uint8_t, 32> rho{};
  PolyVec t1, z, h;
  Bytes c_tilde;
  mldsa::pk_decode(p, pk, rho, t1);
  if (!mldsa::sig_decode(p, sigma, c_tilde, z, h)) return false;
  if (mldsa::inf_norm(z) >= p.gamma1 - p.beta) return false;

  PolyVec a_hat;
  mldsa::expand_a(p, rho, a_hat);
  Poly c_hat{};
  mldsa::sample_in_ball(c_hat, c_tilde, p.tau);
  mldsa::ntt(c_hat);
  ntt_all(z);
  // w'_approx = NTT^-1(Â∘ẑ − ĉ∘NTT(t1·2^d)), then w1' = UseHint(h, w'_approx).
  PolyVec w(k);
  for (std::size_t i = 0; i < k; ++i) {
    Poly acc{};
    mldsa::pointwise_montgomery(acc, a_hat[i * static_cast<std::size_t>(p.l)], z[0]);
    for (std::size_t j = 1; j < static_cast<std::size_t>(p.l); ++j)
      mldsa::pointwise_acc_montgomery(acc, a_hat[i * static_cast<std::size_t>(p.l) + j], z[j]);
    Poly t1_hat = t1[i];
    for (auto& x : t1_hat) x <<= mldsa::kD;
    mldsa::ntt(t1_hat);
    Poly ct1{};
    mldsa::pointwise_montgomery(ct1, c_hat, t1_hat);
    mldsa::poly_sub(acc, acc, ct1);
    mldsa::ntt_inverse(acc);
    mldsa::poly_freeze(acc);
    for (std::size_t j = 0; j < mldsa::kN; ++j) w[i][j] = mldsa::use_hint(h[i][j], acc[j], p.gamma2);
  }
  std::vector<std::uint8_t> w1_enc(mldsa::w1_encoded_bytes(p));
  mldsa::w1_encode(p, w, w1_enc);
  std::vector<std::uint8_t> c_tilde2(mldsa::c_tilde_bytes(p));
  h_concat({mu, w1_enc}, c_tilde2);
  return std::equal(c_tilde.begin(), c_tilde.end(), c_tilde2.begin());
}

Result<std::array<std::uint8_t, kMlDsaRndBytes>> make_rnd(MlDsaHedge hedge) {
  std::array<std::uint8_t, kMlDsaRndBytes> rnd{};
  if (hedge == MlDsaHedge::kHedged) CRATON_TRY(crypto::random_bytes(rnd));
  return rnd;
}

Status verify_status(const MlDsaParams& p, Bytes pk, Bytes sigma) {
  if (pk.size() != p.pk_bytes) return fail(CKR_KEY_SIZE_RANGE, "ML-DSA public key has the wrong length");
  if (sigma.size() != p.sig_bytes)
    return fail(CKR_SIGNATURE_LEN_RANGE, "ML-DSA signature has the wrong length");
  return ok_status();
}

}  // namespace

Result<MlDsaKeyPair> ml_dsa_keygen_internal(const MlDsaParams& p, std::span<const std::uint8_t> xi) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlDsa));  // deferred CAST (selftest/deferred.h)
  if (xi.size() != kMlDsaSeedBytes) return fail(CKR_ARGUMENTS_BAD, "ML-DSA seed must be 32 bytes");
  const auto k = static_cast<std::size_t>(p.k);
  SecureBytes expanded(128);  // (ρ, ρ', K) = H(ξ || IntegerToBytes(k,1) || IntegerToBytes(l,1), 128)
  const std::array<std::uint8_t, 2> kl{static_cast<std::uint8_t>(p.k), static_cast<std::uint8_t>(p.l)};
  h_concat({xi, kl}, expanded.span());
  const Bytes rho = expanded.span().first(32);
  mldsa::declassify(rho.data(), rho.size());  // ρ is part of the public key
  const auto l = static_cast<std::size_t>(p.l);
  PolyVec a_hat;
  mldsa::expand_a(p, rho, a_hat);
  SecretPolyVec buf(2 * l + 3 * k);  // one zeroizing allocation: s1, s2, ŝ1, t, t0
  const std::span<Poly> all(buf);
  const std::span<Poly> s1 = all.first(l), s2 = all.subspan(l, k), s1_hat = all.subspan(l + k, l),
                        t = all.subspan(2 * l + k, k), t0 = all.subspan(2 * l + 2 * k, k);
  mldsa::expand_s(p, expanded.span().subspan(32, 64), s1, s2);
  std::copy(s1.begin(), s1.end(), s1_hat.begin());
  ntt_all(s1_hat);
  matrix_vector_ntt(p, a_hat, s1_hat, t);
  PolyVec t1(k);
  for (std::size_t i = 0; i < k; ++i) {
    mldsa::poly_add(t[i], t[i], s2[i]);
    mldsa::poly_freeze(t[i]);
    for (std::size_t j = 0; j < mldsa::kN; ++j) t1[i][j] = mldsa::power2round(t[i][j], t0[i][j]);
  }
  MlDsaKeyPair kp;
  kp.pk = mldsa::pk_encode(p, rho, t1);
  std::array<std::uint8_t, kMlDsaTrBytes> tr{};
  h_concat({kp.pk}, tr);
  kp.sk = mldsa::sk_encode(p, rho, expanded.span().subspan(96, 32), tr, s1, s2, t0);
  return kp;
}

Result<std::vector<std::uint8_t>> ml_dsa_public_from_private(const MlDsaParams& p, Bytes sk) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlDsa));  // deferred CAST (selftest/deferred.h)
  if (sk.size() != p.sk_bytes) return fail(CKR_KEY_SIZE_RANGE, "ML-DSA private key has the wrong length");
  constexpr Error kInconsistent = fail(CKR_ATTRIBUTE_VALUE_INVALID, "ML-DSA private key is inconsistent");
  const auto k = static_cast<std::size_t>(p.k);
  const auto l = static_cast<std::size_t>(p.l);
  SecretPolyVec buf(2 * l + 4 * k);  // s1, s2, t0 (stored), ŝ1, t, t0 (recomputed)
  const std::span<Poly> all(buf);
  const std::span<Poly> s1 = all.first(l), s2 = all.subspan(l, k), t0 = all.subspan(l + k, k),
                        s1_hat = all.subspan(l + 2 * k, l), t = all.subspan(2 * l + 2 * k, k),
                        t0_again = all.subspan(2 * l + 3 * k, k);
  SecureBytes seeds;
  const bool well_formed = mldsa::sk_decode(p, sk, seeds, s1, s2, t0);
  mldsa::declassify(&well_formed, sizeof well_formed);  // the key's verdict, see the header
  if (!well_formed) return kInconsistent;
  const Bytes rho = seeds.span().first(32);
  mldsa::declassify(rho.data(), rho.size());  // ρ is part of the public key
  PolyVec a_hat;
  mldsa::expand_a(p, rho, a_hat);
  std::copy(s1.begin(), s1.end(), s1_hat.begin());
  ntt_all(s1_hat);
  matrix_vector_ntt(p, a_hat, s1_hat, t);
  PolyVec t1(k);
  std::uint32_t diff = 0;
  for (std::size_t i = 0; i < k; ++i) {
    mldsa::poly_add(t[i], t[i], s2[i]);
    mldsa::poly_freeze(t[i]);
    for (std::size_t j = 0; j < mldsa::kN; ++j) {
      t1[i][j] = mldsa::power2round(t[i][j], t0_again[i][j]);
      diff |= static_cast<std::uint32_t>(t0_again[i][j] ^ t0[i][j]);
    }
  }
  std::vector<std::uint8_t> pk = mldsa::pk_encode(p, rho, t1);
  std::array<std::uint8_t, kMlDsaTrBytes> tr{};
  h_concat({pk}, tr);
  const bool consistent = diff == 0 && ct_equal(tr, seeds.span().subspan(64, kMlDsaTrBytes));
  mldsa::declassify(&consistent, sizeof consistent);
  if (!consistent) return kInconsistent;
  return pk;
}

Result<std::vector<std::uint8_t>> ml_dsa_sign_internal(const MlDsaParams& p, Bytes sk, Bytes m_prime,
                                                       Bytes rnd) {
  return sign_with_prefix(p, sk, {m_prime}, rnd);
}

Result<std::vector<std::uint8_t>> ml_dsa_sign_mu(const MlDsaParams& p, Bytes sk, Bytes mu, Bytes rnd) {
  return sign_from_mu(p, sk, mu, rnd);
}

bool ml_dsa_verify_internal(const MlDsaParams& p, Bytes pk, Bytes m_prime, Bytes sigma) {
  if (!selftest::before_use(selftest::Algorithm::kMlDsa).ok()) return false;  // CAST failed: error state
  if (pk.size() != p.pk_bytes) return false;
  const auto mu = mu_from_pk(pk, {m_prime});
  return verify_from_mu(p, pk, mu, sigma);
}

bool ml_dsa_verify_mu(const MlDsaParams& p, Bytes pk, Bytes mu, Bytes sigma) {
  if (!selftest::before_use(selftest::Algorithm::kMlDsa).ok()) return false;  // CAST failed: error state
  return verify_from_mu(p, pk, mu, sigma);
}

Result<std::array<std::uint8_t, kMlDsaMuBytes>> ml_dsa_compute_mu(const MlDsaParams& p, Bytes pk,
                                                                  Bytes m_prime) {
  if (pk.size() != p.pk_bytes) return fail(CKR_KEY_SIZE_RANGE, "ML-DSA public key has the wrong length");
  return mu_from_pk(pk, {m_prime});
}

Result<std::vector<std::uint8_t>> ml_dsa_message_prime(Bytes msg, Bytes ctx) {
  CRATON_TRY(check_context(ctx));
  std::vector<std::uint8_t> m{0, static_cast<std::uint8_t>(ctx.size())};
  m.insert(m.end(), ctx.begin(), ctx.end());
  m.insert(m.end(), msg.begin(), msg.end());
  return m;
}

Result<std::vector<std::uint8_t>> hash_ml_dsa_message_prime(Bytes ph_m, Bytes ctx, MlDsaPreHash ph) {
  CRATON_TRY(check_context(ctx));
  CRATON_TRY(check_prehash(ph_m, ph));
  std::vector<std::uint8_t> m{1, static_cast<std::uint8_t>(ctx.size())};
  m.insert(m.end(), ctx.begin(), ctx.end());
  const auto oid = ml_dsa_prehash_oid(ph);
  m.insert(m.end(), oid.begin(), oid.end());
  m.insert(m.end(), ph_m.begin(), ph_m.end());
  return m;
}

Result<MlDsaKeyPair> ml_dsa_keygen(const MlDsaParams& p) {
  SecureBytes xi(kMlDsaSeedBytes);
  CRATON_TRY(crypto::random_bytes(xi.span()));
  return ml_dsa_keygen_internal(p, xi.span());
}

Result<std::vector<std::uint8_t>> ml_dsa_sign(const MlDsaParams& p, Bytes sk, Bytes msg, Bytes ctx,
                                              Bytes rnd) {
  CRATON_TRY(check_context(ctx));
  const std::array<std::uint8_t, 2> prefix{0, static_cast<std::uint8_t>(ctx.size())};
  return sign_with_prefix(p, sk, {prefix, ctx, msg}, rnd);
}

Result<std::vector<std::uint8_t>> ml_dsa_sign(const MlDsaParams& p, Bytes sk, Bytes msg, Bytes ctx,
                                              MlDsaHedge hedge) {
  CRATON_ASSIGN_OR_RETURN(const auto rnd, make_rnd(hedge));
  return ml_dsa_sign(p, sk, msg, ctx, rnd);
}

Status ml_dsa_verify(const MlDsaParams& p, Bytes pk, Bytes msg, Bytes ctx, Bytes sigma) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlDsa));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_context(ctx));
  CRATON_TRY(verify_status(p, pk, sigma));
  const std::array<std::uint8_t, 2> prefix{0, static_cast<std::uint8_t>(ctx.size())};
  const auto mu = mu_from_pk(pk, {prefix, ctx, msg});
  if (!verify_from_mu(p, pk, mu, sigma)) return fail(CKR_SIGNATURE_INVALID, "ML-DSA signature invalid");
  return ok_status();
}

Result<std::vector<std::uint8_t>> hash_ml_dsa_sign(const MlDsaParams& p, Bytes sk, Bytes ph_m, Bytes ctx,
                                                   MlDsaPreHash ph, Bytes rnd) {
  CRATON_ASSIGN_OR_RETURN(const auto m_prime, hash_ml_dsa_message_prime(ph_m, ctx, ph));
  return sign_with_prefix(p, sk, {m_prime}, rnd);
}

Result<std::vector<std::uint8_t>> hash_ml_dsa_sign(const MlDsaParams& p, Bytes sk, Bytes ph_m, Bytes ctx,
                                                   MlDsaPreHash ph, MlDsaHedge hedge) {
  CRATON_ASSIGN_OR_RETURN(const auto rnd, make_rnd(hedge));
  return hash_ml_dsa_sign(p, sk, ph_m, ctx, ph, rnd);
}

Status hash_ml_dsa_verify(const MlDsaParams& p, Bytes pk, Bytes ph_m, Bytes ctx, MlDsaPreHash ph,
                          Bytes sigma) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlDsa));  // deferred CAST (selftest/deferred.h)
  CRATON_ASSIGN_OR_RETURN(const auto m_prime, hash_ml_dsa_message_prime(ph_m, ctx, ph));
  CRATON_TRY(verify_status(p, pk, sigma));
  const auto mu = mu_from_pk(pk, {m_prime});
  if (!verify_from_mu(p, pk, mu, sigma)) return fail(CKR_SIGNATURE_INVALID, "HashML-DSA signature invalid");
  return ok_status();
}

}  // namespace craton::crypto::pqc
