// DER key containers: PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958, unencrypted) and X.509
// SubjectPublicKeyInfo (RFC 5280; RFC 8410 for the Edwards and Montgomery keys).
//
// Only key types the token supports are accepted on input: RSA, EC on a curve of the table,
// Ed25519/Ed448, X25519/X448.
// Ownership: returned PkeyPtr values are owned by the caller. Thread safety: stateless.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/der.h"
#include "crypto/ossl/pkey.h"  // the attribute dispatchers: unwrap/wrap callers need both
#include "crypto/ossl/scopers.h"

namespace craton::crypto {

// PrivateKeyInfo DER of a key pair (C_WrapKey of a private key). EC keys carry their public
// point. A key without a private part → CKR_KEY_TYPE_INCONSISTENT.
Result<SecureBytes> private_key_to_pkcs8(const EVP_PKEY* pkey);

// Parses PrivateKeyInfo DER (C_UnwrapKey, the import tool). Not exactly one well-formed
// PrivateKeyInfo, an EC key whose public point does not match its scalar, or an unsupported
// algorithm → CKR_WRAPPED_KEY_INVALID; an EC key on an unsupported curve → CKR_CURVE_NOT_SUPPORTED.
Result<PkeyPtr> private_key_from_pkcs8(std::span<const std::uint8_t> der);

// SubjectPublicKeyInfo DER of a public key or key pair (CKA_PUBLIC_KEY_INFO).
Result<Bytes> public_key_info_der(const EVP_PKEY* pkey);

// Parses SubjectPublicKeyInfo DER. Not exactly one well-formed SPKI or an unsupported
// algorithm → CKR_ATTRIBUTE_VALUE_INVALID; an unsupported curve → CKR_CURVE_NOT_SUPPORTED.
Result<PkeyPtr> public_key_from_spki(std::span<const std::uint8_t> der);

}  // namespace craton::crypto
