#include "mech/ec_common.h"

#include "crypto/ossl/pkey_ec.h"

namespace craton::mech {
namespace {

using Parsed = Result<std::shared_ptr<const EcKey>>;

// Objects are not validated cryptographically when they are created, so a stored key can still be
// unusable: its values do not form a key (not on the curve, scalar out of range, wrong length).
Parsed make(Result<crypto::PkeyPtr> pkey, CK_RV unusable) {
  if (!pkey.ok()) {
    const CK_RV rv = pkey.rv();
    if (rv == CKR_HOST_MEMORY || rv == CKR_CURVE_NOT_SUPPORTED) return pkey.error();
    return fail(unusable, "the key's attributes do not form a valid key");
  }
  CRATON_ASSIGN_OR_RETURN(const crypto::Curve* curve, crypto::curve_of_pkey(pkey->get()));
  return std::make_shared<const EcKey>(std::move(*pkey), curve);
}

}  // namespace

Result<std::shared_ptr<const EcKey>> ec_private_key(const KeyRef& key) {
  if (key.object_class() != CKO_PRIVATE_KEY) return fail(CKR_KEY_TYPE_INCONSISTENT, "a private key is needed");
  return key.parsed<EcKey>([](const object::AttributeSet& a) {
    return make(crypto::ec_private_from_attrs(a), CKR_KEY_TYPE_INCONSISTENT);
  });
}

Result<std::shared_ptr<const EcKey>> ec_public_key(const KeyRef& key) {
  if (key.object_class() != CKO_PUBLIC_KEY) return fail(CKR_KEY_TYPE_INCONSISTENT, "a public key is needed");
  return key.parsed<EcKey>([](const object::AttributeSet& a) {
    return make(crypto::ec_public_from_attrs(a), CKR_PUBLIC_KEY_INVALID);
  });
}

Status MessageBuffer::append(std::span<const std::uint8_t> data) {
  if (data.size() > kMaxBuffered - buf_.size()) {
    return fail(CKR_TOKEN_RESOURCE_EXCEEDED, "message too long for a single-shot signature");
  }
  buf_.insert(buf_.end(), data.begin(), data.end());
  return {};
}

}  // namespace craton::mech
