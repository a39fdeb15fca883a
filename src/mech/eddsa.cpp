// EdDSA (PKCS#11 3.2 §6.5, RFC 8032): CKM_EDDSA with CKK_EC_EDWARDS keys.
//
// The optional CK_EDDSA_PARAMS selects the RFC 8032 instance:
//   Ed25519: no parameter, or phFlag FALSE with an empty context → Ed25519 (pure);
//            phFlag FALSE with a context → Ed25519ctx; phFlag TRUE → Ed25519ph (context optional).
//   Ed448:   no parameter, or phFlag FALSE → Ed448 with the given (possibly empty) context;
//            phFlag TRUE → Ed448ph.
// The spec lists the parameter as required for Ed448; a missing one is read as pure Ed448 (empty
// context), the only reading that makes sense. RFC 8032 §5.1 says Ed25519ctx SHOULD NOT be used
// with an empty context, so an empty-context, non-prehash parameter means plain Ed25519. Contexts
// are at most 255 bytes (CKR_MECHANISM_PARAM_INVALID otherwise).
//
// Pure and ctx variants read the message twice, so multi-part calls buffer it (up to
// MessageBuffer::kMaxBuffered); the prehash variants stream into PH.
#include <optional>

#include "crypto/ossl/ec_ops.h"
#include "mech/ec_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

using crypto::HashStream;

struct Instance {
  bool prehash = false;
  Bytes context;
};

Result<Instance> instance_of(const Params& p) {
  if (param_as<NoParams>(p) != nullptr) return Instance{};
  const auto* e = param_as<EddsaParams>(p);
  if (e == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_EDDSA_PARAMS expected");
  if (e->context.size() > 255) return fail(CKR_MECHANISM_PARAM_INVALID, "EdDSA context longer than 255 bytes");
  return Instance{e->ph, e->context};
}

// The message as the signature needs it: buffered (pure, ctx) or hashed into PH(M) (ph).
class EddsaInput {
 public:
  static Result<EddsaInput> create(const crypto::Curve& curve, Instance inst) {
    EddsaInput in;
    if (inst.prehash) {
      CRATON_ASSIGN_OR_RETURN(HashStream h, crypto::eddsa_prehash(curve));
      in.ph_.emplace(std::move(h));
    }
    in.inst_ = std::move(inst);
    return in;
  }
  crypto::EddsaVariant variant() const { return {inst_.prehash, inst_.context}; }
  Status update(std::span<const std::uint8_t> data) { return ph_ ? ph_->update(data) : buffer_.append(data); }
  // M (buffered), or PH(M).
  Result<Bytes> finish() {
    if (ph_) return ph_->finish();
    const auto d = buffer_.data();
    return Bytes(d.begin(), d.end());
  }
  // A single-part call on a non-prehash instance signs the caller's data without copying it.
  bool direct() const { return !ph_ && buffer_.data().empty(); }

 private:
  Instance inst_;
  std::optional<HashStream> ph_;
  MessageBuffer buffer_;
};

class EddsaSignOp final : public SignOp {
 public:
  EddsaSignOp(std::shared_ptr<const EcKey> key, EddsaInput in) : key_(std::move(key)), in_(std::move(in)) {}
  std::size_t signature_size() const override { return crypto::eddsa_signature_size(key_->curve()); }
  Result<Bytes> sign(std::span<const std::uint8_t> data) override {
    if (in_.direct()) return crypto::eddsa_sign(key_->pkey(), key_->curve(), in_.variant(), data);
    CRATON_TRY(in_.update(data));
    return finish();
  }
  Status update(std::span<const std::uint8_t> data) override { return in_.update(data); }
  Result<Bytes> finish() override {
    CRATON_ASSIGN_OR_RETURN(const Bytes m, in_.finish());
    return crypto::eddsa_sign(key_->pkey(), key_->curve(), in_.variant(), m);
  }

 private:
  std::shared_ptr<const EcKey> key_;
  EddsaInput in_;
};

class EddsaVerifyOp final : public VerifyOp {
 public:
  EddsaVerifyOp(std::shared_ptr<const EcKey> key, EddsaInput in) : key_(std::move(key)), in_(std::move(in)) {}
  Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) override {
    if (in_.direct()) return crypto::eddsa_verify(key_->pkey(), key_->curve(), in_.variant(), data, sig);
    CRATON_TRY(in_.update(data));
    return finish(sig);
  }
  Status update(std::span<const std::uint8_t> data) override { return in_.update(data); }
  Status finish(std::span<const std::uint8_t> sig) override {
    if (sig.size() != crypto::eddsa_signature_size(key_->curve())) {
      return fail(CKR_SIGNATURE_LEN_RANGE, "signature has the wrong length");
    }
    CRATON_ASSIGN_OR_RETURN(const Bytes m, in_.finish());
    return crypto::eddsa_verify(key_->pkey(), key_->curve(), in_.variant(), m, sig);
  }

 private:
  std::shared_ptr<const EcKey> key_;
  EddsaInput in_;
};

class Eddsa final : public Mechanism {
 public:
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_EC_EDWARDS; }

  Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(Instance inst, instance_of(p));
    CRATON_ASSIGN_OR_RETURN(auto k, ec_private_key(key));
    CRATON_ASSIGN_OR_RETURN(EddsaInput in, EddsaInput::create(k->curve(), std::move(inst)));
    return std::unique_ptr<SignOp>(std::make_unique<EddsaSignOp>(std::move(k), std::move(in)));
  }
  Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(Instance inst, instance_of(p));
    CRATON_ASSIGN_OR_RETURN(auto k, ec_public_key(key));
    CRATON_ASSIGN_OR_RETURN(EddsaInput in, EddsaInput::create(k->curve(), std::move(inst)));
    return std::unique_ptr<VerifyOp>(std::make_unique<EddsaVerifyOp>(std::move(k), std::move(in)));
  }
};

}  // namespace

std::vector<Registration> eddsa_mechanisms() {
  static const Eddsa eddsa;
  return {{CKM_EDDSA, {255, 448, CKF_SIGN | CKF_VERIFY | kEcCurveFlags}, ParamKind::kEddsa, &eddsa}};
}

}  // namespace craton::mech
