#include "mech/pqc_common.h"

#include <algorithm>
#include <array>
#include <deque>
#include <variant>

#include "crypto/ossl/ec_ops.h"
#include "crypto/pqc/keccak.h"
#include "mech/ec_common.h"

namespace craton::mech {
namespace {

using object::Attribute;
using object::AttributeSet;
using Span = std::span<const std::uint8_t>;

constexpr Error kBadParam = fail(CKR_MECHANISM_PARAM_INVALID, "bad CK_SIGN_ADDITIONAL_CONTEXT");

// The hedging choice and context of a signature operation.
struct SignSettings {
  bool deterministic = false;
  Bytes context;
  std::optional<PreHash> caller_prehash;  // CKM_HASH_ML_DSA / CKM_HASH_SLH_DSA only
};

Result<SignSettings> sign_settings(const Params& p, bool signing, bool needs_hash) {
  SignSettings out;
  if (param_as<NoParams>(p) != nullptr) {
    if (needs_hash) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_HASH_SIGN_ADDITIONAL_CONTEXT is required");
    return out;
  }
  const auto* s = param_as<SignContextParams>(p);
  if (s == nullptr) return kBadParam;
  if (s->context.size() > crypto::pqc::kMlDsaMaxContextBytes) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "context longer than 255 bytes");
  }
  if (signing) {
    switch (s->hedge) {
      case CKH_HEDGE_PREFERRED:
      case CKH_HEDGE_REQUIRED: break;
      case CKH_DETERMINISTIC_REQUIRED: out.deterministic = true; break;
      default: return fail(CKR_MECHANISM_PARAM_INVALID, "unknown hedge variant");
    }
  }
  out.context = s->context;
  if (needs_hash) {
    out.caller_prehash = prehash_of_digest(s->hash);
    if (!out.caller_prehash) return fail(CKR_MECHANISM_PARAM_INVALID, "the hash is not a FIPS 204/205 pre-hash");
  }
  return out;
}

// PH(M) computed on the token: SHA-2/SHA-3 through OpenSSL, SHAKE through our Keccak.
class PreHashStream {
 public:
  static Result<PreHashStream> create(PreHash ph) {
    PreHashStream s;
    s.ph_ = ph;
    if (ph == PreHash::kShake128) {
      s.impl_.emplace<crypto::pqc::Shake128>();
    } else if (ph == PreHash::kShake256) {
      s.impl_.emplace<crypto::pqc::Shake256>();
    } else {
      CRATON_ASSIGN_OR_RETURN(crypto::HashStream h, crypto::HashStream::create(digest_of(ph)));
      s.impl_.emplace<crypto::HashStream>(std::move(h));
    }
    return s;
  }
  PreHash prehash() const noexcept { return ph_; }
  Status update(Span data) {
    if (auto* h = std::get_if<crypto::HashStream>(&impl_)) return h->update(data);
    if (auto* s128 = std::get_if<crypto::pqc::Shake128>(&impl_)) s128->absorb(data);
    if (auto* s256 = std::get_if<crypto::pqc::Shake256>(&impl_)) s256->absorb(data);
    return {};
  }
  Result<Bytes> finish() {
    if (auto* h = std::get_if<crypto::HashStream>(&impl_)) return h->finish();
    Bytes out(crypto::pqc::ml_dsa_prehash_bytes(ph_));
    if (auto* s128 = std::get_if<crypto::pqc::Shake128>(&impl_)) s128->squeeze(out);
    if (auto* s256 = std::get_if<crypto::pqc::Shake256>(&impl_)) s256->squeeze(out);
    return out;
  }

 private:
  static CK_MECHANISM_TYPE digest_of(PreHash ph) {
    switch (ph) {
      case PreHash::kSha224: return CKM_SHA224;
      case PreHash::kSha256: return CKM_SHA256;
      case PreHash::kSha384: return CKM_SHA384;
      case PreHash::kSha512: return CKM_SHA512;
      case PreHash::kSha512_224: return CKM_SHA512_224;
      case PreHash::kSha512_256: return CKM_SHA512_256;
      case PreHash::kSha3_224: return CKM_SHA3_224;
      case PreHash::kSha3_256: return CKM_SHA3_256;
      case PreHash::kSha3_384: return CKM_SHA3_384;
      case PreHash::kSha3_512: return CKM_SHA3_512;
      default: return 0;
    }
  }
  PreHash ph_ = PreHash::kSha256;
  std::variant<std::monostate, crypto::HashStream, crypto::pqc::Shake128, crypto::pqc::Shake256> impl_;
};

