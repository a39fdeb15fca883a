// SLH-DSA building blocks, one group per section of FIPS 205, named after its algorithms:
//   §4.4 / §5  base_2b (Alg. 4) and WOTS+ (Alg. 5-8) ........ slh_dsa_wots.cpp
//   §6         XMSS (Alg. 9-11) ............................. slh_dsa_xmss.cpp
//   §7         the hypertree (Alg. 12-13) ................... slh_dsa_hypertree.cpp
//   §8         FORS (Alg. 14-17) ............................ slh_dsa_fors.cpp
//
// A function that changes its ADRS takes it by value (the others by const reference): every
// algorithm of FIPS 205 sets the address fields it uses before it uses them, so no caller depends
// on what a callee did to its ADRS.
// REQUIRES (not checked here; slh_dsa.cpp validates every external input first): spans have the
// sizes FIPS 205 gives them for hc.params(); indices are in range.
// Constant time and thread safety: see slh_dsa.h and slh_dsa_hash.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/pqc/slh_dsa.h"
#include "crypto/pqc/slh_dsa_address.h"
#include "crypto/pqc/slh_dsa_hash.h"

namespace craton::crypto::pqc::slhdsa {

inline constexpr unsigned kLgW = 4;        // lg_w, the same for every parameter set
inline constexpr unsigned kW = 1U << kLgW;  // w = 16
inline constexpr unsigned kLen2 = 3;       // Alg. 1 gen_len2(n, lg_w) for n ∈ {16, 24, 32}
inline constexpr unsigned kMaxLen = 2 * kMaxN + kLen2;  // 67

// len = len1 + len2 with len1 = 8n / lg_w (§5, Eq. 5.1-5.4).
constexpr unsigned wots_len(const SlhDsaParams& p) noexcept { return 2 * p.n + kLen2; }

// Alg. 4 base_2b(X, b, out_len): out.size() integers of b bits each from X, most significant
// first. REQUIRES b ≤ 24 and |X| ≥ ceil(out_len·b / 8).
void base_2b(Bytes x, unsigned b, std::span<std::uint32_t> out) noexcept;

// ---- §5 WOTS+ ----
// Alg. 5 chain(X, i, s, PK.seed, ADRS), in place on x (n bytes).
void chain(HashContext& hc, std::span<std::uint8_t> x, unsigned i, unsigned s, Address adrs) noexcept;
// Alg. 6 wots_pkGen(SK.seed, PK.seed, ADRS) → pk (n bytes).
void wots_pk_gen(HashContext& hc, Address adrs, std::span<std::uint8_t> pk) noexcept;
// Alg. 7 wots_sign(M, SK.seed, PK.seed, ADRS) → sig (len·n bytes); M is n bytes.
void wots_sign(HashContext& hc, Bytes m, Address adrs, std::span<std::uint8_t> sig) noexcept;
// Alg. 8 wots_pkFromSig(sig, M, PK.seed, ADRS) → pk (n bytes).
void wots_pk_from_sig(HashContext& hc, Bytes sig, Bytes m, Address adrs, std::span<std::uint8_t> pk) noexcept;

// ---- §6 XMSS ----
// Alg. 9 xmss_node(SK.seed, i, z, PK.seed, ADRS).
Node xmss_node(HashContext& hc, std::uint32_t i, unsigned z, Address adrs) noexcept;
// Alg. 10 xmss_sign(M, SK.seed, idx, PK.seed, ADRS) → SIG_XMSS ((len + h')·n bytes).
void xmss_sign(HashContext& hc, Bytes m, std::uint32_t idx, Address adrs, std::span<std::uint8_t> sig_xmss) noexcept;
// Alg. 11 xmss_pkFromSig(idx, SIG_XMSS, M, PK.seed, ADRS).
Node xmss_pk_from_sig(HashContext& hc, std::uint32_t idx, Bytes sig_xmss, Bytes m, Address adrs) noexcept;
// One step up an authentication path (Alg. 11 lines 9-14, Alg. 17 lines 13-18), with the tree
// height already set in `adrs`: the tree index moves to the parent and `node` becomes
// H(node || auth) when `bit` (the index bit at this height) is 0, else H(auth || node).
void auth_path_step(HashContext& hc, Address& adrs, std::uint32_t bit, Bytes auth, Node& node) noexcept;

// ---- §7 the hypertree ----
// Alg. 12 ht_sign(M, SK.seed, PK.seed, idx_tree, idx_leaf) → SIG_HT ((h + d·len)·n bytes).
// Returns the root of the top XMSS tree as the signature determines it (Alg. 12 skips that last
// xmss_pkFromSig; computing it lets the caller compare it with PK.root, see slh_dsa.cpp).
Node ht_sign(HashContext& hc, Bytes m, std::uint64_t idx_tree, std::uint32_t idx_leaf,
             std::span<std::uint8_t> sig_ht) noexcept;
// Alg. 13 ht_verify(M, SIG_HT, PK.seed, idx_tree, idx_leaf, PK.root).
bool ht_verify(HashContext& hc, Bytes m, Bytes sig_ht, std::uint64_t idx_tree, std::uint32_t idx_leaf,
               Bytes pk_root) noexcept;

// ---- §8 FORS ----
// Alg. 14 fors_skGen(SK.seed, PK.seed, ADRS, idx) → sk (n bytes).
void fors_sk_gen(HashContext& hc, const Address& adrs, std::uint32_t idx, std::span<std::uint8_t> sk) noexcept;
// Alg. 15 fors_node(SK.seed, i, z, PK.seed, ADRS).
Node fors_node(HashContext& hc, std::uint32_t i, unsigned z, Address adrs) noexcept;
// Alg. 16 fors_sign(md, SK.seed, PK.seed, ADRS) → SIG_FORS (k(1 + a)·n bytes).
void fors_sign(HashContext& hc, Bytes md, const Address& adrs, std::span<std::uint8_t> sig_fors) noexcept;
// Alg. 17 fors_pkFromSig(SIG_FORS, md, PK.seed, ADRS).
Node fors_pk_from_sig(HashContext& hc, Bytes sig_fors, Bytes md, Address adrs) noexcept;

}  // namespace craton::crypto::pqc::slhdsa
