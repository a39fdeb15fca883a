// FIPS 203 §6 (ML-KEM internal algorithms 16-18) and §7 (ML-KEM.KeyGen / Encaps / Decaps,
// algorithms 19-21, with the input checks of §7.2 and §7.3).
#include "crypto/pqc/ml_kem.h"

#include <algorithm>
#include <array>

#include "crypto/ossl/random.h"
#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_kem_expanded.h"
#include "crypto/pqc/ml_kem_poly.h"
#include "selftest/deferred.h"

namespace craton::crypto::pqc {
namespace {

using ml_kem::Scrubbed;

constexpr std::size_t kPolyBytes = 384;
constexpr std::size_t kHashBytes = 32;

// Hides a value from the optimiser so a mask computed without branches is not turned back
// into a branch.
inline std::uint32_t value_barrier(std::uint32_t x) noexcept {
#if defined(__GNUC__)
  __asm__("" : "+r"(x));
#endif
  return x;
}

// 0xFF if a != b, 0x00 if equal, without a data-dependent branch (lengths are public).
std::uint8_t ct_differ_mask(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  std::uint32_t acc = 0;
  for (std::size_t i = 0; i < a.size(); ++i) acc |= static_cast<std::uint32_t>(a[i] ^ b[i]);
  acc = value_barrier(acc);
  const std::uint32_t nonzero = (acc | (0U - acc)) >> 31;  // 1 iff acc != 0
  return static_cast<std::uint8_t>(0U - nonzero);
}

// H(s) = SHA3-256(s) (§4.1, eq. 4.4), on public input.
std::array<std::uint8_t, kHashBytes> hash_h(std::span<const std::uint8_t> s) { return sha3_256(s); }

// G(c) = SHA3-512(c) split into two 32-byte halves (§4.1, eq. 4.5); here c = a || b.
void hash_g(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
            std::span<std::uint8_t, 64> out) {
  Sha3_512 g;
  g.absorb(a);
  g.absorb(b);
  g.finalize(out);
}

Status check_length(std::span<const std::uint8_t> v, std::size_t n, CK_RV rv, const char* reason) {
  if (v.size() != n) return fail(rv, reason);
  return ok_status();
}

}  // namespace

std::optional<MlKemParams> ml_kem_params_for(CK_ULONG parameter_set) noexcept {
  for (const MlKemParams& p : {kMlKem512, kMlKem768, kMlKem1024}) {
    if (p.parameter_set == parameter_set) return p;
  }
  return std::nullopt;
}

// Algorithm 16, ML-KEM.KeyGen_internal(d, z).
Result<MlKemKeyPair> ml_kem_keygen_internal(const MlKemParams& params,
                                            std::span<const std::uint8_t> d,
                                            std::span<const std::uint8_t> z) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_length(d, kMlKemSeedBytes, CKR_ARGUMENTS_BAD, "ML-KEM: d must be 32 bytes"));
  CRATON_TRY(check_length(z, kMlKemSeedBytes, CKR_ARGUMENTS_BAD, "ML-KEM: z must be 32 bytes"));
  const std::size_t k = params.k;
  MlKemKeyPair kp{std::vector<std::uint8_t>(params.ek_bytes()), SecureBytes(params.dk_bytes())};
  // Lines 1-3: (ek_PKE, dk_PKE) ← K-PKE.KeyGen(d); ek ← ek_PKE.
  const std::span<std::uint8_t> dk = kp.dk.span();
  ml_kem::kpke_keygen(params, d.first<32>(), kp.ek, dk.first(kPolyBytes * k));
  // Line 4: dk ← dk_PKE || ek || H(ek) || z.
  std::copy(kp.ek.begin(), kp.ek.end(), dk.begin() + static_cast<std::ptrdiff_t>(kPolyBytes * k));
  const auto h = hash_h(kp.ek);
  std::copy(h.begin(), h.end(), dk.begin() + static_cast<std::ptrdiff_t>(768 * k + 32));
  std::copy(z.begin(), z.end(), dk.begin() + static_cast<std::ptrdiff_t>(768 * k + 64));
  return kp;
}

