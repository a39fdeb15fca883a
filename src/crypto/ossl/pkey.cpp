#include "crypto/ossl/pkey.h"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include "crypto/ossl/pkey_ec.h"
#include "crypto/ossl/pkey_params.h"
#include "crypto/ossl/pkey_rsa.h"

namespace craton::crypto {
namespace {

using object::Attribute;
using object::AttributeSet;

bool is_rsa(const EVP_PKEY* pkey) { return EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS"); }

Result<AttributeSet> attrs_from_pkey(const EVP_PKEY* pkey, bool private_part) {
  CRATON_ASSIGN_OR_RETURN(const CK_KEY_TYPE kt, key_type_of(pkey));
  CRATON_ASSIGN_OR_RETURN(AttributeSet out, kt == CKK_RSA ? rsa_attrs_from_pkey(pkey, private_part)
                                                          : ec_attrs_from_pkey(pkey, private_part));
  out.set(Attribute::make_ulong(CKA_KEY_TYPE, kt));
  return out;
}

Result<CK_KEY_TYPE> key_type_in(const AttributeSet& attrs) {
  const auto kt = attrs.get_ulong(CKA_KEY_TYPE);
  if (!kt) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_KEY_TYPE missing");
  switch (*kt) {
    case CKK_RSA:
    case CKK_EC:
    case CKK_EC_EDWARDS:
    case CKK_EC_MONTGOMERY:
      return *kt;
    default:
      return fail(CKR_KEY_TYPE_INCONSISTENT, "no converter for this key type");
  }
}

}  // namespace

Result<CK_KEY_TYPE> key_type_of(const EVP_PKEY* pkey) {
  if (is_rsa(pkey)) return CK_KEY_TYPE{CKK_RSA};
  CRATON_ASSIGN_OR_RETURN(const Curve* curve, curve_of_pkey(pkey));
  return curve->key_type;
}

bool has_private_key(const EVP_PKEY* pkey) {
  if (detail::has_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D) || detail::has_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY)) {
    return true;
  }
  ERR_set_mark();
  std::size_t len = 0;
  const bool raw = EVP_PKEY_get_raw_private_key(pkey, nullptr, &len) == 1 && len > 0;
  ERR_pop_to_mark();
  return raw;
}

Result<AttributeSet> private_key_attrs_from_pkey(const EVP_PKEY* pkey) { return attrs_from_pkey(pkey, true); }

Result<AttributeSet> public_key_attrs_from_pkey(const EVP_PKEY* pkey) { return attrs_from_pkey(pkey, false); }

Result<PkeyPtr> private_pkey_from_attrs(const AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(const CK_KEY_TYPE kt, key_type_in(attrs));
  return kt == CKK_RSA ? rsa_private_from_attrs(attrs) : ec_private_from_attrs(attrs);
}

Result<PkeyPtr> public_pkey_from_attrs(const AttributeSet& attrs) {
  CRATON_ASSIGN_OR_RETURN(const CK_KEY_TYPE kt, key_type_in(attrs));
  return kt == CKK_RSA ? rsa_public_from_attrs(attrs) : ec_public_from_attrs(attrs);
}

}  // namespace craton::crypto
