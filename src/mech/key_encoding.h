// The byte form of a key inside a wrapped blob (PKCS#11 §5.18.x): a secret key is its CKA_VALUE; a
// private key is a PKCS#8 PrivateKeyInfo. Used by C_WrapKey / C_UnwrapKey for every wrapping
// mechanism, so families only ever see bytes.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "object/attribute.h"

namespace craton::mech {

// CKR_KEY_NOT_WRAPPABLE for objects that have no wrapped form.
Result<SecureBytes> encode_key_for_wrap(const object::AttributeSet& key);

// Key material for a C_UnwrapKey template of class `cls` (CKO_SECRET_KEY or CKO_PRIVATE_KEY):
// CKA_CLASS, CKA_KEY_TYPE (private keys: from the PKCS#8 algorithm) and the value attributes.
// `value_len`: a template CKA_VALUE_LEN shorter than the unwrapped bytes truncates them (the
// padding of unpadded modes, spec §2.x); longer is CKR_TEMPLATE_INCONSISTENT.
Result<object::AttributeSet> decode_unwrapped_key(CK_OBJECT_CLASS cls, std::span<const std::uint8_t> bytes,
                                                  std::optional<CK_ULONG> value_len);

}  // namespace craton::mech
