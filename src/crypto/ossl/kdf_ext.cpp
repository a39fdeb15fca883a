#include "crypto/ossl/kdf_ext.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <vector>

#include "crypto/ossl/digest.h"
#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {
namespace {

// OSSL_PARAM is a read-only view for set_params, but its fields are declared non-const. An empty
// value still gets a valid pointer: some providers treat NULL as "not given".
OSSL_PARAM octet_param(const char* name, std::span<const std::uint8_t> value) {
  static constexpr std::uint8_t kEmpty = 0;
  const std::uint8_t* p = value.empty() ? &kEmpty : value.data();
  return OSSL_PARAM_construct_octet_string(name, const_cast<std::uint8_t*>(p), value.size());
}

OSSL_PARAM digest_param(const EVP_MD* md) {
  return OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(EVP_MD_get0_name(md)), 0);
}

Result<SecureBytes> run_kdf(const char* algorithm, const OSSL_PARAM* params, std::size_t out_len) {
  KdfPtr kdf(EVP_KDF_fetch(libctx(), algorithm, nullptr));
  if (!kdf) return openssl_failure(CKR_FUNCTION_FAILED, "KDF unavailable");
  KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate KDF context");
  SecureBytes out(out_len);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "KDF failed");
  return out;
}

}  // namespace

Result<SecureBytes> hkdf(CK_MECHANISM_TYPE hash, HkdfMode mode, std::span<const std::uint8_t> ikm,
                         std::span<const std::uint8_t> salt, std::span<const std::uint8_t> info, std::size_t out_len) {
  const EVP_MD* md = md_for(hash);
  if (md == nullptr) return fail(CKR_MECHANISM_INVALID, "unknown HKDF hash");
  const std::size_t hash_len = digest_size(hash);
  if (mode == HkdfMode::kExtractOnly ? out_len != hash_len : (out_len == 0 || out_len > 255 * hash_len)) {
    return fail(CKR_KEY_SIZE_RANGE, "HKDF output length out of range");
  }
  if (info.size() > kHkdfMaxInfo) return fail(CKR_MECHANISM_PARAM_INVALID, "HKDF info too long");
  // RFC 5869 §2.2: a missing salt is HashLen zeros (HMAC pads an empty key the same way, but
  // OpenSSL treats an empty salt as absent).
  const std::vector<std::uint8_t> zeros(hash_len, 0);
  if (salt.empty()) salt = zeros;
  int ossl_mode = EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
  if (mode == HkdfMode::kExtractOnly) ossl_mode = EVP_KDF_HKDF_MODE_EXTRACT_ONLY;
  if (mode == HkdfMode::kExpandOnly) ossl_mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  std::vector<OSSL_PARAM> params{digest_param(md), OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &ossl_mode),
                                 octet_param(OSSL_KDF_PARAM_KEY, ikm)};
  if (mode != HkdfMode::kExpandOnly) params.push_back(octet_param(OSSL_KDF_PARAM_SALT, salt));
  if (mode != HkdfMode::kExtractOnly && !info.empty()) params.push_back(octet_param(OSSL_KDF_PARAM_INFO, info));
  params.push_back(OSSL_PARAM_construct_end());
  return run_kdf("HKDF", params.data(), out_len);
}

Result<SecureBytes> pbkdf2_hmac(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> password,
                                std::span<const std::uint8_t> salt, std::uint64_t iterations, std::size_t out_len) {
  if (iterations == 0 || out_len == 0) return fail(CKR_ARGUMENTS_BAD, "bad PBKDF2 parameters");
  const EVP_MD* md = md_for(hash);
  if (md == nullptr) return fail(CKR_MECHANISM_INVALID, "unknown PBKDF2 hash");
  int pkcs5_checks_off = 1;  // 1 disables OpenSSL's SP 800-132 lower-bound checks
  const OSSL_PARAM params[] = {octet_param(OSSL_KDF_PARAM_PASSWORD, password),
                               octet_param(OSSL_KDF_PARAM_SALT, salt),
                               OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iterations),
                               digest_param(md),
                               OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5_checks_off),
                               OSSL_PARAM_construct_end()};
  return run_kdf("PBKDF2", params, out_len);
}

}  // namespace craton::crypto
