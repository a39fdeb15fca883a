#include "crypto/ossl/rsa_ops.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <cstring>

#include "crypto/ossl/error.h"
#include "selftest/deferred.h"

namespace craton::crypto {
namespace {

// RSAES/RSASSA-PKCS1-v1_5: 00 || BT || PS (≥ 8 bytes) || 00 || data.
constexpr std::size_t kPkcs1Overhead = 11;

int ossl_padding(RsaPad pad) noexcept {
  switch (pad) {
    case RsaPad::kPkcs1: return RSA_PKCS1_PADDING;
    case RsaPad::kNone: return RSA_NO_PADDING;
    case RsaPad::kPss: return RSA_PKCS1_PSS_PADDING;
    case RsaPad::kOaep: return RSA_PKCS1_OAEP_PADDING;
  }
  return RSA_NO_PADDING;
}

std::size_t md_size(const EVP_MD* md) noexcept {
  const int n = md == nullptr ? 0 : EVP_MD_get_size(md);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

Result<PkeyCtxPtr> new_ctx(EVP_PKEY* pkey) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx(), pkey, nullptr));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot create an RSA context");
  return ctx;
}

// Padding and scheme settings on an initialised context. `signature_md`: tell the signature
// layer which hash the one-shot input is (PSS); hash-and-sign contexts got theirs at init.
Status configure(EVP_PKEY_CTX* ctx, const RsaScheme& s, bool signature_md) {
  if (EVP_PKEY_CTX_set_rsa_padding(ctx, ossl_padding(s.pad)) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "RSA padding rejected");
  }
  if (s.pad == RsaPad::kPss) {
    if ((signature_md && EVP_PKEY_CTX_set_signature_md(ctx, s.md) != 1) ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, s.mgf1) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, static_cast<int>(s.salt_len)) != 1) {
      return openssl_failure(CKR_MECHANISM_PARAM_INVALID, "RSA-PSS parameters rejected");
    }
  } else if (s.pad == RsaPad::kOaep) {
    if (EVP_PKEY_CTX_set_rsa_oaep_md(ctx, s.md) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, s.mgf1) != 1) {
      return openssl_failure(CKR_MECHANISM_PARAM_INVALID, "RSA-OAEP parameters rejected");
    }
    if (!s.label.empty()) {
      // The provider copies the label.
      OSSL_PARAM p[] = {OSSL_PARAM_construct_octet_string(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL,
                                                          const_cast<std::uint8_t*>(s.label.data()), s.label.size()),
                        OSSL_PARAM_construct_end()};
      if (EVP_PKEY_CTX_set_params(ctx, p) != 1) return openssl_failure(CKR_MECHANISM_PARAM_INVALID, "RSA-OAEP label rejected");
    }
  }
  return {};
}

// OpenSSL 3.2+ answers a bad PKCS#1 v1.5 block with a synthetic plaintext ("implicit rejection");
// PKCS#11 needs the failure reported, so it is switched off. Older providers ignore the setting.
void no_implicit_rejection(EVP_PKEY_CTX* ctx) noexcept {
  unsigned int off = 0;
  OSSL_PARAM p[] = {OSSL_PARAM_construct_uint("implicit-rejection", &off), OSSL_PARAM_construct_end()};
  ERR_set_mark();
  (void)EVP_PKEY_CTX_set_params(ctx, p);
  ERR_pop_to_mark();
}

// Raw RSA input: the value as a k-byte big-endian integer (leading zeros added).
SecureBytes left_padded(std::span<const std::uint8_t> in, std::size_t k) {
  SecureBytes out(k);
  if (!in.empty()) std::memcpy(out.data() + (k - in.size()), in.data(), in.size());
  return out;
}

Status check_input(const EVP_PKEY* pkey, const RsaScheme& s, std::size_t n) {
  if (s.pad == RsaPad::kPss ? n != md_size(s.md) : n > rsa_max_input(pkey, s)) {
    return fail(CKR_DATA_LEN_RANGE, "input length out of range for the RSA scheme");
  }
  return {};
}

}  // namespace

