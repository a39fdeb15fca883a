// ML-DSA ring arithmetic: FIPS 204 §7.5 (NTT, Alg. 41/42) and §7.4 (Alg. 35-40).
#include "crypto/pqc/ml_dsa_poly.h"

#include <cstddef>

#if defined(CRATON_VALGRIND_CT)
#include <valgrind/memcheck.h>
#endif

namespace craton::crypto::pqc::mldsa {
namespace {

constexpr std::int64_t kZeta = 1753;  // 512th root of unity mod q (FIPS 204 §7.5)

constexpr std::int64_t pow_mod(std::int64_t base, std::int64_t e) {
  std::int64_t r = 1;
  base %= kQ;
  while (e > 0) {
    if (e & 1) r = r * base % kQ;
    base = base * base % kQ;
    e >>= 1;
  }
  return r;
}

constexpr unsigned bit_rev8(unsigned k) {
  unsigned r = 0;
  for (int i = 0; i < 8; ++i) r |= ((k >> i) & 1U) << (7 - i);
  return r;
}

constexpr std::int64_t kR = (std::int64_t{1} << 32) % kQ;  // Montgomery factor R mod q

// zetas[k] = ζ^BitRev8(k) mod q (Appendix B of FIPS 204), stored times R for Montgomery products.
constexpr std::array<std::int32_t, kN> make_zetas() {
  std::array<std::int32_t, kN> z{};
  for (unsigned k = 0; k < kN; ++k) {
    std::int64_t v = pow_mod(kZeta, bit_rev8(k)) * kR % kQ;
    if (v > kQ / 2) v -= kQ;
    z[k] = static_cast<std::int32_t>(v);
  }
  return z;
}
constexpr std::array<std::int32_t, kN> kZetas = make_zetas();
static_assert(pow_mod(kZeta, 256) == kQ - 1, "ζ must be a primitive 512th root of unity");

// 256^-1 · R^2 mod q: the final scaling of Alg. 42 (f = 8347681 = 256^-1 mod q) with the extra R
// that cancels the R^-1 of the pointwise Montgomery product.
constexpr std::int32_t kInvNttScale =
    static_cast<std::int32_t>(8347681LL * kR % kQ * kR % kQ);
static_assert(8347681LL * 256 % kQ == 1);
// kInvNttScale · (-ζ^BitRev8(1)·R) · R^-1: the last inverse layer's twiddle times the scaling.
constexpr std::int64_t kRInv = pow_mod(kR, kQ - 2);
constexpr std::int32_t kInvNttScaleZeta1 = static_cast<std::int32_t>(
    static_cast<std::int64_t>(kInvNttScale) * ((kQ - kZetas[1]) % kQ) % kQ * kRInv % kQ);

}  // namespace

// The loops below index through raw pointers from data(): under _GLIBCXX_ASSERTIONS every
// std::array subscript is bounds-checked, which blocks vectorization of the innermost loops. The
// indices are loop counters bounded by kN by construction.

void ntt(Poly& poly) noexcept {
  std::int32_t* w = poly.data();
  std::size_t m = 0;
  for (std::size_t len = 128; len >= 1; len >>= 1) {
    for (std::size_t start = 0; start < kN; start += 2 * len) {
      const std::int64_t z = kZetas[++m];
      for (std::size_t j = start; j < start + len; ++j) {
        const std::int32_t t = montgomery_reduce(z * w[j + len]);
        w[j + len] = w[j] - t;
        w[j] = w[j] + t;
      }
    }
  }
}

void ntt_inverse(Poly& poly) noexcept {
  std::int32_t* w = poly.data();
  for (std::size_t i = 0; i < kN; ++i) w[i] = reduce32(w[i]);
  // Bounds: the difference side of every butterfly is Montgomery-reduced (< q); the sum side at
  // most doubles per layer. Reducing the sums after the layers len = 4 and len = 32 keeps every
  // value below 8q < 2^26 (and every Montgomery input below 16q·q < 2^31·q).
  std::size_t m = kN;
  for (std::size_t len = 1; len < kN / 2; len <<= 1) {
    const bool reduce_sums = len == 4 || len == 32;
    for (std::size_t start = 0; start < kN; start += 2 * len) {
      const std::int64_t z = -static_cast<std::int64_t>(kZetas[--m]);
      for (std::size_t j = start; j < start + len; ++j) {
        const std::int32_t t = w[j];
        w[j] = t + w[j + len];
        w[j + len] = montgomery_reduce(z * (static_cast<std::int64_t>(t) - w[j + len]));
      }
      if (reduce_sums)
        for (std::size_t j = start; j < start + len; ++j) w[j] = reduce32(w[j]);
    }
  }
  // Last layer (len = 128, ζ index 1) fused with Alg. 42's final scaling by f = 256^-1.
  for (std::size_t j = 0; j < kN / 2; ++j) {
    const std::int64_t t = w[j];
    const std::int64_t u = w[j + kN / 2];
    w[j] = montgomery_reduce(kInvNttScale * (t + u));
    w[j + kN / 2] = montgomery_reduce(kInvNttScaleZeta1 * (t - u));
  }
}

void pointwise_montgomery(Poly& c, const Poly& a, const Poly& b) noexcept {
  std::int32_t* cp = c.data();
  const std::int32_t* ap = a.data();
  const std::int32_t* bp = b.data();
  for (std::size_t i = 0; i < kN; ++i) cp[i] = montgomery_reduce(static_cast<std::int64_t>(ap[i]) * bp[i]);
}

void pointwise_acc_montgomery(Poly& c, const Poly& a, const Poly& b) noexcept {
  std::int32_t* cp = c.data();
  const std::int32_t* ap = a.data();
  const std::int32_t* bp = b.data();
  for (std::size_t i = 0; i < kN; ++i) cp[i] += montgomery_reduce(static_cast<std::int64_t>(ap[i]) * bp[i]);
}

void poly_add(Poly& c, const Poly& a, const Poly& b) noexcept {
  std::int32_t* cp = c.data();
  const std::int32_t* ap = a.data();
  const std::int32_t* bp = b.data();
  for (std::size_t i = 0; i < kN; ++i) cp[i] = ap[i] + bp[i];
}

void poly_sub(Poly& c, const Poly& a, const Poly& b) noexcept {
  std::int32_t* cp = c.data();
  const std::int32_t* ap = a.data();
  const std::int32_t* bp = b.data();
  for (std::size_t i = 0; i < kN; ++i) cp[i] = ap[i] - bp[i];
}

void poly_freeze(Poly& a) noexcept {
  std::int32_t* p = a.data();
  for (std::size_t i = 0; i < kN; ++i) p[i] = caddq(reduce32(p[i]));
}

std::int32_t use_hint(std::int32_t h, std::int32_t r, std::int32_t gamma2) noexcept {
  const std::int32_t m = (kQ - 1) / (2 * gamma2);
  std::int32_t r0 = 0;
  const std::int32_t r1 = decompose(r, gamma2, r0);
  if (h == 0) return r1;
  if (r0 > 0) return r1 + 1 == m ? 0 : r1 + 1;
  return r1 == 0 ? m - 1 : r1 - 1;
}

#if defined(CRATON_VALGRIND_CT)
void declassify(const void* p, std::size_t n) noexcept { (void)VALGRIND_MAKE_MEM_DEFINED(p, n); }
#else
void declassify(const void* /*p*/, std::size_t /*n*/) noexcept {}
#endif

std::int32_t inf_norm(std::span<const Poly> v) noexcept {
  std::int32_t max = 0;
  for (const Poly& p : v) {
    for (const std::int32_t c : p) {
      const std::int32_t sign = c >> 31;
      const std::int32_t abs = (c ^ sign) - sign;
      const std::int32_t bigger = (max - abs) >> 31;  // all ones iff abs > max
      max = (abs & bigger) | (max & ~bigger);
    }
  }
  return max;
}

}  // namespace craton::crypto::pqc::mldsa
