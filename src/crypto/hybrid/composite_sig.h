// Composite ML-DSA signatures (PQ/T hybrid): ML-DSA (FIPS 204) and ECDSA (FIPS 186-5) combined
// into one key, one signature and one algorithm, as specified by the IETF LAMPS draft
// draft-ietf-lamps-pq-composite-sigs-19 (21 April 2026), written from the draft text. Two of its
// eighteen algorithms are provided:
//
//   id-MLDSA65-ECDSA-P256-SHA512   1.3.6.1.5.5.7.6.45   ML-DSA-65 + ECDSA P-256 (ecdsa-with-SHA256)
//   id-MLDSA87-ECDSA-P384-SHA512   1.3.6.1.5.5.7.6.49   ML-DSA-87 + ECDSA P-384 (ecdsa-with-SHA384)
//
// Construction (draft §2.2, §3.2, §3.3):
//   M'        = Prefix || Label || len(ctx) (one byte) || ctx || PH(M)
//               Prefix = ASCII "CompositeAlgorithmSignatures2025", Label per algorithm (below),
//               PH = SHA-512 for both algorithms here
//   mldsaSig  = ML-DSA.Sign(mldsaSK, M', ctx = Label)   (pure ML-DSA, FIPS 204 Alg. 2)
//   tradSig   = ECDSA over M' with the algorithm's hash (SHA-256 for P-256, SHA-384 for P-384),
//               DER Ecdsa-Sig-Value (RFC 3279 §2.2.3)
// Encodings (draft §4, all raw concatenations, no ASN.1 wrapper around the whole):
//   public key  = ML-DSA pk (FIPS 204) || uncompressed X9.62 point (04 || X || Y)
//   private key = ML-DSA seed ξ (32 bytes) || DER ECPrivateKey (RFC 5915: version 1, privateKey
//                 padded to the field length, parameters [0] = the curve OID, no publicKey [1])
//   signature   = ML-DSA signature || DER Ecdsa-Sig-Value
// Sizes are fixed except for the DER ECDSA signature, see CompositeSigParams. docs/HYBRIDS.md has
// the byte layouts.
//
// Status: DONE for the two algorithms above. TESTED (tests/unit/composite_sig_test.cpp): the
//   draft's Appendix D message representatives, its Appendix E test vectors for both algorithms
//   (signatures over the empty and the non-empty context verify; the public key is re-derived
//   from the private key), round trips, tampering of each component, lengths, contexts.
//   MISSING: the other sixteen composite algorithms (RSA, EdDSA, brainpool, P-521); a
//   deterministic ECDSA (OpenSSL 3.0 has no RFC 6979), see composite_sign.
//
// Errors (CK_RV chosen here; outer layers pass them on):
//   context longer than 255 bytes .................. CKR_MECHANISM_PARAM_INVALID
//   pre-hash of the wrong length (…_prehashed) ...... CKR_DATA_LEN_RANGE
//   public or private key of the wrong length ....... CKR_KEY_SIZE_RANGE
//   private key of the right length whose ECPrivateKey
//   framing is not the one above, or whose EC scalar
//   is not in [1, n-1] .............................. CKR_ATTRIBUTE_VALUE_INVALID
//   public key whose EC part is not an uncompressed
//   point on the curve .............................. CKR_PUBLIC_KEY_INVALID
//   signature shorter or longer than any valid one .. CKR_SIGNATURE_LEN_RANGE
//   signature of a possible length whose ECDSA part
//   is not a strict DER Ecdsa-Sig-Value, or whose
//   ML-DSA or ECDSA component does not verify ....... CKR_SIGNATURE_INVALID
//   random generator failure ........................ CKR_FUNCTION_FAILED
//
// Constant time: ML-DSA key expansion and signing are as constant-time as crypto/pqc/ml_dsa.h
// states; ECDSA signing and the EC scalar's range check run in OpenSSL (constant-time scalar
// multiplication). The only branches on private-key bytes are the comparison of the
// ECPrivateKey framing (tag, length and OID bytes, which are public constants) and the range
// check's verdict. Verification handles public data only and stops at the first failing
// component (draft §3.3 allows it: no secret is involved).
// Thread safety: all functions are pure; call them from any thread.
// Ownership: private keys are returned in SecureBytes; expanded ML-DSA keys and EC scalars are
// held in SecureBytes or OpenSSL secure memory and wiped before return.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/curves.h"
#include "crypto/pqc/ml_dsa.h"