std::size_t rsa_modulus_bytes(const EVP_PKEY* pkey) noexcept {
  const int n = EVP_PKEY_get_size(pkey);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::size_t rsa_modulus_bits(const EVP_PKEY* pkey) noexcept {
  const int n = EVP_PKEY_get_bits(pkey);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::size_t rsa_max_input(const EVP_PKEY* pkey, const RsaScheme& s) noexcept {
  const std::size_t k = rsa_modulus_bytes(pkey);
  std::size_t overhead = 0;
  switch (s.pad) {
    case RsaPad::kPkcs1: overhead = kPkcs1Overhead; break;
    case RsaPad::kNone: break;
    case RsaPad::kPss: return md_size(s.md);
    case RsaPad::kOaep: overhead = 2 * md_size(s.md) + 2; break;
  }
  return k > overhead ? k - overhead : 0;
}

namespace {

// Raw RSA (X.509) takes the input as a k-byte integer: shorter input is left-padded with zeros
// into `padded`, which then backs `in`.
void raw_input(const RsaScheme& s, std::size_t k, std::span<const std::uint8_t>& in, SecureBytes& padded) {
  if (s.pad != RsaPad::kNone) return;
  padded = left_padded(in, k);
  in = padded.span();
}

// Signing and encryption: one modulus-length output from checked input. A raw value not below n
// is the one refusal left after the length checks (CKR_DATA_INVALID).
Result<Bytes> modulus_sized(EVP_PKEY* pkey, const RsaScheme& s, std::span<const std::uint8_t> in,
                            int (*init)(EVP_PKEY_CTX*),
                            int (*run)(EVP_PKEY_CTX*, unsigned char*, std::size_t*, const unsigned char*, std::size_t),
                            bool signature, const char* what) {
  CRATON_TRY(check_input(pkey, s, in.size()));
  const std::size_t k = rsa_modulus_bytes(pkey);
  SecureBytes padded;
  raw_input(s, k, in, padded);
  CRATON_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, new_ctx(pkey));
  if (init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, what);
  CRATON_TRY(configure(ctx.get(), s, signature));
  Bytes out(k);
  std::size_t len = out.size();
  if (run(ctx.get(), out.data(), &len, in.data(), in.size()) != 1 || len != k) {
    return openssl_failure(s.pad == RsaPad::kNone ? CKR_DATA_INVALID : CKR_FUNCTION_FAILED, what);
  }
  return out;
}

}  // namespace

Result<Bytes> rsa_sign(EVP_PKEY* pkey, const RsaScheme& s, std::span<const std::uint8_t> in) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  return modulus_sized(pkey, s, in, EVP_PKEY_sign_init, EVP_PKEY_sign, true, "RSA signing failed");
}

Status rsa_verify(EVP_PKEY* pkey, const RsaScheme& s, std::span<const std::uint8_t> in,
                  std::span<const std::uint8_t> sig) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  const std::size_t k = rsa_modulus_bytes(pkey);
  if (sig.size() != k) return fail(CKR_SIGNATURE_LEN_RANGE, "RSA signature is not the modulus length");
  CRATON_TRY(check_input(pkey, s, in.size()));
  SecureBytes padded;
  raw_input(s, k, in, padded);
  CRATON_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, new_ctx(pkey));
  if (EVP_PKEY_verify_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "RSA verification unavailable");
  CRATON_TRY(configure(ctx.get(), s, true));
  if (EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), in.data(), in.size()) != 1) {
    return openssl_failure(CKR_SIGNATURE_INVALID, "RSA signature invalid");
  }
  return {};
}

Result<SecureBytes> rsa_verify_recover(EVP_PKEY* pkey, const RsaScheme& s, std::span<const std::uint8_t> sig) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  const std::size_t k = rsa_modulus_bytes(pkey);
  if (sig.size() != k) return fail(CKR_SIGNATURE_LEN_RANGE, "RSA signature is not the modulus length");
  CRATON_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, new_ctx(pkey));
  if (EVP_PKEY_verify_recover_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "RSA recovery unavailable");
  CRATON_TRY(configure(ctx.get(), s, false));
  SecureBytes out(k);
  std::size_t len = out.size();
  if (EVP_PKEY_verify_recover(ctx.get(), out.data(), &len, sig.data(), sig.size()) != 1 || len > k) {
    return openssl_failure(CKR_SIGNATURE_INVALID, "RSA signature invalid");
  }
  out.resize(len);
  return out;
}

Result<Bytes> rsa_encrypt(EVP_PKEY* pkey, const RsaScheme& s, std::span<const std::uint8_t> in) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  return modulus_sized(pkey, s, in, EVP_PKEY_encrypt_init, EVP_PKEY_encrypt, false, "RSA encryption failed");
}

