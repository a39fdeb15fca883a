// FIPS 203 polynomial layer. Constants (ζ-powers, Montgomery factors) are derived at compile time
// from the definitions in §4.3 so an auditor checks the derivation, not a table of numbers.
#include "crypto/pqc/ml_kem_poly.h"

#include <openssl/crypto.h>

// The coefficient loops below are written so that GCC vectorises them (16-bit lanes, SSE2). At -O2
// its "very cheap" cost model rejects the stride-2 loop of MultiplyNTTs (2.9 µs instead of 0.25 µs
// for k = 3), and at -O3 (Release) GCC 12 transforms the NTT layers into slower code (0.75 µs
// instead of 0.29 µs per NTT), so this file pins -O2 with the normal cost model in every build
// type. The arithmetic stays branch-free either way (checked with valgrind, see ml_kem.h).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O2", "tree-vectorize", "vect-cost-model=dynamic")
#endif

#include "crypto/pqc/keccak.h"

namespace craton::crypto::pqc::ml_kem {
namespace {

constexpr std::uint32_t kQu = 3329;
constexpr std::uint32_t kZeta = 17;  // primitive 256-th root of unity mod q (§4.3)

constexpr std::uint32_t pow_mod(std::uint32_t base, std::uint32_t exp) {
  std::uint64_t r = 1;
  std::uint64_t b = base % kQu;
  while (exp != 0) {
    if ((exp & 1U) != 0) r = r * b % kQu;
    b = b * b % kQu;
    exp >>= 1;
  }
  return static_cast<std::uint32_t>(r);
}

// BitRev7(i): the 7-bit reversal of i (§4.3).
constexpr std::uint32_t bit_rev7(std::uint32_t i) {
  std::uint32_t r = 0;
  for (unsigned b = 0; b < 7; ++b) r |= ((i >> b) & 1U) << (6 - b);
  return r;
}

// Representative of x mod q in [-(q-1)/2, (q-1)/2].
constexpr std::int16_t centered(std::uint64_t x) {
  const auto r = static_cast<std::int32_t>(x % kQu);
  return static_cast<std::int16_t>(r > static_cast<std::int32_t>(kQu / 2) ? r - kQ : r);
}

constexpr std::uint32_t kR = (1U << 16) % kQu;                       // Montgomery R mod q
constexpr std::uint32_t kR2 = static_cast<std::uint32_t>(std::uint64_t{kR} * kR % kQu);
constexpr std::uint32_t kInv128 = 3303;                               // 128^-1 mod q (Alg. 10)

// q^-1 mod 2^16 by Newton iteration (each step doubles the number of correct low bits).
constexpr std::int16_t q_inverse_mod_2_16() {
  std::uint32_t x = 1;
  for (int i = 0; i < 5; ++i) x = (x * (2U - kQu * x)) & 0xFFFFU;
  return static_cast<std::int16_t>(x >= 0x8000U ? static_cast<std::int32_t>(x) - 0x10000
                                                : static_cast<std::int32_t>(x));
}
constexpr std::int16_t kQInv = q_inverse_mod_2_16();

// ζ^BitRev7(i) · R mod q for i = 0..127: the twiddles of Algorithms 9 and 10 in Montgomery form.
constexpr std::array<std::int16_t, 128> make_zetas() {
  std::array<std::int16_t, 128> z{};
  for (std::uint32_t i = 0; i < 128; ++i) z[i] = centered(std::uint64_t{pow_mod(kZeta, bit_rev7(i))} * kR);
  return z;
}
// ζ^(2·BitRev7(i)+1) · R mod q for i = 0..127: the γ of Algorithm 11, line 2.
constexpr std::array<std::int16_t, 128> make_gammas() {
  std::array<std::int16_t, 128> g{};
  for (std::uint32_t i = 0; i < 128; ++i) {
    g[i] = centered(std::uint64_t{pow_mod(kZeta, 2 * bit_rev7(i) + 1)} * kR);
  }
  return g;
}

constexpr auto kZetasMont = make_zetas();
constexpr auto kGammasMont = make_gammas();
constexpr std::int16_t times_qinv(std::int16_t c) {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(
      static_cast<std::uint32_t>(static_cast<std::uint16_t>(c)) *
      static_cast<std::uint16_t>(kQInv)));
}
constexpr std::array<std::int16_t, 128> make_zetas_qinv() {
  std::array<std::int16_t, 128> z{};
  for (std::size_t i = 0; i < 128; ++i) z[i] = times_qinv(kZetasMont[i]);
  return z;
}
constexpr auto kZetasMontQInv = make_zetas_qinv();
constexpr std::array<std::int16_t, 128> make_gammas_qinv() {
  std::array<std::int16_t, 128> g{};
  for (std::size_t i = 0; i < 128; ++i) g[i] = times_qinv(kGammasMont[i]);
  return g;
}
constexpr auto kGammasMontQInv = make_gammas_qinv();
// fqmul(x, c) = x · c · R^-1; c = 128^-1 · R^2 gives NTT^-1's final scaling times R.
constexpr std::int16_t kInvNttScale = centered(std::uint64_t{kInv128} * kR2);
constexpr std::int16_t kRSquared = centered(kR2);

static_assert(pow_mod(kZeta, 128) == kQu - 1, "17 must be a primitive 256-th root of unity");
static_assert(kInv128 * 128 % kQu == 1);
static_assert(static_cast<std::int32_t>(kQInv) * kQ % 65536 == 1 ||
              static_cast<std::int32_t>(kQInv) * kQ % 65536 == -65535);
static_assert(bit_rev7(1) == 64 && bit_rev7(127) == 127);

inline std::int16_t mont_reduce(std::int32_t a) noexcept {
  // t = a · q^-1 mod 2^16 (signed), so a - t·q ≡ 0 mod 2^16 and the shift is exact.
  const auto t = static_cast<std::int16_t>(static_cast<std::int16_t>(a) * kQInv);
  return static_cast<std::int16_t>((a - static_cast<std::int32_t>(t) * kQ) >> 16);
}

// The Montgomery product a·b·2^-16 written with 16-bit high/low halves only (the low halves of a·b
// and t·q are equal by the choice of t, so the difference of the high halves is exact). This form
// maps onto packed 16-bit multiplies, which lets the compiler vectorise the NTT loops.
inline std::int16_t mul_hi(std::int16_t a, std::int16_t b) noexcept {
  return static_cast<std::int16_t>((static_cast<std::int32_t>(a) * b) >> 16);
}
inline std::int16_t mul_lo(std::int16_t a, std::int16_t b) noexcept {
  return static_cast<std::int16_t>(a * b);
}
inline std::int16_t fqmul(std::int16_t a, std::int16_t b) noexcept {
  const std::int16_t t = mul_lo(mul_lo(a, b), kQInv);
  return static_cast<std::int16_t>(mul_hi(a, b) - mul_hi(t, kQ));
}
// fqmul by a constant c whose c·q^-1 mod 2^16 is precomputed (one multiply fewer).
inline std::int16_t fqmul_by(std::int16_t a, std::int16_t c, std::int16_t c_qinv) noexcept {
  const std::int16_t t = mul_lo(a, c_qinv);
  return static_cast<std::int16_t>(mul_hi(a, c) - mul_hi(t, kQ));
}

// v = round(2^26 / q); a - round(a·v / 2^26)·q. floor((floor(a·v / 2^16) + 2^9) / 2^10) equals
// floor((a·v + 2^25) / 2^26), so a 16-bit high-half multiply suffices.
constexpr std::int16_t kBarrettV = ((1 << 26) + kQ / 2) / kQ;
inline std::int16_t barrett(std::int16_t a) noexcept {
  const auto t = static_cast<std::int16_t>((mul_hi(a, kBarrettV) + (1 << 9)) >> 10);
  return static_cast<std::int16_t>(a - mul_lo(t, kQ));
}

// Adds q to negative values: (-q, q) -> [0, q) with an arithmetic shift instead of a branch.
inline std::int16_t canonical(std::int16_t a) noexcept {
  return static_cast<std::int16_t>(a + ((a >> 15) & kQ));
}

// Compress_d (§4.2.1): round(2^d · x / q) = floor((x·2^d + (q-1)/2) / q), ties cannot occur as q is
// odd. The quotient n / q for n < 2^23 is (n · m) >> 40 with m = ceil(2^40 / q): the error
// m·q - 2^40 < 2^12 keeps n·(m·q - 2^40) < 2^40, which makes the multiply-shift exact.
constexpr unsigned kCompressShift = 40;
constexpr std::uint64_t kCompressMul = ((std::uint64_t{1} << kCompressShift) + kQu - 1) / kQu;

std::uint32_t load_le32(std::span<const std::uint8_t> b) noexcept {
  return std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) |
         (std::uint32_t{b[3]} << 24);
}

