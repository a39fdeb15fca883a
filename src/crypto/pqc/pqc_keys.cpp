#include "crypto/pqc/pqc_keys.h"

#include <algorithm>
#include <array>

#include "crypto/ossl/der.h"
#include "crypto/ossl/random.h"
#include "crypto/pqc/ml_dsa.h"
#include "crypto/pqc/ml_kem.h"
#include "crypto/pqc/slh_dsa.h"
#include "selftest/pct.h"

namespace craton::crypto::pqc {
namespace {

using Span = std::span<const std::uint8_t>;

constexpr std::uint8_t kArcSig = 3;  // 2.16.840.1.101.3.4.3 (sigAlgs)
constexpr std::uint8_t kArcKem = 4;  // 2.16.840.1.101.3.4.4 (kems)
constexpr std::size_t kSpecCount = 18;

// Sizes of FIPS 203 Table 3, FIPS 204 Table 2 and FIPS 205 Table 2, checked against the
// implementations' own parameter structures at compile time where they are constexpr.
const std::array<PqcKeySpec, kSpecCount>& specs() {
  static const std::array<PqcKeySpec, kSpecCount> table = {{
      {CKK_ML_KEM, CKP_ML_KEM_512, "ML-KEM-512", kArcKem, 1, 800, 1632, 64, 768, &kMlKem512},
      {CKK_ML_KEM, CKP_ML_KEM_768, "ML-KEM-768", kArcKem, 2, 1184, 2400, 64, 1088, &kMlKem768},
      {CKK_ML_KEM, CKP_ML_KEM_1024, "ML-KEM-1024", kArcKem, 3, 1568, 3168, 64, 1568, &kMlKem1024},
      {CKK_ML_DSA, CKP_ML_DSA_44, "ML-DSA-44", kArcSig, 17, 1312, 2560, 32, 2420, nullptr, &kMlDsa44},
      {CKK_ML_DSA, CKP_ML_DSA_65, "ML-DSA-65", kArcSig, 18, 1952, 4032, 32, 3309, nullptr, &kMlDsa65},
      {CKK_ML_DSA, CKP_ML_DSA_87, "ML-DSA-87", kArcSig, 19, 2592, 4896, 32, 4627, nullptr, &kMlDsa87},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128S, "SLH-DSA-SHA2-128s", kArcSig, 20, 32, 64, 0, 7856, nullptr, nullptr, &kSlhDsaSha2_128s},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_128S, "SLH-DSA-SHAKE-128s", kArcSig, 26, 32, 64, 0, 7856, nullptr, nullptr, &kSlhDsaShake128s},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHA2_128F, "SLH-DSA-SHA2-128f", kArcSig, 21, 32, 64, 0, 17088, nullptr, nullptr, &kSlhDsaSha2_128f},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_128F, "SLH-DSA-SHAKE-128f", kArcSig, 27, 32, 64, 0, 17088, nullptr, nullptr, &kSlhDsaShake128f},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHA2_192S, "SLH-DSA-SHA2-192s", kArcSig, 22, 48, 96, 0, 16224, nullptr, nullptr, &kSlhDsaSha2_192s},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_192S, "SLH-DSA-SHAKE-192s", kArcSig, 28, 48, 96, 0, 16224, nullptr, nullptr, &kSlhDsaShake192s},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHA2_192F, "SLH-DSA-SHA2-192f", kArcSig, 23, 48, 96, 0, 35664, nullptr, nullptr, &kSlhDsaSha2_192f},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_192F, "SLH-DSA-SHAKE-192f", kArcSig, 29, 48, 96, 0, 35664, nullptr, nullptr, &kSlhDsaShake192f},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHA2_256S, "SLH-DSA-SHA2-256s", kArcSig, 24, 64, 128, 0, 29792, nullptr, nullptr, &kSlhDsaSha2_256s},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_256S, "SLH-DSA-SHAKE-256s", kArcSig, 30, 64, 128, 0, 29792, nullptr, nullptr, &kSlhDsaShake256s},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHA2_256F, "SLH-DSA-SHA2-256f", kArcSig, 25, 64, 128, 0, 49856, nullptr, nullptr, &kSlhDsaSha2_256f},
      {CKK_SLH_DSA, CKP_SLH_DSA_SHAKE_256F, "SLH-DSA-SHAKE-256f", kArcSig, 31, 64, 128, 0, 49856, nullptr, nullptr, &kSlhDsaShake256f},
  }};
  return table;
}

// The 11-byte DER OID of a spec: 06 09 60 86 48 01 65 03 04 <arc> <last>.
std::array<std::uint8_t, 11> oid_of(const PqcKeySpec& s) {
  return {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, s.oid_arc, s.oid_last};
}

constexpr Error kBadDer = fail(CKR_WRAPPED_KEY_INVALID, "not a post-quantum OneAsymmetricKey");

