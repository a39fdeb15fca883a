#include "crypto/ossl/mac.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <string>

#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {

Result<Sha256Digest> hmac_sha256(std::span<const std::uint8_t> key,
                                 std::span<const std::uint8_t> data) {
  MacPtr mac(EVP_MAC_fetch(libctx(), "HMAC", nullptr));
  if (!mac) return openssl_failure(CKR_FUNCTION_FAILED, "HMAC unavailable");
  MacCtxPtr ctx(EVP_MAC_CTX_new(mac.get()));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate MAC context");

  std::string digest = "SHA256";  // OSSL_PARAM wants a mutable char*
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_end()};
  // EVP_MAC_init treats a null key as "keep the previous key", so an empty key still needs a
  // valid pointer.
  static constexpr std::uint8_t kEmpty = 0;
  const std::uint8_t* key_ptr = key.empty() ? &kEmpty : key.data();
  if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "HMAC-SHA-256 failed");
  }
  Sha256Digest out{};
  std::size_t out_len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &out_len, out.size()) != 1 || out_len != out.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "HMAC-SHA-256 failed");
  }
  return out;
}

Result<Sha256Digest> sha256(std::span<const std::uint8_t> data) {
  MdPtr md(EVP_MD_fetch(libctx(), "SHA256", nullptr));
  if (!md) return openssl_failure(CKR_FUNCTION_FAILED, "SHA-256 unavailable");
  Sha256Digest out{};
  unsigned int out_len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &out_len, md.get(), nullptr) != 1 ||
      out_len != out.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "SHA-256 failed");
  }
  return out;
}

}  // namespace craton::crypto
