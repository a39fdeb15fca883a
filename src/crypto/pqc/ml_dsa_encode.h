// ML-DSA encodings: FIPS 204 §7.1 (Alg. 16-21 bit packing) and §7.2 (Alg. 22-28 key, signature
// and w1 encodings), with the malformed-input checks the standard requires (HintBitUnpack) plus
// the private-key range check we add (s1, s2 in [-η, η], so a corrupt key cannot make signing loop).
//
// Internal to src/crypto/pqc. Byte strings are little-endian bit streams (BitsToBytes, Alg. 12).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/secure_bytes.h"
#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_dsa_poly.h"

namespace craton::crypto::pqc::mldsa {

// bitlen(x) of FIPS 204 §2.3 (number of bits of x > 0).
constexpr int bitlen(std::uint32_t x) {
  int n = 0;
  while (x != 0) {
    ++n;
    x >>= 1;
  }
  return n;
}

constexpr int eta_bits(const MlDsaParams& p) { return bitlen(static_cast<std::uint32_t>(2 * p.eta)); }
constexpr int z_bits(const MlDsaParams& p) { return 1 + bitlen(static_cast<std::uint32_t>(p.gamma1 - 1)); }
constexpr int w1_bits(const MlDsaParams& p) {
  return bitlen(static_cast<std::uint32_t>((kQ - 1) / (2 * p.gamma2) - 1));
}
inline constexpr int kT1Bits = 10;  // bitlen(q - 1) - d
inline constexpr int kT0Bits = kD;
constexpr std::size_t poly_bytes(int bits) { return 32 * static_cast<std::size_t>(bits); }
constexpr std::size_t c_tilde_bytes(const MlDsaParams& p) { return static_cast<std::size_t>(p.lambda) / 4; }
constexpr std::size_t w1_encoded_bytes(const MlDsaParams& p) {
  return static_cast<std::size_t>(p.k) * poly_bytes(w1_bits(p));
}

// Alg. 16 SimpleBitPack(w, 2^bits - 1) / Alg. 18 SimpleBitUnpack: coefficients in [0, 2^bits).
void simple_bit_pack(std::span<std::uint8_t> out, const Poly& w, int bits) noexcept;
void simple_bit_unpack(Poly& w, std::span<const std::uint8_t> in, int bits) noexcept;
// Alg. 17 BitPack(w, a, b): stores b - w_i. Alg. 19 BitUnpack: w_i = b - v_i.
void bit_pack(std::span<std::uint8_t> out, const Poly& w, std::int32_t b, int bits) noexcept;
void bit_unpack(Poly& w, std::span<const std::uint8_t> in, std::int32_t b, int bits) noexcept;

// Alg. 22 pkEncode / Alg. 23 pkDecode. REQUIRES pk.size() == p.pk_bytes.
std::vector<std::uint8_t> pk_encode(const MlDsaParams& p, std::span<const std::uint8_t> rho,
                                    const PolyVec& t1);
void pk_decode(const MlDsaParams& p, std::span<const std::uint8_t> pk,
               std::span<std::uint8_t, 32> rho, PolyVec& t1);

// Alg. 24 skEncode. s1, s2 centered in [-η, η]; t0 in (-2^12, 2^12].
SecureBytes sk_encode(const MlDsaParams& p, std::span<const std::uint8_t> rho,
                      std::span<const std::uint8_t> key, std::span<const std::uint8_t> tr,
                      std::span<const Poly> s1, std::span<const Poly> s2, std::span<const Poly> t0);

// Alg. 25 skDecode into `seeds` = ρ (32) || K (32) || tr (64). REQUIRES sk.size() == p.sk_bytes,
// s1 of l and s2, t0 of k polynomials.
// Returns false if a coefficient of s1 or s2 lies outside [-η, η] (branch-free over the key; only
// the verdict is revealed).
bool sk_decode(const MlDsaParams& p, std::span<const std::uint8_t> sk, SecureBytes& seeds,
               std::span<Poly> s1, std::span<Poly> s2, std::span<Poly> t0);

// Alg. 20 HintBitPack / Alg. 21 HintBitUnpack (false = ⊥ for malformed input).
void hint_bit_pack(const MlDsaParams& p, std::span<std::uint8_t> out, const PolyVec& h) noexcept;
bool hint_bit_unpack(const MlDsaParams& p, std::span<const std::uint8_t> in, PolyVec& h) noexcept;

// Alg. 26 sigEncode(c̃, z mod± q, h). z centered.
std::vector<std::uint8_t> sig_encode(const MlDsaParams& p, std::span<const std::uint8_t> c_tilde,
                                     std::span<const Poly> z, const PolyVec& h);
// Alg. 27 sigDecode. REQUIRES sigma.size() == p.sig_bytes. false when the hint is malformed.
bool sig_decode(const MlDsaParams& p, std::span<const std::uint8_t> sigma,
                std::span<const std::uint8_t>& c_tilde, PolyVec& z, PolyVec& h);

// Alg. 28 w1Encode into `out` (w1_encoded_bytes(p) bytes).
void w1_encode(const MlDsaParams& p, std::span<const Poly> w1, std::span<std::uint8_t> out) noexcept;

}  // namespace craton::crypto::pqc::mldsa
