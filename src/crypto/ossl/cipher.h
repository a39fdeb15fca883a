// Symmetric ciphers through OpenSSL 3 EVP: AES (ECB, CBC, CBC-CS3, CTR, GCM, CCM, key wrap RFC 3394
// and RFC 5649), ChaCha20-Poly1305 (RFC 8439) and AES-CMAC (SP 800-38B) through EVP_MAC.
//
// Every EVP_CIPHER / EVP_MAC is fetched once per process, on first use. Contexts are owned by the
// objects below, so no error path can leak one; no OpenSSL type appears in this header.
// Lengths: keys are 16/24/32 bytes (AES) or 32 bytes (ChaCha20); callers validate parameter
// values (IV sizes, tag sizes) before calling, everything here re-checks what OpenSSL needs.
// Thread safety: the free functions are safe from any thread; CipherStream / CmacStream objects
// belong to one operation and are used by one thread at a time; CmacKey and KeyedAead may be
// shared between threads (KeyedAead's context pool is internally synchronised).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/secure_bytes.h"

struct evp_cipher_ctx_st;
struct evp_mac_ctx_st;

namespace craton::crypto {

inline constexpr std::size_t kAesBlockSize = 16;

enum class CipherKind : std::uint8_t {
  kAesEcb,
  kAesCbc,
  kAesCtr,
  kAesGcm,
  kChaCha20Poly1305,
};
enum class Direction : std::uint8_t { kEncrypt, kDecrypt };

// True when `key_len` bytes is a key size of AES.
constexpr bool aes_key_size_ok(std::size_t key_len) noexcept { return key_len == 16 || key_len == 24 || key_len == 32; }

struct CipherCtxFree {
  void operator()(evp_cipher_ctx_st* ctx) const noexcept;
};
struct MacCtxFree {
  void operator()(evp_mac_ctx_st* ctx) const noexcept;
};

class AeadContextPool;

// A keyed, running cipher context. ECB and CBC run without padding: the caller feeds whole blocks.
// CTR, GCM and ChaCha20-Poly1305 accept any lengths and output exactly what they are given.
class CipherStream {
 public:
  // ECB (iv empty), CBC and CTR (iv 16 bytes). Wrong sizes → CKR_ARGUMENTS_BAD.
  static Result<CipherStream> start(CipherKind kind, std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                    Direction dir);
  // GCM (iv 1..kGcmMaxIvBytes bytes) or ChaCha20-Poly1305 (12-byte nonce); the AAD is absorbed here.
  static Result<CipherStream> start_aead(CipherKind kind, std::span<const std::uint8_t> key,
                                         std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad,
                                         Direction dir);

  CipherStream(CipherStream&&) noexcept = default;
  CipherStream& operator=(CipherStream&&) noexcept = default;
  CipherStream(const CipherStream&) = delete;
  CipherStream& operator=(const CipherStream&) = delete;
  // A stream started from a KeyedAead hands its context back to the key's pool when its message
  // was completed; any other context is freed (and wiped) by OpenSSL.
  ~CipherStream();

  // Writes exactly in.size() bytes to `out` (ECB/CBC: in.size() must be a multiple of 16).
  // REQUIRES: out.size() >= in.size().
  Status update(std::span<const std::uint8_t> in, std::span<std::uint8_t> out);
  // AEAD encryption: completes the message and returns the first tag_len (1..16) tag bytes.
  Result<std::vector<std::uint8_t>> finish_tag(std::size_t tag_len);
  // As finish_tag, writing the first tag.size() (1..16) tag bytes to `tag` (no allocation).
  Status finish_tag_into(std::span<std::uint8_t> tag);
  // AEAD decryption: completes the message; a tag mismatch is CKR_ENCRYPTED_DATA_INVALID.
  Status finish_check(std::span<const std::uint8_t> tag);

 private:
  friend class KeyedAead;
  explicit CipherStream(std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree> ctx) : ctx_(std::move(ctx)) {}
  CipherStream(std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree> ctx, AeadContextPool* home)
      : ctx_(std::move(ctx)), home_(home) {}
  std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree> ctx_;
  // KeyedAead streams: where the context goes back. Not owned: the KeyedAead that started the
  // stream outlives it (KeyedAead::start), so a message costs no reference count on memory that
  // every thread using the key would share.
  AeadContextPool* home_ = nullptr;
  bool complete_ = false;                  // the message ended cleanly (tag produced or checked)
};

// An AEAD context keyed once (AES key schedule and GCM hash key, or the ChaCha20 key), from which
// each operation starts: the per-key setup a parsed key saves every message. A context whose
// message completed goes back to a small pool kept with the key and is re-armed with the next
// message's IV (which resets all per-message state) instead of being copied from the template
// and freed again. A pooled context holds the key schedule, as the template does, and otherwise
// only values of the finished message that follow from the key and its public data (IV,
// ciphertext, tag); the pool is freed and wiped with the key, which outlives its pooled streams.
// start() may be called from several threads at once.
class KeyedAead {
 public:
  static Result<KeyedAead> create(CipherKind kind, std::span<const std::uint8_t> key);
  KeyedAead(KeyedAead&&) noexcept;
  KeyedAead& operator=(KeyedAead&&) noexcept;
  ~KeyedAead();
  CipherKind kind() const noexcept { return kind_; }
  // As CipherStream::start_aead with this key. REQUIRES: this KeyedAead outlives the returned
  // stream (the stream hands its context back to the key's pool when it ends; mech's AEAD
  // operations hold the parsed key for that reason).
  Result<CipherStream> start(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad, Direction dir) const;

