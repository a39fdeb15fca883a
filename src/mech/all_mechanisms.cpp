// The list of mechanisms: one line per family.
#include <algorithm>

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

// The registrations, and their types alone in a second array: every C_*Init looks its mechanism
// up, and a binary search over packed 8-byte keys touches a few cache lines where one over the
// 48-byte registrations touched a dozen.
struct Table {
  std::vector<Registration> list = build();
  std::vector<CK_MECHANISM_TYPE> keys = [this] {
    std::vector<CK_MECHANISM_TYPE> k;
    k.reserve(list.size());
    for (const Registration& r : list) k.push_back(r.type);
    return k;
  }();
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

std::span<const Registration> all_mechanisms() { return table().list; }

const Registration* find_mechanism(CK_MECHANISM_TYPE type) {
  const Table& t = table();
  const auto it = std::lower_bound(t.keys.begin(), t.keys.end(), type);
  if (it == t.keys.end() || *it != type) return nullptr;
  return &t.list[static_cast<std::size_t>(it - t.keys.begin())];
}

}  // namespace craton::mech
