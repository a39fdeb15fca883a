// ML-KEM (FIPS 203) through PKCS#11 3.2: CKM_ML_KEM_KEY_PAIR_GEN and CKM_ML_KEM, the latter only
// through C_EncapsulateKey / C_DecapsulateKey (no parameter). The 32-byte shared secret becomes the
// CKA_VALUE of a secret key built from the caller's template (abi/produced_key.cpp).
//
// Decapsulation runs FIPS 203 Alg. 21 with its §7.3 input checks: a ciphertext of the wrong length
// is CKR_ENCRYPTED_DATA_LEN_RANGE; a modified ciphertext of the right length yields the implicit-
// rejection key (no error, by design). Encapsulation runs the §7.2 check on the public key.
//
// Both work on the key prepared once per object version (crypto::pqc::MlKemEncapsulationKey /
// MlKemDecapsulationKey, kept in the parsed-key cache of its snapshot, object/parsed_cache.h): the
// §7.2 / §7.3 key checks, H(ek), t̂ and Âᵀ are computed when a key is first used, not on every call
// (about half of an encapsulation, a third of a decapsulation). A key that fails its check is not
// cached: every call reports the failure.
#include "crypto/pqc/ml_kem.h"

#include "object/parsed_cache.h"

#include "mech/pqc_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

struct PreparedEncapsulationKey final : object::ParsedKey {
  explicit PreparedEncapsulationKey(crypto::pqc::MlKemEncapsulationKey k) : key(std::move(k)) {}
  crypto::pqc::MlKemEncapsulationKey key;
};

struct PreparedDecapsulationKey final : object::ParsedKey {
  explicit PreparedDecapsulationKey(crypto::pqc::MlKemDecapsulationKey k) : key(std::move(k)) {}
  crypto::pqc::MlKemDecapsulationKey key;
};

// The key's prepared form, built (and the key checked) on its snapshot's first use. A snapshot is
// immutable and only a key that passed these checks gets a prepared form, so a cached one needs
// no second look (the class was also checked by check_key_use before the call got here).
template <class Prepared, class Key>
Result<std::shared_ptr<const Prepared>> prepared(const KeyRef& ref, CK_OBJECT_CLASS cls) {
  if (auto hit = ref.cached<Prepared>()) return hit;
  CRATON_ASSIGN_OR_RETURN(const PqcKeyView k, pqc_key(ref, cls));
  return ref.parsed<Prepared>([&](const object::AttributeSet&) -> Result<std::shared_ptr<const Prepared>> {
    CRATON_ASSIGN_OR_RETURN(Key key, Key::prepare(*k.spec().kem, k.value()));
    return std::make_shared<const Prepared>(std::move(key));
  });
}

class MlKem final : public Mechanism {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_ML_KEM; }

  Result<std::size_t> ciphertext_size(const Params&, const KeyRef& public_key) const override {
    if (auto key = public_key.cached<PreparedEncapsulationKey>()) return key->key.params().ciphertext_bytes();
    CRATON_ASSIGN_OR_RETURN(const PqcKeyView k, pqc_key(public_key, CKO_PUBLIC_KEY));
    return k.spec().output_bytes;
  }
  Result<Encapsulated> encapsulate(const Params&, const KeyRef& public_key) const override {
    CRATON_ASSIGN_OR_RETURN(const auto key, (prepared<PreparedEncapsulationKey, crypto::pqc::MlKemEncapsulationKey>(
                                                public_key, CKO_PUBLIC_KEY)));
    CRATON_ASSIGN_OR_RETURN(crypto::pqc::MlKemEncapsulation e, crypto::pqc::ml_kem_encaps(key->key));
    return Encapsulated{std::move(e.ciphertext), std::move(e.shared_secret)};
  }
  Result<SecureBytes> decapsulate(const Params&, const KeyRef& private_key,
                                  std::span<const std::uint8_t> ciphertext) const override {
    CRATON_ASSIGN_OR_RETURN(const auto key, (prepared<PreparedDecapsulationKey, crypto::pqc::MlKemDecapsulationKey>(
                                                private_key, CKO_PRIVATE_KEY)));
    return crypto::pqc::ml_kem_decaps(key->key, ciphertext);
  }
};

class MlKemKeyPairGen final : public Mechanism {
 public:
  Result<KeyPairMaterial> generate_key_pair(const Params&, const object::AttributeSet& pub,
                                            const object::AttributeSet& priv) const override {
    return pqc_generate_pair(CKK_ML_KEM, pub, priv);
  }
};

}  // namespace

std::vector<Registration> ml_kem_mechanisms() {
  static const MlKemKeyPairGen keygen;
  static const MlKem kem;
  return {
      {CKM_ML_KEM_KEY_PAIR_GEN, pqc_info(CKK_ML_KEM, CKF_GENERATE_KEY_PAIR), ParamKind::kNone, &keygen},
      {CKM_ML_KEM, pqc_info(CKK_ML_KEM, CKF_ENCAPSULATE | CKF_DECAPSULATE), ParamKind::kNone, &kem},
  };
}

}  // namespace craton::mech
