#include "crypto/ossl/curves.h"

#include <openssl/obj_mac.h>

#include <algorithm>
#include <array>
#include <string>

#include "crypto/ossl/der.h"

namespace craton::crypto {
namespace {

// DER of the namedCurve OIDs: SEC 2 / X9.62 for the Weierstrass curves, RFC 8410 for the others.
constexpr std::array<std::uint8_t, 10> kOidP256{0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
constexpr std::array<std::uint8_t, 7> kOidP384{0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};
constexpr std::array<std::uint8_t, 7> kOidP521{0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23};
constexpr std::array<std::uint8_t, 7> kOidSecp256k1{0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A};
constexpr std::array<std::uint8_t, 5> kOidEd25519{0x06, 0x03, 0x2B, 0x65, 0x70};
constexpr std::array<std::uint8_t, 5> kOidEd448{0x06, 0x03, 0x2B, 0x65, 0x71};
constexpr std::array<std::uint8_t, 5> kOidX25519{0x06, 0x03, 0x2B, 0x65, 0x6E};
constexpr std::array<std::uint8_t, 5> kOidX448{0x06, 0x03, 0x2B, 0x65, 0x6F};

using F = CurveForm;
const std::array<Curve, 8> kCurves{{
    {"P-256", CKK_EC, F::kWeierstrass, kOidP256, {"prime256v1", "secp256r1", "P-256", "nistp256"},
     "prime256v1", NID_X9_62_prime256v1, 256, 32},
    {"P-384", CKK_EC, F::kWeierstrass, kOidP384, {"secp384r1", "P-384", "nistp384", ""}, "secp384r1",
     NID_secp384r1, 384, 48},
    {"P-521", CKK_EC, F::kWeierstrass, kOidP521, {"secp521r1", "P-521", "nistp521", ""}, "secp521r1",
     NID_secp521r1, 521, 66},
    {"secp256k1", CKK_EC, F::kWeierstrass, kOidSecp256k1, {"secp256k1", "", "", ""}, "secp256k1",
     NID_secp256k1, 256, 32},
    {"Ed25519", CKK_EC_EDWARDS, F::kEdwards, kOidEd25519, {"edwards25519", "Ed25519", "", ""}, "ED25519",
     NID_ED25519, 255, 32},
    {"Ed448", CKK_EC_EDWARDS, F::kEdwards, kOidEd448, {"edwards448", "Ed448", "", ""}, "ED448", NID_ED448,
     448, 57},
    {"X25519", CKK_EC_MONTGOMERY, F::kMontgomery, kOidX25519, {"curve25519", "X25519", "", ""}, "X25519",
     NID_X25519, 255, 32},
    {"X448", CKK_EC_MONTGOMERY, F::kMontgomery, kOidX448, {"curve448", "X448", "", ""}, "X448", NID_X448,
     448, 56},
}};

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

const Curve* find_by_name(std::string_view name) noexcept {
  if (name.empty()) return nullptr;
  for (const Curve& c : kCurves) {
    if (iequal(c.name, name) || iequal(std::string_view(c.ossl_name), name)) return &c;
    for (std::string_view n : c.names) {
      if (!n.empty() && iequal(n, name)) return &c;
    }
  }
  return nullptr;
}

Result<const Curve*> from_oid(std::span<const std::uint8_t> der) {
  for (const Curve& c : kCurves) {
    if (std::equal(der.begin(), der.end(), c.oid_der.begin(), c.oid_der.end())) return &c;
  }
  return fail(CKR_CURVE_NOT_SUPPORTED, "unknown curve OID");
}

}  // namespace

std::span<const Curve> all_curves() noexcept { return kCurves; }

Result<const Curve*> curve_from_ec_params(std::span<const std::uint8_t> der) {
  const auto tlv = der_read_header(der);
  if (!tlv) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_PARAMS is not DER");
  const std::size_t present = der.size() - tlv->header_len;
  switch (tlv->tag) {
    case kDerOid:
      if (tlv->declared_len != present || present == 0) {
        return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_PARAMS: bad OID length");
      }
      return from_oid(der);
    case kDerPrintableString: {
      // pkcs11-tool 0.23's "curve25519" declares one byte more than it sends (FACTS §4.6).
      const bool exact = tlv->declared_len == present;
      const bool short_by_one = tlv->declared_len == present + 1;
      if ((!exact && !short_by_one) || present == 0) {
        return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_PARAMS: bad curve name length");
      }
      const std::string text(tlv->content.begin(), tlv->content.end());
      const Curve* c = find_by_name(text);
      if (c == nullptr) return fail(CKR_CURVE_NOT_SUPPORTED, "unknown curve name");
      return c;
    }
    case kDerSequence:
    case kDerNull:
      return fail(CKR_CURVE_NOT_SUPPORTED, "only named curves are supported");
    default:
      return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_PARAMS must be an OID or a curve name");
  }
}

Result<const Curve*> curve_for_key_type(std::span<const std::uint8_t> der, CK_KEY_TYPE key_type) {
  CRATON_ASSIGN_OR_RETURN(const Curve* c, curve_from_ec_params(der));
  if (c->key_type != key_type) return fail(CKR_CURVE_NOT_SUPPORTED, "curve does not belong to this key type");
  return c;
}

Result<const Curve*> curve_by_name(std::string_view name) {
  const Curve* c = find_by_name(name);
  if (c == nullptr) return fail(CKR_CURVE_NOT_SUPPORTED, "unknown curve name");
  return c;
}

}  // namespace craton::crypto
