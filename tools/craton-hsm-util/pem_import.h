// Reading a private key from a PEM file into the attribute values PKCS#11 needs.
//
// Accepted: PKCS#8 "PRIVATE KEY", encrypted PKCS#8 "ENCRYPTED PRIVATE KEY" (with a passphrase),
// traditional "RSA PRIVATE KEY" and "EC PRIVATE KEY" (P-256, P-384, P-521, secp256k1).
// Secret values are held only in SecureBytes; public values in ordinary vectors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::tool {

using Bytes = std::vector<std::uint8_t>;

struct RsaKey {
  Bytes modulus;          // CKA_MODULUS (big-endian, no leading zeros)
  Bytes public_exponent;  // CKA_PUBLIC_EXPONENT
  SecureBytes private_exponent, prime1, prime2, exponent1, exponent2, coefficient;
};

struct EcKey {
  Bytes params;   // CKA_EC_PARAMS: DER OID of the named curve
  Bytes point;    // CKA_EC_POINT: DER OCTET STRING holding the uncompressed point
  SecureBytes value;  // CKA_VALUE: private scalar, big-endian, padded to the field size
};

struct PrivateKeyMaterial {
  CK_KEY_TYPE key_type = CKK_RSA;  // CKK_RSA or CKK_EC
  RsaKey rsa;                      // valid when key_type == CKK_RSA
  EcKey ec;                        // valid when key_type == CKK_EC
};

// Throws ToolError with a message naming the file and the problem (never key bytes).
PrivateKeyMaterial read_private_key_pem(const std::string& path, const std::optional<SecureBytes>& passphrase);

// DER OCTET STRING around `content` (definite length, short or long form).
Bytes der_octet_string(const Bytes& content);

}  // namespace craton::tool
