#include "mech/key_encoding.h"

#include "crypto/hybrid/hybrid_keys.h"
#include "crypto/ossl/pkcs8.h"
#include "crypto/pqc/pqc_keys.h"

namespace craton::mech {
namespace {

bool is_pqc(CK_KEY_TYPE kt) { return kt == CKK_ML_KEM || kt == CKK_ML_DSA || kt == CKK_SLH_DSA; }

// ML-KEM / ML-DSA / SLH-DSA private keys travel as OneAsymmetricKey (crypto/pqc/pqc_keys.h):
// with the seed when the token has it, so the unwrapping side gets the same key in both forms.
Result<SecureBytes> encode_pqc_private(const object::AttributeSet& key) {
  const auto set = key.get_ulong(CKA_PARAMETER_SET);
  const auto value = key.get_bytes(CKA_VALUE);
  if (!set || !value) return fail(CKR_KEY_NOT_WRAPPABLE, "post-quantum key without its value");
  CRATON_ASSIGN_OR_RETURN(const crypto::pqc::PqcKeySpec* spec,
                          crypto::pqc::pqc_key_spec(key.get_ulong(CKA_KEY_TYPE).value_or(0), *set));
  const auto seed = key.get_bytes(CKA_SEED).value_or(std::span<const std::uint8_t>{});
  return crypto::pqc::pqc_private_key_info(*spec, seed, *value);
}

// The attributes of an unwrapped post-quantum private key; the object layer then checks seed and
// value for consistency exactly as for C_CreateObject.
Result<object::AttributeSet> decode_pqc_private(std::span<const std::uint8_t> bytes) {
  CRATON_ASSIGN_OR_RETURN(crypto::pqc::PqcDecodedPrivateKey d, crypto::pqc::pqc_parse_private_key_info(bytes));
  object::AttributeSet m;
  m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_PRIVATE_KEY));
  m.set(object::Attribute::make_ulong(CKA_KEY_TYPE, d.spec->key_type));
  m.set(object::Attribute::make_ulong(CKA_PARAMETER_SET, d.spec->parameter_set));
  if (d.has_seed) m.set(object::Attribute::make_bytes(CKA_SEED, d.seed.span()));
  if (d.has_value) m.set(object::Attribute::make_bytes(CKA_VALUE, d.value.span()));
  return m;
}

// Composite-signature and X-Wing private keys travel as OneAsymmetricKey with the raw private key
// (crypto/hybrid/hybrid_keys.h); the unwrapping side recomputes the public key.
Result<SecureBytes> encode_hybrid_private(const object::AttributeSet& key) {
  const auto set = key.get_ulong(CKA_PARAMETER_SET);
  const auto value = key.get_bytes(CKA_VALUE);
  if (!set || !value) return fail(CKR_KEY_NOT_WRAPPABLE, "hybrid key without its value");
  CRATON_ASSIGN_OR_RETURN(const crypto::hybrid::HybridKeySpec* spec,
                          crypto::hybrid::hybrid_key_spec(key.get_ulong(CKA_KEY_TYPE).value_or(0), *set));
  return crypto::hybrid::hybrid_private_key_info(*spec, *value);
}

// The attributes of an unwrapped hybrid private key. A publicKey [1] in the structure becomes
// CKA_PUBLIC_KEY_INFO, which the object layer then requires to match the private key.
Result<object::AttributeSet> decode_hybrid_private(std::span<const std::uint8_t> bytes) {
  CRATON_ASSIGN_OR_RETURN(crypto::hybrid::HybridDecodedPrivateKey d, crypto::hybrid::hybrid_parse_private_key_info(bytes));
  object::AttributeSet m;
  m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_PRIVATE_KEY));
  m.set(object::Attribute::make_ulong(CKA_KEY_TYPE, d.spec->key_type));
  m.set(object::Attribute::make_ulong(CKA_PARAMETER_SET, d.spec->parameter_set));
  m.set(object::Attribute::make_bytes(CKA_VALUE, d.value.span()));
  if (!d.public_key.empty()) {
    m.set(object::Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, crypto::hybrid::hybrid_public_key_info(*d.spec, d.public_key)));
  }
  return m;
}

}  // namespace

Result<SecureBytes> encode_key_for_wrap(const object::AttributeSet& key) {
  const auto cls = key.get_ulong(CKA_CLASS).value_or(CKO_DATA);
  if (cls == CKO_SECRET_KEY) {
    const auto v = key.get_bytes(CKA_VALUE);
    if (!v) return fail(CKR_KEY_NOT_WRAPPABLE, "secret key without a value");
    return SecureBytes(*v);
  }
  if (cls == CKO_PRIVATE_KEY && is_pqc(key.get_ulong(CKA_KEY_TYPE).value_or(CKK_VENDOR_DEFINED))) {
    return encode_pqc_private(key);
  }
  if (cls == CKO_PRIVATE_KEY && crypto::hybrid::is_hybrid_key_type(key.get_ulong(CKA_KEY_TYPE).value_or(CKK_VENDOR_DEFINED))) {
    return encode_hybrid_private(key);
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
  if (cls == CKO_PRIVATE_KEY && crypto::pqc::pqc_is_private_key_info(bytes)) return decode_pqc_private(bytes);
  if (cls == CKO_PRIVATE_KEY && crypto::hybrid::hybrid_is_private_key_info(bytes)) return decode_hybrid_private(bytes);
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
