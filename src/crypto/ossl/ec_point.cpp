#include "crypto/ossl/ec_point.h"

namespace craton::crypto {
namespace {

// X9.62 prefixes: 02/03 compressed, 04 uncompressed (06/07 hybrid and 00 infinity are refused).
bool acceptable_public(const Curve& curve, std::span<const std::uint8_t> v) noexcept {
  if (!curve.weierstrass()) return v.size() == curve.key_bytes;
  if (v.empty()) return false;
  const std::size_t k = curve.key_bytes;
  if (v[0] == 0x04) return v.size() == 1 + 2 * k;
  if (v[0] == 0x02 || v[0] == 0x03) return v.size() == 1 + k;
  return false;
}

std::span<const std::uint8_t> unwrap(const Curve& curve, std::span<const std::uint8_t> v) noexcept {
  if (const auto inner = der_exact(v, kDerOctetString); inner && acceptable_public(curve, *inner)) return *inner;
  return acceptable_public(curve, v) ? v : std::span<const std::uint8_t>{};
}

}  // namespace

Bytes ec_point_attr(std::span<const std::uint8_t> public_key) { return der_octet_string(public_key); }

Result<std::span<const std::uint8_t>> decode_ec_point(const Curve& curve, std::span<const std::uint8_t> attr) {
  const auto v = unwrap(curve, attr);
  if (v.empty()) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_EC_POINT has the wrong form or length");
  return v;
}

Result<std::span<const std::uint8_t>> decode_ecdh_public_data(const Curve& curve,
                                                              std::span<const std::uint8_t> data) {
  const auto v = unwrap(curve, data);
  if (v.empty()) return fail(CKR_MECHANISM_PARAM_INVALID, "ECDH public data has the wrong form or length");
  return v;
}

}  // namespace craton::crypto