// SamplePolyCBD_2: every 4 bits give one coefficient (b0 + b1) - (b2 + b3).
void cbd2(Poly& f, std::span<const std::uint8_t> b) noexcept {
  for (std::size_t blk = 0; blk < kN / 8; ++blk) {
    const std::uint32_t w = load_le32(b.subspan(4 * blk, 4));
    const std::uint32_t t = (w & 0x55555555U) + ((w >> 1) & 0x55555555U);  // 2-bit pair sums
#pragma GCC unroll 8
    for (std::size_t c = 0; c < 8; ++c) {
      const auto x = static_cast<std::int16_t>((t >> (4 * c)) & 3U);
      const auto y = static_cast<std::int16_t>((t >> (4 * c + 2)) & 3U);
      f[8 * blk + c] = static_cast<std::int16_t>(x - y);
    }
  }
}

// SamplePolyCBD_3: every 6 bits give one coefficient (b0 + b1 + b2) - (b3 + b4 + b5).
void cbd3(Poly& f, std::span<const std::uint8_t> b) noexcept {
  for (std::size_t blk = 0; blk < kN / 4; ++blk) {
    const std::uint32_t w = std::uint32_t{b[3 * blk]} | (std::uint32_t{b[3 * blk + 1]} << 8) |
                            (std::uint32_t{b[3 * blk + 2]} << 16);
    const std::uint32_t t = (w & 0x249249U) + ((w >> 1) & 0x249249U) + ((w >> 2) & 0x249249U);
#pragma GCC unroll 4
    for (std::size_t c = 0; c < 4; ++c) {
      const auto x = static_cast<std::int16_t>((t >> (6 * c)) & 7U);
      const auto y = static_cast<std::int16_t>((t >> (6 * c + 3)) & 7U);
      f[4 * blk + c] = static_cast<std::int16_t>(x - y);
    }
  }
}

