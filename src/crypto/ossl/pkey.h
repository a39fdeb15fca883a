// Key-type dispatch over the converters in pkey_rsa.h and pkey_ec.h: PKCS#11 attribute sets
// (keyed by CKA_KEY_TYPE) to EVP_PKEY and back, for RSA, EC, Edwards and Montgomery keys.
// Used by C_UnwrapKey / C_WrapKey of private keys, key-pair generation and the import tool.
// Ownership: returned PkeyPtr values are owned by the caller. Thread safety: stateless.
#pragma once

#include "common/result.h"
#include "crypto/ossl/scopers.h"
#include "object/attribute.h"

namespace craton::crypto {

// CKK_RSA, CKK_EC, CKK_EC_EDWARDS or CKK_EC_MONTGOMERY for a supported key; another key type →
// CKR_KEY_TYPE_INCONSISTENT; an EC key on an unsupported curve → CKR_CURVE_NOT_SUPPORTED.
Result<CK_KEY_TYPE> key_type_of(const EVP_PKEY* pkey);

// True when `pkey` holds a private key (RSA d, an EC scalar, a raw Edwards/Montgomery private
// key or another type's "priv" component), not only a public key.
bool has_private_key(const EVP_PKEY* pkey);

// CKA_KEY_TYPE plus the private-key object's key attributes (see rsa_attrs_from_pkey /
// ec_attrs_from_pkey with private_part = true).
Result<object::AttributeSet> private_key_attrs_from_pkey(const EVP_PKEY* pkey);

// CKA_KEY_TYPE plus the public-key object's key attributes (private_part = false).
Result<object::AttributeSet> public_key_attrs_from_pkey(const EVP_PKEY* pkey);

// EVP_PKEY from a private / public key object's attributes, by CKA_KEY_TYPE. Missing
// CKA_KEY_TYPE → CKR_TEMPLATE_INCOMPLETE; a key type without a converter →
// CKR_KEY_TYPE_INCONSISTENT.
Result<PkeyPtr> private_pkey_from_attrs(const object::AttributeSet& attrs);
Result<PkeyPtr> public_pkey_from_attrs(const object::AttributeSet& attrs);

}  // namespace craton::crypto
