#include "crypto/ossl/kdf.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <string>

#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {
namespace {

// OSSL_PARAM is a read-only view for set_params, but its field is declared non-const.
OSSL_PARAM octet_param(const char* name, std::span<const std::uint8_t> value) {
  return OSSL_PARAM_construct_octet_string(
      name, const_cast<std::uint8_t*>(value.data()), value.size());
}

}  // namespace

Result<SecureBytes> pbkdf2_hmac_sha256(std::span<const std::uint8_t> password,
                                       std::span<const std::uint8_t> salt,
                                       std::uint32_t iterations, std::size_t out_len) {
  if (iterations == 0 || out_len == 0) return fail(CKR_ARGUMENTS_BAD, "bad PBKDF2 parameters");
  KdfPtr kdf(EVP_KDF_fetch(libctx(), "PBKDF2", nullptr));
  if (!kdf) return openssl_failure(CKR_FUNCTION_FAILED, "PBKDF2 unavailable");
  KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate KDF context");

  std::string digest = "SHA256";
  std::uint64_t iter = iterations;
  int pkcs5_checks_off = 1;  // 1 disables OpenSSL's SP 800-132 lower-bound checks
  const OSSL_PARAM params[] = {
      octet_param(OSSL_KDF_PARAM_PASSWORD, password),
      octet_param(OSSL_KDF_PARAM_SALT, salt),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iter),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5_checks_off),
      OSSL_PARAM_construct_end()};

  SecureBytes out(out_len);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "PBKDF2 failed");
  }
  return out;
}

}  // namespace craton::crypto
