// HKDF (RFC 5869) derivation: CKM_HKDF_DERIVE (a secret key) and CKM_HKDF_DATA (a CKO_DATA
// object), with CK_HKDF_PARAMS. CKM_HKDF_KEY_GEN is in secret_keygen.cpp.
//
// The base key is CKK_HKDF or CKK_GENERIC_SECRET. bExtract and/or bExpand select the steps; the
// PRF is any SHA-1/SHA-2/SHA-3 hash mechanism. The salt (extract only) is absent
// (CKF_HKDF_SALT_NULL: HashLen zeros), given (CKF_HKDF_SALT_DATA) or the value of a secret key
// (CKF_HKDF_SALT_KEY: CKK_GENERIC_SECRET or CKK_HKDF with CKA_DERIVE). The output length is
// CKA_VALUE_LEN (1 .. 255·HashLen) when expanding; extract alone yields the PRK (HashLen bytes).
#include "crypto/ossl/digest.h"
#include "crypto/ossl/kdf_ext.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

constexpr Error kBadParam = fail(CKR_MECHANISM_PARAM_INVALID, "CK_HKDF_PARAMS value invalid");

// The salt a CK_HKDF_PARAMS names, as bytes (empty = HashLen zeros).
Result<SecureBytes> salt_of(const HkdfParams& hp, const DeriveRequest& req) {
  switch (hp.salt_type) {
    case CKF_HKDF_SALT_NULL:
      return SecureBytes{};
    case CKF_HKDF_SALT_DATA:
      return SecureBytes(std::span<const std::uint8_t>(hp.salt));
    case CKF_HKDF_SALT_KEY: {
      if (!req.lookup) return fail(CKR_GENERAL_ERROR, "no key lookup for the salt key");
      CRATON_ASSIGN_OR_RETURN(KeyRef key, req.lookup(hp.salt_key));
      const CK_KEY_TYPE kt = key.key_type();
      if (key.object_class() != CKO_SECRET_KEY || (kt != CKK_GENERIC_SECRET && kt != CKK_HKDF)) {
        return fail(CKR_KEY_TYPE_INCONSISTENT, "the HKDF salt key must be a generic secret or HKDF key");
      }
      if (!key.attrs().get_bool_or(CKA_DERIVE, false)) return fail(CKR_KEY_FUNCTION_NOT_PERMITTED, "salt key lacks CKA_DERIVE");
      return SecureBytes(key.value());
    }
    default:
      return kBadParam;
  }
}

class HkdfMechanism final : public Mechanism {
 public:
  explicit HkdfMechanism(bool data) : data_(data) {}

  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_HKDF || kt == CKK_GENERIC_SECRET; }

  Result<Derived> derive(const Params& p, const KeyRef& base, const DeriveRequest& req) const override {
    const auto* hp = param_as<HkdfParams>(p);
    if (hp == nullptr || (!hp->extract && !hp->expand)) return kBadParam;
    const std::size_t hash_len = crypto::digest_size(hp->prf);
    if (hash_len == 0) return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported HKDF hash");
    // CKM_HKDF_DATA fixes the class itself (out.object_class); a contradicting template is refused there.
    if (!data_ && req.object_class != CKO_SECRET_KEY) {
      return fail(CKR_TEMPLATE_INCONSISTENT, "CKM_HKDF_DERIVE makes a secret key");
    }
    if (base.value().empty()) return fail(CKR_KEY_TYPE_INCONSISTENT, "base key has no value");
    crypto::HkdfMode mode = crypto::HkdfMode::kExtractAndExpand;
    std::size_t len = hash_len;
    if (!hp->expand) {
      mode = crypto::HkdfMode::kExtractOnly;
      if (req.value_len && *req.value_len != hash_len) return fail(CKR_TEMPLATE_INCONSISTENT, "HKDF extract yields HashLen bytes");
    } else {
      if (!hp->extract) mode = crypto::HkdfMode::kExpandOnly;
      if (!req.value_len) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE_LEN is required");
      len = *req.value_len;
    }
    SecureBytes salt;
    if (hp->extract) {
      CRATON_ASSIGN_OR_RETURN(salt, salt_of(*hp, req));
    }
    Derived out;
    if (data_) out.object_class = CKO_DATA;
    CRATON_ASSIGN_OR_RETURN(out.value, crypto::hkdf(hp->prf, mode, base.value(), salt.span(), hp->info, len));
    return out;
  }

 private:
  bool data_;
};

}  // namespace

std::vector<Registration> hkdf_mechanisms() {
  static const HkdfMechanism derive_key(false);
  static const HkdfMechanism derive_data(true);
  return {
      {CKM_HKDF_DERIVE, CK_MECHANISM_INFO{0, 0, CKF_DERIVE}, ParamKind::kHkdf, &derive_key},
      {CKM_HKDF_DATA, CK_MECHANISM_INFO{0, 0, CKF_DERIVE}, ParamKind::kHkdf, &derive_data},
  };
}

}  // namespace craton::mech