// The spec whose AlgorithmIdentifier is `alg` (the SEQUENCE content).
const PqcKeySpec* spec_for_algorithm(Span alg) {
  for (const auto& s : specs()) {
    const auto oid = oid_of(s);
    if (std::equal(alg.begin(), alg.end(), oid.begin(), oid.end())) return &s;
  }
  return nullptr;
}

Result<PqcPrivateKey> expand_seed(const PqcKeySpec& spec, Span seed) {
  PqcPrivateKey out;
  if (spec.kem != nullptr) {
    CRATON_ASSIGN_OR_RETURN(MlKemKeyPair kp, ml_kem_keygen_from_seed(*spec.kem, seed));
    out.value = std::move(kp.dk);
    out.public_key = std::move(kp.ek);
  } else {
    CRATON_ASSIGN_OR_RETURN(MlDsaKeyPair kp, ml_dsa_keygen_internal(*spec.dsa, seed));
    out.value = std::move(kp.sk);
    out.public_key = std::move(kp.pk);
  }
  out.seed = SecureBytes(seed);
  return out;
}

// The public key inside / behind an expanded private key, after the key's own consistency check.
Result<std::vector<std::uint8_t>> check_expanded(const PqcKeySpec& spec, Span value) {
  constexpr Error kInvalid = fail(CKR_ATTRIBUTE_VALUE_INVALID, "the private key value is not a valid key");
  if (spec.kem != nullptr) {
    if (!ml_kem_check_decapsulation_key(*spec.kem, value).ok()) return kInvalid;
    // dk = dk_PKE || ek || H(ek) || z
    const Span ek = value.subspan(384 * spec.kem->k, spec.public_bytes);
    if (!ml_kem_check_encapsulation_key(*spec.kem, ek).ok()) return kInvalid;
    return std::vector<std::uint8_t>(ek.begin(), ek.end());
  }
  if (spec.dsa != nullptr) {
    auto pk = ml_dsa_public_from_private(*spec.dsa, value);
    if (!pk.ok()) return kInvalid;
    return std::move(*pk);
  }
  if (!slh_dsa_check_private_key(*spec.slh, value).ok()) return kInvalid;
  const Span pk = value.subspan(spec.public_bytes);  // SK.seed || SK.prf || PK.seed || PK.root
  return std::vector<std::uint8_t>(pk.begin(), pk.end());
}

}  // namespace

Result<const PqcKeySpec*> pqc_key_spec(CK_KEY_TYPE key_type, CK_ULONG parameter_set) {
  for (const auto& s : specs()) {
    if (s.key_type == key_type && s.parameter_set == parameter_set) return &s;
  }
  return fail(CKR_PARAMETER_SET_NOT_SUPPORTED, "unknown parameter set for this key type");
}

std::vector<const PqcKeySpec*> pqc_key_specs(CK_KEY_TYPE key_type) {
  std::vector<const PqcKeySpec*> out;
  for (const auto& s : specs()) {
    if (s.key_type == key_type) out.push_back(&s);
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->parameter_set < b->parameter_set; });
  return out;
}

Result<PqcPrivateKey> pqc_generate(const PqcKeySpec& spec) {
  PqcPrivateKey out;
  if (spec.kem != nullptr) {
    SecureBytes seed;
    CRATON_ASSIGN_OR_RETURN(MlKemKeyPair kp, ml_kem_keygen(*spec.kem, &seed));
    out = {std::move(kp.dk), std::move(seed), std::move(kp.ek)};
  } else if (spec.dsa != nullptr) {
    SecureBytes seed(kMlDsaSeedBytes);
    CRATON_TRY(crypto::random_bytes(seed.span()));
    CRATON_ASSIGN_OR_RETURN(out, expand_seed(spec, seed.span()));
  } else {
    CRATON_ASSIGN_OR_RETURN(SlhDsaKeyPair kp, slh_dsa_keygen(*spec.slh));
    out.value = std::move(kp.sk);
    out.public_key = std::move(kp.pk);
  }
  CRATON_TRY(pqc_pairwise_test(spec, out.public_key, out.value.span()));
  return out;
}

Result<PqcPrivateKey> pqc_import_private(const PqcKeySpec& spec, std::optional<Span> seed, std::optional<Span> value) {
  if (seed && spec.seed_bytes == 0) return fail(CKR_ATTRIBUTE_TYPE_INVALID, "SLH-DSA keys have no seed");
  if (seed && seed->size() != spec.seed_bytes) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_SEED has the wrong length");
  if (value && value->size() != spec.private_bytes) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE has the wrong length for the parameter set");
  }
  if (seed) {
    CRATON_ASSIGN_OR_RETURN(PqcPrivateKey key, expand_seed(spec, *seed));
    if (value && !ct_equal(key.value.span(), *value)) {
      return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_SEED and CKA_VALUE are not the same key");
    }
    return key;
  }
  if (!value) return fail(CKR_TEMPLATE_INCOMPLETE, "a private key needs CKA_SEED or CKA_VALUE");
  PqcPrivateKey key;
  CRATON_ASSIGN_OR_RETURN(key.public_key, check_expanded(spec, *value));
  key.value = SecureBytes(*value);
  return key;
}

