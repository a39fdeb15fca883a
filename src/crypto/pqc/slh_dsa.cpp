// SLH-DSA (FIPS 205): the internal functions of §9 (Alg. 18-20) and the external ones of §10
// (Alg. 21-25), on top of the hypertree (slh_dsa_hypertree.cpp) and FORS (slh_dsa_fors.cpp).
#include "crypto/pqc/slh_dsa.h"

#include <algorithm>
#include <array>

#include "crypto/ossl/random.h"
#include "crypto/pqc/slh_dsa_internal.h"
#include "selftest/deferred.h"

namespace craton::crypto::pqc {
namespace {

using slhdsa::Address;
using slhdsa::HashContext;
using slhdsa::Node;
using Bytes = std::span<const std::uint8_t>;

constexpr std::size_t ceil8(std::size_t bits) { return (bits + 7) / 8; }

// Table 2's m is the digest length Alg. 19 consumes: ceil(k·a/8) + ceil((h − h/d)/8) + ceil(h/(8d)).
constexpr bool consistent(const SlhDsaParams& p) {
  return p.h == p.d * p.hp && p.hp < 32 && p.h - p.hp <= 64 && p.a <= 24 && p.n <= slhdsa::kMaxN &&
         p.k <= 35 && p.m == ceil8(std::size_t{p.k} * p.a) + ceil8(p.h - p.hp) + ceil8(p.hp);
}
static_assert(consistent(kSlhDsaSha2_128s) && consistent(kSlhDsaShake128s) && consistent(kSlhDsaSha2_128f) &&
              consistent(kSlhDsaShake128f) && consistent(kSlhDsaSha2_192s) && consistent(kSlhDsaShake192s) &&
              consistent(kSlhDsaSha2_192f) && consistent(kSlhDsaShake192f) && consistent(kSlhDsaSha2_256s) &&
              consistent(kSlhDsaShake256s) && consistent(kSlhDsaSha2_256f) && consistent(kSlhDsaShake256f));
// FIPS 205 Table 2 signature sizes.
static_assert(kSlhDsaSha2_128s.sig_bytes() == 7856 && kSlhDsaSha2_128f.sig_bytes() == 17088 &&
              kSlhDsaSha2_192s.sig_bytes() == 16224 && kSlhDsaSha2_192f.sig_bytes() == 35664 &&
              kSlhDsaSha2_256s.sig_bytes() == 29792 && kSlhDsaSha2_256f.sig_bytes() == 49856);

constexpr std::array<const SlhDsaParams*, 12> kAllParams{
    &kSlhDsaSha2_128s, &kSlhDsaShake128s, &kSlhDsaSha2_128f, &kSlhDsaShake128f,
    &kSlhDsaSha2_192s, &kSlhDsaShake192s, &kSlhDsaSha2_192f, &kSlhDsaShake192f,
    &kSlhDsaSha2_256s, &kSlhDsaShake256s, &kSlhDsaSha2_256f, &kSlhDsaShake256f};

// Alg. 19 lines 7-12 / Alg. 20 lines 8-13: md, idx_tree and idx_leaf from the digest.
struct DigestParts {
  Bytes md;
  std::uint64_t idx_tree = 0;
  std::uint32_t idx_leaf = 0;
};

std::uint64_t to_int(Bytes x) noexcept {  // Alg. 2 toInt(X, n), n ≤ 8
  std::uint64_t v = 0;
  for (std::uint8_t b : x) v = (v << 8) | b;
  return v;
}

DigestParts split_digest(const SlhDsaParams& p, Bytes digest) noexcept {
  const std::size_t md_bytes = ceil8(std::size_t{p.k} * p.a);
  const std::size_t tree_bits = p.h - p.hp;
  const std::size_t tree_bytes = ceil8(tree_bits);
  DigestParts parts;
  parts.md = digest.first(md_bytes);
  parts.idx_tree = to_int(digest.subspan(md_bytes, tree_bytes));
  if (tree_bits < 64) parts.idx_tree &= (std::uint64_t{1} << tree_bits) - 1;
  parts.idx_leaf = static_cast<std::uint32_t>(to_int(digest.subspan(md_bytes + tree_bytes, ceil8(p.hp))) &
                                              ((std::uint64_t{1} << p.hp) - 1));
  return parts;
}

// The fields of SK = SK.seed || SK.prf || PK.seed || PK.root and PK = PK.seed || PK.root.
struct SecretKeyView {
  Bytes sk_seed, sk_prf, pk_seed, pk_root;
  SecretKeyView(const SlhDsaParams& p, Bytes sk)
      : sk_seed(sk.first(p.n)), sk_prf(sk.subspan(p.n, p.n)), pk_seed(sk.subspan(2 * std::size_t{p.n}, p.n)),
        pk_root(sk.subspan(3 * std::size_t{p.n}, p.n)) {}
};

Status check_context(Bytes ctx) {
  if (ctx.size() > kSlhDsaMaxContextBytes)
    return fail(CKR_MECHANISM_PARAM_INVALID, "SLH-DSA context longer than 255 bytes");
  return ok_status();
}

Status check_prehash(Bytes ph_m, PreHash ph) {
  if (ph_m.size() != prehash_bytes(ph))
    return fail(CKR_DATA_LEN_RANGE, "HashSLH-DSA pre-hash length does not match its hash");
  return ok_status();
}

Status check_verify_sizes(const SlhDsaParams& p, Bytes pk, Bytes sig) {
  if (pk.size() != p.pk_bytes()) return fail(CKR_KEY_SIZE_RANGE, "SLH-DSA public key has the wrong length");
  if (sig.size() != p.sig_bytes()) return fail(CKR_SIGNATURE_LEN_RANGE, "SLH-DSA signature has the wrong length");
  return ok_status();
}

// Alg. 19 with M' in pieces (M' = prefix || ctx || M for the external functions, without a copy).
Result<std::vector<std::uint8_t>> sign_pieces(const SlhDsaParams& p, Bytes sk, slhdsa::Pieces m_prime,
                                              Bytes addrnd) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kSlhDsa));  // deferred CAST (selftest/deferred.h)
  if (sk.size() != p.sk_bytes()) return fail(CKR_KEY_SIZE_RANGE, "SLH-DSA private key has the wrong length");
  if (!addrnd.empty() && addrnd.size() != p.n)
    return fail(CKR_ARGUMENTS_BAD, "SLH-DSA addrnd must be n bytes (or empty: deterministic)");
  const SecretKeyView key(p, sk);
  const std::size_t n = p.n;
  std::vector<std::uint8_t> sig(p.sig_bytes());
  const std::span<std::uint8_t> r = std::span(sig).first(n);
  slhdsa::prf_msg(p, key.sk_prf, addrnd.empty() ? key.pk_seed : addrnd, m_prime, r);
  slhdsa::declassify(r.data(), n);  // R is the first part of the signature
  std::array<std::uint8_t, 64> digest{};
  slhdsa::h_msg(p, r, key.pk_seed, key.pk_root, m_prime, std::span(digest).first(p.m));
  const DigestParts parts = split_digest(p, std::span(digest).first(p.m));

  HashContext hc(p, key.pk_seed, key.sk_seed);
  Address adrs;
  adrs.set_tree_address(parts.idx_tree);
  adrs.set_type_and_clear(slhdsa::AddressType::kForsTree);
  adrs.set_key_pair_address(parts.idx_leaf);
  const std::size_t fors_bytes = std::size_t{p.k} * (1 + p.a) * n;
  const std::span<std::uint8_t> sig_fors = std::span(sig).subspan(n, fors_bytes);
  slhdsa::fors_sign(hc, parts.md, adrs, sig_fors);
  Node pk_fors = slhdsa::fors_pk_from_sig(hc, sig_fors, parts.md, adrs);
  slhdsa::declassify(pk_fors.data(), n);  // the hypertree signs it; a verifier recomputes it
  const Node root = slhdsa::ht_sign(hc, Bytes(pk_fors.data(), n), parts.idx_tree, parts.idx_leaf,
                                    std::span(sig).subspan(n + fors_bytes));
  // The top layer's root must be PK.root. If not, the key's PK.root does not belong to its
  // SK.seed / PK.seed (or a fault struck): the signature would not verify, so none is returned.
  bool matches = ct_equal(Bytes(root.data(), n), key.pk_root);
  slhdsa::declassify(&matches, sizeof matches);
  if (!matches) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "SLH-DSA private key's PK.root does not match SK.seed");
  slhdsa::declassify(sig.data(), sig.size());  // published
  return sig;
}

