#include "crypto/ossl/ec_ops.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <array>
#include <cstring>

#include "crypto/ossl/digest.h"
#include "crypto/ossl/edwards.h"
#include "crypto/ossl/error.h"

namespace craton::crypto {
namespace {

using EcdsaSigPtr = OsslPtr<ECDSA_SIG, ECDSA_SIG_free>;

constexpr Error kBadSignature = fail(CKR_SIGNATURE_INVALID, "signature does not verify");
constexpr Error kBadSignatureLength = fail(CKR_SIGNATURE_LEN_RANGE, "signature has the wrong length");

bool is_ed25519(const Curve& curve) noexcept { return curve.nid == NID_ED25519; }

// ECDSA-Sig-Value (DER) → r || s, each padded to `field` bytes.
Result<Bytes> der_to_raw(std::span<const std::uint8_t> der, std::size_t field) {
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return openssl_failure(CKR_FUNCTION_FAILED, "cannot decode the ECDSA signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  Bytes out(2 * field);
  const int n = static_cast<int>(field);
  if (BN_bn2binpad(r, out.data(), n) != n || BN_bn2binpad(s, out.data() + field, n) != n) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cannot encode the ECDSA signature");
  }
  return out;
}

// r || s → ECDSA-Sig-Value (DER).
Result<Bytes> raw_to_der(std::span<const std::uint8_t> raw) {
  const std::size_t half = raw.size() / 2;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r(BN_bin2bn(raw.data(), static_cast<int>(half), nullptr));
  BnPtr s(BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return openssl_failure(CKR_HOST_MEMORY, "cannot build the ECDSA signature");
  }
  (void)r.release();  // owned by sig now
  (void)s.release();
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return openssl_failure(CKR_FUNCTION_FAILED, "cannot encode the ECDSA signature");
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  if (i2d_ECDSA_SIG(sig.get(), &p) != len) return openssl_failure(CKR_FUNCTION_FAILED, "cannot encode the ECDSA signature");
  return der;
}

// The raw keys of an Edwards key pair (the public key alone when `seed` is null).
Status raw_keys(EVP_PKEY* key, std::size_t len, SecureBytes* seed, Bytes& pub) {
  pub.resize(len);
  std::size_t n = len;
  if (EVP_PKEY_get_raw_public_key(key, pub.data(), &n) != 1 || n != len) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cannot read the public key");
  }
  if (seed == nullptr) return {};
  *seed = SecureBytes(len);
  n = len;
  if (EVP_PKEY_get_raw_private_key(key, seed->data(), &n) != 1 || n != len) {
    return openssl_failure(CKR_KEY_TYPE_INCONSISTENT, "key has no private part");
  }
  return {};
}

// Pure Ed25519 / context-free Ed448 go through OpenSSL's EVP interface; the rest through edwards.cpp.
bool evp_variant(const EddsaVariant& v) noexcept { return !v.prehash && v.context.empty(); }

Result<SecureBytes> run_kdf(const char* name, CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> z,
                            std::span<const std::uint8_t> info, std::size_t out_len) {
  const EVP_MD* md = md_for(hash);
  if (md == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "KDF hash not supported");
  if (out_len == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "derived key length is zero");
  KdfPtr kdf(EVP_KDF_fetch(libctx(), name, nullptr));
  KdfCtxPtr kctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!kctx) return openssl_failure(CKR_FUNCTION_FAILED, "KDF unavailable");
  const std::array<std::uint8_t, 1> none{};
  std::array<OSSL_PARAM, 4> params{
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(EVP_MD_get0_name(md)), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(z.data()), z.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                        const_cast<std::uint8_t*>(info.empty() ? none.data() : info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  SecureBytes out(out_len);
  if (EVP_KDF_derive(kctx.get(), out.data(), out.size(), params.data()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "key derivation failed");
  }
  return out;
}

}  // namespace

// ---- HashStream ---------------------------------------------------------------------------------

Result<HashStream> HashStream::create(CK_MECHANISM_TYPE hash) {
  const EVP_MD* md = md_for(hash);
  if (md == nullptr) return fail(CKR_MECHANISM_INVALID, "hash not supported");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "hash unavailable");
  return HashStream(std::move(ctx), static_cast<std::size_t>(EVP_MD_get_size(md)), false);
}

Result<HashStream> HashStream::shake256(std::size_t out_len) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), shake256_md(), nullptr) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "SHAKE256 unavailable");
  }
  return HashStream(std::move(ctx), out_len, true);
}

Status HashStream::update(std::span<const std::uint8_t> data) {
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "hash failed");
  return {};
}

Result<Bytes> HashStream::finish() {
  Bytes out(size_);
  unsigned int len = 0;
  const bool ok = xof_ ? EVP_DigestFinalXOF(ctx_.get(), out.data(), out.size()) == 1
                       : EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) == 1 && len == size_;
  if (!ok) return openssl_failure(CKR_FUNCTION_FAILED, "hash failed");
  return out;
}

// ---- ECDSA --------------------------------------------------------------------------------------

std::size_t ecdsa_signature_size(const Curve& curve) noexcept { return 2 * curve.key_bytes; }

