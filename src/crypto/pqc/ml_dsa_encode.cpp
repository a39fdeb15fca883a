// ML-DSA encodings: FIPS 204 §7.1 and §7.2.
#include "crypto/pqc/ml_dsa_encode.h"

#include <algorithm>

namespace craton::crypto::pqc::mldsa {
namespace {

// Writes 256 values of `bits` bits each, least-significant bit first (Alg. 12 BitsToBytes order).
template <class Value>
void pack_bits(std::span<std::uint8_t> out, int bits, Value value) noexcept {
  std::uint64_t acc = 0;
  int have = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < kN; ++i) {
    acc |= static_cast<std::uint64_t>(value(i)) << have;
    have += bits;
    while (have >= 8) {
      out[pos++] = static_cast<std::uint8_t>(acc);
      acc >>= 8;
      have -= 8;
    }
  }
}

template <class Sink>
void unpack_bits(std::span<const std::uint8_t> in, int bits, Sink sink) noexcept {
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  std::uint64_t acc = 0;
  int have = 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < kN; ++i) {
    while (have < bits) {
      acc |= static_cast<std::uint64_t>(in[pos++]) << have;
      have += 8;
    }
    sink(i, static_cast<std::uint32_t>(acc & mask));
    acc >>= bits;
    have -= bits;
  }
}

}  // namespace

void simple_bit_pack(std::span<std::uint8_t> out, const Poly& w, int bits) noexcept {
  pack_bits(out, bits, [&](std::size_t i) { return static_cast<std::uint32_t>(w[i]); });
}

void simple_bit_unpack(Poly& w, std::span<const std::uint8_t> in, int bits) noexcept {
  unpack_bits(in, bits, [&](std::size_t i, std::uint32_t v) { w[i] = static_cast<std::int32_t>(v); });
}

void bit_pack(std::span<std::uint8_t> out, const Poly& w, std::int32_t b, int bits) noexcept {
  pack_bits(out, bits, [&](std::size_t i) { return static_cast<std::uint32_t>(b - w[i]); });
}

void bit_unpack(Poly& w, std::span<const std::uint8_t> in, std::int32_t b, int bits) noexcept {
  unpack_bits(in, bits,
              [&](std::size_t i, std::uint32_t v) { w[i] = b - static_cast<std::int32_t>(v); });
}

std::vector<std::uint8_t> pk_encode(const MlDsaParams& p, std::span<const std::uint8_t> rho,
                                    const PolyVec& t1) {
  std::vector<std::uint8_t> pk(p.pk_bytes);
  std::copy(rho.begin(), rho.begin() + 32, pk.begin());
  std::span<std::uint8_t> rest = std::span(pk).subspan(32);
  for (int i = 0; i < p.k; ++i)
    simple_bit_pack(rest.subspan(static_cast<std::size_t>(i) * poly_bytes(kT1Bits)), t1[i], kT1Bits);
  return pk;
}

void pk_decode(const MlDsaParams& p, std::span<const std::uint8_t> pk,
               std::span<std::uint8_t, 32> rho, PolyVec& t1) {
  std::copy(pk.begin(), pk.begin() + 32, rho.begin());
  t1.resize(static_cast<std::size_t>(p.k));
  for (int i = 0; i < p.k; ++i)
    simple_bit_unpack(t1[i], pk.subspan(32 + static_cast<std::size_t>(i) * poly_bytes(kT1Bits)),
                      kT1Bits);
}

SecureBytes sk_encode(const MlDsaParams& p, std::span<const std::uint8_t> rho,
                      std::span<const std::uint8_t> key, std::span<const std::uint8_t> tr,
                      std::span<const Poly> s1, std::span<const Poly> s2, std::span<const Poly> t0) {
  SecureBytes sk(p.sk_bytes);
  std::span<std::uint8_t> out = sk.span();
  std::copy(rho.begin(), rho.begin() + 32, out.begin());
  std::copy(key.begin(), key.begin() + 32, out.begin() + 32);
  std::copy(tr.begin(), tr.begin() + 64, out.begin() + 64);
  std::size_t off = 128;
  const int eb = eta_bits(p);
  for (const Poly& s : s1) {
    bit_pack(out.subspan(off), s, p.eta, eb);
    off += poly_bytes(eb);
  }
  for (const Poly& s : s2) {
    bit_pack(out.subspan(off), s, p.eta, eb);
    off += poly_bytes(eb);
  }
  for (const Poly& t : t0) {
    bit_pack(out.subspan(off), t, 1 << (kD - 1), kT0Bits);
    off += poly_bytes(kT0Bits);
  }
  return sk;
}

