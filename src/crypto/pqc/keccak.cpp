// Keccak-p[1600,24] and the FIPS 202 sponge. The step-mapping constants are derived at compile
// time from the spec's own algorithms (ρ offsets from Algorithm 2, π from Algorithm 3, ι round
// constants from Algorithms 5 and 6) so an auditor can check the derivation rather than a table.
#include "crypto/pqc/keccak.h"

#include <openssl/crypto.h>

#include <bit>
#include <cassert>
#include <stdexcept>

namespace craton::crypto::pqc {
namespace {

constexpr std::size_t kRounds = 24;      // n_r for Keccak-p[1600, 24]
constexpr std::size_t kLaneBytes = 8;

constexpr std::size_t lane_index(std::size_t x, std::size_t y) { return x + 5 * y; }

// FIPS 202 Algorithm 2 (ρ): offset of lane (x, y) is (t+1)(t+2)/2 mod 64 along the walk
// (x, y) ← (y, (2x + 3y) mod 5) starting at (1, 0); lane (0, 0) is not rotated.
constexpr std::array<unsigned, kKeccakLanes> make_rho_offsets() {
  std::array<unsigned, kKeccakLanes> r{};
  std::size_t x = 1;
  std::size_t y = 0;
  for (unsigned t = 0; t < 24; ++t) {
    r[lane_index(x, y)] = ((t + 1) * (t + 2) / 2) % 64;
    const std::size_t next_y = (2 * x + 3 * y) % 5;
    x = y;
    y = next_y;
  }
  return r;
}

// FIPS 202 Algorithm 3 (π): A'[x, y] = A[(x + 3y) mod 5, x]; entry i is the source lane of
// destination lane i.
constexpr std::array<std::size_t, kKeccakLanes> make_pi_sources() {
  std::array<std::size_t, kKeccakLanes> s{};
  for (std::size_t y = 0; y < 5; ++y) {
    for (std::size_t x = 0; x < 5; ++x) s[lane_index(x, y)] = lane_index((x + 3 * y) % 5, x);
  }
  return s;
}

// FIPS 202 Algorithm 5, rc(t): output bit of the LFSR x^8 + x^6 + x^5 + x^4 + 1; bit k of
// `r` holds R[k].
constexpr bool rc(unsigned t) {
  if (t % 255 == 0) return true;
  unsigned r = 1;  // R = 10000000
  for (unsigned i = 1; i <= t % 255; ++i) {
    r <<= 1;  // R = 0 || R, old R[7] now at bit 8
    const unsigned r8 = (r >> 8) & 1U;
    r ^= r8 | (r8 << 4) | (r8 << 5) | (r8 << 6);
    r &= 0xFFU;
  }
  return (r & 1U) != 0;
}

// FIPS 202 Algorithm 6 (ι): RC[2^j - 1] = rc(j + 7 i_r) for j = 0..ℓ (ℓ = 6 for w = 64).
constexpr std::array<std::uint64_t, kRounds> make_round_constants() {
  std::array<std::uint64_t, kRounds> rcs{};
  for (unsigned ir = 0; ir < kRounds; ++ir) {
    std::uint64_t c = 0;
    for (unsigned j = 0; j <= 6; ++j) {
      if (rc(j + 7 * ir)) c |= std::uint64_t{1} << ((1U << j) - 1);
    }
    rcs[ir] = c;
  }
  return rcs;
}

constexpr auto kRhoOffsets = make_rho_offsets();
constexpr auto kPiSources = make_pi_sources();
constexpr auto kRoundConstants = make_round_constants();

// Spot checks against the values printed in the Keccak reference, so a slip in the derivation
// fails the build instead of a test.
static_assert(kRhoOffsets[lane_index(1, 0)] == 1 && kRhoOffsets[lane_index(0, 1)] == 36 &&
              kRhoOffsets[lane_index(4, 4)] == 14 && kRhoOffsets[lane_index(2, 0)] == 62);
static_assert(kRoundConstants[0] == 0x0000000000000001ULL &&
              kRoundConstants[1] == 0x0000000000008082ULL &&
              kRoundConstants[23] == 0x8000000080008008ULL);

// One round Rnd(A, i_r) = ι(χ(π(ρ(θ(A)))), i_r). All indices are compile-time constants once
// unrolled, so nothing here depends on the data.
inline void keccak_round(KeccakState& a, std::uint64_t round_constant) noexcept {
  // θ: XOR each bit with the parities of two neighbouring columns.
  std::array<std::uint64_t, 5> c{};
#pragma GCC unroll 5
  for (std::size_t x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
  for (std::size_t x = 0; x < 5; ++x) {
    const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
#pragma GCC unroll 5
    for (std::size_t y = 0; y < 25; y += 5) a[x + y] ^= d;
  }
  // ρ then π, fused: B[dst] = ROT(A[src], offset[src]).
  KeccakState b;
#pragma GCC unroll 25
  for (std::size_t i = 0; i < kKeccakLanes; ++i) {
    const std::size_t src = kPiSources[i];
    b[i] = std::rotl(a[src], static_cast<int>(kRhoOffsets[src]));
  }
  // χ: the only non-linear step, row by row.
#pragma GCC unroll 5
  for (std::size_t y = 0; y < 25; y += 5) {
#pragma GCC unroll 5
    for (std::size_t x = 0; x < 5; ++x) {
      a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
    }
  }
  // ι
  a[0] ^= round_constant;
}

std::uint64_t load_le64(std::span<const std::uint8_t, kLaneBytes> in) noexcept {
  std::uint64_t v = 0;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < kLaneBytes; ++i) v |= std::uint64_t{in[i]} << (8 * i);
  return v;
}

void store_le64(std::uint64_t v, std::span<std::uint8_t, kLaneBytes> out) noexcept {
#pragma GCC unroll 8
  for (std::size_t i = 0; i < kLaneBytes; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

void keccak_p1600_24(KeccakState& state) noexcept {
  for (std::size_t ir = 0; ir < kRounds; ++ir) keccak_round(state, kRoundConstants[ir]);
}

Sponge::Sponge(std::size_t rate_bytes, std::uint8_t domain_suffix)
    : rate_(rate_bytes), suffix_(domain_suffix) {
  // Whole-lane rates keep the lane fast paths simple; every FIPS 202 instance qualifies.
  if (rate_bytes == 0 || rate_bytes >= kKeccakStateBytes || rate_bytes % kLaneBytes != 0) {
    throw std::invalid_argument("keccak sponge: rate must be a multiple of 8 below 200");
  }
}

Sponge::~Sponge() { OPENSSL_cleanse(state_.data(), sizeof(state_)); }

void Sponge::save(std::span<std::uint8_t, kSavedSize> out) const noexcept {
  for (std::size_t i = 0; i < kKeccakStateBytes; ++i) out[i] = byte_at(i);
  out[kKeccakStateBytes] = static_cast<std::uint8_t>(pos_);
  out[kKeccakStateBytes + 1] = static_cast<std::uint8_t>(rate_ / kLaneBytes);
  out[kKeccakStateBytes + 2] = suffix_;
  out[kKeccakStateBytes + 3] = squeezing_ ? 1 : 0;
}

bool Sponge::restore(std::span<const std::uint8_t> in) noexcept {
  if (in.size() != kSavedSize) return false;
  const std::size_t pos = in[kKeccakStateBytes];
  const bool squeezing = in[kKeccakStateBytes + 3] == 1;
  if (in[kKeccakStateBytes + 1] * kLaneBytes != rate_ || in[kKeccakStateBytes + 2] != suffix_ ||
      in[kKeccakStateBytes + 3] > 1 || pos > rate_ || (!squeezing && pos == rate_)) {
    return false;
  }
  KeccakState st{};
  for (std::size_t i = 0; i < kKeccakStateBytes; ++i) st[i / kLaneBytes] |= std::uint64_t{in[i]} << (8 * (i % kLaneBytes));
  state_ = st;
  OPENSSL_cleanse(st.data(), sizeof(st));
  pos_ = pos;
  squeezing_ = squeezing;
  return true;
}

void Sponge::xor_byte(std::size_t pos, std::uint8_t b) noexcept {
  state_[pos / kLaneBytes] ^= std::uint64_t{b} << (8 * (pos % kLaneBytes));
}

std::uint8_t Sponge::byte_at(std::size_t pos) const noexcept {
  return static_cast<std::uint8_t>(state_[pos / kLaneBytes] >> (8 * (pos % kLaneBytes)));
}

void Sponge::absorb(std::span<const std::uint8_t> in) noexcept {
  assert(!squeezing_ && "Sponge::absorb after squeeze");
  if (squeezing_) return;  // release builds: keep the squeezing state consistent, drop the input
  std::size_t i = 0;
  // A block is permuted as soon as it is full; pos_ < rate_ therefore holds between calls.
  while (i < in.size()) {
    if (pos_ % kLaneBytes == 0 && in.size() - i >= kLaneBytes) {
      state_[pos_ / kLaneBytes] ^= load_le64(in.subspan(i).first<kLaneBytes>());
      i += kLaneBytes;
      pos_ += kLaneBytes;
    } else {
      xor_byte(pos_++, in[i++]);
    }
    if (pos_ == rate_) {
      keccak_p1600_24(state_);
      pos_ = 0;
    }
  }
}

// pad10*1 (FIPS 202 Algorithm 9) with the domain bits in front: the suffix byte supplies the
// domain bits and the leading '1', the final '1' is the top bit of the block's last byte. Both
// may land in the same byte (suffix | 0x80), which XORing handles.
void Sponge::pad_and_switch_to_squeezing() noexcept {
  xor_byte(pos_, suffix_);
  xor_byte(rate_ - 1, 0x80);
  keccak_p1600_24(state_);
  pos_ = 0;
  squeezing_ = true;
}

void Sponge::squeeze(std::span<std::uint8_t> out) noexcept {
  if (!squeezing_) pad_and_switch_to_squeezing();
  std::size_t i = 0;
  while (i < out.size()) {
    // Permute lazily so that squeezing exactly a block costs no extra permutation.
    if (pos_ == rate_) {
      keccak_p1600_24(state_);
      pos_ = 0;
    }
    if (pos_ % kLaneBytes == 0 && out.size() - i >= kLaneBytes) {
      store_le64(state_[pos_ / kLaneBytes], out.subspan(i).first<kLaneBytes>());
      i += kLaneBytes;
      pos_ += kLaneBytes;
    } else {
      out[i++] = byte_at(pos_++);
    }
  }
}

std::array<std::uint8_t, 32> sha3_256(std::span<const std::uint8_t> in) {
  std::array<std::uint8_t, 32> out{};
  sha3_256(in, out);
  return out;
}

std::array<std::uint8_t, 64> sha3_512(std::span<const std::uint8_t> in) {
  std::array<std::uint8_t, 64> out{};
  sha3_512(in, out);
  return out;
}

void sha3_256(std::span<const std::uint8_t> in, std::span<std::uint8_t, 32> out) noexcept {
  Sponge s(Sha3_256::kRateBytes, 0x06);
  s.absorb(in);
  s.squeeze(out);
}

void sha3_512(std::span<const std::uint8_t> in, std::span<std::uint8_t, 64> out) noexcept {
  Sponge s(Sha3_512::kRateBytes, 0x06);
  s.absorb(in);
  s.squeeze(out);
}

void shake128(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) noexcept {
  Shake128 s;
  s.absorb(in);
  s.squeeze(out);
}

void shake256(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) noexcept {
  Shake256 s;
  s.absorb(in);
  s.squeeze(out);
}

}  // namespace craton::crypto::pqc
