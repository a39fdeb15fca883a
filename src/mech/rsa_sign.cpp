// RSA signatures: CKM_RSA_PKCS (the caller supplies the DigestInfo), CKM_RSA_X_509 (raw),
// CKM_RSA_PKCS_PSS (the caller supplies the hash), the hash-and-sign CKM_<hash>_RSA_PKCS and
// CKM_<hash>_RSA_PKCS_PSS, and signatures with recovery (CKM_RSA_PKCS, CKM_RSA_X_509).
#include <variant>

#include "crypto/ossl/digest.h"
#include "mech/rsa_common.h"

namespace craton::mech {
namespace {

using crypto::RsaPad;
using crypto::RsaScheme;

constexpr Error kNotOffered = fail(CKR_MECHANISM_INVALID, "the RSA mechanism does not offer this function");

bool hashed(RsaKind k) { return k == RsaKind::kHashPkcs1 || k == RsaKind::kHashPss; }

// The MGF1 function built on `hash` (the default of the CKM_<hash>_RSA_PKCS_PSS mechanisms).
CK_RSA_PKCS_MGF_TYPE mgf_for(CK_MECHANISM_TYPE hash) {
  for (CK_RSA_PKCS_MGF_TYPE g = CKG_MGF1_SHA1; g <= CKG_MGF1_SHA3_512; ++g) {
    if (crypto::hash_for_mgf(g) == hash) return g;
  }
  return 0;
}

// CK_RSA_PKCS_PSS_PARAMS checked against the key (RFC 8017 §9.1.1: emLen ≥ hLen + sLen + 2 with
// emLen = ⌈(modBits − 1) / 8⌉). `fixed_hash`: the hash a CKM_<hash>_RSA_PKCS_PSS mechanism
// names; its parameter may then be omitted (hash, MGF1 of the hash, salt = hash size).
Result<RsaScheme> pss_scheme(const Params& p, CK_MECHANISM_TYPE fixed_hash, const RsaKey& key) {
  RsaPssParams v;
  if (const auto* given = param_as<RsaPssParams>(p)) {
    v = *given;
  } else if (fixed_hash != 0 && std::holds_alternative<NoParams>(p)) {
    v = {fixed_hash, mgf_for(fixed_hash), crypto::digest_size(fixed_hash)};
  } else {
    return fail(CKR_MECHANISM_PARAM_INVALID, "CK_RSA_PKCS_PSS_PARAMS required");
  }
  if (fixed_hash != 0 && v.hash != fixed_hash) return fail(CKR_MECHANISM_PARAM_INVALID, "hashAlg differs from the mechanism's hash");
  RsaScheme s = crypto::rsa_scheme(RsaPad::kPss, crypto::md_for(v.hash), crypto::md_for_mgf(v.mgf));
  if (s.md == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported PSS hashAlg");
  if (s.mgf1 == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported PSS mgf");
  const std::size_t em_len = (key.bits() + 6) / 8;  // ⌈(modBits − 1) / 8⌉
  const std::size_t h = crypto::digest_size(v.hash);
  if (v.salt_len > em_len || h + v.salt_len + 2 > em_len) return fail(CKR_MECHANISM_PARAM_INVALID, "PSS salt too long for the key");
  s.salt_len = v.salt_len;
  return s;
}

// The scheme of a signature mechanism with the key it will use.
Result<RsaScheme> sign_scheme(const RsaSpec& spec, const Params& p, const RsaKey& key) {
  switch (spec.kind) {
    case RsaKind::kPkcs1: return crypto::rsa_scheme(RsaPad::kPkcs1);
    case RsaKind::kX509: return crypto::rsa_scheme(RsaPad::kNone);
    case RsaKind::kPss: return pss_scheme(p, 0, key);
    case RsaKind::kHashPkcs1: {
      RsaScheme s = crypto::rsa_scheme(RsaPad::kPkcs1, crypto::md_for(spec.hash));
      if (s.md == nullptr) return fail(CKR_MECHANISM_INVALID, "hash unavailable");
      return s;
    }
    case RsaKind::kHashPss: return pss_scheme(p, spec.hash, key);
    case RsaKind::kOaep: break;
  }
  return kNotOffered;
}

Result<std::shared_ptr<const RsaKey>> key_of_class(const KeyRef& key, CK_OBJECT_CLASS want) {
  if (key.object_class() != want) return fail(CKR_KEY_TYPE_INCONSISTENT, "wrong RSA key class for the function");
  return rsa_key(key);
}

// Multi-part input of the mechanisms that sign their input as given: collected up to the modulus
// length (no scheme takes more), the rest is CKR_DATA_LEN_RANGE.
class Collected {
 public:
  Status add(std::span<const std::uint8_t> part, std::size_t limit) {
    if (part.size() > limit - data_.size()) return fail(CKR_DATA_LEN_RANGE, "input longer than the RSA modulus");
    data_.append(part);
    return {};
  }
  std::span<const std::uint8_t> span() const { return data_.span(); }

 private:
  SecureBytes data_;  // raw RSA input can be a secret (sign-recover of a key)
};

class RawSignOp final : public SignOp {
 public:
  RawSignOp(std::shared_ptr<const RsaKey> key, const RsaScheme& s) : key_(std::move(key)), scheme_(s) {}
  std::size_t signature_size() const override { return key_->bytes(); }
  Result<Bytes> sign(std::span<const std::uint8_t> data) override { return crypto::rsa_sign(key_->pkey(), scheme_, data); }
  Status update(std::span<const std::uint8_t> data) override { return input_.add(data, key_->bytes()); }
  Result<Bytes> finish() override { return sign(input_.span()); }

 private:
  std::shared_ptr<const RsaKey> key_;
  RsaScheme scheme_;
  Collected input_;
};

class RawVerifyOp final : public VerifyOp {
 public:
  RawVerifyOp(std::shared_ptr<const RsaKey> key, const RsaScheme& s) : key_(std::move(key)), scheme_(s) {}
  Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) override {
    return crypto::rsa_verify(key_->pkey(), scheme_, data, sig);
  }
  Status update(std::span<const std::uint8_t> data) override { return input_.add(data, key_->bytes()); }
  Status finish(std::span<const std::uint8_t> sig) override { return verify(input_.span(), sig); }

 private:
  std::shared_ptr<const RsaKey> key_;
  RsaScheme scheme_;
  Collected input_;
};

// Hash-and-sign: the message streams into OpenSSL's digest; nothing is buffered.
class HashSignOp final : public SignOp {
 public:
  HashSignOp(crypto::RsaDigestContext ctx, std::size_t k) : ctx_(std::move(ctx)), k_(k) {}
  std::size_t signature_size() const override { return k_; }
  Result<Bytes> sign(std::span<const std::uint8_t> data) override { return ctx_.sign_once(data); }
  Status update(std::span<const std::uint8_t> data) override { return ctx_.update(data); }
  Result<Bytes> finish() override { return ctx_.sign_final(); }

 private:
  crypto::RsaDigestContext ctx_;
  std::size_t k_;
};

class HashVerifyOp final : public VerifyOp {
 public:
  explicit HashVerifyOp(crypto::RsaDigestContext ctx) : ctx_(std::move(ctx)) {}
  Status verify(std::span<const std::uint8_t> data, std::span<const std::uint8_t> sig) override {
    return ctx_.verify_once(data, sig);
  }
  Status update(std::span<const std::uint8_t> data) override { return ctx_.update(data); }
  Status finish(std::span<const std::uint8_t> sig) override { return ctx_.verify_final(sig); }

 private:
  crypto::RsaDigestContext ctx_;
};

// C_SignRecover / C_VerifyRecover: single-part, output at most k bytes.
class RecoverOp final : public CipherOp {
 public:
  RecoverOp(std::shared_ptr<const RsaKey> key, const RsaScheme& s, bool sign) : key_(std::move(key)), scheme_(s), sign_(sign) {}
  std::size_t max_output(Step, std::size_t) const override { return key_->bytes(); }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override {
    if (!sign_) return crypto::rsa_verify_recover(key_->pkey(), scheme_, in);
    CRATON_ASSIGN_OR_RETURN(const Bytes sig, crypto::rsa_sign(key_->pkey(), scheme_, in));
    return SecureBytes(sig);
  }

 private:
  std::shared_ptr<const RsaKey> key_;
  RsaScheme scheme_;
  bool sign_;
};

}  // namespace

Result<std::unique_ptr<SignOp>> rsa_sign_op(const RsaSpec& spec, const Params& p, const KeyRef& key) {
  if (spec.kind == RsaKind::kOaep) return kNotOffered;
  CRATON_ASSIGN_OR_RETURN(auto k, key_of_class(key, CKO_PRIVATE_KEY));
  CRATON_ASSIGN_OR_RETURN(const RsaScheme s, sign_scheme(spec, p, *k));
  if (!hashed(spec.kind)) return std::unique_ptr<SignOp>(std::make_unique<RawSignOp>(std::move(k), s));
  CRATON_ASSIGN_OR_RETURN(auto ctx, crypto::RsaDigestContext::start_sign(k->pkey(), s));
  return std::unique_ptr<SignOp>(std::make_unique<HashSignOp>(std::move(ctx), k->bytes()));
}

Result<std::unique_ptr<VerifyOp>> rsa_verify_op(const RsaSpec& spec, const Params& p, const KeyRef& key) {
  if (spec.kind == RsaKind::kOaep) return kNotOffered;
  CRATON_ASSIGN_OR_RETURN(auto k, key_of_class(key, CKO_PUBLIC_KEY));
  CRATON_ASSIGN_OR_RETURN(const RsaScheme s, sign_scheme(spec, p, *k));
  if (!hashed(spec.kind)) return std::unique_ptr<VerifyOp>(std::make_unique<RawVerifyOp>(std::move(k), s));
  CRATON_ASSIGN_OR_RETURN(auto ctx, crypto::RsaDigestContext::start_verify(k->pkey(), s));
  return std::unique_ptr<VerifyOp>(std::make_unique<HashVerifyOp>(std::move(ctx)));
}

Result<std::unique_ptr<CipherOp>> rsa_recover_op(const RsaSpec& spec, const KeyRef& key, bool sign) {
  if (spec.kind != RsaKind::kPkcs1 && spec.kind != RsaKind::kX509) return kNotOffered;
  CRATON_ASSIGN_OR_RETURN(auto k, key_of_class(key, sign ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY));
  const RsaScheme s = crypto::rsa_scheme(spec.kind == RsaKind::kPkcs1 ? RsaPad::kPkcs1 : RsaPad::kNone);
  return std::unique_ptr<CipherOp>(std::make_unique<RecoverOp>(std::move(k), s, sign));
}

}  // namespace craton::mech
