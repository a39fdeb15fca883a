// SLH-DSA §8 FORS, Forest Of Random Subsets (FIPS 205 Alg. 14-17).
#include <algorithm>
#include <array>

#include "crypto/pqc/slh_dsa_internal.h"

namespace craton::crypto::pqc::slhdsa {
namespace {

constexpr unsigned kMaxK = 35;

}  // namespace

void fors_sk_gen(HashContext& hc, const Address& adrs, std::uint32_t idx, std::span<std::uint8_t> sk) noexcept {
  Address sk_adrs = adrs;
  sk_adrs.set_type_and_clear(AddressType::kForsPrf);
  sk_adrs.set_key_pair_address(adrs.get_key_pair_address());
  sk_adrs.set_tree_index(idx);
  hc.prf(sk_adrs, sk);
}

Node fors_node(HashContext& hc, std::uint32_t i, unsigned z, Address adrs) noexcept {
  const std::size_t n = hc.n();
  Node node{};
  if (z == 0) {
    Node sk{};
    fors_sk_gen(hc, adrs, i, std::span(sk).first(n));
    adrs.set_tree_height(0);
    adrs.set_tree_index(i);
    hc.f(adrs, Bytes(sk.data(), n), std::span(node).first(n));
    wipe(sk.data(), sk.size());
    return node;
  }
  std::array<std::uint8_t, 2 * kMaxN> children{};  // lnode || rnode
  const Node lnode = fors_node(hc, 2 * i, z - 1, adrs);
  const Node rnode = fors_node(hc, 2 * i + 1, z - 1, adrs);
  std::copy_n(lnode.begin(), n, children.begin());
  std::copy_n(rnode.begin(), n, children.begin() + static_cast<std::ptrdiff_t>(n));
  adrs.set_tree_height(z);
  adrs.set_tree_index(i);
  hc.h(adrs, Bytes(children.data(), 2 * n), std::span(node).first(n));
  return node;
}

void fors_sign(HashContext& hc, Bytes md, const Address& adrs, std::span<std::uint8_t> sig_fors) noexcept {
  const SlhDsaParams& p = hc.params();
  const std::size_t n = p.n;
  std::array<std::uint32_t, kMaxK> indices{};
  base_2b(md, p.a, std::span(indices).first(p.k));  // public: md comes from the public digest
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < p.k; ++i) {
    fors_sk_gen(hc, adrs, (i << p.a) + indices[i], sig_fors.subspan(at, n));
    at += n;
    for (unsigned j = 0; j < p.a; ++j) {
      const std::uint32_t s = (indices[i] >> j) ^ 1U;
      const Node auth = fors_node(hc, (i << (p.a - j)) + s, j, adrs);
      std::copy_n(auth.begin(), n, sig_fors.begin() + static_cast<std::ptrdiff_t>(at));
      at += n;
    }
  }
}

Node fors_pk_from_sig(HashContext& hc, Bytes sig_fors, Bytes md, Address adrs) noexcept {
  const SlhDsaParams& p = hc.params();
  const std::size_t n = p.n;
  std::array<std::uint32_t, kMaxK> indices{};
  base_2b(md, p.a, std::span(indices).first(p.k));
  std::array<std::uint8_t, kMaxK * kMaxN> roots{};
  Node node{};
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < p.k; ++i) {
    const Bytes sk = sig_fors.subspan(at, n);
    at += n;
    adrs.set_tree_height(0);
    adrs.set_tree_index((i << p.a) + indices[i]);
    hc.f(adrs, sk, std::span(node).first(n));
    for (unsigned j = 0; j < p.a; ++j) {
      adrs.set_tree_height(j + 1);
      auth_path_step(hc, adrs, (indices[i] >> j) & 1U, sig_fors.subspan(at, n), node);
      at += n;
    }
    std::copy_n(node.begin(), n, roots.begin() + static_cast<std::ptrdiff_t>(i * n));
  }
  Address pk_adrs = adrs;
  pk_adrs.set_type_and_clear(AddressType::kForsRoots);
  pk_adrs.set_key_pair_address(adrs.get_key_pair_address());
  Node pk{};
  hc.t(pk_adrs, Bytes(roots.data(), p.k * n), std::span(pk).first(n));
  return pk;
}

}  // namespace craton::crypto::pqc::slhdsa
