// ML-DSA pseudorandom sampling: FIPS 204 §7.3 (Alg. 29-34), with H = SHAKE256 and G = SHAKE128
// from our Keccak (crypto/pqc/keccak.h).
//
// Internal to src/crypto/pqc. Rejection sampling reveals (through timing) only how many candidates
// were rejected; see the constant-time note in ml_dsa.h.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_dsa_poly.h"

namespace craton::crypto::pqc::mldsa {

// Alg. 29 SampleInBall(ρ): c with τ coefficients ±1, ρ = c̃ (λ/4 bytes).
void sample_in_ball(Poly& c, std::span<const std::uint8_t> rho, int tau) noexcept;
// Alg. 30 RejNTTPoly(ρ || s || r): uniform polynomial in T_q (34-byte seed).
void rej_ntt_poly(Poly& a, std::span<const std::uint8_t, 34> seed) noexcept;
// Alg. 31 RejBoundedPoly(ρ' || r): coefficients in [-η, η] (66-byte seed).
void rej_bounded_poly(Poly& a, std::span<const std::uint8_t, 66> seed, int eta) noexcept;
// Alg. 32 ExpandA(ρ): Â as k·l polynomials, Â[r][s] at index r·l + s.
void expand_a(const MlDsaParams& p, std::span<const std::uint8_t> rho, PolyVec& a_hat);
// Alg. 33 ExpandS(ρ'): s1 (l polynomials) and s2 (k polynomials), sized by the caller.
void expand_s(const MlDsaParams& p, std::span<const std::uint8_t> rho_prime, std::span<Poly> s1,
              std::span<Poly> s2);
// Alg. 34 ExpandMask(ρ'', κ): y (l polynomials, sized by the caller), coefficients in (-γ1, γ1].
void expand_mask(const MlDsaParams& p, std::span<const std::uint8_t> rho_pp, int kappa,
                 std::span<Poly> y);

}  // namespace craton::crypto::pqc::mldsa
