#include "crypto/ossl/pkey_ec.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <array>
#include <string_view>

#include "crypto/ossl/ec_point.h"
#include "crypto/ossl/error.h"
#include "crypto/ossl/pkey_params.h"

namespace craton::crypto {
namespace {

using object::Attribute;
using object::AttributeSet;

Result<const Curve*> curve_from_attrs(const AttributeSet& attrs) {
  const auto params = attrs.get_bytes(CKA_EC_PARAMS);
  if (!params) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_EC_PARAMS missing");
  if (const auto kt = attrs.get_ulong(CKA_KEY_TYPE)) return curve_for_key_type(*params, *kt);
  return curve_from_ec_params(*params);
}

// The public point priv·G, uncompressed (SEC 1 §3.2.1).
Result<Bytes> derive_point(const EC_GROUP* group, const BIGNUM* priv) {
  BnCtxPtr bn_ctx(BN_CTX_secure_new());
  EcPointPtr q(EC_POINT_new(group));
  if (!bn_ctx || !q) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate EC point");
  if (EC_POINT_mul(group, q.get(), priv, nullptr, nullptr, bn_ctx.get()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cannot derive the public point");
  }
  const std::size_t len = EC_POINT_point2oct(group, q.get(), POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, bn_ctx.get());
  Bytes out(len);
  if (len == 0 || EC_POINT_point2oct(group, q.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(),
                                     bn_ctx.get()) != len) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cannot encode the public point");
  }
  return out;
}

Result<PkeyPtr> weierstrass_private(const Curve& curve, std::span<const std::uint8_t> value) {
  if (value.empty() || value.size() > curve.key_bytes) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE has the wrong length for the curve");
  }
  EcGroupPtr group(EC_GROUP_new_by_curve_name_ex(libctx(), nullptr, curve.nid));
  if (!group) return openssl_failure(CKR_FUNCTION_FAILED, "curve unavailable");
  CRATON_ASSIGN_OR_RETURN(BnPtr d, detail::bn_from_bytes(value, /*secret=*/true));
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "EC private value out of range");
  }
  CRATON_ASSIGN_OR_RETURN(Bytes point, derive_point(group.get(), d.get()));
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.ossl_name, 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return openssl_failure(CKR_HOST_MEMORY, "cannot build EC key parameters");
  }
  return detail::pkey_from_params("EC", EVP_PKEY_KEYPAIR, bld.get(), CKR_ATTRIBUTE_VALUE_INVALID,
                                  "EC private key rejected");
}

Result<PkeyPtr> raw_private(const Curve& curve, std::span<const std::uint8_t> value) {
  if (value.size() != curve.key_bytes) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE has the wrong length for the curve");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, curve.ossl_name, nullptr, value.data(), value.size()));
  if (!pkey) return openssl_failure(CKR_ATTRIBUTE_VALUE_INVALID, "private key rejected");
  return pkey;
}

Result<SecureBytes> private_value(const Curve& curve, const EVP_PKEY* pkey) {
  if (curve.weierstrass()) {
    return detail::secret_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, curve.key_bytes, CKR_ARGUMENTS_BAD);
  }
  SecureBytes out(curve.key_bytes);
  std::size_t len = out.size();
  if (EVP_PKEY_get_raw_private_key(pkey, out.data(), &len) != 1 || len != out.size()) {
    return openssl_failure(CKR_ARGUMENTS_BAD, "key has no private part");
  }
  return out;
}

}  // namespace

Result<const Curve*> curve_of_pkey(const EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "EC")) {
    std::array<char, 64> group{};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &len) != 1) {
      return openssl_failure(CKR_CURVE_NOT_SUPPORTED, "EC key without a named curve");
    }
    const auto c = curve_by_name(std::string_view(group.data(), len));
    if (!c.ok() || !(*c)->weierstrass()) return fail(CKR_CURVE_NOT_SUPPORTED, "unsupported EC curve");
    return c;
  }
  for (const Curve& c : all_curves()) {
    if (!c.weierstrass() && EVP_PKEY_is_a(pkey, c.ossl_name)) return &c;
  }
  return fail(CKR_KEY_TYPE_INCONSISTENT, "not an EC, Edwards or Montgomery key");
}

