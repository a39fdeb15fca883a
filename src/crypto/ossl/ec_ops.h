// Elliptic-curve operations on parsed keys (pkey_ec.h): ECDSA (X9.62 / FIPS 186-5) with PKCS#11's
// fixed-length r || s signatures, EdDSA (RFC 8032: Ed25519, Ed25519ctx, Ed25519ph, Ed448,
// Ed448ph), ECDH / X25519 / X448 shared secrets, and the ECDH key-derivation functions (ANSI X9.63
// and NIST SP 800-56C one-step).
//
// Keys are EVP_PKEYs owned by the caller (usually a parsed-key cache entry); an EVP_PKEY may be used
// from several threads at once, every call builds its own OpenSSL context.
// Thread safety: stateless apart from HashStream, which is one object per operation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"
#include "common/secure_bytes.h"
#include "crypto/ossl/curves.h"
#include "crypto/ossl/der.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {

// A running hash: a PKCS#11 hash mechanism (md_for), or SHAKE256 with a fixed output length.
class HashStream {
 public:
  // Unknown hash mechanism → CKR_MECHANISM_INVALID.
  static Result<HashStream> create(CK_MECHANISM_TYPE hash);
  static Result<HashStream> shake256(std::size_t out_len);

  std::size_t size() const noexcept { return size_; }
  Status update(std::span<const std::uint8_t> data);
  // The object must not be used afterwards.
  Result<Bytes> finish();

 private:
  HashStream(MdCtxPtr ctx, std::size_t size, bool xof) : ctx_(std::move(ctx)), size_(size), xof_(xof) {}
  MdCtxPtr ctx_;
  std::size_t size_ = 0;
  bool xof_ = false;
};

// ---- ECDSA -------------------------------------------------------------------------------------

// Length of a PKCS#11 ECDSA signature on `curve`: r || s, each padded to the field length.
std::size_t ecdsa_signature_size(const Curve& curve) noexcept;

// Signs `hash` (any length; the leftmost bits of the group order's length are used, FIPS 186-5
// §6.4.1) with a private EC key. Returns r || s.
Result<Bytes> ecdsa_sign(EVP_PKEY* key, const Curve& curve, std::span<const std::uint8_t> hash);

// Verifies r || s over `hash`. A signature of the wrong length → CKR_SIGNATURE_LEN_RANGE; a wrong
// one → CKR_SIGNATURE_INVALID.
Status ecdsa_verify(EVP_PKEY* key, const Curve& curve, std::span<const std::uint8_t> hash,
                    std::span<const std::uint8_t> signature);

// ---- EdDSA -------------------------------------------------------------------------------------

// The RFC 8032 instance: prehash selects Ed25519ph / Ed448ph, a context selects Ed25519ctx (with
// prehash: the ph context) or Ed448 with context. No prehash and no context is pure Ed25519 / Ed448.
struct EddsaVariant {
  bool prehash = false;
  std::span<const std::uint8_t> context;  // at most 255 bytes
};

// 64 (Ed25519) or 114 (Ed448).
std::size_t eddsa_signature_size(const Curve& curve) noexcept;

// The prehash PH(M) of Ed25519ph (SHA-512) or Ed448ph (SHAKE256, 64 bytes).
Result<HashStream> eddsa_prehash(const Curve& curve);

// Signs with an Ed25519/Ed448 private key. `message` is M, or PH(M) for a prehash variant.
// A context longer than 255 bytes → CKR_MECHANISM_PARAM_INVALID.
Result<Bytes> eddsa_sign(EVP_PKEY* key, const Curve& curve, const EddsaVariant& variant,
                         std::span<const std::uint8_t> message);

// Verifies; errors as ecdsa_verify.
Status eddsa_verify(EVP_PKEY* key, const Curve& curve, const EddsaVariant& variant,
                    std::span<const std::uint8_t> message, std::span<const std::uint8_t> signature);

// ---- ECDH --------------------------------------------------------------------------------------

// The shared secret Z of a private key and a peer public key on the same curve: the x-coordinate
// of d·Q padded to the field length (SEC 1 §3.3.1; `cofactor`: h·d·Q, §3.3.2), or the X25519 /
// X448 output (RFC 7748 §6). A peer key OpenSSL rejects, or an all-zero X25519/X448 result
// (a small-order peer point, RFC 7748 §6.1), → CKR_MECHANISM_PARAM_INVALID.
Result<SecureBytes> ecdh_shared_secret(EVP_PKEY* key, EVP_PKEY* peer, bool cofactor);

// ANSI X9.63 KDF (SEC 1 §3.6.1): Hash(Z || counter || SharedInfo) blocks, counter from 1.
// SP 800-56C rev. 2 one-step KDF with a hash (§4.1 option 1): Hash(counter || Z || OtherInfo).
// `hash` is a hash mechanism (CKM_SHA256, ...); out_len must be > 0.
Result<SecureBytes> x963_kdf(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> z,
                             std::span<const std::uint8_t> shared_info, std::size_t out_len);
Result<SecureBytes> one_step_kdf(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> z,
                                 std::span<const std::uint8_t> other_info, std::size_t out_len);

}  // namespace craton::crypto