// How the message reaches the algorithm: the message itself (pure), the caller's PH(M), or PH(M)
// computed here.
enum class Variant { kPure, kCallerPreHash, kTokenHash };

// The input side shared by signing and verifying.
class SigInput {
 public:
  static Result<SigInput> create(Variant v, std::optional<PreHash> token_hash, SignSettings settings) {
    SigInput in;
    in.variant_ = v;
    in.settings_ = std::move(settings);
    if (v == Variant::kTokenHash) {
      CRATON_ASSIGN_OR_RETURN(PreHashStream s, PreHashStream::create(*token_hash));
      in.stream_.emplace(std::move(s));
    }
    return in;
  }
  Status update(Span data) { return stream_ ? stream_->update(data) : buffer_.append(data); }
  // The buffered message / caller pre-hash, or the finished PH(M).
  Result<Bytes> finish() {
    if (stream_) return stream_->finish();
    const auto d = buffer_.data();
    return Bytes(d.begin(), d.end());
  }
  bool direct() const { return !stream_ && buffer_.data().empty(); }
  bool hashed() const { return variant_ != Variant::kPure; }
  PreHash prehash() const { return stream_ ? stream_->prehash() : *settings_.caller_prehash; }
  const SignSettings& settings() const { return settings_; }

 private:
  Variant variant_ = Variant::kPure;
  SignSettings settings_;
  std::optional<PreHashStream> stream_;
  MessageBuffer buffer_;
};

class PqcSignOp final : public SignOp {
 public:
  PqcSignOp(const PqcSigAlgorithm& alg, PqcKeyView key, SigInput in) : alg_(alg), key_(std::move(key)), in_(std::move(in)) {}
  std::size_t signature_size() const override { return key_.spec().output_bytes; }
  Result<Bytes> sign(Span data) override {
    if (in_.direct()) return run(data);
    CRATON_TRY(in_.update(data));
    return finish();
  }
  Status update(Span data) override { return in_.update(data); }
  Result<Bytes> finish() override {
    CRATON_ASSIGN_OR_RETURN(const Bytes m, in_.finish());
    return run(m);
  }

 private:
  Result<Bytes> run(Span m) {
    const SignSettings& s = in_.settings();
    if (in_.hashed()) return alg_.hash_sign(key_.spec(), key_.value(), m, s.context, in_.prehash(), s.deterministic);
    return alg_.sign(key_.spec(), key_.value(), m, s.context, s.deterministic);
  }
  const PqcSigAlgorithm& alg_;
  PqcKeyView key_;
  SigInput in_;
};

class PqcVerifyOp final : public VerifyOp {
 public:
  PqcVerifyOp(const PqcSigAlgorithm& alg, PqcKeyView key, SigInput in) : alg_(alg), key_(std::move(key)), in_(std::move(in)) {}
  Status verify(Span data, Span sig) override {
    if (in_.direct()) return run(data, sig);
    CRATON_TRY(in_.update(data));
    return finish(sig);
  }
  Status update(Span data) override { return in_.update(data); }
  Status finish(Span sig) override {
    if (sig.size() != key_.spec().output_bytes) return fail(CKR_SIGNATURE_LEN_RANGE, "signature has the wrong length");
    CRATON_ASSIGN_OR_RETURN(const Bytes m, in_.finish());
    return run(m, sig);
  }

 private:
  Status run(Span m, Span sig) {
    if (sig.size() != key_.spec().output_bytes) return fail(CKR_SIGNATURE_LEN_RANGE, "signature has the wrong length");
    const SignSettings& s = in_.settings();
    if (in_.hashed()) return alg_.hash_verify(key_.spec(), key_.value(), m, s.context, in_.prehash(), sig);
    return alg_.verify(key_.spec(), key_.value(), m, s.context, sig);
  }
  const PqcSigAlgorithm& alg_;
  PqcKeyView key_;
  SigInput in_;
};

