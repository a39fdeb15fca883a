// Tests of the OpenSSL key layer: curve table and CKA_EC_PARAMS, CKA_EC_POINT encodings, RSA and
// EC/Edwards/Montgomery keys to and from attributes, PKCS#8 / SubjectPublicKeyInfo, digests.
// Keys built from attributes are used with EVP sign/verify/derive to prove they work.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crypto/ossl/curves.h"
#include "crypto/ossl/digest.h"
#include "crypto/ossl/ec_point.h"
#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/pkey.h"
#include "crypto/ossl/pkey_ec.h"
#include "crypto/ossl/pkey_rsa.h"

namespace craton::crypto {
namespace {

using object::Attribute;
using object::AttributeSet;

Bytes hex(std::string_view h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

template <class C>
Bytes vec(const C& c) {
  return {c.begin(), c.end()};
}

Bytes attr(const AttributeSet& s, CK_ATTRIBUTE_TYPE t) {
  const auto v = s.get_bytes(t);
  return v ? vec(*v) : Bytes{};
}

// Element-wise equality of two attribute sets (test keys only; not constant-time).
void expect_same(const AttributeSet& a, const AttributeSet& b) {
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [type, value] : a) {
    const Attribute* other = b.find(type);
    ASSERT_NE(other, nullptr) << std::hex << type;
    EXPECT_TRUE(object::same_value(value, *other)) << std::hex << type;
  }
}

Bytes sign(EVP_PKEY* key, const char* md, std::span<const std::uint8_t> msg) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, md, nullptr, nullptr, key, nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, msg.data(), msg.size()) != 1) {
    return {};
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, msg.data(), msg.size()) != 1) return {};
  sig.resize(len);
  return sig;
}

bool verify(EVP_PKEY* key, const char* md, std::span<const std::uint8_t> msg, const Bytes& sig) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit_ex(ctx.get(), nullptr, md, nullptr, nullptr, key, nullptr) == 1 &&
         EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), msg.data(), msg.size()) == 1;
}

Bytes derive(EVP_PKEY* own, EVP_PKEY* peer) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own, nullptr));
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return {};
  }
  Bytes out(len);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) return {};
  return out;
}

// Proves that `priv` and `pub` are a working pair for their curve's algorithm.
void expect_pair_works(const Curve& c, EVP_PKEY* priv, EVP_PKEY* pub) {
  const Bytes msg = text("craton key layer");
  if (c.form == CurveForm::kMontgomery) {
    auto other = ec_generate(c);
    ASSERT_TRUE(other.ok());
    const Bytes a = derive(priv, other->get());
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, derive(other->get(), pub)) << c.name;
    return;
  }
  const char* md = c.form == CurveForm::kEdwards ? nullptr : "SHA256";
  const Bytes sig = sign(priv, md, msg);
  ASSERT_FALSE(sig.empty()) << c.name;
  EXPECT_TRUE(verify(pub, md, msg, sig)) << c.name;
  EXPECT_FALSE(verify(pub, md, text("other message"), sig)) << c.name;
  ERR_clear_error();
}

const Curve& curve(std::string_view name) { return **curve_by_name(name); }

// ---- curves and CKA_EC_PARAMS ------------------------------------------------------------------

TEST(CryptoCurves, OidFormForEveryCurve) {
  ASSERT_EQ(all_curves().size(), 8u);
  for (const Curve& c : all_curves()) {
    auto r = curve_from_ec_params(c.oid_der);
    ASSERT_TRUE(r.ok()) << c.name;
    EXPECT_EQ(*r, &c);
  }
  EXPECT_EQ((*curve_from_ec_params(hex("06082a8648ce3d030107")))->name, "P-256");
  EXPECT_EQ((*curve_from_ec_params(hex("06032b6570")))->key_type, CKK_EC_EDWARDS);
  EXPECT_EQ((*curve_from_ec_params(hex("06032b656f")))->name, "X448");
}

TEST(CryptoCurves, NameForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"prime256v1", "P-256"},     {"secp256r1", "P-256"}, {"secp384r1", "P-384"}, {"secp521r1", "P-521"},
      {"secp256k1", "secp256k1"},  {"edwards25519", "Ed25519"}, {"edwards448", "Ed448"},
      {"curve25519", "X25519"},    {"curve448", "X448"},   {"P-256", "P-256"},    {"ED25519", "Ed25519"},
      {"X448", "X448"},
  };
  for (const auto& [name, expected] : cases) {
    Bytes der{kDerPrintableString, static_cast<std::uint8_t>(std::string_view(name).size())};
    const Bytes t = text(name);
    der.insert(der.end(), t.begin(), t.end());
    auto r = curve_from_ec_params(der);
    ASSERT_TRUE(r.ok()) << name;
    EXPECT_EQ((*r)->name, expected) << name;
    EXPECT_EQ((*curve_by_name(name))->name, expected) << name;
  }
  EXPECT_EQ((*curve_from_ec_params(hex("130c656477617264733235353139")))->name, "Ed25519");
}