// Alg. 20 with M' in pieces.
bool verify_pieces(const SlhDsaParams& p, Bytes pk, slhdsa::Pieces m_prime, Bytes sig) {
  if (pk.size() != p.pk_bytes() || sig.size() != p.sig_bytes()) return false;
  const std::size_t n = p.n;
  const Bytes pk_seed = pk.first(n), pk_root = pk.subspan(n, n);
  const Bytes r = sig.first(n);
  const std::size_t fors_bytes = std::size_t{p.k} * (1 + p.a) * n;
  const Bytes sig_fors = sig.subspan(n, fors_bytes);
  const Bytes sig_ht = sig.subspan(n + fors_bytes);
  std::array<std::uint8_t, 64> digest{};
  slhdsa::h_msg(p, r, pk_seed, pk_root, m_prime, std::span(digest).first(p.m));
  const DigestParts parts = split_digest(p, std::span(digest).first(p.m));
  HashContext hc(p, pk_seed, {});
  Address adrs;
  adrs.set_tree_address(parts.idx_tree);
  adrs.set_type_and_clear(slhdsa::AddressType::kForsTree);
  adrs.set_key_pair_address(parts.idx_leaf);
  const Node pk_fors = slhdsa::fors_pk_from_sig(hc, sig_fors, parts.md, adrs);
  return slhdsa::ht_verify(hc, Bytes(pk_fors.data(), n), sig_ht, parts.idx_tree, parts.idx_leaf, pk_root);
}

