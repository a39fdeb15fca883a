// RSA encryption and key wrapping: CKM_RSA_PKCS (RSAES-PKCS1-v1_5), CKM_RSA_PKCS_OAEP
// (RSAES-OAEP with any SHA-1/2/3 hash, MGF1 of any of them and an optional label) and
// CKM_RSA_X_509 (raw RSA). Single-part only, as the specification defines them.
#include "crypto/ossl/digest.h"
#include "mech/rsa_common.h"

namespace craton::mech {
namespace {

using crypto::RsaPad;
using crypto::RsaScheme;

constexpr Error kNotOffered = fail(CKR_MECHANISM_INVALID, "the RSA mechanism does not offer this function");

// A scheme plus the label it points at, owned (the caller's parameter is gone after Init).
struct OwnedScheme {
  RsaScheme scheme;
  Bytes label;
  RsaScheme get() const {
    RsaScheme s = scheme;
    s.label = label;
    return s;
  }
};

// CK_RSA_PKCS_OAEP_PARAMS: hashAlg and MGF1 of SHA-1/2/3; source CKZ_DATA_SPECIFIED with any
// label, or 0 with none. A key too small for the hash (k < 2·hLen + 2) → `size_rv`.
Result<OwnedScheme> oaep_scheme(const Params& p, const RsaKey& key, CK_RV size_rv) {
  const auto* v = param_as<RsaOaepParams>(p);
  if (v == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_RSA_PKCS_OAEP_PARAMS required");
  OwnedScheme o{crypto::rsa_scheme(RsaPad::kOaep, crypto::md_for(v->hash), crypto::md_for_mgf(v->mgf)), {}};
  if (o.scheme.md == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported OAEP hashAlg");
  if (o.scheme.mgf1 == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported OAEP mgf");
  if (v->source != CKZ_DATA_SPECIFIED && !(v->source == 0 && v->label.empty())) {
    return fail(CKR_MECHANISM_PARAM_INVALID, "unsupported OAEP source");
  }
  if (key.bytes() < 2 * crypto::digest_size(v->hash) + 2) return fail(size_rv, "RSA key too small for the OAEP hash");
  o.label = v->label;
  return o;
}

Result<OwnedScheme> cipher_scheme(const RsaSpec& spec, const Params& p, const RsaKey& key, CK_RV size_rv) {
  switch (spec.kind) {
    case RsaKind::kPkcs1: return OwnedScheme{crypto::rsa_scheme(RsaPad::kPkcs1), {}};
    case RsaKind::kX509: return OwnedScheme{crypto::rsa_scheme(RsaPad::kNone), {}};
    case RsaKind::kOaep: return oaep_scheme(p, key, size_rv);
    default: break;
  }
  return kNotOffered;
}

class RsaCipherOp final : public CipherOp {
 public:
  RsaCipherOp(std::shared_ptr<const RsaKey> key, OwnedScheme s, bool encrypt)
      : key_(std::move(key)), scheme_(std::move(s)), encrypt_(encrypt) {}

  // Ciphertext is k bytes; plaintext at most what the scheme can carry.
  std::size_t max_output(Step, std::size_t) const override {
    return encrypt_ ? key_->bytes() : crypto::rsa_max_input(key_->pkey(), scheme_.get());
  }
  Result<SecureBytes> single(std::span<const std::uint8_t> in) override {
    if (!encrypt_) return crypto::rsa_decrypt(key_->pkey(), scheme_.get(), in);
    CRATON_ASSIGN_OR_RETURN(const Bytes c, crypto::rsa_encrypt(key_->pkey(), scheme_.get(), in));
    return SecureBytes(c);
  }

 private:
  std::shared_ptr<const RsaKey> key_;
  OwnedScheme scheme_;
  bool encrypt_;
};

}  // namespace

Result<std::unique_ptr<CipherOp>> rsa_cipher_op(const RsaSpec& spec, const Params& p, const KeyRef& key, bool encrypt) {
  if (key.object_class() != (encrypt ? CKO_PUBLIC_KEY : CKO_PRIVATE_KEY)) {
    return fail(CKR_KEY_TYPE_INCONSISTENT, "wrong RSA key class for the function");
  }
  CRATON_ASSIGN_OR_RETURN(auto k, rsa_key(key));
  CRATON_ASSIGN_OR_RETURN(OwnedScheme s, cipher_scheme(spec, p, *k, CKR_KEY_SIZE_RANGE));
  return std::unique_ptr<CipherOp>(std::make_unique<RsaCipherOp>(std::move(k), std::move(s), encrypt));
}

Result<Bytes> rsa_wrap(const RsaSpec& spec, const Params& p, const KeyRef& key, std::span<const std::uint8_t> plain) {
  if (key.object_class() != CKO_PUBLIC_KEY) return fail(CKR_WRAPPING_KEY_TYPE_INCONSISTENT, "RSA wrapping needs the public key");
  CRATON_ASSIGN_OR_RETURN(auto k, rsa_key(key, RsaKeyRole::kWrap));
  CRATON_ASSIGN_OR_RETURN(const OwnedScheme s, cipher_scheme(spec, p, *k, CKR_WRAPPING_KEY_SIZE_RANGE));
  auto wrapped = crypto::rsa_encrypt(k->pkey(), s.get(), plain);
  if (!wrapped.ok() && (wrapped.rv() == CKR_DATA_LEN_RANGE || wrapped.rv() == CKR_DATA_INVALID)) {
    return fail(CKR_KEY_SIZE_RANGE, "key too long for the RSA wrapping mechanism");
  }
  return wrapped;
}

Result<SecureBytes> rsa_unwrap(const RsaSpec& spec, const Params& p, const KeyRef& key,
                               std::span<const std::uint8_t> wrapped, std::optional<std::size_t> value_len) {
  if (key.object_class() != CKO_PRIVATE_KEY) {
    return fail(CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT, "RSA unwrapping needs the private key");
  }
  CRATON_ASSIGN_OR_RETURN(auto k, rsa_key(key, RsaKeyRole::kUnwrap));
  CRATON_ASSIGN_OR_RETURN(const OwnedScheme s, cipher_scheme(spec, p, *k, CKR_UNWRAPPING_KEY_SIZE_RANGE));
  auto plain = crypto::rsa_decrypt(k->pkey(), s.get(), wrapped);
  if (!plain.ok()) {
    if (plain.rv() == CKR_ENCRYPTED_DATA_LEN_RANGE) return fail(CKR_WRAPPED_KEY_LEN_RANGE, "wrapped key is not the modulus length");
    if (plain.rv() == CKR_ENCRYPTED_DATA_INVALID) return fail(CKR_WRAPPED_KEY_INVALID, "wrapped key does not decrypt");
    return plain.error();
  }
  if (spec.kind != RsaKind::kX509) return plain;
  // Raw RSA returns the key as a k-byte integer, right-aligned: with CKA_VALUE_LEN the key is the
  // last value_len bytes; without it, what follows the leading zeros (a key whose own first byte
  // is zero cannot be told apart then; see docs/MECHANISMS.md).
  if (value_len) {
    if (*value_len > plain->size()) return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN exceeds the modulus");
    return SecureBytes(plain->span().last(*value_len));
  }
  std::size_t zeros = 0;
  while (zeros < plain->size() && plain->data()[zeros] == 0) ++zeros;
  return SecureBytes(plain->span().subspan(zeros));
}

}  // namespace craton::mech
