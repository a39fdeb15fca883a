// Elliptic-curve key-pair generation: CKM_EC_KEY_PAIR_GEN (X9.62 curves P-256, P-384, P-521,
// secp256k1), CKM_EC_EDWARDS_KEY_PAIR_GEN (Ed25519, Ed448) and CKM_EC_MONTGOMERY_KEY_PAIR_GEN
// (X25519, X448).
//
// The curve comes from CKA_EC_PARAMS in the public-key template (OID or curve name, see
// crypto/ossl/curves.h); a curve of another family is CKR_CURVE_NOT_SUPPORTED (PKCS#11 3.x: e.g. an
// Edwards curve through CKM_EC_KEY_PAIR_GEN). The caller's CKA_EC_PARAMS bytes are kept as given,
// so the objects hold exactly what the templates asked for. Every new pair passes a pairwise
// consistency test before it is handed out.
#include <algorithm>

#include "crypto/ossl/ec_ops.h"
#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/pkey_ec.h"
#include "mech/ec_common.h"
#include "mech/registry.h"
#include "selftest/pct.h"

namespace craton::mech {
namespace {

using object::Attribute;
using object::AttributeSet;

// CKA_EC_PARAMS of the pair: required in the public template; in the private template it is
// optional and must name the same curve (its own bytes are then used for the private key).
struct PairParams {
  const crypto::Curve* curve = nullptr;
  std::span<const std::uint8_t> public_bytes;
  std::span<const std::uint8_t> private_bytes;
};

Result<PairParams> pair_params(CK_KEY_TYPE kt, const AttributeSet& pub, const AttributeSet& priv) {
  PairParams out;
  const auto given = pub.get_bytes(CKA_EC_PARAMS);
  if (!given) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_EC_PARAMS missing from the public-key template");
  CRATON_ASSIGN_OR_RETURN(out.curve, crypto::curve_for_key_type(*given, kt));
  out.public_bytes = *given;
  out.private_bytes = *given;
  if (const auto also = priv.get_bytes(CKA_EC_PARAMS)) {
    const auto other = crypto::curve_from_ec_params(*also);
    if (!other.ok() || *other != out.curve) {
      return fail(CKR_TEMPLATE_INCONSISTENT, "the key templates name different curves");
    }
    out.private_bytes = *also;
  }
  return out;
}

// Pairwise consistency (FIPS 140-3 IG 10.3.A): signature keys sign and verify selftest's probe;
// key-agreement keys recompute their public key from the private value (SP 800-56A §5.6.2.1.4).
// A failure enters the error state (selftest/pct.h).
Status pairwise_check(EVP_PKEY* pkey, const crypto::Curve& curve, const AttributeSet& pub, const AttributeSet& priv) {
  using Span = std::span<const std::uint8_t>;
  switch (curve.form) {
    case crypto::CurveForm::kWeierstrass:
      return selftest::pct_signature(
          "pct.ecdsa", [&](Span m) { return crypto::ecdsa_sign(pkey, curve, m); },
          [&](Span m, Span sig) { return crypto::ecdsa_verify(pkey, curve, m, sig); });
    case crypto::CurveForm::kEdwards:
      return selftest::pct_signature(
          "pct.eddsa", [&](Span m) { return crypto::eddsa_sign(pkey, curve, {}, m); },
          [&](Span m, Span sig) { return crypto::eddsa_verify(pkey, curve, {}, m, sig); });
    case crypto::CurveForm::kMontgomery: {
      auto again = crypto::ec_private_from_attrs(priv);
      auto point = again.ok() ? crypto::ec_point_of_pkey(again->get()) : Result<Bytes>(again.error());
      const auto have = pub.get_bytes(CKA_EC_POINT);
      return selftest::pct_public_key("pct.ecdh", point.ok() ? Span(*point) : Span(), have ? *have : Span());
    }
  }
  return fail(CKR_GENERAL_ERROR, "unknown curve form");
}

class EcKeyPairGen final : public Mechanism {
 public:
  explicit EcKeyPairGen(CK_KEY_TYPE kt) : kt_(kt) {}

  Result<KeyPairMaterial> generate_key_pair(const Params&, const AttributeSet& public_tmpl,
                                            const AttributeSet& private_tmpl) const override {
    CRATON_ASSIGN_OR_RETURN(const PairParams params, pair_params(kt_, public_tmpl, private_tmpl));
    CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr pkey, crypto::ec_generate(*params.curve));
    CRATON_ASSIGN_OR_RETURN(AttributeSet pub, crypto::ec_attrs_from_pkey(pkey.get(), false));
    CRATON_ASSIGN_OR_RETURN(AttributeSet priv, crypto::ec_attrs_from_pkey(pkey.get(), true));
    CRATON_TRY(pairwise_check(pkey.get(), *params.curve, pub, priv));
    CRATON_ASSIGN_OR_RETURN(const Bytes spki, crypto::public_key_info_der(pkey.get()));
    KeyPairMaterial m;
    m.public_key = std::move(pub);
    m.public_key.set(Attribute::make_ulong(CKA_CLASS, CKO_PUBLIC_KEY));
    m.public_key.set(Attribute::make_ulong(CKA_KEY_TYPE, kt_));
    m.public_key.set(Attribute::make_bytes(CKA_EC_PARAMS, params.public_bytes));
    m.public_key.set(Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, spki));
    m.private_key = std::move(priv);
    m.private_key.set(Attribute::make_ulong(CKA_CLASS, CKO_PRIVATE_KEY));
    m.private_key.set(Attribute::make_ulong(CKA_KEY_TYPE, kt_));
    m.private_key.set(Attribute::make_bytes(CKA_EC_PARAMS, params.private_bytes));
    m.private_key.set(Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, spki));
    return m;
  }

 private:
  CK_KEY_TYPE kt_;
};

}  // namespace

std::vector<Registration> ec_keygen_mechanisms() {
  static const EcKeyPairGen ec(CKK_EC), edwards(CKK_EC_EDWARDS), montgomery(CKK_EC_MONTGOMERY);
  return {
      {CKM_EC_KEY_PAIR_GEN, {256, 521, CKF_GENERATE_KEY_PAIR | kEcPointFlags}, ParamKind::kNone, &ec},
      {CKM_EC_EDWARDS_KEY_PAIR_GEN, {255, 448, CKF_GENERATE_KEY_PAIR | kEcCurveFlags}, ParamKind::kNone, &edwards},
      {CKM_EC_MONTGOMERY_KEY_PAIR_GEN, {255, 448, CKF_GENERATE_KEY_PAIR | kEcCurveFlags}, ParamKind::kNone,
       &montgomery},
  };
}

}  // namespace craton::mech
