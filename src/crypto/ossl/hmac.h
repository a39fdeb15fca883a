// Keyed MACs for the HMAC mechanisms and the SP 800-108 PRFs: HMAC (RFC 2104) over any hash
// mechanism md_for() knows, and AES-CMAC (SP 800-38B).
//
// A MacKey is an EVP_MAC_CTX with its key already set. start() copies it (EVP_MAC_CTX_dup), so the
// key schedule (HMAC's inner and outer pads, CMAC's subkeys) is computed once per key and every
// operation begins from the copy.
// Thread safety: a MacKey is immutable after creation and start() may run on any number of threads
// at once (the copy only reads the template). A RunningMac is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {

// One MAC computation in progress.
class RunningMac {
 public:
  std::size_t size() const noexcept { return size_; }
  Status update(std::span<const std::uint8_t> data);
  // The whole MAC (size() bytes). The object cannot be used afterwards. SecureBytes because a PRF
  // output is often key material.
  Result<SecureBytes> finish();

 private:
  friend class MacKey;
  RunningMac(MacCtxPtr ctx, std::size_t size) : ctx_(std::move(ctx)), size_(size) {}
  MacCtxPtr ctx_;
  std::size_t size_;
};

class MacKey {
 public:
  // HMAC with the digest of `hash` (CKM_SHA_1 ... CKM_SHA3_512). Any key length, including empty.
  // Unknown hash → CKR_MECHANISM_INVALID.
  static Result<MacKey> hmac(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> key);
  // AES-CMAC; the key is 16, 24 or 32 bytes (else CKR_KEY_SIZE_RANGE).
  static Result<MacKey> aes_cmac(std::span<const std::uint8_t> key);

  std::size_t size() const noexcept { return size_; }
  Result<RunningMac> start() const;

 private:
  MacKey(MacCtxPtr ctx, std::size_t size) : ctx_(std::move(ctx)), size_(size) {}
  MacCtxPtr ctx_;
  std::size_t size_;
};

// One keyed context that computes whole MACs one after another, for a single writer of many
// short messages (the audit chain): each compute() restarts the context from its keyed state
// (EVP_MAC_init without a key), so no context is copied, allocated or freed per message.
// Thread safety: one thread at a time.
class ReusableMac {
 public:
  // HMAC with the digest of `hash`, as MacKey::hmac.
  static Result<ReusableMac> hmac(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> key);

  std::size_t size() const noexcept { return size_; }
  // The MAC of `data` into `out`, which must be exactly size() bytes (else CKR_GENERAL_ERROR).
  Status compute(std::span<const std::uint8_t> data, std::span<std::uint8_t> out);

 private:
  ReusableMac(MacCtxPtr ctx, std::size_t size) : ctx_(std::move(ctx)), size_(size) {}
  MacCtxPtr ctx_;
  std::size_t size_;
};

}  // namespace craton::crypto
