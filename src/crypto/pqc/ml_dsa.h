// ML-DSA (FIPS 204, Module-Lattice-Based Digital Signature Standard), written from the standard.
//
// Status (2026-11-27): DONE — ML-DSA-44/65/87 KeyGen (Alg. 1/6), Sign (Alg. 2/7; hedged,
//   deterministic, injected rnd; context ≤ 255 bytes), Verify (Alg. 3/8), HashML-DSA (Alg. 4/5,
//   the twelve pre-hashes of FIPS 204 §5.4 incl. SHA2-512/224, SHA2-512/256, SHAKE128/256; PH(M)
//   passed in by the caller) and the external-mu form (sign/verify from μ, ml_dsa_compute_mu).
//   TESTED — every ACVP case passes (tests/vectors/ml_dsa_acvp_test.cpp): keyGen 75/75, sigGen
//   360/360 (external pure / preHash, internal with and without externalMu, deterministic and
//   randomized), sigVer 180/180; unit tests (tests/unit/ml_dsa_test.cpp) cover round trips,
//   context, sizes, tampering, malformed hints and keys, HashML-DSA domain separation, external mu,
//   and Power2Round/Decompose exhaustively over [0, q). A valgrind memcheck run with ξ, K, s1, s2,
//   t0 and rnd poisoned (build with -DCRATON_VALGRIND_CT) reports 0 errors for keygen and sign.
//   Speed (thread CPU time, median of 5, loaded 2-core EPYC): 44 keygen/sign/verify ≈ 97/374/94 µs,
//   65 ≈ 174/636/146 µs, 87 ≈ 261/768/248 µs.
//   The valgrind CT run is a CI test (tests/ct, label `ct`); cross-tested against
//   @noble/post-quantum (tests/crosstest); PKCS#11 glue in src/mech/ml_dsa.cpp.
//   MISSING — an AVX2 NTT. About a third of the time is the Keccak permutation (keccak.cpp).
//
// Errors (CK_RV chosen here; outer layers pass them on):
//   context longer than 255 bytes ............ CKR_MECHANISM_PARAM_INVALID (the context arrives
//                                               in CK_SIGN_ADDITIONAL_CONTEXT, a mechanism parameter)
//   rnd / ξ / μ of the wrong length ........... CKR_ARGUMENTS_BAD (internal misuse; no caller input)
//   private or public key of the wrong length . CKR_KEY_SIZE_RANGE
//   private key whose s1/s2 are out of [-η, η]  CKR_ATTRIBUTE_VALUE_INVALID (the key's CKA_VALUE is
//                                               not an ML-DSA private key; such a key would make
//                                               the signing loop reject forever)
//   pre-hash of the wrong length for its hash . CKR_DATA_LEN_RANGE
//   signature of the wrong length ............. CKR_SIGNATURE_LEN_RANGE
//   signature that does not verify or whose
//   hint encoding is malformed (§7.1 Alg. 21)   CKR_SIGNATURE_INVALID
//   random generator failure .................. CKR_FUNCTION_FAILED (from crypto::random_bytes)
//
// Constant time: key generation and signing have no secret-dependent branches or memory indices
// except these, each marked with mldsa::declassify() so the valgrind check can tell them apart:
// the rejection loop's restart decisions (the ‖z‖∞ / ‖r0‖∞ and ‖ct0‖∞ / hint-count checks of
// Alg. 7; the z check is taken first, so timing shows which check failed, about discarded values); which nibbles RejBoundedPoly
// rejects (the rejected ones are discarded); c̃ and everything derived from it (SampleInBall's
// index walk): a hash output, published with the accepted signature; the private key's
// well-formedness verdict. Verification handles public data only.
//
// Thread safety: all functions are pure (no shared state); call them from any thread.
// Ownership: private keys and every secret intermediate live in SecureBytes or zeroizing vectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/pqc/prehash.h"

