// ECDSA (PKCS#11 3.2 §6.3): CKM_ECDSA over a caller-supplied hash, and CKM_ECDSA_SHA1,
// CKM_ECDSA_SHA224/256/384/512 and CKM_ECDSA_SHA3_224/256/384/512, which hash the data themselves.
//
// Signatures are r || s, each the length of the curve's field (64 bytes on P-256, 132 on P-521).
// CKM_ECDSA takes a hash of any length; the leftmost bits of the order's length are used (FIPS
// 186-5 §6.4.1), so a longer hash is truncated and a shorter one is used as it is. The spec makes
// it single-part; Update calls are accepted anyway and the input is buffered. The hashing
// mechanisms stream.
#include <array>
#include <optional>

#include "crypto/ossl/ec_ops.h"
#include "mech/ec_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

using crypto::HashStream;

// The data seen so far: a running hash (CKM_ECDSA_<hash>) or the buffered input (CKM_ECDSA).
class Input {
 public:
  static Result<Input> create(CK_MECHANISM_TYPE hash) {
    Input in;
    if (hash != 0) {
      CRATON_ASSIGN_OR_RETURN(HashStream h, HashStream::create(hash));
      in.hash_.emplace(std::move(h));
    }
    return in;
  }
  Status update(std::span<const std::uint8_t> data) { return hash_ ? hash_->update(data) : buffer_.append(data); }
  // The value that is signed: the digest, or the buffered input.
  Result<Bytes> finish() {
    if (hash_) return hash_->finish();
    const auto d = buffer_.data();
    return Bytes(d.begin(), d.end());
  }

 private:
  std::optional<HashStream> hash_;
  MessageBuffer buffer_;
};

class EcdsaSignOp final : public SignOp {
 public:
  EcdsaSignOp(std::shared_ptr<const EcKey> key, Input in) : key_(std::move(key)), in_(std::move(in)) {}
  std::size_t signature_size() const override { return crypto::ecdsa_signature_size(key_->curve()); }
  Result<Bytes> sign(std::span<const std::uint8_t> data) override {
    CRATON_TRY(in_.update(data));
    return finish();
  }
  Status update(std::span<const std::uint8_t> data) override { return in_.update(data); }
  Result<Bytes> finish() override {
    CRATON_ASSIGN_OR_RETURN(const Bytes h, in_.finish());
    return crypto::ecdsa_sign(key_->pkey(), key_->curve(), h);
  }

 private:
  std::shared_ptr<const EcKey> key_;
  Input in_;
};

class EcdsaVerifyOp final : public VerifyOp {
 public:
  EcdsaVerifyOp(std::shared_ptr<const EcKey> key, Input in) : key_(std::move(key)), in_(std::move(in)) {}
  Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) override {
    CRATON_TRY(in_.update(data));
    return finish(sig);
  }
  Status update(std::span<const std::uint8_t> data) override { return in_.update(data); }
  Status finish(std::span<const std::uint8_t> sig) override {
    if (sig.size() != crypto::ecdsa_signature_size(key_->curve())) {
      return fail(CKR_SIGNATURE_LEN_RANGE, "signature has the wrong length");
    }
    CRATON_ASSIGN_OR_RETURN(const Bytes h, in_.finish());
    return crypto::ecdsa_verify(key_->pkey(), key_->curve(), h, sig);
  }

 private:
  std::shared_ptr<const EcKey> key_;
  Input in_;
};

class Ecdsa final : public Mechanism {
 public:
  // hash: the hash mechanism of CKM_ECDSA_<hash>, 0 for CKM_ECDSA.
  explicit Ecdsa(CK_MECHANISM_TYPE hash) : hash_(hash) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_EC; }

  Result<std::unique_ptr<SignOp>> sign(const Params&, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(auto k, ec_private_key(key));
    CRATON_ASSIGN_OR_RETURN(Input in, Input::create(hash_));
    return std::unique_ptr<SignOp>(std::make_unique<EcdsaSignOp>(std::move(k), std::move(in)));
  }
  Result<std::unique_ptr<VerifyOp>> verify(const Params&, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(auto k, ec_public_key(key));
    CRATON_ASSIGN_OR_RETURN(Input in, Input::create(hash_));
    return std::unique_ptr<VerifyOp>(std::make_unique<EcdsaVerifyOp>(std::move(k), std::move(in)));
  }

 private:
  CK_MECHANISM_TYPE hash_;
};

struct EcdsaType {
  CK_MECHANISM_TYPE mechanism;
  CK_MECHANISM_TYPE hash;
};

constexpr std::array<EcdsaType, 10> kTypes{{
    {CKM_ECDSA, 0},
    {CKM_ECDSA_SHA1, CKM_SHA_1},
    {CKM_ECDSA_SHA224, CKM_SHA224},
    {CKM_ECDSA_SHA256, CKM_SHA256},
    {CKM_ECDSA_SHA384, CKM_SHA384},
    {CKM_ECDSA_SHA512, CKM_SHA512},
    {CKM_ECDSA_SHA3_224, CKM_SHA3_224},
    {CKM_ECDSA_SHA3_256, CKM_SHA3_256},
    {CKM_ECDSA_SHA3_384, CKM_SHA3_384},
    {CKM_ECDSA_SHA3_512, CKM_SHA3_512},
}};

}  // namespace

std::vector<Registration> ecdsa_mechanisms() {
  static const std::vector<Ecdsa> impls = [] {
    std::vector<Ecdsa> v;
    v.reserve(kTypes.size());
    for (const auto& t : kTypes) v.emplace_back(t.hash);
    return v;
  }();
  std::vector<Registration> out;
  for (std::size_t i = 0; i < kTypes.size(); ++i) {
    const CK_MECHANISM_INFO info{256, 521, CKF_SIGN | CKF_VERIFY | kEcPointFlags | CKF_EC_COMPRESS};
    out.push_back({kTypes[i].mechanism, info, ParamKind::kNone, &impls[i]});
  }
  return out;
}

}  // namespace craton::mech
