// Reading a private key from a PEM file into the attribute values PKCS#11 needs.
//
// Accepted: PKCS#8 "PRIVATE KEY", encrypted PKCS#8 "ENCRYPTED PRIVATE KEY" (with a passphrase),
// traditional "RSA PRIVATE KEY" and "EC PRIVATE KEY". Key types: RSA; EC on P-256, P-384, P-521
// or secp256k1; Ed25519 and Ed448 (CKK_EC_EDWARDS); X25519 and X448 (CKK_EC_MONTGOMERY).
// The conversion is the module's own key layer (src/crypto/ossl/pkey.h); key values live only in
// attribute sets, whose values are self-wiping buffers.
#pragma once

#include <optional>
#include <string>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"
#include "object/attribute.h"

namespace craton::tool {

struct PrivateKeyMaterial {
  CK_KEY_TYPE key_type = CKK_RSA;
  // CKA_KEY_TYPE and the key-type attributes of each object: RSA CKA_MODULUS, ...; EC-family
  // CKA_EC_PARAMS (curve OID) with CKA_VALUE (private) or CKA_EC_POINT (public, DER OCTET STRING).
  object::AttributeSet private_attrs;
  object::AttributeSet public_attrs;
};

// Throws ToolError with a message naming the file and the problem (never key bytes).
PrivateKeyMaterial read_private_key_pem(const std::string& path, const std::optional<SecureBytes>& passphrase);

}  // namespace craton::tool
