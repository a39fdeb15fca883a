// The keyed hash chain over audit records (docs/AUDIT.md).
//
//   h_0 = 32 zero bytes (each stream starts from it)
//   h_n = SHA-256(h_{n-1} || body_n)            body_n: the canonical record text (record.h)
//   mac_n = HMAC-SHA-256(K, h_n)                K: the 32-byte audit key
//
// body_n names h_{n-1} in its "prev" field, so every line says where it belongs; mac_n commits to
// the whole history up to n, so editing, removing or reordering any earlier record changes every
// later MAC, and nobody without K can recompute them.
//
// Thread safety: Chain is not thread-safe (the writer uses it from its one writing thread); the
// free functions are.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

#include "audit/record.h"
#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/hmac.h"
#include "crypto/ossl/mac.h"

namespace craton::audit {

using Hash = crypto::Sha256Digest;
inline constexpr std::size_t kKeySize = 32;

[[nodiscard]] Result<Hash> next_hash(const Hash& prev, std::string_view body);
[[nodiscard]] Result<Hash> record_mac(std::span<const std::uint8_t> key, const Hash& h);

class Chain {
 public:
  Chain(SecureBytes key, const Hash& last) : key_(std::move(key)), last_(last) {}

  // Encodes (stamp, event) after the current last record — stamp.prev_hex is filled here — and
  // advances. Returns the stored line without its newline.
  [[nodiscard]] Result<std::string> append(Stamp stamp, const Event& event);

  const Hash& last() const noexcept { return last_; }
  std::span<const std::uint8_t> key() const noexcept { return key_.span(); }

 private:
  SecureBytes key_;
  Hash last_;
  std::string body_;                     // reused buffers
  std::vector<std::uint8_t> hash_input_;
  std::optional<crypto::ReusableMac> mac_;  // keyed once, restarted per record (no copy, no fetch)
};

}  // namespace craton::audit