// toByte(0, 1) || toByte(|ctx|, 1) for the pure form, toByte(1, 1) || toByte(|ctx|, 1) for the
// pre-hash form (Alg. 22-25).
std::array<std::uint8_t, 2> m_prime_prefix(bool prehash, Bytes ctx) {
  return {static_cast<std::uint8_t>(prehash ? 1 : 0), static_cast<std::uint8_t>(ctx.size())};
}

Result<SecureBytes> make_addrnd(const SlhDsaParams& p, SlhDsaHedge hedge) {
  if (hedge == SlhDsaHedge::kDeterministic) return SecureBytes();
  SecureBytes addrnd(p.n);
  CRATON_TRY(crypto::random_bytes(addrnd.span()));
  return addrnd;
}

}  // namespace

const SlhDsaParams* slh_dsa_params_for(CK_ULONG parameter_set) noexcept {
  for (const SlhDsaParams* p : kAllParams)
    if (p->parameter_set == parameter_set) return p;
  return nullptr;
}

std::span<const SlhDsaParams* const> slh_dsa_all_params() noexcept { return kAllParams; }

Result<SlhDsaKeyPair> slh_dsa_keygen_internal(const SlhDsaParams& p, Bytes sk_seed, Bytes sk_prf, Bytes pk_seed) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kSlhDsa));  // deferred CAST (selftest/deferred.h)
  if (sk_seed.size() != p.n || sk_prf.size() != p.n || pk_seed.size() != p.n)
    return fail(CKR_ARGUMENTS_BAD, "SLH-DSA seeds must be n bytes each");
  HashContext hc(p, pk_seed, sk_seed);
  Address adrs;
  adrs.set_layer_address(p.d - 1);
  Node pk_root = slhdsa::xmss_node(hc, 0, p.hp, adrs);
  slhdsa::declassify(pk_root.data(), p.n);  // part of the public key
  SlhDsaKeyPair kp;
  kp.pk.assign(pk_seed.begin(), pk_seed.end());
  kp.pk.insert(kp.pk.end(), pk_root.begin(), pk_root.begin() + p.n);
  kp.sk = SecureBytes(p.sk_bytes());
  const std::span<std::uint8_t> out = kp.sk.span();
  std::copy(sk_seed.begin(), sk_seed.end(), out.begin());
  std::copy(sk_prf.begin(), sk_prf.end(), out.begin() + p.n);
  std::copy(kp.pk.begin(), kp.pk.end(), out.begin() + 2 * static_cast<std::ptrdiff_t>(p.n));
  return kp;
}

Result<SlhDsaKeyPair> slh_dsa_keygen(const SlhDsaParams& p) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes seeds, crypto::random_secret(3 * std::size_t{p.n}));
  const Bytes s = seeds.span();
  return slh_dsa_keygen_internal(p, s.first(p.n), s.subspan(p.n, p.n), s.subspan(2 * std::size_t{p.n}, p.n));
}

Result<std::vector<std::uint8_t>> slh_dsa_sign_internal(const SlhDsaParams& p, Bytes sk, Bytes m_prime,
                                                        Bytes addrnd) {
  const std::array<Bytes, 1> pieces{m_prime};
  return sign_pieces(p, sk, pieces, addrnd);
}

bool slh_dsa_verify_internal(const SlhDsaParams& p, Bytes pk, Bytes m_prime, Bytes sig) {
  if (!selftest::before_use(selftest::Algorithm::kSlhDsa).ok()) return false;  // CAST failed: error state
  const std::array<Bytes, 1> pieces{m_prime};
  return verify_pieces(p, pk, pieces, sig);
}

