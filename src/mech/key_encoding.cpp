#include "mech/key_encoding.h"

#include "crypto/ossl/pkcs8.h"

namespace craton::mech {

Result<SecureBytes> encode_key_for_wrap(const object::AttributeSet& key) {
  const auto cls = key.get_ulong(CKA_CLASS).value_or(CKO_DATA);
  if (cls == CKO_SECRET_KEY) {
    const auto v = key.get_bytes(CKA_VALUE);
    if (!v) return fail(CKR_KEY_NOT_WRAPPABLE, "secret key without a value");
    return SecureBytes(*v);
  }
  if (cls == CKO_PRIVATE_KEY) {
    CRATON_ASSIGN_OR_RETURN(crypto::PkeyPtr pkey, crypto::private_pkey_from_attrs(key));
    return crypto::private_key_to_pkcs8(pkey.get());
  }
  return fail(CKR_KEY_NOT_WRAPPABLE, "only secret and private keys can be wrapped");
}

Result<object::AttributeSet> decode_unwrapped_key(CK_OBJECT_CLASS cls, std::span<const std::uint8_t> bytes,
                                                  std::optional<CK_ULONG> value_len) {
  if (cls == CKO_SECRET_KEY) {
    if (value_len && *value_len > bytes.size()) return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN exceeds the unwrapped key");
    const std::size_t n = value_len ? *value_len : bytes.size();
    object::AttributeSet m;
    m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
    m.set(object::Attribute::make_bytes(CKA_VALUE, bytes.first(n)));
    return m;
  }
  if (cls == CKO_PRIVATE_KEY) {
    auto pkey = crypto::private_key_from_pkcs8(bytes);
    if (!pkey.ok()) return fail(CKR_WRAPPED_KEY_INVALID, "unwrapped bytes are not a PKCS#8 private key");
    CRATON_ASSIGN_OR_RETURN(object::AttributeSet m, crypto::private_key_attrs_from_pkey(pkey->get()));
    m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_PRIVATE_KEY));
    return m;
  }
  return fail(CKR_TEMPLATE_INCONSISTENT, "only secret and private keys can be unwrapped");
}

}  // namespace craton::mech
