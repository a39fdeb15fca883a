// CKM_PKCS5_PBKD2: PBKDF2 (RFC 8018 §5.2) key generation from a password, through C_GenerateKey
// with CK_PKCS5_PBKD2_PARAMS2 (or the original layout; abi/mech_params.cpp reads both).
//
// The salt source must be CKZ_SALT_SPECIFIED, the PRF one of CKP_PKCS5_PBKD2_HMAC_SHA1 / SHA224 /
// SHA256 / SHA384 / SHA512 / SHA512_224 / SHA512_256 and the iteration count at least 1. The key
// length is CKA_VALUE_LEN, or the fixed length of the template's key type (CKK_CHACHA20); other
// key types (CKK_AES, CKK_GENERIC_SECRET, ...) need CKA_VALUE_LEN.
#include <optional>

#include "crypto/ossl/kdf_ext.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

constexpr CK_ULONG kMaxKeyBytes = 4096;

std::optional<CK_MECHANISM_TYPE> prf_hash(CK_ULONG prf) {
  switch (prf) {
    case CKP_PKCS5_PBKD2_HMAC_SHA1: return CKM_SHA_1;
    case CKP_PKCS5_PBKD2_HMAC_SHA224: return CKM_SHA224;
    case CKP_PKCS5_PBKD2_HMAC_SHA256: return CKM_SHA256;
    case CKP_PKCS5_PBKD2_HMAC_SHA384: return CKM_SHA384;
    case CKP_PKCS5_PBKD2_HMAC_SHA512: return CKM_SHA512;
    case CKP_PKCS5_PBKD2_HMAC_SHA512_224: return CKM_SHA512_224;
    case CKP_PKCS5_PBKD2_HMAC_SHA512_256: return CKM_SHA512_256;
    default: return std::nullopt;
  }
}

Result<std::size_t> key_length(const object::AttributeSet& tmpl, CK_KEY_TYPE kt) {
  if (tmpl.contains(CKA_VALUE_LEN)) {
    const auto len = tmpl.get_ulong(CKA_VALUE_LEN);
    if (!len || *len == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN must be a positive CK_ULONG");
    if (*len > kMaxKeyBytes) return fail(CKR_KEY_SIZE_RANGE, "CKA_VALUE_LEN too large");
    return static_cast<std::size_t>(*len);
  }
  if (kt == CKK_CHACHA20) return std::size_t{32};
  return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN is required for this key type");
}

class Pbkdf2Mechanism final : public Mechanism {
 public:
  Result<object::AttributeSet> generate_key(const Params& p, const object::AttributeSet& tmpl) const override {
    const auto* pp = param_as<Pbkdf2Params>(p);
    if (pp == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_PKCS5_PBKD2_PARAMS2 expected");
    if (pp->salt_source != CKZ_SALT_SPECIFIED) return fail(CKR_MECHANISM_PARAM_INVALID, "salt source must be CKZ_SALT_SPECIFIED");
    if (pp->iterations == 0) return fail(CKR_MECHANISM_PARAM_INVALID, "iteration count must be at least 1");
    const auto hash = prf_hash(pp->prf);
    if (!hash) return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported PBKDF2 PRF");
    const auto cls = tmpl.get_ulong(CKA_CLASS).value_or(CKO_SECRET_KEY);
    if (cls != CKO_SECRET_KEY) return fail(CKR_TEMPLATE_INCONSISTENT, "PBKDF2 makes secret keys");
    const CK_KEY_TYPE kt = tmpl.get_ulong(CKA_KEY_TYPE).value_or(CKK_GENERIC_SECRET);
    CRATON_ASSIGN_OR_RETURN(const std::size_t len, key_length(tmpl, kt));
    CRATON_ASSIGN_OR_RETURN(SecureBytes value,
                            crypto::pbkdf2_hmac(*hash, pp->password.span(), pp->salt, pp->iterations, len));
    object::AttributeSet m;
    m.set(object::Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
    m.set(object::Attribute::make_ulong(CKA_KEY_TYPE, kt));
    m.set(object::Attribute::make_bytes(CKA_VALUE, value.span()));
    m.set(object::Attribute::make_ulong(CKA_VALUE_LEN, len));
    return m;
  }
};

}  // namespace

std::vector<Registration> pbkdf2_mechanisms() {
  static const Pbkdf2Mechanism impl;
  return {{CKM_PKCS5_PBKD2, CK_MECHANISM_INFO{0, 0, CKF_GENERATE}, ParamKind::kPbkdf2, &impl}};
}

}  // namespace craton::mech
