#include "object/key_approval.h"

#include "crypto/ossl/curves.h"

namespace craton::object {
namespace {

// Bits of a big-endian unsigned integer.
std::size_t bit_length(std::span<const std::uint8_t> v) {
  std::size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  if (i == v.size()) return 0;
  std::size_t bits = (v.size() - i - 1) * 8;
  for (std::uint8_t b = v[i]; b != 0; b >>= 1) ++bits;
  return bits;
}

bool curve_approved(const AttributeSet& key, CK_KEY_TYPE kt) {
  const auto params = key.get_bytes(CKA_EC_PARAMS);
  if (!params) return false;
  auto curve = crypto::curve_from_ec_params(*params);
  if (!curve.ok()) return false;
  const std::string_view name = (*curve)->name;
  if (kt == CKK_EC) return name == "P-256" || name == "P-384" || name == "P-521";
  return name == "Ed25519" || name == "Ed448";  // CKK_EC_EDWARDS
}

// SP 800-131A: HMAC and KDF keys of at least 112 bits.
constexpr std::size_t kMinSecretBytes = 14;

}  // namespace

bool key_parameters_approved(const AttributeSet& key) {
  const auto kt = key.get_ulong(CKA_KEY_TYPE);
  if (!kt) return false;
  switch (*kt) {
    case CKK_RSA: {
      const auto n = key.get_bytes(CKA_MODULUS);
      return n && bit_length(*n) >= 2048;
    }
    case CKK_EC:
    case CKK_EC_EDWARDS:
      return curve_approved(key, *kt);
    case CKK_ML_KEM:
    case CKK_ML_DSA:
    case CKK_SLH_DSA:
    case CKK_AES:
      return true;
    case CKK_GENERIC_SECRET:
    case CKK_HKDF:
    case CKK_SHA_1_HMAC:
    case CKK_SHA224_HMAC:
    case CKK_SHA256_HMAC:
    case CKK_SHA384_HMAC:
    case CKK_SHA512_HMAC:
    case CKK_SHA512_224_HMAC:
    case CKK_SHA512_256_HMAC:
    case CKK_SHA3_224_HMAC:
    case CKK_SHA3_256_HMAC:
    case CKK_SHA3_384_HMAC:
    case CKK_SHA3_512_HMAC: {
      // The length only, never the bytes (build_produced's prototype relies on it, object.h).
      const auto v = key.get_bytes(CKA_VALUE);
      return v && v->size() >= kMinSecretBytes;
    }
    default:
      return false;  // X25519/X448, ChaCha20, hybrids, and anything added later until reviewed
  }
}

void set_key_validation(AttributeSet& key, bool approved) {
  key.set_ulong(CKA_OBJECT_VALIDATION_FLAGS, approved ? kFipsValidationFlag : 0);
  key.set_bool(CKA_CRATON_FIPS_APPROVED, approved);
}

}  // namespace craton::object
