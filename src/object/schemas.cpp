// Attribute tables transcribed from the PKCS#11 3.2 object model (storage, data, certificate, key,
// public/private/secret key tables and the per-key-type tables).
#include "object/schemas.h"

#include "craton/pkcs11/craton_vendor.h"

#include <map>
#include <utility>

namespace craton::object::schemas {
namespace {

using K = AttrKind;
using D = Default;
constexpr std::uint32_t R = kRequired, F = kFixed, T = kTokenSet, S = kSensitive, TT = kOnlyToTrue,
                        TF = kOnlyToFalse, SO = kSoOnly, X = kSecret, C = kCopyChangeable,
                        N = kNotOnCreate;

using List = std::vector<AttrSpec>;

List storage_common() {
  return {
      {CKA_CLASS, K::kUlong, R | F, D::kNone},
      {CKA_TOKEN, K::kBool, F | C, D::kFalse},
      {CKA_PRIVATE, K::kBool, F | C, D::kFalse},
      {CKA_MODIFIABLE, K::kBool, F | C, D::kTrue},
      {CKA_LABEL, K::kUtf8, 0, D::kEmpty},
      {CKA_COPYABLE, K::kBool, TF, D::kTrue},
      {CKA_DESTROYABLE, K::kBool, C, D::kTrue},
      {CKA_UNIQUE_ID, K::kUtf8, T, D::kEmpty},  // a slot the store fills in place
  };
}

List data_object() {
  return {
      {CKA_APPLICATION, K::kUtf8, 0, D::kEmpty},
      {CKA_OBJECT_ID, K::kBytes, 0, D::kEmpty},
      {CKA_VALUE, K::kBytes, 0, D::kEmpty},
  };
}

List certificate_common() {
  return {
      {CKA_CERTIFICATE_TYPE, K::kUlong, R | F, D::kNone},
      {CKA_TRUSTED, K::kBool, SO, D::kFalse},
      {CKA_CERTIFICATE_CATEGORY, K::kUlong, 0, D::kZero},
      {CKA_CHECK_VALUE, K::kBytes, N, D::kNone},
      {CKA_START_DATE, K::kDate, 0, D::kEmpty},
      {CKA_END_DATE, K::kDate, 0, D::kEmpty},
      {CKA_PUBLIC_KEY_INFO, K::kBytes, F, D::kEmpty},
  };
}

List x509_certificate() {
  return {
      {CKA_SUBJECT, K::kBytes, R | F, D::kNone},
      {CKA_ID, K::kBytes, 0, D::kEmpty},
      {CKA_ISSUER, K::kBytes, 0, D::kEmpty},
      {CKA_SERIAL_NUMBER, K::kBytes, 0, D::kEmpty},
      {CKA_VALUE, K::kBytes, R | F, D::kNone},
      {CKA_URL, K::kUtf8, F, D::kEmpty},
      {CKA_HASH_OF_SUBJECT_PUBLIC_KEY, K::kBytes, F, D::kEmpty},
      {CKA_HASH_OF_ISSUER_PUBLIC_KEY, K::kBytes, F, D::kEmpty},
      {CKA_JAVA_MIDP_SECURITY_DOMAIN, K::kUlong, F, D::kZero},
      {CKA_NAME_HASH_ALGORITHM, K::kUlong, F, D::kNone},
  };
}

List key_common() {
  return {
      {CKA_KEY_TYPE, K::kUlong, R | F, D::kNone},
      {CKA_ID, K::kBytes, 0, D::kEmpty},
      {CKA_START_DATE, K::kDate, 0, D::kEmpty},
      {CKA_END_DATE, K::kDate, 0, D::kEmpty},
      {CKA_DERIVE, K::kBool, 0, D::kFalse},
      {CKA_LOCAL, K::kBool, T, D::kFalse},
      {CKA_KEY_GEN_MECHANISM, K::kUlong, T, D::kUnavailable},
      {CKA_ALLOWED_MECHANISMS, K::kMechArray, 0, D::kEmpty},
      {CKA_OBJECT_VALIDATION_FLAGS, K::kUlong, T, D::kZero},  // object/key_approval.h
      {CKA_CRATON_FIPS_APPROVED, K::kBool, T, D::kFalse},       // the same, as a vendor CK_BBOOL
  };
}

List public_key() {
  return {
      {CKA_SUBJECT, K::kBytes, 0, D::kEmpty},
      {CKA_ENCRYPT, K::kBool, 0, D::kTrue},
      {CKA_VERIFY, K::kBool, 0, D::kTrue},
      {CKA_VERIFY_RECOVER, K::kBool, 0, D::kTrue},
      {CKA_WRAP, K::kBool, 0, D::kTrue},
      {CKA_TRUSTED, K::kBool, SO, D::kFalse},
      {CKA_WRAP_TEMPLATE, K::kAttrArray, 0, D::kNone},
      {CKA_PUBLIC_KEY_INFO, K::kBytes, 0, D::kEmpty},
      {CKA_ENCAPSULATE, K::kBool, 0, D::kTrue},
      {CKA_ENCAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE, K::kAttrArray, 0, D::kNone},
  };
}

List private_key() {
  return {
      {CKA_SUBJECT, K::kBytes, 0, D::kEmpty},
      {CKA_SENSITIVE, K::kBool, TT, D::kTrue},
      {CKA_DECRYPT, K::kBool, 0, D::kTrue},
      {CKA_SIGN, K::kBool, 0, D::kTrue},
      {CKA_SIGN_RECOVER, K::kBool, 0, D::kTrue},
      {CKA_UNWRAP, K::kBool, 0, D::kTrue},
      {CKA_EXTRACTABLE, K::kBool, TF, D::kFalse},
      {CKA_ALWAYS_SENSITIVE, K::kBool, T, D::kFalse},
      {CKA_NEVER_EXTRACTABLE, K::kBool, T, D::kFalse},
      {CKA_WRAP_WITH_TRUSTED, K::kBool, TT, D::kFalse},
      {CKA_UNWRAP_TEMPLATE, K::kAttrArray, 0, D::kNone},
      {CKA_DERIVE_TEMPLATE, K::kAttrArray, 0, D::kNone},
      {CKA_ALWAYS_AUTHENTICATE, K::kBool, 0, D::kFalse},
      {CKA_PUBLIC_KEY_INFO, K::kBytes, 0, D::kEmpty},
      {CKA_DECAPSULATE, K::kBool, 0, D::kTrue},
      {CKA_DECAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE, K::kAttrArray, 0, D::kNone},
  };
}

List secret_key() {
  return {
      {CKA_SENSITIVE, K::kBool, TT, D::kTrue},
      {CKA_ENCRYPT, K::kBool, 0, D::kTrue},
      {CKA_DECRYPT, K::kBool, 0, D::kTrue},
      {CKA_SIGN, K::kBool, 0, D::kTrue},
      {CKA_VERIFY, K::kBool, 0, D::kTrue},
      {CKA_WRAP, K::kBool, 0, D::kTrue},
      {CKA_UNWRAP, K::kBool, 0, D::kTrue},
      {CKA_EXTRACTABLE, K::kBool, TF, D::kFalse},
      {CKA_ALWAYS_SENSITIVE, K::kBool, T, D::kFalse},
      {CKA_NEVER_EXTRACTABLE, K::kBool, T, D::kFalse},
      {CKA_CHECK_VALUE, K::kBytes, N, D::kNone},
      {CKA_WRAP_WITH_TRUSTED, K::kBool, TT, D::kFalse},
      {CKA_TRUSTED, K::kBool, SO, D::kFalse},
      {CKA_WRAP_TEMPLATE, K::kAttrArray, 0, D::kNone},
      {CKA_UNWRAP_TEMPLATE, K::kAttrArray, 0, D::kNone},
      {CKA_DERIVE_TEMPLATE, K::kAttrArray, 0, D::kNone},
  };
}

// Key-type tables. Private-key material is sensitive and secret; public values are neither.
List rsa_public() {
  return {{CKA_MODULUS, K::kBytes, R | F, D::kNone},
          {CKA_MODULUS_BITS, K::kUlong, F | N, D::kNone},
          {CKA_PUBLIC_EXPONENT, K::kBytes, R | F, D::kNone}};
}
List rsa_private() {
  return {{CKA_MODULUS, K::kBytes, R | F, D::kNone},
          {CKA_PUBLIC_EXPONENT, K::kBytes, F, D::kEmpty},
          {CKA_PRIVATE_EXPONENT, K::kBytes, R | F | S | X, D::kNone},
          {CKA_PRIME_1, K::kBytes, F | S | X, D::kNone},
          {CKA_PRIME_2, K::kBytes, F | S | X, D::kNone},
          {CKA_EXPONENT_1, K::kBytes, F | S | X, D::kNone},
          {CKA_EXPONENT_2, K::kBytes, F | S | X, D::kNone},
          {CKA_COEFFICIENT, K::kBytes, F | S | X, D::kNone}};
}
List ec_public() {
  return {{CKA_EC_PARAMS, K::kBytes, R | F, D::kNone}, {CKA_EC_POINT, K::kBytes, R | F, D::kNone}};
}
List ec_private() {
  return {{CKA_EC_PARAMS, K::kBytes, R | F, D::kNone}, {CKA_VALUE, K::kBytes, R | F | S | X, D::kNone}};
}
List pqc_public() {
  return {{CKA_PARAMETER_SET, K::kUlong, R | F, D::kNone}, {CKA_VALUE, K::kBytes, R | F, D::kNone}};
}
List pqc_private(bool with_seed) {
  List l{{CKA_PARAMETER_SET, K::kUlong, R | F, D::kNone}, {CKA_VALUE, K::kBytes, F | S | X, D::kNone}};
  if (with_seed) l.push_back({CKA_SEED, K::kBytes, F | S | X, D::kNone});
  return l;
}
List secret_value() {
  return {{CKA_VALUE, K::kBytes, R | F | S | X, D::kNone}, {CKA_VALUE_LEN, K::kUlong, F | N, D::kNone}};
}

List concat(std::initializer_list<List> parts) {
  List out;
  for (const auto& p : parts) {
    for (const auto& s : p) {
      bool replaced = false;
      for (auto& o : out) {
        if (o.type == s.type) { o = s; replaced = true; }  // later, more specific tables win
      }
      if (!replaced) out.push_back(s);
    }
  }
  return out;
}

struct Registry {
  std::map<std::pair<CK_OBJECT_CLASS, CK_ULONG>, Schema> by_type;
  std::map<CK_OBJECT_CLASS, Schema> by_class;  // classes without a subtype
  std::map<CK_ATTRIBUTE_TYPE, AttrSpec> any;

