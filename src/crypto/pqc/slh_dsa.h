// SLH-DSA (FIPS 205, Stateless Hash-Based Digital Signature Standard), written from the standard.
//
// Status (2026-11-27): DONE — all twelve parameter sets of FIPS 205 Table 2 (SHA2 and SHAKE,
//   128/192/256, s and f): KeyGen (Alg. 18/21), Sign (Alg. 19/22; hedged, deterministic, injected
//   addrnd; context ≤ 255 bytes), Verify (Alg. 20/24), HashSLH-DSA (Alg. 23/25, the twelve
//   pre-hashes of crypto/pqc/prehash.h; PH(M) passed in by the caller) and a private-key
//   consistency check. The code follows the standard's layout: slh_dsa_address.h (§4.2 ADRS),
//   slh_dsa_hash (§11), slh_dsa_wots (§5), slh_dsa_xmss (§6), slh_dsa_hypertree (§7),
//   slh_dsa_fors (§8), this file's .cpp (§9-10); slh_dsa_internal.h declares the components.
//   TESTED — tests/vectors/slh_dsa_acvp_test.cpp: ACVP keyGen 120/120 byte for byte; ACVP sigGen
//   624/624 signed and verified (the vector folder has no expected results; 28 cases, SHA2-128s,
//   compared byte for byte with the fastcrypto subset); ACVP sigVer: the 28 of 504 verdicts whose
//   inputs exist (fastcrypto subset); CIRCL internal sigGen 88/88 byte for byte, sigVer 108/108.
//   tests/unit/slh_dsa_test.cpp (49 tests). tests/ct/ct_slh_dsa.cpp: valgrind memcheck with
//   SK.seed, SK.prf and addrnd poisoned, 0 errors (SHA2-128f, SHA2-192f, SHAKE-128f).
//   Speed (Release, thread CPU time, 2-core EPYC with SHA-NI), keygen / sign / verify:
//     SHA2-128s  14.5 ms / 111 ms / 116 µs     SHAKE-128s  120 ms / 913 ms / 890 µs
//     SHA2-128f   226 µs / 5.35 ms / 330 µs    SHAKE-128f 1.89 ms / 45.4 ms / 2.61 ms
//     SHA2-192s  21.6 ms / 230 ms / 208 µs     SHAKE-192s  179 ms / 1.60 s / 1.37 ms
//     SHA2-192f   339 µs / 9.84 ms / 533 µs    SHAKE-192f 2.82 ms / 72.0 ms / 3.88 ms
//     SHA2-256s  14.8 ms / 219 ms / 293 µs     SHAKE-256s  120 ms / 1.43 s / 2.02 ms
//     SHA2-256f   916 µs / 20.6 ms / 540 µs    SHAKE-256f 7.43 ms / 150 ms / 4.04 ms
//   The SHAKE sets spend ~90% of their time in Keccak-p (≈400 ns a permutation, keccak.cpp).
//   MISSING — a multi-lane (AVX2) Keccak / SHA-2 that hashes several WOTS+ chains or FORS leaves
//   at once (the standard's structure allows it; it is what makes the s sets fast elsewhere).
//
// Errors (CK_RV chosen here; outer layers pass them on; the same table as ML-DSA's):
//   context longer than 255 bytes ............ CKR_MECHANISM_PARAM_INVALID
//   addrnd of the wrong length (not n, not 0)  CKR_ARGUMENTS_BAD (internal misuse)
//   seeds of the wrong length (keygen_internal) CKR_ARGUMENTS_BAD
//   private or public key of the wrong length . CKR_KEY_SIZE_RANGE
//   private key whose PK.root does not belong
//   to its SK.seed / PK.seed .................. CKR_ATTRIBUTE_VALUE_INVALID (slh_dsa_check_private_key;
//                                               signing notices it too, for one extra
//                                               xmss_pkFromSig at the top hypertree layer)
//   pre-hash of the wrong length for its hash . CKR_DATA_LEN_RANGE
//   signature of the wrong length ............. CKR_SIGNATURE_LEN_RANGE
//   signature that does not verify ............ CKR_SIGNATURE_INVALID
//   random generator failure .................. CKR_FUNCTION_FAILED (from crypto::random_bytes)
//
// Constant time: every branch and memory index of SLH-DSA depends on public values only. R (the
// first n bytes of the signature) makes the message digest, and with it the FORS indices, idx_tree
// and idx_leaf, public; WOTS+ chain lengths depend on the roots signed, which a verifier
// recomputes. These are the values marked with slhdsa::declassify() for the valgrind check (see
// slh_dsa_hash.h), together with PK.root, the finished signature and the verdicts of the PK.root
// comparisons (tests/ct/ct_slh_dsa.cpp). The hash functions themselves (OpenSSL's SHA-2 block functions, our Keccak)
// have no data-dependent branches or indices.
//
// Thread safety: all functions are pure (no shared state); call them from any thread.
// Ownership: SK.seed, SK.prf, addrnd and every WOTS+/FORS secret value live in SecureBytes or in
// buffers wiped before they are released.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"
#include "crypto/pqc/prehash.h"

