#include "mech/hybrid_common.h"

#include <algorithm>

namespace craton::mech {

using object::Attribute;
using object::AttributeSet;

Result<HybridKeyView> hybrid_key(const KeyRef& key, CK_OBJECT_CLASS cls) {
  if (key.object_class() != cls) {
    return fail(CKR_KEY_TYPE_INCONSISTENT, cls == CKO_PRIVATE_KEY ? "a private key is needed" : "a public key is needed");
  }
  const auto set = key.attrs().get_ulong(CKA_PARAMETER_SET);
  if (!set) return fail(CKR_KEY_TYPE_INCONSISTENT, "the key has no CKA_PARAMETER_SET");
  CRATON_ASSIGN_OR_RETURN(const HybridSpec* spec, crypto::hybrid::hybrid_key_spec(key.key_type(), *set));
  const std::size_t want = cls == CKO_PRIVATE_KEY ? spec->private_bytes : spec->public_bytes;
  if (key.value().size() != want) return fail(CKR_KEY_TYPE_INCONSISTENT, "the key value does not fit its parameter set");
  return HybridKeyView(key, spec);
}

Result<KeyPairMaterial> hybrid_generate_pair(CK_KEY_TYPE key_type, const AttributeSet& public_tmpl,
                                             const AttributeSet& private_tmpl) {
  const auto from_pub = public_tmpl.get_ulong(CKA_PARAMETER_SET);
  const auto from_priv = private_tmpl.get_ulong(CKA_PARAMETER_SET);
  if (from_pub && from_priv && *from_pub != *from_priv) {
    return fail(CKR_TEMPLATE_INCONSISTENT, "the key templates name different parameter sets");
  }
  const auto set = from_pub ? from_pub : from_priv;
  if (!set) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_PARAMETER_SET missing from the public-key template");
  CRATON_ASSIGN_OR_RETURN(const HybridSpec* spec, crypto::hybrid::hybrid_key_spec(key_type, *set));
  CRATON_ASSIGN_OR_RETURN(const crypto::hybrid::HybridPrivateKey key, crypto::hybrid::hybrid_generate(*spec));
  const auto spki = crypto::hybrid::hybrid_public_key_info(*spec, key.public_key);
  KeyPairMaterial m;
  for (AttributeSet* a : {&m.public_key, &m.private_key}) {
    a->set(Attribute::make_ulong(CKA_KEY_TYPE, key_type));
    a->set(Attribute::make_ulong(CKA_PARAMETER_SET, *set));
    a->set(Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, spki));
  }
  m.public_key.set(Attribute::make_ulong(CKA_CLASS, CKO_PUBLIC_KEY));
  m.public_key.set(Attribute::make_bytes(CKA_VALUE, key.public_key));
  m.private_key.set(Attribute::make_ulong(CKA_CLASS, CKO_PRIVATE_KEY));
  m.private_key.set(Attribute::make_bytes(CKA_VALUE, key.value.span()));
  return m;
}

CK_MECHANISM_INFO hybrid_info(CK_KEY_TYPE key_type, CK_FLAGS flags) {
  CK_ULONG lo = 0;
  CK_ULONG hi = 0;
  for (const auto* s : crypto::hybrid::hybrid_key_specs(key_type)) {
    const auto n = static_cast<CK_ULONG>(s->public_bytes);
    lo = lo == 0 ? n : std::min(lo, n);
    hi = std::max(hi, n);
  }
  return {lo, hi, flags};
}

}  // namespace craton::mech
