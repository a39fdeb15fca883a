// Tests for the object rules (src/object/object.h): building created objects, C_SetAttributeValue
// and C_CopyObject changes, template matching and read permission, class by class.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "crypto/ossl/pkey_rsa.h"
#include "common/secure_bytes.h"
#include "object/key_approval.h"
#include "object/object.h"

namespace craton::object {
namespace {

// Chainable AttributeSet builder for temporaries: Set().u(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "x").
class Set {
 public:
  Set&& u(CK_ATTRIBUTE_TYPE t, CK_ULONG v) && { return add(Attribute::make_ulong(t, v)); }
  Set&& b(CK_ATTRIBUTE_TYPE t, bool v) && { return add(Attribute::make_bool(t, v)); }
  Set&& str(CK_ATTRIBUTE_TYPE t, const std::string& v) && { return add(Attribute::make_string(t, v)); }
  Set&& bytes(CK_ATTRIBUTE_TYPE t, const std::vector<std::uint8_t>& v) && { return add(Attribute::make_bytes(t, v)); }
  Set&& raw(CK_ATTRIBUTE_TYPE t, const std::vector<std::uint8_t>& v) && { return add(Attribute::make_bytes(t, v)); }
  operator AttributeSet() && { return std::move(s_); }  // NOLINT(google-explicit-constructor): builder

 private:
  Set&& add(Attribute a) {
    s_.set(std::move(a));
    return std::move(*this);
  }
  AttributeSet s_;
};

const Actor kUser{false};
const Actor kSo{true};

std::string text(const AttributeSet& s, CK_ATTRIBUTE_TYPE t) {
  auto v = s.get_bytes(t);
  return v ? std::string(v->begin(), v->end()) : std::string("<absent>");
}

// A template as the ABI hands it to template_from(): one entry per attribute.
std::vector<AttributeSet::Entry> entries_of(std::vector<Attribute> attrs) {
  std::vector<AttributeSet::Entry> entries;
  for (auto& a : attrs) entries.emplace_back(a.type, std::move(a));
  return entries;
}

// ---- templates -------------------------------------------------------------------------------

TEST(TemplateFrom, SameValueTwiceIsAcceptedOnce) {
  std::vector<Attribute> attrs;
  attrs.push_back(Attribute::make_string(CKA_LABEL, "x"));
  attrs.push_back(Attribute::make_string(CKA_LABEL, "x"));
  attrs.push_back(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  auto r = template_from(entries_of(std::move(attrs)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(text(*r, CKA_LABEL), "x");
}

// The ABI hands over entries whose keys are not set yet: each takes its attribute's canonical type.
TEST(TemplateFrom, EntriesTakeTheirAttributesCanonicalTypes) {
  std::vector<AttributeSet::Entry> entries;
  entries.emplace_back(0, Attribute::make_string(CKA_LABEL, "x"));
  Attribute published;
  published.type = CKA_DECAPSULATE_TEMPLATE;  // without CKF_ARRAY_ATTRIBUTE
  entries.emplace_back(0, std::move(published));
  entries.emplace_back(0, Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
  auto r = template_from(std::move(entries));
  ASSERT_TRUE(r.ok());
  std::vector<CK_ATTRIBUTE_TYPE> types;
  for (const auto& [t, a] : *r) {
    EXPECT_EQ(t, a.type);
    types.push_back(t);
  }
  EXPECT_EQ(types, (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_LABEL, CKA_DECAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE}));
}

TEST(TemplateFrom, DifferentValuesAreInconsistent) {
  std::vector<Attribute> attrs;
  attrs.push_back(Attribute::make_string(CKA_LABEL, "x"));
  attrs.push_back(Attribute::make_string(CKA_LABEL, "y"));
  EXPECT_EQ(template_from(entries_of(std::move(attrs))).rv(), CKR_TEMPLATE_INCONSISTENT);
}

TEST(TemplateFrom, EncapsulateTemplateNumbersAreCanonicalised) {
  std::vector<Attribute> attrs;
  Attribute a;
  a.type = CKA_ENCAPSULATE_TEMPLATE;  // the number published without CKF_ARRAY_ATTRIBUTE
  attrs.push_back(std::move(a));
  Attribute b;
  b.type = CKA_ENCAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE;  // the corrected one: the same attribute
  attrs.push_back(std::move(b));
  auto r = template_from(entries_of(std::move(attrs)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
  EXPECT_TRUE(r->contains(CKA_ENCAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE));
  EXPECT_FALSE(r->contains(CKA_ENCAPSULATE_TEMPLATE));
}

// ---- build_created: the class itself ---------------------------------------------------------

TEST(BuildCreated, ClassIsRequiredAndChecked) {
  EXPECT_EQ(build_created(Set().str(CKA_LABEL, "x"), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(build_created(Set().raw(CKA_CLASS, {1, 2}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_HW_FEATURE), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, 0x7777), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(BuildCreated, KeyAndCertificateTypesAreRequired) {
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_SECRET_KEY).bytes(CKA_VALUE, std::vector<std::uint8_t>(16)), kUser).rv(),
            CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_CERTIFICATE), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, 0x7777).bytes(CKA_VALUE, {1}), kUser).rv(),
            CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_SECRET_KEY).raw(CKA_KEY_TYPE, {1}).bytes(CKA_VALUE, {1}), kUser).rv(),
            CKR_ATTRIBUTE_VALUE_INVALID);
}

// ---- data objects ----------------------------------------------------------------------------

TEST(BuildCreated, DataObjectDefaults) {
  auto r = build_created(Set().u(CKA_CLASS, CKO_DATA), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_TOKEN), false);
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), false);
  EXPECT_EQ(r->get_bool(CKA_MODIFIABLE), true);
  EXPECT_EQ(r->get_bool(CKA_COPYABLE), true);
  EXPECT_EQ(r->get_bool(CKA_DESTROYABLE), true);
  for (CK_ATTRIBUTE_TYPE t : {CKA_LABEL, CKA_APPLICATION, CKA_OBJECT_ID, CKA_VALUE}) {
    ASSERT_TRUE(r->contains(t)) << t;
    EXPECT_TRUE(r->find(t)->value.empty()) << t;
  }
  // The token assigns CKA_UNIQUE_ID when it stores the object; until then the slot is empty.
  ASSERT_TRUE(r->contains(CKA_UNIQUE_ID));
  EXPECT_TRUE(r->find(CKA_UNIQUE_ID)->value.empty());
  EXPECT_FALSE(r->contains(CKA_LOCAL));      // not a key
}

TEST(BuildCreated, GivenValuesWinOverDefaults) {
  auto r = build_created(Set().u(CKA_CLASS, CKO_DATA).b(CKA_TOKEN, true).b(CKA_PRIVATE, true).str(CKA_LABEL, "l")
                             .str(CKA_VALUE, "v"),
                         kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_TOKEN), true);
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), true);
  EXPECT_EQ(text(*r, CKA_LABEL), "l");
  EXPECT_EQ(text(*r, CKA_VALUE), "v");
}

TEST(BuildCreated, AttributeOfAnotherClassIsInvalid) {
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_DATA).b(CKA_SENSITIVE, true), kUser).rv(), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_DATA).u(CKA_KEY_TYPE, CKK_AES), kUser).rv(), CKR_ATTRIBUTE_TYPE_INVALID);
}