// ByteEncode_D on groups of 8 coefficients = D bytes; with the inner loop unrolled every shift
// and branch below is resolved at compile time.
template <unsigned D>
void encode_d(std::span<std::uint8_t> out, const Poly& f) noexcept {
  for (std::size_t g = 0; g < kN / 8; ++g) {
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t o = g * D;
#pragma GCC unroll 8
    for (std::size_t c = 0; c < 8; ++c) {
      acc |= std::uint32_t{static_cast<std::uint16_t>(f[8 * g + c])} << bits;
      bits += D;
      while (bits >= 8) {
        out[o++] = static_cast<std::uint8_t>(acc);
        acc >>= 8;
        bits -= 8;
      }
    }
  }
}

template <unsigned D>
void decode_d(Poly& f, std::span<const std::uint8_t> in) noexcept {
  constexpr std::uint32_t kMask = (1U << D) - 1;
  for (std::size_t g = 0; g < kN / 8; ++g) {
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t i = g * D;
#pragma GCC unroll 8
    for (std::size_t c = 0; c < 8; ++c) {
      while (bits < D) {
        acc |= std::uint32_t{in[i++]} << bits;
        bits += 8;
      }
      f[8 * g + c] = static_cast<std::int16_t>(acc & kMask);
      acc >>= D;
      bits -= D;
    }
  }
}

// One layer of Algorithm 9 (lines 5-10) for a fixed len: the blocks are fixed-extent spans so the
// inner loop has a compile-time trip count and no bounds checks left to make. Out of line for the
// same reason as ntt_inverse_layer below.
template <std::size_t kLen>
[[gnu::noinline]] void ntt_layer(Poly& f, std::size_t& i) noexcept {
  for (std::size_t start = 0; start < kN; start += 2 * kLen) {
    const std::int16_t zeta = kZetasMont[i];
    const std::int16_t zeta_qinv = kZetasMontQInv[i];
    ++i;
    const auto block = std::span(f).subspan(start, 2 * kLen);
    const std::span<std::int16_t, kLen> lo = block.template first<kLen>();
    const std::span<std::int16_t, kLen> hi = block.template last<kLen>();
    for (std::size_t j = 0; j < kLen; ++j) {
      const std::int16_t t = fqmul_by(hi[j], zeta, zeta_qinv);
      hi[j] = static_cast<std::int16_t>(lo[j] - t);
      lo[j] = static_cast<std::int16_t>(lo[j] + t);
    }
  }
}