bool sk_decode(const MlDsaParams& p, std::span<const std::uint8_t> sk, SecureBytes& seeds,
               std::span<Poly> s1, std::span<Poly> s2, std::span<Poly> t0) {
  seeds = SecureBytes(sk.first(128));
  const int eb = eta_bits(p);
  std::size_t off = 128;
  std::uint32_t bad = 0;
  auto unpack_eta = [&](Poly& s) {
    unpack_bits(sk.subspan(off), eb, [&](std::size_t i, std::uint32_t v) {
      // Valid iff v ≤ 2η; the sign bit of 2η - v flags the rest, without a branch.
      bad |= static_cast<std::uint32_t>(2 * p.eta - static_cast<std::int32_t>(v)) >> 31;
      s[i] = p.eta - static_cast<std::int32_t>(v);
    });
    off += poly_bytes(eb);
  };
  for (Poly& s : s1) unpack_eta(s);
  for (Poly& s : s2) unpack_eta(s);
  for (Poly& t : t0) {
    bit_unpack(t, sk.subspan(off), 1 << (kD - 1), kT0Bits);
    off += poly_bytes(kT0Bits);
  }
  return bad == 0;
}

void hint_bit_pack(const MlDsaParams& p, std::span<std::uint8_t> out, const PolyVec& h) noexcept {
  const auto omega = static_cast<std::size_t>(p.omega);
  std::fill(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(omega + p.k), std::uint8_t{0});
  std::size_t index = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.k); ++i) {
    for (std::size_t j = 0; j < kN; ++j) {
      if (h[i][j] != 0) out[index++] = static_cast<std::uint8_t>(j);  // h is published: not secret
    }
    out[omega + i] = static_cast<std::uint8_t>(index);
  }
}

bool hint_bit_unpack(const MlDsaParams& p, std::span<const std::uint8_t> in, PolyVec& h) noexcept {
  const auto omega = static_cast<std::size_t>(p.omega);
  for (Poly& poly : h) poly.fill(0);
  std::size_t index = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(p.k); ++i) {
    const std::size_t end = in[omega + i];
    if (end < index || end > omega) return false;
    const std::size_t first = index;
    while (index < end) {
      if (index > first && in[index - 1] >= in[index]) return false;  // strictly increasing
      h[i][in[index]] = 1;
      ++index;
    }
  }
  for (std::size_t i = index; i < omega; ++i) {
    if (in[i] != 0) return false;  // unused slots must be zero (strong unforgeability)
  }
  return true;
}

std::vector<std::uint8_t> sig_encode(const MlDsaParams& p, std::span<const std::uint8_t> c_tilde,
                                     std::span<const Poly> z, const PolyVec& h) {
  std::vector<std::uint8_t> sig(p.sig_bytes);
  std::copy(c_tilde.begin(), c_tilde.end(), sig.begin());
  std::size_t off = c_tilde.size();
  const int zb = z_bits(p);
  for (const Poly& zi : z) {
    bit_pack(std::span(sig).subspan(off), zi, p.gamma1, zb);
    off += poly_bytes(zb);
  }
  hint_bit_pack(p, std::span(sig).subspan(off), h);
  return sig;
}

bool sig_decode(const MlDsaParams& p, std::span<const std::uint8_t> sigma,
                std::span<const std::uint8_t>& c_tilde, PolyVec& z, PolyVec& h) {
  c_tilde = sigma.first(c_tilde_bytes(p));
  std::size_t off = c_tilde.size();
  const int zb = z_bits(p);
  z.resize(static_cast<std::size_t>(p.l));
  for (Poly& zi : z) {
    bit_unpack(zi, sigma.subspan(off), p.gamma1, zb);
    off += poly_bytes(zb);
  }
  h.resize(static_cast<std::size_t>(p.k));
  return hint_bit_unpack(p, sigma.subspan(off), h);
}

void w1_encode(const MlDsaParams& p, std::span<const Poly> w1, std::span<std::uint8_t> out) noexcept {
  const int bits = w1_bits(p);
  for (std::size_t i = 0; i < w1.size(); ++i)
    simple_bit_pack(out.subspan(i * poly_bytes(bits)), w1[i], bits);
}

}  // namespace craton::crypto::pqc::mldsa