TEST(BuildCreated, TokenSetAttributesAreReadOnly) {
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_DATA).str(CKA_UNIQUE_ID, "forged"), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  auto aes = [] { return Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 7)); };
  EXPECT_EQ(build_created(aes().b(CKA_LOCAL, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_created(aes().b(CKA_LOCAL, false), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);  // any mention
  EXPECT_EQ(build_created(aes().b(CKA_ALWAYS_SENSITIVE, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_created(aes().b(CKA_NEVER_EXTRACTABLE, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_created(aes().u(CKA_KEY_GEN_MECHANISM, 0), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
}

TEST(BuildCreated, ValueShapesAreChecked) {
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_DATA).raw(CKA_TOKEN, {1, 0}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_DATA).raw(CKA_TOKEN, {2}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_DATA).raw(CKA_TOKEN, {}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  auto cert = [] {
    return Set().u(CKA_CLASS, CKO_CERTIFICATE).u(CKA_CERTIFICATE_TYPE, CKC_X_509).str(CKA_SUBJECT, "s").str(CKA_VALUE, "der");
  };
  EXPECT_TRUE(build_created(cert().str(CKA_START_DATE, "20240131"), kUser).ok());
  EXPECT_TRUE(build_created(cert().raw(CKA_START_DATE, {}), kUser).ok());
  EXPECT_EQ(build_created(cert().str(CKA_START_DATE, "2024013"), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(cert().str(CKA_START_DATE, "2024-1-1"), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(cert().raw(CKA_CERTIFICATE_CATEGORY, {1}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

// ---- certificates ----------------------------------------------------------------------------

TEST(BuildCreated, X509CertificateRequiredAndDefaults) {
  auto base = [] { return Set().u(CKA_CLASS, CKO_CERTIFICATE).u(CKA_CERTIFICATE_TYPE, CKC_X_509); };
  EXPECT_EQ(build_created(base().str(CKA_VALUE, "der"), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);    // no subject
  EXPECT_EQ(build_created(base().str(CKA_SUBJECT, "s"), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);    // no value
  auto r = build_created(base().str(CKA_SUBJECT, "s").str(CKA_VALUE, "der"), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_TRUSTED), false);
  EXPECT_EQ(r->get_ulong(CKA_CERTIFICATE_CATEGORY), 0u);
  EXPECT_EQ(r->get_ulong(CKA_JAVA_MIDP_SECURITY_DOMAIN), 0u);
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), false);
  EXPECT_FALSE(r->contains(CKA_CHECK_VALUE));
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_CERTIFICATE).u(CKA_CERTIFICATE_TYPE, CKC_X_509_ATTR_CERT), kUser).rv(),
            CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(BuildCreated, OnlyTheSoMayCreateTrustedCertificates) {
  auto cert = [] {
    return Set().u(CKA_CLASS, CKO_CERTIFICATE).u(CKA_CERTIFICATE_TYPE, CKC_X_509).str(CKA_SUBJECT, "s").str(CKA_VALUE, "der");
  };
  EXPECT_EQ(build_created(cert().b(CKA_TRUSTED, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_TRUE(build_created(cert().b(CKA_TRUSTED, false), kUser).ok());
  auto r = build_created(cert().b(CKA_TRUSTED, true), kSo);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_TRUSTED), true);
}

// ---- secret keys -----------------------------------------------------------------------------

Set aes_key(std::size_t n = 32) {
  return Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, std::vector<std::uint8_t>(n, 0x42));
}

TEST(BuildCreated, SecretKeyDefaultsAndComputedAttributes) {
  auto r = build_created(aes_key(), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), true);  // keys are private unless told otherwise
  EXPECT_EQ(r->get_bool(CKA_SENSITIVE), true);
  EXPECT_EQ(r->get_bool(CKA_EXTRACTABLE), false);
  EXPECT_EQ(r->get_bool(CKA_LOCAL), false);  // created, not generated
  EXPECT_EQ(r->get_bool(CKA_ALWAYS_SENSITIVE), false);
  EXPECT_EQ(r->get_bool(CKA_NEVER_EXTRACTABLE), false);
  EXPECT_EQ(r->get_ulong(CKA_KEY_GEN_MECHANISM), CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(r->get_ulong(CKA_VALUE_LEN), 32u);
  for (CK_ATTRIBUTE_TYPE t : {CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY, CKA_WRAP, CKA_UNWRAP}) {
    EXPECT_EQ(r->get_bool(t), true) << t;
  }
  EXPECT_EQ(r->get_bool(CKA_DERIVE), false);
  EXPECT_EQ(r->get_bool(CKA_TRUSTED), false);
  EXPECT_EQ(r->get_bool(CKA_WRAP_WITH_TRUSTED), false);
}

TEST(BuildCreated, SecretKeyValueIsRequiredAndSized) {
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_AES), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_EQ(build_created(aes_key(15), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(aes_key(33), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  for (std::size_t n : {16u, 24u, 32u}) EXPECT_TRUE(build_created(aes_key(n), kUser).ok()) << n;
  EXPECT_EQ(build_created(aes_key(16).u(CKA_VALUE_LEN, 32), kUser).rv(), CKR_TEMPLATE_INCONSISTENT);
  EXPECT_TRUE(build_created(aes_key(16).u(CKA_VALUE_LEN, 16), kUser).ok());
  auto generic = Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_GENERIC_SECRET).raw(CKA_VALUE, {});
  EXPECT_EQ(build_created(std::move(generic), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  auto chacha = Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_CHACHA20).bytes(CKA_VALUE, std::vector<std::uint8_t>(16));
  EXPECT_EQ(build_created(std::move(chacha), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(BuildCreated, SecretKeyFlagsMayBeGiven) {
  auto r = build_created(aes_key().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true).b(CKA_PRIVATE, false), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_SENSITIVE), false);
  EXPECT_EQ(r->get_bool(CKA_EXTRACTABLE), true);
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), false);
  EXPECT_EQ(r->get_bool(CKA_ALWAYS_SENSITIVE), false);
  EXPECT_EQ(r->get_bool(CKA_NEVER_EXTRACTABLE), false);
  EXPECT_EQ(build_created(aes_key().b(CKA_TRUSTED, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_TRUE(build_created(aes_key().b(CKA_TRUSTED, true), kSo).ok());
}

// ---- public and private keys -----------------------------------------------------------------

std::vector<std::uint8_t> modulus(std::size_t bytes, std::uint8_t top = 0xC1) {
  std::vector<std::uint8_t> m(bytes, 0x5A);
  m[0] = top;
  m.back() |= 1;
  return m;
}

// A real RSA key (imports are parsed like every mechanism parses them), generated once.
struct RsaNumbers {
  std::vector<std::uint8_t> n, e, d;
};
const RsaNumbers& rsa_key(CK_ULONG bits) {
  static std::map<CK_ULONG, RsaNumbers> keys;
  auto& k = keys[bits];
  if (k.n.empty()) {
    auto pkey = crypto::rsa_generate(bits);
    EXPECT_TRUE(pkey.ok());
    auto attrs = crypto::rsa_attrs_from_pkey(pkey->get(), true);
    EXPECT_TRUE(attrs.ok());
    auto get = [&](CK_ATTRIBUTE_TYPE t) {
      auto v = attrs->get_bytes(t);
      return std::vector<std::uint8_t>(v->begin(), v->end());
    };
    k = {get(CKA_MODULUS), get(CKA_PUBLIC_EXPONENT), get(CKA_PRIVATE_EXPONENT)};
  }
  return k;
}

TEST(BuildCreated, RsaPublicKeyComputesModulusBits) {
  const RsaNumbers& k = rsa_key(2048);
  auto base = [&] { return Set().u(CKA_CLASS, CKO_PUBLIC_KEY).u(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_PUBLIC_EXPONENT, k.e); };
  EXPECT_EQ(build_created(base(), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);  // no modulus
  auto r = build_created(base().bytes(CKA_MODULUS, k.n), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_ulong(CKA_MODULUS_BITS), 2048u);
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), false);
  EXPECT_EQ(r->get_bool(CKA_ENCRYPT), true);
  EXPECT_EQ(r->get_bool(CKA_LOCAL), false);
  EXPECT_FALSE(r->contains(CKA_ALWAYS_SENSITIVE));  // private and secret keys only
  EXPECT_FALSE(r->get_bytes(CKA_PUBLIC_KEY_INFO)->empty());  // computed on import
  auto padded = k.n;  // a leading zero byte does not count
  padded.insert(padded.begin(), 0);
  auto z = build_created(base().bytes(CKA_MODULUS, padded), kUser);
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->get_ulong(CKA_MODULUS_BITS), 2048u);
  EXPECT_EQ(build_created(base().bytes(CKA_MODULUS, k.n).u(CKA_MODULUS_BITS, 1024), kUser).rv(), CKR_TEMPLATE_INCONSISTENT);
  EXPECT_TRUE(build_created(base().bytes(CKA_MODULUS, k.n).u(CKA_MODULUS_BITS, 2048), kUser).ok());
  EXPECT_EQ(build_created(base().bytes(CKA_MODULUS, modulus(32)), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  // An even "modulus" is no RSA key.
  auto even = k.n;
  even.back() &= 0xFE;
  EXPECT_EQ(build_created(base().bytes(CKA_MODULUS, even), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(BuildCreated, RsaPrivateKeyNeedsPrivateExponent) {
  const RsaNumbers& k = rsa_key(2048);
  auto base = [&] { return Set().u(CKA_CLASS, CKO_PRIVATE_KEY).u(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, k.n); };
  EXPECT_EQ(build_created(base(), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);
  auto r = build_created(base().bytes(CKA_PRIVATE_EXPONENT, k.d).bytes(CKA_PUBLIC_EXPONENT, k.e), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), true);
  EXPECT_EQ(r->get_bool(CKA_SENSITIVE), true);
  EXPECT_EQ(r->get_bool(CKA_EXTRACTABLE), false);
  EXPECT_EQ(r->get_bool(CKA_ALWAYS_AUTHENTICATE), false);
  EXPECT_EQ(r->get_bool(CKA_ALWAYS_SENSITIVE), false);
  EXPECT_EQ(r->get_bool(CKA_NEVER_EXTRACTABLE), false);
  EXPECT_EQ(build_created(base().bytes(CKA_PRIVATE_EXPONENT, {1}).u(CKA_MODULUS_BITS, 2048), kUser).rv(),
            CKR_ATTRIBUTE_TYPE_INVALID);  // not an attribute of RSA private keys
}

TEST(BuildCreated, EcParamsMustBeAnOidOrACurveName) {
  // The P-256 generator (private scalar 1) as a public point.
  const std::vector<std::uint8_t> g = {
      0x04, 0x41, 0x04, 0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40, 0xF2,
      0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96, 0x4F, 0xE3, 0x42,
      0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E, 0x16, 0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31,
      0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5};
  auto base = [&] { return Set().u(CKA_CLASS, CKO_PUBLIC_KEY).u(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_POINT, g); };
  EXPECT_EQ(build_created(base(), kUser).rv(), CKR_TEMPLATE_INCOMPLETE);
  EXPECT_TRUE(build_created(base().bytes(CKA_EC_PARAMS, {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}), kUser).ok());
  EXPECT_TRUE(build_created(base().bytes(CKA_EC_PARAMS, {0x13, 0x0A, 'p', 'r', 'i', 'm', 'e', '2', '5', '6', 'v', '1'}), kUser).ok());
  EXPECT_EQ(build_created(base().bytes(CKA_EC_PARAMS, {0x30, 0x03, 0x01, 0x01, 0x00}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(base().bytes(CKA_EC_PARAMS, {0x06}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  // A point that is not on the named curve.
  auto off = g;
  off.back() ^= 1;
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_PUBLIC_KEY).u(CKA_KEY_TYPE, CKK_EC).bytes(CKA_EC_POINT, off)
                              .bytes(CKA_EC_PARAMS, {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}), kUser).rv(),
            CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(BuildCreated, PqcPrivateKeysCarryASeedExceptSlhDsa) {
  auto key = [](CK_KEY_TYPE kt, std::size_t seed_len) {
    return Set().u(CKA_CLASS, CKO_PRIVATE_KEY).u(CKA_KEY_TYPE, kt).u(CKA_PARAMETER_SET, 1)
        .bytes(CKA_SEED, std::vector<std::uint8_t>(seed_len, 7));
  };
  // A seed of the parameter set's length is expanded into CKA_VALUE (2560 / 1632 bytes).
  auto dsa = build_created(key(CKK_ML_DSA, 32), kUser);
  ASSERT_TRUE(dsa.ok()) << dsa.rv();
  EXPECT_EQ(dsa->get_bytes(CKA_VALUE)->size(), 2560u);
  auto kem = build_created(key(CKK_ML_KEM, 64), kUser);
  ASSERT_TRUE(kem.ok()) << kem.rv();
  EXPECT_EQ(kem->get_bytes(CKA_VALUE)->size(), 1632u);
  EXPECT_EQ(build_created(key(CKK_ML_DSA, 3), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(build_created(key(CKK_SLH_DSA, 32), kUser).rv(), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(build_created(Set().u(CKA_CLASS, CKO_PUBLIC_KEY).u(CKA_KEY_TYPE, CKK_ML_DSA).u(CKA_PARAMETER_SET, 1), kUser).rv(),
            CKR_TEMPLATE_INCOMPLETE);  // public value required
}

// ---- apply_changes ---------------------------------------------------------------------------

AttributeSet created(AttributeSet tmpl, Actor who = kUser) {
  auto r = build_created(tmpl, who);
  EXPECT_TRUE(r.ok()) << r.rv();
  return r.ok() ? std::move(r).value() : AttributeSet{};
}

TEST(ApplyChanges, ChangesACopyAndLeavesTheOriginal) {
  const AttributeSet cur = created(Set().u(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "old"));
  auto r = apply_changes(cur, Set().str(CKA_LABEL, "new").str(CKA_VALUE, "v"), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(text(*r, CKA_LABEL), "new");
  EXPECT_EQ(text(*r, CKA_VALUE), "v");
  EXPECT_EQ(text(cur, CKA_LABEL), "old");
  EXPECT_TRUE(apply_changes(cur, AttributeSet{}, kUser).ok());
}

TEST(ApplyChanges, FixedAttributesCannotChange) {
  const AttributeSet data = created(Set().u(CKA_CLASS, CKO_DATA));
  for (CK_ATTRIBUTE_TYPE t : {CKA_TOKEN, CKA_PRIVATE, CKA_MODIFIABLE}) {
    EXPECT_EQ(apply_changes(data, Set().b(t, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY) << t;
    EXPECT_EQ(apply_changes(data, Set().b(t, true), kSo).rv(), CKR_ATTRIBUTE_READ_ONLY) << t;
  }
  EXPECT_EQ(apply_changes(data, Set().u(CKA_CLASS, CKO_DATA), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  const AttributeSet key = created(aes_key());
  EXPECT_EQ(apply_changes(key, Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(32, 1)), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(apply_changes(key, Set().u(CKA_KEY_TYPE, CKK_AES), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(apply_changes(key, Set().u(CKA_VALUE_LEN, 32), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  const AttributeSet cert = created(Set().u(CKA_CLASS, CKO_CERTIFICATE).u(CKA_CERTIFICATE_TYPE, CKC_X_509)
                                        .str(CKA_SUBJECT, "s").str(CKA_VALUE, "der"));
  EXPECT_EQ(apply_changes(cert, Set().str(CKA_SUBJECT, "t"), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_TRUE(apply_changes(cert, Set().str(CKA_ID, "id"), kUser).ok());
}

TEST(ApplyChanges, TokenSetAndForeignAttributesAreRefused) {
  AttributeSet data = created(Set().u(CKA_CLASS, CKO_DATA));
  data.set(Attribute::make_string(CKA_UNIQUE_ID, "u1"));
  EXPECT_EQ(apply_changes(data, Set().str(CKA_UNIQUE_ID, "u2"), kSo).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(apply_changes(data, Set().b(CKA_SENSITIVE, true), kUser).rv(), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(apply_changes(data, Set().raw(CKA_LABEL, {}), kUser).rv(), CKR_OK);
  EXPECT_EQ(apply_changes(data, Set().raw(CKA_COPYABLE, {3}), kUser).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  const AttributeSet key = created(aes_key());
  EXPECT_EQ(apply_changes(key, Set().b(CKA_LOCAL, true), kSo).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(apply_changes(key, Set().b(CKA_NEVER_EXTRACTABLE, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
}

TEST(ApplyChanges, OneWayAttributes) {
  const AttributeSet open = created(aes_key().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true));
  // CKA_SENSITIVE: FALSE -> TRUE only.
  EXPECT_TRUE(apply_changes(open, Set().b(CKA_SENSITIVE, true), kUser).ok());
  EXPECT_TRUE(apply_changes(open, Set().b(CKA_SENSITIVE, false), kUser).ok());  // no change is no violation
  const AttributeSet sensitive = created(aes_key());
  EXPECT_EQ(apply_changes(sensitive, Set().b(CKA_SENSITIVE, false), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(apply_changes(sensitive, Set().b(CKA_SENSITIVE, false), kSo).rv(), CKR_ATTRIBUTE_READ_ONLY);
  // CKA_EXTRACTABLE: TRUE -> FALSE only.
  EXPECT_TRUE(apply_changes(open, Set().b(CKA_EXTRACTABLE, false), kUser).ok());
  EXPECT_EQ(apply_changes(sensitive, Set().b(CKA_EXTRACTABLE, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  // CKA_WRAP_WITH_TRUSTED: FALSE -> TRUE only.
  auto wwt = apply_changes(sensitive, Set().b(CKA_WRAP_WITH_TRUSTED, true), kUser);
  ASSERT_TRUE(wwt.ok());
  EXPECT_EQ(apply_changes(*wwt, Set().b(CKA_WRAP_WITH_TRUSTED, false), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  // CKA_COPYABLE: TRUE -> FALSE only.
  const AttributeSet data = created(Set().u(CKA_CLASS, CKO_DATA));
  auto uncopyable = apply_changes(data, Set().b(CKA_COPYABLE, false), kUser);
  ASSERT_TRUE(uncopyable.ok());
  EXPECT_EQ(apply_changes(*uncopyable, Set().b(CKA_COPYABLE, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
}

TEST(ApplyChanges, TrustedIsSoOnly) {
  const AttributeSet key = created(aes_key());
  EXPECT_EQ(apply_changes(key, Set().b(CKA_TRUSTED, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  auto trusted = apply_changes(key, Set().b(CKA_TRUSTED, true), kSo);
  ASSERT_TRUE(trusted.ok());
  EXPECT_EQ(trusted->get_bool(CKA_TRUSTED), true);
  EXPECT_TRUE(apply_changes(*trusted, Set().b(CKA_TRUSTED, false), kUser).ok());  // clearing is anyone's
}

TEST(ApplyChanges, NonModifiableObjectRefusesEveryChange) {
  const AttributeSet frozen = created(Set().u(CKA_CLASS, CKO_DATA).b(CKA_MODIFIABLE, false));
  EXPECT_EQ(apply_changes(frozen, Set().str(CKA_LABEL, "x"), kUser).rv(), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(apply_changes(frozen, Set().str(CKA_LABEL, "x"), kSo).rv(), CKR_ACTION_PROHIBITED);
}

TEST(ApplyChanges, ObjectWithoutSchemaIsAnInternalError) {
  const AttributeSet broken = Set().str(CKA_LABEL, "no class");
  EXPECT_EQ(apply_changes(broken, Set().str(CKA_LABEL, "x"), kUser).rv(), CKR_GENERAL_ERROR);
}

// ---- build_copy ------------------------------------------------------------------------------

TEST(BuildCopy, DropsUniqueIdAndAppliesTheTemplate) {
  AttributeSet src = created(Set().u(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "orig").str(CKA_VALUE, "v"));
  src.set(Attribute::make_string(CKA_UNIQUE_ID, "uid-1"));
  auto r = build_copy(src, Set().str(CKA_LABEL, "copy").b(CKA_TOKEN, true).b(CKA_PRIVATE, true).b(CKA_MODIFIABLE, false), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->contains(CKA_UNIQUE_ID));
  EXPECT_EQ(text(*r, CKA_LABEL), "copy");
  EXPECT_EQ(text(*r, CKA_VALUE), "v");
  EXPECT_EQ(r->get_bool(CKA_TOKEN), true);
  EXPECT_EQ(r->get_bool(CKA_PRIVATE), true);
  EXPECT_EQ(r->get_bool(CKA_MODIFIABLE), false);
  EXPECT_TRUE(src.contains(CKA_UNIQUE_ID));  // the source is untouched
  EXPECT_EQ(build_copy(src, Set().str(CKA_UNIQUE_ID, "forged"), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
}

TEST(BuildCopy, FixedAttributesOnlyWithTheSameValue) {
  const AttributeSet key = created(aes_key());
  EXPECT_TRUE(build_copy(key, Set().u(CKA_KEY_TYPE, CKK_AES), kUser).ok());
  EXPECT_EQ(build_copy(key, Set().u(CKA_KEY_TYPE, CKK_GENERIC_SECRET), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_copy(key, Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(32, 9)), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_copy(key, Set().u(CKA_CLASS, CKO_DATA), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_copy(key, Set().b(CKA_LOCAL, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_copy(key, Set().str(CKA_APPLICATION, "x"), kUser).rv(), CKR_ATTRIBUTE_TYPE_INVALID);
}

TEST(BuildCopy, OneWayAndSoOnlyRulesHold) {
  const AttributeSet sensitive = created(aes_key());
  EXPECT_EQ(build_copy(sensitive, Set().b(CKA_SENSITIVE, false), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_copy(sensitive, Set().b(CKA_EXTRACTABLE, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_copy(sensitive, Set().b(CKA_TRUSTED, true), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_TRUE(build_copy(sensitive, Set().b(CKA_TRUSTED, true), kSo).ok());
  const AttributeSet open = created(aes_key().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true));
  auto r = build_copy(open, Set().b(CKA_SENSITIVE, true).b(CKA_EXTRACTABLE, false), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_SENSITIVE), true);
  EXPECT_EQ(r->get_bool(CKA_EXTRACTABLE), false);
  EXPECT_EQ(r->get_bool(CKA_LOCAL), false);
}

TEST(BuildCopy, UncopyableSourceIsRefused) {
  const AttributeSet src = created(Set().u(CKA_CLASS, CKO_DATA).b(CKA_COPYABLE, false));
  EXPECT_EQ(build_copy(src, AttributeSet{}, kUser).rv(), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(build_copy(src, AttributeSet{}, kSo).rv(), CKR_ACTION_PROHIBITED);
}

TEST(BuildCopy, NonModifiableSourceAllowsOnlyTokenPrivateAndModifiable) {
  const AttributeSet src = created(Set().u(CKA_CLASS, CKO_DATA).b(CKA_MODIFIABLE, false).str(CKA_LABEL, "l"));
  EXPECT_EQ(build_copy(src, Set().str(CKA_LABEL, "other"), kUser).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_TRUE(build_copy(src, Set().str(CKA_LABEL, "l"), kUser).ok());  // unchanged value
  auto r = build_copy(src, Set().b(CKA_TOKEN, true).b(CKA_PRIVATE, true).b(CKA_MODIFIABLE, true), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_MODIFIABLE), true);
  EXPECT_EQ(r->get_bool(CKA_TOKEN), true);
}

TEST(BuildCopy, DestroyableMayChangeInACopy) {
  const AttributeSet src = created(Set().u(CKA_CLASS, CKO_DATA));
  auto r = build_copy(src, Set().b(CKA_DESTROYABLE, false), kUser);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_DESTROYABLE), false);
}

// ---- matches and readability -----------------------------------------------------------------

TEST(Matches, EveryTemplateAttributeMustBePresentAndEqual) {
  const AttributeSet obj = created(Set().u(CKA_CLASS, CKO_DATA).str(CKA_LABEL, "l").str(CKA_APPLICATION, "app"));
  EXPECT_TRUE(matches(obj, AttributeSet{}));
  EXPECT_TRUE(matches(obj, Set().str(CKA_LABEL, "l")));
  EXPECT_TRUE(matches(obj, Set().str(CKA_LABEL, "l").u(CKA_CLASS, CKO_DATA).b(CKA_TOKEN, false)));
  EXPECT_FALSE(matches(obj, Set().str(CKA_LABEL, "L")));
  EXPECT_FALSE(matches(obj, Set().str(CKA_LABEL, "l").str(CKA_APPLICATION, "other")));
  EXPECT_FALSE(matches(obj, Set().str(CKA_LABEL, "l ")));  // length matters
  EXPECT_FALSE(matches(obj, Set().str(CKA_ID, "")));       // data objects have no CKA_ID
  EXPECT_FALSE(matches(obj, Set().u(CKA_CLASS, CKO_SECRET_KEY)));
  EXPECT_TRUE(matches(obj, Set().raw(CKA_VALUE, {})));     // the default empty value matches empty
}

TEST(Matches, SensitiveValuesNeverMatch) {
  const std::vector<std::uint8_t> v(32, 0x42);
  const AttributeSet sensitive = created(aes_key());
  EXPECT_FALSE(matches(sensitive, Set().bytes(CKA_VALUE, v)));
  EXPECT_TRUE(matches(sensitive, Set().u(CKA_VALUE_LEN, 32)));
  const AttributeSet unextractable = created(aes_key().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, false));
  EXPECT_FALSE(matches(unextractable, Set().bytes(CKA_VALUE, v)));
  const AttributeSet open = created(aes_key().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true));
  EXPECT_TRUE(matches(open, Set().bytes(CKA_VALUE, v)));
}

TEST(Readability, PerAttribute) {
  const AttributeSet sensitive = created(aes_key());
  EXPECT_EQ(readability(sensitive, CKA_VALUE), Readability::kSensitive);
  EXPECT_EQ(readability(sensitive, CKA_VALUE_LEN), Readability::kReadable);
  EXPECT_EQ(readability(sensitive, CKA_LABEL), Readability::kReadable);
  EXPECT_EQ(readability(sensitive, CKA_MODULUS), Readability::kInvalid);
  const AttributeSet open = created(aes_key().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true));
  EXPECT_EQ(readability(open, CKA_VALUE), Readability::kReadable);
  const AttributeSet unextractable = created(aes_key().b(CKA_SENSITIVE, false));
  EXPECT_EQ(readability(unextractable, CKA_VALUE), Readability::kSensitive);
  const RsaNumbers& k = rsa_key(2048);
  const AttributeSet rsa = created(Set().u(CKA_CLASS, CKO_PRIVATE_KEY).u(CKA_KEY_TYPE, CKK_RSA).bytes(CKA_MODULUS, k.n)
                                       .bytes(CKA_PUBLIC_EXPONENT, k.e).bytes(CKA_PRIVATE_EXPONENT, k.d));
  EXPECT_EQ(readability(rsa, CKA_MODULUS), Readability::kReadable);
  EXPECT_EQ(readability(rsa, CKA_PRIVATE_EXPONENT), Readability::kSensitive);
  const AttributeSet cert = created(Set().u(CKA_CLASS, CKO_CERTIFICATE).u(CKA_CERTIFICATE_TYPE, CKC_X_509)
                                        .str(CKA_SUBJECT, "s").str(CKA_VALUE, "der"));
  EXPECT_EQ(readability(cert, CKA_CHECK_VALUE), Readability::kInvalid);  // in the schema, but absent
  EXPECT_EQ(readability(cert, CKA_VALUE), Readability::kReadable);
  // Data objects have no sensitive attributes.
  const AttributeSet data = created(Set().u(CKA_CLASS, CKO_DATA).str(CKA_VALUE, "v"));
  EXPECT_EQ(readability(data, CKA_VALUE), Readability::kReadable);
  // An attribute outside the class's schema is invalid even if somehow present.
  AttributeSet odd = created(Set().u(CKA_CLASS, CKO_DATA));
  odd.set(Attribute::make_bool(CKA_SENSITIVE, true));
  EXPECT_EQ(readability(odd, CKA_SENSITIVE), Readability::kInvalid);
  EXPECT_EQ(readability(Set().str(CKA_LABEL, "no class"), CKA_LABEL), Readability::kInvalid);
}

TEST(SchemaOf, KnownAndUnknownObjects) {
  EXPECT_NE(schema_of(created(Set().u(CKA_CLASS, CKO_DATA))), nullptr);
  EXPECT_NE(schema_of(created(aes_key())), nullptr);
  EXPECT_EQ(schema_of(Set().u(CKA_CLASS, CKO_SECRET_KEY)), nullptr);
  EXPECT_EQ(schema_of(Set().str(CKA_LABEL, "x")), nullptr);
}

TEST(ApproximateSize, GrowsWithValues) {
  const AttributeSet small = created(Set().u(CKA_CLASS, CKO_DATA));
  const AttributeSet big = created(Set().u(CKA_CLASS, CKO_DATA).str(CKA_VALUE, std::string(1000, 'x')));
  EXPECT_GT(approximate_size(small), 0u);
  EXPECT_EQ(approximate_size(big), approximate_size(small) + 1000);
}

}  // namespace
}  // namespace craton::object

namespace craton::object {
namespace {

std::vector<CK_ATTRIBUTE_TYPE> types_of(const AttributeSet& s) {
  std::vector<CK_ATTRIBUTE_TYPE> out;
  for (const auto& [t, a] : s) {
    EXPECT_EQ(t, a.type);  // the key and the attribute agree
    out.push_back(t);
  }
  return out;
}

// ---- produced keys (C_GenerateKey, C_DeriveKey, C_EncapsulateKey, ...) -------------------------

// What a mechanism hands over for a 32-byte AES key.
AttributeSet aes_material() {
  return Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_AES).bytes(CKA_VALUE, std::vector<std::uint8_t>(32, 0x5C))
      .u(CKA_VALUE_LEN, 32);
}

TEST(BuildProduced, TemplateAndMaterialMergeInTypeOrder) {
  // Template attributes on both sides of the material's (CKA_TOKEN < CKA_VALUE < CKA_ID < ...),
  // one that the material also sets (same value), and defaults in between.
  AttributeSet tmpl = Set().b(CKA_TOKEN, false).str(CKA_LABEL, "kem").u(CKA_VALUE_LEN, 32).str(CKA_ID, "id-1")
                          .b(CKA_EXTRACTABLE, true).b(CKA_DERIVE, true);
  Production how;
  how.origin = Origin::kDerived;
  auto r = build_produced(tmpl, aes_material(), how);
  ASSERT_TRUE(r.ok());
  const auto types = types_of(*r);
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
  EXPECT_EQ(std::adjacent_find(types.begin(), types.end()), types.end());  // no duplicates
  EXPECT_EQ(text(*r, CKA_LABEL), "kem");
  EXPECT_EQ(text(*r, CKA_ID), "id-1");
  EXPECT_EQ(r->get_bool(CKA_TOKEN), false);
  EXPECT_EQ(r->get_bool(CKA_EXTRACTABLE), true);
  EXPECT_EQ(r->get_bool(CKA_DERIVE), true);
  EXPECT_EQ(r->get_ulong(CKA_CLASS), CKO_SECRET_KEY);
  EXPECT_EQ(r->get_ulong(CKA_KEY_TYPE), CKK_AES);
  EXPECT_EQ(r->get_ulong(CKA_VALUE_LEN), 32u);
  EXPECT_EQ(text(*r, CKA_VALUE), std::string(32, '\x5C'));
  EXPECT_EQ(r->get_bool(CKA_SENSITIVE), true);  // a default
  EXPECT_EQ(r->get_bool(CKA_LOCAL), false);      // derived, not generated
  EXPECT_EQ(r->get_bool(CKA_NEVER_EXTRACTABLE), false);
  const Schema* schema = schema_of(*r);
  ASSERT_NE(schema, nullptr);
  for (std::size_t i = 0; i < schema->all().size(); ++i) {
    if (schema->default_at(i) != nullptr) {
      EXPECT_TRUE(r->contains(schema->all()[i].type)) << schema->all()[i].type;
    }
  }
}

TEST(BuildProduced, TemplateContradictingTheMaterialIsInconsistent) {
  const Production how;
  EXPECT_EQ(build_produced(Set().u(CKA_VALUE_LEN, 16), aes_material(), how).rv(), CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(build_produced(Set().u(CKA_KEY_TYPE, CKK_GENERIC_SECRET), aes_material(), how).rv(),
            CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(build_produced(Set().u(CKA_CLASS, CKO_DATA), aes_material(), how).rv(), CKR_TEMPLATE_INCONSISTENT);
  // The value itself: a template may not name different key bytes than the mechanism made.
  EXPECT_EQ(build_produced(Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(32, 0x00)), aes_material(), how).rv(),
            CKR_TEMPLATE_INCONSISTENT);
}

TEST(BuildProduced, KeyTypeFromTheTemplateWhenTheMechanismLeavesItOpen) {
  // A derivation that only produces bytes: class and key type come from the caller's template.
  AttributeSet material = Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 0x11));
  auto r = build_produced(Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_GENERIC_SECRET).str(CKA_LABEL, "g"),
                          std::move(material), Production{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_ulong(CKA_KEY_TYPE), CKK_GENERIC_SECRET);
  EXPECT_EQ(r->get_ulong(CKA_VALUE_LEN), 16u);
  EXPECT_EQ(text(*r, CKA_LABEL), "g");
  // Without a key type anywhere the object cannot be typed.
  EXPECT_EQ(build_produced(Set().u(CKA_CLASS, CKO_SECRET_KEY), Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(16)),
                           Production{})
                .rv(),
            CKR_TEMPLATE_INCOMPLETE);
}

TEST(BuildProduced, TemplateCannotSetTokenAttributesOrForeignOnes) {
  const Production how;
  EXPECT_EQ(build_produced(Set().b(CKA_LOCAL, true), aes_material(), how).rv(), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(build_produced(Set().u(CKA_MODULUS_BITS, 2048), aes_material(), how).rv(), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(build_produced(Set().b(CKA_TRUSTED, true), aes_material(), how).rv(), CKR_ATTRIBUTE_READ_ONLY);  // SO only
}

TEST(BuildProduced, GeneratedKeysRecordTheirMechanismAndHistory) {
  Production how;
  how.origin = Origin::kGenerated;
  how.mechanism = CKM_AES_KEY_GEN;
  auto r = build_produced(Set().b(CKA_SENSITIVE, true), aes_material(), how);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->get_bool(CKA_LOCAL), true);
  EXPECT_EQ(r->get_ulong(CKA_KEY_GEN_MECHANISM), CKM_AES_KEY_GEN);
  EXPECT_EQ(r->get_bool(CKA_ALWAYS_SENSITIVE), true);
  EXPECT_EQ(r->get_bool(CKA_NEVER_EXTRACTABLE), true);
}

// Everything about two objects, byte for byte, array elements in order.
void expect_identical(const AttributeSet& a, const AttributeSet& b) {
  ASSERT_EQ(types_of(a), types_of(b));
  auto x = a.begin();
  for (const auto& [t, attr] : b) {
    EXPECT_EQ(x->second.value.size(), attr.value.size()) << t;
    EXPECT_TRUE(std::equal(attr.value.span().begin(), attr.value.span().end(), x->second.value.span().begin(),
                           x->second.value.span().end()))
        << t;
    ASSERT_EQ(x->second.nested.size(), attr.nested.size()) << t;
    for (std::size_t i = 0; i < attr.nested.size(); ++i) {
      EXPECT_EQ(x->second.nested[i].type, attr.nested[i].type) << t;
      EXPECT_TRUE(same_value(x->second.nested[i], attr.nested[i])) << t;
    }
    ++x;
  }
}

AttributeSet secret_material(std::size_t n, std::uint8_t fill, CK_KEY_TYPE kt = CKK_GENERIC_SECRET) {
  return Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, kt).bytes(CKA_VALUE, std::vector<std::uint8_t>(n, fill))
      .u(CKA_VALUE_LEN, n);
}

// A different request in between, so that the next build of the first one starts from scratch.
void build_something_else() {
  ASSERT_TRUE(build_produced(Set().str(CKA_LABEL, "other"), secret_material(20, 0x01), Production{}).ok());
}

// The per-thread prototype (object.h): a second build with the same inputs but new key bytes must
// equal, attribute for attribute, what a build from scratch makes of them.
TEST(BuildProduced, PrototypeGivesWhatAFreshBuildGives) {
  struct Case {
    const char* name;
    std::function<AttributeSet()> tmpl;
    Production how;
    std::size_t n;
    CK_KEY_TYPE kt;
  };
  Production generated;
  generated.origin = Origin::kGenerated;
  generated.mechanism = CKM_AES_KEY_GEN;
  generated.approved = true;
  Production derived;
  derived.origin = Origin::kDerived;
  derived.base_always_sensitive = true;
  derived.base_never_extractable = false;
  Production so = derived;
  so.who = kSo;
  const auto wrap_template = [] {
    Attribute a;
    a.type = CKA_WRAP_TEMPLATE;
    a.nested.push_back(Attribute::make_ulong(CKA_KEY_TYPE, CKK_AES));
    a.nested.push_back(Attribute::make_bool(CKA_EXTRACTABLE, true));
    return a;
  };
  const std::vector<Case> cases = {
      {"bare", [] { return AttributeSet(Set()); }, Production{}, 32, CKK_GENERIC_SECRET},
      {"kem-like", [] { return AttributeSet(Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_GENERIC_SECRET)); },
       derived, 32, CKK_GENERIC_SECRET},
      {"aes-generated", [] { return AttributeSet(Set().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true).str(CKA_LABEL, "k")); },
       generated, 16, CKK_AES},
      {"short-hmac-unapproved", [] { return AttributeSet(Set().u(CKA_VALUE_LEN, 10)); }, generated, 10, CKK_SHA256_HMAC},
      {"so-trusted", [] { return AttributeSet(Set().b(CKA_TRUSTED, true).str(CKA_ID, "i")); }, so, 24, CKK_GENERIC_SECRET},
      {"wrap-template",
       [&] {
         AttributeSet t;
         t.set(wrap_template());
         t.set(Attribute::make_bool(CKA_WRAP, true));
         return t;
       },
       derived, 32, CKK_AES},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    build_something_else();
    auto first = build_produced(c.tmpl(), secret_material(c.n, 0xA1, c.kt), c.how);
    ASSERT_TRUE(first.ok()) << first.rv();
    auto reused = build_produced(c.tmpl(), secret_material(c.n, 0xB2, c.kt), c.how);
    ASSERT_TRUE(reused.ok());
    build_something_else();
    auto fresh = build_produced(c.tmpl(), secret_material(c.n, 0xB2, c.kt), c.how);
    ASSERT_TRUE(fresh.ok());
    expect_identical(*reused, *fresh);
    EXPECT_EQ(text(*reused, CKA_VALUE), std::string(c.n, '\xB2'));  // the new bytes, not the first key's
    EXPECT_EQ(text(*first, CKA_VALUE), std::string(c.n, '\xA1'));    // and the first key kept its own
  }
}

TEST(BuildProduced, PrototypeIsNotUsedWhenAnyInputDiffers) {
  Production how;
  how.origin = Origin::kDerived;
  const auto tmpl = [] { return AttributeSet(Set().str(CKA_LABEL, "a").b(CKA_EXTRACTABLE, true)); };
  ASSERT_TRUE(build_produced(tmpl(), secret_material(32, 1), how).ok());
  // Another length: CKA_VALUE_LEN follows the value.
  auto shorter = build_produced(tmpl(), secret_material(16, 1), how);
  ASSERT_TRUE(shorter.ok());
  EXPECT_EQ(shorter->get_ulong(CKA_VALUE_LEN), 16u);
  // Material without a CKA_VALUE_LEN of its own (as some mechanisms hand it over): the length of
  // the value still tells two requests apart.
  for (std::size_t n : {24u, 40u, 24u}) {
    auto r = build_produced(tmpl(), Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_GENERIC_SECRET)
                                        .bytes(CKA_VALUE, std::vector<std::uint8_t>(n, 2)),
                            how);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->get_ulong(CKA_VALUE_LEN), n);
    EXPECT_EQ(r->find(CKA_VALUE)->value.size(), n);
  }
  // Another key type.
  auto aes = build_produced(tmpl(), secret_material(16, 1, CKK_AES), how);
  ASSERT_TRUE(aes.ok());
  EXPECT_EQ(aes->get_ulong(CKA_KEY_TYPE), CKK_AES);
  // Another label.
  auto relabelled = build_produced(Set().str(CKA_LABEL, "b").b(CKA_EXTRACTABLE, true), secret_material(16, 1, CKK_AES), how);
  ASSERT_TRUE(relabelled.ok());
  EXPECT_EQ(text(*relabelled, CKA_LABEL), "b");
  // Another history: generated, then derived from a base that was always sensitive.
  Production gen = how;
  gen.origin = Origin::kGenerated;
  gen.mechanism = CKM_AES_KEY_GEN;
  auto generated = build_produced(Set().str(CKA_LABEL, "b").b(CKA_EXTRACTABLE, true), secret_material(16, 1, CKK_AES), gen);
  ASSERT_TRUE(generated.ok());
  EXPECT_EQ(generated->get_bool(CKA_LOCAL), true);
  EXPECT_EQ(generated->get_ulong(CKA_KEY_GEN_MECHANISM), CKM_AES_KEY_GEN);
  auto derived = build_produced(Set().str(CKA_LABEL, "b").b(CKA_EXTRACTABLE, true), secret_material(16, 1, CKK_AES), how);
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(derived->get_bool(CKA_LOCAL), false);
  // The service indicator.
  Production approved = how;
  approved.approved = true;
  auto flagged = build_produced(Set().str(CKA_LABEL, "b").b(CKA_EXTRACTABLE, true), secret_material(16, 1, CKK_AES), approved);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->get_ulong(CKA_OBJECT_VALIDATION_FLAGS), kFipsValidationFlag);
  EXPECT_EQ(derived->get_ulong(CKA_OBJECT_VALIDATION_FLAGS), 0u);
}

// Keys made from one prototype hold its attributes in common and only their values (and unique
// ids) of their own; a change to one of them is its own.
TEST(BuildProduced, KeysOfOnePrototypeShareAllButTheirValues) {
  const auto tmpl = [] { return AttributeSet(Set().str(CKA_LABEL, "session key").b(CKA_EXTRACTABLE, true)); };
  build_something_else();
  auto first = build_produced(tmpl(), secret_material(32, 1), Production{});  // builds the prototype
  auto second = build_produced(tmpl(), secret_material(32, 2), Production{});
  auto third = build_produced_secret(tmpl(), CKK_GENERIC_SECRET, std::vector<std::uint8_t>(32, 3), Production{});
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_FALSE(first->shares_with(*second));  // the first is the one the prototype was made from
  EXPECT_TRUE(second->shares_with(*third));
  AttributeSet first_rest = first->clone(), second_rest = second->clone();
  first_rest.erase(CKA_VALUE);
  second_rest.erase(CKA_VALUE);
  expect_identical(first_rest, second_rest);  // all but the values, compared below
  EXPECT_EQ(text(*second, CKA_VALUE), std::string(32, '\x02'));
  EXPECT_EQ(text(*third, CKA_VALUE), std::string(32, '\x03'));
  EXPECT_EQ(text(*third, CKA_UNIQUE_ID), "");  // an empty slot of its own, for the token
  // C_SetAttributeValue on one key leaves the other alone.
  auto relabelled = apply_changes(*second, Set().str(CKA_LABEL, "renamed"), kUser);
  ASSERT_TRUE(relabelled.ok());
  EXPECT_EQ(text(*relabelled, CKA_LABEL), "renamed");
  EXPECT_EQ(text(*relabelled, CKA_VALUE), std::string(32, '\x02'));
  EXPECT_EQ(text(*third, CKA_LABEL), "session key");
  // A copy of a key keeps sharing until it changes a shared attribute.
  auto copied = build_copy(*third, Set(), kUser);
  ASSERT_TRUE(copied.ok());
  EXPECT_TRUE(copied->shares_with(*third));
  EXPECT_FALSE(copied->contains(CKA_UNIQUE_ID));
}

// build_produced_secret() is build_produced() with the material it would be given.
TEST(BuildProduced, SecretFromAValueGivesWhatTheMaterialGives) {
  Production derived;
  derived.origin = Origin::kDerived;
  derived.base_always_sensitive = true;
  const std::vector<std::pair<std::function<AttributeSet()>, CK_KEY_TYPE>> cases = {
      {[] { return AttributeSet(Set().u(CKA_CLASS, CKO_SECRET_KEY).u(CKA_KEY_TYPE, CKK_GENERIC_SECRET)); }, CKK_GENERIC_SECRET},
      {[] { return AttributeSet(Set().b(CKA_SENSITIVE, false).str(CKA_ID, "id")); }, CKK_AES},
      {[] { return AttributeSet(Set().u(CKA_VALUE_LEN, 32)); }, CKK_SHA256_HMAC},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    const auto& [tmpl, kt] = cases[i];
    for (int round = 0; round < 3; ++round) {  // from scratch, then from the prototype
      const std::vector<std::uint8_t> value(32, static_cast<std::uint8_t>(0x40 + round));
      if (round == 0) build_something_else();
      auto direct = build_produced_secret(tmpl(), kt, value, derived);
      ASSERT_TRUE(direct.ok()) << direct.rv();
      build_something_else();
      AttributeSet material = secret_key_material(kt, value);
      auto via_material = build_produced(tmpl(), std::move(material), derived);
      ASSERT_TRUE(via_material.ok());
      expect_identical(*direct, *via_material);
    }
  }
  // The prototype of another key type, length or history is not taken.
  ASSERT_TRUE(build_produced_secret(Set(), CKK_GENERIC_SECRET, std::vector<std::uint8_t>(32, 1), derived).ok());
  auto aes = build_produced_secret(Set(), CKK_AES, std::vector<std::uint8_t>(16, 1), derived);
  ASSERT_TRUE(aes.ok());
  EXPECT_EQ(aes->get_ulong(CKA_KEY_TYPE), CKK_AES);
  auto longer = build_produced_secret(Set(), CKK_AES, std::vector<std::uint8_t>(32, 1), derived);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->get_ulong(CKA_VALUE_LEN), 32u);
  Production generated = derived;
  generated.origin = Origin::kGenerated;
  auto local = build_produced_secret(Set(), CKK_AES, std::vector<std::uint8_t>(32, 1), generated);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->get_bool(CKA_LOCAL), true);
  // Refusals come from the full build, every time.
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(build_produced_secret(Set(), CKK_AES, std::vector<std::uint8_t>(17, 1), derived).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
    EXPECT_EQ(build_produced_secret(Set().b(CKA_LOCAL, true), CKK_AES, std::vector<std::uint8_t>(16, 1), derived).rv(),
              CKR_ATTRIBUTE_READ_ONLY);
  }
  // A template naming the value is checked against it.
  EXPECT_EQ(build_produced_secret(Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 9)), CKK_AES,
                                  std::vector<std::uint8_t>(16, 8), derived).rv(),
            CKR_TEMPLATE_INCONSISTENT);
}

TEST(BuildProduced, TemplatesNamingTheValueAreBuiltEachTime) {
  // A template may repeat the produced value (it must then be the same bytes); such requests are
  // answered correctly every time, whatever the previous request was.
  const auto with_value = [](std::uint8_t b) {
    return AttributeSet(Set().bytes(CKA_VALUE, std::vector<std::uint8_t>(32, b)).str(CKA_LABEL, "v"));
  };
  for (std::uint8_t b : {0x10, 0x20, 0x10}) {
    auto r = build_produced(with_value(b), secret_material(32, b), Production{});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(text(*r, CKA_VALUE), std::string(32, static_cast<char>(b)));
    EXPECT_EQ(build_produced(with_value(b), secret_material(32, static_cast<std::uint8_t>(b + 1)), Production{}).rv(),
              CKR_TEMPLATE_INCONSISTENT);
  }
}

TEST(BuildProduced, ArrayAttributesKeepTheCallersOrderAcrossReuse) {
  // Two templates that are equal as sets (same_value) but list CKA_WRAP_TEMPLATE's elements in
  // another order: each object returns its own caller's order.
  const auto tmpl = [](bool swapped) {
    Attribute a;
    a.type = CKA_WRAP_TEMPLATE;
    a.nested.push_back(Attribute::make_ulong(swapped ? CKA_VALUE_LEN : CKA_KEY_TYPE, swapped ? 16 : CKK_AES));
    a.nested.push_back(Attribute::make_ulong(swapped ? CKA_KEY_TYPE : CKA_VALUE_LEN, swapped ? CKK_AES : 16));
    AttributeSet t;
    t.set(std::move(a));
    return t;
  };
  auto first = build_produced(tmpl(false), secret_material(32, 3), Production{});
  auto second = build_produced(tmpl(true), secret_material(32, 4), Production{});
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(first->find(CKA_WRAP_TEMPLATE)->nested.size(), 2u);
  ASSERT_EQ(second->find(CKA_WRAP_TEMPLATE)->nested.size(), 2u);
  EXPECT_EQ(first->find(CKA_WRAP_TEMPLATE)->nested[0].type, CKA_KEY_TYPE);
  EXPECT_EQ(second->find(CKA_WRAP_TEMPLATE)->nested[0].type, CKA_VALUE_LEN);
}

TEST(BuildProduced, FailuresAreNotRemembered) {
  // A refused template stays refused, and does not disturb the next good request.
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(build_produced(Set().b(CKA_LOCAL, true), secret_material(32, 5), Production{}).rv(), CKR_ATTRIBUTE_READ_ONLY);
    EXPECT_EQ(build_produced(Set(), secret_material(0, 5), Production{}).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // empty key
    auto good = build_produced(Set().str(CKA_LABEL, "ok"), secret_material(32, 6), Production{});
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(text(*good, CKA_LABEL), "ok");
  }
  // An AES key of a length AES does not have is refused every time, also right after a good one.
  ASSERT_TRUE(build_produced(Set(), secret_material(16, 7, CKK_AES), Production{}).ok());
  EXPECT_EQ(build_produced(Set(), secret_material(17, 7, CKK_AES), Production{}).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(BuildProduced, EachThreadKeepsItsOwnPrototype) {
  // Threads alternating between their own templates never see another thread's attributes.
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      const std::string label = "thread-" + std::to_string(t);
      for (int i = 0; i < 200; ++i) {
        const auto fill = static_cast<std::uint8_t>(i);
        auto r = build_produced(Set().str(CKA_LABEL, label), secret_material(32, fill), Production{});
        if (!r.ok() || text(*r, CKA_LABEL) != label || text(*r, CKA_VALUE) != std::string(32, static_cast<char>(fill))) {
          ++wrong;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(AttributeSetStorage, LookupAgreesWithAPlainBinarySearchAtEverySize) {
  for (std::size_t n = 0; n <= 40; ++n) {
    AttributeSet s;
    std::vector<CK_ATTRIBUTE_TYPE> types;
    for (std::size_t i = 0; i < n; ++i) {
      types.push_back(3 * i + 1);  // gaps on both sides of every type
      s.set(Attribute::make_ulong(3 * i + 1, i));
    }
    for (CK_ATTRIBUTE_TYPE probe = 0; probe <= 3 * n + 2; ++probe) {
      const bool present = std::binary_search(types.begin(), types.end(), probe);
      const Attribute* a = s.find(probe);
      ASSERT_EQ(a != nullptr, present) << n << " " << probe;
      if (present) {
        EXPECT_EQ(s.get_ulong(probe), (probe - 1) / 3) << n << " " << probe;
      }
    }
  }
}

TEST(AttributeSetStorage, SetBoolAndUlongOverwriteInPlaceOrInsert) {
  AttributeSet s;
  s.set(Attribute::make_bool(CKA_TOKEN, false));
  s.set(Attribute::make_ulong(CKA_VALUE_LEN, 1));
  s.set(Attribute::make_string(CKA_LABEL, "abc"));  // 3 bytes: neither a CK_BBOOL nor a CK_ULONG
  s.set_bool(CKA_TOKEN, true);
  s.set_ulong(CKA_VALUE_LEN, 99);
  s.set_bool(CKA_PRIVATE, true);           // absent: inserted in order
  s.set_ulong(CKA_LABEL, 5);               // wrong size: replaced by a CK_ULONG image
  s.set_bool(CKA_CLASS, false);            // absent, before everything
  EXPECT_EQ(types_of(s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_VALUE_LEN}));
  EXPECT_EQ(s.get_bool(CKA_TOKEN), true);
  EXPECT_EQ(s.get_ulong(CKA_VALUE_LEN), 99u);
  EXPECT_EQ(s.get_bool(CKA_PRIVATE), true);
  EXPECT_EQ(s.get_ulong(CKA_LABEL), 5u);
  EXPECT_EQ(s.get_bool(CKA_CLASS), false);
}

TEST(AttributeSetStorage, FromSortedTakesOrderedEntriesAndRepairsOthers) {
  std::vector<AttributeSet::Entry> ordered;
  ordered.emplace_back(CKA_CLASS, Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  ordered.emplace_back(CKA_LABEL, Attribute::make_string(CKA_LABEL, "l"));
  AttributeSet a = AttributeSet::from_sorted(std::move(ordered));
  EXPECT_EQ(types_of(a), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_LABEL}));
  // Out of order and with a repeated type: still a valid set, the later duplicate kept.
  std::vector<AttributeSet::Entry> messy;
  messy.emplace_back(CKA_LABEL, Attribute::make_string(CKA_LABEL, "first"));
  messy.emplace_back(CKA_CLASS, Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  messy.emplace_back(CKA_LABEL, Attribute::make_string(CKA_LABEL, "second"));
  AttributeSet b = AttributeSet::from_sorted(std::move(messy));
  EXPECT_EQ(types_of(b), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_LABEL}));
  EXPECT_EQ(text(b, CKA_LABEL), "second");
}

TEST(AttributeSetStorage, HeapValuesAreWipedWhenReplacedOrDestroyed) {
  const std::vector<std::uint8_t> big(40, 0xEE);
  const std::uint64_t before = secure_wiped_bytes();
  {
    AttrValue v(big);
    AttrValue w = v.clone();
    EXPECT_NE(w.data(), v.data());  // a copy of its own
    EXPECT_TRUE(std::equal(big.begin(), big.end(), w.data(), w.data() + w.size()));
    w = AttrValue(std::vector<std::uint8_t>{1, 2});  // the 40-byte copy is released here
    EXPECT_EQ(w.size(), 2u);
    EXPECT_EQ(secure_wiped_bytes() - before, 40u);
    AttrValue moved(std::move(v));  // the buffer changes owner, nothing is released
    EXPECT_EQ(secure_wiped_bytes() - before, 40u);
    EXPECT_EQ(moved.size(), 40u);
  }
  EXPECT_EQ(secure_wiped_bytes() - before, 80u);  // and the original, with its last owner
}

TEST(TemplateFrom, AnyOrderAndRepeatsGiveOneOrderedSet) {
  std::vector<Attribute> attrs;
  attrs.push_back(Attribute::make_string(CKA_LABEL, "x"));
  attrs.push_back(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  attrs.push_back(Attribute::make_bool(CKA_TOKEN, false));
  attrs.push_back(Attribute::make_string(CKA_LABEL, "x"));
  attrs.push_back(Attribute::make_ulong(CKA_CLASS, CKO_DATA));
  auto r = template_from(entries_of(std::move(attrs)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(types_of(*r), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_LABEL}));
  EXPECT_EQ(text(*r, CKA_LABEL), "x");
  std::vector<Attribute> clash;
  clash.push_back(Attribute::make_bool(CKA_TOKEN, false));
  clash.push_back(Attribute::make_string(CKA_LABEL, "x"));
  clash.push_back(Attribute::make_bool(CKA_TOKEN, true));
  EXPECT_EQ(template_from(entries_of(std::move(clash))).rv(), CKR_TEMPLATE_INCONSISTENT);
}

TEST(AttributeSetStorage, StaysOrderedByTypeWhateverTheInsertionOrder) {
  AttributeSet s;
  for (CK_ATTRIBUTE_TYPE t : {CKA_LABEL, CKA_CLASS, CKA_VALUE, CKA_TOKEN, CKA_ID, CKA_PRIVATE}) {
    s.set(Attribute::make_bool(t, true));
  }
  EXPECT_EQ(types_of(s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_VALUE, CKA_ID}));
  s.set(Attribute::make_ulong(CKA_TOKEN, 7));  // replaces, does not duplicate
  EXPECT_EQ(s.size(), 6u);
  EXPECT_EQ(s.get_ulong(CKA_TOKEN), 7u);
  s.erase(CKA_LABEL);
  s.erase(CKA_LABEL);  // absent: no effect
  EXPECT_EQ(types_of(s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_VALUE, CKA_ID}));
  EXPECT_EQ(s.find(CKA_LABEL), nullptr);
  auto taken = s.take_all();
  EXPECT_EQ(taken.size(), 5u);
  EXPECT_TRUE(s.empty());
}

// ---- sets over shared entries (AttributeSet::over / share) ------------------------------------

// The common part of two keys: what a prototype shares (object.h, build_produced).
AttributeSet::Shared common_part() {
  AttributeSet c = Set().u(CKA_CLASS, CKO_SECRET_KEY).b(CKA_TOKEN, false).str(CKA_LABEL, "shared label, longer than inline")
                       .u(CKA_KEY_TYPE, CKK_AES).b(CKA_SENSITIVE, true).u(CKA_VALUE_LEN, 16);
  return std::move(c).share();
}

TEST(AttributeSetShared, ReadsSeeTheUnionInTypeOrder) {
  AttributeSet s = AttributeSet::over(common_part());
  s.set(Attribute::make_string(CKA_UNIQUE_ID, "uid-1"));
  s.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 0x5C)));
  EXPECT_EQ(types_of(s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_LABEL, CKA_UNIQUE_ID, CKA_VALUE,
                                                         CKA_KEY_TYPE, CKA_SENSITIVE, CKA_VALUE_LEN}));
  EXPECT_EQ(s.size(), 8u);
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(s.get_ulong(CKA_CLASS), CKO_SECRET_KEY);  // shared
  EXPECT_EQ(text(s, CKA_UNIQUE_ID), "uid-1");         // own
  EXPECT_EQ(text(s, CKA_VALUE), std::string(16, '\x5C'));
  EXPECT_EQ(s.get_bool(CKA_SENSITIVE), true);
  EXPECT_FALSE(s.contains(CKA_ID));
  // Every entry reached by iteration is the one find() gives.
  for (const auto& [t, a] : s) EXPECT_EQ(s.find(t), &a) << t;
  // Own entries only before, between and after the shared ones.
  AttributeSet edges = AttributeSet::over(common_part());
  for (CK_ATTRIBUTE_TYPE t : {CKA_VALUE_LEN + 1, CKA_PRIVATE, CKA_CLASS + 0x1000000}) edges.set(Attribute::make_bool(t, true));
  std::vector<CK_ATTRIBUTE_TYPE> want{CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_KEY_TYPE, CKA_SENSITIVE,
                                      CKA_VALUE_LEN, CKA_VALUE_LEN + 1, CKA_CLASS + 0x1000000};
  EXPECT_EQ(types_of(edges), want);
}

TEST(AttributeSetShared, ChangingASharedAttributeCopiesItAndLeavesTheOtherSetsAlone) {
  const AttributeSet::Shared common = common_part();
  AttributeSet a = AttributeSet::over(common);
  AttributeSet b = AttributeSet::over(common);
  a.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 1)));
  b.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 2)));
  ASSERT_TRUE(a.shares_with(b));
  // An own attribute changes without copying anything.
  a.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 3)));
  EXPECT_TRUE(a.shares_with(b));
  // Each way of writing a shared attribute.
  const std::vector<std::function<void(AttributeSet&)>> writes = {
      [](AttributeSet& s) { s.set_bool(CKA_SENSITIVE, false); },
      [](AttributeSet& s) { s.set_ulong(CKA_VALUE_LEN, 32); },
      [](AttributeSet& s) { s.set(Attribute::make_string(CKA_LABEL, "mine")); },
      [](AttributeSet& s) { s.erase(CKA_TOKEN); },
  };
  for (std::size_t i = 0; i < writes.size(); ++i) {
    SCOPED_TRACE(i);
    AttributeSet c = a.clone();
    ASSERT_TRUE(c.shares_with(a));
    writes[i](c);
    EXPECT_FALSE(c.shares_with(a));
    EXPECT_TRUE(a.shares_with(b));
    EXPECT_EQ(text(c, CKA_VALUE), std::string(16, '\x03'));  // the own value came along
  }
  AttributeSet c = a.clone();
  c.set_bool(CKA_SENSITIVE, false);
  c.set(Attribute::make_string(CKA_LABEL, "mine"));
  c.erase(CKA_TOKEN);
  EXPECT_EQ(c.get_bool(CKA_SENSITIVE), false);
  EXPECT_EQ(text(c, CKA_LABEL), "mine");
  EXPECT_FALSE(c.contains(CKA_TOKEN));
  EXPECT_EQ(types_of(c), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_LABEL, CKA_VALUE, CKA_KEY_TYPE, CKA_SENSITIVE,
                                                         CKA_VALUE_LEN}));
  // The others still read the shared values.
  for (const AttributeSet* s : {&a, &b}) {
    EXPECT_EQ(s->get_bool(CKA_SENSITIVE), true);
    EXPECT_EQ(text(*s, CKA_LABEL), "shared label, longer than inline");
    EXPECT_EQ(s->get_bool(CKA_TOKEN), false);
    EXPECT_EQ(s->size(), 7u);
  }
  EXPECT_EQ(text(b, CKA_VALUE), std::string(16, '\x02'));
}

TEST(AttributeSetShared, CloneSharesAndCopiesOnlyTheOwnEntries) {
  AttributeSet a = AttributeSet::over(common_part());
  a.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 7)));
  AttributeSet c = a.clone();
  EXPECT_TRUE(c.shares_with(a));
  EXPECT_EQ(c.find(CKA_LABEL), a.find(CKA_LABEL));   // the same shared entry
  EXPECT_NE(c.find(CKA_VALUE), a.find(CKA_VALUE));   // an own copy
  c.set(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 8)));
  EXPECT_EQ(text(a, CKA_VALUE), std::string(16, '\x07'));
  // take_all() hands over the union, in order, and leaves the set empty.
  auto all = c.take_all();
  std::vector<CK_ATTRIBUTE_TYPE> types;
  for (const auto& [t, attr] : all) types.push_back(t);
  EXPECT_EQ(types, (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_LABEL, CKA_VALUE, CKA_KEY_TYPE, CKA_SENSITIVE,
                                                   CKA_VALUE_LEN}));
  EXPECT_TRUE(c.empty());
  EXPECT_FALSE(c.shares_with(a));
  EXPECT_EQ(text(a, CKA_LABEL), "shared label, longer than inline");
}

TEST(AttributeSetShared, NothingSharedIsAPlainSet) {
  AttributeSet none = AttributeSet::over(nullptr);
  AttributeSet empty = AttributeSet::over(std::make_shared<const std::vector<AttributeSet::Entry>>());
  for (AttributeSet* s : {&none, &empty}) {
    EXPECT_TRUE(s->empty());
    EXPECT_EQ(s->begin(), s->end());
    EXPECT_FALSE(s->shares_with(*s));
    s->set(Attribute::make_bool(CKA_TOKEN, true));
    EXPECT_EQ(types_of(*s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_TOKEN}));
  }
}

std::vector<AttributeSet::Entry> own_entries(std::initializer_list<Attribute> attrs) {
  std::vector<AttributeSet::Entry> out;
  for (const Attribute& a : attrs) out.emplace_back(a.type, a.clone());
  return out;
}

TEST(AttributeSetShared, OverWithOwnEntriesHoldsBothFromTheStart) {
  const AttributeSet::Shared common = common_part();
  AttributeSet s = AttributeSet::over(common, own_entries({Attribute::make_string(CKA_UNIQUE_ID, "uid-2"),
                                                          Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 9))}));
  AttributeSet plain = AttributeSet::over(common);
  EXPECT_TRUE(s.shares_with(plain));
  EXPECT_EQ(types_of(s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_LABEL, CKA_UNIQUE_ID, CKA_VALUE,
                                                         CKA_KEY_TYPE, CKA_SENSITIVE, CKA_VALUE_LEN}));
  EXPECT_EQ(text(s, CKA_UNIQUE_ID), "uid-2");
  EXPECT_EQ(text(s, CKA_VALUE), std::string(16, '\x09'));
}

TEST(AttributeSetShared, OverWithOwnEntriesThatBreakTheRulesStillGivesAValidSet) {
  const AttributeSet::Shared common = common_part();
  // Out of order, and one of a shared type: added one by one, the own value winning.
  AttributeSet s = AttributeSet::over(common, own_entries({Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 1)),
                                                          Attribute::make_string(CKA_UNIQUE_ID, "uid-3"),
                                                          Attribute::make_string(CKA_LABEL, "own label")}));
  EXPECT_EQ(types_of(s), (std::vector<CK_ATTRIBUTE_TYPE>{CKA_CLASS, CKA_TOKEN, CKA_LABEL, CKA_UNIQUE_ID, CKA_VALUE,
                                                         CKA_KEY_TYPE, CKA_SENSITIVE, CKA_VALUE_LEN}));
  EXPECT_EQ(text(s, CKA_LABEL), "own label");
  EXPECT_EQ(text(s, CKA_UNIQUE_ID), "uid-3");
  EXPECT_EQ(text(AttributeSet::over(common), CKA_LABEL), "shared label, longer than inline");  // shared entries untouched
  // A repeated type: the later entry wins, as in from_sorted().
  AttributeSet twice = AttributeSet::over(common, own_entries({Attribute::make_string(CKA_ID, "first"),
                                                              Attribute::make_string(CKA_ID, "second")}));
  EXPECT_EQ(text(twice, CKA_ID), "second");
  EXPECT_EQ(twice.size(), 7u);
}

TEST(AttributeSetShared, FindOwnWritesOnlyTheSetsOwnEntries) {
  const AttributeSet::Shared common = common_part();
  AttributeSet a = AttributeSet::over(common, own_entries({Attribute{CKA_UNIQUE_ID, AttrValue(), {}}}));
  AttributeSet b = a.clone();
  Attribute* slot = a.find_own(CKA_UNIQUE_ID);
  ASSERT_NE(slot, nullptr);
  slot->value = AttrValue(std::vector<std::uint8_t>{'u', 'i', 'd'});
  EXPECT_EQ(text(a, CKA_UNIQUE_ID), "uid");
  EXPECT_EQ(text(b, CKA_UNIQUE_ID), "");  // b's own copy
  EXPECT_EQ(a.find_own(CKA_LABEL), nullptr);  // shared: never written through here
  EXPECT_EQ(a.find_own(CKA_ID), nullptr);     // absent
  EXPECT_TRUE(a.shares_with(b));
}

TEST(AttributeSetShared, SameSharedOnlyMeansTheSameEntriesAndNothingElse) {
  const AttributeSet::Shared common = common_part();
  AttributeSet a = AttributeSet::over(common);
  AttributeSet b = AttributeSet::over(common);
  EXPECT_TRUE(a.same_shared_only(b));
  EXPECT_TRUE(a.same_shared_only(a.clone()));
  AttributeSet other = AttributeSet::over(common_part());  // equal values, other entries
  EXPECT_FALSE(a.same_shared_only(other));
  AttributeSet with_own = AttributeSet::over(common, own_entries({Attribute::make_bool(CKA_PRIVATE, true)}));
  EXPECT_FALSE(a.same_shared_only(with_own));
  EXPECT_FALSE(with_own.same_shared_only(a));
  AttributeSet none;
  EXPECT_FALSE(none.same_shared_only(AttributeSet()));
}

TEST(AttributeSetShared, SharedValuesAreWipedWithTheirLastHolder) {
  std::uint64_t before = 0;
  {
    AttributeSet a = AttributeSet::over(common_part());  // the label: 32 bytes on the heap
    before = secure_wiped_bytes();
    AttributeSet b = a.clone();
    a = AttributeSet();
    EXPECT_EQ(secure_wiped_bytes() - before, 0u);  // b still holds it
    EXPECT_EQ(text(b, CKA_LABEL), "shared label, longer than inline");
  }
  EXPECT_EQ(secure_wiped_bytes() - before, std::string("shared label, longer than inline").size());
}

// find_each() finds what find() finds, for each of its types, whether the set's own entries or
// shared ones hold them, and bool_of / ulong_of read them as get_bool / get_ulong do (nullopt when
// absent or of the wrong size).
TEST(AttributeSetFindEach, AgreesWithFindAndTheTypedLookups) {
  const auto agree = [](const AttributeSet& s, const char* what) {
    const auto [token, priv, label] = s.find_each<CKA_TOKEN, CKA_PRIVATE, CKA_LABEL>();
    EXPECT_EQ(token, s.find(CKA_TOKEN)) << what;
    EXPECT_EQ(priv, s.find(CKA_PRIVATE)) << what;
    EXPECT_EQ(label, s.find(CKA_LABEL)) << what;
    EXPECT_EQ(AttributeSet::bool_of(token), s.get_bool(CKA_TOKEN)) << what;
    EXPECT_EQ(AttributeSet::bool_of(priv), s.get_bool(CKA_PRIVATE)) << what;
    const auto [cls, kt, len] = s.find_each<CKA_CLASS, CKA_KEY_TYPE, CKA_VALUE_LEN>();
    EXPECT_EQ(AttributeSet::ulong_of(cls), s.get_ulong(CKA_CLASS)) << what;
    EXPECT_EQ(AttributeSet::ulong_of(kt), s.get_ulong(CKA_KEY_TYPE)) << what;
    EXPECT_EQ(AttributeSet::ulong_of(len), s.get_ulong(CKA_VALUE_LEN)) << what;
    EXPECT_EQ(len, s.find(CKA_VALUE_LEN)) << what;
  };
  agree(AttributeSet{}, "empty");
  AttributeSet both = Set().u(CKA_CLASS, CKO_DATA).b(CKA_TOKEN, true).b(CKA_PRIVATE, true).str(CKA_LABEL, "x");
  agree(both, "plain set");
  EXPECT_EQ(AttributeSet::bool_of(both.find_each<CKA_TOKEN>()[0]), true);
  AttributeSet odd = Set().u(CKA_CLASS, CKO_DATA);
  odd.set(Attribute::make_bytes(CKA_TOKEN, std::vector<std::uint8_t>{1, 1}));  // not a CK_BBOOL
  odd.set(Attribute::make_bytes(CKA_PRIVATE, std::vector<std::uint8_t>{}));
  odd.set(Attribute::make_bytes(CKA_VALUE_LEN, std::vector<std::uint8_t>{16}));  // not a CK_ULONG
  agree(odd, "wrong sizes");
  EXPECT_NE(odd.find_each<CKA_TOKEN>()[0], nullptr);
  EXPECT_EQ(AttributeSet::bool_of(odd.find_each<CKA_TOKEN>()[0]), std::nullopt);
  // Over shared entries (common_part(): class, token, label, key type, sensitive, value length),
  // with own entries before, between and after them.
  AttributeSet over = AttributeSet::over(common_part());
  over.set(Attribute::make_string(CKA_UNIQUE_ID, "uid-1"));
  over.set(Attribute::make_bool(CKA_PRIVATE, true));  // own, between shared ones
  agree(over, "shared and own");
  EXPECT_EQ(AttributeSet::ulong_of(over.find_each<CKA_VALUE_LEN>()[0]), 16u);
  AttributeSet over_only = AttributeSet::over(common_part());
  agree(over_only, "shared only");
}

TEST(AttributeSetStorage, ValuesAroundTheInlineLimitKeepTheirBytes) {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, AttrValue::kInline - 1, AttrValue::kInline, AttrValue::kInline + 1, std::size_t{4096}}) {
    std::vector<std::uint8_t> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 1);
    AttributeSet s;
    s.set(Attribute::make_bytes(CKA_VALUE, bytes));
    s.set(Attribute::make_bool(CKA_CLASS, true));  // shifts the CKA_VALUE entry
    AttributeSet copy = s.clone();
    AttributeSet moved = std::move(s);
    for (const AttributeSet* set : {&copy, &moved}) {
      const auto v = set->get_bytes(CKA_VALUE);
      ASSERT_TRUE(v.has_value()) << n;
      EXPECT_TRUE(std::equal(v->begin(), v->end(), bytes.begin(), bytes.end())) << n;
    }
  }
}

TEST(AttributeSetStorage, MovedFromInlineValuesAreWiped) {
  AttrValue v(std::vector<std::uint8_t>{1, 2, 3, 4});
  const std::uint8_t* inline_bytes = v.data();
  AttrValue w(std::move(v));
  EXPECT_EQ(w.size(), 4u);
  EXPECT_EQ(w.data()[3], 4);
  EXPECT_EQ(v.size(), 0u);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(inline_bytes[i], 0) << i;  // no copy of the secret left behind
}

TEST(AttributeSetStorage, DefaultsFillEveryGapInTypeOrder) {
  // Given attributes on both sides of defaults, and a secret-key schema with many defaults.
  auto tmpl = template_from(entries_of([] {
    std::vector<Attribute> v;
    v.push_back(Attribute::make_ulong(CKA_CLASS, CKO_SECRET_KEY));
    v.push_back(Attribute::make_ulong(CKA_KEY_TYPE, CKK_GENERIC_SECRET));
    v.push_back(Attribute::make_bytes(CKA_VALUE, std::vector<std::uint8_t>(16, 0xAB)));
    v.push_back(Attribute::make_bool(CKA_DERIVE, true));
    return v;
  }()));
  ASSERT_TRUE(tmpl.ok());
  auto obj = build_created(*tmpl, {});
  ASSERT_TRUE(obj.ok());
  const auto types = types_of(*obj);
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
  EXPECT_EQ(std::adjacent_find(types.begin(), types.end()), types.end());  // no duplicates
  const Schema* schema = schema_of(*obj);
  ASSERT_NE(schema, nullptr);
  for (std::size_t i = 0; i < schema->all().size(); ++i) {
    if (schema->default_at(i) != nullptr) {
      EXPECT_TRUE(obj->contains(schema->all()[i].type)) << schema->all()[i].type;
    }
  }
  EXPECT_EQ(obj->get_bool(CKA_DERIVE), true);    // given
  EXPECT_EQ(obj->get_bool(CKA_SIGN), true);      // default (usage flags default to TRUE)
  EXPECT_EQ(obj->get_ulong(CKA_VALUE_LEN), 16u);  // computed
}

}  // namespace
}  // namespace craton::object
