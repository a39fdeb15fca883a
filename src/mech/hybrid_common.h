// Shared pieces of the hybrid families (composite_sig, xwing): key access, key-pair generation and
// the mechanism-info sizes, for Craton's vendor key types CKK_CRATON_COMP_SIG and CKK_CRATON_XWING
// (include/craton/pkcs11/craton_vendor.h, docs/HYBRIDS.md §4). The rules are those of the PQC
// families (mech/pqc_common.h): CKA_PARAMETER_SET picks the algorithm, CKA_VALUE holds the key.
// Thread safety: mechanisms are immutable; key views belong to one operation.
#pragma once

#include <span>

#include "crypto/hybrid/hybrid_keys.h"
#include "mech/mechanism.h"

namespace craton::mech {

using HybridSpec = crypto::hybrid::HybridKeySpec;

// A hybrid key of a given class with its parameter set resolved. Keeps the snapshot alive.
class HybridKeyView {
 public:
  HybridKeyView(KeyRef ref, const HybridSpec* spec) : ref_(std::move(ref)), spec_(spec) {}
  const HybridSpec& spec() const noexcept { return *spec_; }
  std::span<const std::uint8_t> value() const { return ref_.value(); }

 private:
  KeyRef ref_;
  const HybridSpec* spec_;
};

// The key's parameter set and value, checked against its class (another class →
// CKR_KEY_TYPE_INCONSISTENT), its parameter set (unknown → CKR_PARAMETER_SET_NOT_SUPPORTED) and the
// set's sizes (a stored value of the wrong size → CKR_KEY_TYPE_INCONSISTENT).
Result<HybridKeyView> hybrid_key(const KeyRef& key, CK_OBJECT_CLASS cls);

// C_GenerateKeyPair for `key_type`: CKA_PARAMETER_SET from the public template (or, if only there,
// the private one; both given and different → CKR_TEMPLATE_INCONSISTENT; missing →
// CKR_TEMPLATE_INCOMPLETE). The pair passes its pairwise test before it is returned.
Result<KeyPairMaterial> hybrid_generate_pair(CK_KEY_TYPE key_type, const object::AttributeSet& public_tmpl,
                                             const object::AttributeSet& private_tmpl);

// CK_MECHANISM_INFO for `key_type`: key sizes are public-key sizes in bytes, as for ML-DSA/ML-KEM.
CK_MECHANISM_INFO hybrid_info(CK_KEY_TYPE key_type, CK_FLAGS flags);

// CKM_CRATON_COMP_SIG_KEY_PAIR_GEN / CKM_CRATON_XWING_KEY_PAIR_GEN.
class HybridKeyPairGen final : public Mechanism {
 public:
  explicit HybridKeyPairGen(CK_KEY_TYPE kt) : kt_(kt) {}
  Result<KeyPairMaterial> generate_key_pair(const Params&, const object::AttributeSet& pub,
                                            const object::AttributeSet& priv) const override {
    return hybrid_generate_pair(kt_, pub, priv);
  }

 private:
  CK_KEY_TYPE kt_;
};

}  // namespace craton::mech
