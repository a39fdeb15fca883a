// SLH-DSA addresses (FIPS 205 §4.2 and §4.3, Table 1): the 32-byte ADRS that separates every
// hash call of a key pair, with the member functions of §4.3, and the 22-byte compressed form
// ADRSc of §11.2 used by the SHA2 instantiations.
//
// Layout (big-endian words): layer address [0,4) | tree address [4,16) | type [16,20) |
// key pair address [20,24) | chain address = tree height [24,28) | hash address = tree index [28,32).
//
// Constant time: addresses hold public values only (positions in the hypertree and FORS trees).
// Thread safety: value type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace craton::crypto::pqc::slhdsa {

// FIPS 205 §4.2: the seven address types.
enum class AddressType : std::uint32_t {
  kWotsHash = 0,
  kWotsPk = 1,
  kTree = 2,
  kForsTree = 3,
  kForsRoots = 4,
  kWotsPrf = 5,
  kForsPrf = 6,
};

inline constexpr std::size_t kAddressBytes = 32;
inline constexpr std::size_t kCompressedAddressBytes = 22;

class Address {
 public:
  void set_layer_address(std::uint32_t l) noexcept { put32(0, l); }
  // toByte(t, 12): idx_tree has at most 64 bits (h - h' ≤ 64), so the first word stays zero.
  void set_tree_address(std::uint64_t t) noexcept {
    put32(4, 0);
    put32(8, static_cast<std::uint32_t>(t >> 32));
    put32(12, static_cast<std::uint32_t>(t));
  }
  // setTypeAndClear(Y): the type, and the last 12 bytes set to zero.
  void set_type_and_clear(AddressType y) noexcept {
    put32(16, static_cast<std::uint32_t>(y));
    put32(20, 0);
    put32(24, 0);
    put32(28, 0);
  }
  void set_key_pair_address(std::uint32_t i) noexcept { put32(20, i); }
  std::uint32_t get_key_pair_address() const noexcept { return get32(20); }
  void set_chain_address(std::uint32_t i) noexcept { put32(24, i); }
  void set_tree_height(std::uint32_t z) noexcept { put32(24, z); }
  void set_hash_address(std::uint32_t i) noexcept { put32(28, i); }
  void set_tree_index(std::uint32_t i) noexcept { put32(28, i); }
  std::uint32_t get_tree_index() const noexcept { return get32(28); }

  std::span<const std::uint8_t, kAddressBytes> bytes() const noexcept { return a_; }

  // §11.2: ADRSc = ADRS[3] || ADRS[8:16] || ADRS[19] || ADRS[20:32].
  void compress(std::span<std::uint8_t, kCompressedAddressBytes> out) const noexcept {
    out[0] = a_[3];
    for (std::size_t i = 0; i < 8; ++i) out[1 + i] = a_[8 + i];
    out[9] = a_[19];
    for (std::size_t i = 0; i < 12; ++i) out[10 + i] = a_[20 + i];
  }

 private:
  void put32(std::size_t at, std::uint32_t v) noexcept {
    a_[at] = static_cast<std::uint8_t>(v >> 24);
    a_[at + 1] = static_cast<std::uint8_t>(v >> 16);
    a_[at + 2] = static_cast<std::uint8_t>(v >> 8);
    a_[at + 3] = static_cast<std::uint8_t>(v);
  }
  std::uint32_t get32(std::size_t at) const noexcept {
    return (std::uint32_t{a_[at]} << 24) | (std::uint32_t{a_[at + 1]} << 16) |
           (std::uint32_t{a_[at + 2]} << 8) | std::uint32_t{a_[at + 3]};
  }

  std::array<std::uint8_t, kAddressBytes> a_{};  // toByte(0, 32)
};

}  // namespace craton::crypto::pqc::slhdsa
