// Elliptic-curve Diffie-Hellman (PKCS#11 3.2 §6.3): CKM_ECDH1_DERIVE (X9.62 keys, and X25519/X448
// keys, CKK_EC_MONTGOMERY) and CKM_ECDH1_COFACTOR_DERIVE (X9.62 keys), with CK_ECDH1_DERIVE_PARAMS.
//
// pPublicData is the peer's public value: an X9.62 point (uncompressed or compressed) or a raw
// X25519/X448 u-coordinate, bare or in a DER OCTET STRING. A value that is not a point of the base
// key's curve, or an X25519/X448 peer that makes the shared secret zero, is
// CKR_MECHANISM_PARAM_INVALID.
//
// The shared secret Z is the x-coordinate (field length, leading zeros kept) or the X25519/X448
// output. KDFs:
//   CKD_NULL: the key value is Z. pSharedData must be empty. A shorter CKA_VALUE_LEN keeps the
//     trailing bytes of Z (bytes are removed from the leading end, as PKCS#11 specifies for
//     CKM_DH_PKCS_DERIVE and as SoftHSM and NSS do for ECDH); a longer one is
//     CKR_TEMPLATE_INCONSISTENT. Without CKA_VALUE_LEN the key is all of Z.
//   CKD_SHA1_KDF, CKD_SHA224/256/384/512_KDF, CKD_SHA3_224/256/384/512_KDF: ANSI X9.63 KDF with
//     pSharedData as SharedInfo.
//   CKD_SHA*_KDF_SP800, CKD_SHA3_*_KDF_SP800: SP 800-56C one-step KDF with the hash, pSharedData as
//     OtherInfo.
//   The KDFs need the key length (CKA_VALUE_LEN or a fixed-length key type): otherwise
//   CKR_TEMPLATE_INCOMPLETE. Other CKD_ values are CKR_MECHANISM_PARAM_INVALID.
#include <array>
#include <optional>

#include "crypto/ossl/ec_ops.h"
#include "crypto/ossl/ec_point.h"
#include "crypto/ossl/pkey_ec.h"
#include "mech/ec_common.h"
#include "mech/registry.h"