Result<Bytes> ecdsa_sign(EVP_PKEY* key, const Curve& curve, std::span<const std::uint8_t> hash) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx(), key, nullptr));
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "ECDSA unavailable");
  std::array<std::uint8_t, 160> der{};  // an ECDSA-Sig-Value for P-521 is at most 141 bytes
  std::size_t len = der.size();
  if (EVP_PKEY_sign(ctx.get(), der.data(), &len, hash.data(), hash.size()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "ECDSA signing failed");
  }
  return der_to_raw(std::span(der.data(), len), curve.key_bytes);
}

Status ecdsa_verify(EVP_PKEY* key, const Curve& curve, std::span<const std::uint8_t> hash,
                    std::span<const std::uint8_t> signature) {
  if (signature.size() != ecdsa_signature_size(curve)) return kBadSignatureLength;
  CRATON_ASSIGN_OR_RETURN(const Bytes der, raw_to_der(signature));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx(), key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "ECDSA unavailable");
  if (EVP_PKEY_verify(ctx.get(), der.data(), der.size(), hash.data(), hash.size()) != 1) {
    ERR_clear_error();  // 0 (wrong signature) and -1 (r or s out of range) both mean "invalid"
    return kBadSignature;
  }
  return {};
}

// ---- EdDSA --------------------------------------------------------------------------------------

std::size_t eddsa_signature_size(const Curve& curve) noexcept { return 2 * curve.key_bytes; }

Result<HashStream> eddsa_prehash(const Curve& curve) {
  if (is_ed25519(curve)) return HashStream::create(CKM_SHA512);
  return HashStream::shake256(64);
}

Result<Bytes> eddsa_sign(EVP_PKEY* key, const Curve& curve, const EddsaVariant& variant,
                         std::span<const std::uint8_t> message) {
  if (variant.context.size() > 255) return fail(CKR_MECHANISM_PARAM_INVALID, "EdDSA context longer than 255 bytes");
  if (!evp_variant(variant)) {
    SecureBytes seed;
    Bytes pub;
    CRATON_TRY(raw_keys(key, curve.key_bytes, &seed, pub));
    return detail::eddsa_dom_sign(curve, seed.span(), pub, variant.prehash, variant.context, message);
  }
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, nullptr, libctx(), nullptr, key, nullptr) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "EdDSA unavailable");
  }
  Bytes sig(eddsa_signature_size(curve));
  std::size_t len = sig.size();
  if (EVP_DigestSign(md.get(), sig.data(), &len, message.data(), message.size()) != 1 || len != sig.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "EdDSA signing failed");
  }
  return sig;
}

Status eddsa_verify(EVP_PKEY* key, const Curve& curve, const EddsaVariant& variant,
                    std::span<const std::uint8_t> message, std::span<const std::uint8_t> signature) {
  if (variant.context.size() > 255) return fail(CKR_MECHANISM_PARAM_INVALID, "EdDSA context longer than 255 bytes");
  if (signature.size() != eddsa_signature_size(curve)) return kBadSignatureLength;
  if (!evp_variant(variant)) {
    Bytes pub;
    CRATON_TRY(raw_keys(key, curve.key_bytes, nullptr, pub));
    CRATON_ASSIGN_OR_RETURN(const bool ok, detail::eddsa_dom_verify(curve, pub, variant.prehash, variant.context,
                                                                     message, signature));
    if (!ok) return kBadSignature;
    return {};
  }
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit_ex(md.get(), nullptr, nullptr, libctx(), nullptr, key, nullptr) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "EdDSA unavailable");
  }
  if (EVP_DigestVerify(md.get(), signature.data(), signature.size(), message.data(), message.size()) != 1) {
    ERR_clear_error();
    return kBadSignature;
  }
  return {};
}

// ---- ECDH ---------------------------------------------------------------------------------------

Result<SecureBytes> ecdh_shared_secret(EVP_PKEY* key, EVP_PKEY* peer, bool cofactor) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx(), key, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "key agreement unavailable");
  if (cofactor && EVP_PKEY_CTX_set_ecdh_cofactor_mode(ctx.get(), 1) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "cofactor ECDH unavailable");
  }
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, 1) != 1) {
    return openssl_failure(CKR_MECHANISM_PARAM_INVALID, "peer public key rejected");
  }
  std::size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "key agreement failed");
  SecureBytes z(len);
  // OpenSSL refuses an all-zero X25519/X448 output (a small-order peer point); for X9.62 curves a
  // validated peer cannot make the derivation fail, so a failure here is the peer's fault too.
  if (EVP_PKEY_derive(ctx.get(), z.data(), &len) != 1) {
    return openssl_failure(CKR_MECHANISM_PARAM_INVALID, "key agreement failed for this peer key");
  }
  z.resize(len);
  return z;
}

Result<SecureBytes> x963_kdf(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> z,
                             std::span<const std::uint8_t> shared_info, std::size_t out_len) {
  return run_kdf(OSSL_KDF_NAME_X963KDF, hash, z, shared_info, out_len);
}

Result<SecureBytes> one_step_kdf(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> z,
                                 std::span<const std::uint8_t> other_info, std::size_t out_len) {
  return run_kdf(OSSL_KDF_NAME_SSKDF, hash, z, other_info, out_len);
}

}  // namespace craton::crypto
