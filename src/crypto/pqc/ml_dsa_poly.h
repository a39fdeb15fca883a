// ML-DSA polynomial arithmetic (FIPS 204 §7.5 NTT, §7.4 rounding, §2.3 modular conventions).
//
// Internal to src/crypto/pqc; the one place where ML-DSA ring arithmetic lives, so a vectorized
// (AVX2) variant can replace these functions without touching sampling, encoding or the algorithms.
//
// Representation: a polynomial of R_q is 256 int32 coefficients. Outside the NTT domain the
// functions below document their input/output ranges; NTT-domain values are kept unreduced
// (|a| < 9q) and every product goes through Montgomery reduction (R = 2^32). ntt_inverse()
// compensates the R^-1 that pointwise_montgomery() introduces, so NTT^-1(NTT(a) ∘ NTT(b)) is the
// plain product a·b in R_q, exactly as FIPS 204 writes it.
//
// Constant time: no function here branches on or indexes by coefficient values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/secure_bytes.h"

namespace craton::crypto::pqc::mldsa {

inline constexpr std::int32_t kQ = 8380417;  // q = 2^23 - 2^13 + 1
inline constexpr int kN = 256;
inline constexpr int kD = 13;                 // dropped bits of t

using Poly = std::array<std::int32_t, kN>;
using PolyVec = std::vector<Poly>;                                  // public values
using SecretPolyVec = std::vector<Poly, ZeroizingAllocator<Poly>>;  // wiped on release

// q^-1 mod 2^32 by Newton iteration (each step doubles the number of correct low bits).
constexpr std::uint32_t q_inverse_mod_2_32() {
  auto x = static_cast<std::uint32_t>(kQ);  // correct to 3 bits (q odd)
  for (int i = 0; i < 5; ++i) x *= 2U - static_cast<std::uint32_t>(kQ) * x;
  return x;
}
inline constexpr std::uint32_t kQInv = q_inverse_mod_2_32();
static_assert(static_cast<std::uint32_t>(kQ) * kQInv == 1U);

// The scalar helpers are inline: they sit in the innermost loops of the NTT and of signing.

// Montgomery reduction: for |a| < 2^31·q returns r ≡ a·2^-32 (mod q) with |r| < q.
inline std::int32_t montgomery_reduce(std::int64_t a) noexcept {
  const auto lo = static_cast<std::uint32_t>(static_cast<std::uint64_t>(a));
  const auto t = static_cast<std::int32_t>(lo * kQInv);  // a·q^-1 mod 2^32, as a signed value
  return static_cast<std::int32_t>((a - static_cast<std::int64_t>(t) * kQ) >> 32);
}
// For |a| < 2^31 - 2^22 returns r ≡ a (mod q) with |r| < 6283009 (< q).
inline std::int32_t reduce32(std::int32_t a) noexcept {
  const std::int32_t t = (a + (1 << 22)) >> 23;  // round(a / 2^23), and q ≈ 2^23
  return a - t * kQ;
}
// Maps (-q, q) to [0, q).
inline std::int32_t caddq(std::int32_t a) noexcept { return a + ((a >> 31) & kQ); }
// Maps [0, q) to the centered representative (-(q-1)/2, (q-1)/2] ("mod±").
inline std::int32_t center(std::int32_t a) noexcept {
  return a - (((((kQ - 1) / 2) - a) >> 31) & kQ);  // a > (q-1)/2  ⇔  (q-1)/2 - a < 0
}

// Alg. 35 Power2Round(r) for r in [0, q): returns r1, stores r0 in (-2^(d-1), 2^(d-1)].
// r1 = ⌊(r + 2^(d-1) - 1) / 2^d⌋ puts r0 = r - r1·2^d in that interval.
inline std::int32_t power2round(std::int32_t r, std::int32_t& r0) noexcept {
  const std::int32_t r1 = (r + (1 << (kD - 1)) - 1) >> kD;
  r0 = r - (r1 << kD);
  return r1;
}

// Alg. 36 Decompose(r) for r in [0, q): returns r1, stores r0, branch-free.
// r1 = ⌊(r + γ2 - 1) / 2γ2⌋ gives r0 = r mod± 2γ2 in (-γ2, γ2]; the division by a constant
// compiles to a multiply and shift. Then the corner case of the algorithm: r - r0 = q - 1 ⇔
// r1 = (q-1)/2γ2, where r1 becomes 0 and r0 becomes r0 - 1.
inline std::int32_t decompose(std::int32_t r, std::int32_t gamma2, std::int32_t& r0) noexcept {
  std::int32_t r1;
  if (gamma2 == (kQ - 1) / 32) {  // public parameter: lets the compiler see a constant divisor
    r1 = static_cast<std::int32_t>(static_cast<std::uint32_t>(r + gamma2 - 1) /
                                   static_cast<std::uint32_t>((kQ - 1) / 16));
  } else {
    r1 = static_cast<std::int32_t>(static_cast<std::uint32_t>(r + gamma2 - 1) /
                                   static_cast<std::uint32_t>((kQ - 1) / 44));
  }
  std::int32_t low = r - r1 * 2 * gamma2;
  const std::int32_t diff = r1 ^ ((kQ - 1) / (2 * gamma2));
  const std::int32_t is_corner = (diff - 1) >> 31;  // all ones iff diff == 0 (diff ≥ 0)
  r1 &= ~is_corner;
  low += is_corner;
  r0 = low;
  return r1;
}

// Alg. 37 HighBits / Alg. 38 LowBits, r in [0, q).
inline std::int32_t high_bits(std::int32_t r, std::int32_t gamma2) noexcept {
  std::int32_t r0 = 0;
  return decompose(r, gamma2, r0);
}
inline std::int32_t low_bits(std::int32_t r, std::int32_t gamma2) noexcept {
  std::int32_t r0 = 0;
  (void)decompose(r, gamma2, r0);
  return r0;
}

// Alg. 39 MakeHint(z, r) with r and r+z given in [0, q): 1 iff HighBits(r) != HighBits(r + z).
inline std::int32_t make_hint(std::int32_t r, std::int32_t r_plus_z, std::int32_t gamma2) noexcept {
  const std::int32_t x = high_bits(r, gamma2) ^ high_bits(r_plus_z, gamma2);
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(x | -x) >> 31);
}

