#include "crypto/hybrid/hybrid_keys.h"

#include <algorithm>
#include <array>
#include <optional>

#include "crypto/hybrid/composite_sig.h"
#include "crypto/hybrid/xwing.h"
#include "crypto/ossl/der.h"
#include "crypto/ossl/pkey_ec.h"
#include "crypto/pqc/ml_kem.h"
#include "selftest/pct.h"

namespace craton::crypto::hybrid {
namespace {

using Span = std::span<const std::uint8_t>;

constexpr std::uint8_t kUncompressedPoint = 0x04;

// 1.3.6.1.4.1.62253.25722 (id-XWing, draft-connolly-cfrg-xwing-kem-10 §5.8).
constexpr std::array<std::uint8_t, 13> kXWingOidDer = {0x06, 0x0B, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x83,
                                                       0xE6, 0x2D, 0x81, 0xC8, 0x7A};

constexpr std::size_t kSpecCount = 3;

const std::array<HybridKeySpec, kSpecCount>& specs() {
  static const std::array<HybridKeySpec, kSpecCount> table = {{
      {CKK_CRATON_COMP_SIG, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512, kMlDsa65EcdsaP256Sha512.name,
       kMlDsa65EcdsaP256Sha512.oid_der, kMlDsa65EcdsaP256Sha512.pk_bytes, kMlDsa65EcdsaP256Sha512.sk_bytes,
       kMlDsa65EcdsaP256Sha512.min_sig_bytes, kMlDsa65EcdsaP256Sha512.max_sig_bytes, &kMlDsa65EcdsaP256Sha512},
      {CKK_CRATON_COMP_SIG, CKP_CRATON_COMP_SIG_MLDSA87_ECDSA_P384_SHA512, kMlDsa87EcdsaP384Sha512.name,
       kMlDsa87EcdsaP384Sha512.oid_der, kMlDsa87EcdsaP384Sha512.pk_bytes, kMlDsa87EcdsaP384Sha512.sk_bytes,
       kMlDsa87EcdsaP384Sha512.min_sig_bytes, kMlDsa87EcdsaP384Sha512.max_sig_bytes, &kMlDsa87EcdsaP384Sha512},
      {CKK_CRATON_XWING, CKP_CRATON_XWING, "X-Wing", kXWingOidDer, kXWingPublicKeyBytes, kXWingSeedBytes,
       kXWingCiphertextBytes, kXWingCiphertextBytes, nullptr},
  }};
  return table;
}

// The spec whose AlgorithmIdentifier content is exactly `alg` (the OID, parameters absent).
const HybridKeySpec* spec_for_algorithm(Span alg) {
  for (const auto& s : specs()) {
    if (std::equal(alg.begin(), alg.end(), s.oid_der.begin(), s.oid_der.end())) return &s;
  }
  return nullptr;
}

constexpr Error kBadDer = fail(CKR_WRAPPED_KEY_INVALID, "not a hybrid OneAsymmetricKey");

// The errors of composite_public_from_private / xwing_keygen_derand that mean "not a valid key".
bool is_invalid_key(CK_RV rv) {
  return rv == CKR_ATTRIBUTE_VALUE_INVALID || rv == CKR_KEY_SIZE_RANGE || rv == CKR_PUBLIC_KEY_INVALID;
}

}  // namespace

bool is_hybrid_key_type(CK_KEY_TYPE key_type) noexcept {
  return key_type == CKK_CRATON_COMP_SIG || key_type == CKK_CRATON_XWING;
}

Result<const HybridKeySpec*> hybrid_key_spec(CK_KEY_TYPE key_type, CK_ULONG parameter_set) {
  for (const auto& s : specs()) {
    if (s.key_type == key_type && s.parameter_set == parameter_set) return &s;
  }
  return fail(CKR_PARAMETER_SET_NOT_SUPPORTED, "unknown parameter set for this key type");
}

std::vector<const HybridKeySpec*> hybrid_key_specs(CK_KEY_TYPE key_type) {
  std::vector<const HybridKeySpec*> out;
  for (const auto& s : specs()) {
    if (s.key_type == key_type) out.push_back(&s);
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->parameter_set < b->parameter_set; });
  return out;
}

Result<HybridPrivateKey> hybrid_generate(const HybridKeySpec& spec) {
  HybridPrivateKey out;
  if (spec.composite != nullptr) {
    CRATON_ASSIGN_OR_RETURN(CompositeKeyPair kp, composite_keygen(*spec.composite));
    out = {std::move(kp.sk), std::move(kp.pk)};
  } else {
    CRATON_ASSIGN_OR_RETURN(XWingKeyPair kp, xwing_keygen());
    out = {std::move(kp.sk), std::move(kp.pk)};
  }
  CRATON_TRY(hybrid_pairwise_test(spec, out.public_key, out.value.span()));
  return out;
}

