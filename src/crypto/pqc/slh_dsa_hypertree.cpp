// SLH-DSA §7 the hypertree, d layers of XMSS trees (FIPS 205 Alg. 12-13).
#include <algorithm>

#include "crypto/pqc/slh_dsa_internal.h"

namespace craton::crypto::pqc::slhdsa {
namespace {

std::size_t xmss_sig_bytes(const SlhDsaParams& p) noexcept { return (wots_len(p) + p.hp) * std::size_t{p.n}; }

// The lowest h' bits of idx_tree name the leaf in the next layer up; the rest name its tree.
void climb(const SlhDsaParams& p, std::uint64_t& idx_tree, std::uint32_t& idx_leaf) noexcept {
  idx_leaf = static_cast<std::uint32_t>(idx_tree & ((std::uint64_t{1} << p.hp) - 1));
  idx_tree >>= p.hp;
}

}  // namespace

Node ht_sign(HashContext& hc, Bytes m, std::uint64_t idx_tree, std::uint32_t idx_leaf,
             std::span<std::uint8_t> sig_ht) noexcept {
  const SlhDsaParams& p = hc.params();
  const std::size_t n = p.n;
  const std::size_t xmss_bytes = xmss_sig_bytes(p);
  Address adrs;
  adrs.set_tree_address(idx_tree);
  std::span<std::uint8_t> sig = sig_ht.first(xmss_bytes);
  xmss_sign(hc, m, idx_leaf, adrs, sig);
  Node root = xmss_pk_from_sig(hc, idx_leaf, sig, m, adrs);
  declassify(root.data(), n);  // the next layer signs it; a verifier recomputes it
  for (unsigned j = 1; j < p.d; ++j) {
    climb(p, idx_tree, idx_leaf);
    adrs.set_layer_address(j);
    adrs.set_tree_address(idx_tree);
    sig = sig_ht.subspan(j * xmss_bytes, xmss_bytes);
    xmss_sign(hc, Bytes(root.data(), n), idx_leaf, adrs, sig);
    // Alg. 12 computes this only for j < d − 1; the top one is the caller's check of PK.root.
    root = xmss_pk_from_sig(hc, idx_leaf, sig, Bytes(root.data(), n), adrs);
    declassify(root.data(), n);
  }
  return root;
}

bool ht_verify(HashContext& hc, Bytes m, Bytes sig_ht, std::uint64_t idx_tree, std::uint32_t idx_leaf,
               Bytes pk_root) noexcept {
  const SlhDsaParams& p = hc.params();
  const std::size_t n = p.n;
  const std::size_t xmss_bytes = xmss_sig_bytes(p);
  Address adrs;
  adrs.set_tree_address(idx_tree);
  Node node = xmss_pk_from_sig(hc, idx_leaf, sig_ht.first(xmss_bytes), m, adrs);
  for (unsigned j = 1; j < p.d; ++j) {
    climb(p, idx_tree, idx_leaf);
    adrs.set_layer_address(j);
    adrs.set_tree_address(idx_tree);
    node = xmss_pk_from_sig(hc, idx_leaf, sig_ht.subspan(j * xmss_bytes, xmss_bytes), Bytes(node.data(), n), adrs);
  }
  return std::equal(pk_root.begin(), pk_root.end(), node.begin());
}

}  // namespace craton::crypto::pqc::slhdsa