// Alg. 41 NTT(w), in place. Input |a| < q; output |â| < 9q.
void ntt(Poly& w) noexcept;
// Alg. 42 NTT^-1(ŵ), in place, times R (see header comment). Input |â| < 2^31 - 2^22; output in (-q, q).
void ntt_inverse(Poly& w) noexcept;
// c = a ∘ b · R^-1 (Montgomery). Inputs |a|,|b| < 9q.
void pointwise_montgomery(Poly& c, const Poly& a, const Poly& b) noexcept;
// c += a ∘ b · R^-1.
void pointwise_acc_montgomery(Poly& c, const Poly& a, const Poly& b) noexcept;

void poly_add(Poly& c, const Poly& a, const Poly& b) noexcept;  // c = a + b (no reduction)
void poly_sub(Poly& c, const Poly& a, const Poly& b) noexcept;  // c = a - b (no reduction)
// Applies reduce32 then caddq to every coefficient: any |a| < 2^31 - 2^22 → [0, q).
void poly_freeze(Poly& a) noexcept;

// Alg. 40 UseHint(h, r), r in [0, q), h in {0, 1}. Verification only (public data).
std::int32_t use_hint(std::int32_t h, std::int32_t r, std::int32_t gamma2) noexcept;

// Marks a value derived from secrets as public (FIPS 204 publishes it, or only the accept/reject
// verdict escapes). A no-op, except in a build with CRATON_VALGRIND_CT defined, where it tells
// valgrind memcheck that the bytes are no longer secret, so the constant-time check (secrets
// poisoned as undefined) reports only what is not declassified here.
void declassify(const void* p, std::size_t n) noexcept;
template <class T>
T declassify_value(T v) noexcept {
  declassify(&v, sizeof v);
  return v;
}

// max |a_i| over every coefficient, for centered coefficients (|a_i| < 2^31). Branch-free, so the
// caller compares once and only the accept/reject bit is revealed.
std::int32_t inf_norm(std::span<const Poly> v) noexcept;

}  // namespace craton::crypto::pqc::mldsa
