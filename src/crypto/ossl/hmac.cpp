#include "crypto/ossl/hmac.h"
#include "crypto/ossl/libctx.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/ossl/digest.h"
#include "crypto/ossl/error.h"

namespace craton::crypto {
namespace {

// The MAC algorithms, fetched once for the life of the process (fetching takes the provider
// store's lock, which every operation would otherwise contend on).
struct FetchedMacs {
  MacPtr hmac;
  MacPtr cmac;
  FetchedMacs() {
    ERR_set_mark();
    hmac.reset(EVP_MAC_fetch(libctx(), "HMAC", nullptr));
    cmac.reset(EVP_MAC_fetch(libctx(), "CMAC", nullptr));
    ERR_pop_to_mark();
  }
};

const FetchedMacs& macs() {
  static const FetchedMacs m;
  return m;
}

// EVP_MAC_init treats a null key as "keep the previous key", so even an empty key needs a pointer.
const std::uint8_t* key_pointer(std::span<const std::uint8_t> key) {
  static constexpr std::uint8_t kEmpty = 0;
  return key.empty() ? &kEmpty : key.data();
}

// A context of `mac` initialised with `key` and `params`.
Result<MacCtxPtr> keyed_context(EVP_MAC* mac, std::span<const std::uint8_t> key, const OSSL_PARAM* params) {
  if (mac == nullptr) return openssl_failure(CKR_FUNCTION_FAILED, "MAC algorithm unavailable");
  MacCtxPtr ctx(EVP_MAC_CTX_new(mac));
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate MAC context");
  if (EVP_MAC_init(ctx.get(), key_pointer(key), key.size(), params) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "MAC key setup failed");
  }
  return ctx;
}

}  // namespace

Status RunningMac::update(std::span<const std::uint8_t> data) {
  if (data.empty()) return {};
  if (EVP_MAC_update(ctx_.get(), data.data(), data.size()) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "MAC update failed");
  return {};
}

Result<SecureBytes> RunningMac::finish() {
  SecureBytes out(size_);
  std::size_t len = 0;
  if (EVP_MAC_final(ctx_.get(), out.data(), &len, out.size()) != 1 || len != size_) {
    return openssl_failure(CKR_FUNCTION_FAILED, "MAC final failed");
  }
  ctx_.reset();
  return out;
}

namespace {

// A context of HMAC-`hash` keyed with `key`, and its MAC size.
Result<std::pair<MacCtxPtr, std::size_t>> hmac_context(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> key) {
  const EVP_MD* md = md_for(hash);
  if (md == nullptr) return fail(CKR_MECHANISM_INVALID, "unknown HMAC hash");
  // OSSL_PARAM wants a mutable char*, but only reads it.
  char* name = const_cast<char*>(EVP_MD_get0_name(md));
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0),
                               OSSL_PARAM_construct_end()};
  CRATON_ASSIGN_OR_RETURN(MacCtxPtr ctx, keyed_context(macs().hmac.get(), key, params));
  const std::size_t size = EVP_MAC_CTX_get_mac_size(ctx.get());
  if (size != digest_size(hash)) return fail(CKR_GENERAL_ERROR, "HMAC size differs from the digest size");
  return std::pair<MacCtxPtr, std::size_t>(std::move(ctx), size);
}

}  // namespace

Result<MacKey> MacKey::hmac(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> key) {
  CRATON_ASSIGN_OR_RETURN(auto made, hmac_context(hash, key));
  return MacKey(std::move(made.first), made.second);
}

Result<ReusableMac> ReusableMac::hmac(CK_MECHANISM_TYPE hash, std::span<const std::uint8_t> key) {
  CRATON_ASSIGN_OR_RETURN(auto made, hmac_context(hash, key));
  return ReusableMac(std::move(made.first), made.second);
}

Status ReusableMac::compute(std::span<const std::uint8_t> data, std::span<std::uint8_t> out) {
  if (out.size() != size_) return fail(CKR_GENERAL_ERROR, "MAC output buffer of the wrong size");
  // A null key restarts from the key already set (OpenSSL 3.0.3 and later, EVP_MAC_init(3)).
  if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1) return openssl_failure(CKR_FUNCTION_FAILED, "MAC restart failed");
  if (!data.empty() && EVP_MAC_update(ctx_.get(), data.data(), data.size()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "MAC update failed");
  }
  std::size_t len = 0;
  if (EVP_MAC_final(ctx_.get(), out.data(), &len, out.size()) != 1 || len != size_) {
    return openssl_failure(CKR_FUNCTION_FAILED, "MAC final failed");
  }
  return {};
}

Result<MacKey> MacKey::aes_cmac(std::span<const std::uint8_t> key) {
  const char* cipher = key.size() == 16 ? "AES-128-CBC" : key.size() == 24 ? "AES-192-CBC" : key.size() == 32 ? "AES-256-CBC" : nullptr;
  if (cipher == nullptr) return fail(CKR_KEY_SIZE_RANGE, "AES keys are 16, 24 or 32 bytes");
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, const_cast<char*>(cipher), 0),
                               OSSL_PARAM_construct_end()};
  CRATON_ASSIGN_OR_RETURN(MacCtxPtr ctx, keyed_context(macs().cmac.get(), key, params));
  const std::size_t size = EVP_MAC_CTX_get_mac_size(ctx.get());
  return MacKey(std::move(ctx), size);
}

Result<RunningMac> MacKey::start() const {
  MacCtxPtr copy(EVP_MAC_CTX_dup(ctx_.get()));
  if (!copy) return openssl_failure(CKR_HOST_MEMORY, "cannot copy MAC context");
  return RunningMac(std::move(copy), size_);
}

}  // namespace craton::crypto