// One layer of Algorithm 10 (lines 5-12). Kept out of line: inlined into one body, GCC 12 stops
// vectorising these loops (measured: 1.2 µs instead of 0.24 µs per NTT^-1).
template <std::size_t kLen>
[[gnu::noinline]] void ntt_inverse_layer(Poly& f, std::size_t& i) noexcept {
  for (std::size_t start = 0; start < kN; start += 2 * kLen) {
    const std::int16_t zeta = kZetasMont[i];
    const std::int16_t zeta_qinv = kZetasMontQInv[i];
    --i;
    const auto block = std::span(f).subspan(start, 2 * kLen);
    const std::span<std::int16_t, kLen> lo = block.template first<kLen>();
    const std::span<std::int16_t, kLen> hi = block.template last<kLen>();
    for (std::size_t j = 0; j < kLen; ++j) {
      const std::int16_t t = lo[j];
      const std::int16_t u = hi[j];  // both read before either is written: no aliasing question
      lo[j] = static_cast<std::int16_t>(t + u);
      hi[j] = fqmul_by(static_cast<std::int16_t>(u - t), zeta, zeta_qinv);
    }
  }
}

}  // namespace

void scrub_memory(void* p, std::size_t n) noexcept { OPENSSL_cleanse(p, n); }

std::int16_t montgomery_reduce(std::int32_t a) noexcept { return mont_reduce(a); }
std::int16_t barrett_reduce(std::int16_t a) noexcept { return barrett(a); }

// Algorithm 9. Lazy reduction: each of the 7 layers adds less than q to a coefficient, so from
// |f| < q the values stay below 8q < 2^15 and one Barrett pass at the end suffices.
void ntt(Poly& f) noexcept {
  std::size_t i = 1;  // line 2
  ntt_layer<128>(f, i);
  ntt_layer<64>(f, i);
  ntt_layer<32>(f, i);
  ntt_layer<16>(f, i);
  ntt_layer<8>(f, i);
  ntt_layer<4>(f, i);
  ntt_layer<2>(f, i);
  poly_reduce(f);
}

// Algorithm 10. From |f| < q the sums double per layer: after layers len = 2, 4 they are below 4q
// and after len = 8 below 8q < 2^15, so a Barrett pass follows that layer (and the differences,
// also below 8q, fit in 16 bits); likewise after len = 64. Differences are fqmul-reduced below q.
void ntt_inverse_times_r(Poly& f) noexcept {
  std::size_t i = 127;  // line 2
  ntt_inverse_layer<2>(f, i);
  ntt_inverse_layer<4>(f, i);
  ntt_inverse_layer<8>(f, i);
  poly_reduce(f);
  ntt_inverse_layer<16>(f, i);
  ntt_inverse_layer<32>(f, i);
  ntt_inverse_layer<64>(f, i);
  poly_reduce(f);
  ntt_inverse_layer<128>(f, i);
  // Line 14: · 128^-1, and · R for the caller. Inputs are below 2q here.
  constexpr std::int16_t kScaleQInv = times_qinv(kInvNttScale);
  for (auto& x : f) x = fqmul_by(x, kInvNttScale, kScaleQInv);
}

// Algorithms 11 and 12, one vector term at a time so the coefficient loop has no inner control
// flow: c0 += fqmul(a0,b0) + fqmul(fqmul(a1,b1), γ·R), c1 += fqmul(a0,b1) + fqmul(a1,b0), every
// product carrying the same R^-1. Each term adds less than 2q, so k <= 4 terms stay below 8q <
// 2^15; one Barrett pass ends it.
void multiply_ntts_sum(Poly& out, const PolyVec& a, const PolyVec& b, std::size_t k) noexcept {
  out.fill(0);
  for (std::size_t j = 0; j < k; ++j) {
    const Poly& f = a[j];
    const Poly& g = b[j];
    for (std::size_t i = 0; i < kN / 2; ++i) {
      const std::int16_t a0 = f[2 * i];
      const std::int16_t a1 = f[2 * i + 1];
      const std::int16_t b0 = g[2 * i];
      const std::int16_t b1 = g[2 * i + 1];
      const std::int16_t c0 = static_cast<std::int16_t>(
          fqmul(a0, b0) + fqmul_by(fqmul(a1, b1), kGammasMont[i], kGammasMontQInv[i]));
      const std::int16_t c1 = static_cast<std::int16_t>(fqmul(a0, b1) + fqmul(a1, b0));
      out[2 * i] = static_cast<std::int16_t>(out[2 * i] + c0);
      out[2 * i + 1] = static_cast<std::int16_t>(out[2 * i + 1] + c1);
    }
  }
  poly_reduce(out);
}

void poly_to_montgomery(Poly& f) noexcept {
  for (auto& x : f) x = fqmul(x, kRSquared);
}

