// Shared pieces of the elliptic-curve families (ec_keygen, ecdsa, eddsa, ecdh): the parsed key,
// the mechanism-info flags, and the buffer that single-shot algorithms use for multi-part calls.
// Thread safety: EcKey is immutable once built and shared between operations; MessageBuffer
// belongs to one operation.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "crypto/ossl/curves.h"
#include "crypto/ossl/scopers.h"
#include "mech/mechanism.h"

namespace craton::mech {

// An EC, Edwards or Montgomery key parsed once per object version (KeyRef::parsed).
class EcKey final : public object::ParsedKey {
 public:
  EcKey(crypto::PkeyPtr pkey, const crypto::Curve* curve) : pkey_(std::move(pkey)), curve_(curve) {}
  // OpenSSL takes non-const EVP_PKEYs; using one does not change it.
  EVP_PKEY* pkey() const noexcept { return pkey_.get(); }
  const crypto::Curve& curve() const noexcept { return *curve_; }

 private:
  crypto::PkeyPtr pkey_;
  const crypto::Curve* curve_;
};

// The parsed private key (CKA_EC_PARAMS + CKA_VALUE) or public key (CKA_EC_PARAMS + CKA_EC_POINT)
// of `key`; another object class → CKR_KEY_TYPE_INCONSISTENT.
Result<std::shared_ptr<const EcKey>> ec_private_key(const KeyRef& key);
Result<std::shared_ptr<const EcKey>> ec_public_key(const KeyRef& key);

// CK_MECHANISM_INFO flags of the X9.62 mechanisms: prime fields, named curves given as OID or
// (3.0) as curve name, uncompressed points produced. Compressed points are accepted on input
// (CKA_EC_POINT, ECDH peer values), so mechanisms that only read points add CKF_EC_COMPRESS.
inline constexpr CK_FLAGS kEcCurveFlags = CKF_EC_F_P | CKF_EC_OID | CKF_EC_CURVENAME;
inline constexpr CK_FLAGS kEcPointFlags = kEcCurveFlags | CKF_EC_UNCOMPRESS;

// Input kept for an algorithm that needs the whole message at once (raw ECDSA, pure EdDSA). A
// message beyond kMaxBuffered → CKR_TOKEN_RESOURCE_EXCEEDED.
class MessageBuffer {
 public:
  static constexpr std::size_t kMaxBuffered = 64UL * 1024 * 1024;
  Status append(std::span<const std::uint8_t> data);
  std::span<const std::uint8_t> data() const noexcept { return {buf_.data(), buf_.size()}; }

 private:
  Bytes buf_;
};

}  // namespace craton::mech
