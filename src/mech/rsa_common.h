// The RSA mechanism family (PKCS#11 3.2 §6.1; RFC 8017), split by concern:
//   rsa_common.cpp  the parsed key, the one Mechanism class and the registrations (rsa_mechanisms());
//   rsa_keygen.cpp  CKM_RSA_PKCS_KEY_PAIR_GEN;
//   rsa_sign.cpp    sign / verify / sign-recover / verify-recover (PKCS#1 v1.5, raw, PSS, hash-and-sign);
//   rsa_cipher.cpp  encrypt / decrypt / wrap / unwrap (PKCS#1 v1.5, raw, OAEP).
// The OpenSSL calls live in crypto/ossl/rsa_ops.h and pkey_rsa.h.
// Thread safety: RsaKey is immutable and shared by every operation on the same object version;
// operations belong to one session.
#pragma once

#include <memory>

#include "crypto/ossl/rsa_ops.h"
#include "crypto/ossl/scopers.h"
#include "mech/mechanism.h"

namespace craton::mech {

// Modulus sizes the operations accept (CK_MECHANISM_INFO, bits).
inline constexpr CK_ULONG kRsaMinBits = 1024;
inline constexpr CK_ULONG kRsaMaxBits = 16384;

// An RSA key object decoded once per object version (KeyRef::parsed): the public key, or the
// private key with or without its CRT values.
class RsaKey final : public object::ParsedKey {
 public:
  explicit RsaKey(crypto::PkeyPtr pkey)
      : pkey_(std::move(pkey)), bits_(crypto::rsa_modulus_bits(pkey_.get())),
        bytes_(crypto::rsa_modulus_bytes(pkey_.get())) {}
  // Not const: OpenSSL takes EVP_PKEY* even where it only reads (and locks internally).
  EVP_PKEY* pkey() const noexcept { return pkey_.get(); }
  std::size_t bits() const noexcept { return bits_; }
  std::size_t bytes() const noexcept { return bytes_; }  // k

 private:
  crypto::PkeyPtr pkey_;
  std::size_t bits_;
  std::size_t bytes_;
};

// Which function the key serves; selects the error codes for a wrong or out-of-range key.
enum class RsaKeyRole : std::uint8_t { kOperation, kWrap, kUnwrap };

// The parsed key (public or private by CKA_CLASS). A modulus outside kRsaMinBits..kRsaMaxBits →
// CKR_KEY_SIZE_RANGE (wrapping: CKR_WRAPPING_KEY_SIZE_RANGE / CKR_UNWRAPPING_KEY_SIZE_RANGE);
// attributes OpenSSL cannot turn into a key → CKR_KEY_TYPE_INCONSISTENT (or the wrapping variants).
Result<std::shared_ptr<const RsaKey>> rsa_key(const KeyRef& key, RsaKeyRole role = RsaKeyRole::kOperation);

// What a registered RSA mechanism number means.
enum class RsaKind : std::uint8_t {
  kPkcs1,      // CKM_RSA_PKCS: caller-formatted data (DigestInfo), encryption, recovery, wrapping
  kX509,       // CKM_RSA_X_509: raw RSA
  kPss,        // CKM_RSA_PKCS_PSS: the input is the hash
  kOaep,       // CKM_RSA_PKCS_OAEP
  kHashPkcs1,  // CKM_<hash>_RSA_PKCS
  kHashPss,    // CKM_<hash>_RSA_PKCS_PSS
};

struct RsaSpec {
  RsaKind kind;
  CK_MECHANISM_TYPE hash = 0;  // kHashPkcs1 / kHashPss: the hash mechanism (CKM_SHA256, ...)
};

// rsa_sign.cpp
Result<std::unique_ptr<SignOp>> rsa_sign_op(const RsaSpec& spec, const Params& p, const KeyRef& key);
Result<std::unique_ptr<VerifyOp>> rsa_verify_op(const RsaSpec& spec, const Params& p, const KeyRef& key);
// Sign-recover (private key) or verify-recover (public key); kPkcs1 and kX509 only.
Result<std::unique_ptr<CipherOp>> rsa_recover_op(const RsaSpec& spec, const KeyRef& key, bool sign);

// rsa_cipher.cpp; kPkcs1, kX509 and kOaep only.
Result<std::unique_ptr<CipherOp>> rsa_cipher_op(const RsaSpec& spec, const Params& p, const KeyRef& key, bool encrypt);
Result<Bytes> rsa_wrap(const RsaSpec& spec, const Params& p, const KeyRef& key, std::span<const std::uint8_t> plain);
Result<SecureBytes> rsa_unwrap(const RsaSpec& spec, const Params& p, const KeyRef& key,
                               std::span<const std::uint8_t> wrapped, std::optional<std::size_t> value_len);

// rsa_keygen.cpp: CKM_RSA_PKCS_KEY_PAIR_GEN material from the two templates.
Result<KeyPairMaterial> rsa_generate_key_pair(const object::AttributeSet& public_tmpl,
                                              const object::AttributeSet& private_tmpl);

}  // namespace craton::mech