Result<PkeyPtr> ec_public_from_point(const Curve& curve, std::span<const std::uint8_t> public_key, CK_RV invalid_rv) {
  if (!curve.weierstrass()) {
    if (public_key.size() != curve.key_bytes) return fail(invalid_rv, "public key has the wrong length");
    PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, curve.ossl_name, nullptr, public_key.data(),
                                                public_key.size()));
    if (!pkey) return openssl_failure(invalid_rv, "public key rejected");
    return pkey;
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.ossl_name, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, public_key.data(), public_key.size()) != 1) {
    return openssl_failure(CKR_HOST_MEMORY, "cannot build EC key parameters");
  }
  // OpenSSL decodes the point with EC_POINT_oct2point, which refuses points not on the curve.
  return detail::pkey_from_params("EC", EVP_PKEY_PUBLIC_KEY, bld.get(), invalid_rv, "EC point is not on the curve");
}

Result<PkeyPtr> ec_public_from_attrs(const AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(const Curve* curve, curve_from_attrs(attrs));
  const auto point = attrs.get_bytes(CKA_EC_POINT);
  if (!point) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_EC_POINT missing");
  CRATON_ASSIGN_OR_RETURN(const auto pub, decode_ec_point(*curve, *point));
  return ec_public_from_point(*curve, pub);
}

Result<PkeyPtr> ec_private_from_attrs(const AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(const Curve* curve, curve_from_attrs(attrs));
  const auto value = attrs.get_bytes(CKA_VALUE);
  if (!value) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE missing");
  return curve->weierstrass() ? weierstrass_private(*curve, *value) : raw_private(*curve, *value);
}

Result<Bytes> ec_point_of_pkey(const EVP_PKEY* pkey) {
  CRATON_ASSIGN_OR_RETURN(const Curve* curve, curve_of_pkey(pkey));
  if (!curve->weierstrass()) {
    Bytes raw(curve->key_bytes);
    std::size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1 || len != raw.size()) {
      return openssl_failure(CKR_FUNCTION_FAILED, "cannot read the public key");
    }
    return ec_point_attr(raw);
  }
  // Built from the affine coordinates, so the point is uncompressed whatever form the key uses.
  CRATON_ASSIGN_OR_RETURN(Bytes x, detail::public_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, curve->key_bytes,
                                                           CKR_FUNCTION_FAILED));
  CRATON_ASSIGN_OR_RETURN(Bytes y, detail::public_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, curve->key_bytes,
                                                           CKR_FUNCTION_FAILED));
  Bytes point{0x04};
  point.insert(point.end(), x.begin(), x.end());
  point.insert(point.end(), y.begin(), y.end());
  return ec_point_attr(point);
}

Result<AttributeSet> ec_attrs_from_pkey(const EVP_PKEY* pkey, bool private_part) {
  CRATON_ASSIGN_OR_RETURN(const Curve* curve, curve_of_pkey(pkey));
  AttributeSet out;
  out.set(Attribute::make_bytes(CKA_EC_PARAMS, curve->oid_der));
  if (private_part) {
    CRATON_ASSIGN_OR_RETURN(SecureBytes value, private_value(*curve, pkey));
    out.set(Attribute::make_bytes(CKA_VALUE, value.span()));
  } else {
    CRATON_ASSIGN_OR_RETURN(Bytes point, ec_point_of_pkey(pkey));
    out.set(Attribute::make_bytes(CKA_EC_POINT, point));
  }
  return out;
}

Result<PkeyPtr> ec_generate(const Curve& curve) {
  const char* type = curve.weierstrass() ? "EC" : curve.ossl_name;
  PkeyCtxPtr ctx(provider_pkey_ctx(type));
  if (!ctx) return openssl_failure(CKR_FUNCTION_FAILED, "key type unavailable");
  if (EVP_PKEY_keygen_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "key generation unavailable");
  if (curve.weierstrass() && EVP_PKEY_CTX_set_group_name(ctx.get(), curve.ossl_name) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "curve unavailable");
  }
  return detail::generate_with(ctx.get());
}

}  // namespace craton::crypto
