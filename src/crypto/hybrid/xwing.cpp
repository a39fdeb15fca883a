// X-Wing (draft-connolly-cfrg-xwing-kem-10); see xwing.h.
#include "crypto/hybrid/xwing.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/proverr.h>

#include "crypto/ossl/der.h"
#include "crypto/ossl/error.h"
#include "crypto/ossl/libctx.h"
#include "crypto/ossl/random.h"
#include "crypto/ossl/scopers.h"
#include "crypto/pqc/keccak.h"
#include "crypto/pqc/ml_kem.h"

namespace craton::crypto::hybrid {
namespace {

constexpr const pqc::MlKemParams& kMlKem = pqc::kMlKem768;
constexpr std::size_t kX25519Bytes = 32;
constexpr std::size_t kPkM = 1184;  // ML-KEM-768 ek
constexpr std::size_t kCtM = 1088;  // ML-KEM-768 ciphertext
static_assert(kMlKem.ek_bytes() == kPkM && kMlKem.ciphertext_bytes() == kCtM);
static_assert(kXWingPublicKeyBytes == kPkM + kX25519Bytes && kXWingCiphertextBytes == kCtM + kX25519Bytes);

// ---- X25519 (RFC 7748 §5) through OpenSSL ---------------------------------------------------

Result<PkeyPtr> x25519_private(std::span<const std::uint8_t> k) {
  PkeyPtr key(EVP_PKEY_new_raw_private_key_ex(libctx(), "X25519", nullptr, k.data(), k.size()));
  if (!key) return openssl_failure(CKR_FUNCTION_FAILED, "X25519 private key rejected");
  return key;
}

// X25519(k, 9): the public key of scalar k.
Result<Bytes> x25519_base(std::span<const std::uint8_t> k) {
  CRATON_ASSIGN_OR_RETURN(const PkeyPtr key, x25519_private(k));
  Bytes pub(kX25519Bytes);
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), pub.data(), &len) != 1 || len != pub.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cannot compute the X25519 public key");
  }
  return pub;
}

// X25519(k, u). OpenSSL refuses an all-zero result (RFC 7748 §6.1's optional check) with
// PROV_R_FAILED_DURING_DERIVATION; X-Wing wants the value itself, which is then 32 zero bytes.
// That happens exactly when u has small order, whatever the (clamped) scalar.
Result<SecureBytes> x25519(std::span<const std::uint8_t> k, std::span<const std::uint8_t> u) {
  CRATON_ASSIGN_OR_RETURN(const PkeyPtr key, x25519_private(k));
  PkeyPtr peer(EVP_PKEY_new_raw_public_key_ex(libctx(), "X25519", nullptr, u.data(), u.size()));
  if (!peer) return openssl_failure(CKR_FUNCTION_FAILED, "X25519 peer key rejected");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx(), key.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "X25519 unavailable");
  }
  SecureBytes out(kX25519Bytes);
  std::size_t len = out.size();
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) == 1 && len == out.size()) return out;
  const unsigned long e = ERR_peek_last_error();
  if (ERR_GET_LIB(e) == ERR_LIB_PROV && ERR_GET_REASON(e) == PROV_R_FAILED_DURING_DERIVATION) {
    ERR_clear_error();
    return SecureBytes(kX25519Bytes);  // the all-zero output of a small-order u
  }
  return openssl_failure(CKR_FUNCTION_FAILED, "X25519 failed");
}

// ---- X-Wing --------------------------------------------------------------------------------

struct Expanded {
  pqc::MlKemKeyPair ml;  // ek = pk_M, dk = the ML-KEM decapsulation key
  SecureBytes sk_x;
  Bytes pk_x;
};

// Draft §5.2 expandDecapsulationKey(sk).
Result<Expanded> expand(std::span<const std::uint8_t> seed) {
  if (seed.size() != kXWingSeedBytes) return fail(CKR_KEY_SIZE_RANGE, "X-Wing private key must be 32 bytes");
  SecureBytes wide(96);
  pqc::shake256(seed, wide.span());
  const auto w = wide.span();
  CRATON_ASSIGN_OR_RETURN(pqc::MlKemKeyPair ml, pqc::ml_kem_keygen_internal(kMlKem, w.first(32), w.subspan(32, 32)));
  SecureBytes sk_x(w.subspan(64, kX25519Bytes));
  CRATON_ASSIGN_OR_RETURN(Bytes pk_x, x25519_base(sk_x.span()));
  return Expanded{std::move(ml), std::move(sk_x), std::move(pk_x)};
}

