// FIPS 140-3 approved key parameters: the key half of the service indicator (docs/FIPS.md).
//
// A key is "approved" when its type and size are allowed for approved services: RSA with a modulus
// of at least 2048 bits, ECDSA/ECDH keys on P-256, P-384 or P-521, EdDSA keys (FIPS 186-5), ML-KEM,
// ML-DSA and SLH-DSA keys, AES keys, and HMAC/generic/HKDF secrets of at least 112 bits. X25519/X448,
// secp256k1, ChaCha20 and the hybrid (draft) key types are not.
// Thread safety: pure functions.
#pragma once

#include "craton/pkcs11/craton_vendor.h"
#include "object/attribute.h"

namespace craton::object {

inline constexpr CK_FLAGS kFipsValidationFlag = CRATON_VALIDATION_FLAG_FIPS;

// Whether `key` (a key object's attributes, value included) has approved parameters.
bool key_parameters_approved(const AttributeSet& key);

// Records the indicator on a key: CKA_OBJECT_VALIDATION_FLAGS and CKA_CRATON_FIPS_APPROVED.
void set_key_validation(AttributeSet& key, bool approved);

}  // namespace craton::object