  void add(CK_OBJECT_CLASS cls, CK_ULONG sub, List l) { remember(l); by_type.emplace(std::make_pair(cls, sub), Schema(std::move(l))); }
  void add_class(CK_OBJECT_CLASS cls, List l) { remember(l); by_class.emplace(cls, Schema(std::move(l))); }
  void remember(const List& l) { for (const auto& s : l) any.emplace(s.type, s); }

  Registry() {
    add_class(CKO_DATA, concat({storage_common(), data_object()}));
    add(CKO_CERTIFICATE, CKC_X_509, concat({storage_common(), certificate_common(), x509_certificate()}));
    const List pub = concat({storage_common(), key_common(), public_key()});
    const List priv = concat({storage_common(), key_common(), private_key(), {{CKA_PRIVATE, K::kBool, F | C, D::kTrue}}});
    const List sec = concat({storage_common(), key_common(), secret_key(), {{CKA_PRIVATE, K::kBool, F | C, D::kTrue}}});
    add(CKO_PUBLIC_KEY, CKK_RSA, concat({pub, rsa_public()}));
    add(CKO_PRIVATE_KEY, CKK_RSA, concat({priv, rsa_private()}));
    for (CK_KEY_TYPE kt : {CKK_EC, CKK_EC_EDWARDS, CKK_EC_MONTGOMERY}) {
      add(CKO_PUBLIC_KEY, kt, concat({pub, ec_public()}));
      add(CKO_PRIVATE_KEY, kt, concat({priv, ec_private()}));
    }
    for (CK_KEY_TYPE kt : {CKK_ML_KEM, CKK_ML_DSA, CKK_SLH_DSA}) {
      add(CKO_PUBLIC_KEY, kt, concat({pub, pqc_public()}));
      add(CKO_PRIVATE_KEY, kt, concat({priv, pqc_private(kt != CKK_SLH_DSA)}));
    }
    // Craton's hybrid key types (craton_vendor.h): the PQC layout; the private key is CKA_VALUE only.
    for (CK_KEY_TYPE kt : {CKK_CRATON_COMP_SIG, CKK_CRATON_XWING}) {
      add(CKO_PUBLIC_KEY, kt, concat({pub, pqc_public()}));
      add(CKO_PRIVATE_KEY, kt, concat({priv, pqc_private(false)}));
    }
    for (CK_KEY_TYPE kt : {CKK_GENERIC_SECRET, CKK_AES, CKK_CHACHA20, CKK_HKDF, CKK_SHA_1_HMAC,
                           CKK_SHA224_HMAC, CKK_SHA256_HMAC, CKK_SHA384_HMAC, CKK_SHA512_HMAC,
                           CKK_SHA512_224_HMAC, CKK_SHA512_256_HMAC, CKK_SHA3_224_HMAC,
                           CKK_SHA3_256_HMAC, CKK_SHA3_384_HMAC, CKK_SHA3_512_HMAC}) {
      add(CKO_SECRET_KEY, kt, concat({sec, secret_value()}));
    }
    // Attributes that only appear inside templates or searches still need a kind.
    remember({{CKA_VALUE_BITS, K::kUlong, 0, D::kNone},
              {CKA_HW_FEATURE_TYPE, K::kUlong, 0, D::kNone},
              {CKA_PROFILE_ID, K::kUlong, 0, D::kNone}});
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

const Schema* lookup(CK_OBJECT_CLASS cls, std::optional<CK_ULONG> subtype) {
  const Registry& r = registry();
  if (auto it = r.by_class.find(cls); it != r.by_class.end()) return &it->second;
  if (!subtype) return nullptr;
  auto it = r.by_type.find({cls, *subtype});
  return it == r.by_type.end() ? nullptr : &it->second;
}

bool class_supported(CK_OBJECT_CLASS cls) {
  return cls == CKO_DATA || cls == CKO_CERTIFICATE || cls == CKO_PUBLIC_KEY || cls == CKO_PRIVATE_KEY ||
         cls == CKO_SECRET_KEY;
}

const AttrSpec* any_spec(CK_ATTRIBUTE_TYPE t) {
  const Registry& r = registry();
  auto it = r.any.find(t);
  return it == r.any.end() ? nullptr : &it->second;
}

std::vector<CK_KEY_TYPE> key_types(CK_OBJECT_CLASS cls) {
  std::vector<CK_KEY_TYPE> out;
  for (const auto& [k, s] : registry().by_type) {
    if (k.first == cls) out.push_back(k.second);
  }
  return out;
}

}  // namespace craton::object::schemas
