// SLH-DSA §4.4 base_2b and §5 WOTS+ one-time signatures (FIPS 205 Alg. 4-8).
#include <algorithm>
#include <array>

#include "crypto/pqc/slh_dsa_internal.h"

namespace craton::crypto::pqc::slhdsa {
namespace {

// Alg. 7 lines 1-9 (and Alg. 8 lines 1-9): the base-w digits of M followed by those of the
// checksum Σ (w − 1 − msg[i]), shifted left so that its len2·lg_w bits end on a byte boundary.
// M is public in SLH-DSA (a FORS or XMSS root, which a verifier recomputes).
void wots_digits(const SlhDsaParams& p, Bytes m, std::span<std::uint32_t> msg) noexcept {
  const unsigned len1 = 2 * p.n;
  base_2b(m, kLgW, msg.first(len1));
  std::uint32_t csum = 0;
  for (unsigned i = 0; i < len1; ++i) csum += kW - 1 - msg[i];
  csum <<= (8 - ((kLen2 * kLgW) % 8)) % 8;
  // toByte(csum, ceil(len2·lg_w / 8)) = 2 bytes.
  const std::array<std::uint8_t, 2> csum_bytes{static_cast<std::uint8_t>(csum >> 8),
                                               static_cast<std::uint8_t>(csum)};
  base_2b(csum_bytes, kLgW, msg.subspan(len1, kLen2));
}

}  // namespace

void base_2b(Bytes x, unsigned b, std::span<std::uint32_t> out) noexcept {
  std::size_t in = 0;
  unsigned bits = 0;
  std::uint32_t total = 0;
  const std::uint32_t mask = (std::uint32_t{1} << b) - 1;
  for (std::uint32_t& o : out) {
    while (bits < b) {
      total = (total << 8) | x[in++];
      bits += 8;
    }
    bits -= b;
    o = (total >> bits) & mask;
    total &= (std::uint32_t{1} << bits) - 1;  // keep only the unread bits (bits < 8 here)
  }
}

void chain(HashContext& hc, std::span<std::uint8_t> x, unsigned i, unsigned s, Address adrs) noexcept {
  for (unsigned j = i; j < i + s; ++j) {
    adrs.set_hash_address(j);
    hc.f(adrs, x, x);
  }
}

void wots_pk_gen(HashContext& hc, Address adrs, std::span<std::uint8_t> pk) noexcept {
  const std::size_t n = hc.n();
  const unsigned len = wots_len(hc.params());
  Address sk_adrs = adrs;
  sk_adrs.set_type_and_clear(AddressType::kWotsPrf);
  sk_adrs.set_key_pair_address(adrs.get_key_pair_address());
  // tmp[i] first holds the chain's secret start (PRF output), then its end (the public value).
  std::array<std::uint8_t, kMaxLen * kMaxN> tmp{};
  for (unsigned i = 0; i < len; ++i) {
    const std::span<std::uint8_t> x(tmp.data() + i * n, n);
    sk_adrs.set_chain_address(i);
    hc.prf(sk_adrs, x);
    adrs.set_chain_address(i);
    chain(hc, x, 0, kW - 1, adrs);
  }
  Address pk_adrs = adrs;
  pk_adrs.set_type_and_clear(AddressType::kWotsPk);
  pk_adrs.set_key_pair_address(adrs.get_key_pair_address());
  hc.t(pk_adrs, Bytes(tmp.data(), len * n), pk);
}

void wots_sign(HashContext& hc, Bytes m, Address adrs, std::span<std::uint8_t> sig) noexcept {
  const std::size_t n = hc.n();
  const unsigned len = wots_len(hc.params());
  std::array<std::uint32_t, kMaxLen> msg{};
  wots_digits(hc.params(), m, std::span(msg).first(len));
  Address sk_adrs = adrs;
  sk_adrs.set_type_and_clear(AddressType::kWotsPrf);
  sk_adrs.set_key_pair_address(adrs.get_key_pair_address());
  for (unsigned i = 0; i < len; ++i) {
    // The secret start is hashed msg[i] times in place; what remains is published.
    const std::span<std::uint8_t> x = sig.subspan(i * n, n);
    sk_adrs.set_chain_address(i);
    hc.prf(sk_adrs, x);
    adrs.set_chain_address(i);
    chain(hc, x, 0, msg[i], adrs);
  }
}

void wots_pk_from_sig(HashContext& hc, Bytes sig, Bytes m, Address adrs, std::span<std::uint8_t> pk) noexcept {
  const std::size_t n = hc.n();
  const unsigned len = wots_len(hc.params());
  std::array<std::uint32_t, kMaxLen> msg{};
  wots_digits(hc.params(), m, std::span(msg).first(len));
  std::array<std::uint8_t, kMaxLen * kMaxN> tmp{};
  std::copy(sig.begin(), sig.begin() + static_cast<std::ptrdiff_t>(len * n), tmp.begin());
  for (unsigned i = 0; i < len; ++i) {
    adrs.set_chain_address(i);
    chain(hc, std::span(tmp.data() + i * n, n), msg[i], kW - 1 - msg[i], adrs);
  }
  Address pk_adrs = adrs;
  pk_adrs.set_type_and_clear(AddressType::kWotsPk);
  pk_adrs.set_key_pair_address(adrs.get_key_pair_address());
  hc.t(pk_adrs, Bytes(tmp.data(), len * n), pk);
}

}  // namespace craton::crypto::pqc::slhdsa
