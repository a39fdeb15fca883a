// Keccak-p[1600,24] and the sponge construction of FIPS 202, with SHA3-256, SHA3-512, SHAKE128 and
// SHAKE256 on top. Written here rather than taken from OpenSSL because FIPS 203/204/205 need an
// XOF that can be squeezed incrementally (OpenSSL 3.0's EVP_DigestFinalXOF is one-shot) and a
// state that can be forked by copying.
//
// Constant time: the permutation has no data-dependent branches or memory indices; absorb and
// squeeze branch only on lengths and positions, which are public.
// Ownership: every object owns its 200-byte state inline (no heap), and wipes it on destruction.
// Thread safety: none internally; one object per thread, or external locking.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace craton::crypto::pqc {

inline constexpr std::size_t kKeccakLanes = 25;      // 5 x 5 lanes of w = 64 bits (b = 1600)
inline constexpr std::size_t kKeccakStateBytes = 200;

using KeccakState = std::array<std::uint64_t, kKeccakLanes>;  // lane (x, y) at index x + 5y

// FIPS 202 Algorithm 7, Keccak-p[1600, 24]: 24 rounds of ι ∘ χ ∘ π ∘ ρ ∘ θ, applied in place.
void keccak_p1600_24(KeccakState& state) noexcept;

// FIPS 202 Algorithm 8, SPONGE[Keccak-p[1600,24], pad10*1, r], fed and drained in pieces.
//
// domain_suffix carries the domain-separation bits of FIPS 202 §6 followed by the first '1' of
// pad10*1, least-significant bit first: 0x06 for SHA3 ("01" + "1"), 0x1F for SHAKE ("1111" + "1").
//
// Life cycle: absorb() any number of times, then squeeze() any number of times; the output of N
// squeezes equals one squeeze of their total length. absorb() after the first squeeze() is a
// programming error: debug builds assert, release builds ignore the call so the object stays in a
// well-defined squeezing state (the data is NOT absorbed; squeezed output continues unchanged).
//
// Copying forks the state (ML-KEM / ML-DSA absorb a common prefix once, then branch).
class Sponge {
 public:
  // REQUIRES: 0 < rate_bytes < 200 and rate_bytes % 8 == 0 (throws std::invalid_argument
  // otherwise; all FIPS 202 instances satisfy this).
  Sponge(std::size_t rate_bytes, std::uint8_t domain_suffix);

  Sponge(const Sponge&) = default;
  Sponge& operator=(const Sponge&) = default;
  // A moved-from sponge keeps its (still valid) state until it is destroyed and wiped.
  Sponge(Sponge&&) noexcept = default;
  Sponge& operator=(Sponge&&) noexcept = default;
  ~Sponge();

  void absorb(std::span<const std::uint8_t> in) noexcept;
  void squeeze(std::span<std::uint8_t> out) noexcept;

  [[nodiscard]] std::size_t rate_bytes() const noexcept { return rate_; }

  // The running state as bytes (C_GetOperationState of the SHA-3 digests): the 200 state bytes,
  // then position, rate/8, suffix and phase. restore() checks every field and returns false
  // (leaving the sponge unchanged) when they do not describe a reachable state for this rate.
  static constexpr std::size_t kSavedSize = kKeccakStateBytes + 4;
  void save(std::span<std::uint8_t, kSavedSize> out) const noexcept;
  [[nodiscard]] bool restore(std::span<const std::uint8_t> in) noexcept;
  [[nodiscard]] bool squeezing() const noexcept { return squeezing_; }

 private:
  void xor_byte(std::size_t pos, std::uint8_t b) noexcept;
  [[nodiscard]] std::uint8_t byte_at(std::size_t pos) const noexcept;
  void pad_and_switch_to_squeezing() noexcept;

  KeccakState state_{};
  std::size_t rate_;
  std::size_t pos_ = 0;  // next byte within the current rate-sized block
  std::uint8_t suffix_;
  bool squeezing_ = false;
};

// SHAKE128 / SHAKE256 (FIPS 202 §6.2): capacity c = 2 * security bits, so rate = 200 - c/8.
template <std::size_t kSecurityBits>
class Shake {
 public:
  static constexpr std::size_t kRateBytes = kKeccakStateBytes - 2 * kSecurityBits / 8;
  Shake() : sponge_(kRateBytes, 0x1F) {}
  void absorb(std::span<const std::uint8_t> in) noexcept { sponge_.absorb(in); }
  void squeeze(std::span<std::uint8_t> out) noexcept { sponge_.squeeze(out); }

 private:
  Sponge sponge_;
};

using Shake128 = Shake<128>;  // rate 168
using Shake256 = Shake<256>;  // rate 136

// SHA3-256 / SHA3-512 (FIPS 202 §6.1): capacity c = 2 * digest length.
template <std::size_t kDigestBytes>
class Sha3 {
 public:
  static constexpr std::size_t kDigestSize = kDigestBytes;
  static constexpr std::size_t kRateBytes = kKeccakStateBytes - 2 * kDigestBytes;
  Sha3() : sponge_(kRateBytes, 0x06) {}
  void absorb(std::span<const std::uint8_t> in) noexcept { sponge_.absorb(in); }
  // Squeezes a copy, so the object is left untouched: finalize() is repeatable and absorbing may
  // continue afterwards (digest of a running prefix). Write into SecureBytes when the digest is
  // secret (e.g. ML-KEM's G).
  void finalize(std::span<std::uint8_t, kDigestBytes> out) const noexcept {
    Sponge fork = sponge_;
    fork.squeeze(out);
  }

 private:
  Sponge sponge_;
};

using Sha3_256 = Sha3<32>;  // rate 136
using Sha3_512 = Sha3<64>;  // rate 72

// One-shot helpers. The array-returning forms are for public data (hashes of public keys,
// messages); for secret digests use the out-span forms with a SecureBytes-backed span.
std::array<std::uint8_t, 32> sha3_256(std::span<const std::uint8_t> in);
std::array<std::uint8_t, 64> sha3_512(std::span<const std::uint8_t> in);
void sha3_256(std::span<const std::uint8_t> in, std::span<std::uint8_t, 32> out) noexcept;
void sha3_512(std::span<const std::uint8_t> in, std::span<std::uint8_t, 64> out) noexcept;
void shake128(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) noexcept;
void shake256(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) noexcept;

}  // namespace craton::crypto::pqc