namespace craton::crypto::pqc {

// FIPS 204 Table 1 (parameters) and Table 2 (sizes).
struct MlDsaParams {
  std::string_view name;
  int k;            // rows of A
  int l;            // columns of A
  int eta;          // private-key range η
  int tau;          // number of ±1 in c
  int beta;         // τ·η
  int omega;        // maximum number of 1s in the hint h
  int lambda;       // collision strength of c̃; c̃ has λ/4 bytes
  std::int32_t gamma1;  // coefficient range of y
  std::int32_t gamma2;  // low-order rounding range
  std::size_t pk_bytes;
  std::size_t sk_bytes;
  std::size_t sig_bytes;
};

inline constexpr MlDsaParams kMlDsa44{"ML-DSA-44", 4, 4, 2, 39, 78, 80, 128,
                                      1 << 17, (8380417 - 1) / 88, 1312, 2560, 2420};
inline constexpr MlDsaParams kMlDsa65{"ML-DSA-65", 6, 5, 4, 49, 196, 55, 192,
                                      1 << 19, (8380417 - 1) / 32, 1952, 4032, 3309};
inline constexpr MlDsaParams kMlDsa87{"ML-DSA-87", 8, 7, 2, 60, 120, 75, 256,
                                      1 << 19, (8380417 - 1) / 32, 2592, 4896, 4627};

inline constexpr std::size_t kMlDsaSeedBytes = 32;  // ξ
inline constexpr std::size_t kMlDsaRndBytes = 32;   // rnd
inline constexpr std::size_t kMlDsaMuBytes = 64;    // μ
inline constexpr std::size_t kMlDsaTrBytes = 64;    // tr
inline constexpr std::size_t kMlDsaMaxContextBytes = 255;

struct MlDsaKeyPair {
  std::vector<std::uint8_t> pk;  // pkEncode(ρ, t1)
  SecureBytes sk;                // skEncode(ρ, K, tr, s1, s2, t0)
};

// Hedged: rnd drawn from the DRBG (the FIPS 204 default). Deterministic: rnd = 0^32.
enum class MlDsaHedge { kHedged, kDeterministic };

// The pre-hash functions of FIPS 204 §5.4 (Alg. 4), shared with HashSLH-DSA (crypto/pqc/prehash.h).
using MlDsaPreHash = PreHash;
// Length of PH(M) for `ph` (SHAKE128: 256 bits, SHAKE256: 512 bits, per FIPS 204 §5.4).
inline std::size_t ml_dsa_prehash_bytes(MlDsaPreHash ph) noexcept { return prehash_bytes(ph); }
// The 11-byte DER encoding of the hash function's OID (06 09 60 86 48 01 65 03 04 02 xx).
inline std::array<std::uint8_t, 11> ml_dsa_prehash_oid(MlDsaPreHash ph) noexcept { return prehash_oid(ph); }

// ---- Internal interface (FIPS 204 §6) ----

// Alg. 6 ML-DSA.KeyGen_internal(ξ). REQUIRES xi.size() == 32 (else CKR_ARGUMENTS_BAD).
Result<MlDsaKeyPair> ml_dsa_keygen_internal(const MlDsaParams& p, std::span<const std::uint8_t> xi);

// The public key belonging to an expanded private key, after checking that the key is internally
// consistent: s1, s2 within [-η, η], t0 equal to the low bits of A·s1 + s2, and tr = H(pk). Used
// when a private key is imported without its seed. Wrong length → CKR_KEY_SIZE_RANGE; any
// inconsistency → CKR_ATTRIBUTE_VALUE_INVALID. Costs about one key generation.
Result<std::vector<std::uint8_t>> ml_dsa_public_from_private(const MlDsaParams& p,
                                                             std::span<const std::uint8_t> sk);

// Alg. 7 ML-DSA.Sign_internal(sk, M', rnd). rnd must be 32 bytes.
Result<std::vector<std::uint8_t>> ml_dsa_sign_internal(const MlDsaParams& p,
                                                       std::span<const std::uint8_t> sk,
                                                       std::span<const std::uint8_t> m_prime,
                                                       std::span<const std::uint8_t> rnd);

// Alg. 7 after μ: the external-mu form, μ = H(tr || M', 64) computed by the caller (64 bytes).
Result<std::vector<std::uint8_t>> ml_dsa_sign_mu(const MlDsaParams& p,
                                                 std::span<const std::uint8_t> sk,
                                                 std::span<const std::uint8_t> mu,
                                                 std::span<const std::uint8_t> rnd);

// Alg. 8 ML-DSA.Verify_internal(pk, M', σ): false for any malformed or wrong-sized input.
bool ml_dsa_verify_internal(const MlDsaParams& p, std::span<const std::uint8_t> pk,
                            std::span<const std::uint8_t> m_prime,
                            std::span<const std::uint8_t> sigma);

// Alg. 8 with μ given (external mu).
bool ml_dsa_verify_mu(const MlDsaParams& p, std::span<const std::uint8_t> pk,
                      std::span<const std::uint8_t> mu, std::span<const std::uint8_t> sigma);

// μ = H(H(pk, 64) || M', 64) as in Alg. 7 and 8, for callers of the external-mu form.
Result<std::array<std::uint8_t, kMlDsaMuBytes>> ml_dsa_compute_mu(
    const MlDsaParams& p, std::span<const std::uint8_t> pk, std::span<const std::uint8_t> m_prime);

// M' for the pure (Alg. 2/3) and pre-hash (Alg. 4/5) external interfaces.
Result<std::vector<std::uint8_t>> ml_dsa_message_prime(std::span<const std::uint8_t> msg,
                                                       std::span<const std::uint8_t> ctx);
Result<std::vector<std::uint8_t>> hash_ml_dsa_message_prime(std::span<const std::uint8_t> ph_m,
                                                            std::span<const std::uint8_t> ctx,
                                                            MlDsaPreHash ph);

// ---- External interface (FIPS 204 §5) ----

// Alg. 1 ML-DSA.KeyGen(): ξ from the DRBG.
Result<MlDsaKeyPair> ml_dsa_keygen(const MlDsaParams& p);

// Alg. 2 ML-DSA.Sign(sk, M, ctx) with rnd given (32 bytes; tests inject it) or chosen by `hedge`.
Result<std::vector<std::uint8_t>> ml_dsa_sign(const MlDsaParams& p, std::span<const std::uint8_t> sk,
                                              std::span<const std::uint8_t> msg,
                                              std::span<const std::uint8_t> ctx,
                                              std::span<const std::uint8_t> rnd);
Result<std::vector<std::uint8_t>> ml_dsa_sign(const MlDsaParams& p, std::span<const std::uint8_t> sk,
                                              std::span<const std::uint8_t> msg,
                                              std::span<const std::uint8_t> ctx, MlDsaHedge hedge);

// Alg. 3 ML-DSA.Verify(pk, M, σ, ctx): CKR_OK when valid, else an error from the table above.
Status ml_dsa_verify(const MlDsaParams& p, std::span<const std::uint8_t> pk,
                     std::span<const std::uint8_t> msg, std::span<const std::uint8_t> ctx,
                     std::span<const std::uint8_t> sigma);

// Alg. 4 HashML-DSA.Sign(sk, M, ctx, PH) with PH(M) computed by the caller (`ph_m`).
Result<std::vector<std::uint8_t>> hash_ml_dsa_sign(const MlDsaParams& p,
                                                   std::span<const std::uint8_t> sk,
                                                   std::span<const std::uint8_t> ph_m,
                                                   std::span<const std::uint8_t> ctx,
                                                   MlDsaPreHash ph,
                                                   std::span<const std::uint8_t> rnd);
Result<std::vector<std::uint8_t>> hash_ml_dsa_sign(const MlDsaParams& p,
                                                   std::span<const std::uint8_t> sk,
                                                   std::span<const std::uint8_t> ph_m,
                                                   std::span<const std::uint8_t> ctx,
                                                   MlDsaPreHash ph, MlDsaHedge hedge);

// Alg. 5 HashML-DSA.Verify(pk, M, σ, ctx, PH) with PH(M) computed by the caller.
Status hash_ml_dsa_verify(const MlDsaParams& p, std::span<const std::uint8_t> pk,
                          std::span<const std::uint8_t> ph_m, std::span<const std::uint8_t> ctx,
                          MlDsaPreHash ph, std::span<const std::uint8_t> sigma);

}  // namespace craton::crypto::pqc
