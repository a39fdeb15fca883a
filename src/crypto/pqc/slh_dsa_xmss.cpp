// SLH-DSA §6 XMSS, the eXtended Merkle Signature Scheme (FIPS 205 Alg. 9-11).
#include <algorithm>
#include <array>

#include "crypto/pqc/slh_dsa_internal.h"

namespace craton::crypto::pqc::slhdsa {

Node xmss_node(HashContext& hc, std::uint32_t i, unsigned z, Address adrs) noexcept {
  Node node{};
  if (z == 0) {
    adrs.set_type_and_clear(AddressType::kWotsHash);
    adrs.set_key_pair_address(i);
    wots_pk_gen(hc, adrs, std::span(node).first(hc.n()));
    return node;
  }
  const std::size_t n = hc.n();
  std::array<std::uint8_t, 2 * kMaxN> children{};  // lnode || rnode
  const Node lnode = xmss_node(hc, 2 * i, z - 1, adrs);
  const Node rnode = xmss_node(hc, 2 * i + 1, z - 1, adrs);
  std::copy_n(lnode.begin(), n, children.begin());
  std::copy_n(rnode.begin(), n, children.begin() + static_cast<std::ptrdiff_t>(n));
  adrs.set_type_and_clear(AddressType::kTree);
  adrs.set_tree_height(z);
  adrs.set_tree_index(i);
  hc.h(adrs, Bytes(children.data(), 2 * n), std::span(node).first(n));
  return node;
}

void xmss_sign(HashContext& hc, Bytes m, std::uint32_t idx, Address adrs, std::span<std::uint8_t> sig_xmss) noexcept {
  const std::size_t n = hc.n();
  const std::size_t wots_bytes = wots_len(hc.params()) * n;
  // AUTH: the sibling of each node on the path from leaf idx to the root.
  for (unsigned j = 0; j < hc.params().hp; ++j) {
    const std::uint32_t k = (idx >> j) ^ 1U;
    const Node auth = xmss_node(hc, k, j, adrs);
    std::copy_n(auth.begin(), n, sig_xmss.begin() + static_cast<std::ptrdiff_t>(wots_bytes + j * n));
  }
  adrs.set_type_and_clear(AddressType::kWotsHash);
  adrs.set_key_pair_address(idx);
  wots_sign(hc, m, adrs, sig_xmss.first(wots_bytes));
}

Node xmss_pk_from_sig(HashContext& hc, std::uint32_t idx, Bytes sig_xmss, Bytes m, Address adrs) noexcept {
  const std::size_t n = hc.n();
  const std::size_t wots_bytes = wots_len(hc.params()) * n;
  adrs.set_type_and_clear(AddressType::kWotsHash);
  adrs.set_key_pair_address(idx);
  Node node{};
  wots_pk_from_sig(hc, sig_xmss.first(wots_bytes), m, adrs, std::span(node).first(n));
  adrs.set_type_and_clear(AddressType::kTree);
  adrs.set_tree_index(idx);
  for (unsigned k = 0; k < hc.params().hp; ++k) {
    adrs.set_tree_height(k + 1);
    auth_path_step(hc, adrs, (idx >> k) & 1U, sig_xmss.subspan(wots_bytes + k * n, n), node);
  }
  return node;
}

void auth_path_step(HashContext& hc, Address& adrs, std::uint32_t bit, Bytes auth, Node& node) noexcept {
  const std::size_t n = auth.size();
  std::array<std::uint8_t, 2 * kMaxN> buf{};  // node || AUTH or AUTH || node
  if (bit == 0) {
    adrs.set_tree_index(adrs.get_tree_index() / 2);
    std::copy_n(node.begin(), n, buf.begin());
    std::copy(auth.begin(), auth.end(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  } else {
    adrs.set_tree_index((adrs.get_tree_index() - 1) / 2);
    std::copy(auth.begin(), auth.end(), buf.begin());
    std::copy_n(node.begin(), n, buf.begin() + static_cast<std::ptrdiff_t>(n));
  }
  hc.h(adrs, Bytes(buf.data(), 2 * n), std::span(node).first(n));
}

}  // namespace craton::crypto::pqc::slhdsa