Status pqc_check_public(const PqcKeySpec& spec, Span value) {
  if (value.size() != spec.public_bytes) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE has the wrong length for the parameter set");
  }
  if (spec.kem != nullptr && !ml_kem_check_encapsulation_key(*spec.kem, value).ok()) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "the encapsulation key fails the FIPS 203 modulus check");
  }
  return ok_status();
}

// A failure enters the error state (selftest/pct.h).
Status pqc_pairwise_test(const PqcKeySpec& spec, Span public_key, Span private_key) {
  if (spec.kem != nullptr) {
    return selftest::pct_kem(
        "pct.ml_kem",
        [&]() -> Result<std::pair<std::vector<std::uint8_t>, SecureBytes>> {
          CRATON_ASSIGN_OR_RETURN(MlKemEncapsulation enc, ml_kem_encaps(*spec.kem, public_key));
          return std::pair(std::move(enc.ciphertext), std::move(enc.shared_secret));
        },
        [&](Span c) { return ml_kem_decaps_internal(*spec.kem, private_key, c); });
  }
  if (spec.dsa != nullptr) {
    return selftest::pct_signature(
        "pct.ml_dsa", [&](Span m) { return ml_dsa_sign(*spec.dsa, private_key, m, {}, MlDsaHedge::kHedged); },
        [&](Span m, Span sig) { return ml_dsa_verify(*spec.dsa, public_key, m, {}, sig); });
  }
  return selftest::pct_signature(
      "pct.slh_dsa", [&](Span m) { return slh_dsa_sign(*spec.slh, private_key, m, {}, SlhDsaHedge::kHedged); },
      [&](Span m, Span sig) { return slh_dsa_verify(*spec.slh, public_key, m, {}, sig); });
}

std::vector<std::uint8_t> pqc_public_key_info(const PqcKeySpec& spec, Span public_key) {
  return der_subject_public_key_info(oid_of(spec), public_key);
}

SecureBytes pqc_private_key_info(const PqcKeySpec& spec, Span seed, Span value) {
  const auto oid = oid_of(spec);
  if (spec.slh != nullptr) return der_one_asymmetric_key(oid, value);  // RFC 9909: the raw key
  SecureBytes choice;  // RFC 9881 / 9935: `both` with the seed, else `expandedKey`
  if (!seed.empty()) {
    der_append_header(choice, kDerSequence, der_tlv_size(seed.size()) + der_tlv_size(value.size()));
    der_append_header(choice, kDerOctetString, seed.size());
    choice.append(seed);
  }
  der_append_header(choice, kDerOctetString, value.size());
  choice.append(value);
  return der_one_asymmetric_key(oid, choice.span());
}

bool pqc_is_private_key_info(Span der) noexcept {
  const auto key = der_read_one_asymmetric_key(der);
  return key && spec_for_algorithm(key->algorithm) != nullptr;
}

Result<PqcDecodedPrivateKey> pqc_parse_private_key_info(Span der) {
  const auto key = der_read_one_asymmetric_key(der);
  if (!key) return kBadDer;
  PqcDecodedPrivateKey out;
  out.spec = spec_for_algorithm(key->algorithm);
  if (out.spec == nullptr) return kBadDer;
  const Span priv = key->private_key;
  // An optional publicKey is not needed: the import recomputes the public key from the private one.
  if (out.spec->slh != nullptr) {
    out.has_value = true;
    out.value = SecureBytes(priv);
    return out;
  }
  Span choice = priv;
  const auto h = der_read_header(choice);
  if (!h || h->header_len + h->declared_len != choice.size() || h->content.size() != h->declared_len) return kBadDer;
  switch (h->tag) {
    case 0x80:  // seed [0] IMPLICIT OCTET STRING
      out.has_seed = true;
      out.seed = SecureBytes(h->content);
      break;
    case kDerOctetString:  // expandedKey
      out.has_value = true;
      out.value = SecureBytes(h->content);
      break;
    case kDerSequence: {  // both
      Span both = h->content;
      const auto seed = der_take(both, kDerOctetString);
      const auto value = der_take(both, kDerOctetString);
      if (!seed || !value || !both.empty()) return kBadDer;
      out.has_seed = out.has_value = true;
      out.seed = SecureBytes(*seed);
      out.value = SecureBytes(*value);
      break;
    }
    default:
      return kBadDer;
  }
  return out;
}

}  // namespace craton::crypto::pqc
