#include "crypto/ossl/aead.h"
#include "crypto/ossl/libctx.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {
namespace {

Status check_sizes(const SecureBytes& key, std::span<const std::uint8_t> nonce,
                   std::size_t aad_len, std::size_t data_len) {
  if (key.size() != kGcmKeySize) return fail(CKR_ARGUMENTS_BAD, "AES-256-GCM needs a 32-byte key");
  if (nonce.size() != kGcmNonceSize) return fail(CKR_ARGUMENTS_BAD, "AES-256-GCM needs a 12-byte nonce");
  if (!fits_int(aad_len) || !fits_int(data_len + kGcmTagSize)) {
    return fail(CKR_DATA_LEN_RANGE, "AES-256-GCM input too long");
  }
  return ok_status();
}

// Creates a context keyed for one direction (encrypt = 1, decrypt = 0) and feeds the AAD.
Result<CipherCtxPtr> start(const SecureBytes& key, std::span<const std::uint8_t> nonce,
                           std::span<const std::uint8_t> aad, int encrypt) {
  CipherPtr cipher(EVP_CIPHER_fetch(libctx(), "AES-256-GCM", nullptr));
  if (!cipher) return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM unavailable");
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return openssl_failure(CKR_HOST_MEMORY, "cannot allocate cipher context");
  if (EVP_CipherInit_ex2(ctx.get(), cipher.get(), key.data(), nonce.data(), encrypt, nullptr) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM init failed");
  }
  if (!aad.empty()) {
    int outl = 0;
    if (EVP_CipherUpdate(ctx.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) != 1) {
      return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM AAD failed");
    }
  }
  return ctx;
}

}  // namespace

Result<std::vector<std::uint8_t>> aes256gcm_seal(const SecureBytes& key,
                                                 std::span<const std::uint8_t> nonce12,
                                                 std::span<const std::uint8_t> aad,
                                                 std::span<const std::uint8_t> plaintext) {
  CRATON_TRY(check_sizes(key, nonce12, aad.size(), plaintext.size()));
  CRATON_ASSIGN_OR_RETURN(CipherCtxPtr ctx, start(key, nonce12, aad, 1));

  std::vector<std::uint8_t> out(plaintext.size() + kGcmTagSize);
  int len = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                                              static_cast<int>(plaintext.size())) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM encrypt failed");
  }
  int final_len = 0;
  // GCM is a stream mode: EncryptFinal emits nothing, but it must run to compute the tag.
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1 ||
      static_cast<std::size_t>(len) + static_cast<std::size_t>(final_len) != plaintext.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM encrypt failed");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kGcmTagSize),
                          out.data() + plaintext.size()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM tag failed");
  }
  return out;
}

Result<SecureBytes> aes256gcm_open(const SecureBytes& key, std::span<const std::uint8_t> nonce12,
                                   std::span<const std::uint8_t> aad,
                                   std::span<const std::uint8_t> ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < kGcmTagSize) {
    return fail(CKR_ENCRYPTED_DATA_INVALID, "authentication failed");
  }
  const auto ciphertext = ciphertext_and_tag.first(ciphertext_and_tag.size() - kGcmTagSize);
  // The ctrl interface wants a mutable buffer; a copy keeps the caller's input const.
  std::array<std::uint8_t, kGcmTagSize> tag{};
  const auto tag_in = ciphertext_and_tag.last(kGcmTagSize);
  std::copy(tag_in.begin(), tag_in.end(), tag.begin());

  CRATON_TRY(check_sizes(key, nonce12, aad.size(), ciphertext.size()));
  CRATON_ASSIGN_OR_RETURN(CipherCtxPtr ctx, start(key, nonce12, aad, 0));

  SecureBytes out(ciphertext.size());
  int len = 0;
  if (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), out.data(), &len, ciphertext.data(),
                                               static_cast<int>(ciphertext.size())) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM decrypt failed");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kGcmTagSize),
                          tag.data()) != 1) {
    return openssl_failure(CKR_FUNCTION_FAILED, "AES-256-GCM tag failed");
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1) {
    // `out` holds unauthenticated plaintext; it is wiped when it goes out of scope here.
    return openssl_failure(CKR_ENCRYPTED_DATA_INVALID, "authentication failed");
  }
  return out;
}

}  // namespace craton::crypto
