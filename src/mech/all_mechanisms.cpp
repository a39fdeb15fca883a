// The list of mechanisms: one line per family.
#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>

#include "mech/registry.h"

namespace craton::mech {
namespace {

std::vector<Registration> build() {
  std::vector<Registration> all;
  for (auto family : {digest_mechanisms, hmac_mechanisms, secret_keygen_mechanisms, hkdf_mechanisms, pbkdf2_mechanisms, sp800_108_mechanisms, concatenate_mechanisms, aes_mode_mechanisms, aes_aead_mechanisms, aes_wrap_mechanisms, aes_cmac_mechanisms, chacha20_mechanisms, rsa_mechanisms, ec_keygen_mechanisms, ecdsa_mechanisms, eddsa_mechanisms, ecdh_mechanisms, ml_kem_mechanisms, ml_dsa_mechanisms, slh_dsa_mechanisms, composite_sig_mechanisms, xwing_mechanisms}) {
    for (auto& r : family()) all.push_back(r);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.type < b.type; });
  return all;
}

// The registrations, sorted by type, and an open-addressing index over them: every C_*Init looks
// its mechanism up, and one multiplicative hash and usually one probe (the table is at most a
// quarter full) cost less than a binary search's eight dependent, data-driven branches.
struct Table {
  static constexpr std::uint16_t kEmpty = 0xFFFF;
  static constexpr unsigned kSlotBits = 10;
  static constexpr std::size_t kSlots = std::size_t{1} << kSlotBits;

  std::vector<Registration> list = build();
  std::array<std::uint16_t, kSlots> slots = index(list);

  static std::array<std::uint16_t, kSlots> index(const std::vector<Registration>& regs) {
    std::array<std::uint16_t, kSlots> s{};
    s.fill(kEmpty);
    if (regs.size() * 4 > kSlots) throw std::logic_error("mechanism index too small: raise kSlotBits");
    for (std::size_t i = 0; i < regs.size(); ++i) {
      std::size_t at = home(regs[i].type);
      while (s[at] != kEmpty) at = (at + 1) & (kSlots - 1);
      s[at] = static_cast<std::uint16_t>(i);
    }
    return s;
  }

  static std::size_t home(CK_MECHANISM_TYPE type) noexcept {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(type) * 0x9E3779B97F4A7C15ULL) >> (64 - kSlotBits));
  }

  const Registration* find(CK_MECHANISM_TYPE type) const noexcept {
    for (std::size_t at = home(type);; at = (at + 1) & (kSlots - 1)) {
      const std::uint16_t i = slots[at];
      if (i == kEmpty) return nullptr;
      if (list[i].type == type) return &list[i];
    }
  }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

std::span<const Registration> all_mechanisms() { return table().list; }

const Registration* find_mechanism(CK_MECHANISM_TYPE type) { return table().find(type); }

}  // namespace craton::mech
