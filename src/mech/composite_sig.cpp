// Composite ML-DSA signatures (draft-ietf-lamps-pq-composite-sigs-19) through PKCS#11, as Craton
// vendor mechanisms on CKK_CRATON_COMP_SIG keys (craton_vendor.h, docs/HYBRIDS.md §4):
//
//   CKM_CRATON_COMP_SIG_KEY_PAIR_GEN   no parameter; CKA_PARAMETER_SET in a template
//   CKM_CRATON_COMP_SIG                the message; single- or multi-part
//   CKM_CRATON_COMP_SIG_EXTERNAL_HASH  PH(M) = SHA-512(M) from the caller (64 bytes); single-part
//
// Both signing mechanisms take an optional CK_SIGN_ADDITIONAL_CONTEXT: its context (at most 255
// bytes, else CKR_MECHANISM_PARAM_INVALID) is the draft's application context `ctx`; its hedge
// variant may be CKH_HEDGE_PREFERRED or CKH_HEDGE_REQUIRED. CKH_DETERMINISTIC_REQUIRED is refused
// at C_SignInit with CKR_MECHANISM_PARAM_INVALID: the ECDSA half draws its nonce from OpenSSL's
// DRBG (OpenSSL 3.0 has no RFC 6979), so no composite signature is reproducible. Verification
// ignores the hedge variant, as PKCS#11 3.2 says.
//
// Multi-part CKM_CRATON_COMP_SIG streams the message into SHA-512 and signs PH(M) (draft §10.5),
// which is exactly what the single-part call computes; so a signature made one way verifies the
// other way, and through CKM_CRATON_COMP_SIG_EXTERNAL_HASH. C_SignUpdate / C_VerifyUpdate on the
// external-hash mechanism is CKR_FUNCTION_NOT_SUPPORTED (and ends the operation); a PH(M) that is
// not 64 bytes is CKR_DATA_LEN_RANGE.
//
// Signatures vary in length (DER ECDSA part): the length query answers the longest possible one
// and C_Sign returns the actual length. A signature shorter or longer than any valid one is
// CKR_SIGNATURE_LEN_RANGE, a wrong one CKR_SIGNATURE_INVALID.
#include "crypto/hybrid/composite_sig.h"

#include <optional>

#include "crypto/ossl/ec_ops.h"
#include "mech/hybrid_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

using crypto::HashStream;
using crypto::hybrid::CompositeSigParams;
using Span = std::span<const std::uint8_t>;

constexpr auto kHedged = crypto::pqc::MlDsaHedge::kHedged;

// The application context of an operation, after the parameter's values are checked.
Result<Bytes> composite_context(const Params& p, bool signing) {
  if (param_as<NoParams>(p) != nullptr) return Bytes{};
  const auto* s = param_as<SignContextParams>(p);
  if (s == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "bad CK_SIGN_ADDITIONAL_CONTEXT");
  if (s->context.size() > crypto::pqc::kMlDsaMaxContextBytes) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "context longer than 255 bytes");
  }
  if (signing) {
    switch (s->hedge) {
      case CKH_HEDGE_PREFERRED:
      case CKH_HEDGE_REQUIRED: break;
      case CKH_DETERMINISTIC_REQUIRED:
        return fail(CKR_MECHANISM_PARAM_INVALID, "composite signatures cannot be deterministic (ECDSA nonce)");
      default: return fail(CKR_MECHANISM_PARAM_INVALID, "unknown hedge variant");
    }
  }
  return s->context;
}

// The input side shared by signing and verifying: the message is passed through in a single-part
// call and streamed into PH(M) otherwise; the external-hash variant takes PH(M) single-part only.
class CompositeInput {
 public:
  static Result<CompositeInput> create(HybridKeyView key, Bytes ctx, bool external_hash) {
    CompositeInput in(std::move(key), std::move(ctx));
    if (!external_hash) {
      CRATON_ASSIGN_OR_RETURN(HashStream h, HashStream::create(in.params().prehash));
      in.stream_.emplace(std::move(h));
    }
    return in;
  }
  const CompositeSigParams& params() const { return *key_.spec().composite; }
  const HybridKeyView& key() const { return key_; }
  Span context() const { return ctx_; }
  bool external_hash() const { return !stream_; }
  Status update(Span data) {
    if (!stream_) return fail(CKR_FUNCTION_NOT_SUPPORTED, "the external-hash mechanism is single-part only");
    return stream_->update(data);
  }
  Result<Bytes> finish() {
    if (!stream_) return fail(CKR_FUNCTION_NOT_SUPPORTED, "the external-hash mechanism is single-part only");
    return stream_->finish();
  }