namespace craton::crypto::hybrid {

// "CompositeAlgorithmSignatures2025" (draft §2.2), 32 ASCII bytes.
inline constexpr std::string_view kCompositeSigPrefix = "CompositeAlgorithmSignatures2025";
inline constexpr std::size_t kCompositeMlDsaSeedBytes = 32;  // ξ, the first field of the private key

struct CompositeSigParams {
  std::string_view name;    // "id-MLDSA65-ECDSA-P256-SHA512"
  std::string_view oid;     // dotted, "1.3.6.1.5.5.7.6.45"
  std::span<const std::uint8_t> oid_der;  // DER OBJECT IDENTIFIER, tag and length included
  std::string_view label;   // ASCII signature label (draft §6), also the ML-DSA context
  const pqc::MlDsaParams* mldsa;
  std::string_view curve_name;       // crypto::curve_by_name() name: "P-256" / "P-384"
  CK_MECHANISM_TYPE prehash;         // PH: CKM_SHA512 (64-byte output)
  CK_MECHANISM_TYPE ecdsa_hash;      // hash ECDSA applies to M': CKM_SHA256 / CKM_SHA384
  std::size_t ec_field_bytes;        // 32 / 48: scalar, coordinate, r and s length
  std::size_t pk_bytes;              // ML-DSA pk + 1 + 2 * ec_field_bytes
  std::size_t sk_bytes;              // 32 + DER ECPrivateKey (fixed: no optional fields)
  std::size_t min_sig_bytes;         // ML-DSA sig + 8 (r and s of one byte each)
  std::size_t max_sig_bytes;         // ML-DSA sig + DER with r and s of field length + 1

