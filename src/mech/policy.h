// Key-use policy, checked once before any family sees a key (spec §5.x "key function" rules):
//   * the key's class must carry the usage attribute at all  -> CKR_KEY_TYPE_INCONSISTENT
//   * the usage attribute (CKA_SIGN, CKA_DECRYPT, ...) TRUE   -> else CKR_KEY_FUNCTION_NOT_PERMITTED
//   * CKA_ALLOWED_MECHANISMS lists the mechanism (when given) -> else CKR_MECHANISM_INVALID
//   * the mechanism accepts the key type                      -> else CKR_KEY_TYPE_INCONSISTENT
// Thread safety: pure functions.
#pragma once

#include "common/result.h"
#include "mech/mechanism.h"

namespace craton::mech {

enum class KeyUse {
  kEncrypt, kDecrypt, kSign, kVerify, kSignRecover, kVerifyRecover, kWrap, kUnwrap, kDerive,
  kEncapsulate, kDecapsulate,
};

// The usage an operation kind needs (message-based kinds map to their single-part usage).
KeyUse key_use_of(OpKind kind);

// The rules above, answered from the key's facts (read once per snapshot, object/key_facts.h).
Status check_key_use(const Registration& m, KeyUse use, const KeyRef& key);

// True when CKA_ALLOWED_MECHANISMS is absent, empty, or lists `type`.
bool mechanism_allowed(const object::AttributeSet& key, CK_MECHANISM_TYPE type);

}  // namespace craton::mech
