// Secret-key generation from the RNG: CKM_GENERIC_SECRET_KEY_GEN (CKK_GENERIC_SECRET),
// CKM_<hash>_KEY_GEN for SHA-1, SHA-2 and SHA-3 (CKK_<hash>_HMAC) and CKM_HKDF_KEY_GEN (CKK_HKDF).
// None takes a parameter; the template must give CKA_VALUE_LEN (bytes).
//
// CK_MECHANISM_INFO key sizes: bits for CKM_GENERIC_SECRET_KEY_GEN (as the spec defines for that
// mechanism), bytes for the others.
#include <array>

#include "crypto/ossl/random.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

constexpr CK_ULONG kMaxKeyBytes = 4096;

class SecretKeyGen final : public Mechanism {
 public:
  explicit SecretKeyGen(CK_KEY_TYPE key_type) : key_type_(key_type) {}

  Result<object::AttributeSet> generate_key(const Params&, const object::AttributeSet& tmpl) const override {
    if (!tmpl.contains(CKA_VALUE_LEN)) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN is required");
    const auto len = tmpl.get_ulong(CKA_VALUE_LEN);
    if (!len || *len == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN must be a positive CK_ULONG");
    if (*len > kMaxKeyBytes) return fail(CKR_KEY_SIZE_RANGE, "CKA_VALUE_LEN too large");
    SecureBytes value(*len);
    CRATON_TRY(crypto::random_bytes(value.span()));
    object::AttributeSet m;
    m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
    m.set(object::Attribute::make_ulong(CKA_KEY_TYPE, key_type_));
    m.set(object::Attribute::make_bytes(CKA_VALUE, value.span()));
    m.set(object::Attribute::make_ulong(CKA_VALUE_LEN, *len));
    return m;
  }

 private:
  CK_KEY_TYPE key_type_;
};

struct KeyGenSpec {
  CK_MECHANISM_TYPE mechanism;
  CK_KEY_TYPE key_type;
};

constexpr std::array<KeyGenSpec, 13> kSpecs{{
    {CKM_GENERIC_SECRET_KEY_GEN, CKK_GENERIC_SECRET},
    {CKM_SHA_1_KEY_GEN, CKK_SHA_1_HMAC},
    {CKM_SHA224_KEY_GEN, CKK_SHA224_HMAC},
    {CKM_SHA256_KEY_GEN, CKK_SHA256_HMAC},
    {CKM_SHA384_KEY_GEN, CKK_SHA384_HMAC},
    {CKM_SHA512_KEY_GEN, CKK_SHA512_HMAC},
    {CKM_SHA512_224_KEY_GEN, CKK_SHA512_224_HMAC},
    {CKM_SHA512_256_KEY_GEN, CKK_SHA512_256_HMAC},
    {CKM_SHA3_224_KEY_GEN, CKK_SHA3_224_HMAC},
    {CKM_SHA3_256_KEY_GEN, CKK_SHA3_256_HMAC},
    {CKM_SHA3_384_KEY_GEN, CKK_SHA3_384_HMAC},
    {CKM_SHA3_512_KEY_GEN, CKK_SHA3_512_HMAC},
    {CKM_HKDF_KEY_GEN, CKK_HKDF},
}};

}  // namespace

std::vector<Registration> secret_keygen_mechanisms() {
  static const std::vector<SecretKeyGen> impls = [] {
    std::vector<SecretKeyGen> v;
    for (const KeyGenSpec& s : kSpecs) v.emplace_back(s.key_type);
    return v;
  }();
  std::vector<Registration> out;
  for (std::size_t i = 0; i < kSpecs.size(); ++i) {
    const bool bits = kSpecs[i].mechanism == CKM_GENERIC_SECRET_KEY_GEN;
    const CK_MECHANISM_INFO info{bits ? 8UL : 1UL, bits ? 8 * kMaxKeyBytes : kMaxKeyBytes, CKF_GENERATE};
    out.push_back({kSpecs[i].mechanism, info, ParamKind::kNone, &impls[i]});
  }
  return out;
}

}  // namespace craton::mech
