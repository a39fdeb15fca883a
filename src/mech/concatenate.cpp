// The simple secret-key derivations SoftHSMv2 offers: CKM_CONCATENATE_BASE_AND_KEY (base || other
// key, CK_OBJECT_HANDLE parameter), CKM_CONCATENATE_BASE_AND_DATA (base || data),
// CKM_CONCATENATE_DATA_AND_BASE (data || base) and CKM_XOR_BASE_AND_DATA (base XOR data, as long as
// the shorter of the two); the last three take CK_KEY_DERIVATION_STRING_DATA.
//
// Length: CKA_VALUE_LEN (or the key type's fixed length) takes the leading bytes of the result
// and may not exceed it (CKR_TEMPLATE_INCONSISTENT); without one the whole result is the key.
//
// Protection: these derivations are reversible, so the spec makes the new key sensitive (and
// unextractable) when a source key is: derive() asks for that (Derived::inherit_protection), and
// the other key of CONCATENATE_BASE_AND_KEY joins the history (Derived::other_sources).
#include <algorithm>
#include <array>

#include "mech/policy.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

constexpr std::array<CK_KEY_TYPE, 15> kSecretKeyTypes{
    CKK_GENERIC_SECRET, CKK_AES,          CKK_CHACHA20,        CKK_HKDF,            CKK_SHA_1_HMAC,
    CKK_SHA224_HMAC,    CKK_SHA256_HMAC,  CKK_SHA384_HMAC,     CKK_SHA512_HMAC,     CKK_SHA512_224_HMAC,
    CKK_SHA512_256_HMAC, CKK_SHA3_224_HMAC, CKK_SHA3_256_HMAC, CKK_SHA3_384_HMAC, CKK_SHA3_512_HMAC};

enum class Kind { kBaseAndKey, kBaseAndData, kDataAndBase, kXorBaseAndData };

Status check_source(const KeyRef& key) {
  if (key.object_class() != CKO_SECRET_KEY) return fail(CKR_KEY_TYPE_INCONSISTENT, "source must be a secret key");
  if (key.value().empty()) return fail(CKR_KEY_TYPE_INCONSISTENT, "source key has no value");
  return {};
}

SecureBytes joined(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  SecureBytes out(a);
  out.append(b);
  return out;
}

class SimpleDerive final : public Mechanism {
 public:
  explicit SimpleDerive(Kind kind) : kind_(kind) {}

  bool accepts_key_type(CK_KEY_TYPE kt) const override {
    for (CK_KEY_TYPE t : kSecretKeyTypes) {
      if (t == kt) return true;
    }
    return false;
  }

  Result<Derived> derive(const Params& p, const KeyRef& base, const DeriveRequest& req) const override {
    if (req.object_class != CKO_SECRET_KEY) return fail(CKR_TEMPLATE_INCONSISTENT, "the derivation makes a secret key");
    CRATON_TRY(check_source(base));
    Derived out;
    out.inherit_protection = true;
    CRATON_ASSIGN_OR_RETURN(SecureBytes full, combine(p, base, req, out.other_sources));
    if (req.value_len) {
      if (*req.value_len == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN must be positive");
      if (*req.value_len > full.size()) return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN exceeds the derived bytes");
      full.resize(*req.value_len);
    }
    out.value = std::move(full);
    return out;
  }

 private:
  Result<SecureBytes> combine(const Params& p, const KeyRef& base, const DeriveRequest& req,
                              std::vector<KeyRef>& others) const {
    if (kind_ == Kind::kBaseAndKey) {
      const auto* h = param_as<HandleParam>(p);
      if (h == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_OBJECT_HANDLE expected");
      if (!req.lookup) return fail(CKR_GENERAL_ERROR, "no key lookup");
      CRATON_ASSIGN_OR_RETURN(KeyRef other, req.lookup(h->handle));
      CRATON_TRY(check_source(other));
      if (!mechanism_allowed(other.attrs(), CKM_CONCATENATE_BASE_AND_KEY) || !other.attrs().get_bool_or(CKA_DERIVE, false)) {
        return fail(CKR_KEY_FUNCTION_NOT_PERMITTED, "the second key may not be used for derivation");
      }
      SecureBytes out = joined(base.value(), other.value());
      others.push_back(std::move(other));
      return out;
    }
    const auto* d = param_as<BytesParam>(p);
    if (d == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_KEY_DERIVATION_STRING_DATA expected");
    switch (kind_) {
      case Kind::kBaseAndData: return joined(base.value(), d->data);
      case Kind::kDataAndBase: return joined(d->data, base.value());
      default: break;
    }
    const std::size_t n = std::min(base.value().size(), d->data.size());
    if (n == 0) return fail(CKR_MECHANISM_PARAM_INVALID, "no data to XOR with");
    SecureBytes out(n);
    for (std::size_t i = 0; i < n; ++i) out.data()[i] = static_cast<std::uint8_t>(base.value()[i] ^ d->data[i]);
    return out;
  }

  Kind kind_;
};

}  // namespace

std::vector<Registration> concatenate_mechanisms() {
  static const SimpleDerive base_and_key(Kind::kBaseAndKey);
  static const SimpleDerive base_and_data(Kind::kBaseAndData);
  static const SimpleDerive data_and_base(Kind::kDataAndBase);
  static const SimpleDerive xor_base_and_data(Kind::kXorBaseAndData);
  constexpr CK_MECHANISM_INFO kInfo{0, 0, CKF_DERIVE};
  return {
      {CKM_CONCATENATE_BASE_AND_KEY, kInfo, ParamKind::kObjectHandle, &base_and_key},
      {CKM_CONCATENATE_BASE_AND_DATA, kInfo, ParamKind::kKeyDerivationString, &base_and_data},
      {CKM_CONCATENATE_DATA_AND_BASE, kInfo, ParamKind::kKeyDerivationString, &data_and_base},
      {CKM_XOR_BASE_AND_DATA, kInfo, ParamKind::kKeyDerivationString, &xor_base_and_data},
  };
}

}  // namespace craton::mech
