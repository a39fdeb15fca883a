// The RSA family's parsed key, its Mechanism class and its registrations.
#include "mech/rsa_common.h"

#include "common/log.h"

#include <array>
#include <variant>

#include "crypto/ossl/pkey_rsa.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

CK_RV type_error(RsaKeyRole role) {
  return role == RsaKeyRole::kWrap     ? CKR_WRAPPING_KEY_TYPE_INCONSISTENT
         : role == RsaKeyRole::kUnwrap ? CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT
                                       : CKR_KEY_TYPE_INCONSISTENT;
}

CK_RV size_error(RsaKeyRole role) {
  return role == RsaKeyRole::kWrap     ? CKR_WRAPPING_KEY_SIZE_RANGE
         : role == RsaKeyRole::kUnwrap ? CKR_UNWRAPPING_KEY_SIZE_RANGE
                                       : CKR_KEY_SIZE_RANGE;
}

Result<std::shared_ptr<const RsaKey>> parse(const object::AttributeSet& a) {
  const bool is_private = a.get_ulong(CKA_CLASS) == CKO_PRIVATE_KEY;
  CRATON_ASSIGN_OR_RETURN(crypto::PkeyPtr pkey,
                          is_private ? crypto::rsa_private_from_attrs(a) : crypto::rsa_public_from_attrs(a));
  return std::make_shared<const RsaKey>(std::move(pkey));
}

// One class for every RSA mechanism number except key generation; the registration's flags decide
// which of these factories the abi layer calls at all.
class RsaMechanism final : public Mechanism {
 public:
  explicit RsaMechanism(RsaSpec spec) : spec_(spec) {}

  bool accepts_key_type(CK_KEY_TYPE kt) const override { return kt == CKK_RSA; }

  Result<std::unique_ptr<SignOp>> sign(const Params& p, const KeyRef& key) const override {
    return rsa_sign_op(spec_, p, key);
  }
  Result<std::unique_ptr<VerifyOp>> verify(const Params& p, const KeyRef& key) const override {
    return rsa_verify_op(spec_, p, key);
  }
  Result<std::unique_ptr<CipherOp>> sign_recover(const Params&, const KeyRef& key) const override {
    return rsa_recover_op(spec_, key, true);
  }
  Result<std::unique_ptr<CipherOp>> verify_recover(const Params&, const KeyRef& key) const override {
    return rsa_recover_op(spec_, key, false);
  }
  Result<std::unique_ptr<CipherOp>> encrypt(const Params& p, const KeyRef& key) const override {
    return rsa_cipher_op(spec_, p, key, true);
  }
  Result<std::unique_ptr<CipherOp>> decrypt(const Params& p, const KeyRef& key) const override {
    return rsa_cipher_op(spec_, p, key, false);
  }
  Result<Bytes> wrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> bytes) const override {
    return rsa_wrap(spec_, p, key, bytes);
  }
  Result<SecureBytes> unwrap(const Params& p, const KeyRef& key, std::span<const std::uint8_t> wrapped,
                             std::optional<std::size_t> value_len) const override {
    return rsa_unwrap(spec_, p, key, wrapped, value_len);
  }

 private:
  RsaSpec spec_;
};

class RsaKeyPairGen final : public Mechanism {
 public:
  Result<KeyPairMaterial> generate_key_pair(const Params&, const object::AttributeSet& public_tmpl,
                                            const object::AttributeSet& private_tmpl) const override {
    return rsa_generate_key_pair(public_tmpl, private_tmpl);
  }
};

constexpr CK_FLAGS kSignVerify = CKF_SIGN | CKF_VERIFY;
constexpr CK_FLAGS kRecover = CKF_SIGN_RECOVER | CKF_VERIFY_RECOVER;
constexpr CK_FLAGS kCipher = CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP;

struct Entry {
  CK_MECHANISM_TYPE type;
  RsaSpec spec;
  CK_FLAGS flags;
  ParamKind params;
};

constexpr std::array<Entry, 22> kEntries{{
    {CKM_RSA_PKCS, {RsaKind::kPkcs1}, kSignVerify | kRecover | kCipher, ParamKind::kNone},
    {CKM_RSA_X_509, {RsaKind::kX509}, kSignVerify | kRecover | kCipher, ParamKind::kNone},
    {CKM_RSA_PKCS_PSS, {RsaKind::kPss}, kSignVerify, ParamKind::kRsaPss},
    {CKM_RSA_PKCS_OAEP, {RsaKind::kOaep}, kCipher, ParamKind::kRsaOaep},
    {CKM_SHA1_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA_1}, kSignVerify, ParamKind::kNone},
    {CKM_SHA224_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA224}, kSignVerify, ParamKind::kNone},
    {CKM_SHA256_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA256}, kSignVerify, ParamKind::kNone},
    {CKM_SHA384_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA384}, kSignVerify, ParamKind::kNone},
    {CKM_SHA512_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA512}, kSignVerify, ParamKind::kNone},
    {CKM_SHA3_224_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA3_224}, kSignVerify, ParamKind::kNone},
    {CKM_SHA3_256_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA3_256}, kSignVerify, ParamKind::kNone},
    {CKM_SHA3_384_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA3_384}, kSignVerify, ParamKind::kNone},
    {CKM_SHA3_512_RSA_PKCS, {RsaKind::kHashPkcs1, CKM_SHA3_512}, kSignVerify, ParamKind::kNone},
    {CKM_SHA1_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA_1}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA224_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA224}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA256_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA256}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA384_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA384}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA512_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA512}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA3_224_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA3_224}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA3_256_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA3_256}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA3_384_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA3_384}, kSignVerify, ParamKind::kRsaPss},
    {CKM_SHA3_512_RSA_PKCS_PSS, {RsaKind::kHashPss, CKM_SHA3_512}, kSignVerify, ParamKind::kRsaPss},
}};

}  // namespace

Result<std::shared_ptr<const RsaKey>> rsa_key(const KeyRef& key, RsaKeyRole role) {
  if (key.key_type() != CKK_RSA) return fail(type_error(role), "not an RSA key");
  auto parsed = key.parsed<RsaKey>(parse);
  if (!parsed.ok()) {
    if (parsed.rv() == CKR_HOST_MEMORY) return parsed.error();
    log::debug("mech", "RSA key not usable: ", std::string_view(parsed.error().reason));
    return fail(type_error(role), "the RSA key's attributes do not form a usable key");
  }
  const std::size_t bits = (*parsed)->bits();
  if (bits < kRsaMinBits || bits > kRsaMaxBits) return fail(size_error(role), "RSA modulus size not supported");
  return parsed;
}

std::vector<Registration> rsa_mechanisms() {
  static const RsaKeyPairGen keygen{};
  static const std::vector<RsaMechanism> impls = [] {
    std::vector<RsaMechanism> v;
    v.reserve(kEntries.size());
    for (const Entry& e : kEntries) v.emplace_back(e.spec);
    return v;
  }();
  std::vector<Registration> out;
  out.push_back({CKM_RSA_PKCS_KEY_PAIR_GEN, CK_MECHANISM_INFO{kRsaMinBits, kRsaMaxBits, CKF_GENERATE_KEY_PAIR},
                 ParamKind::kNone, &keygen});
  for (std::size_t i = 0; i < kEntries.size(); ++i) {
    out.push_back({kEntries[i].type, CK_MECHANISM_INFO{kRsaMinBits, kRsaMaxBits, kEntries[i].flags}, kEntries[i].params,
                   &impls[i]});
  }
  return out;
}

}  // namespace craton::mech