namespace craton::crypto::pqc {

// FIPS 205 Table 2. lg_w = 4 (w = 16) in every set, so len = 2n + 3 (§5, Eq. 5.1-5.4).
struct SlhDsaParams {
  std::string_view name;      // "SLH-DSA-SHA2-128s", ... as FIPS 205 names them
  CK_ULONG parameter_set;     // CKP_SLH_DSA_*
  bool shake;                 // SHAKE (§11.1) vs SHA2 (§11.2) instantiation
  unsigned n, h, d, hp, a, k, m;  // hp = h' = h / d
  constexpr std::size_t pk_bytes() const noexcept { return 2 * std::size_t{n}; }
  constexpr std::size_t sk_bytes() const noexcept { return 4 * std::size_t{n}; }
  // (1 + k(1 + a) + h + d·len)·n with len = 2n + 3.
  constexpr std::size_t sig_bytes() const noexcept {
    const std::size_t len = 2 * std::size_t{n} + 3;
    return (1 + std::size_t{k} * (1 + std::size_t{a}) + h + std::size_t{d} * len) * n;
  }
};

//                                              name                  CKP                    shake  n   h   d  h' a   k   m
inline constexpr SlhDsaParams kSlhDsaSha2_128s{"SLH-DSA-SHA2-128s", CKP_SLH_DSA_SHA2_128S, false, 16, 63, 7, 9, 12, 14, 30};
inline constexpr SlhDsaParams kSlhDsaShake128s{"SLH-DSA-SHAKE-128s", CKP_SLH_DSA_SHAKE_128S, true, 16, 63, 7, 9, 12, 14, 30};
inline constexpr SlhDsaParams kSlhDsaSha2_128f{"SLH-DSA-SHA2-128f", CKP_SLH_DSA_SHA2_128F, false, 16, 66, 22, 3, 6, 33, 34};
inline constexpr SlhDsaParams kSlhDsaShake128f{"SLH-DSA-SHAKE-128f", CKP_SLH_DSA_SHAKE_128F, true, 16, 66, 22, 3, 6, 33, 34};
inline constexpr SlhDsaParams kSlhDsaSha2_192s{"SLH-DSA-SHA2-192s", CKP_SLH_DSA_SHA2_192S, false, 24, 63, 7, 9, 14, 17, 39};
inline constexpr SlhDsaParams kSlhDsaShake192s{"SLH-DSA-SHAKE-192s", CKP_SLH_DSA_SHAKE_192S, true, 24, 63, 7, 9, 14, 17, 39};
inline constexpr SlhDsaParams kSlhDsaSha2_192f{"SLH-DSA-SHA2-192f", CKP_SLH_DSA_SHA2_192F, false, 24, 66, 22, 3, 8, 33, 42};
inline constexpr SlhDsaParams kSlhDsaShake192f{"SLH-DSA-SHAKE-192f", CKP_SLH_DSA_SHAKE_192F, true, 24, 66, 22, 3, 8, 33, 42};
inline constexpr SlhDsaParams kSlhDsaSha2_256s{"SLH-DSA-SHA2-256s", CKP_SLH_DSA_SHA2_256S, false, 32, 64, 8, 8, 14, 22, 47};
inline constexpr SlhDsaParams kSlhDsaShake256s{"SLH-DSA-SHAKE-256s", CKP_SLH_DSA_SHAKE_256S, true, 32, 64, 8, 8, 14, 22, 47};
inline constexpr SlhDsaParams kSlhDsaSha2_256f{"SLH-DSA-SHA2-256f", CKP_SLH_DSA_SHA2_256F, false, 32, 68, 17, 4, 9, 35, 49};
inline constexpr SlhDsaParams kSlhDsaShake256f{"SLH-DSA-SHAKE-256f", CKP_SLH_DSA_SHAKE_256F, true, 32, 68, 17, 4, 9, 35, 49};

// The parameter set for a CKP_SLH_DSA_* value; nullptr if there is none.
const SlhDsaParams* slh_dsa_params_for(CK_ULONG parameter_set) noexcept;
// The twelve sets in CKP order (CKP_SLH_DSA_SHA2_128S .. CKP_SLH_DSA_SHAKE_256F).
std::span<const SlhDsaParams* const> slh_dsa_all_params() noexcept;

inline constexpr std::size_t kSlhDsaMaxContextBytes = 255;

struct SlhDsaKeyPair {
  std::vector<std::uint8_t> pk;  // PK.seed || PK.root
  SecureBytes sk;                // SK.seed || SK.prf || PK.seed || PK.root
};

// Hedged: addrnd drawn from the DRBG (the FIPS 205 default). Deterministic: opt_rand = PK.seed.
enum class SlhDsaHedge { kHedged, kDeterministic };

// ---- Internal interface (FIPS 205 §9) ----

// Alg. 18 slh_keygen_internal(SK.seed, SK.prf, PK.seed). Each seed must be n bytes
// (else CKR_ARGUMENTS_BAD).
Result<SlhDsaKeyPair> slh_dsa_keygen_internal(const SlhDsaParams& p, std::span<const std::uint8_t> sk_seed,
                                              std::span<const std::uint8_t> sk_prf,
                                              std::span<const std::uint8_t> pk_seed);

// Alg. 19 slh_sign_internal(M', SK, addrnd). addrnd is n bytes, or empty for the deterministic
// variant (opt_rand = PK.seed).
Result<std::vector<std::uint8_t>> slh_dsa_sign_internal(const SlhDsaParams& p, std::span<const std::uint8_t> sk,
                                                        std::span<const std::uint8_t> m_prime,
                                                        std::span<const std::uint8_t> addrnd);

// Alg. 20 slh_verify_internal(M', SIG, PK): false for any wrong-sized or invalid input.
bool slh_dsa_verify_internal(const SlhDsaParams& p, std::span<const std::uint8_t> pk,
                             std::span<const std::uint8_t> m_prime, std::span<const std::uint8_t> sig);

// ---- External interface (FIPS 205 §10) ----

// Alg. 21 slh_keygen(): SK.seed, SK.prf and PK.seed from the DRBG.
Result<SlhDsaKeyPair> slh_dsa_keygen(const SlhDsaParams& p);

// Alg. 22 slh_sign(M, ctx, SK) with addrnd given (n bytes, or empty = deterministic) or chosen
// by `hedge` (hedged: n bytes from the DRBG).
Result<std::vector<std::uint8_t>> slh_dsa_sign(const SlhDsaParams& p, std::span<const std::uint8_t> sk,
                                               std::span<const std::uint8_t> msg,
                                               std::span<const std::uint8_t> ctx,
                                               std::span<const std::uint8_t> addrnd);
Result<std::vector<std::uint8_t>> slh_dsa_sign(const SlhDsaParams& p, std::span<const std::uint8_t> sk,
                                               std::span<const std::uint8_t> msg,
                                               std::span<const std::uint8_t> ctx, SlhDsaHedge hedge);

// Alg. 24 slh_verify(M, SIG, ctx, PK): CKR_OK when valid, else an error from the table above.
Status slh_dsa_verify(const SlhDsaParams& p, std::span<const std::uint8_t> pk,
                      std::span<const std::uint8_t> msg, std::span<const std::uint8_t> ctx,
                      std::span<const std::uint8_t> sig);

// Alg. 23 hash_slh_sign(M, ctx, PH, SK) with PH(M) computed by the caller (`ph_m`).
Result<std::vector<std::uint8_t>> hash_slh_dsa_sign(const SlhDsaParams& p, std::span<const std::uint8_t> sk,
                                                    std::span<const std::uint8_t> ph_m,
                                                    std::span<const std::uint8_t> ctx, PreHash ph,
                                                    std::span<const std::uint8_t> addrnd);
Result<std::vector<std::uint8_t>> hash_slh_dsa_sign(const SlhDsaParams& p, std::span<const std::uint8_t> sk,
                                                    std::span<const std::uint8_t> ph_m,
                                                    std::span<const std::uint8_t> ctx, PreHash ph,
                                                    SlhDsaHedge hedge);

// Alg. 25 hash_slh_verify(M, SIG, ctx, PH, PK) with PH(M) computed by the caller.
Status hash_slh_dsa_verify(const SlhDsaParams& p, std::span<const std::uint8_t> pk,
                           std::span<const std::uint8_t> ph_m, std::span<const std::uint8_t> ctx,
                           PreHash ph, std::span<const std::uint8_t> sig);

// Recomputes PK.root from SK.seed and PK.seed (xmss_node at the top layer, as in Alg. 18) and
// compares it with the key's PK.root in constant time. For imported private keys. Wrong length →
// CKR_KEY_SIZE_RANGE; mismatch → CKR_ATTRIBUTE_VALUE_INVALID. Costs one key generation.
Status slh_dsa_check_private_key(const SlhDsaParams& p, std::span<const std::uint8_t> sk);

}  // namespace craton::crypto::pqc
