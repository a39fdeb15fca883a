// Pieces shared by the symmetric mechanism families (aes_modes.cpp, aes_aead.cpp, aes_wrap.cpp,
// aes_cmac.cpp, chacha20.cpp): the parsed secret key, key generation material and the streaming
// AEAD operation used by AES-GCM and ChaCha20-Poly1305.
// Thread safety: SecretKey is immutable (its lazily derived CMAC key is built under call_once);
// operations belong to one session.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

#include "crypto/ossl/cipher.h"
#include "mech/mechanism.h"

namespace craton::mech {

// A secret key's value, parsed once per object version through KeyRef::parsed.
class SecretKey final : public object::ParsedKey {
 public:
  explicit SecretKey(std::span<const std::uint8_t> value) : value_(value) {}
  std::span<const std::uint8_t> value() const noexcept { return value_.span(); }
  // AES-CMAC subkeys, derived on first use and kept with the key.
  Result<const crypto::CmacKey*> cmac() const;
  // The keyed AEAD context (AES-GCM or ChaCha20-Poly1305), set up on first use and kept with the
  // key; every message starts from a copy of it.
  Result<const crypto::KeyedAead*> aead(crypto::CipherKind kind) const;

 private:
  SecureBytes value_;
  mutable std::once_flag cmac_once_;
  mutable std::optional<crypto::CmacKey> cmac_;
  mutable Error cmac_error_{};
  mutable std::once_flag aead_once_;
  mutable std::atomic<bool> aead_ready_{false};  // set once aead_ holds the context (fast path)
  mutable std::optional<crypto::KeyedAead> aead_;
  mutable Error aead_error_{};
};

// The parsed value of an AES key (16, 24 or 32 bytes, else CKR_KEY_SIZE_RANGE).
Result<std::shared_ptr<const SecretKey>> aes_key(const KeyRef& key);
// The parsed value of a ChaCha20 key (32 bytes, else CKR_KEY_SIZE_RANGE).
Result<std::shared_ptr<const SecretKey>> chacha20_key(const KeyRef& key);

// C_GenerateKey material for a random secret key of `len` bytes.
Result<object::AttributeSet> random_secret_key(CK_KEY_TYPE key_type, std::size_t len);

// The requested length from CKA_VALUE_LEN, when present (a wrong-sized value → CKR_ATTRIBUTE_VALUE_INVALID).
Result<std::optional<std::size_t>> template_value_len(const object::AttributeSet& tmpl);

// A running AEAD operation (GCM, ChaCha20-Poly1305). Encryption streams and appends the tag;
// decryption takes ciphertext || tag, buffers it and releases plaintext only once the tag checks.
// The buffering operations here (AEAD, CCM, key wrap) read max_output(kFinal, n) as "finish after
// n more input bytes", which the message layer needs for its last part; C_*Final passes n = 0.
// The operation holds `key`: its keyed context (and the pool its stream returns to) lives there.
Result<std::unique_ptr<CipherOp>> aead_operation(crypto::CipherKind kind, std::shared_ptr<const SecretKey> key,
                                                 std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                                                 std::size_t tag_len, crypto::Direction dir);

// A cipher mechanism whose encryption and decryption differ only in direction. Wrapping is
// single-part encryption of the key bytes and unwrapping single-part decryption, with the data
// errors renamed to the wrapped-key ones; they are reachable only for registrations that set
// CKF_WRAP / CKF_UNWRAP.
class DirectionalCipher : public Mechanism {
 public:
  Result<std::unique_ptr<CipherOp>> encrypt(const Params& p, const KeyRef& key) const final {
    return make(p, key, crypto::Direction::kEncrypt);
  }
  Result<std::unique_ptr<CipherOp>> decrypt(const Params& p, const KeyRef& key) const final {
    return make(p, key, crypto::Direction::kDecrypt);
  }
  Result<Bytes> wrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> key_bytes) const override;
  Result<SecureBytes> unwrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> wrapped,
                             std::optional<std::size_t> value_len) const override;

 protected:
  virtual Result<std::unique_ptr<CipherOp>> make(const Params& p, const KeyRef& key, crypto::Direction dir) const = 0;
};

// Saturating a - b, for output bounds.
constexpr std::size_t minus(std::size_t a, std::size_t b) noexcept { return a > b ? a - b : 0; }

// Concatenation into secure memory.
SecureBytes joined(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace craton::mech
