// RSA operations (RFC 8017) on an EVP_PKEY: the PKCS#1 v1.5 (RSASSA/RSAES), PSS, OAEP and raw
// (RSAEP/RSADP without encoding) schemes, one-shot on caller-formatted input, and hash-and-sign
// streaming through EVP_DigestSign / EVP_DigestVerify.
//
// Input lengths are checked here and answered with the PKCS#11 codes (k = modulus length in bytes):
// too long data → CKR_DATA_LEN_RANGE, a raw value ≥ n → CKR_DATA_INVALID, a signature that is not
// k bytes → CKR_SIGNATURE_LEN_RANGE, a bad signature → CKR_SIGNATURE_INVALID, a ciphertext that is
// not k bytes → CKR_ENCRYPTED_DATA_LEN_RANGE. Every decryption failure (padding, value ≥ n, ...)
// is the same CKR_ENCRYPTED_DATA_INVALID, reported after OpenSSL's constant-time padding check;
// OpenSSL's implicit rejection (3.2+) is switched off because PKCS#11 must report the failure.
//
// Each call builds its own EVP_PKEY_CTX; the EVP_PKEY itself is only read, so one key may be used
// from several threads at once. Thread safety: functions are stateless; an RsaDigestContext belongs
// to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/der.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {

enum class RsaPad : std::uint8_t {
  kPkcs1,  // RSASSA-PKCS1-v1_5 / RSAES-PKCS1-v1_5 (block types 1 and 2)
  kNone,   // raw RSA (RSAEP / RSADP / RSASP1 / RSAVP1): input left-padded with zeros to k bytes
  kPss,    // RSASSA-PSS
  kOaep,   // RSAES-OAEP
};

// A padding scheme and its settings. Not owning: `md`, `mgf1` are process-lifetime digests
// (digest.h) and `label` must outlive the call that uses the scheme.
struct RsaScheme {
  RsaPad pad = RsaPad::kPkcs1;
  // kPss, kOaep: the hash. kPkcs1 one-shot: null (the input is the caller's DigestInfo).
  // Hash-and-sign (RsaDigestContext): the message hash, for kPkcs1 and kPss.
  const EVP_MD* md = nullptr;
  const EVP_MD* mgf1 = nullptr;         // kPss, kOaep: the MGF1 hash
  std::size_t salt_len = 0;             // kPss
  std::span<const std::uint8_t> label;  // kOaep
};

// A scheme from its padding and hashes (salt and label left empty).
constexpr RsaScheme rsa_scheme(RsaPad pad, const EVP_MD* md = nullptr, const EVP_MD* mgf1 = nullptr) noexcept {
  RsaScheme s;
  s.pad = pad;
  s.md = md;
  s.mgf1 = mgf1;
  return s;
}

// k, the modulus length in bytes, and the modulus length in bits.
std::size_t rsa_modulus_bytes(const EVP_PKEY* pkey) noexcept;
std::size_t rsa_modulus_bits(const EVP_PKEY* pkey) noexcept;

// The longest input one-shot sign / encrypt accepts under `scheme` (kPss: exactly the hash size).
std::size_t rsa_max_input(const EVP_PKEY* pkey, const RsaScheme& scheme) noexcept;

// Signature with the private key (kPkcs1 with md == null, kNone, kPss over a hash of md's size).
// Always k bytes.
Result<Bytes> rsa_sign(EVP_PKEY* pkey, const RsaScheme& scheme, std::span<const std::uint8_t> in);

// Verification with the public key, same schemes as rsa_sign.
Status rsa_verify(EVP_PKEY* pkey, const RsaScheme& scheme, std::span<const std::uint8_t> in,
                  std::span<const std::uint8_t> sig);

// Signature-with-recovery check (kPkcs1: the type-1 unpadded data; kNone: all k bytes).
// A wrong signature → CKR_SIGNATURE_INVALID.
Result<SecureBytes> rsa_verify_recover(EVP_PKEY* pkey, const RsaScheme& scheme, std::span<const std::uint8_t> sig);

// Encryption with the public key (kPkcs1, kOaep, kNone). Always k bytes.
Result<Bytes> rsa_encrypt(EVP_PKEY* pkey, const RsaScheme& scheme, std::span<const std::uint8_t> in);

// Decryption with the private key (kPkcs1, kOaep, kNone: all k bytes).
Result<SecureBytes> rsa_decrypt(EVP_PKEY* pkey, const RsaScheme& scheme, std::span<const std::uint8_t> in);

// Hash-and-sign (RSASSA-PKCS1-v1_5 or RSASSA-PSS with scheme.md as the message hash), streaming.
class RsaDigestContext {
 public:
  // Private key for signing, public key for verification.
  static Result<RsaDigestContext> start_sign(EVP_PKEY* pkey, const RsaScheme& scheme);
  static Result<RsaDigestContext> start_verify(EVP_PKEY* pkey, const RsaScheme& scheme);

  Status update(std::span<const std::uint8_t> data);
  Result<Bytes> sign_final();
  Status verify_final(std::span<const std::uint8_t> sig);
  // Single-part: the whole message at once (no update before).
  Result<Bytes> sign_once(std::span<const std::uint8_t> data);
  Status verify_once(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig);

 private:
  RsaDigestContext(MdCtxPtr ctx, std::size_t k) : ctx_(std::move(ctx)), k_(k) {}
  MdCtxPtr ctx_;
  std::size_t k_;
};

}  // namespace craton::crypto
