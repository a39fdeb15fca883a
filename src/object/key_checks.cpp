#include "object/key_checks.h"

#include <algorithm>
#include <cstdint>

#include "crypto/hybrid/hybrid_keys.h"
#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/pkey_ec.h"
#include "crypto/pqc/pqc_keys.h"

namespace craton::object {
namespace {

// Only the value's length may decide anything here: build_produced reuses a secret key built
// from the same template for the next value of the same length (object.h).
Status check_secret_key(AttributeSet& obj, CK_KEY_TYPE kt) {
  const auto value = obj.get_bytes(CKA_VALUE);
  if (!value) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE missing");
  const std::size_t n = value->size();
  switch (kt) {
    case CKK_AES:
      if (n != 16 && n != 24 && n != 32) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "AES keys are 16, 24 or 32 bytes");
      break;
    case CKK_CHACHA20:
      if (n != 32) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "ChaCha20 keys are 32 bytes");
      break;
    default:
      if (n == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "empty secret key");
      break;
  }
  if (const auto given = obj.get_ulong(CKA_VALUE_LEN); given && *given != n) {
    return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN does not match CKA_VALUE");
  }
  obj.set_ulong(CKA_VALUE_LEN, n);
  return {};
}

// Bit length of a big-endian unsigned integer.
CK_ULONG bit_length(std::span<const std::uint8_t> v) {
  std::size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  if (i == v.size()) return 0;
  CK_ULONG bits = static_cast<CK_ULONG>(v.size() - i - 1) * 8;
  for (std::uint8_t b = v[i]; b != 0; b >>= 1) ++bits;
  return bits;
}

Status check_rsa(AttributeSet& obj, CK_OBJECT_CLASS cls) {
  const auto modulus = obj.get_bytes(CKA_MODULUS);
  if (!modulus || bit_length(*modulus) < 512) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "RSA modulus too short");
  if (cls != CKO_PUBLIC_KEY) return {};
  const CK_ULONG bits = bit_length(*modulus);
  if (const auto given = obj.get_ulong(CKA_MODULUS_BITS); given && *given != bits) {
    return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_MODULUS_BITS does not match CKA_MODULUS");
  }
  obj.set(Attribute::make_ulong(CKA_MODULUS_BITS, bits));
  return {};
}

// CKA_EC_PARAMS is a DER OBJECT IDENTIFIER or, since 3.0, a PrintableString curve name.
Status check_ec_params(const AttributeSet& obj) {
  const auto p = obj.get_bytes(CKA_EC_PARAMS);
  if (!p || p->size() < 3) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_PARAMS too short");
  const std::uint8_t tag = (*p)[0];
  if (tag != 0x06 && tag != 0x13) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_PARAMS must be an OID or a curve name");
  return {};
}

// Fills in or checks CKA_PUBLIC_KEY_INFO against the key's own encoding.
Status set_public_key_info(AttributeSet& obj, std::span<const std::uint8_t> spki) {
  const auto given = obj.get_bytes(CKA_PUBLIC_KEY_INFO);
  if (given && !given->empty() && !std::equal(given->begin(), given->end(), spki.begin(), spki.end())) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_PUBLIC_KEY_INFO does not match the key");
  }
  obj.set(Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, spki));
  return {};
}

// The key must be a real key of its type: it is parsed exactly as every mechanism will parse it
// (curve known, point on the curve, RSA numbers consistent), so a broken import fails here with a
// precise code instead of at first use. A public key's CKA_EC_POINT is stored in the DER form we
// return everywhere; CKA_PUBLIC_KEY_INFO is filled in when not given and checked when given.
Status check_asymmetric(AttributeSet& obj, CK_OBJECT_CLASS cls, CK_KEY_TYPE kt) {
  const bool is_public = cls == CKO_PUBLIC_KEY;
  auto pkey = is_public ? crypto::public_pkey_from_attrs(obj) : crypto::private_pkey_from_attrs(obj);
  if (!pkey.ok()) return pkey.error();
  if (is_public && kt != CKK_RSA) {
    CRATON_ASSIGN_OR_RETURN(crypto::Bytes point, crypto::ec_point_of_pkey(pkey->get()));
    obj.set(Attribute::make_bytes(CKA_EC_POINT, point));
  }
  CRATON_ASSIGN_OR_RETURN(crypto::Bytes spki, crypto::public_key_info_der(pkey->get()));
  return set_public_key_info(obj, spki);
}