Result<MlKemKeyPair> ml_kem_keygen_from_seed(const MlKemParams& params,
                                             std::span<const std::uint8_t> seed) {
  CRATON_TRY(check_length(seed, kMlKemFullSeedBytes, CKR_ARGUMENTS_BAD,
                          "ML-KEM: seed d || z must be 64 bytes"));
  return ml_kem_keygen_internal(params, seed.first(32), seed.subspan(32));
}

// Algorithm 19, ML-KEM.KeyGen(): lines 1-2 draw d and z; line 3 returns ⊥ if that fails.
Result<MlKemKeyPair> ml_kem_keygen(const MlKemParams& params, SecureBytes* seed_out) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes seed, crypto::random_secret(kMlKemFullSeedBytes));
  auto kp = ml_kem_keygen_from_seed(params, seed.span());
  if (kp.ok() && seed_out != nullptr) *seed_out = std::move(seed);
  return kp;
}

// §7.2, lines 1-2: type check (length) and modulus check (every ByteDecode_12 value < q).
Status ml_kem_check_encapsulation_key(const MlKemParams& params,
                                      std::span<const std::uint8_t> ek) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_length(ek, params.ek_bytes(), CKR_KEY_SIZE_RANGE,
                          "ML-KEM: encapsulation key length does not match the parameter set"));
  for (std::size_t i = 0; i < params.k; ++i) {
    if (!ml_kem::byte_decode_12_is_canonical(ek.subspan(kPolyBytes * i, kPolyBytes))) {
      return fail(CKR_PUBLIC_KEY_INVALID, "ML-KEM: encapsulation key fails the modulus check");
    }
  }
  return ok_status();
}

// §7.3, lines 2-3: dk type check (length) and hash check H(dk[384k : 768k+32]) = dk[768k+32 :
// 768k+64]. Only public parts of dk (ek and its hash) are compared, so a plain compare is fine.
Status ml_kem_check_decapsulation_key(const MlKemParams& params,
                                      std::span<const std::uint8_t> dk) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_length(dk, params.dk_bytes(), CKR_KEY_SIZE_RANGE,
                          "ML-KEM: decapsulation key length does not match the parameter set"));
  const std::size_t k = params.k;
  const auto h = hash_h(dk.subspan(kPolyBytes * k, params.ek_bytes()));
  if (!std::equal(h.begin(), h.end(), dk.begin() + static_cast<std::ptrdiff_t>(768 * k + 32))) {
    return fail(CKR_ATTRIBUTE_VALUE_INVALID, "ML-KEM: decapsulation key fails the hash check");
  }
  return ok_status();
}

// §7.3, line 1: ciphertext type check.
Status ml_kem_check_ciphertext(const MlKemParams& params, std::span<const std::uint8_t> c) {
  return check_length(c, params.ciphertext_bytes(), CKR_ENCRYPTED_DATA_LEN_RANGE,
                      "ML-KEM: ciphertext length does not match the parameter set");
}

