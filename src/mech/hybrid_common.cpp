#include "mech/hybrid_common.h"

#include "mech/pqc_common.h"

namespace craton::mech {

using object::AttributeSet;

Result<HybridKeyView> hybrid_key(const KeyRef& key, CK_OBJECT_CLASS cls) {
  CRATON_ASSIGN_OR_RETURN(const CK_ULONG set, key_parameter_set(key, cls));
  CRATON_ASSIGN_OR_RETURN(const HybridSpec* spec, crypto::hybrid::hybrid_key_spec(key.key_type(), set));
  CRATON_TRY(check_key_value_size(key, cls, spec->public_bytes, spec->private_bytes));
  return HybridKeyView(key, spec);
}

Result<KeyPairMaterial> hybrid_generate_pair(CK_KEY_TYPE key_type, const AttributeSet& public_tmpl,
                                             const AttributeSet& private_tmpl) {
  CRATON_ASSIGN_OR_RETURN(const CK_ULONG set, pair_parameter_set(public_tmpl, private_tmpl));
  CRATON_ASSIGN_OR_RETURN(const HybridSpec* spec, crypto::hybrid::hybrid_key_spec(key_type, set));
  CRATON_ASSIGN_OR_RETURN(const crypto::hybrid::HybridPrivateKey key, crypto::hybrid::hybrid_generate(*spec));
  const auto spki = crypto::hybrid::hybrid_public_key_info(*spec, key.public_key);
  return parameter_set_pair(key_type, set, key.public_key, key.value.span(), {}, spki);
}

CK_MECHANISM_INFO hybrid_info(CK_KEY_TYPE key_type, CK_FLAGS flags) {
  std::vector<std::size_t> sizes;
  for (const auto* s : crypto::hybrid::hybrid_key_specs(key_type)) sizes.push_back(s->public_bytes);
  return public_size_info(sizes, flags);
}

}  // namespace craton::mech
