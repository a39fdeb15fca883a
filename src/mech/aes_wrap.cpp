// AES key wrap: CKM_AES_KEY_WRAP (RFC 3394 / SP 800-38F KW, optional 8-byte IV) and
// CKM_AES_KEY_WRAP_KWP (RFC 5649 / SP 800-38F KWP, optional 4-byte IV), for C_WrapKey /
// C_UnwrapKey and for C_Encrypt / C_Decrypt of data. The spec defines them as single-part; the
// multi-part calls are accepted too and simply collect the input until the final call.
#include "mech/registry.h"
#include "mech/symmetric.h"

namespace craton::mech {
namespace {

using crypto::Direction;

constexpr std::size_t kSemiblock = 8;

class KeyWrapOp final : public CipherOp {
 public:
  KeyWrapOp(std::shared_ptr<const SecretKey> key, Bytes iv, bool padded, Direction dir)
      : key_(std::move(key)), iv_(std::move(iv)), padded_(padded), dir_(dir) {}

  std::size_t max_output(Step step, std::size_t n) const override {
    if (step == Step::kUpdate) return 0;
    const std::size_t total = (step == Step::kFinal ? input_.size() : 0) + n;
    return dir_ == Direction::kEncrypt ? crypto::aes_key_wrap_size(std::max<std::size_t>(total, 1), padded_)
                                       : minus(total, kSemiblock);
  }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override {
    return crypto::aes_key_wrap(key_->value(), iv_, padded_, in, dir_);
  }
  Result<SecureBytes> update(std::span<const std::uint8_t> in) override {
    input_.append(in);
    return SecureBytes();
  }
  Result<SecureBytes> finish() override { return crypto::aes_key_wrap(key_->value(), iv_, padded_, input_.span(), dir_); }

 private:
  std::shared_ptr<const SecretKey> key_;
  Bytes iv_;
  bool padded_;
  Direction dir_;
  SecureBytes input_;
};

class KeyWrapMechanism final : public Mechanism {
 public:
  explicit KeyWrapMechanism(bool padded) : padded_(padded) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_AES; }

  Result<std::unique_ptr<CipherOp>> encrypt(const Params& p, const KeyRef& key) const override {
    return make(p, key, Direction::kEncrypt);
  }
  Result<std::unique_ptr<CipherOp>> decrypt(const Params& p, const KeyRef& key) const override {
    return make(p, key, Direction::kDecrypt);
  }

  Result<Bytes> wrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> key_bytes) const override {
    if (key_bytes.empty() || (!padded_ && (key_bytes.size() % kSemiblock != 0 || key_bytes.size() < 2 * kSemiblock))) {
      return fail(CKR_KEY_SIZE_RANGE, "key length cannot be wrapped by this mechanism");
    }
    CRATON_ASSIGN_OR_RETURN(auto iv, iv_of(p));
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    CRATON_ASSIGN_OR_RETURN(SecureBytes out, crypto::aes_key_wrap(k->value(), iv, padded_, key_bytes, Direction::kEncrypt));
    return Bytes(out.span().begin(), out.span().end());
  }

  Result<SecureBytes> unwrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> wrapped,
                             std::optional<std::size_t> /*value_len: the abi truncates*/) const override {
    CRATON_ASSIGN_OR_RETURN(auto iv, iv_of(p));
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    auto out = crypto::aes_key_wrap(k->value(), iv, padded_, wrapped, Direction::kDecrypt);
    if (out.rv() == CKR_ENCRYPTED_DATA_LEN_RANGE) return fail(CKR_WRAPPED_KEY_LEN_RANGE, "wrapped key length invalid");
    if (out.rv() == CKR_ENCRYPTED_DATA_INVALID) return fail(CKR_WRAPPED_KEY_INVALID, "wrapped key failed the integrity check");
    return out;
  }

 private:
  Result<Bytes> iv_of(const Params& p) const {
    const auto* b = param_as<BytesParam>(p);
    if (b == nullptr || (!b->data.empty() && b->data.size() != (padded_ ? 4U : kSemiblock))) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "key-wrap IV: none, or 8 bytes (KW) / 4 bytes (KWP)");
    }
    return b->data;
  }

  Result<std::unique_ptr<CipherOp>> make(const Params& p, const KeyRef& key, Direction dir) const {
    CRATON_ASSIGN_OR_RETURN(Bytes iv, iv_of(p));
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    return std::unique_ptr<CipherOp>(std::make_unique<KeyWrapOp>(std::move(k), std::move(iv), padded_, dir));
  }

  bool padded_;
};

}  // namespace

std::vector<Registration> aes_wrap_mechanisms() {
  static const KeyWrapMechanism kw(false), kwp(true);
  constexpr CK_FLAGS kFlags = CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP;
  return {
      {CKM_AES_KEY_WRAP, {16, 32, kFlags}, ParamKind::kBytes, &kw},
      {CKM_AES_KEY_WRAP_KWP, {16, 32, kFlags}, ParamKind::kBytes, &kwp},
  };
}

}  // namespace craton::mech