namespace {

// Algorithm 17, ML-KEM.Encaps_internal, given H(ek) and a K-PKE.Encrypt over ek.
template <class Encrypt>
MlKemEncapsulation encaps_with(const MlKemParams& params, std::span<const std::uint8_t, kHashBytes> h,
                               std::span<const std::uint8_t> m, Encrypt&& encrypt) {
  // Line 1: (K, r) ← G(m || H(ek)).
  Scrubbed<std::array<std::uint8_t, 64>> kr;
  hash_g(m, h, *kr);
  const auto kr_span = std::span<const std::uint8_t, 64>(*kr);
  // Line 2: c ← K-PKE.Encrypt(ek, m, r).
  MlKemEncapsulation out{SecureBytes(kr_span.first<32>()),
                         std::vector<std::uint8_t>(params.ciphertext_bytes())};
  encrypt(m.first<32>(), kr_span.last<32>(), std::span<std::uint8_t>(out.ciphertext));
  return out;
}

// Algorithm 18, ML-KEM.Decaps_internal, given h = H(ek), z, K-PKE.Decrypt with dk_PKE and
// K-PKE.Encrypt with the ek inside dk.
template <class Decrypt, class Encrypt>
SecureBytes decaps_with(const MlKemParams& params, std::span<const std::uint8_t> h, std::span<const std::uint8_t> z,
                        std::span<const std::uint8_t> c, Decrypt&& decrypt, Encrypt&& encrypt) {
  // Line 5: m' ← K-PKE.Decrypt(dk_PKE, c).
  Scrubbed<std::array<std::uint8_t, 32>> m_prime;
  decrypt(c, std::span<std::uint8_t, 32>(*m_prime));
  // Line 6: (K', r') ← G(m' || h).
  Scrubbed<std::array<std::uint8_t, 64>> kr;
  hash_g(*m_prime, h, *kr);
  const auto kr_span = std::span<const std::uint8_t, 64>(*kr);
  // Line 7: K̄ ← J(z || c) = SHAKE256(z || c, 8·32).
  Scrubbed<std::array<std::uint8_t, 32>> k_bar;
  Shake256 j;
  j.absorb(z);
  j.absorb(c);
  j.squeeze(*k_bar);
  // Line 8: c' ← K-PKE.Encrypt(ek_PKE, m', r').
  SecureBytes c_prime(params.ciphertext_bytes());
  encrypt(std::span<const std::uint8_t, 32>(*m_prime), kr_span.last<32>(), c_prime.span());
  // Lines 9-11: if c ≠ c' then K' ← K̄ — as a constant-time select.
  const std::uint8_t reject = ct_differ_mask(c, c_prime.span());
  SecureBytes key(kMlKemSharedSecretBytes);
  for (std::size_t i = 0; i < kMlKemSharedSecretBytes; ++i) {
    key.span()[i] = static_cast<std::uint8_t>((kr_span[i] & ~reject) | ((*k_bar)[i] & reject));
  }
  return key;
}

}  // namespace

// Algorithm 17, ML-KEM.Encaps_internal(ek, m).
Result<MlKemEncapsulation> ml_kem_encaps_internal(const MlKemParams& params,
                                                  std::span<const std::uint8_t> ek,
                                                  std::span<const std::uint8_t> m) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_length(ek, params.ek_bytes(), CKR_KEY_SIZE_RANGE,
                          "ML-KEM: encapsulation key length does not match the parameter set"));
  CRATON_TRY(check_length(m, kMlKemSeedBytes, CKR_ARGUMENTS_BAD, "ML-KEM: m must be 32 bytes"));
  return encaps_with(params, hash_h(ek), m, [&](auto m32, auto r, std::span<std::uint8_t> c) {
    ml_kem::kpke_encrypt(params, ek, m32, r, c);
  });
}

// Algorithm 20, ML-KEM.Encaps(ek), preceded by the §7.2 check.
Result<MlKemEncapsulation> ml_kem_encaps(const MlKemParams& params,
                                         std::span<const std::uint8_t> ek) {
  CRATON_TRY(ml_kem_check_encapsulation_key(params, ek));
  CRATON_ASSIGN_OR_RETURN(SecureBytes m, crypto::random_secret(kMlKemSeedBytes));
  return ml_kem_encaps_internal(params, ek, m.span());
}

// Algorithm 18, ML-KEM.Decaps_internal(dk, c).
Result<SecureBytes> ml_kem_decaps_internal(const MlKemParams& params,
                                           std::span<const std::uint8_t> dk,
                                           std::span<const std::uint8_t> c) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(ml_kem_check_ciphertext(params, c));
  CRATON_TRY(check_length(dk, params.dk_bytes(), CKR_KEY_SIZE_RANGE,
                          "ML-KEM: decapsulation key length does not match the parameter set"));
  const std::size_t k = params.k;
  // Lines 1-4: split dk.
  const auto dk_pke = dk.first(kPolyBytes * k);
  const auto ek_pke = dk.subspan(kPolyBytes * k, params.ek_bytes());
  const auto h = dk.subspan(768 * k + 32, kHashBytes);
  const auto z = dk.subspan(768 * k + 64, kMlKemSeedBytes);
  return decaps_with(
      params, h, z, c,
      [&](std::span<const std::uint8_t> ct, std::span<std::uint8_t, 32> m_out) {
        ml_kem::kpke_decrypt(params, dk_pke, ct, m_out);
      },
      [&](auto m32, auto r, std::span<std::uint8_t> out) { ml_kem::kpke_encrypt(params, ek_pke, m32, r, out); });
}