Result<HybridPrivateKey> hybrid_import_private(const HybridKeySpec& spec, Span value) {
  constexpr Error kInvalid = fail(CKR_ATTRIBUTE_VALUE_INVALID, "the private key value is not a valid key");
  if (value.size() != spec.private_bytes) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE has the wrong length for the parameter set");
  }
  HybridPrivateKey out;
  if (spec.composite != nullptr) {
    auto pk = composite_public_from_private(*spec.composite, value);
    if (!pk.ok()) return is_invalid_key(pk.rv()) ? kInvalid : pk.error();
    out.public_key = std::move(*pk);
  } else {
    auto kp = xwing_keygen_derand(value);
    if (!kp.ok()) return is_invalid_key(kp.rv()) ? kInvalid : kp.error();
    out.public_key = std::move(kp->pk);
  }
  out.value = SecureBytes(value);
  return out;
}

Status hybrid_check_public(const HybridKeySpec& spec, Span value) {
  constexpr Error kInvalid = fail(CKR_ATTRIBUTE_VALUE_INVALID, "the public key value is not a valid key");
  if (value.size() != spec.public_bytes) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE has the wrong length for the parameter set");
  }
  if (spec.composite == nullptr) {
    const Span pk_m = value.first(pqc::kMlKem768.ek_bytes());
    if (!pqc::ml_kem_check_encapsulation_key(pqc::kMlKem768, pk_m).ok()) {
      return fail(CKR_ATTRIBUTE_VALUE_INVALID, "the ML-KEM part fails the FIPS 203 modulus check");
    }
    return ok_status();  // every 32-byte string is an X25519 u-coordinate
  }
  // Any byte string of the right length is an ML-DSA public key (rho || t1); the EC point is not.
  const CompositeSigParams& p = *spec.composite;
  const Curve* curve = p.curve();
  if (curve == nullptr) return fail(CKR_GENERAL_ERROR, "composite curve unavailable");
  const Span point = value.subspan(p.mldsa->pk_bytes);
  if (point[0] != kUncompressedPoint) return kInvalid;
  if (!ec_public_from_point(*curve, point, CKR_ATTRIBUTE_VALUE_INVALID).ok()) return kInvalid;
  return ok_status();
}

// A failure enters the error state (selftest/pct.h).
Status hybrid_pairwise_test(const HybridKeySpec& spec, Span public_key, Span private_key) {
  if (spec.composite != nullptr) {
    return selftest::pct_signature(
        "pct.composite",
        [&](Span m) { return composite_sign(*spec.composite, private_key, m, {}, pqc::MlDsaHedge::kHedged); },
        [&](Span m, Span sig) { return composite_verify(*spec.composite, public_key, m, {}, sig); });
  }
  return selftest::pct_kem(
      "pct.xwing",
      [&]() -> Result<std::pair<std::vector<std::uint8_t>, SecureBytes>> {
        CRATON_ASSIGN_OR_RETURN(XWingEncapsulation enc, xwing_encaps(public_key));
        return std::pair(std::move(enc.ciphertext), std::move(enc.shared_secret));
      },
      [&](Span c) { return xwing_decaps(private_key, c); });
}

std::vector<std::uint8_t> hybrid_public_key_info(const HybridKeySpec& spec, Span public_key) {
  return der_subject_public_key_info(spec.oid_der, public_key);
}

SecureBytes hybrid_private_key_info(const HybridKeySpec& spec, Span value) {
  return der_one_asymmetric_key(spec.oid_der, value);
}

bool hybrid_is_private_key_info(Span der) noexcept {
  const auto key = der_read_one_asymmetric_key(der);
  return key && spec_for_algorithm(key->algorithm) != nullptr;
}

Result<HybridDecodedPrivateKey> hybrid_parse_private_key_info(Span der) {
  const auto key = der_read_one_asymmetric_key(der);
  if (!key) return kBadDer;
  HybridDecodedPrivateKey out;
  out.spec = spec_for_algorithm(key->algorithm);
  if (out.spec == nullptr) return kBadDer;
  out.value = SecureBytes(key->private_key);
  if (key->public_key) out.public_key.assign(key->public_key->begin(), key->public_key->end());
  return out;
}

}  // namespace craton::crypto::hybrid
