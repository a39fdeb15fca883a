#include "crypto/ossl/pkey_params.h"
#include "crypto/ossl/libctx.h"

#include <openssl/err.h>

#include "crypto/ossl/error.h"

namespace craton::crypto::detail {
namespace {

Result<BnPtr> get_bn(const EVP_PKEY* pkey, const char* name, CK_RV missing_rv) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1 || raw == nullptr) {
    BN_clear_free(raw);
    return openssl_failure(missing_rv, "key lacks a component");
  }
  return BnPtr(raw);
}

// Writes `bn` big-endian into `out` (resized to the encoding); false if it does not fit `pad_to`.
template <class Buffer>
bool encode_bn(const BIGNUM* bn, std::size_t pad_to, Buffer& out) {
  const std::size_t min_len = static_cast<std::size_t>(BN_num_bytes(bn));
  const std::size_t len = pad_to == 0 ? min_len : pad_to;
  if (min_len > len || !fits_int(len)) return false;
  out.resize(len);
  return len == 0 || BN_bn2binpad(bn, out.data(), static_cast<int>(len)) == static_cast<int>(len);
}

}  // namespace

Result<BnPtr> bn_from_bytes(std::span<const std::uint8_t> be, bool secret) {
  if (!fits_int(be.size())) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "integer too long");
  BnPtr bn(secret ? BN_secure_new() : BN_new());
  if (!bn) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate BIGNUM");
  if (BN_bin2bn(be.data(), static_cast<int>(be.size()), bn.get()) == nullptr) {
    return openssl_failure(CKR_HOST_MEMORY, "cannot convert integer");
  }
  return bn;
}

Result<Bytes> public_bn_param(const EVP_PKEY* pkey, const char* name, std::size_t pad_to, CK_RV missing_rv) {
  CRATON_ASSIGN_OR_RETURN(BnPtr bn, get_bn(pkey, name, missing_rv));
  Bytes out;
  if (!encode_bn(bn.get(), pad_to, out)) return openssl_failure(CKR_FUNCTION_FAILED, "key component too long");
  return out;
}

Result<SecureBytes> secret_bn_param(const EVP_PKEY* pkey, const char* name, std::size_t pad_to, CK_RV missing_rv) {
  CRATON_ASSIGN_OR_RETURN(BnPtr bn, get_bn(pkey, name, missing_rv));
  SecureBytes out;
  if (!encode_bn(bn.get(), pad_to, out)) return openssl_failure(CKR_FUNCTION_FAILED, "key component too long");
  return out;
}

bool has_bn_param(const EVP_PKEY* pkey, const char* name) {
  ERR_set_mark();
  BIGNUM* raw = nullptr;
  const bool present = EVP_PKEY_get_bn_param(pkey, name, &raw) == 1 && raw != nullptr;
  BN_clear_free(raw);
  ERR_pop_to_mark();
  return present;
}

Result<PkeyPtr> pkey_from_params(const char* type, int selection, OSSL_PARAM_BLD* bld, CK_RV invalid_rv,
                                 const char* reason) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return openssl_failure(CKR_HOST_MEMORY, "cannot build key parameters");
  PkeyCtxPtr ctx(provider_pkey_ctx(type));
  if (!ctx) return openssl_failure(CKR_FUNCTION_FAILED, "key type unavailable");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata_init(ctx.get()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "key import unavailable");
  if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1 || raw == nullptr) {
    EVP_PKEY_free(raw);
    return openssl_failure(invalid_rv, reason);
  }
  return PkeyPtr(raw);
}

Result<PkeyPtr> generate_with(EVP_PKEY_CTX* ctx) {
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx, &raw) != 1 || raw == nullptr) {
    EVP_PKEY_free(raw);
    return openssl_failure(CKR_FUNCTION_FAILED, "key generation failed");
  }
  return PkeyPtr(raw);
}

}  // namespace craton::crypto::detail