// Algorithm 21, ML-KEM.Decaps(dk, c), preceded by the §7.3 checks.
Result<SecureBytes> ml_kem_decaps(const MlKemParams& params, std::span<const std::uint8_t> dk,
                                  std::span<const std::uint8_t> c) {
  CRATON_TRY(ml_kem_check_ciphertext(params, c));
  CRATON_TRY(ml_kem_check_decapsulation_key(params, dk));
  return ml_kem_decaps_internal(params, dk, c);
}

// ---- prepared keys ----------------------------------------------------------------------------

Result<MlKemEncapsulationKey> MlKemEncapsulationKey::prepare(const MlKemParams& params,
                                                             std::span<const std::uint8_t> ek) {
  CRATON_TRY(ml_kem_check_encapsulation_key(params, ek));  // §7.2, once for the key's life
  auto x = std::make_shared<ml_kem::ExpandedPublic>();
  ml_kem::expand_ek_pke(params, ek, *x);
  x->h = hash_h(ek);
  return MlKemEncapsulationKey(std::move(x));
}

const MlKemParams& MlKemEncapsulationKey::params() const noexcept { return impl_->params; }

Result<MlKemDecapsulationKey> MlKemDecapsulationKey::prepare(const MlKemParams& params,
                                                             std::span<const std::uint8_t> dk) {
  CRATON_TRY(ml_kem_check_decapsulation_key(params, dk));  // §7.3 length and hash checks, once
  const std::size_t k = params.k;
  auto x = std::make_shared<ml_kem::ExpandedPrivate>();
  ml_kem::expand_ek_pke(params, dk.subspan(kPolyBytes * k, params.ek_bytes()), x->pub);
  const auto h = dk.subspan(768 * k + 32, kHashBytes);
  std::copy(h.begin(), h.end(), x->pub.h.begin());
  ml_kem::decode_vector_12(params, dk.first(kPolyBytes * k), *x->s_hat);
  const auto z = dk.subspan(768 * k + 64, kMlKemSeedBytes);
  std::copy(z.begin(), z.end(), x->z->begin());
  return MlKemDecapsulationKey(std::move(x));
}

const MlKemParams& MlKemDecapsulationKey::params() const noexcept { return impl_->pub.params; }

Result<MlKemEncapsulation> ml_kem_encaps_internal(const MlKemEncapsulationKey& key, std::span<const std::uint8_t> m) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  CRATON_TRY(check_length(m, kMlKemSeedBytes, CKR_ARGUMENTS_BAD, "ML-KEM: m must be 32 bytes"));
  const ml_kem::ExpandedPublic& x = key.expanded();
  return encaps_with(x.params, x.h, m, [&](auto m32, auto r, std::span<std::uint8_t> c) {
    ml_kem::kpke_encrypt(x, m32, r, c);
  });
}

Result<MlKemEncapsulation> ml_kem_encaps(const MlKemEncapsulationKey& key) {
  CRATON_ASSIGN_OR_RETURN(SecureBytes m, crypto::random_secret(kMlKemSeedBytes));
  return ml_kem_encaps_internal(key, m.span());
}

Result<SecureBytes> ml_kem_decaps(const MlKemDecapsulationKey& key, std::span<const std::uint8_t> c) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kMlKem));  // deferred CAST (selftest/deferred.h)
  const ml_kem::ExpandedPrivate& x = key.expanded();
  CRATON_TRY(ml_kem_check_ciphertext(x.pub.params, c));
  return decaps_with(
      x.pub.params, x.pub.h, *x.z, c,
      [&](std::span<const std::uint8_t> ct, std::span<std::uint8_t, 32> m_out) {
        ml_kem::kpke_decrypt(x.pub.params, *x.s_hat, ct, m_out);
      },
      [&](auto m32, auto r, std::span<std::uint8_t> out) { ml_kem::kpke_encrypt(x.pub, m32, r, out); });
}

}  // namespace craton::crypto::pqc
