// CKA_EC_POINT and ECDH peer public values.
//
// Output (ec_point_attr): always a DER OCTET STRING, around the uncompressed X9.62 point
// (04 || X || Y) for Weierstrass curves and around the raw RFC 8032 / RFC 7748 public key for
// Edwards and Montgomery curves; bookworm's pkcs11-tool needs the DER form (PKCS11-FACTS §4.6).
// Input (decode_*): the DER OCTET STRING and the bare value are both accepted for every curve;
// X9.62 points may be uncompressed (04) or compressed (02/03). The two forms cannot be confused:
// a bare value is accepted only at a length the curve allows, and no such value is also a
// complete OCTET STRING of an allowed length.
// Thread safety: stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "crypto/ossl/curves.h"
#include "crypto/ossl/der.h"

namespace craton::crypto {

// CKA_EC_POINT value for `public_key` (an uncompressed X9.62 point or a raw Edwards/Montgomery
// key): its DER OCTET STRING.
Bytes ec_point_attr(std::span<const std::uint8_t> public_key);

// The public key inside a CKA_EC_POINT value, unwrapped from DER if wrapped: an X9.62 point
// (uncompressed or compressed, not yet checked to lie on the curve) or a raw key of the curve's
// length. Wrong length, hybrid/infinity encodings → CKR_ATTRIBUTE_VALUE_INVALID.
Result<std::span<const std::uint8_t>> decode_ec_point(const Curve& curve, std::span<const std::uint8_t> attr);

// The peer's public value from CK_ECDH1_DERIVE_PARAMS.pPublicData: a bare X9.62 point, a bare
// X25519/X448 u-coordinate, or either of them in a DER OCTET STRING. Same result and checks as
// decode_ec_point, but failures are CKR_MECHANISM_PARAM_INVALID.
Result<std::span<const std::uint8_t>> decode_ecdh_public_data(const Curve& curve,
                                                              std::span<const std::uint8_t> data);

}  // namespace craton::crypto
