// AES-GCM (SP 800-38D) and AES-CCM (SP 800-38C): single-part, multi-part and, through the abi's
// message layer, C_EncryptMessage / C_DecryptMessage. Decryption input is ciphertext || tag; no
// plaintext is released before the tag has been checked. GCM also wraps keys (ciphertext || tag).
#include "mech/registry.h"
#include "mech/symmetric.h"

namespace craton::mech {
namespace {

using crypto::Direction;

// A GCM parameter's values: IV 1..kGcmMaxIvBytes bytes, tag 32..128 bits in whole bytes
// (SP 800-38D §5.2.1.2 allows 32, 64 and 96..128; the byte multiples in between are accepted too).
Result<const GcmParams*> gcm_params(const Params& p) {
  const auto* g = param_as<GcmParams>(p);
  if (g == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_GCM_PARAMS expected");
  if (g->iv.empty() || g->iv.size() > crypto::kGcmMaxIvBytes) return fail(CKR_MECHANISM_PARAM_INVALID, "GCM IV length out of range");
  if (g->tag_bits < 32 || g->tag_bits > 128 || g->tag_bits % 8 != 0) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "GCM tag length must be 32..128 bits in whole bytes");
  }
  return g;
}

class GcmMechanism final : public DirectionalCipher {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_AES; }

 private:
  Result<std::unique_ptr<CipherOp>> make(const Params& p, const KeyRef& key, Direction dir) const override {
    CRATON_ASSIGN_OR_RETURN(const GcmParams* g, gcm_params(p));
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    return aead_operation(crypto::CipherKind::kAesGcm, std::move(k), g->iv, g->aad, g->tag_bits / 8, dir);
  }
};

// CCM needs the whole message before it can start (the length is authenticated first), so all
// input is buffered and the work is done by the last call.
class CcmOp final : public CipherOp {
 public:
  CcmOp(std::shared_ptr<const SecretKey> key, const CcmParams& p, Direction dir)
      : key_(std::move(key)), nonce_(p.nonce), aad_(p.aad), data_len_(p.data_len), mac_len_(p.mac_len), dir_(dir) {}

  std::size_t max_output(Step step, std::size_t n) const override {
    if (step == Step::kUpdate) return 0;
    const std::size_t total = (step == Step::kFinal ? input_.size() : 0) + n;
    return dir_ == Direction::kEncrypt ? total + mac_len_ : minus(total, mac_len_);
  }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override { return run(in); }
  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    if (input_.size() + in.size() > expected()) return fail(length_error(), "more data than ulDataLen announced");
    input_.append(in);
    return SecureBytes();
  }
  Result<SecureBytes> finish() override { return run(input_.span()); }

 private:
  std::size_t expected() const { return dir_ == Direction::kEncrypt ? data_len_ : data_len_ + mac_len_; }
  CK_RV length_error() const { return dir_ == Direction::kEncrypt ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE; }

  Result<SecureBytes> run(std::span<const std::uint8_t> in) {
    if (in.size() != expected()) return fail(length_error(), "input length differs from ulDataLen");
    if (dir_ == Direction::kEncrypt) return crypto::aes_ccm_seal(key_->value(), nonce_, aad_, in, mac_len_);
    return crypto::aes_ccm_open(key_->value(), nonce_, aad_, in.first(data_len_), in.subspan(data_len_));
  }

  std::shared_ptr<const SecretKey> key_;
  Bytes nonce_;
  Bytes aad_;
  std::size_t data_len_;
  std::size_t mac_len_;
  Direction dir_;
  SecureBytes input_;
};

class CcmMechanism final : public DirectionalCipher {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_AES; }

 private:
  // SP 800-38C Appendix A: nonce 7..13 bytes, MAC 4..16 bytes (even), and the length must fit
  // in the 15 - nonce bytes the formatting leaves for it.
  Result<std::unique_ptr<CipherOp>> make(const Params& p, const KeyRef& key, Direction dir) const override {
    const auto* c = param_as<CcmParams>(p);
    if (c == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_CCM_PARAMS expected");
    if (c->nonce.size() < 7 || c->nonce.size() > 13) return fail(CKR_MECHANISM_PARAM_INVALID, "CCM nonce must be 7..13 bytes");
    if (c->mac_len < 4 || c->mac_len > 16 || c->mac_len % 2 != 0) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "CCM MAC must be 4..16 bytes, even");
    }
    const std::size_t length_bytes = 15 - c->nonce.size();
    if (length_bytes < 8 && (static_cast<std::uint64_t>(c->data_len) >> (8 * length_bytes)) != 0) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "ulDataLen does not fit the nonce's length field");
    }
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    return std::unique_ptr<CipherOp>(std::make_unique<CcmOp>(std::move(k), *c, dir));
  }
};

}  // namespace

std::vector<Registration> aes_aead_mechanisms() {
  static const GcmMechanism gcm;
  static const CcmMechanism ccm;
  constexpr CK_FLAGS kAead = CKF_ENCRYPT | CKF_DECRYPT | CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT;
  return {
      {CKM_AES_GCM, {16, 32, kAead | CKF_WRAP | CKF_UNWRAP}, ParamKind::kGcm, &gcm},
      {CKM_AES_CCM, {16, 32, kAead}, ParamKind::kCcm, &ccm},
  };
}

}  // namespace craton::mech