// Draft §5.3 Combiner.
SecureBytes combine(std::span<const std::uint8_t> ss_m, std::span<const std::uint8_t> ss_x,
                    std::span<const std::uint8_t> ct_x, std::span<const std::uint8_t> pk_x) {
  pqc::Sha3_256 h;
  h.absorb(ss_m);
  h.absorb(ss_x);
  h.absorb(ct_x);
  h.absorb(pk_x);
  h.absorb(kXWingLabel);
  SecureBytes ss(kXWingSharedSecretBytes);
  h.finalize(std::span<std::uint8_t, 32>(ss.data(), 32));
  return ss;
}

}  // namespace

Result<XWingKeyPair> xwing_keygen_derand(std::span<const std::uint8_t> seed) {
  CRATON_ASSIGN_OR_RETURN(Expanded x, expand(seed));
  XWingKeyPair kp{std::move(x.ml.ek), SecureBytes(seed)};
  kp.pk.insert(kp.pk.end(), x.pk_x.begin(), x.pk_x.end());
  return kp;
}

Result<XWingKeyPair> xwing_keygen() {
  CRATON_ASSIGN_OR_RETURN(const SecureBytes seed, random_secret(kXWingSeedBytes));
  return xwing_keygen_derand(seed.span());
}

Result<XWingEncapsulation> xwing_encaps_derand(std::span<const std::uint8_t> pk, std::span<const std::uint8_t> eseed) {
  if (pk.size() != kXWingPublicKeyBytes) return fail(CKR_KEY_SIZE_RANGE, "X-Wing public key must be 1216 bytes");
  if (eseed.size() != kXWingEncapsSeedBytes) return fail(CKR_ARGUMENTS_BAD, "X-Wing eseed must be 64 bytes");
  const auto pk_m = pk.first(kPkM);
  const auto pk_x = pk.subspan(kPkM);
  const auto ek_x = eseed.subspan(32, kX25519Bytes);
  // ML-KEM-768.Encaps with the FIPS 203 §7.2 check (draft §4), derandomized with m = eseed[0:32].
  CRATON_TRY(pqc::ml_kem_check_encapsulation_key(kMlKem, pk_m));
  CRATON_ASSIGN_OR_RETURN(pqc::MlKemEncapsulation ml, pqc::ml_kem_encaps_internal(kMlKem, pk_m, eseed.first(32)));
  CRATON_ASSIGN_OR_RETURN(const Bytes ct_x, x25519_base(ek_x));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes ss_x, x25519(ek_x, pk_x));
  XWingEncapsulation out{combine(ml.shared_secret.span(), ss_x.span(), ct_x, pk_x), std::move(ml.ciphertext)};
  out.ciphertext.insert(out.ciphertext.end(), ct_x.begin(), ct_x.end());
  return out;
}

Result<XWingEncapsulation> xwing_encaps(std::span<const std::uint8_t> pk) {
  // Length first, so a bad key costs no randomness.
  if (pk.size() != kXWingPublicKeyBytes) return fail(CKR_KEY_SIZE_RANGE, "X-Wing public key must be 1216 bytes");
  CRATON_ASSIGN_OR_RETURN(const SecureBytes eseed, random_secret(kXWingEncapsSeedBytes));
  return xwing_encaps_derand(pk, eseed.span());
}

Result<SecureBytes> xwing_decaps(std::span<const std::uint8_t> sk, std::span<const std::uint8_t> ct) {
  if (sk.size() != kXWingSeedBytes) return fail(CKR_KEY_SIZE_RANGE, "X-Wing private key must be 32 bytes");
  if (ct.size() != kXWingCiphertextBytes) {
    return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "X-Wing ciphertext must be 1120 bytes");
  }
  CRATON_ASSIGN_OR_RETURN(const Expanded x, expand(sk));
  const auto ct_m = ct.first(kCtM);
  const auto ct_x = ct.subspan(kCtM);
  // The dk was just derived from the seed, so FIPS 203 §7.3's hash check cannot fail (the draft
  // does not require it, §4); only the lengths are checked.
  CRATON_ASSIGN_OR_RETURN(const SecureBytes ss_m, pqc::ml_kem_decaps_internal(kMlKem, x.ml.dk.span(), ct_m));
  CRATON_ASSIGN_OR_RETURN(const SecureBytes ss_x, x25519(x.sk_x.span(), ct_x));
  return combine(ss_m.span(), ss_x.span(), ct_x, x.pk_x);
}

}  // namespace craton::crypto::hybrid
