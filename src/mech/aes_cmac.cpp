// AES-CMAC (SP 800-38B, RFC 4493): CKM_AES_CMAC (16-byte MAC) and CKM_AES_CMAC_GENERAL
// (CK_MAC_GENERAL_PARAMS: the MAC truncated to 1..16 bytes), sign and verify, single and
// multi-part. The CMAC subkeys are derived once per key version and kept with the parsed key.
#include "mech/registry.h"
#include "mech/symmetric.h"

namespace craton::mech {
namespace {

class CmacSignOp final : public SignOp {
 public:
  CmacSignOp(crypto::CmacStream s, std::size_t len) : stream_(std::move(s)), len_(len) {}
  std::size_t signature_size() const override { return len_; }
  Result<Bytes> sign(std::span<const std::uint8_t> data) override {
    CRATON_TRY(stream_.update(data));
    return finish();
  }
  Status update(std::span<const std::uint8_t> data) override { return stream_.update(data); }
  Result<Bytes> finish() override {
    CRATON_ASSIGN_OR_RETURN(const auto mac, stream_.finish());
    return Bytes(mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(len_));
  }

 private:
  crypto::CmacStream stream_;
  std::size_t len_;
};

class CmacVerifyOp final : public VerifyOp {
 public:
  CmacVerifyOp(crypto::CmacStream s, std::size_t len) : stream_(std::move(s)), len_(len) {}
  Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) override {
    if (sig.size() != len_) return fail(CKR_SIGNATURE_LEN_RANGE, "wrong MAC length");
    CRATON_TRY(stream_.update(data));
    return finish(sig);
  }
  Status update(std::span<const std::uint8_t> data) override { return stream_.update(data); }
  Status finish(std::span<const std::uint8_t> sig) override {
    if (sig.size() != len_) return fail(CKR_SIGNATURE_LEN_RANGE, "wrong MAC length");
    CRATON_ASSIGN_OR_RETURN(const auto mac, stream_.finish());
    if (!ct_equal(std::span<const std::uint8_t>(mac).first(len_), sig)) return fail(CKR_SIGNATURE_INVALID, "MAC mismatch");
    return {};
  }

 private:
  crypto::CmacStream stream_;
  std::size_t len_;
};

class CmacMechanism final : public Mechanism {
 public:
  explicit CmacMechanism(bool general) : general_(general) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_AES; }

  Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(const std::size_t len, mac_len(p));
    CRATON_ASSIGN_OR_RETURN(crypto::CmacStream s, start(key));
    return std::unique_ptr<SignOp>(std::make_unique<CmacSignOp>(std::move(s), len));
  }
  Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(const std::size_t len, mac_len(p));
    CRATON_ASSIGN_OR_RETURN(crypto::CmacStream s, start(key));
    return std::unique_ptr<VerifyOp>(std::make_unique<CmacVerifyOp>(std::move(s), len));
  }

 private:
  Result<std::size_t> mac_len(const Params& p) const {
    if (!general_) return crypto::kAesBlockSize;
    const auto* u = param_as<UlongParam>(p);
    if (u == nullptr || u->value == 0 || u->value > crypto::kAesBlockSize) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "CMAC length must be 1..16 bytes");
    }
    return static_cast<std::size_t>(u->value);
  }
  static Result<crypto::CmacStream> start(const KeyRef& key) {
    CRATON_ASSIGN_OR_RETURN(auto k, aes_key(key));
    CRATON_ASSIGN_OR_RETURN(const crypto::CmacKey* cmac, k->cmac());
    return cmac->start();
  }

  bool general_;
};

}  // namespace

std::vector<Registration> aes_cmac_mechanisms() {
  static const CmacMechanism cmac(false), general(true);
  return {
      {CKM_AES_CMAC, {16, 32, CKF_SIGN | CKF_VERIFY}, ParamKind::kNone, &cmac},
      {CKM_AES_CMAC_GENERAL, {16, 32, CKF_SIGN | CKF_VERIFY}, ParamKind::kUlong, &general},
  };
}

}  // namespace craton::mech