  // The curve (an entry of crypto::all_curves()); nullptr only if the curve table lost it.
  const Curve* curve() const noexcept;
};

namespace detail {
inline constexpr std::array<std::uint8_t, 10> kOidMlDsa65EcdsaP256Sha512{
    0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x06, 0x2D};  // 1.3.6.1.5.5.7.6.45
inline constexpr std::array<std::uint8_t, 10> kOidMlDsa87EcdsaP384Sha512{
    0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x06, 0x31};  // 1.3.6.1.5.5.7.6.49
// DER ECPrivateKey length: SEQUENCE { INTEGER 1, OCTET STRING scalar, [0] { OID } }.
inline constexpr std::size_t ec_private_key_der_bytes(std::size_t field, std::size_t curve_oid_der) {
  return 2 + 3 + (2 + field) + (2 + curve_oid_der);
}
}  // namespace detail

inline constexpr CompositeSigParams kMlDsa65EcdsaP256Sha512{
    "id-MLDSA65-ECDSA-P256-SHA512",
    "1.3.6.1.5.5.7.6.45",
    detail::kOidMlDsa65EcdsaP256Sha512,
    "COMPSIG-MLDSA65-ECDSA-P256-SHA512",
    &pqc::kMlDsa65,
    "P-256",
    CKM_SHA512,
    CKM_SHA256,
    32,
    1952 + 65,
    32 + detail::ec_private_key_der_bytes(32, 10),
    3309 + 8,
    3309 + 72,
};

inline constexpr CompositeSigParams kMlDsa87EcdsaP384Sha512{
    "id-MLDSA87-ECDSA-P384-SHA512",
    "1.3.6.1.5.5.7.6.49",
    detail::kOidMlDsa87EcdsaP384Sha512,
    "COMPSIG-MLDSA87-ECDSA-P384-SHA512",
    &pqc::kMlDsa87,
    "P-384",
    CKM_SHA512,
    CKM_SHA384,
    48,
    2592 + 97,
    32 + detail::ec_private_key_der_bytes(48, 7),
    4627 + 8,
    4627 + 104,
};

static_assert(kMlDsa65EcdsaP256Sha512.pk_bytes == 2017 && kMlDsa65EcdsaP256Sha512.sk_bytes == 83);
static_assert(kMlDsa87EcdsaP384Sha512.pk_bytes == 2689 && kMlDsa87EcdsaP384Sha512.sk_bytes == 96);

// Both parameter sets, in OID order.
std::span<const CompositeSigParams* const> all_composite_sig_params() noexcept;
// The parameter set with this dotted OID, or nullptr.
const CompositeSigParams* composite_sig_params_by_oid(std::string_view dotted_oid) noexcept;

struct CompositeKeyPair {
  std::vector<std::uint8_t> pk;  // ML-DSA pk || uncompressed EC point
  SecureBytes sk;                // ξ || DER ECPrivateKey
};

// Draft §3.1 KeyGen: a fresh ML-DSA seed from the DRBG and a fresh EC key from OpenSSL.
Result<CompositeKeyPair> composite_keygen(const CompositeSigParams& p);

// The public key belonging to a private key (draft §3.1 re-run on ξ, plus d·G): for import
// consistency checks and for CKM_PUB_KEY_FROM_PRIV_KEY. Errors as in the table above.
Result<std::vector<std::uint8_t>> composite_public_from_private(const CompositeSigParams& p,
                                                                std::span<const std::uint8_t> sk);

// PH(M) (SHA-512 of the whole message). A multi-part caller may instead run
// HashStream::create(p.prehash) over the parts and call the _prehashed functions.
Result<std::vector<std::uint8_t>> composite_prehash(const CompositeSigParams& p,
                                                    std::span<const std::uint8_t> msg);

// M' = Prefix || Label || len(ctx) || ctx || PH(M), from PH(M) (draft §2.2).
Result<std::vector<std::uint8_t>> composite_message_representative(
    const CompositeSigParams& p, std::span<const std::uint8_t> ph_m, std::span<const std::uint8_t> ctx);

// Draft §3.2 Sign. `hedge` selects ML-DSA's rnd (hedged: from the DRBG; deterministic: 0^32).
// ECDSA always draws its nonce from OpenSSL's DRBG, so even with kDeterministic two signatures of
// the same message differ in their ECDSA part: a caller that must honour
// CKH_DETERMINISTIC_REQUIRED cannot do so with this algorithm.
Result<std::vector<std::uint8_t>> composite_sign(const CompositeSigParams& p, std::span<const std::uint8_t> sk,
                                                 std::span<const std::uint8_t> msg,
                                                 std::span<const std::uint8_t> ctx, pqc::MlDsaHedge hedge);
// The same with PH(M) computed by the caller (draft §10.5 external pre-hashing).
Result<std::vector<std::uint8_t>> composite_sign_prehashed(const CompositeSigParams& p,
                                                           std::span<const std::uint8_t> sk,
                                                           std::span<const std::uint8_t> ph_m,
                                                           std::span<const std::uint8_t> ctx,
                                                           pqc::MlDsaHedge hedge);

// Draft §3.3 Verify: CKR_OK only when both components verify.
Status composite_verify(const CompositeSigParams& p, std::span<const std::uint8_t> pk,
                        std::span<const std::uint8_t> msg, std::span<const std::uint8_t> ctx,
                        std::span<const std::uint8_t> sig);
Status composite_verify_prehashed(const CompositeSigParams& p, std::span<const std::uint8_t> pk,
                                  std::span<const std::uint8_t> ph_m, std::span<const std::uint8_t> ctx,
                                  std::span<const std::uint8_t> sig);

}  // namespace craton::crypto::hybrid