Result<std::vector<std::uint8_t>> slh_dsa_sign(const SlhDsaParams& p, Bytes sk, Bytes msg, Bytes ctx,
                                               Bytes addrnd) {
  CRATON_TRY(check_context(ctx));
  const auto prefix = m_prime_prefix(false, ctx);
  const std::array<Bytes, 3> pieces{prefix, ctx, msg};
  return sign_pieces(p, sk, pieces, addrnd);
}

Result<std::vector<std::uint8_t>> slh_dsa_sign(const SlhDsaParams& p, Bytes sk, Bytes msg, Bytes ctx,
                                               SlhDsaHedge hedge) {
  CRATON_TRY(check_context(ctx));
  if (sk.size() != p.sk_bytes()) return fail(CKR_KEY_SIZE_RANGE, "SLH-DSA private key has the wrong length");
  CRATON_ASSIGN_OR_RETURN(const SecureBytes addrnd, make_addrnd(p, hedge));
  return slh_dsa_sign(p, sk, msg, ctx, addrnd.span());
}

Status slh_dsa_verify(const SlhDsaParams& p, Bytes pk, Bytes msg, Bytes ctx, Bytes sig) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kSlhDsa));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_context(ctx));
  CRATON_TRY(check_verify_sizes(p, pk, sig));
  const auto prefix = m_prime_prefix(false, ctx);
  const std::array<Bytes, 3> pieces{prefix, ctx, msg};
  if (!verify_pieces(p, pk, pieces, sig)) return fail(CKR_SIGNATURE_INVALID, "SLH-DSA signature invalid");
  return ok_status();
}

Result<std::vector<std::uint8_t>> hash_slh_dsa_sign(const SlhDsaParams& p, Bytes sk, Bytes ph_m, Bytes ctx,
                                                    PreHash ph, Bytes addrnd) {
  CRATON_TRY(check_context(ctx));
  CRATON_TRY(check_prehash(ph_m, ph));
  const auto prefix = m_prime_prefix(true, ctx);
  const auto oid = prehash_oid(ph);
  const std::array<Bytes, 4> pieces{prefix, ctx, oid, ph_m};
  return sign_pieces(p, sk, pieces, addrnd);
}

Result<std::vector<std::uint8_t>> hash_slh_dsa_sign(const SlhDsaParams& p, Bytes sk, Bytes ph_m, Bytes ctx,
                                                    PreHash ph, SlhDsaHedge hedge) {
  CRATON_TRY(check_context(ctx));
  CRATON_TRY(check_prehash(ph_m, ph));
  if (sk.size() != p.sk_bytes()) return fail(CKR_KEY_SIZE_RANGE, "SLH-DSA private key has the wrong length");
  CRATON_ASSIGN_OR_RETURN(const SecureBytes addrnd, make_addrnd(p, hedge));
  return hash_slh_dsa_sign(p, sk, ph_m, ctx, ph, addrnd.span());
}

Status hash_slh_dsa_verify(const SlhDsaParams& p, Bytes pk, Bytes ph_m, Bytes ctx, PreHash ph, Bytes sig) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kSlhDsa));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_context(ctx));
  CRATON_TRY(check_prehash(ph_m, ph));
  CRATON_TRY(check_verify_sizes(p, pk, sig));
  const auto prefix = m_prime_prefix(true, ctx);
  const auto oid = prehash_oid(ph);
  const std::array<Bytes, 4> pieces{prefix, ctx, oid, ph_m};
  if (!verify_pieces(p, pk, pieces, sig)) return fail(CKR_SIGNATURE_INVALID, "HashSLH-DSA signature invalid");
  return ok_status();
}

Status slh_dsa_check_private_key(const SlhDsaParams& p, Bytes sk) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kSlhDsa));  // deferred CAST (selftest/deferred.h)
  if (sk.size() != p.sk_bytes()) return fail(CKR_KEY_SIZE_RANGE, "SLH-DSA private key has the wrong length");
  const SecretKeyView key(p, sk);
  HashContext hc(p, key.pk_seed, key.sk_seed);
  Address adrs;
  adrs.set_layer_address(p.d - 1);
  const Node root = slhdsa::xmss_node(hc, 0, p.hp, adrs);
  bool matches = ct_equal(Bytes(root.data(), p.n), key.pk_root);
  slhdsa::declassify(&matches, sizeof matches);
  if (!matches) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "SLH-DSA private key's PK.root does not match SK.seed");
  return ok_status();
}

}  // namespace craton::crypto::pqc
