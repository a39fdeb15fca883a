// ML-KEM (FIPS 203) through PKCS#11 3.2: CKM_ML_KEM_KEY_PAIR_GEN and CKM_ML_KEM, the latter only
// through C_EncapsulateKey / C_DecapsulateKey (no parameter). The 32-byte shared secret becomes the
// CKA_VALUE of a secret key built from the caller's template (abi/produced_key.cpp).
//
// Decapsulation runs FIPS 203 Alg. 21 with its §7.3 input checks: a ciphertext of the wrong length
// is CKR_ENCRYPTED_DATA_LEN_RANGE; a modified ciphertext of the right length yields the implicit-
// rejection key (no error, by design). Encapsulation runs the §7.2 check on the public key.
#include "crypto/pqc/ml_kem.h"

#include "mech/pqc_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

class MlKem final : public Mechanism {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_ML_KEM; }

  Result<std::size_t> ciphertext_size(const Params&, const KeyRef& public_key) const override {
    CRATON_ASSIGN_OR_RETURN(const PqcKeyView k, pqc_key(public_key, CKO_PUBLIC_KEY));
    return k.spec().output_bytes;
  }
  Result<Encapsulated> encapsulate(const Params&, const KeyRef& public_key) const override {
    CRATON_ASSIGN_OR_RETURN(const PqcKeyView k, pqc_key(public_key, CKO_PUBLIC_KEY));
    CRATON_ASSIGN_OR_RETURN(crypto::pqc::MlKemEncapsulation e, crypto::pqc::ml_kem_encaps(*k.spec().kem, k.value()));
    return Encapsulated{std::move(e.ciphertext), std::move(e.shared_secret)};
  }
  Result<SecureBytes> decapsulate(const Params&, const KeyRef& private_key,
                                  std::span<const std::uint8_t> ciphertext) const override {
    CRATON_ASSIGN_OR_RETURN(const PqcKeyView k, pqc_key(private_key, CKO_PRIVATE_KEY));
    return crypto::pqc::ml_kem_decaps(*k.spec().kem, k.value(), ciphertext);
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
