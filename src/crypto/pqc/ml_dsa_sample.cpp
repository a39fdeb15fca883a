// ML-DSA sampling: FIPS 204 §7.3.
#include "crypto/pqc/ml_dsa_sample.h"

#include <array>
#include <cstddef>

#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_dsa_encode.h"

namespace craton::crypto::pqc::mldsa {

void sample_in_ball(Poly& c, std::span<const std::uint8_t> rho, int tau) noexcept {
  Shake256 h;
  h.absorb(rho);
  std::array<std::uint8_t, Shake256::kRateBytes> buf{};
  h.squeeze(buf);
  // The first 8 squeezed bytes are the 64 sign bits h; the byte stream continues after them.
  std::uint64_t signs = 0;
  for (std::size_t i = 0; i < 8; ++i) signs |= static_cast<std::uint64_t>(buf[i]) << (8 * i);
  std::size_t pos = 8;
  c.fill(0);
  for (int i = kN - tau; i < kN; ++i) {
    std::size_t j = 0;
    do {
      if (pos == buf.size()) {
        h.squeeze(buf);
        pos = 0;
      }
      j = buf[pos++];
    } while (j > static_cast<std::size_t>(i));
    c[static_cast<std::size_t>(i)] = c[j];
    c[j] = 1 - 2 * static_cast<std::int32_t>(signs & 1U);  // (-1)^h[i+τ-256]
    signs >>= 1;
  }
}

void rej_ntt_poly(Poly& a, std::span<const std::uint8_t, 34> seed) noexcept {
  Shake128 g;
  g.absorb(seed);
  std::array<std::uint8_t, Shake128::kRateBytes> buf{};  // 168 = 56 · 3 bytes
  std::size_t j = 0;
  while (j < kN) {
    g.squeeze(buf);
    for (std::size_t pos = 0; pos + 3 <= buf.size() && j < kN; pos += 3) {
      // Alg. 14 CoeffFromThreeBytes: 23 bits, accepted if < q.
      const std::uint32_t z = buf[pos] | (static_cast<std::uint32_t>(buf[pos + 1]) << 8) |
                              (static_cast<std::uint32_t>(buf[pos + 2] & 0x7F) << 16);
      if (z < static_cast<std::uint32_t>(kQ)) a[j++] = static_cast<std::int32_t>(z);
    }
  }
}

void rej_bounded_poly(Poly& a, std::span<const std::uint8_t, 66> seed, int eta) noexcept {
  Shake256 h;
  h.absorb(seed);
  std::array<std::uint8_t, Shake256::kRateBytes> buf{};
  std::size_t j = 0;
  // Alg. 15 CoeffFromHalfByte: η = 2 accepts b < 15 → 2 - (b mod 5); η = 4 accepts b < 9 → 4 - b.
  // b mod 5 = b - 5·⌊205·b / 1024⌋ for b < 15, without a division.
  const std::uint32_t limit = eta == 2 ? 15 : 9;
  auto coeff = [eta](std::uint32_t b) -> std::int32_t {
    if (eta == 2) return 2 - static_cast<std::int32_t>(b - 5 * ((205 * b) >> 10));
    return 4 - static_cast<std::int32_t>(b);
  };
  while (j < kN) {
    h.squeeze(buf);
    for (std::size_t pos = 0; pos < buf.size() && j < kN; ++pos) {
      const std::uint32_t z0 = buf[pos] & 0x0FU;
      const std::uint32_t z1 = buf[pos] >> 4;
      // Which nibbles are rejected is the only thing revealed (declassified for the CT check);
      // the accepted values are computed and stored without branching on them.
      if (declassify_value(z0 < limit)) a[j++] = coeff(z0);
      if (declassify_value(z1 < limit) && j < kN) a[j++] = coeff(z1);
    }
  }
  buf.fill(0);
}

void expand_a(const MlDsaParams& p, std::span<const std::uint8_t> rho, PolyVec& a_hat) {
  a_hat.resize(static_cast<std::size_t>(p.k * p.l));
  std::array<std::uint8_t, 34> seed{};
  std::copy(rho.begin(), rho.begin() + 32, seed.begin());
  for (int r = 0; r < p.k; ++r) {
    for (int s = 0; s < p.l; ++s) {
      seed[32] = static_cast<std::uint8_t>(s);
      seed[33] = static_cast<std::uint8_t>(r);
      rej_ntt_poly(a_hat[static_cast<std::size_t>(r * p.l + s)], seed);
    }
  }
}

void expand_s(const MlDsaParams& p, std::span<const std::uint8_t> rho_prime, std::span<Poly> s1,
              std::span<Poly> s2) {
  SecureBytes seed(66);
  std::copy(rho_prime.begin(), rho_prime.begin() + 64, seed.data());
  auto sample = [&](Poly& out, int r) {
    seed.data()[64] = static_cast<std::uint8_t>(r);
    seed.data()[65] = static_cast<std::uint8_t>(r >> 8);
    rej_bounded_poly(out, seed.span().first<66>(), p.eta);
  };
  for (int r = 0; r < p.l; ++r) sample(s1[static_cast<std::size_t>(r)], r);
  for (int r = 0; r < p.k; ++r) sample(s2[static_cast<std::size_t>(r)], r + p.l);
}

void expand_mask(const MlDsaParams& p, std::span<const std::uint8_t> rho_pp, int kappa,
                 std::span<Poly> y) {
  const int bits = z_bits(p);
  SecureBytes seed(66);
  std::copy(rho_pp.begin(), rho_pp.begin() + 64, seed.data());
  SecureBytes v(poly_bytes(bits));
  for (int r = 0; r < p.l; ++r) {
    const int n = kappa + r;
    seed.data()[64] = static_cast<std::uint8_t>(n);
    seed.data()[65] = static_cast<std::uint8_t>(n >> 8);
    shake256(seed.span(), v.span());
    bit_unpack(y[static_cast<std::size_t>(r)], v.span(), p.gamma1, bits);
  }
}

}  // namespace craton::crypto::pqc::mldsa