class PqcSignature final : public Mechanism {
 public:
  PqcSignature(const PqcSigAlgorithm& alg, Variant v, std::optional<PreHash> token_hash)
      : alg_(alg), variant_(v), token_hash_(token_hash) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == alg_.key_type; }

  Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(SigInput in, input(p, true));
    CRATON_ASSIGN_OR_RETURN(PqcKeyView k, pqc_key(key, CKO_PRIVATE_KEY));
    return std::unique_ptr<SignOp>(std::make_unique<PqcSignOp>(alg_, std::move(k), std::move(in)));
  }
  Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const override {
    CRATON_ASSIGN_OR_RETURN(SigInput in, input(p, false));
    CRATON_ASSIGN_OR_RETURN(PqcKeyView k, pqc_key(key, CKO_PUBLIC_KEY));
    return std::unique_ptr<VerifyOp>(std::make_unique<PqcVerifyOp>(alg_, std::move(k), std::move(in)));
  }

 private:
  Result<SigInput> input(const Params& p, bool signing) const {
    CRATON_ASSIGN_OR_RETURN(SignSettings s, sign_settings(p, signing, variant_ == Variant::kCallerPreHash));
    return SigInput::create(variant_, token_hash_, std::move(s));
  }
  const PqcSigAlgorithm& alg_;
  Variant variant_;
  std::optional<PreHash> token_hash_;
};

class PqcKeyPairGen final : public Mechanism {
 public:
  explicit PqcKeyPairGen(CK_KEY_TYPE kt) : kt_(kt) {}
  Result<KeyPairMaterial> generate_key_pair(const Params&, const AttributeSet& pub, const AttributeSet& priv) const override {
    return pqc_generate_pair(kt_, pub, priv);
  }

 private:
  CK_KEY_TYPE kt_;
};

// Mechanism objects made at registration; they live as long as the process (the registry is static).
std::deque<std::unique_ptr<const Mechanism>>& owned() {
  static std::deque<std::unique_ptr<const Mechanism>> all;
  return all;
}
template <class M, class... A>
const Mechanism* make_owned(A&&... args) {
  owned().push_back(std::make_unique<const M>(std::forward<A>(args)...));
  return owned().back().get();
}

}  // namespace

Result<CK_ULONG> key_parameter_set(const KeyRef& key, CK_OBJECT_CLASS cls) {
  if (key.object_class() != cls) {
    return fail(CKR_KEY_TYPE_INCONSISTENT, cls == CKO_PRIVATE_KEY ? "a private key is needed" : "a public key is needed");
  }
  const auto set = key.attrs().get_ulong(CKA_PARAMETER_SET);
  if (!set) return fail(CKR_KEY_TYPE_INCONSISTENT, "the key has no CKA_PARAMETER_SET");
  return *set;
}

Result<PqcKeyView> pqc_key(const KeyRef& key, CK_OBJECT_CLASS cls) {
  CRATON_ASSIGN_OR_RETURN(const CK_ULONG set, key_parameter_set(key, cls));
  CRATON_ASSIGN_OR_RETURN(const PqcSpec* spec, crypto::pqc::pqc_key_spec(key.key_type(), set));
  CRATON_TRY(check_key_value_size(key, cls, spec->public_bytes, spec->private_bytes));
  return PqcKeyView(key, spec);
}

Status check_key_value_size(const KeyRef& key, CK_OBJECT_CLASS cls, std::size_t public_bytes, std::size_t private_bytes) {
  const std::size_t want = cls == CKO_PRIVATE_KEY ? private_bytes : public_bytes;
  if (key.value().size() != want) return fail(CKR_KEY_TYPE_INCONSISTENT, "the key value does not fit its parameter set");
  return {};
}

Result<CK_ULONG> pair_parameter_set(const AttributeSet& public_tmpl, const AttributeSet& private_tmpl) {
  const auto from_pub = public_tmpl.get_ulong(CKA_PARAMETER_SET);
  const auto from_priv = private_tmpl.get_ulong(CKA_PARAMETER_SET);
  if (from_pub && from_priv && *from_pub != *from_priv) {
    return fail(CKR_TEMPLATE_INCONSISTENT, "the key templates name different parameter sets");
  }
  const auto set = from_pub ? from_pub : from_priv;
  if (!set) return fail(CKR_TEMPLATE_INCOMPLETE, "CKA_PARAMETER_SET missing from the public-key template");
  return *set;
}

KeyPairMaterial parameter_set_pair(CK_KEY_TYPE key_type, CK_ULONG set, Span public_key, Span private_value, Span seed,
                                   Span spki) {
  KeyPairMaterial m;
  for (AttributeSet* a : {&m.public_key, &m.private_key}) {
    a->set(Attribute::make_ulong(CKA_KEY_TYPE, key_type));
    a->set(Attribute::make_ulong(CKA_PARAMETER_SET, set));
    a->set(Attribute::make_bytes(CKA_PUBLIC_KEY_INFO, spki));
  }
  m.public_key.set(Attribute::make_ulong(CKA_CLASS, CKO_PUBLIC_KEY));
  m.public_key.set(Attribute::make_bytes(CKA_VALUE, public_key));
  m.private_key.set(Attribute::make_ulong(CKA_CLASS, CKO_PRIVATE_KEY));
  m.private_key.set(Attribute::make_bytes(CKA_VALUE, private_value));
  if (!seed.empty()) m.private_key.set(Attribute::make_bytes(CKA_SEED, seed));
  return m;
}

