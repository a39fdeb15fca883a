#include "mech/policy.h"

#include <cstring>

namespace craton::mech {
namespace {

CK_ATTRIBUTE_TYPE usage_attribute(KeyUse use) {
  switch (use) {
    case KeyUse::kEncrypt: return CKA_ENCRYPT;
    case KeyUse::kDecrypt: return CKA_DECRYPT;
    case KeyUse::kSign: return CKA_SIGN;
    case KeyUse::kVerify: return CKA_VERIFY;
    case KeyUse::kSignRecover: return CKA_SIGN_RECOVER;
    case KeyUse::kVerifyRecover: return CKA_VERIFY_RECOVER;
    case KeyUse::kWrap: return CKA_WRAP;
    case KeyUse::kUnwrap: return CKA_UNWRAP;
    case KeyUse::kDerive: return CKA_DERIVE;
    case KeyUse::kEncapsulate: return CKA_ENCAPSULATE;
    case KeyUse::kDecapsulate: return CKA_DECAPSULATE;
  }
  return CKA_VENDOR_DEFINED;
}

}  // namespace

KeyUse key_use_of(OpKind kind) {
  switch (kind) {
    case OpKind::kEncrypt:
    case OpKind::kMessageEncrypt: return KeyUse::kEncrypt;
    case OpKind::kDecrypt:
    case OpKind::kMessageDecrypt: return KeyUse::kDecrypt;
    case OpKind::kSign:
    case OpKind::kMessageSign: return KeyUse::kSign;
    case OpKind::kSignRecover: return KeyUse::kSignRecover;
    case OpKind::kVerifyRecover: return KeyUse::kVerifyRecover;
    case OpKind::kVerify:
    case OpKind::kMessageVerify:
    case OpKind::kVerifySignature:
    case OpKind::kDigest:
    case OpKind::kCount: break;
  }
  return KeyUse::kVerify;
}

bool mechanism_allowed(const object::AttributeSet& key, CK_MECHANISM_TYPE type) {
  const auto list = key.get_bytes(CKA_ALLOWED_MECHANISMS);
  if (!list || list->empty()) return true;
  for (std::size_t off = 0; off + sizeof(CK_MECHANISM_TYPE) <= list->size(); off += sizeof(CK_MECHANISM_TYPE)) {
    CK_MECHANISM_TYPE m = 0;
    std::memcpy(&m, list->data() + off, sizeof m);
    if (m == type) return true;
  }
  return false;
}

Status check_key_use(const Registration& m, KeyUse use, const KeyRef& key) {
  const object::KeyFacts& facts = key.facts();
  const auto permitted = facts.usage(usage_attribute(use));
  if (!permitted) return fail(CKR_KEY_TYPE_INCONSISTENT, "this kind of object cannot be used for the function");
  if (!*permitted) return fail(CKR_KEY_FUNCTION_NOT_PERMITTED, "the key's usage attribute forbids the function");
  if (facts.restricts_mechanisms && !mechanism_allowed(key.attrs(), m.type)) {
    return fail(CKR_MECHANISM_INVALID, "CKA_ALLOWED_MECHANISMS excludes the mechanism");
  }
  const auto kt = facts.key_type;
  if (!kt || !m.impl->accepts_key_type(*kt)) return fail(CKR_KEY_TYPE_INCONSISTENT, "the mechanism does not take this key type");
  return {};
}

}  // namespace craton::mech
