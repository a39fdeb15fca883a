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

}  // namespace

std::span<const Registration> all_mechanisms() {
  static const std::vector<Registration> list = build();
  return list;
}

const Registration* find_mechanism(CK_MECHANISM_TYPE type) {
  const auto list = all_mechanisms();
  auto it = std::lower_bound(list.begin(), list.end(), type, [](const Registration& r, CK_MECHANISM_TYPE t) { return r.type < t; });
  return (it != list.end() && it->type == type) ? &*it : nullptr;
}

}  // namespace craton::mech
