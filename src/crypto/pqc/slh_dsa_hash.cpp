// SLH-DSA hash functions, FIPS 205 §11 (see slh_dsa_hash.h).
// The low-level SHA-2 interface is the only one that exposes a chaining value to copy and a
// single-block compression; EVP has neither.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/pqc/slh_dsa_hash.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "crypto/pqc/keccak.h"

#if defined(CRATON_VALGRIND_CT)
#include <valgrind/memcheck.h>
#endif

namespace craton::crypto::pqc::slhdsa {

#if defined(CRATON_VALGRIND_CT)
void declassify(const void* p, std::size_t n) noexcept { (void)VALGRIND_MAKE_MEM_DEFINED(p, n); }
#else
void declassify(const void* /*p*/, std::size_t /*n*/) noexcept {}
#endif

void wipe(void* p, std::size_t n) noexcept { OPENSSL_cleanse(p, n); }

namespace {

constexpr std::size_t kShakeRate = Shake256::kRateBytes;  // 136
constexpr std::size_t kSha2Block = 128;                   // the larger (SHA-512) block

void store_be32(std::uint32_t v, std::uint8_t* out) noexcept {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void store_be64(std::uint64_t v, std::uint8_t* out) noexcept {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}
std::uint64_t load_le64(const std::uint8_t* in) noexcept {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{in[i]} << (8 * i);
  return v;
}

// The SHA-2 functions as objects, so that H_msg, MGF1 and HMAC are written once for both sizes.
// Each wipes its context (it may hold SK.prf) when it goes out of scope.
struct Sha256 {
  static constexpr std::size_t kBlock = 64, kOut = 32;
  SHA256_CTX c;
  Sha256() noexcept { SHA256_Init(&c); }
  ~Sha256() { OPENSSL_cleanse(&c, sizeof c); }
  void update(Bytes b) noexcept { SHA256_Update(&c, b.data(), b.size()); }
  void final(std::span<std::uint8_t, kOut> out) noexcept { SHA256_Final(out.data(), &c); }
};
struct Sha512 {
  static constexpr std::size_t kBlock = 128, kOut = 64;
  SHA512_CTX c;
  Sha512() noexcept { SHA512_Init(&c); }
  ~Sha512() { OPENSSL_cleanse(&c, sizeof c); }
  void update(Bytes b) noexcept { SHA512_Update(&c, b.data(), b.size()); }
  void final(std::span<std::uint8_t, kOut> out) noexcept { SHA512_Final(out.data(), &c); }
};

// MGF1-SHA-x(R || PK.seed || SHA-x(R || PK.seed || PK.root || M), m) (§11.2.1 / §11.2.2 H_msg).
template <class Sha>
void h_msg_sha2(Bytes r, Bytes pk_seed, Bytes pk_root, Pieces msg, std::span<std::uint8_t> out) noexcept {
  std::array<std::uint8_t, Sha::kOut> inner{};
  {
    Sha sha;
    sha.update(r);
    sha.update(pk_seed);
    sha.update(pk_root);
    for (Bytes b : msg) sha.update(b);
    sha.final(inner);
  }
  // MGF1 (RFC 8017 B.2.1): T = Hash(seed || C) for C = 0, 1, ..., truncated to m bytes.
  std::array<std::uint8_t, Sha::kOut> block{};
  for (std::uint32_t counter = 0; counter * Sha::kOut < out.size(); ++counter) {
    std::array<std::uint8_t, 4> c{};
    store_be32(counter, c.data());
    Sha sha;
    sha.update(r);
    sha.update(pk_seed);
    sha.update(inner);
    sha.update(c);
    sha.final(block);
    const std::size_t at = counter * Sha::kOut;
    const std::size_t take = std::min(Sha::kOut, out.size() - at);
    std::copy_n(block.begin(), take, out.begin() + static_cast<std::ptrdiff_t>(at));
  }
}

// Trunc_n(HMAC-SHA-x(SK.prf, opt_rand || M)) (§11.2 PRF_msg; HMAC per FIPS 198-1, key < block).
template <class Sha>
void prf_msg_sha2(Bytes sk_prf, Bytes opt_rand, Pieces msg, std::span<std::uint8_t> out) noexcept {
  std::array<std::uint8_t, Sha::kBlock> pad{};
  std::copy(sk_prf.begin(), sk_prf.end(), pad.begin());
  for (auto& b : pad) b ^= 0x36;
  std::array<std::uint8_t, Sha::kOut> digest{};
  {
    Sha inner;
    inner.update(pad);
    inner.update(opt_rand);
    for (Bytes b : msg) inner.update(b);
    inner.final(digest);
  }
  for (auto& b : pad) b ^= 0x36 ^ 0x5C;
  {
    Sha outer;
    outer.update(pad);
    outer.update(digest);
    outer.final(digest);
  }
  std::copy_n(digest.begin(), out.size(), out.begin());
  OPENSSL_cleanse(pad.data(), pad.size());
  OPENSSL_cleanse(digest.data(), digest.size());
}

}  // namespace

// Everything HashContext needs between calls. Trivially copyable; wiped as a whole.
struct HashContext::State {
  SHA256_CTX seeded256;  // after PK.seed || toByte(0, 64 − n)
  SHA512_CTX seeded512;  // after PK.seed || toByte(0, 128 − n) (n > 16: H and T_l use SHA-512)
  SHA256_CTX scratch256;
  SHA512_CTX scratch512;
  KeccakState keccak;
  std::array<std::uint64_t, kMaxN / 8> pk_seed_lanes;  // SHAKE: PK.seed as little-endian lanes
  std::array<std::uint8_t, kSha2Block> block;           // SHA2: the second block
  std::array<std::uint8_t, kMaxN> pk_seed;
  std::array<std::uint8_t, kMaxN> sk_seed;
};

HashContext::HashContext(const SlhDsaParams& p, Bytes pk_seed, Bytes sk_seed)
    : p_(p), s_(std::make_unique<State>()) {
  State& s = *s_;
  std::memset(&s, 0, sizeof s);
  std::copy(sk_seed.begin(), sk_seed.end(), s.sk_seed.begin());
  std::copy(pk_seed.begin(), pk_seed.end(), s.pk_seed.begin());
  if (p.shake) {
    for (std::size_t i = 0; i < p.n / 8; ++i) s.pk_seed_lanes[i] = load_le64(pk_seed.data() + 8 * i);
    return;
  }
  std::array<std::uint8_t, 128> first{};  // PK.seed || toByte(0, block − n)
  std::copy(pk_seed.begin(), pk_seed.end(), first.begin());
  SHA256_Init(&s.seeded256);
  SHA256_Update(&s.seeded256, first.data(), 64);
  if (p.n > 16) {
    SHA512_Init(&s.seeded512);
    SHA512_Update(&s.seeded512, first.data(), 128);
  }
}

HashContext::~HashContext() { OPENSSL_cleanse(s_.get(), sizeof(State)); }

namespace {

using Block = std::array<std::uint8_t, kSha2Block>;

// block[0, len) = ADRSc || input; completes the second SHA-256 block (the first is PK.seed ||
// padding, in `seeded`) and writes the first out.size() bytes of the digest. REQUIRES len ≤ 55.
void sha256_second_block(const SHA256_CTX& seeded, SHA256_CTX& scratch, Block& block, std::size_t len,
                         std::span<std::uint8_t> out) noexcept {
  block[len] = 0x80;
  std::fill(block.begin() + static_cast<std::ptrdiff_t>(len) + 1, block.begin() + 56, 0);
  store_be64((64 + len) * 8, block.data() + 56);
  scratch = seeded;
  SHA256_Transform(&scratch, block.data());
  for (std::size_t i = 0; i < out.size() / 4; ++i) store_be32(scratch.h[i], out.data() + 4 * i);
}

// The same with SHA-512 (first block of 128 bytes). REQUIRES len ≤ 111.
void sha512_second_block(const SHA512_CTX& seeded, SHA512_CTX& scratch, Block& block, std::size_t len,
                         std::span<std::uint8_t> out) noexcept {
  block[len] = 0x80;
  std::fill(block.begin() + static_cast<std::ptrdiff_t>(len) + 1, block.begin() + 120, 0);
  store_be64((128 + len) * 8, block.data() + 120);
  scratch = seeded;
  SHA512_Transform(&scratch, block.data());
  for (std::size_t i = 0; i < out.size() / 8; ++i) store_be64(scratch.h[i], out.data() + 8 * i);
}

// SHAKE256(PK.seed || ADRS || in, 8n) when it fits in one block (n + 32 + |in| < 136, every
// piece a whole number of lanes): the lanes are set directly, padded, permuted once.
void shake256_one_block(KeccakState& st, std::span<const std::uint64_t> seed_lanes, const Address& adrs,
                        Bytes in, std::span<std::uint8_t> out) noexcept {
  std::size_t lane = 0;
  for (const std::uint64_t v : seed_lanes) st[lane++] = v;
  const auto a = adrs.bytes();
  for (std::size_t i = 0; i < kAddressBytes; i += 8) st[lane++] = load_le64(a.data() + i);
  for (std::size_t i = 0; i < in.size(); i += 8) st[lane++] = load_le64(in.data() + i);
  st[lane++] = 0x1F;  // SHAKE domain bits and the first bit of pad10*1
  while (lane < kKeccakLanes) st[lane++] = 0;
  st[kShakeRate / 8 - 1] ^= std::uint64_t{0x80} << 56;  // the last bit of pad10*1
  keccak_p1600_24(st);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(st[i / 8] >> (8 * (i % 8)));
}

}  // namespace

// SHAKE: X(PK.seed, ADRS, in) = SHAKE256(PK.seed || ADRS || in, 8n), one block for |in| ≤ 2n.
// SHA2: Trunc_n(SHA-x(PK.seed || toByte(0, block − n) || ADRSc || in)), the second block only.
void HashContext::one_block(const Address& adrs, Bytes in, bool sha512, std::span<std::uint8_t> out) noexcept {
  State& s = *s_;
  if (p_.shake) {
    shake256_one_block(s.keccak, std::span(s.pk_seed_lanes).first(p_.n / 8), adrs, in, out);
    return;
  }
  Block& blk = s.block;
  adrs.compress(std::span<std::uint8_t, kCompressedAddressBytes>(blk.data(), kCompressedAddressBytes));
  std::copy(in.begin(), in.end(), blk.begin() + kCompressedAddressBytes);
  if (sha512) {
    sha512_second_block(s.seeded512, s.scratch512, blk, kCompressedAddressBytes + in.size(), out);
  } else {
    sha256_second_block(s.seeded256, s.scratch256, blk, kCompressedAddressBytes + in.size(), out);
  }
}

// PRF and F use SHA-256 in every category; H and T_l use SHA-512 in categories 3 and 5 (n > 16).
void HashContext::prf(const Address& adrs, std::span<std::uint8_t> out) noexcept {
  one_block(adrs, Bytes(s_->sk_seed.data(), p_.n), false, out);
}

void HashContext::f(const Address& adrs, Bytes m1, std::span<std::uint8_t> out) noexcept {
  one_block(adrs, m1, false, out);
}

void HashContext::h(const Address& adrs, Bytes m2, std::span<std::uint8_t> out) noexcept {
  one_block(adrs, m2, p_.n > 16, out);
}

void HashContext::t(const Address& adrs, Bytes ml, std::span<std::uint8_t> out) noexcept {
  if (p_.shake) {
    Shake256 x;
    x.absorb(Bytes(s_->pk_seed.data(), p_.n));
    x.absorb(adrs.bytes());
    x.absorb(ml);
    x.squeeze(out);
    return;
  }
  std::array<std::uint8_t, kCompressedAddressBytes> adrs_c{};
  adrs.compress(adrs_c);
  std::array<std::uint8_t, 64> digest{};
  if (p_.n > 16) {
    s_->scratch512 = s_->seeded512;
    SHA512_Update(&s_->scratch512, adrs_c.data(), adrs_c.size());
    SHA512_Update(&s_->scratch512, ml.data(), ml.size());
    SHA512_Final(digest.data(), &s_->scratch512);
  } else {
    s_->scratch256 = s_->seeded256;
    SHA256_Update(&s_->scratch256, adrs_c.data(), adrs_c.size());
    SHA256_Update(&s_->scratch256, ml.data(), ml.size());
    SHA256_Final(digest.data(), &s_->scratch256);
  }
  std::copy_n(digest.begin(), out.size(), out.begin());
}

void h_msg(const SlhDsaParams& p, Bytes r, Bytes pk_seed, Bytes pk_root, Pieces msg,
           std::span<std::uint8_t> out) noexcept {
  if (p.shake) {  // SHAKE256(R || PK.seed || PK.root || M, 8m)
    Shake256 x;
    x.absorb(r);
    x.absorb(pk_seed);
    x.absorb(pk_root);
    for (Bytes b : msg) x.absorb(b);
    x.squeeze(out);
  } else if (p.n == 16) {
    h_msg_sha2<Sha256>(r, pk_seed, pk_root, msg, out);
  } else {
    h_msg_sha2<Sha512>(r, pk_seed, pk_root, msg, out);
  }
}

void prf_msg(const SlhDsaParams& p, Bytes sk_prf, Bytes opt_rand, Pieces msg,
             std::span<std::uint8_t> out) noexcept {
  if (p.shake) {  // SHAKE256(SK.prf || opt_rand || M, 8n)
    Shake256 x;
    x.absorb(sk_prf);
    x.absorb(opt_rand);
    for (Bytes b : msg) x.absorb(b);
    x.squeeze(out);
  } else if (p.n == 16) {
    prf_msg_sha2<Sha256>(sk_prf, opt_rand, msg, out);
  } else {
    prf_msg_sha2<Sha512>(sk_prf, opt_rand, msg, out);
  }
}

}  // namespace craton::crypto::pqc::slhdsa
