#include "token/pin_vault.h"

#include <array>
#include <cstring>

#include "crypto/ossl/aead.h"
#include "crypto/ossl/kdf.h"
#include "crypto/ossl/random.h"

namespace craton::token {
namespace {

constexpr std::array<std::uint8_t, 4> kMagic{'C', 'P', 'K', '1'};
constexpr std::size_t kSalt = 16, kNonce = 12, kKey = 32, kTag = 16;
constexpr std::size_t kBlobSize = kMagic.size() + 4 + kSalt + kNonce + kKey + kTag;

std::span<const std::uint8_t> role_label(PinRole role) {
  static constexpr std::array<std::uint8_t, 16> kSo{'c', 'r', 'a', 't', 'o', 'n', ' ', 't', 'm', 'k', ' ', 's', 'o', ' ', 'v', '1'};
  static constexpr std::array<std::uint8_t, 16> kUser{'c', 'r', 'a', 't', 'o', 'n', ' ', 't', 'm', 'k', ' ', 'u', 's', 'r', 'v', '1'};
  return role == PinRole::kSo ? std::span<const std::uint8_t>(kSo) : std::span<const std::uint8_t>(kUser);
}

}  // namespace

Result<std::vector<std::uint8_t>> wrap_master_key(const SecureBytes& master_key, const SecureBytes& pin,
                                                  PinRole role, std::uint32_t iterations) {
  if (master_key.size() != kKey) return fail(CKR_GENERAL_ERROR, "master key has the wrong size");
  std::array<std::uint8_t, kSalt> salt{};
  std::array<std::uint8_t, kNonce> nonce{};
  CRATON_TRY(crypto::random_bytes(salt));
  CRATON_TRY(crypto::random_bytes(nonce));
  CRATON_ASSIGN_OR_RETURN(SecureBytes kek, crypto::pbkdf2_hmac_sha256(pin.span(), salt, iterations, kKey));
  CRATON_ASSIGN_OR_RETURN(auto sealed, crypto::aes256gcm_seal(kek, nonce, role_label(role), master_key.span()));
  std::vector<std::uint8_t> blob(kMagic.begin(), kMagic.end());
  for (int i = 0; i < 4; ++i) blob.push_back(static_cast<std::uint8_t>(iterations >> (8 * i)));
  blob.insert(blob.end(), salt.begin(), salt.end());
  blob.insert(blob.end(), nonce.begin(), nonce.end());
  blob.insert(blob.end(), sealed.begin(), sealed.end());
  return blob;
}

Result<SecureBytes> unwrap_master_key(std::span<const std::uint8_t> blob, const SecureBytes& pin, PinRole role) {
  if (blob.size() != kBlobSize || !std::equal(kMagic.begin(), kMagic.end(), blob.begin())) {
    return fail(CKR_DEVICE_ERROR, "PIN record corrupted");
  }
  std::uint32_t iterations = 0;
  for (int i = 0; i < 4; ++i) iterations |= static_cast<std::uint32_t>(blob[4 + i]) << (8 * i);
  if (iterations == 0) return fail(CKR_DEVICE_ERROR, "PIN record corrupted");
  const auto salt = blob.subspan(8, kSalt);
  const auto nonce = blob.subspan(8 + kSalt, kNonce);
  const auto sealed = blob.subspan(8 + kSalt + kNonce);
  CRATON_ASSIGN_OR_RETURN(SecureBytes kek, crypto::pbkdf2_hmac_sha256(pin.span(), salt, iterations, kKey));
  auto opened = crypto::aes256gcm_open(kek, nonce, role_label(role), sealed);
  if (!opened.ok()) {
    if (opened.rv() == CKR_ENCRYPTED_DATA_INVALID) return fail(CKR_PIN_INCORRECT, "wrong PIN");
    return opened.error();
  }
  return std::move(opened).value();
}

}  // namespace craton::token