Result<SecureBytes> rsa_decrypt(EVP_PKEY* pkey, const RsaScheme& s, std::span<const std::uint8_t> in) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  const std::size_t k = rsa_modulus_bytes(pkey);
  if (in.size() != k) return fail(CKR_ENCRYPTED_DATA_LEN_RANGE, "RSA ciphertext is not the modulus length");
  CRATON_ASSIGN_OR_RETURN(PkeyCtxPtr ctx, new_ctx(pkey));
  if (EVP_PKEY_decrypt_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "RSA decryption unavailable");
  CRATON_TRY(configure(ctx.get(), s, false));
  if (s.pad == RsaPad::kPkcs1) no_implicit_rejection(ctx.get());
  SecureBytes out(k);
  std::size_t len = out.size();
  // One answer for every failure (padding, integer range, ...): no padding oracle beyond the
  // unavoidable success/failure bit of PKCS#1 v1.5 (see docs/MECHANISMS.md).
  if (EVP_PKEY_decrypt(ctx.get(), out.data(), &len, in.data(), in.size()) != 1 || len > k) {
    return openssl_failure(CKR_ENCRYPTED_DATA_INVALID, "RSA decryption failed");
  }
  out.resize(len);
  return out;
}

// ---- hash-and-sign -----------------------------------------------------------------------------

namespace {

Result<MdCtxPtr> digest_ctx(EVP_PKEY* pkey, const RsaScheme& s, bool sign) {
  CRATON_TRY(selftest::before_use(selftest::Algorithm::kRsa));  // deferred CAST (selftest/deferred.h)
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot create a digest context");
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  const char* md_name = EVP_MD_get0_name(s.md);
  const int r = sign ? EVP_DigestSignInit_ex(ctx.get(), &pctx, md_name, libctx(), nullptr, pkey, nullptr)
                     : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, md_name, libctx(), nullptr, pkey, nullptr);
  if (r != 1 || pctx == nullptr) return openssl_failure(CKR_FUNCTION_FAILED, "RSA hash-and-sign unavailable");
  CRATON_TRY(configure(pctx, s, false));
  // The context is finalised once: no copy of it is needed at the end.
  EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
  return ctx;
}

}  // namespace

Result<RsaDigestContext> RsaDigestContext::start_sign(EVP_PKEY* pkey, const RsaScheme& s) {
  CRATON_ASSIGN_OR_RETURN(MdCtxPtr ctx, digest_ctx(pkey, s, true));
  return RsaDigestContext(std::move(ctx), rsa_modulus_bytes(pkey));
}

Result<RsaDigestContext> RsaDigestContext::start_verify(EVP_PKEY* pkey, const RsaScheme& s) {
  CRATON_ASSIGN_OR_RETURN(MdCtxPtr ctx, digest_ctx(pkey, s, false));
  return RsaDigestContext(std::move(ctx), rsa_modulus_bytes(pkey));
}

Status RsaDigestContext::update(std::span<const std::uint8_t> data) {
  // EVP_DigestSignUpdate and EVP_DigestVerifyUpdate are the same digest update.
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "digest update failed");
  return {};
}

Result<Bytes> RsaDigestContext::sign_final() {
  Bytes sig(k_);
  std::size_t len = sig.size();
  if (EVP_DigestSignFinal(ctx_.get(), sig.data(), &len) != 1 || len != k_) {
    return openssl_failure(CKR_FUNCTION_FAILED, "RSA signing failed");
  }
  return sig;
}

Status RsaDigestContext::verify_final(std::span<const std::uint8_t> sig) {
  if (sig.size() != k_) return fail(CKR_SIGNATURE_LEN_RANGE, "RSA signature is not the modulus length");
  if (EVP_DigestVerifyFinal(ctx_.get(), sig.data(), sig.size()) != 1) {
    return openssl_failure(CKR_SIGNATURE_INVALID, "RSA signature invalid");
  }
  return {};
}

Result<Bytes> RsaDigestContext::sign_once(std::span<const std::uint8_t> data) {
  Bytes sig(k_);
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx_.get(), sig.data(), &len, data.data(), data.size()) != 1 || len != k_) {
    return openssl_failure(CKR_FUNCTION_FAILED, "RSA signing failed");
  }
  return sig;
}

Status RsaDigestContext::verify_once(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) {
  if (sig.size() != k_) return fail(CKR_SIGNATURE_LEN_RANGE, "RSA signature is not the modulus length");
  if (EVP_DigestVerify(ctx_.get(), sig.data(), sig.size(), data.data(), data.size()) != 1) {
    return openssl_failure(CKR_SIGNATURE_INVALID, "RSA signature invalid");
  }
  return {};
}

}  // namespace craton::crypto