namespace craton::mech {
namespace {

enum class KdfKind { kNull, kX963, kOneStep };

struct KdfChoice {
  KdfKind kind = KdfKind::kNull;
  CK_MECHANISM_TYPE hash = 0;
};

struct KdfEntry {
  CK_EC_KDF_TYPE kdf;
  KdfChoice choice;
};

constexpr std::array<KdfEntry, 19> kKdfs{{
    {CKD_NULL, {KdfKind::kNull, 0}},
    {CKD_SHA1_KDF, {KdfKind::kX963, CKM_SHA_1}},
    {CKD_SHA224_KDF, {KdfKind::kX963, CKM_SHA224}},
    {CKD_SHA256_KDF, {KdfKind::kX963, CKM_SHA256}},
    {CKD_SHA384_KDF, {KdfKind::kX963, CKM_SHA384}},
    {CKD_SHA512_KDF, {KdfKind::kX963, CKM_SHA512}},
    {CKD_SHA3_224_KDF, {KdfKind::kX963, CKM_SHA3_224}},
    {CKD_SHA3_256_KDF, {KdfKind::kX963, CKM_SHA3_256}},
    {CKD_SHA3_384_KDF, {KdfKind::kX963, CKM_SHA3_384}},
    {CKD_SHA3_512_KDF, {KdfKind::kX963, CKM_SHA3_512}},
    {CKD_SHA1_KDF_SP800, {KdfKind::kOneStep, CKM_SHA_1}},
    {CKD_SHA224_KDF_SP800, {KdfKind::kOneStep, CKM_SHA224}},
    {CKD_SHA256_KDF_SP800, {KdfKind::kOneStep, CKM_SHA256}},
    {CKD_SHA384_KDF_SP800, {KdfKind::kOneStep, CKM_SHA384}},
    {CKD_SHA512_KDF_SP800, {KdfKind::kOneStep, CKM_SHA512}},
    {CKD_SHA3_224_KDF_SP800, {KdfKind::kOneStep, CKM_SHA3_224}},
    {CKD_SHA3_256_KDF_SP800, {KdfKind::kOneStep, CKM_SHA3_256}},
    {CKD_SHA3_384_KDF_SP800, {KdfKind::kOneStep, CKM_SHA3_384}},
    {CKD_SHA3_512_KDF_SP800, {KdfKind::kOneStep, CKM_SHA3_512}},
}};

// Longest key the KDFs produce; anything longer is a template mistake, not a key.
constexpr std::size_t kMaxDerived = std::size_t{64} * 1024;

Result<KdfChoice> kdf_of(const Ecdh1Params& p) {
  for (const auto& e : kKdfs) {
    if (e.kdf != p.kdf) continue;
    if (e.choice.kind == KdfKind::kNull && !p.shared_data.empty()) {
      return fail(CKR_MECHANISM_PARAM_INVALID, "CKD_NULL takes no shared data");
    }
    return e.choice;
  }
  return fail(CKR_MECHANISM_PARAM_INVALID, "key derivation function not supported");
}

// The key value from Z under the chosen KDF and the requested length.
Result<SecureBytes> key_value(const KdfChoice& kdf, const Ecdh1Params& p, SecureBytes z, std::optional<std::size_t> len) {
  if (len && *len == 0) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN is zero");
  if (kdf.kind == KdfKind::kNull) {
    if (!len) return z;
    if (*len > z.size()) return fail(CKR_TEMPLATE_INCONSISTENT, "CKA_VALUE_LEN exceeds the shared secret");
    return SecureBytes(z.span().last(*len));
  }
  if (!len) return fail(CKR_TEMPLATE_INCOMPLETE, "the key length is needed with a KDF");
  if (*len > kMaxDerived) return fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_VALUE_LEN too large");
  return kdf.kind == KdfKind::kX963 ? crypto::x963_kdf(kdf.hash, z.span(), p.shared_data, *len)
                                    : crypto::one_step_kdf(kdf.hash, z.span(), p.shared_data, *len);
}

class Ecdh final : public Mechanism {
 public:
  explicit Ecdh(bool cofactor) : cofactor_(cofactor) {}
  bool accepts_key_type(CK_KEY_TYPE kt) const override {
    return kt == CKK_EC || (!cofactor_ && kt == CKK_EC_MONTGOMERY);
  }

  Result<Derived> derive(const Params& params, const KeyRef& base, const DeriveRequest& req) const override {
    const auto* p = param_as<Ecdh1Params>(params);
    if (p == nullptr) return fail(CKR_MECHANISM_PARAM_INVALID, "CK_ECDH1_DERIVE_PARAMS expected");
    CRATON_ASSIGN_OR_RETURN(const KdfChoice kdf, kdf_of(*p));
    if (req.object_class != CKO_SECRET_KEY) return fail(CKR_TEMPLATE_INCONSISTENT, "ECDH derives a secret key");
    CRATON_ASSIGN_OR_RETURN(const auto key, ec_private_key(base));
    const crypto::Curve& curve = key->curve();
    CRATON_ASSIGN_OR_RETURN(const auto point, crypto::decode_ecdh_public_data(curve, p->public_data));
    CRATON_ASSIGN_OR_RETURN(const crypto::PkeyPtr peer,
                            crypto::ec_public_from_point(curve, point, CKR_MECHANISM_PARAM_INVALID));
    CRATON_ASSIGN_OR_RETURN(SecureBytes z, crypto::ecdh_shared_secret(key->pkey(), peer.get(), cofactor_));
    CRATON_ASSIGN_OR_RETURN(SecureBytes value, key_value(kdf, *p, std::move(z), req.value_len));
    Derived out;
    out.value = std::move(value);
    return out;
  }

 private:
  bool cofactor_;
};

}  // namespace

std::vector<Registration> ecdh_mechanisms() {
  static const Ecdh plain(false), cofactor(true);
  constexpr CK_FLAGS kFlags = CKF_DERIVE | kEcPointFlags | CKF_EC_COMPRESS;
  return {
      {CKM_ECDH1_DERIVE, {255, 521, kFlags}, ParamKind::kEcdh1, &plain},
      {CKM_ECDH1_COFACTOR_DERIVE, {256, 521, kFlags}, ParamKind::kEcdh1, &cofactor},
  };
}

}  // namespace craton::mech
