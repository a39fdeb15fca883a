// X-Wing: the hybrid KEM of ML-KEM-768 (FIPS 203) and X25519 (RFC 7748), as specified by
// draft-connolly-cfrg-xwing-kem-10 (2 March 2026), written from the draft text.
//
// Construction (draft §5):
//   expand(sk)  = SHAKE256(sk, 96 bytes) = d || z || sk_X;  (pk_M, dk_M) = ML-KEM-768.KeyGen_internal(d, z);
//                 pk_X = X25519(sk_X, 9)
//   pk          = pk_M (1184) || pk_X (32)                               1216 bytes
//   Encaps      = ML-KEM-768.Encaps_internal(pk_M, eseed[0:32]) → (ss_M, ct_M);
//                 ct_X = X25519(eseed[32:64], 9); ss_X = X25519(eseed[32:64], pk_X)
//   ct          = ct_M (1088) || ct_X (32)                               1120 bytes
//   Decaps      = ss_M = ML-KEM-768.Decaps_internal(dk_M, ct_M); ss_X = X25519(sk_X, ct_X)
//   ss          = SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel), XWingLabel = 5c2e2f2f5e5c
// The private key is the 32-byte seed sk; the expanded key is recomputed for every decapsulation
// (about 30 µs) and never leaves this file. OID 1.3.6.1.4.1.62253.25722 (draft §5.8), HPKE KEM id
// and TLS group 0x647a (draft §7). Byte layouts: docs/HYBRIDS.md.
//
// Status: DONE. TESTED (tests/unit/xwing_test.cpp): the draft's Appendix C vectors (keygen from the
//   seed, derandomized encapsulation, decapsulation), round trips, implicit rejection, lengths, the
//   §7.2 check, low-order X25519 inputs.
//
// X25519 follows RFC 7748 exactly (OpenSSL's implementation): a peer u-coordinate of small order
// yields the all-zero value, which X-Wing combines like any other (the draft has no zero check and
// its security does not rest on X25519 alone). OpenSSL refuses to output the all-zero value, so
// that one case is recognised by OpenSSL's reason code and replaced by 32 zero bytes. Whether the
// output is zero depends only on the public u-coordinate, never on the scalar.
//
// Errors (CK_RV chosen here; outer layers pass them on):
//   private key (seed) of the wrong length ........ CKR_KEY_SIZE_RANGE
//   public key of the wrong length ................ CKR_KEY_SIZE_RANGE
//   public key whose ML-KEM part fails the FIPS 203
//   §7.2 modulus check ............................ CKR_PUBLIC_KEY_INVALID
//   ciphertext of the wrong length ................ CKR_ENCRYPTED_DATA_LEN_RANGE
//   eseed of the wrong length ..................... CKR_ARGUMENTS_BAD (a caller bug: tests only)
//   random generator failure ...................... CKR_FUNCTION_FAILED
// Decapsulation of a well-sized ciphertext never fails: a modified ML-KEM part yields ML-KEM's
// implicit-rejection key, so the combined secret is unrelated to the sender's and no error tells
// the caller so.
//
// Constant time: ML-KEM per crypto/pqc/ml_kem.h; X25519 in OpenSSL (constant-time ladder); SHAKE256
// and SHA3-256 per crypto/pqc/keccak.h. Only lengths and the public zero-output case above branch.
// Thread safety: pure functions; safe from any thread.
// Ownership: seeds, expanded keys and shared secrets live in SecureBytes or OpenSSL secure memory.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"

namespace craton::crypto::hybrid {

inline constexpr std::size_t kXWingSeedBytes = 32;          // the private (decapsulation) key
inline constexpr std::size_t kXWingPublicKeyBytes = 1216;   // pk_M || pk_X
inline constexpr std::size_t kXWingCiphertextBytes = 1120;  // ct_M || ct_X
inline constexpr std::size_t kXWingSharedSecretBytes = 32;
inline constexpr std::size_t kXWingEncapsSeedBytes = 64;    // m || ek_X, for the derandomized form
inline constexpr std::array<std::uint8_t, 6> kXWingLabel{0x5C, 0x2E, 0x2F, 0x2F, 0x5E, 0x5C};  // "\./" "/^\"
inline constexpr std::string_view kXWingOid = "1.3.6.1.4.1.62253.25722";

struct XWingKeyPair {
  std::vector<std::uint8_t> pk;  // 1216 bytes
  SecureBytes sk;                // the 32-byte seed
};

struct XWingEncapsulation {
  SecureBytes shared_secret;             // 32 bytes
  std::vector<std::uint8_t> ciphertext;  // 1120 bytes
};

// Draft §5.2 GenerateKeyPair: the seed from the DRBG.
Result<XWingKeyPair> xwing_keygen();
// Draft §5.2.1 GenerateKeyPairDerand(sk). Also the public-from-private function for imports.
Result<XWingKeyPair> xwing_keygen_derand(std::span<const std::uint8_t> seed);

// Draft §5.4 Encapsulate: eseed from the DRBG.
Result<XWingEncapsulation> xwing_encaps(std::span<const std::uint8_t> pk);
// Draft §5.4.1 EncapsulateDerand(pk, eseed), eseed = m (32) || ek_X (32). For tests and KATs.
Result<XWingEncapsulation> xwing_encaps_derand(std::span<const std::uint8_t> pk, std::span<const std::uint8_t> eseed);

// Draft §5.5 Decapsulate(ct, sk).
Result<SecureBytes> xwing_decaps(std::span<const std::uint8_t> sk, std::span<const std::uint8_t> ct);

}  // namespace craton::crypto::hybrid