 private:
  CompositeInput(HybridKeyView key, Bytes ctx) : key_(std::move(key)), ctx_(std::move(ctx)) {}
  HybridKeyView key_;
  Bytes ctx_;
  std::optional<HashStream> stream_;  // absent: the caller supplies PH(M)
};

class CompositeSignOp final : public SignOp {
 public:
  explicit CompositeSignOp(CompositeInput in) : in_(std::move(in)) {}
  std::size_t signature_size() const override { return in_.key().spec().max_output_bytes; }
  // Single-part: the data is the message (or PH(M)); nothing was streamed before (the abi refuses
  // C_Sign after C_SignUpdate).
  Result<Bytes> sign(Span data) override {
    const Span sk = in_.key().value();
    if (in_.external_hash()) return crypto::hybrid::composite_sign_prehashed(in_.params(), sk, data, in_.context(), kHedged);
    return crypto::hybrid::composite_sign(in_.params(), sk, data, in_.context(), kHedged);
  }
  Status update(Span data) override { return in_.update(data); }
  Result<Bytes> finish() override {
    CRATON_ASSIGN_OR_RETURN(const Bytes ph, in_.finish());
    return crypto::hybrid::composite_sign_prehashed(in_.params(), in_.key().value(), ph, in_.context(), kHedged);
  }

 private:
  CompositeInput in_;
};

class CompositeVerifyOp final : public VerifyOp {
 public:
  explicit CompositeVerifyOp(CompositeInput in) : in_(std::move(in)) {}
  Status verify(Span data, Span sig) override {
    CRATON_TRY(check_length(sig));
    const Span pk = in_.key().value();
    if (in_.external_hash()) return crypto::hybrid::composite_verify_prehashed(in_.params(), pk, data, in_.context(), sig);
    return crypto::hybrid::composite_verify(in_.params(), pk, data, in_.context(), sig);
  }
  Status update(Span data) override { return in_.update(data); }
  Status finish(Span sig) override {
    CRATON_TRY(check_length(sig));
    CRATON_ASSIGN_OR_RETURN(const Bytes ph, in_.finish());
    return crypto::hybrid::composite_verify_prehashed(in_.params(), in_.key().value(), ph, in_.context(), sig);
  }

 private:
  // Before hashing a possibly long message.
  Status check_length(Span sig) const {
    const HybridSpec& s = in_.key().spec();
    if (sig.size() < s.min_output_bytes || sig.size() > s.max_output_bytes) {
      return fail(CKR_SIGNATURE_LEN_RANGE, "composite signature has the wrong length");
    }
    return ok_status();
  }
  CompositeInput in_;
};

class CompositeSignature final : public Mechanism {
 public:
  explicit CompositeSignature(bool external_hash) : external_hash_(external_hash) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_CRATON_COMP_SIG; }

  Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(Bytes ctx, composite_context(p, true));
    CRATON_ASSIGN_OR_RETURN(HybridKeyView k, hybrid_key(key, CKO_PRIVATE_KEY));
    CRATON_ASSIGN_OR_RETURN(CompositeInput in, CompositeInput::create(std::move(k), std::move(ctx), external_hash_));
    return std::unique_ptr<SignOp>(std::make_unique<CompositeSignOp>(std::move(in)));
  }
  Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(Bytes ctx, composite_context(p, false));
    CRATON_ASSIGN_OR_RETURN(HybridKeyView k, hybrid_key(key, CKO_PUBLIC_KEY));
    CRATON_ASSIGN_OR_RETURN(CompositeInput in, CompositeInput::create(std::move(k), std::move(ctx), external_hash_));
    return std::unique_ptr<VerifyOp>(std::make_unique<CompositeVerifyOp>(std::move(in)));
  }

 private:
  bool external_hash_;
};

}  // namespace

std::vector<Registration> composite_sig_mechanisms() {
  static const HybridKeyPairGen keygen(CKK_CRATON_COMP_SIG);
  static const CompositeSignature pure(false);
  static const CompositeSignature external(true);
  const CK_MECHANISM_INFO sig_info = hybrid_info(CKK_CRATON_COMP_SIG, CKF_SIGN | CKF_VERIFY);
  return {
      {CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, hybrid_info(CKK_CRATON_COMP_SIG, CKF_GENERATE_KEY_PAIR), ParamKind::kNone,
       &keygen},
      {CKM_CRATON_COMP_SIG, sig_info, ParamKind::kSignContext, &pure},
      {CKM_CRATON_COMP_SIG_EXTERNAL_HASH, sig_info, ParamKind::kSignContext, &external},
  };
}

}  // namespace craton::mech
