// ChaCha20 key generation and the ChaCha20-Poly1305 AEAD (RFC 8439 §2.8: 32-byte key, 96-bit
// nonce, 16-byte tag appended to the ciphertext), single-part, multi-part and message-based.
// The 64-bit-nonce variant some documents mention is a different construction and is refused.
#include "mech/registry.h"
#include "mech/symmetric.h"

namespace craton::mech {
namespace {

using crypto::Direction;

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

class ChaCha20KeyGen final : public Mechanism {
 public:
  Result<object::AttributeSet> generate_key(const Params&, const object::AttributeSet& tmpl) const override {
    CRATON_ASSIGN_OR_RETURN(const auto len, template_value_len(tmpl));
    if (len && *len != kKeyBytes) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "ChaCha20 keys are 32 bytes");
    return random_secret_key(CKK_CHACHA20, kKeyBytes);
  }
};

class ChaCha20Poly1305 final : public DirectionalCipher {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_CHACHA20; }

 private:
  Result<std::unique_ptr<CipherOp>> make(const Params& p, const KeyRef& key, Direction dir) const override {
    const auto* c = param_as<ChaCha20Poly1305Params>(p);
    if (c == nullptr || c->nonce.size() != kNonceBytes) return fail(CKR_MECHANISM_PARAM_INVALID, "the nonce must be 12 bytes");
    CRATON_ASSIGN_OR_RETURN(auto k, chacha20_key(key));
    return aead_operation(crypto::CipherKind::kChaCha20Poly1305, std::move(k), c->nonce, c->aad, kTagBytes, dir);
  }
};

}  // namespace

std::vector<Registration> chacha20_mechanisms() {
  static const ChaCha20KeyGen keygen;
  static const ChaCha20Poly1305 aead;
  constexpr CK_FLAGS kAead = CKF_ENCRYPT | CKF_DECRYPT | CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT;
  return {
      {CKM_CHACHA20_KEY_GEN, {kKeyBytes, kKeyBytes, CKF_GENERATE}, ParamKind::kNone, &keygen},
      {CKM_CHACHA20_POLY1305, {kKeyBytes, kKeyBytes, kAead}, ParamKind::kChaCha20Poly1305, &aead},
  };
}

}  // namespace craton::mech