Result<KeyPairMaterial> pqc_generate_pair(CK_KEY_TYPE key_type, const AttributeSet& public_tmpl,
                                          const AttributeSet& private_tmpl) {
  CRATON_ASSIGN_OR_RETURN(const CK_ULONG set, pair_parameter_set(public_tmpl, private_tmpl));
  CRATON_ASSIGN_OR_RETURN(const PqcSpec* spec, crypto::pqc::pqc_key_spec(key_type, set));
  CRATON_ASSIGN_OR_RETURN(const crypto::pqc::PqcPrivateKey key, crypto::pqc::pqc_generate(*spec));
  const Bytes spki = crypto::pqc::pqc_public_key_info(*spec, key.public_key);
  return parameter_set_pair(key_type, set, key.public_key, key.value.span(), key.seed.span(), spki);
}

CK_MECHANISM_INFO public_size_info(std::span<const std::size_t> public_sizes, CK_FLAGS flags) {
  CK_ULONG lo = 0;
  CK_ULONG hi = 0;
  for (const std::size_t size : public_sizes) {
    const auto n = static_cast<CK_ULONG>(size);
    lo = lo == 0 ? n : std::min(lo, n);
    hi = std::max(hi, n);
  }
  return {lo, hi, flags};
}

CK_MECHANISM_INFO pqc_info(CK_KEY_TYPE key_type, CK_FLAGS flags) {
  std::vector<std::size_t> sizes;
  for (const auto* s : crypto::pqc::pqc_key_specs(key_type)) sizes.push_back(s->public_bytes);
  return public_size_info(sizes, flags);
}

std::optional<PreHash> prehash_of_digest(CK_MECHANISM_TYPE digest) {
  switch (digest) {
    case CKM_SHA224: return PreHash::kSha224;
    case CKM_SHA256: return PreHash::kSha256;
    case CKM_SHA384: return PreHash::kSha384;
    case CKM_SHA512: return PreHash::kSha512;
    case CKM_SHA512_224: return PreHash::kSha512_224;
    case CKM_SHA512_256: return PreHash::kSha512_256;
    case CKM_SHA3_224: return PreHash::kSha3_224;
    case CKM_SHA3_256: return PreHash::kSha3_256;
    case CKM_SHA3_384: return PreHash::kSha3_384;
    case CKM_SHA3_512: return PreHash::kSha3_512;
    case CKM_SHAKE_128_KEY_DERIVATION: return PreHash::kShake128;
    case CKM_SHAKE_256_KEY_DERIVATION: return PreHash::kShake256;
    default: return std::nullopt;
  }
}

std::vector<Registration> pqc_signature_registrations(const PqcSigAlgorithm& alg, CK_MECHANISM_TYPE keygen,
                                                      CK_MECHANISM_TYPE pure, CK_MECHANISM_TYPE caller_prehash,
                                                      std::span<const CK_MECHANISM_TYPE, 10> hashed) {
  static constexpr std::array<PreHash, 10> kHashes = {
      PreHash::kSha224,   PreHash::kSha256,   PreHash::kSha384,   PreHash::kSha512,   PreHash::kSha3_224,
      PreHash::kSha3_256, PreHash::kSha3_384, PreHash::kSha3_512, PreHash::kShake128, PreHash::kShake256};
  const CK_MECHANISM_INFO sig_info = pqc_info(alg.key_type, CKF_SIGN | CKF_VERIFY);
  std::vector<Registration> out = {
      {keygen, pqc_info(alg.key_type, CKF_GENERATE_KEY_PAIR), ParamKind::kNone, make_owned<PqcKeyPairGen>(alg.key_type)},
      {pure, sig_info, ParamKind::kSignContext, make_owned<PqcSignature>(alg, Variant::kPure, std::nullopt)},
      {caller_prehash, sig_info, ParamKind::kHashSignContext,
       make_owned<PqcSignature>(alg, Variant::kCallerPreHash, std::nullopt)},
  };
  for (std::size_t i = 0; i < hashed.size(); ++i) {
    out.push_back({hashed[i], sig_info, ParamKind::kSignContext,
                   make_owned<PqcSignature>(alg, Variant::kTokenHash, kHashes[i])});
  }
  return out;
}

}  // namespace craton::mech
