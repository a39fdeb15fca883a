// FIPS 203 (ML-KEM) polynomial layer: arithmetic in R_q = Z_q[X]/(X^256 + 1) and T_q, the NTT
// (Algorithms 9, 10), MultiplyNTTs / BaseCaseMultiply (Algorithms 11, 12), SampleNTT (Algorithm 7),
// SamplePolyCBD (Algorithm 8), Compress / Decompress (§4.2.1) and ByteEncode / ByteDecode
// (Algorithms 5, 6). All polynomial arithmetic of ML-KEM lives here so a vectorised backend can
// replace this one file.
//
// Representation: a polynomial is 256 signed 16-bit coefficients. Values are kept "small" (|x| < q
// unless stated) rather than canonical; canonical [0, q) form is produced only where the standard
// needs exact integers (ByteEncode_12, Compress). Modular reduction uses Montgomery (R = 2^16) and
// Barrett reduction written as multiply / shift / subtract: no branch and no memory index depends
// on coefficient values, so every function here except sample_ntt (rejection sampling on public
// XOF output, FIPS 203 §3.3 allows it) and byte_decode_12_is_canonical (a public-key check) is
// constant time in its inputs.
//
// Thread safety: pure functions on caller-owned data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace craton::crypto::pqc::ml_kem {

inline constexpr std::size_t kN = 256;          // n
inline constexpr std::int16_t kQ = 3329;        // q = 2^8 * 13 + 1
inline constexpr std::size_t kMaxK = 4;         // k of ML-KEM-1024

using Poly = std::array<std::int16_t, kN>;
using PolyVec = std::array<Poly, kMaxK>;        // first k entries used
using PolyMatrix = std::array<PolyVec, kMaxK>;  // [i][j], first k x k entries used

void scrub_memory(void* p, std::size_t n) noexcept;  // OPENSSL_cleanse

// Secret intermediates (s, e, y, m', ...) live in this wrapper: it is wiped when it goes out of
// scope, so key material never outlives the call on the stack.
template <class T>
class Scrubbed {
 public:
  Scrubbed() = default;
  Scrubbed(const Scrubbed&) = delete;
  Scrubbed& operator=(const Scrubbed&) = delete;
  ~Scrubbed() { scrub_memory(&value_, sizeof(value_)); }
  T& operator*() noexcept { return value_; }
  const T& operator*() const noexcept { return value_; }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }

 private:
  T value_{};
};

// ---- modular arithmetic ---------------------------------------------------------------------

// a * 2^-16 mod q for |a| < q * 2^15; result in (-q, q).
std::int16_t montgomery_reduce(std::int32_t a) noexcept;
// a mod q for any int16 a; result in [-(q-1)/2, (q-1)/2].
std::int16_t barrett_reduce(std::int16_t a) noexcept;

// ---- NTT (§4.3) -----------------------------------------------------------------------------

// Algorithm 9, NTT. REQUIRES |f[i]| < q. Output exact (mod q), Barrett-reduced (|x| <= (q-1)/2).
void ntt(Poly& f) noexcept;
// Algorithm 10, NTT^-1, followed by a multiplication by R = 2^16, which cancels the R^-1 left by
// multiply_ntts_sum. REQUIRES |f[i]| < q. Output |x| < q.
void ntt_inverse_times_r(Poly& f) noexcept;
// Algorithm 11 (MultiplyNTTs with Algorithm 12 BaseCaseMultiply) over the first k entries of two
// vectors, summed: out = R^-1 * sum_j a[j] x b[j] in T_q. REQUIRES |coefficients| < q, k <= 4.
// Output Barrett-reduced (|x| <= (q-1)/2).
void multiply_ntts_sum(Poly& out, const PolyVec& a, const PolyVec& b, std::size_t k) noexcept;
// x -> x * R mod q (undoes the R^-1 of multiply_ntts_sum when no NTT^-1 follows). Output |x| < q.
void poly_to_montgomery(Poly& f) noexcept;

// f += g / f -= g without reduction. Callers keep |f| + |g| < 2^15.
void poly_add(Poly& f, const Poly& g) noexcept;
void poly_sub(Poly& f, const Poly& g) noexcept;
// Barrett-reduces every coefficient (|x| <= (q-1)/2).
void poly_reduce(Poly& f) noexcept;
// REQUIRES |x| < q: maps every coefficient to its canonical representative in [0, q).
void poly_canonical(Poly& f) noexcept;

// ---- sampling (§4.2.2) ----------------------------------------------------------------------

// Algorithm 7, SampleNTT(rho || j || i): uniform element of T_q, coefficients in [0, q), read
// from an incrementally squeezed SHAKE128 stream. Branches on public XOF output only.
void sample_ntt(Poly& a, std::span<const std::uint8_t, 32> rho, std::uint8_t j,
                std::uint8_t i) noexcept;
// Algorithm 8, SamplePolyCBD_eta(B) for eta in {2, 3}; B has 64 * eta bytes. Coefficients in
// [-eta, eta]. Constant time.
void sample_poly_cbd(Poly& f, std::span<const std::uint8_t> b, unsigned eta) noexcept;

// ---- compression and encoding (§4.2.1) --------------------------------------------------------

// Compress_d / Decompress_d for d in {1, 4, 5, 10, 11}. compress REQUIRES canonical input
// [0, q); the division by q is an exact multiply-shift (no variable-time divide).
void compress(Poly& f, unsigned d) noexcept;
void decompress(Poly& f, unsigned d) noexcept;
// Algorithm 5, ByteEncode_d, d in {1, 4, 5, 10, 11, 12}. REQUIRES 0 <= f[i] < 2^d (for d = 12:
// < q). out has 32 * d bytes.
void byte_encode(std::span<std::uint8_t> out, const Poly& f, unsigned d) noexcept;
// Algorithm 6, ByteDecode_d; in has 32 * d bytes. For d = 12 the values are reduced mod q
// (constant time), as the standard specifies.
void byte_decode(Poly& f, std::span<const std::uint8_t> in, unsigned d) noexcept;
// The modulus check of §7.2 for one encoded polynomial: true iff every 12-bit value is < q,
// i.e. ByteEncode_12(ByteDecode_12(in)) == in. `in` has 384 bytes. Public data only.
bool byte_decode_12_is_canonical(std::span<const std::uint8_t> in) noexcept;

}  // namespace craton::crypto::pqc::ml_kem
