// FIPS 203 §5: the K-PKE component scheme (Algorithms 13, 14, 15). Not a standalone scheme: it is
// only reached through ML-KEM (ml_kem.cpp), which fixes every length before calling here.
//
// From a byte-string key the matrix Â is never stored whole: row i of Â (key generation) or of Âᵀ
// (encryption) is sampled into a k-vector and consumed at once, which keeps the stack small and the
// data hot in cache. An expanded key (ml_kem_expanded.h) holds Âᵀ and t̂ already; encryption then
// reads its rows instead (one implementation, encrypt_with, serves both).
#include <algorithm>
#include <array>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/ml_kem_expanded.h"
#include "crypto/pqc/ml_kem_poly.h"

// Constant-time check builds (valgrind memcheck with secrets marked undefined) define
// CRATON_VALGRIND_CT; ρ is then declassified where the standard makes it public.
#if defined(CRATON_VALGRIND_CT)
#include <valgrind/memcheck.h>
#endif

namespace craton::crypto::pqc::ml_kem {
namespace {

// ρ comes out of G(d || k) with the secret σ but is published in ek (Alg. 13 line 19), and
// SampleNTT's rejection loop branches on the XOF stream it seeds: tell the checker it is public.
void declassify(std::span<const std::uint8_t> v) {
#if defined(CRATON_VALGRIND_CT)
  VALGRIND_MAKE_MEM_DEFINED(v.data(), v.size());
#else
  (void)v;
#endif
}

constexpr std::size_t kPolyBytes = 384;  // ByteEncode_12 of one polynomial

using Seed = std::array<std::uint8_t, 32>;

// PRF_eta(s, b) = SHAKE256(s || b, 8·64·eta) (§4.1, eq. 4.3), fed to SamplePolyCBD_eta (Alg. 8).
void sample_cbd_from_prf(Poly& f, std::span<const std::uint8_t, 32> s, std::uint8_t b,
                         unsigned eta) {
  Scrubbed<std::array<std::uint8_t, 64 * 3>> buf;
  const std::span<std::uint8_t> out = std::span(*buf).first(64 * eta);
  Shake256 prf;
  prf.absorb(s);
  const std::array<std::uint8_t, 1> n{b};
  prf.absorb(n);
  prf.squeeze(out);
  sample_poly_cbd(f, out, eta);
}

// Row `row` of Â (transpose = false: Â[row][j] = SampleNTT(ρ || j || row), Alg. 13 line 6) or of
// Âᵀ (transpose = true: Âᵀ[row][j] = Â[j][row] = SampleNTT(ρ || row || j), Alg. 14 line 6 read
// through line 19's Âᵀ).
void sample_matrix_row(PolyVec& out, std::span<const std::uint8_t, 32> rho, std::size_t k,
                       std::size_t row, bool transpose) {
  for (std::size_t j = 0; j < k; ++j) {
    const auto r = static_cast<std::uint8_t>(row);
    const auto c = static_cast<std::uint8_t>(j);
    if (transpose) {
      sample_ntt(out[j], rho, r, c);
    } else {
      sample_ntt(out[j], rho, c, r);
    }
  }
}

}  // namespace

// Algorithm 13, K-PKE.KeyGen(d).
void kpke_keygen(const MlKemParams& params, std::span<const std::uint8_t, 32> d,
                 std::span<std::uint8_t> ek_pke, std::span<std::uint8_t> dk_pke) {
  const std::size_t k = params.k;
  // Line 1: (ρ, σ) ← G(d || k); σ is secret, ρ public.
  Scrubbed<std::array<std::uint8_t, 64>> g;
  Sha3_512 hash_g;
  hash_g.absorb(d);
  const std::array<std::uint8_t, 1> k_byte{static_cast<std::uint8_t>(k)};
  hash_g.absorb(k_byte);
  hash_g.finalize(*g);
  Seed rho{};
  std::copy_n(g->begin(), 32, rho.begin());
  declassify(rho);
  const std::span<const std::uint8_t, 32> sigma = std::span<const std::uint8_t, 64>(*g).last<32>();

  // Lines 8-15: s and e from PRF_eta1(σ, N), N = 0 .. 2k-1.
  Scrubbed<PolyVec> s;
  Scrubbed<PolyVec> e;
  std::uint8_t n = 0;
  for (std::size_t i = 0; i < k; ++i) sample_cbd_from_prf((*s)[i], sigma, n++, params.eta1);
  for (std::size_t i = 0; i < k; ++i) sample_cbd_from_prf((*e)[i], sigma, n++, params.eta1);
  // Lines 16-17: ŝ ← NTT(s), ê ← NTT(e).
  for (std::size_t i = 0; i < k; ++i) {
    ntt((*s)[i]);
    ntt((*e)[i]);
  }
  // Line 18: t̂ ← Â ∘ ŝ + ê, one row of Â at a time; line 19: ek ← ByteEncode_12(t̂) || ρ.
  PolyVec a_row{};
  Poly t_hat{};
  for (std::size_t i = 0; i < k; ++i) {
    sample_matrix_row(a_row, rho, k, i, /*transpose=*/false);
    multiply_ntts_sum(t_hat, a_row, *s, k);
    poly_to_montgomery(t_hat);  // cancels the R^-1 of the Montgomery products
    poly_add(t_hat, (*e)[i]);
    poly_reduce(t_hat);
    poly_canonical(t_hat);
    byte_encode(ek_pke.subspan(kPolyBytes * i, kPolyBytes), t_hat, 12);
  }
  std::copy(rho.begin(), rho.end(), ek_pke.begin() + static_cast<std::ptrdiff_t>(kPolyBytes * k));
  // Line 20: dk_PKE ← ByteEncode_12(ŝ).
  for (std::size_t i = 0; i < k; ++i) {
    poly_canonical((*s)[i]);
    byte_encode(dk_pke.subspan(kPolyBytes * i, kPolyBytes), (*s)[i], 12);
  }
}

namespace {

// Algorithm 14, K-PKE.Encrypt, lines 9-23, given t̂ (line 2) and a source of the rows of Âᵀ
// (lines 4-8): `row(i, scratch)` returns row i, sampled into `scratch` or stored.
template <class Rows>
void encrypt_with(const MlKemParams& params, const PolyVec& t_hat, Rows&& row, std::span<const std::uint8_t, 32> m,
                  std::span<const std::uint8_t, 32> r, std::span<std::uint8_t> c) {
  const std::size_t k = params.k;
  // Lines 9-17: y, e1 (N = 0 .. 2k-1) and e2 (N = 2k) from PRF(r, N); ŷ ← NTT(y).
  Scrubbed<PolyVec> y;
  Scrubbed<PolyVec> e1;
  Scrubbed<Poly> e2;
  std::uint8_t n = 0;
  for (std::size_t i = 0; i < k; ++i) sample_cbd_from_prf((*y)[i], r, n++, params.eta1);
  for (std::size_t i = 0; i < k; ++i) sample_cbd_from_prf((*e1)[i], r, n++, params.eta2);
  sample_cbd_from_prf(*e2, r, n, params.eta2);
  for (std::size_t i = 0; i < k; ++i) ntt((*y)[i]);

  // Line 19: u ← NTT^-1(Âᵀ ∘ ŷ) + e1; line 22: c1 ← ByteEncode_du(Compress_du(u)).
  const std::size_t c1_poly_bytes = 32 * params.du;
  PolyVec scratch{};
  Scrubbed<Poly> u;
  for (std::size_t i = 0; i < k; ++i) {
    multiply_ntts_sum(*u, row(i, scratch), *y, k);
    ntt_inverse_times_r(*u);
    poly_add(*u, (*e1)[i]);
    poly_reduce(*u);
    poly_canonical(*u);
    compress(*u, params.du);
    byte_encode(c.subspan(c1_poly_bytes * i, c1_poly_bytes), *u, params.du);
  }

  // Lines 20-21: μ ← Decompress_1(ByteDecode_1(m)); v ← NTT^-1(t̂ᵀ ∘ ŷ) + e2 + μ.
  Scrubbed<Poly> mu;
  byte_decode(*mu, m, 1);
  decompress(*mu, 1);
  Scrubbed<Poly> v;
  multiply_ntts_sum(*v, t_hat, *y, k);
  ntt_inverse_times_r(*v);
  poly_add(*v, *e2);
  poly_add(*v, *mu);
  poly_reduce(*v);
  poly_canonical(*v);
  // Line 23: c2 ← ByteEncode_dv(Compress_dv(v)).
  compress(*v, params.dv);
  byte_encode(c.subspan(c1_poly_bytes * k, 32 * params.dv), *v, params.dv);
}

}  // namespace

void decode_vector_12(const MlKemParams& params, std::span<const std::uint8_t> in, PolyVec& out) {
  for (std::size_t i = 0; i < params.k; ++i) byte_decode(out[i], in.subspan(kPolyBytes * i, kPolyBytes), 12);
}

// Algorithm 14, K-PKE.Encrypt(ek_PKE, m, r): Âᵀ sampled row by row from ρ (line 3).
void kpke_encrypt(const MlKemParams& params, std::span<const std::uint8_t> ek_pke,
                  std::span<const std::uint8_t, 32> m, std::span<const std::uint8_t, 32> r,
                  std::span<std::uint8_t> c) {
  PolyVec t_hat{};
  decode_vector_12(params, ek_pke, t_hat);  // line 2
  const std::span<const std::uint8_t, 32> rho = ek_pke.subspan(kPolyBytes * params.k).first<32>();
  const auto sampled = [&](std::size_t i, PolyVec& scratch) -> const PolyVec& {
    sample_matrix_row(scratch, rho, params.k, i, /*transpose=*/true);
    return scratch;
  };
  encrypt_with(params, t_hat, sampled, m, r, c);
}

void expand_ek_pke(const MlKemParams& params, std::span<const std::uint8_t> ek_pke, ExpandedPublic& out) {
  out.params = params;
  decode_vector_12(params, ek_pke, out.t_hat);
  const auto rho = ek_pke.subspan(kPolyBytes * params.k).first<32>();
  std::copy(rho.begin(), rho.end(), out.rho.begin());
  for (std::size_t i = 0; i < params.k; ++i) sample_matrix_row(out.a_t[i], out.rho, params.k, i, /*transpose=*/true);
}

// Algorithm 14 on an expanded key: Âᵀ and t̂ as stored.
void kpke_encrypt(const ExpandedPublic& key, std::span<const std::uint8_t, 32> m, std::span<const std::uint8_t, 32> r,
                  std::span<std::uint8_t> c) {
  const auto stored = [&](std::size_t i, PolyVec&) -> const PolyVec& { return key.a_t[i]; };
  encrypt_with(key.params, key.t_hat, stored, m, r, c);
}

// Algorithm 15, K-PKE.Decrypt(dk_PKE, c), with ŝ ← ByteDecode_12(dk_PKE) (line 5) given.
void kpke_decrypt(const MlKemParams& params, const PolyVec& s_hat, std::span<const std::uint8_t> c,
                  std::span<std::uint8_t, 32> m_out) {
  const std::size_t k = params.k;
  const std::size_t c1_poly_bytes = 32 * params.du;
  // Line 3: u' ← Decompress_du(ByteDecode_du(c1)), taken to the NTT domain for line 6.
  PolyVec u_hat{};
  for (std::size_t i = 0; i < k; ++i) {
    byte_decode(u_hat[i], c.subspan(c1_poly_bytes * i, c1_poly_bytes), params.du);
    decompress(u_hat[i], params.du);
    ntt(u_hat[i]);
  }
  // Line 4: v' ← Decompress_dv(ByteDecode_dv(c2)).
  Scrubbed<Poly> w;
  byte_decode(*w, c.subspan(c1_poly_bytes * k, 32 * params.dv), params.dv);
  decompress(*w, params.dv);
  // Line 6: w ← v' − NTT^-1(ŝᵀ ∘ NTT(u')).
  Scrubbed<Poly> prod;
  multiply_ntts_sum(*prod, s_hat, u_hat, k);
  ntt_inverse_times_r(*prod);
  poly_sub(*w, *prod);
  poly_reduce(*w);
  poly_canonical(*w);
  // Line 7: m ← ByteEncode_1(Compress_1(w)).
  compress(*w, 1);
  byte_encode(m_out, *w, 1);
}

// Algorithm 15, K-PKE.Decrypt(dk_PKE, c).
void kpke_decrypt(const MlKemParams& params, std::span<const std::uint8_t> dk_pke,
                  std::span<const std::uint8_t> c, std::span<std::uint8_t, 32> m_out) {
  Scrubbed<PolyVec> s_hat;
  decode_vector_12(params, dk_pke, *s_hat);  // line 5
  kpke_decrypt(params, *s_hat, c, m_out);
}

}  // namespace craton::crypto::pqc::ml_kem
