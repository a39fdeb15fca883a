// X-Wing (draft-connolly-cfrg-xwing-kem-10) through PKCS#11, as Craton vendor mechanisms on
// CKK_CRATON_XWING keys (craton_vendor.h, docs/HYBRIDS.md §4): CKM_CRATON_XWING_KEY_PAIR_GEN and
// CKM_CRATON_XWING, the latter only through C_EncapsulateKey / C_DecapsulateKey (no parameter).
// The 32-byte shared secret becomes the CKA_VALUE of a secret key built from the caller's template
// (abi/produced_key.cpp), exactly as for CKM_ML_KEM.
//
// A ciphertext of the wrong length is CKR_ENCRYPTED_DATA_LEN_RANGE; a modified ciphertext of the
// right length decapsulates, without error, to an unrelated secret (ML-KEM's implicit rejection).
// Encapsulation runs the FIPS 203 §7.2 check on the ML-KEM part of the public key.
#include "crypto/hybrid/xwing.h"

#include "mech/hybrid_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

class XWing final : public Mechanism {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_CRATON_XWING; }

  Result<std::size_t> ciphertext_size(const Params&, const KeyRef& public_key) const override {
    CRATON_ASSIGN_OR_RETURN(const HybridKeyView k, hybrid_key(public_key, CKO_PUBLIC_KEY));
    return k.spec().max_output_bytes;
  }
  Result<Encapsulated> encapsulate(const Params&, const KeyRef& public_key) const override {
    CRATON_ASSIGN_OR_RETURN(const HybridKeyView k, hybrid_key(public_key, CKO_PUBLIC_KEY));
    CRATON_ASSIGN_OR_RETURN(crypto::hybrid::XWingEncapsulation e, crypto::hybrid::xwing_encaps(k.value()));
    return Encapsulated{std::move(e.ciphertext), std::move(e.shared_secret)};
  }
  Result<SecureBytes> decapsulate(const Params&, const KeyRef& private_key,
                                  std::span<const std::uint8_t> ciphertext) const override {
    CRATON_ASSIGN_OR_RETURN(const HybridKeyView k, hybrid_key(private_key, CKO_PRIVATE_KEY));
    return crypto::hybrid::xwing_decaps(k.value(), ciphertext);
  }
};

}  // namespace

std::vector<Registration> xwing_mechanisms() {
  static const HybridKeyPairGen keygen(CKK_CRATON_XWING);
  static const XWing kem;
  return {
      {CKM_CRATON_XWING_KEY_PAIR_GEN, hybrid_info(CKK_CRATON_XWING, CKF_GENERATE_KEY_PAIR), ParamKind::kNone, &keygen},
      {CKM_CRATON_XWING, hybrid_info(CKK_CRATON_XWING, CKF_ENCAPSULATE | CKF_DECAPSULATE), ParamKind::kNone, &kem},
  };
}

}  // namespace craton::mech
