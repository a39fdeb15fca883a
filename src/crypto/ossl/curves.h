// The elliptic curves the token supports, and the decoding of CKA_EC_PARAMS.
//
// CKA_EC_PARAMS is the DER of an X9.62 Parameters CHOICE. Accepted are the namedCurve OID and the
// curveName PrintableString (PKCS#11 3.x; both are allowed for every curve here). Explicit
// parameters and implicitlyCA are valid choices the token does not support.
// Thread safety: the table is immutable; everything here is safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "common/result.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::crypto {

enum class CurveForm { kWeierstrass, kEdwards, kMontgomery };

struct Curve {
  std::string_view name;                // display name: "P-256", "Ed25519", "X25519", ...
  CK_KEY_TYPE key_type;                 // CKK_EC, CKK_EC_EDWARDS or CKK_EC_MONTGOMERY
  CurveForm form;
  std::span<const std::uint8_t> oid_der;  // DER OBJECT IDENTIFIER (tag and length included)
  std::array<std::string_view, 4> names;  // accepted curve names ("" = unused slot); the first
                                          // is the PKCS#11 / X9.62 PrintableString name
  const char* ossl_name;                // OpenSSL group name (EC) or key type name (ECX)
  int nid;                              // OpenSSL NID of the group or key type
  std::size_t field_bits;               // size of the underlying field
  std::size_t key_bytes;                // private scalar / raw key length (X9.62: field bytes)

  bool weierstrass() const noexcept { return form == CurveForm::kWeierstrass; }
};

// All supported curves, in a stable order (P-256, P-384, P-521, secp256k1, Ed25519, Ed448,
// X25519, X448).
std::span<const Curve> all_curves() noexcept;

// Decodes CKA_EC_PARAMS: a DER OID or a DER PrintableString holding a curve name. pkcs11-tool
// 0.23-0.25 encode "curve25519" with a length byte one too large (PKCS11-FACTS §4.6); a name
// whose declared length exceeds the bytes present by exactly one is accepted for that reason.
// Errors: malformed DER or another tag → CKR_ATTRIBUTE_VALUE_INVALID; a well-formed but
// unknown OID or name, explicit parameters or implicitlyCA → CKR_CURVE_NOT_SUPPORTED.
Result<const Curve*> curve_from_ec_params(std::span<const std::uint8_t> der);

// As curve_from_ec_params, and the curve must belong to `key_type`; otherwise
// CKR_CURVE_NOT_SUPPORTED (PKCS#11: an Edwards curve asked for through CKM_EC_KEY_PAIR_GEN).
Result<const Curve*> curve_for_key_type(std::span<const std::uint8_t> der, CK_KEY_TYPE key_type);

// Looks a curve up by any of its names, ASCII case-insensitively: the display name, the
// PKCS#11 name, the OpenSSL names and the usual aliases ("secp256r1", "nistp256", ...).
// Unknown → CKR_CURVE_NOT_SUPPORTED.
Result<const Curve*> curve_by_name(std::string_view name);

}  // namespace craton::crypto
