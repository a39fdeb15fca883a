#include "crypto/ossl/pkcs8.h"
#include "crypto/ossl/libctx.h"

#include <openssl/encoder.h>
#include <openssl/x509.h>

#include "crypto/ossl/error.h"
#include "crypto/ossl/pkey.h"

namespace craton::crypto {
namespace {

using EncoderCtxPtr = OsslPtr<OSSL_ENCODER_CTX, OSSL_ENCODER_CTX_free>;

// Supported key types only; the RV for an unsupported algorithm depends on the caller's context.
Status check_supported(const EVP_PKEY* pkey, CK_RV unsupported_rv) {
  const auto kt = key_type_of(pkey);
  if (kt.ok()) return {};
  if (kt.rv() == CKR_CURVE_NOT_SUPPORTED) return kt.error();
  return fail(unsupported_rv, "unsupported key algorithm");
}

}  // namespace

Result<SecureBytes> private_key_to_pkcs8(const EVP_PKEY* pkey) {
  // Checked first: OpenSSL 3.0 reports a public-only key as a malloc failure in the encoder.
  if (!has_private_key(pkey)) return fail(CKR_KEY_TYPE_INCONSISTENT, "not a private key");
  // The encoder is used directly (not EVP_PKEY2PKCS8), because OpenSSL 3.0's EVP_PKEY2PKCS8
  // frees its intermediate DER copy of the private key without wiping it.
  EncoderCtxPtr ctx(OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo", nullptr));
  if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0) {
    return openssl_failure(CKR_KEY_TYPE_INCONSISTENT, "no PKCS#8 encoder for this key");
  }
  unsigned char* der = nullptr;
  std::size_t len = 0;
  if (OSSL_ENCODER_to_data(ctx.get(), &der, &len) != 1 || der == nullptr) {
    OPENSSL_clear_free(der, len);
    return openssl_failure(CKR_KEY_TYPE_INCONSISTENT, "key cannot be encoded as PKCS#8");
  }
  SecureBytes out(std::span<const std::uint8_t>(der, len));
  OPENSSL_clear_free(der, len);
  return out;
}

Result<PkeyPtr> private_key_from_pkcs8(std::span<const std::uint8_t> der) {
  if (der.empty() || !fits_int(der.size())) return fail(CKR_WRAPPED_KEY_INVALID, "bad PKCS#8 length");
  const unsigned char* p = der.data();
  Pkcs8InfoPtr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info || p != der.data() + der.size()) return openssl_failure(CKR_WRAPPED_KEY_INVALID, "not a PrivateKeyInfo");
  PkeyPtr pkey(EVP_PKCS82PKEY_ex(info.get(), libctx(), nullptr));
  if (!pkey) return openssl_failure(CKR_WRAPPED_KEY_INVALID, "undecodable private key");
  CRATON_TRY(check_supported(pkey.get(), CKR_WRAPPED_KEY_INVALID));
  if (EVP_PKEY_is_a(pkey.get(), "EC")) {
    // An ECPrivateKey may carry a public point of its own; it must belong to the scalar.
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx(), pkey.get(), nullptr));
    if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate key context");
    if (EVP_PKEY_pairwise_check(ctx.get()) != 1) {
      return openssl_failure(CKR_WRAPPED_KEY_INVALID, "EC public point does not match the private key");
    }
  }
  return pkey;
}

Result<Bytes> public_key_info_der(const EVP_PKEY* pkey) {
  const int len = i2d_PUBKEY(pkey, nullptr);
  if (len <= 0) return openssl_failure(CKR_FUNCTION_FAILED, "cannot encode SubjectPublicKeyInfo");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  if (i2d_PUBKEY(pkey, &p) != len) return openssl_failure(CKR_FUNCTION_FAILED, "cannot encode SubjectPublicKeyInfo");
  return out;
}

Result<PkeyPtr> public_key_from_spki(std::span<const std::uint8_t> der) {
  if (der.empty() || !fits_int(der.size())) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "bad SubjectPublicKeyInfo length");
  const unsigned char* p = der.data();
  PkeyPtr pkey(d2i_PUBKEY_ex(nullptr, &p, static_cast<long>(der.size()), libctx(), nullptr));
  if (!pkey || p != der.data() + der.size()) {
    return openssl_failure(CKR_ATTRIBUTE_VALUE_INVALID, "not a SubjectPublicKeyInfo");
  }
  CRATON_TRY(check_supported(pkey.get(), CKR_ATTRIBUTE_VALUE_INVALID));
  return pkey;
}

}  // namespace craton::crypto
