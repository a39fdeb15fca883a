// SLH-DSA hash functions (FIPS 205 §11): H_msg, PRF, PRF_msg, F, H and T_l, instantiated with
// SHAKE256 (§11.1) or SHA-256 / SHA-512 (§11.2.1 category 1, §11.2.2 categories 3 and 5).
//
// Speed: F, H, T_l and PRF all start with PK.seed || toByte(0, 64 − n) (SHA-256) or
// PK.seed || toByte(0, 128 − n) (SHA-512), a full block, so HashContext compresses that block once
// per key and copies the resulting chaining value; F, PRF and H then cost one block compression
// each (ADRSc || input || padding fits in the second block for every n), done with OpenSSL's
// SHA-2 block function (SHA-NI / AVX2 where the CPU has it). With SHAKE, F, H and PRF fit in one
// Keccak-f block (rate 136 > 4n + 32): the state's lanes are set from PK.seed, ADRS and the input
// and permuted once, without a sponge object.
//
// Constant time: no branch or memory index depends on hashed data. declassify() marks values
// FIPS 205 makes public (see slh_dsa.h) for the valgrind check (build with -DCRATON_VALGRIND_CT).
// Ownership: HashContext keeps a copy of SK.seed and its scratch blocks in one heap object that
// is wiped on destruction.
// Thread safety: a HashContext belongs to one operation on one thread; the free functions are pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "crypto/pqc/slh_dsa.h"
#include "crypto/pqc/slh_dsa_address.h"

namespace craton::crypto::pqc::slhdsa {

inline constexpr std::size_t kMaxN = 32;
// An n-byte hash value (tree node, WOTS+ chain value, FORS secret) in the first n bytes.
using Node = std::array<std::uint8_t, kMaxN>;
using Bytes = std::span<const std::uint8_t>;
// A message given as the concatenation of its pieces (M' = prefix || ctx || M without a copy).
using Pieces = std::span<const Bytes>;

// Marks bytes derived from secrets as public (a no-op unless CRATON_VALGRIND_CT is defined).
void declassify(const void* p, std::size_t n) noexcept;
// Overwrites memory in a way the compiler cannot elide (OPENSSL_cleanse).
void wipe(void* p, std::size_t n) noexcept;

// F, H, T_l and PRF for one key (PK.seed and, for signing and key generation, SK.seed).
class HashContext {
 public:
  // REQUIRES pk_seed.size() == p.n and sk_seed.size() ∈ {0, p.n} (empty: verification only,
  // prf() must not be called).
  HashContext(const SlhDsaParams& p, Bytes pk_seed, Bytes sk_seed);
  ~HashContext();
  HashContext(const HashContext&) = delete;
  HashContext& operator=(const HashContext&) = delete;

  const SlhDsaParams& params() const noexcept { return p_; }
  std::size_t n() const noexcept { return p_.n; }

  // Each writes out.size() == n bytes. Input and output may be the same buffer.
  void prf(const Address& adrs, std::span<std::uint8_t> out) noexcept;            // PRF(PK.seed, SK.seed, ADRS)
  void f(const Address& adrs, Bytes m1, std::span<std::uint8_t> out) noexcept;    // |m1| = n
  void h(const Address& adrs, Bytes m2, std::span<std::uint8_t> out) noexcept;    // |m2| = 2n
  void t(const Address& adrs, Bytes ml, std::span<std::uint8_t> out) noexcept;    // |ml| = l·n

 private:
  struct State;
  void one_block(const Address& adrs, Bytes in, bool sha512, std::span<std::uint8_t> out) noexcept;
  const SlhDsaParams& p_;
  std::unique_ptr<State> s_;
};

// H_msg(R, PK.seed, PK.root, M): out.size() == p.m.
void h_msg(const SlhDsaParams& p, Bytes r, Bytes pk_seed, Bytes pk_root, Pieces msg,
           std::span<std::uint8_t> out) noexcept;
// PRF_msg(SK.prf, opt_rand, M): out.size() == p.n.
void prf_msg(const SlhDsaParams& p, Bytes sk_prf, Bytes opt_rand, Pieces msg,
             std::span<std::uint8_t> out) noexcept;

}  // namespace craton::crypto::pqc::slhdsa
