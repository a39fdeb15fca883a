// Key management entry points (spec 5.14): C_GenerateKey, C_GenerateKeyPair, C_WrapKey,
// C_UnwrapKey, C_DeriveKey. The mechanism produces material; new_object() turns it into a stored
// object under the template rules (object::build_produced).
#include <mutex>

#include "abi/audit_hooks.h"
#include "abi/marshal.h"
#include "abi/op_helpers.h"
#include "abi/produced_key.h"
#include "mech/key_encoding.h"
#include "object/object.h"

using namespace craton;
using craton::abi::in_ok;
using craton::abi::to_rv;
using craton::mech::KeyUse;

CRATON_EXPORT CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pTemplate,
                                  CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey) {
  UniqueIdText made;  // the new key's CKA_UNIQUE_ID, for the audit record
  return abi::with_session(hSession, abi::audited("C_GenerateKey", pMechanism, abi::AuditSubject::produced(phKey, &made),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || phKey == nullptr) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_GenerateKey");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_GENERATE);
    if (!prepared.ok()) return to_rv(prepared, "C_GenerateKey");
    auto material = prepared->reg->impl->generate_key(prepared->decoded.params, *tmpl);
    if (!material.ok()) return to_rv(material, "C_GenerateKey");
    auto h = abi::store_produced(s, *tmpl, std::move(*material), abi::generated(s, pMechanism->mechanism));
    if (!h.ok()) return to_rv(h, "C_GenerateKey");
    *phKey = h->handle;
    made = h->uid;
    return CKR_OK;
  }));
}

CRATON_EXPORT CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
                                      CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
                                      CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey) {
  UniqueIdText made;  // the private key's CKA_UNIQUE_ID, for the audit record
  return abi::with_session(hSession, abi::audited("C_GenerateKeyPair", pMechanism, abi::AuditSubject::produced(phPrivateKey, &made),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || phPublicKey == nullptr || phPrivateKey == nullptr) return CKR_ARGUMENTS_BAD;
    auto pub_tmpl = abi::in_template(pPublicKeyTemplate, ulPublicKeyAttributeCount);
    if (!pub_tmpl.ok()) return to_rv(pub_tmpl, "C_GenerateKeyPair");
    auto priv_tmpl = abi::in_template(pPrivateKeyTemplate, ulPrivateKeyAttributeCount);
    if (!priv_tmpl.ok()) return to_rv(priv_tmpl, "C_GenerateKeyPair");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_GENERATE_KEY_PAIR);
    if (!prepared.ok()) return to_rv(prepared, "C_GenerateKeyPair");
    auto pair = prepared->reg->impl->generate_key_pair(prepared->decoded.params, *pub_tmpl, *priv_tmpl);
    if (!pair.ok()) return to_rv(pair, "C_GenerateKeyPair");
    const object::Production how = abi::generated(s, pMechanism->mechanism);
    // Both objects are built (all template errors found) before either is stored.
    auto pub = object::build_produced(*pub_tmpl, std::move(pair->public_key), how);
    if (!pub.ok()) return to_rv(pub, "C_GenerateKeyPair");
    auto priv = object::build_produced(*priv_tmpl, std::move(pair->private_key), how);
    if (!priv.ok()) return to_rv(priv, "C_GenerateKeyPair");
    if (auto st = abi::admit_produced(s, *priv); !st.ok()) return to_rv(st, "C_GenerateKeyPair");
    const bool approved = abi::indicator_of(*pub) && abi::indicator_of(*priv);
    auto hpub = s.token()->insert_object(s.caller(), std::move(*pub));
    if (!hpub.ok()) return to_rv(hpub, "C_GenerateKeyPair");
    auto hpriv = s.token()->insert_object(s.caller(), std::move(*priv));
    if (!hpriv.ok()) {
      (void)s.token()->destroy_object(s.caller(), hpub->handle);  // no half-made pair stays behind
      return to_rv(hpriv, "C_GenerateKeyPair");
    }
    abi::record_validation(s, approved);
    *phPublicKey = hpub->handle;
    *phPrivateKey = hpriv->handle;
    made = hpriv->uid;
    return CKR_OK;
  }));
}

namespace {

// Spec C_WrapKey: the key must be extractable, a CKA_WRAP_WITH_TRUSTED key needs a trusted
// wrapping key, and the wrapping key's CKA_WRAP_TEMPLATE must match the key.
Status check_wrappable(const mech::KeyRef& wrapping, const mech::KeyRef& key) {
  if (!key.attrs().get_bool_or(CKA_EXTRACTABLE, false)) return fail(CKR_KEY_UNEXTRACTABLE, "key is not extractable");
  if (key.attrs().get_bool_or(CKA_WRAP_WITH_TRUSTED, false) && !wrapping.attrs().get_bool_or(CKA_TRUSTED, false)) {
    return fail(CKR_KEY_NOT_WRAPPABLE, "key may only be wrapped by a trusted key");
  }
  if (const object::Attribute* t = wrapping.attrs().find(CKA_WRAP_TEMPLATE)) {
    for (const auto& want : t->nested) {
      const object::Attribute* have = key.attrs().find(want.type);
      if (have == nullptr || !object::same_value(*have, want)) return fail(CKR_KEY_NOT_WRAPPABLE, "key does not match CKA_WRAP_TEMPLATE");
    }
  }
  return {};
}

}  // namespace

