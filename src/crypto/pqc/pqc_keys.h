// Post-quantum keys as the token stores and exchanges them: the table of PKCS#11 parameter sets,
// key import (seed-only, expanded-only or both, checked for consistency), key generation with a
// pairwise consistency test, and the IETF encodings used for CKA_PUBLIC_KEY_INFO and for wrapping
// private keys (SubjectPublicKeyInfo and PKCS#8 OneAsymmetricKey).
//
// Encodings (docs/MECHANISMS.md, "Post-quantum keys"):
//   AlgorithmIdentifier  the NIST CSOR OID without parameters: ML-DSA 2.16.840.1.101.3.4.3.17-19,
//                        SLH-DSA 2.16.840.1.101.3.4.3.20-31, ML-KEM 2.16.840.1.101.3.4.4.1-3.
//   SubjectPublicKeyInfo BIT STRING = the raw FIPS 203/204/205 public key.
//   OneAsymmetricKey     ML-KEM / ML-DSA privateKey = DER of the CHOICE of RFC 9881 / RFC 9935:
//                          seed [0] IMPLICIT OCTET STRING | expandedKey OCTET STRING |
//                          both SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING };
//                        we write `both` when the seed is known, else `expandedKey`, and read all
//                        three. SLH-DSA privateKey = the raw 4n-byte private key (RFC 9909).
//
// Errors: an unknown parameter set → CKR_PARAMETER_SET_NOT_SUPPORTED; a key value or seed of the
// wrong length, or an expanded key that fails its internal check → CKR_ATTRIBUTE_VALUE_INVALID;
// seed and expanded key that do not belong together → CKR_TEMPLATE_INCONSISTENT; neither given →
// CKR_TEMPLATE_INCOMPLETE; malformed DER → CKR_WRAPPED_KEY_INVALID.
// Thread safety: pure functions over immutable tables.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::crypto::pqc {

struct MlKemParams;
struct MlDsaParams;
struct SlhDsaParams;

// One (CKA_KEY_TYPE, CKA_PARAMETER_SET) pair.
struct PqcKeySpec {
  CK_KEY_TYPE key_type;
  CK_ULONG parameter_set;
  std::string_view name;
  std::uint8_t oid_arc;   // 2.16.840.1.101.3.4.<oid_arc>.<oid_last>
  std::uint8_t oid_last;
  std::size_t public_bytes;
  std::size_t private_bytes;  // the expanded key (CKA_VALUE of the private key)
  std::size_t seed_bytes;     // CKA_SEED; 0 for SLH-DSA (no seed form)
  std::size_t output_bytes;   // signature or ciphertext length
  const MlKemParams* kem = nullptr;
  const MlDsaParams* dsa = nullptr;
  const SlhDsaParams* slh = nullptr;
};

// The spec of a parameter set of `key_type` (CKK_ML_KEM, CKK_ML_DSA, CKK_SLH_DSA).
Result<const PqcKeySpec*> pqc_key_spec(CK_KEY_TYPE key_type, CK_ULONG parameter_set);
// Every parameter set of `key_type`, in CKP_ order.
std::vector<const PqcKeySpec*> pqc_key_specs(CK_KEY_TYPE key_type);

// A private key with everything derived from it.
struct PqcPrivateKey {
  SecureBytes value;  // expanded private key
  SecureBytes seed;   // empty when unknown (imported expanded-only) or SLH-DSA
  std::vector<std::uint8_t> public_key;
};

// A fresh key pair (seed from the DRBG) that has passed its pairwise consistency test.
Result<PqcPrivateKey> pqc_generate(const PqcKeySpec& spec);

// C_CreateObject / C_UnwrapKey: completes and checks a private key given as seed, expanded value
// or both. Every form is verified: seed-only is expanded; expanded-only is checked internally
// (ML-KEM: the FIPS 203 §7.3 hash check; ML-DSA: t0 and tr recomputed; SLH-DSA: PK.root
// recomputed); both must expand to the same value.
Result<PqcPrivateKey> pqc_import_private(const PqcKeySpec& spec, std::optional<std::span<const std::uint8_t>> seed,
                                         std::optional<std::span<const std::uint8_t>> value);
// A public key: length, and the FIPS 203 §7.2 modulus check for ML-KEM.
Status pqc_check_public(const PqcKeySpec& spec, std::span<const std::uint8_t> value);

// Sign/verify (or encapsulate/decapsulate) once with the pair. A failure enters the error state
// and is CKR_FIPS_SELF_TEST_FAILED (selftest/pct.h).
Status pqc_pairwise_test(const PqcKeySpec& spec, std::span<const std::uint8_t> public_key,
                         std::span<const std::uint8_t> private_key);

// DER SubjectPublicKeyInfo of a public key.
std::vector<std::uint8_t> pqc_public_key_info(const PqcKeySpec& spec, std::span<const std::uint8_t> public_key);
// DER OneAsymmetricKey (version 0) of a private key; `seed` may be empty.
SecureBytes pqc_private_key_info(const PqcKeySpec& spec, std::span<const std::uint8_t> seed,
                                 std::span<const std::uint8_t> value);

// Whether `der` is a OneAsymmetricKey whose algorithm is one of ours (cheap; no full parse).
bool pqc_is_private_key_info(std::span<const std::uint8_t> der) noexcept;
struct PqcDecodedPrivateKey {
  const PqcKeySpec* spec = nullptr;
  bool has_seed = false;
  bool has_value = false;
  SecureBytes seed;
  SecureBytes value;
};
Result<PqcDecodedPrivateKey> pqc_parse_private_key_info(std::span<const std::uint8_t> der);

}  // namespace craton::crypto::pqc
