// ML-KEM keys expanded once for repeated use (internal to src/crypto/pqc; the public face is
// MlKemEncapsulationKey / MlKemDecapsulationKey in ml_kem.h).
//
// Everything ML-KEM.Encaps derives from ek alone is computed here once: H(ek) (Alg. 17 line 1),
// t̂ = ByteDecode_12(ek_PKE) (Alg. 14 line 2) and the matrix Âᵀ sampled from ρ (Alg. 14 lines
// 4-8). Those are about half of an encapsulation and a third of a decapsulation (which re-runs
// K-PKE.Encrypt on the ek inside dk). The algorithms then run on the stored values and produce,
// bit for bit, what the byte-string functions produce: both go through the same K-PKE code.
// All of ExpandedPublic is public data; ExpandedPrivate's ŝ and z are secret and wiped with it.
// Thread safety: immutable once built; shared by every thread using the key.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/ml_kem_poly.h"

namespace craton::crypto::pqc::ml_kem {

struct ExpandedPublic {
  MlKemParams params{};
  std::array<std::uint8_t, 32> h{};  // H(ek)
  std::array<std::uint8_t, 32> rho{};
  PolyVec t_hat{};                    // ByteDecode_12(ek_PKE)
  PolyMatrix a_t{};                   // a_t[i][j] = Âᵀ[i][j] = SampleNTT(ρ || i || j)
};

struct ExpandedPrivate {
  ExpandedPublic pub;                          // the ek inside dk
  Scrubbed<PolyVec> s_hat;                     // ByteDecode_12(dk_PKE), secret
  Scrubbed<std::array<std::uint8_t, 32>> z;    // implicit-rejection seed, secret
};

// ByteDecode_12 of a k-vector (t̂ from ek_PKE, ŝ from dk_PKE): 384k bytes into the first k entries.
void decode_vector_12(const MlKemParams& params, std::span<const std::uint8_t> in, PolyVec& out);

// Fills everything but h from ek_PKE (384k + 32 bytes; the caller has checked its length).
void expand_ek_pke(const MlKemParams& params, std::span<const std::uint8_t> ek_pke, ExpandedPublic& out);

// Algorithm 14 on an expanded key (the byte-string overload is declared in ml_kem.h).
void kpke_encrypt(const ExpandedPublic& key, std::span<const std::uint8_t, 32> m,
                  std::span<const std::uint8_t, 32> r, std::span<std::uint8_t> c);
// Algorithm 15 with ŝ already decoded.
void kpke_decrypt(const MlKemParams& params, const PolyVec& s_hat, std::span<const std::uint8_t> c,
                  std::span<std::uint8_t, 32> m_out);

}  // namespace craton::crypto::pqc::ml_kem
