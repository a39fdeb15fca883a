// Known-answer tests of RSA (PKCS#1 v1.5 signatures, OAEP), ECDSA, EdDSA and ECDH, through the
// operations the mechanisms call (crypto/ossl/rsa_ops.h, ec_ops.h) on keys parsed the way the
// token parses them (pkcs8.h, pkey_ec.h).
//
// ECDSA signing is randomised in OpenSSL 3.0 (no way to fix k through EVP), so its signature
// cannot be a known answer: the sign test signs and verifies with the vector's curve and hash
// after the verify test checked an official signature. docs/SELF_TESTS.md records this.
#include "crypto/ossl/digest.h"
#include "crypto/ossl/ec_ops.h"
#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/pkey_ec.h"
#include "crypto/ossl/rsa_ops.h"
#include "object/attribute.h"
#include "selftest/kat.h"
#include "selftest/kat_vectors.h"

namespace craton::selftest::detail {
namespace {

namespace v = vectors;
using crypto::Bytes;
using object::Attribute;

constexpr Error kRefused = fail(CKR_FIPS_SELF_TEST_FAILED, "known-good signature refused");

// An EC / Edwards private key from CKA_EC_PARAMS and CKA_VALUE, as a private-key object gives it.
Result<crypto::PkeyPtr> ec_private(const crypto::Curve& curve, std::string_view value_hex) {
  object::AttributeSet attrs;
  attrs.set(Attribute::make_bytes(CKA_EC_PARAMS, curve.oid_der));
  attrs.set(Attribute::make_bytes(CKA_VALUE, unhex(value_hex)));
  return crypto::ec_private_from_attrs(attrs);
}

}  // namespace

Status kat_rsa_sign() {
  constexpr const char* kTest = "kat.rsa_sign";
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr key, crypto::private_key_from_pkcs8(unhex(v::kRsaSigKeyPkcs8)));
  const auto scheme = crypto::rsa_scheme(crypto::RsaPad::kPkcs1, crypto::md_for(CKM_SHA256));
  const auto msg = unhex(v::kRsaSigMsg);
  CRATON_ASSIGN_OR_RETURN(auto signer, crypto::RsaDigestContext::start_sign(key.get(), scheme));
  CRATON_ASSIGN_OR_RETURN(const Bytes sig, signer.sign_once(msg));
  CRATON_TRY(expect(kTest, sig, v::kRsaSig));
  CRATON_ASSIGN_OR_RETURN(auto verifier, crypto::RsaDigestContext::start_verify(key.get(), scheme));
  if (!verifier.verify_once(msg, maybe_corrupt(kTest, unhex(v::kRsaSig))).ok()) return kRefused;
  return ok_status();
}

Status kat_rsa_oaep() {
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr key, crypto::private_key_from_pkcs8(unhex(v::kOaepKeyPkcs8)));
  const auto scheme =
      crypto::rsa_scheme(crypto::RsaPad::kOaep, crypto::md_for(CKM_SHA256), crypto::md_for(CKM_SHA256));
  auto plain = crypto::rsa_decrypt(key.get(), scheme, unhex(v::kOaepCipher));
  if (!plain.ok()) return fail(CKR_FIPS_SELF_TEST_FAILED, "known ciphertext refused");
  CRATON_TRY(expect("kat.rsa_oaep", plain->span(), v::kOaepMsg));
  // Encryption is randomised; a round trip checks the public-key direction.
  const auto msg = unhex(v::kOaepMsg);
  CRATON_ASSIGN_OR_RETURN(const Bytes ct, crypto::rsa_encrypt(key.get(), scheme, msg));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes back, crypto::rsa_decrypt(key.get(), scheme, ct));
  return expect("kat.rsa_oaep", back.span(), v::kOaepMsg);
}

Status kat_ecdsa() {
  constexpr const char* kTest = "kat.ecdsa";
  CRATON_ASSIGN_OR_RETURN(const crypto::Curve* curve, crypto::curve_by_name("P-256"));
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr pub, crypto::ec_public_from_point(*curve, unhex(v::kEcdsaPublic)));
  CRATON_ASSIGN_OR_RETURN(const Bytes hash, crypto::digest(CKM_SHA256, unhex(v::kEcdsaMsg)));
  if (!crypto::ecdsa_verify(pub.get(), *curve, hash, maybe_corrupt(kTest, unhex(v::kEcdsaSig))).ok()) return kRefused;
  // Signing: a fresh key on the same curve signs the same hash, and the signature must verify.
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr key, crypto::ec_generate(*curve));
  CRATON_ASSIGN_OR_RETURN(const Bytes sig, crypto::ecdsa_sign(key.get(), *curve, hash));
  if (!crypto::ecdsa_verify(key.get(), *curve, hash, maybe_corrupt(kTest, sig)).ok()) return kRefused;
  return ok_status();
}

Status kat_eddsa() {
  constexpr const char* kTest = "kat.eddsa";
  CRATON_ASSIGN_OR_RETURN(const crypto::Curve* curve, crypto::curve_by_name("Ed25519"));
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr key, ec_private(*curve, v::kEd25519Secret));
  const auto msg = unhex(v::kEd25519Msg);
  CRATON_ASSIGN_OR_RETURN(const Bytes sig, crypto::eddsa_sign(key.get(), *curve, {}, msg));
  CRATON_TRY(expect(kTest, sig, v::kEd25519Sig));
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr pub, crypto::ec_public_from_point(*curve, unhex(v::kEd25519Public)));
  if (!crypto::eddsa_verify(pub.get(), *curve, {}, msg, maybe_corrupt(kTest, unhex(v::kEd25519Sig))).ok()) {
    return kRefused;
  }
  return ok_status();
}

Status kat_ecdh() {
  CRATON_ASSIGN_OR_RETURN(const crypto::Curve* curve, crypto::curve_by_name("P-256"));
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr key, ec_private(*curve, v::kEcdhPrivate));
  CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr peer,
                          crypto::ec_public_from_point(*curve, unhex(v::kEcdhPeer), CKR_MECHANISM_PARAM_INVALID));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes z, crypto::ecdh_shared_secret(key.get(), peer.get(), false));
  return expect("kat.ecdh", z.span(), v::kEcdhShared);
}

}  // namespace craton::selftest::detail
