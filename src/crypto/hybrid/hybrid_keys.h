// Hybrid (PQ/T) keys as the token stores and exchanges them: the table of Craton's vendor
// parameter sets (include/craton/pkcs11/craton_vendor.h), key generation with a pairwise
// consistency test, private-key import checked by recomputing the public key, public-key checks,
// and the encodings used for CKA_PUBLIC_KEY_INFO and for wrapping private keys. The shape follows
// crypto/pqc/pqc_keys.h.
//
// Key values (CKA_VALUE) are the drafts' raw encodings (docs/HYBRIDS.md §1.3, §2.1):
//   composite  public  = ML-DSA pk || uncompressed EC point;  private = ξ || DER ECPrivateKey
//   X-Wing     public  = pk_M || pk_X (1216 bytes);            private = the 32-byte seed
// Encodings (draft-ietf-lamps-pq-composite-sigs-19 §5.1, draft-connolly-cfrg-xwing-kem-10 §5.8):
//   AlgorithmIdentifier  the algorithm OID, parameters absent: composite 1.3.6.1.5.5.7.6.45 / .49,
//                        X-Wing 1.3.6.1.4.1.62253.25722
//   SubjectPublicKeyInfo BIT STRING = the raw public key
//   OneAsymmetricKey     written as version 0 with privateKey OCTET STRING = the raw private key;
//                        read as version 0 or 1, with optional attributes [0] (ignored) and, in
//                        version 1, an optional publicKey [1], returned so that the caller can
//                        require it to match (mech/key_encoding.cpp passes it on as
//                        CKA_PUBLIC_KEY_INFO, which the object layer compares).
//
// Errors: unknown parameter set → CKR_PARAMETER_SET_NOT_SUPPORTED; a key value of the wrong length,
// a composite private key whose ECPrivateKey framing or scalar is invalid, a public key whose EC
// point is not on the curve or whose ML-KEM part fails the FIPS 203 §7.2 modulus check →
// CKR_ATTRIBUTE_VALUE_INVALID; malformed DER or an unknown algorithm → CKR_WRAPPED_KEY_INVALID; a
// failed pairwise test → CKR_FIPS_SELF_TEST_FAILED and the error state (selftest/pct.h).
// Thread safety: pure functions over immutable tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::crypto::hybrid {

struct CompositeSigParams;

// One (CKA_KEY_TYPE, CKA_PARAMETER_SET) pair.
struct HybridKeySpec {
  CK_KEY_TYPE key_type;        // CKK_CRATON_COMP_SIG or CKK_CRATON_XWING
  CK_ULONG parameter_set;      // CKP_CRATON_*
  std::string_view name;       // the draft's algorithm name
  std::span<const std::uint8_t> oid_der;  // DER OBJECT IDENTIFIER, tag and length included
  std::size_t public_bytes;
  std::size_t private_bytes;
  std::size_t min_output_bytes;  // shortest signature / the ciphertext
  std::size_t max_output_bytes;  // longest signature / the ciphertext
  const CompositeSigParams* composite = nullptr;  // nullptr for X-Wing
};

// Whether `key_type` is one of the hybrid key types.
bool is_hybrid_key_type(CK_KEY_TYPE key_type) noexcept;
// The spec of a parameter set of a hybrid key type.
Result<const HybridKeySpec*> hybrid_key_spec(CK_KEY_TYPE key_type, CK_ULONG parameter_set);
// Every parameter set of `key_type`, in CKP_ order.
std::vector<const HybridKeySpec*> hybrid_key_specs(CK_KEY_TYPE key_type);

// A private key with its public key.
struct HybridPrivateKey {
  SecureBytes value;
  std::vector<std::uint8_t> public_key;
};

// A fresh key pair (randomness from the DRBG) that has passed its pairwise consistency test.
Result<HybridPrivateKey> hybrid_generate(const HybridKeySpec& spec);
// C_CreateObject / C_UnwrapKey: checks a private key and recomputes its public key (composite:
// ML-DSA KeyGen_internal on ξ and d·G; X-Wing: the seed expanded).
Result<HybridPrivateKey> hybrid_import_private(const HybridKeySpec& spec, std::span<const std::uint8_t> value);
// A public key: length; composite: the EC point is uncompressed and on the curve; X-Wing: the
// ML-KEM-768 part passes the FIPS 203 §7.2 modulus check.
Status hybrid_check_public(const HybridKeySpec& spec, std::span<const std::uint8_t> value);
// Sign/verify (or encapsulate/decapsulate) once with the pair.
Status hybrid_pairwise_test(const HybridKeySpec& spec, std::span<const std::uint8_t> public_key,
                            std::span<const std::uint8_t> private_key);

// DER SubjectPublicKeyInfo of a public key.
std::vector<std::uint8_t> hybrid_public_key_info(const HybridKeySpec& spec, std::span<const std::uint8_t> public_key);
// DER OneAsymmetricKey (version 0) of a private key.
SecureBytes hybrid_private_key_info(const HybridKeySpec& spec, std::span<const std::uint8_t> value);

// Whether `der` is a OneAsymmetricKey whose algorithm is a hybrid one (cheap; no full parse).
bool hybrid_is_private_key_info(std::span<const std::uint8_t> der) noexcept;
struct HybridDecodedPrivateKey {
  const HybridKeySpec* spec = nullptr;
  SecureBytes value;                      // not yet checked: hybrid_import_private does that
  std::vector<std::uint8_t> public_key;   // the optional publicKey [1]; empty when absent
};
Result<HybridDecodedPrivateKey> hybrid_parse_private_key_info(std::span<const std::uint8_t> der);

}  // namespace craton::crypto::hybrid