 private:
  friend class CipherStream;  // start_aead: a throwaway key whose stream must not use the pool
  // `pooled` false: the stream neither takes a context from the pool nor gives it back, so it may
  // outlive this key.
  Result<CipherStream> start_with(std::span<const std::uint8_t> iv, std::span<const std::uint8_t> aad, Direction dir,
                                  bool pooled) const;
  KeyedAead(CipherKind kind, std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree> tmpl, SecureBytes key,
            std::unique_ptr<AeadContextPool> pool);
  CipherKind kind_;
  std::unique_ptr<evp_cipher_ctx_st, CipherCtxFree> tmpl_;
  SecureBytes key_;  // GCM IVs longer than OpenSSL takes are reduced with the key (gcm_equivalent_iv)
  std::unique_ptr<AeadContextPool> pool_;  // at a fixed address for the streams (moving the key keeps it)
};

// Longest GCM IV accepted (the spec allows more; longer IVs make no cryptographic sense).
inline constexpr std::size_t kGcmMaxIvBytes = 65536;

// AES-CBC with ciphertext stealing, variant CS3 (SP 800-38A Addendum): `in` is at least one
// block; exactly one block is plain CBC. Used for the tail of a CKM_AES_CTS message, with the
// chaining value of the blocks before it as `iv`.
Result<SecureBytes> aes_cbc_cs3(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                std::span<const std::uint8_t> in, Direction dir);

// AES-CCM (SP 800-38C): nonce 7..13 bytes, tag 4..16 bytes (even). seal returns ciphertext || tag;
// open verifies (mismatch → CKR_ENCRYPTED_DATA_INVALID) before any plaintext is returned.
Result<SecureBytes> aes_ccm_seal(std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                                 std::span<const std::uint8_t> aad, std::span<const std::uint8_t> plaintext,
                                 std::size_t tag_len);
Result<SecureBytes> aes_ccm_open(std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                                 std::span<const std::uint8_t> aad, std::span<const std::uint8_t> ciphertext,
                                 std::span<const std::uint8_t> tag);

// AES key wrap. `padded` false: RFC 3394 (input a multiple of 8, at least 16 bytes; iv empty or
// 8 bytes). `padded` true: RFC 5649 (any non-empty input; iv empty or 4 bytes). An empty iv is
// the RFC's default. Unwrapping input that fails the integrity check (or has an impossible
// length) is CKR_ENCRYPTED_DATA_INVALID; the caller maps it for C_UnwrapKey.
Result<SecureBytes> aes_key_wrap(std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv, bool padded,
                                 std::span<const std::uint8_t> in, Direction dir);
// Output length of wrapping `n` bytes (n >= 1).
constexpr std::size_t aes_key_wrap_size(std::size_t n, bool padded) noexcept {
  return padded ? ((n + 7) / 8) * 8 + 8 : n + 8;
}

class CmacStream;

// An AES-CMAC key: a keyed EVP_MAC context (subkeys derived once) that operations duplicate.
class CmacKey {
 public:
  static Result<CmacKey> create(std::span<const std::uint8_t> key);
  Result<CmacStream> start() const;

 private:
  explicit CmacKey(std::unique_ptr<evp_mac_ctx_st, MacCtxFree> ctx) : ctx_(std::move(ctx)) {}
  std::unique_ptr<evp_mac_ctx_st, MacCtxFree> ctx_;
};

class CmacStream {
 public:
  Status update(std::span<const std::uint8_t> data);
  // The full 16-byte MAC; the stream must not be used afterwards.
  Result<std::array<std::uint8_t, kAesBlockSize>> finish();

 private:
  friend class CmacKey;
  explicit CmacStream(std::unique_ptr<evp_mac_ctx_st, MacCtxFree> ctx) : ctx_(std::move(ctx)) {}
  std::unique_ptr<evp_mac_ctx_st, MacCtxFree> ctx_;
};

}  // namespace craton::crypto
