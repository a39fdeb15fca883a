// RSA keys (RFC 8017): PKCS#11 attributes to and from OpenSSL EVP_PKEY, and key generation.
//
// Integers are big-endian; on output without leading zeros, on input leading zeros are ignored.
// Ownership: returned PkeyPtr values are owned by the caller. Thread safety: stateless.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "crypto/ossl/scopers.h"
#include "object/attribute.h"

namespace craton::crypto {

inline constexpr CK_ULONG kRsaMinGenerateBits = 1024;
inline constexpr CK_ULONG kRsaMaxGenerateBits = 16384;

// From CKA_MODULUS and CKA_PUBLIC_EXPONENT. Missing → CKR_TEMPLATE_INCOMPLETE; an even or empty
// modulus, an exponent that is even or < 3 → CKR_ATTRIBUTE_VALUE_INVALID.
Result<PkeyPtr> rsa_public_from_attrs(const object::AttributeSet& attrs);

// From CKA_MODULUS and CKA_PRIVATE_EXPONENT (required), plus CKA_PUBLIC_EXPONENT and the CRT
// values CKA_PRIME_1/2, CKA_EXPONENT_1/2, CKA_COEFFICIENT when present. The CRT values are used
// when both primes are given (missing CRT exponents/coefficient are then computed; p·q must equal
// n, else CKR_ATTRIBUTE_VALUE_INVALID); otherwise the key works from n and d alone. OpenSSL needs
// e for blinding: without CKA_PUBLIC_EXPONENT it is computed from the primes, or else found among
// the usual exponents (65537, 3, 5, 17, 257) by checking (m^e)^d = m; failing that →
// CKR_TEMPLATE_INCOMPLETE.
Result<PkeyPtr> rsa_private_from_attrs(const object::AttributeSet& attrs);

// private_part == false: CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_MODULUS_BITS.
// private_part == true: CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT and, when the key
// has them, CKA_PRIME_1/2, CKA_EXPONENT_1/2, CKA_COEFFICIENT. Not RSA → CKR_KEY_TYPE_INCONSISTENT;
// no private part → CKR_ARGUMENTS_BAD.
Result<object::AttributeSet> rsa_attrs_from_pkey(const EVP_PKEY* pkey, bool private_part);

// A fresh key pair of `bits` bits (kRsaMinGenerateBits..kRsaMaxGenerateBits, else
// CKR_KEY_SIZE_RANGE). `public_exponent` is big-endian; empty means 65537. It must be odd, > 1
// and at most 256 bits, else CKR_ATTRIBUTE_VALUE_INVALID.
Result<PkeyPtr> rsa_generate(CK_ULONG bits, std::span<const std::uint8_t> public_exponent = {});

}  // namespace craton::crypto