// ML-KEM, ML-DSA and SLH-DSA keys (PKCS#11 3.2 §6.x): the parameter set must be one we implement;
// a public key must be well formed; a private key may come as CKA_SEED, CKA_VALUE or both and is
// completed to both (SLH-DSA: CKA_VALUE only), each form checked as crypto/pqc/pqc_keys.h says.
// Keys the token generated itself were checked by their pairwise test and are taken as they are.
Status check_pqc(AttributeSet& obj, CK_OBJECT_CLASS cls, CK_KEY_TYPE kt, Origin origin) {
  const auto set = obj.get_ulong(CKA_PARAMETER_SET);
  if (!set) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_PARAMETER_SET missing");
  CRATON_ASSIGN_OR_RETURN(const crypto::pqc::PqcKeySpec* spec, crypto::pqc::pqc_key_spec(kt, *set));
  if (cls == CKO_PUBLIC_KEY) {
    const auto value = obj.get_bytes(CKA_VALUE);
    if (!value) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE missing");
    CRATON_TRY(crypto::pqc::pqc_check_public(*spec, *value));
    return set_public_key_info(obj, crypto::pqc::pqc_public_key_info(*spec, *value));
  }
  if (origin == Origin::kGenerated) return {};
  CRATON_ASSIGN_OR_RETURN(crypto::pqc::PqcPrivateKey key,
                          crypto::pqc::pqc_import_private(*spec, obj.get_bytes(CKA_SEED), obj.get_bytes(CKA_VALUE)));
  obj.set(Attribute::make_bytes(CKA_VALUE, key.value.span()));
  if (!key.seed.empty()) obj.set(Attribute::make_bytes(CKA_SEED, key.seed.span()));
  return set_public_key_info(obj, crypto::pqc::pqc_public_key_info(*spec, key.public_key));
}

// Craton's hybrid keys (composite ML-DSA signatures, X-Wing; crypto/hybrid/hybrid_keys.h): the
// parameter set must be one we implement; a public key must be well formed; a private key is
// CKA_VALUE only and is checked by recomputing its public key, which also fills in (or, when given,
// must equal) CKA_PUBLIC_KEY_INFO. Generated keys passed their pairwise test and are taken as they are.
Status check_hybrid(AttributeSet& obj, CK_OBJECT_CLASS cls, CK_KEY_TYPE kt, Origin origin) {
  const auto set = obj.get_ulong(CKA_PARAMETER_SET);
  if (!set) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_PARAMETER_SET missing");
  CRATON_ASSIGN_OR_RETURN(const crypto::hybrid::HybridKeySpec* spec, crypto::hybrid::hybrid_key_spec(kt, *set));
  const auto value = obj.get_bytes(CKA_VALUE);
  if (!value) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_VALUE missing");
  if (cls == CKO_PUBLIC_KEY) {
    CRATON_TRY(crypto::hybrid::hybrid_check_public(*spec, *value));
    return set_public_key_info(obj, crypto::hybrid::hybrid_public_key_info(*spec, *value));
  }
  if (origin == Origin::kGenerated) return {};
  CRATON_ASSIGN_OR_RETURN(const crypto::hybrid::HybridPrivateKey key, crypto::hybrid::hybrid_import_private(*spec, *value));
  return set_public_key_info(obj, crypto::hybrid::hybrid_public_key_info(*spec, key.public_key));
}

}  // namespace

Status complete_key_material(AttributeSet& obj, Origin origin) {
  const auto cls = obj.get_ulong(CKA_CLASS);
  const auto kt = obj.get_ulong(CKA_KEY_TYPE);
  if (!cls || !kt) return {};
  if (*cls == CKO_SECRET_KEY) return check_secret_key(obj, *kt);
  switch (*kt) {
    case CKK_RSA:
      CRATON_TRY(check_rsa(obj, *cls));
      return check_asymmetric(obj, *cls, *kt);
    case CKK_EC:
    case CKK_EC_EDWARDS:
    case CKK_EC_MONTGOMERY:
      CRATON_TRY(check_ec_params(obj));
      return check_asymmetric(obj, *cls, *kt);
    case CKK_ML_KEM:
    case CKK_ML_DSA:
    case CKK_SLH_DSA:
      if (*cls != CKO_PUBLIC_KEY && *cls != CKO_PRIVATE_KEY) return {};
      return check_pqc(obj, *cls, *kt, origin);
    case CKK_CRATON_COMP_SIG:
    case CKK_CRATON_XWING:
      if (*cls != CKO_PUBLIC_KEY && *cls != CKO_PRIVATE_KEY) return {};
      return check_hybrid(obj, *cls, *kt, origin);
    default:
      return {};
  }
}

}  // namespace craton::object
