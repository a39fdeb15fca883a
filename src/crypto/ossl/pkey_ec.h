// EC (X9.62 / SEC 1), Edwards (RFC 8032) and Montgomery (RFC 7748) keys: PKCS#11 attributes to
// and from OpenSSL EVP_PKEY.
//
// Attributes: public keys carry CKA_EC_PARAMS and CKA_EC_POINT, private keys CKA_EC_PARAMS and
// CKA_VALUE (X9.62: the scalar, big-endian, padded to the curve's key_bytes; Edwards/Montgomery:
// the raw private key). CKA_EC_PARAMS is produced in OID form; on input every form that
// curve_from_ec_params accepts works. When CKA_KEY_TYPE is present in an input set, the curve
// must belong to it (else CKR_CURVE_NOT_SUPPORTED).
// Ownership: returned PkeyPtr values are owned by the caller. Thread safety: stateless.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "crypto/ossl/curves.h"
#include "crypto/ossl/der.h"
#include "crypto/ossl/scopers.h"
#include "object/attribute.h"

namespace craton::crypto {

// The curve of an EC, Ed25519/Ed448 or X25519/X448 key. Another key type →
// CKR_KEY_TYPE_INCONSISTENT; an EC key on a curve outside the table or with explicit parameters
// → CKR_CURVE_NOT_SUPPORTED.
Result<const Curve*> curve_of_pkey(const EVP_PKEY* pkey);

// Public key from an X9.62 point (uncompressed or compressed) or a raw Edwards/Montgomery key,
// as decode_ec_point / decode_ecdh_public_data return it. A wrong length or an X9.62 point that
// is not on the curve → `invalid_rv` (CKR_ATTRIBUTE_VALUE_INVALID for attributes; an ECDH
// mechanism passes CKR_MECHANISM_PARAM_INVALID). Raw Edwards/Montgomery keys are checked for
// length only: every X25519/X448 string is a valid u-coordinate, and an undecodable Edwards
// point makes verification fail.
Result<PkeyPtr> ec_public_from_point(const Curve& curve, std::span<const std::uint8_t> public_key,
                                     CK_RV invalid_rv = CKR_ATTRIBUTE_VALUE_INVALID);

// From CKA_EC_PARAMS and CKA_EC_POINT (DER or raw). Missing → CKR_TEMPLATE_INCOMPLETE.
Result<PkeyPtr> ec_public_from_attrs(const object::AttributeSet& attrs);

// From CKA_EC_PARAMS and CKA_VALUE. The result is a full key pair: for X9.62 curves the public
// point is derived (so PKCS#8 export and CKA_EC_POINT work). An X9.62 value may omit leading
// zeros; it must lie in [1, n-1]. Edwards/Montgomery values must have the exact raw length.
Result<PkeyPtr> ec_private_from_attrs(const object::AttributeSet& attrs);

// private_part == false: CKA_EC_PARAMS and CKA_EC_POINT (public-key object attributes).
// private_part == true: CKA_EC_PARAMS and CKA_VALUE (private-key object attributes); a key
// without a private part → CKR_ARGUMENTS_BAD.
Result<object::AttributeSet> ec_attrs_from_pkey(const EVP_PKEY* pkey, bool private_part);

// The CKA_EC_POINT value (DER OCTET STRING, see ec_point.h) of a public key or key pair.
Result<Bytes> ec_point_of_pkey(const EVP_PKEY* pkey);

// A fresh key pair on `curve`. Whether the curve fits the requesting mechanism is the caller's
// decision: compare curve.key_type (or use curve_for_key_type) first.
Result<PkeyPtr> ec_generate(const Curve& curve);

}  // namespace craton::crypto