CRATON_EXPORT CK_RV C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hWrappingKey,
                              CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen) {
  return abi::with_session(hSession, abi::audited("C_WrapKey", pMechanism, abi::AuditSubject::existing(hKey, pWrappedKey == nullptr),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || pulWrappedKeyLen == nullptr) return CKR_ARGUMENTS_BAD;
    auto prepared = abi::prepare(lib, *pMechanism, CKF_WRAP);
    if (!prepared.ok()) return to_rv(prepared, "C_WrapKey");
    auto wrapping = abi::session_key(s, hWrappingKey);
    if (!wrapping.ok()) return wrapping.rv() == CKR_KEY_HANDLE_INVALID ? CKR_WRAPPING_KEY_HANDLE_INVALID : to_rv(wrapping, "C_WrapKey");
    if (auto st = mech::check_key_use(*prepared->reg, KeyUse::kWrap, *wrapping); !st.ok()) {
      return st.rv() == CKR_KEY_TYPE_INCONSISTENT ? CKR_WRAPPING_KEY_TYPE_INCONSISTENT : to_rv(st, "C_WrapKey");
    }
    const auto approved = abi::approve_use(lib, pMechanism->mechanism, KeyUse::kWrap, *wrapping);
    if (!approved.ok()) return to_rv(approved, "C_WrapKey");
    auto key = abi::session_key(s, hKey);
    if (!key.ok()) return to_rv(key, "C_WrapKey");
    if (auto st = check_wrappable(*wrapping, *key); !st.ok()) return to_rv(st, "C_WrapKey");
    auto encoded = mech::encode_key_for_wrap(key->attrs());
    if (!encoded.ok()) return to_rv(encoded, "C_WrapKey");
    auto wrapped = prepared->reg->impl->wrap(prepared->decoded.params, *wrapping, encoded->span());
    if (!wrapped.ok()) return to_rv(wrapped, "C_WrapKey");
    const CK_RV rv = abi::out_bytes(*wrapped, pWrappedKey, pulWrappedKeyLen);
    if (rv == CKR_OK && pWrappedKey != nullptr) abi::record_validation(s, *approved);
    return rv;
  }));
}

CRATON_EXPORT CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hUnwrappingKey,
                                CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey) {
  UniqueIdText made;  // the new key's CKA_UNIQUE_ID, for the audit record
  return abi::with_session(hSession, abi::audited("C_UnwrapKey", pMechanism, abi::AuditSubject::produced(phKey, &made),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || phKey == nullptr || !in_ok(pWrappedKey, ulWrappedKeyLen)) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulAttributeCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_UnwrapKey");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_UNWRAP);
    if (!prepared.ok()) return to_rv(prepared, "C_UnwrapKey");
    auto unwrapping = abi::session_key(s, hUnwrappingKey);
    if (!unwrapping.ok()) {
      return unwrapping.rv() == CKR_KEY_HANDLE_INVALID ? CKR_UNWRAPPING_KEY_HANDLE_INVALID : to_rv(unwrapping, "C_UnwrapKey");
    }
    if (auto st = mech::check_key_use(*prepared->reg, KeyUse::kUnwrap, *unwrapping); !st.ok()) {
      return st.rv() == CKR_KEY_TYPE_INCONSISTENT ? CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT : to_rv(st, "C_UnwrapKey");
    }
    const auto approved = abi::approve_use(lib, pMechanism->mechanism, KeyUse::kUnwrap, *unwrapping);
    if (!approved.ok()) return to_rv(approved, "C_UnwrapKey");
    auto merged = abi::merge_key_template(std::move(*tmpl), unwrapping->attrs(), CKA_UNWRAP_TEMPLATE);
    if (!merged.ok()) return to_rv(merged, "C_UnwrapKey");
    const auto cls = merged->get_ulong(CKA_CLASS);
    if (!cls) return CKR_TEMPLATE_INCOMPLETE;
    const std::span<const std::uint8_t> wrapped =
        pWrappedKey == nullptr ? std::span<const std::uint8_t>{} : std::span<const std::uint8_t>(pWrappedKey, ulWrappedKeyLen);
    const auto value_len = merged->get_ulong(CKA_VALUE_LEN);
    auto plain = prepared->reg->impl->unwrap(prepared->decoded.params, *unwrapping, wrapped,
                                             value_len ? std::optional<std::size_t>(*value_len) : std::nullopt);
    if (!plain.ok()) return to_rv(plain, "C_UnwrapKey");
    auto material = mech::decode_unwrapped_key(*cls, plain->span(), merged->get_ulong(CKA_VALUE_LEN));
    if (!material.ok()) return to_rv(material, "C_UnwrapKey");
    object::Production how = abi::generated(s, pMechanism->mechanism);
    how.origin = object::Origin::kUnwrapped;
    how.approved = how.approved && *approved;
    auto h = abi::store_produced(s, *merged, std::move(*material), how);
    if (!h.ok()) return to_rv(h, "C_UnwrapKey");
    *phKey = h->handle;
    made = h->uid;
    return CKR_OK;
  }));
}

CRATON_EXPORT CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hBaseKey,
                                CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey) {
  return abi::with_session(hSession, abi::audited("C_DeriveKey", pMechanism, abi::AuditSubject::produced(phKey),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || phKey == nullptr) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulAttributeCount);
    if (!tmpl.ok()) return to_rv(tmpl, "C_DeriveKey");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_DERIVE);
    if (!prepared.ok()) return to_rv(prepared, "C_DeriveKey");
    auto base = abi::session_key(s, hBaseKey);
    if (!base.ok()) return to_rv(base, "C_DeriveKey");
    if (auto st = mech::check_key_use(*prepared->reg, KeyUse::kDerive, *base); !st.ok()) return to_rv(st, "C_DeriveKey");
    if (auto a = abi::approve_use(lib, pMechanism->mechanism, KeyUse::kDerive, *base); !a.ok()) {
      return to_rv(a, "C_DeriveKey");
    }
    return abi::derive_and_store(s, *prepared, *base, *tmpl, pMechanism->mechanism, phKey);
  }));
}