void poly_add(Poly& f, const Poly& g) noexcept {
  for (std::size_t i = 0; i < kN; ++i) f[i] = static_cast<std::int16_t>(f[i] + g[i]);
}

void poly_sub(Poly& f, const Poly& g) noexcept {
  for (std::size_t i = 0; i < kN; ++i) f[i] = static_cast<std::int16_t>(f[i] - g[i]);
}

void poly_reduce(Poly& f) noexcept {
  for (auto& x : f) x = barrett(x);
}

void poly_canonical(Poly& f) noexcept {
  for (auto& x : f) x = canonical(x);
}

// Algorithm 7. The stream is squeezed in whole SHAKE128 blocks (168 = 56 · 3 bytes, so a 3-byte
// group never straddles two squeezes); the byte stream equals the spec's 3-byte squeezes.
void sample_ntt(Poly& a, std::span<const std::uint8_t, 32> rho, std::uint8_t j,
                std::uint8_t i) noexcept {
  constexpr std::size_t kBlock = Shake128::kRateBytes;
  static_assert(kBlock % 3 == 0);
  Shake128 xof;
  xof.absorb(rho);
  const std::array<std::uint8_t, 2> ji{j, i};
  xof.absorb(ji);
  std::array<std::uint8_t, 3 * kBlock> buf{};  // three blocks cover 256 samples almost always
  xof.squeeze(buf);
  std::size_t avail = buf.size();
  std::size_t pos = 0;
  std::size_t n = 0;
  while (n < kN) {
    if (pos == avail) {
      xof.squeeze(std::span(buf).first(kBlock));
      avail = kBlock;
      pos = 0;
    }
    const std::uint32_t c0 = buf[pos];
    const std::uint32_t c1 = buf[pos + 1];
    const std::uint32_t c2 = buf[pos + 2];
    pos += 3;
    const std::uint32_t d1 = c0 | ((c1 & 0x0FU) << 8);
    const std::uint32_t d2 = (c1 >> 4) | (c2 << 4);
    if (d1 < kQu) a[n++] = static_cast<std::int16_t>(d1);
    if (d2 < kQu && n < kN) a[n++] = static_cast<std::int16_t>(d2);
  }
}

void sample_poly_cbd(Poly& f, std::span<const std::uint8_t> b, unsigned eta) noexcept {
  if (eta == 2) {
    cbd2(f, b);
  } else {
    cbd3(f, b);
  }
}

void compress(Poly& f, unsigned d) noexcept {
  const std::uint32_t mask = (1U << d) - 1;
  for (auto& x : f) {
    const std::uint64_t n = (std::uint64_t{static_cast<std::uint16_t>(x)} << d) + (kQu - 1) / 2;
    x = static_cast<std::int16_t>(static_cast<std::uint32_t>((n * kCompressMul) >> kCompressShift) & mask);
  }
}

// Decompress_d(y) = round(q·y / 2^d) = floor((q·y + 2^(d-1)) / 2^d).
void decompress(Poly& f, unsigned d) noexcept {
  for (auto& x : f) {
    const std::uint32_t y = static_cast<std::uint16_t>(x);
    x = static_cast<std::int16_t>((y * kQu + (1U << (d - 1))) >> d);
  }
}

void byte_encode(std::span<std::uint8_t> out, const Poly& f, unsigned d) noexcept {
  switch (d) {
    case 1: encode_d<1>(out, f); break;
    case 4: encode_d<4>(out, f); break;
    case 5: encode_d<5>(out, f); break;
    case 10: encode_d<10>(out, f); break;
    case 11: encode_d<11>(out, f); break;
    default: encode_d<12>(out, f); break;
  }
}

void byte_decode(Poly& f, std::span<const std::uint8_t> in, unsigned d) noexcept {
  switch (d) {
    case 1: decode_d<1>(f, in); break;
    case 4: decode_d<4>(f, in); break;
    case 5: decode_d<5>(f, in); break;
    case 10: decode_d<10>(f, in); break;
    case 11: decode_d<11>(f, in); break;
    default:
      decode_d<12>(f, in);
      // mod q: values are < 2^12 < 2q, so one conditional subtraction, done with a mask.
      for (auto& x : f) x = canonical(static_cast<std::int16_t>(x - kQ));
      break;
  }
}

bool byte_decode_12_is_canonical(std::span<const std::uint8_t> in) noexcept {
  Poly raw{};
  decode_d<12>(raw, in);
  std::int16_t worst = 0;
  for (const auto x : raw) worst = x > worst ? x : worst;
  return worst < kQ;
}

}  // namespace craton::crypto::pqc::ml_kem