TEST(CryptoCurves, Pkcs11Tool023MalformedCurve25519) {
  // FACTS §4.6: length byte 0x0b, but only the 10 bytes of "curve25519" follow.
  auto r = curve_from_ec_params(hex("130b63757276653235353139"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->name, "X25519");
  EXPECT_EQ(curve_from_ec_params(hex("130c63757276653235353139")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // off by 2
  EXPECT_EQ(curve_from_ec_params(hex("130963757276653235353139")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // trailing
}

TEST(CryptoCurves, Rejections) {
  EXPECT_EQ(curve_from_ec_params(hex("06092b2403030208010107")).rv(), CKR_CURVE_NOT_SUPPORTED);  // brainpoolP256r1
  EXPECT_EQ(curve_from_ec_params(hex("1303666f6f")).rv(), CKR_CURVE_NOT_SUPPORTED);              // "foo"
  EXPECT_EQ(curve_from_ec_params(hex("3003020101")).rv(), CKR_CURVE_NOT_SUPPORTED);              // explicit
  EXPECT_EQ(curve_from_ec_params(hex("0500")).rv(), CKR_CURVE_NOT_SUPPORTED);                    // implicitlyCA
  EXPECT_EQ(curve_from_ec_params(hex("0403010203")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);          // OCTET STRING
  EXPECT_EQ(curve_from_ec_params(hex("0c0a63757276653235353139")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // UTF8String
  EXPECT_EQ(curve_from_ec_params({}).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(curve_from_ec_params(hex("06")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(curve_from_ec_params(hex("06082a8648ce3d0301")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);    // truncated
  EXPECT_EQ(curve_from_ec_params(hex("06082a8648ce3d03010700")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // trailing
  EXPECT_EQ(curve_from_ec_params(hex("0680")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);                  // indefinite
  EXPECT_EQ(curve_by_name("brainpoolP256r1").rv(), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(curve_by_name("").rv(), CKR_CURVE_NOT_SUPPORTED);
}

TEST(CryptoCurves, EdwardsCurveIsNotAnEcKeyType) {
  EXPECT_EQ(curve_for_key_type(hex("06032b6570"), CKK_EC).rv(), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(curve_for_key_type(hex("06032b656e"), CKK_EC_EDWARDS).rv(), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_TRUE(curve_for_key_type(hex("06032b6570"), CKK_EC_EDWARDS).ok());
  EXPECT_TRUE(curve_for_key_type(hex("06052b8104000a"), CKK_EC).ok());
  EXPECT_EQ(curve_for_key_type(hex("0403010203"), CKK_EC).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

// ---- CKA_EC_POINT --------------------------------------------------------------------------

TEST(CryptoEcPoint, DerOctetStringLengths) {
  EXPECT_EQ(der_octet_string(hex("0102")), hex("04020102"));
  const Bytes long_form = der_octet_string(Bytes(133, 0xAA));
  ASSERT_EQ(long_form.size(), 136u);
  EXPECT_EQ(Bytes(long_form.begin(), long_form.begin() + 3), hex("048185"));
  EXPECT_EQ(der_octet_string(Bytes(300, 1)).size(), 304u);
}

TEST(CryptoEcPoint, RawAndDerInputs) {
  const Curve& ed = curve("Ed25519");
  const Bytes raw(32, 0x11);
  EXPECT_EQ(vec(*decode_ec_point(ed, raw)), raw);
  EXPECT_EQ(vec(*decode_ec_point(ed, der_octet_string(raw))), raw);
  EXPECT_EQ(decode_ec_point(ed, Bytes(31, 0x11)).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(decode_ec_point(ed, der_octet_string(Bytes(33, 0x11))).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(decode_ec_point(curve("Ed448"), der_octet_string(Bytes(57, 1))).value().size(), 57u);

  const Curve& p256 = curve("P-256");
  Bytes x962(65, 0x22);
  x962[0] = 0x04;
  EXPECT_EQ(vec(*decode_ec_point(p256, x962)), x962);
  EXPECT_EQ(vec(*decode_ec_point(p256, der_octet_string(x962))), x962);
  Bytes compressed(33, 0x22);
  compressed[0] = 0x03;
  EXPECT_EQ(vec(*decode_ec_point(p256, compressed)), compressed);
  x962[0] = 0x06;  // hybrid form
  EXPECT_EQ(decode_ec_point(p256, x962).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(decode_ec_point(p256, hex("00")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // infinity
  EXPECT_EQ(decode_ec_point(p256, Bytes(64, 0x04)).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(CryptoEcPoint, EcdhPublicData) {
  const Curve& x = curve("X25519");
  const Bytes u(32, 0x09);
  EXPECT_EQ(vec(*decode_ecdh_public_data(x, u)), u);
  EXPECT_EQ(vec(*decode_ecdh_public_data(x, der_octet_string(u))), u);
  EXPECT_EQ(decode_ecdh_public_data(x, Bytes(33, 1)).rv(), CKR_MECHANISM_PARAM_INVALID);
  EXPECT_EQ(decode_ecdh_public_data(curve("X448"), Bytes(56, 5)).value().size(), 56u);

  auto peer = ec_generate(curve("P-384"));
  ASSERT_TRUE(peer.ok());
  const Bytes der = *ec_point_of_pkey(peer->get());
  const auto raw = decode_ecdh_public_data(curve("P-384"), std::span(der).subspan(2));
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 97u);
  auto rebuilt = ec_public_from_point(curve("P-384"), *raw, CKR_MECHANISM_PARAM_INVALID);
  ASSERT_TRUE(rebuilt.ok());
  Bytes off = vec(*raw);
  off.back() ^= 1;
  EXPECT_EQ(ec_public_from_point(curve("P-384"), off, CKR_MECHANISM_PARAM_INVALID).rv(), CKR_MECHANISM_PARAM_INVALID);
}

// ---- EC, Edwards and Montgomery keys ------------------------------------------------------------

TEST(CryptoPkeyEc, RoundTripEveryCurve) {
  for (const Curve& c : all_curves()) {
    SCOPED_TRACE(std::string(c.name));
    auto key = ec_generate(c);
    ASSERT_TRUE(key.ok());
    auto priv_attrs = private_key_attrs_from_pkey(key->get());
    auto pub_attrs = public_key_attrs_from_pkey(key->get());
    ASSERT_TRUE(priv_attrs.ok() && pub_attrs.ok());
    EXPECT_EQ(priv_attrs->get_ulong(CKA_KEY_TYPE), c.key_type);
    EXPECT_EQ(attr(*priv_attrs, CKA_EC_PARAMS), vec(c.oid_der));
    EXPECT_EQ(attr(*priv_attrs, CKA_VALUE).size(), c.key_bytes);
    EXPECT_FALSE(priv_attrs->contains(CKA_EC_POINT));
    EXPECT_FALSE(pub_attrs->contains(CKA_VALUE));
    const Bytes point = attr(*pub_attrs, CKA_EC_POINT);
    const std::size_t inner = c.weierstrass() ? 1 + 2 * c.key_bytes : c.key_bytes;
    EXPECT_EQ(point, der_octet_string(*decode_ec_point(c, point)));
    EXPECT_EQ(decode_ec_point(c, point)->size(), inner);
    if (c.weierstrass()) {
      EXPECT_EQ(decode_ec_point(c, point)->front(), 0x04);
    }

    auto priv = private_pkey_from_attrs(*priv_attrs);
    auto pub = public_pkey_from_attrs(*pub_attrs);
    ASSERT_TRUE(priv.ok() && pub.ok());
    expect_same(*private_key_attrs_from_pkey(priv->get()), *priv_attrs);
    expect_same(*public_key_attrs_from_pkey(pub->get()), *pub_attrs);
    // The private key built from CKA_VALUE alone carries the derived public key.
    expect_same(*public_key_attrs_from_pkey(priv->get()), *pub_attrs);
    expect_pair_works(c, priv->get(), pub->get());
  }
}

TEST(CryptoPkeyEc, PublicKeyFromRawCompressedAndNamedParams) {
  const Curve& p256 = curve("P-256");
  auto key = ec_generate(p256);
  ASSERT_TRUE(key.ok());
  const Bytes point = *ec_point_of_pkey(key->get());
  const Bytes raw(point.begin() + 2, point.end());
  Bytes compressed(raw.begin(), raw.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (raw.back() & 1));
  for (const Bytes& form : {point, raw, compressed}) {
    AttributeSet a;
    a.set(Attribute::make_bytes(CKA_EC_PARAMS, hex("130a7072696d653235367631")));  // "prime256v1"
    a.set(Attribute::make_bytes(CKA_EC_POINT, form));
    auto pub = ec_public_from_attrs(a);
    ASSERT_TRUE(pub.ok());
    EXPECT_EQ(*ec_point_of_pkey(pub->get()), point);  // always DER around the uncompressed point
    expect_pair_works(p256, key->get(), pub->get());
  }
}

TEST(CryptoPkeyEc, BadPointsAndValues) {
  const Curve& p256 = curve("P-256");
  auto key = ec_generate(p256);
  ASSERT_TRUE(key.ok());
  AttributeSet pub = std::move(*public_key_attrs_from_pkey(key->get()));
  Bytes point = attr(pub, CKA_EC_POINT);

  Bytes off_curve = point;
  off_curve.back() ^= 0x01;
  pub.set(Attribute::make_bytes(CKA_EC_POINT, off_curve));
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  pub.set(Attribute::make_bytes(CKA_EC_POINT, Bytes(point.begin(), point.end() - 1)));  // wrong length
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  pub.erase(CKA_EC_POINT);
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_TEMPLATE_INCOMPLETE);
  pub.set(Attribute::make_bytes(CKA_EC_POINT, point));
  pub.set(Attribute::make_bytes(CKA_EC_PARAMS, hex("06092b2403030208010107")));
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_CURVE_NOT_SUPPORTED);
  pub.erase(CKA_EC_PARAMS);
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_TEMPLATE_INCOMPLETE);

  AttributeSet priv;
  priv.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_EC));
  priv.set(Attribute::make_bytes(CKA_EC_PARAMS, p256.oid_der));
  EXPECT_EQ(private_pkey_from_attrs(priv).rv(), CKR_TEMPLATE_INCOMPLETE);
  const std::pair<Bytes, CK_RV> values[] = {
      {Bytes(32, 0x00), CKR_ATTRIBUTE_VALUE_INVALID},  // zero
      {Bytes(32, 0xFF), CKR_ATTRIBUTE_VALUE_INVALID},  // >= n
      {Bytes(33, 0x01), CKR_ATTRIBUTE_VALUE_INVALID},  // too long
      {Bytes{}, CKR_ATTRIBUTE_VALUE_INVALID},
      {hex("01"), CKR_OK},  // leading zeros may be omitted
  };
  for (const auto& [value, rv] : values) {
    priv.set(Attribute::make_bytes(CKA_VALUE, value));
    EXPECT_EQ(private_pkey_from_attrs(priv).rv(), rv) << value.size();
  }
  // d = 1: the public point is the generator (SEC 2 §2.4.2).
  auto one = private_pkey_from_attrs(priv);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*ec_point_of_pkey(one->get()),
            hex("044104" "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"));
  EXPECT_EQ(attr(*private_key_attrs_from_pkey(one->get()), CKA_VALUE), hex("00000000000000000000000000000000000000"
                                                                         "00000000000000000000000001"));

  priv.set(Attribute::make_bytes(CKA_EC_PARAMS, curve("Ed25519").oid_der));
  priv.set(Attribute::make_bytes(CKA_VALUE, Bytes(32, 1)));
  EXPECT_EQ(private_pkey_from_attrs(priv).rv(), CKR_CURVE_NOT_SUPPORTED);  // CKK_EC with an Edwards curve
  priv.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS));
  EXPECT_TRUE(private_pkey_from_attrs(priv).ok());
  priv.set(Attribute::make_bytes(CKA_VALUE, Bytes(31, 1)));
  EXPECT_EQ(private_pkey_from_attrs(priv).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

// RFC 8032 §7.1, TEST 1: secret key → public key, and the signature of the empty message.
TEST(CryptoPkeyEc, Ed25519Rfc8032Test1) {
  AttributeSet priv;
  priv.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS));
  priv.set(Attribute::make_bytes(CKA_EC_PARAMS, hex("130c656477617264733235353139")));
  priv.set(Attribute::make_bytes(CKA_VALUE, hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
  auto key = private_pkey_from_attrs(priv);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*ec_point_of_pkey(key->get()),
            hex("0420d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
  EXPECT_EQ(sign(key->get(), nullptr, {}),
            hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                "d25bf5f0595bbe24655141438e7a100b"));
}

// RFC 7748 §6.1: both public keys and the shared secret.
TEST(CryptoPkeyEc, X25519Rfc7748) {
  auto make = [](const char* value) {
    AttributeSet a;
    a.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_EC_MONTGOMERY));
    a.set(Attribute::make_bytes(CKA_EC_PARAMS, hex("06032b656e")));
    a.set(Attribute::make_bytes(CKA_VALUE, hex(value)));
    return private_pkey_from_attrs(a);
  };
  auto alice = make("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  auto bob = make("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  ASSERT_TRUE(alice.ok() && bob.ok());
  const Bytes bob_pub = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  EXPECT_EQ(*ec_point_of_pkey(alice->get()),
            hex("04208520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
  EXPECT_EQ(*ec_point_of_pkey(bob->get()), der_octet_string(bob_pub));
  auto peer = ec_public_from_point(curve("X25519"), *decode_ecdh_public_data(curve("X25519"), bob_pub));
  ASSERT_TRUE(peer.ok());
  EXPECT_EQ(derive(alice->get(), peer->get()), hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
}

TEST(CryptoPkeyEc, WrongKeyTypes) {
  auto rsa = rsa_generate(1024);
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(ec_attrs_from_pkey(rsa->get(), false).rv(), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(curve_of_pkey(rsa->get()).rv(), CKR_KEY_TYPE_INCONSISTENT);
  PkeyPtr brainpool(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "brainpoolP256r1"));
  ASSERT_TRUE(brainpool);
  EXPECT_EQ(key_type_of(brainpool.get()).rv(), CKR_CURVE_NOT_SUPPORTED);
  auto ed = ec_generate(curve("Ed448"));
  ASSERT_TRUE(ed.ok());
  EXPECT_EQ(rsa_attrs_from_pkey(ed->get(), true).rv(), CKR_KEY_TYPE_INCONSISTENT);
  auto pub_only = public_pkey_from_attrs(*public_key_attrs_from_pkey(ed->get()));
  ASSERT_TRUE(pub_only.ok());
  EXPECT_EQ(private_key_attrs_from_pkey(pub_only->get()).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(private_key_to_pkcs8(pub_only->get()).rv(), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_FALSE(has_private_key(pub_only->get()));
  EXPECT_TRUE(has_private_key(ed->get()));
  AttributeSet none;
  EXPECT_EQ(private_pkey_from_attrs(none).rv(), CKR_TEMPLATE_INCOMPLETE);
  none.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_DSA));
  EXPECT_EQ(public_pkey_from_attrs(none).rv(), CKR_KEY_TYPE_INCONSISTENT);
}

// ---- RSA ---------------------------------------------------------------------------------------

class CryptoPkeyRsa : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto k = rsa_generate(2048);
    ASSERT_TRUE(k.ok());
    key_ = std::move(*k).release();
  }
  static void TearDownTestSuite() { EVP_PKEY_free(key_); }

  static AttributeSet priv_attrs() { return std::move(*private_key_attrs_from_pkey(key_)); }
  static AttributeSet pub_attrs() { return std::move(*public_key_attrs_from_pkey(key_)); }

  // Signs with a key built from `attrs` and verifies with the generated public key.
  static void expect_signs(const AttributeSet& attrs) {
    auto priv = private_pkey_from_attrs(attrs);
    ASSERT_TRUE(priv.ok()) << priv.error().reason;
    const Bytes msg = text("n and d");
    const Bytes sig = sign(priv->get(), "SHA256", msg);
    ASSERT_EQ(sig.size(), 256u);
    auto pub = public_pkey_from_attrs(pub_attrs());
    ASSERT_TRUE(pub.ok());
    EXPECT_TRUE(verify(pub->get(), "SHA256", msg, sig));
  }

  static EVP_PKEY* key_;
};
EVP_PKEY* CryptoPkeyRsa::key_ = nullptr;

TEST_F(CryptoPkeyRsa, RoundTripWithCrt) {
  const AttributeSet priv = priv_attrs();
  const AttributeSet pub = pub_attrs();
  EXPECT_EQ(priv.get_ulong(CKA_KEY_TYPE), CKK_RSA);
  EXPECT_EQ(priv.size(), 9u);  // key type, n, e, d, p, q, dP, dQ, qInv
  EXPECT_EQ(pub.get_ulong(CKA_MODULUS_BITS), 2048u);
  EXPECT_EQ(attr(pub, CKA_PUBLIC_EXPONENT), hex("010001"));
  EXPECT_FALSE(priv.contains(CKA_MODULUS_BITS));
  for (const auto& [type, a] : priv) {
    if (type != CKA_KEY_TYPE) {
      EXPECT_NE(a.value.span().front(), 0) << std::hex << type;  // no leading zeros
    }
  }
  auto p = private_pkey_from_attrs(priv);
  auto q = public_pkey_from_attrs(pub);
  ASSERT_TRUE(p.ok() && q.ok());
  expect_same(*private_key_attrs_from_pkey(p->get()), priv);
  expect_same(*public_key_attrs_from_pkey(q->get()), pub);
  expect_signs(priv);
}

TEST_F(CryptoPkeyRsa, WithoutCrt) {
  AttributeSet a = priv_attrs();
  for (CK_ATTRIBUTE_TYPE t : {CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2, CKA_COEFFICIENT}) a.erase(t);
  expect_signs(a);
  auto p = private_pkey_from_attrs(a);
  ASSERT_TRUE(p.ok());
  expect_same(*private_key_attrs_from_pkey(p->get()), a);  // nothing invented
}

TEST_F(CryptoPkeyRsa, ModulusAndPrivateExponentOnly) {
  AttributeSet a;
  a.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_RSA));
  const AttributeSet full = priv_attrs();
  a.set(full.find(CKA_MODULUS)->clone());
  a.set(full.find(CKA_PRIVATE_EXPONENT)->clone());
  expect_signs(a);
  auto p = private_pkey_from_attrs(a);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(attr(*private_key_attrs_from_pkey(p->get()), CKA_PUBLIC_EXPONENT), hex("010001"));  // recovered
}

TEST_F(CryptoPkeyRsa, PrimesWithoutExponents) {
  const AttributeSet full = priv_attrs();
  AttributeSet a;
  a.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_RSA));
  for (CK_ATTRIBUTE_TYPE t : {CKA_MODULUS, CKA_PRIVATE_EXPONENT, CKA_PRIME_1, CKA_PRIME_2}) a.set(full.find(t)->clone());
  auto p = private_pkey_from_attrs(a);
  ASSERT_TRUE(p.ok());
  expect_same(*private_key_attrs_from_pkey(p->get()), full);  // e, dP, dQ, qInv computed
  expect_signs(a);
}

TEST_F(CryptoPkeyRsa, Rejections) {
  AttributeSet a = priv_attrs();
  a.set(Attribute::make_bytes(CKA_PRIME_1, hex("0b")));
  EXPECT_EQ(private_pkey_from_attrs(a).rv(), CKR_ATTRIBUTE_VALUE_INVALID);  // p·q != n
  a = priv_attrs();
  a.erase(CKA_PRIVATE_EXPONENT);
  EXPECT_EQ(private_pkey_from_attrs(a).rv(), CKR_TEMPLATE_INCOMPLETE);
  a = priv_attrs();
  a.erase(CKA_MODULUS);
  EXPECT_EQ(private_pkey_from_attrs(a).rv(), CKR_TEMPLATE_INCOMPLETE);

  AttributeSet pub = pub_attrs();
  pub.set(Attribute::make_bytes(CKA_PUBLIC_EXPONENT, hex("010000")));
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  pub.set(Attribute::make_bytes(CKA_PUBLIC_EXPONENT, hex("01")));
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  pub.erase(CKA_PUBLIC_EXPONENT);
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_TEMPLATE_INCOMPLETE);
  pub = pub_attrs();
  Bytes even = attr(pub, CKA_MODULUS);
  even.back() &= 0xFE;
  pub.set(Attribute::make_bytes(CKA_MODULUS, even));
  EXPECT_EQ(public_pkey_from_attrs(pub).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
}

TEST(CryptoRsaGenerate, SizesAndExponents) {
  EXPECT_EQ(rsa_generate(1023).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(rsa_generate(16385).rv(), CKR_KEY_SIZE_RANGE);
  EXPECT_EQ(rsa_generate(2048, hex("010000")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(rsa_generate(2048, hex("01")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(rsa_generate(2048, Bytes(33, 0xFF)).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  // e = 7 is valid, but n and d alone cannot reveal it (not among the usual exponents).
  auto k = rsa_generate(1024, hex("0007"));
  ASSERT_TRUE(k.ok());
  const AttributeSet full = std::move(*private_key_attrs_from_pkey(k->get()));
  EXPECT_EQ(attr(full, CKA_PUBLIC_EXPONENT), hex("07"));
  AttributeSet nd;
  nd.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_RSA));
  nd.set(full.find(CKA_MODULUS)->clone());
  nd.set(full.find(CKA_PRIVATE_EXPONENT)->clone());
  EXPECT_EQ(private_pkey_from_attrs(nd).rv(), CKR_TEMPLATE_INCOMPLETE);
  nd.set(full.find(CKA_PRIME_1)->clone());
  nd.set(full.find(CKA_PRIME_2)->clone());
  auto from_primes = private_pkey_from_attrs(nd);
  ASSERT_TRUE(from_primes.ok());
  EXPECT_EQ(attr(*private_key_attrs_from_pkey(from_primes->get()), CKA_PUBLIC_EXPONENT), hex("07"));
}

// ---- PKCS#8 and SubjectPublicKeyInfo ------------------------------------------------------------

TEST_F(CryptoPkeyRsa, Pkcs8AndSpkiRoundTrip) {
  auto der = private_key_to_pkcs8(key_);
  ASSERT_TRUE(der.ok());
  auto back = private_key_from_pkcs8(der->span());
  ASSERT_TRUE(back.ok());
  expect_same(*private_key_attrs_from_pkey(back->get()), priv_attrs());
  auto spki = public_key_info_der(key_);
  ASSERT_TRUE(spki.ok());
  auto pub = public_key_from_spki(*spki);
  ASSERT_TRUE(pub.ok());
  expect_same(*public_key_attrs_from_pkey(pub->get()), pub_attrs());
  EXPECT_EQ(private_key_to_pkcs8(pub->get()).rv(), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(private_key_attrs_from_pkey(pub->get()).rv(), CKR_ARGUMENTS_BAD);
  EXPECT_FALSE(has_private_key(pub->get()));
  EXPECT_TRUE(has_private_key(key_));
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(CryptoPkcs8, RoundTripEveryCurve) {
  for (const Curve& c : all_curves()) {
    SCOPED_TRACE(std::string(c.name));
    auto key = ec_generate(c);
    ASSERT_TRUE(key.ok());
    // Through attributes first, so the PKCS#8 comes from a key built by this layer.
    auto built = private_pkey_from_attrs(*private_key_attrs_from_pkey(key->get()));
    ASSERT_TRUE(built.ok());
    auto der = private_key_to_pkcs8(built->get());
    ASSERT_TRUE(der.ok());
    auto back = private_key_from_pkcs8(der->span());
    ASSERT_TRUE(back.ok());
    expect_same(*private_key_attrs_from_pkey(back->get()), *private_key_attrs_from_pkey(key->get()));
    auto spki = public_key_info_der(built->get());
    ASSERT_TRUE(spki.ok());
    auto pub = public_key_from_spki(*spki);
    ASSERT_TRUE(pub.ok());
    expect_same(*public_key_attrs_from_pkey(pub->get()), *public_key_attrs_from_pkey(key->get()));
    expect_pair_works(c, back->get(), pub->get());
  }
}

TEST(CryptoPkcs8, Ed25519SpkiIsRfc8410) {
  auto key = private_pkey_from_attrs([] {
    AttributeSet a;
    a.set(Attribute::make_ulong(CKA_KEY_TYPE, CKK_EC_EDWARDS));
    a.set(Attribute::make_bytes(CKA_EC_PARAMS, hex("06032b6570")));
    a.set(Attribute::make_bytes(CKA_VALUE, hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
    return a;
  }());
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*public_key_info_der(key->get()),
            hex("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
  auto der = private_key_to_pkcs8(key->get());
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(vec(der->span()),
            hex("302e020100300506032b657004220420" "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
}

TEST(CryptoPkcs8, Rejections) {
  EXPECT_EQ(private_key_from_pkcs8({}).rv(), CKR_WRAPPED_KEY_INVALID);
  EXPECT_EQ(private_key_from_pkcs8(text("not DER at all")).rv(), CKR_WRAPPED_KEY_INVALID);
  EXPECT_EQ(public_key_from_spki(text("not DER at all")).rv(), CKR_ATTRIBUTE_VALUE_INVALID);

  auto a = ec_generate(curve("P-256"));
  auto b = ec_generate(curve("P-256"));
  ASSERT_TRUE(a.ok() && b.ok());
  SecureBytes der = std::move(*private_key_to_pkcs8(a->get()));
  Bytes trailing = vec(der.span());
  trailing.push_back(0);
  EXPECT_EQ(private_key_from_pkcs8(trailing).rv(), CKR_WRAPPED_KEY_INVALID);
  Bytes truncated = vec(der.span());
  truncated.pop_back();
  EXPECT_EQ(private_key_from_pkcs8(truncated).rv(), CKR_WRAPPED_KEY_INVALID);

  // OpenSSL ends an EC PrivateKeyInfo with the public point; put another key's point there.
  Bytes mismatched = vec(der.span());
  const Bytes other = vec(*decode_ec_point(curve("P-256"), *ec_point_of_pkey(b->get())));
  const Bytes own = *ec_point_of_pkey(a->get());
  ASSERT_EQ(Bytes(mismatched.end() - 65, mismatched.end()), Bytes(own.begin() + 2, own.end()));
  std::copy(other.begin(), other.end(), mismatched.end() - 65);
  EXPECT_EQ(private_key_from_pkcs8(mismatched).rv(), CKR_WRAPPED_KEY_INVALID);

  PkeyPtr brainpool(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "brainpoolP256r1"));
  ASSERT_TRUE(brainpool);
  EXPECT_EQ(private_key_from_pkcs8(private_key_to_pkcs8(brainpool.get())->span()).rv(), CKR_CURVE_NOT_SUPPORTED);
  EXPECT_EQ(public_key_from_spki(*public_key_info_der(brainpool.get())).rv(), CKR_CURVE_NOT_SUPPORTED);

  // A key algorithm the token does not support: finite-field DH.
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
  ASSERT_TRUE(ctx);
  ASSERT_EQ(EVP_PKEY_keygen_init(ctx.get()), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_group_name(ctx.get(), "ffdhe2048"), 1);
  EVP_PKEY* raw = nullptr;
  ASSERT_EQ(EVP_PKEY_generate(ctx.get(), &raw), 1);
  const PkeyPtr dh(raw);
  auto dh_der = private_key_to_pkcs8(dh.get());
  ASSERT_TRUE(dh_der.ok());
  EXPECT_EQ(private_key_from_pkcs8(dh_der->span()).rv(), CKR_WRAPPED_KEY_INVALID);
  EXPECT_EQ(public_key_from_spki(*public_key_info_der(dh.get())).rv(), CKR_ATTRIBUTE_VALUE_INVALID);
  EXPECT_EQ(private_key_attrs_from_pkey(dh.get()).rv(), CKR_KEY_TYPE_INCONSISTENT);
  EXPECT_EQ(ERR_peek_error(), 0u);  // every failure drained the OpenSSL error queue
}

// ---- digests -----------------------------------------------------------------------------------

TEST(CryptoDigest, MechanismsAndSizes) {
  const std::pair<CK_MECHANISM_TYPE, std::size_t> cases[] = {
      {CKM_SHA_1, 20},      {CKM_SHA224, 28},     {CKM_SHA256, 32},     {CKM_SHA384, 48},
      {CKM_SHA512, 64},     {CKM_SHA512_224, 28}, {CKM_SHA512_256, 32}, {CKM_SHA3_224, 28},
      {CKM_SHA3_256, 32},   {CKM_SHA3_384, 48},   {CKM_SHA3_512, 64},
  };
  for (const auto& [mech, size] : cases) {
    const EVP_MD* md = md_for(mech);
    ASSERT_NE(md, nullptr) << std::hex << mech;
    EXPECT_EQ(md, md_for(mech));  // fetched once
    EXPECT_EQ(static_cast<std::size_t>(EVP_MD_get_size(md)), size);
    EXPECT_EQ(digest_size(mech), size);
  }
  EXPECT_EQ(md_for(CKM_MD5), nullptr);
  EXPECT_EQ(digest_size(CKM_SHA512_T), 0u);
  EXPECT_EQ(digest(CKM_MD5, text("abc")).rv(), CKR_MECHANISM_INVALID);
}

TEST(CryptoDigest, KnownAnswers) {
  EXPECT_EQ(*digest(CKM_SHA_1, text("abc")), hex("a9993e364706816aba3e25717850c26c9cd0d89d"));
  EXPECT_EQ(*digest(CKM_SHA256, text("abc")), hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_EQ(*digest(CKM_SHA512_256, text("abc")),
            hex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"));
  EXPECT_EQ(*digest(CKM_SHA3_256, text("abc")),
            hex("3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"));
  EXPECT_EQ(*digest(CKM_SHA256, {}), hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST(CryptoDigest, Mgf1AndThreads) {
  EXPECT_EQ(hash_for_mgf(CKG_MGF1_SHA1), CKM_SHA_1);
  EXPECT_EQ(hash_for_mgf(CKG_MGF1_SHA224), CKM_SHA224);
  EXPECT_EQ(hash_for_mgf(CKG_MGF1_SHA3_512), CKM_SHA3_512);
  EXPECT_FALSE(hash_for_mgf(0).has_value());
  EXPECT_EQ(md_for_mgf(CKG_MGF1_SHA384), md_for(CKM_SHA384));
  EXPECT_EQ(md_for_mgf(0x99), nullptr);
  std::vector<std::thread> threads;
  std::vector<const EVP_MD*> seen(4);
  for (std::size_t i = 0; i < seen.size(); ++i) threads.emplace_back([&seen, i] { seen[i] = md_for(CKM_SHA3_384); });
  for (auto& t : threads) t.join();
  for (const EVP_MD* md : seen) EXPECT_EQ(md, md_for(CKM_SHA3_384));
}

}  // namespace
}  // namespace craton::crypto
