#include "mech/approval.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "object/key_approval.h"

namespace craton::mech {
namespace {

// FIPS 186-5 (RSA >= 2048, ECDSA on NIST curves, EdDSA), SP 800-131A (no SHA-1 signatures, no
// RSA PKCS#1 v1.5 encryption), SP 800-38A/B/C/D/F (AES modes, CMAC, KW/KWP), FIPS 180-4/202 and
// 198-1 (hashes, HMAC), SP 800-56A (ECDH on NIST curves), SP 800-56C (HKDF), SP 800-108,
// SP 800-132 (PBKDF2), FIPS 203/204/205. Sorted by value for binary search.
constexpr std::array kApproved = std::to_array<CK_MECHANISM_TYPE>({
    CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_RSA_PKCS, CKM_RSA_PKCS_OAEP, CKM_RSA_PKCS_PSS,
    CKM_ML_KEM_KEY_PAIR_GEN, CKM_ML_KEM, CKM_ML_DSA_KEY_PAIR_GEN, CKM_ML_DSA, CKM_HASH_ML_DSA,
    CKM_HASH_ML_DSA_SHA224, CKM_HASH_ML_DSA_SHA256, CKM_HASH_ML_DSA_SHA384, CKM_HASH_ML_DSA_SHA512,
    CKM_HASH_ML_DSA_SHA3_224, CKM_HASH_ML_DSA_SHA3_256, CKM_HASH_ML_DSA_SHA3_384, CKM_HASH_ML_DSA_SHA3_512,
    CKM_HASH_ML_DSA_SHAKE128, CKM_HASH_ML_DSA_SHAKE256, CKM_SLH_DSA_KEY_PAIR_GEN, CKM_SLH_DSA, CKM_HASH_SLH_DSA,
    CKM_HASH_SLH_DSA_SHA224, CKM_HASH_SLH_DSA_SHA256, CKM_HASH_SLH_DSA_SHA384, CKM_HASH_SLH_DSA_SHA512,
    CKM_HASH_SLH_DSA_SHA3_224, CKM_HASH_SLH_DSA_SHA3_256, CKM_HASH_SLH_DSA_SHA3_384, CKM_HASH_SLH_DSA_SHA3_512,
    CKM_HASH_SLH_DSA_SHAKE128, CKM_HASH_SLH_DSA_SHAKE256,
    CKM_SHA256_RSA_PKCS, CKM_SHA384_RSA_PKCS, CKM_SHA512_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS, CKM_SHA384_RSA_PKCS_PSS,
    CKM_SHA512_RSA_PKCS_PSS, CKM_SHA224_RSA_PKCS, CKM_SHA224_RSA_PKCS_PSS, CKM_SHA512_224, CKM_SHA512_224_HMAC,
    CKM_SHA512_224_HMAC_GENERAL, CKM_SHA512_256, CKM_SHA512_256_HMAC, CKM_SHA512_256_HMAC_GENERAL,
    CKM_SHA3_256_RSA_PKCS, CKM_SHA3_384_RSA_PKCS, CKM_SHA3_512_RSA_PKCS, CKM_SHA3_256_RSA_PKCS_PSS,
    CKM_SHA3_384_RSA_PKCS_PSS, CKM_SHA3_512_RSA_PKCS_PSS, CKM_SHA3_224_RSA_PKCS, CKM_SHA3_224_RSA_PKCS_PSS,
    CKM_SHA_1, CKM_SHA_1_HMAC, CKM_SHA_1_HMAC_GENERAL, CKM_SHA256, CKM_SHA256_HMAC, CKM_SHA256_HMAC_GENERAL,
    CKM_SHA224, CKM_SHA224_HMAC, CKM_SHA224_HMAC_GENERAL, CKM_SHA384, CKM_SHA384_HMAC, CKM_SHA384_HMAC_GENERAL,
    CKM_SHA512, CKM_SHA512_HMAC, CKM_SHA512_HMAC_GENERAL, CKM_SHA3_256, CKM_SHA3_256_HMAC,
    CKM_SHA3_256_HMAC_GENERAL, CKM_SHA3_256_KEY_GEN, CKM_SHA3_224, CKM_SHA3_224_HMAC, CKM_SHA3_224_HMAC_GENERAL,
    CKM_SHA3_224_KEY_GEN, CKM_SHA3_384, CKM_SHA3_384_HMAC, CKM_SHA3_384_HMAC_GENERAL, CKM_SHA3_384_KEY_GEN,
    CKM_SHA3_512, CKM_SHA3_512_HMAC, CKM_SHA3_512_HMAC_GENERAL, CKM_SHA3_512_KEY_GEN, CKM_GENERIC_SECRET_KEY_GEN,
    CKM_SP800_108_COUNTER_KDF, CKM_SP800_108_FEEDBACK_KDF, CKM_PKCS5_PBKD2, CKM_EC_KEY_PAIR_GEN, CKM_ECDSA,
    CKM_ECDSA_SHA224, CKM_ECDSA_SHA256, CKM_ECDSA_SHA384, CKM_ECDSA_SHA512, CKM_ECDSA_SHA3_224,
    CKM_ECDSA_SHA3_256, CKM_ECDSA_SHA3_384, CKM_ECDSA_SHA3_512, CKM_ECDH1_DERIVE, CKM_ECDH1_COFACTOR_DERIVE,
    CKM_EC_EDWARDS_KEY_PAIR_GEN, CKM_EDDSA, CKM_AES_KEY_GEN, CKM_AES_ECB, CKM_AES_CBC, CKM_AES_CBC_PAD,
    CKM_AES_CTR, CKM_AES_GCM, CKM_AES_CCM, CKM_AES_CTS, CKM_AES_CMAC, CKM_AES_CMAC_GENERAL, CKM_AES_KEY_WRAP,
    CKM_AES_KEY_WRAP_KWP, CKM_SHA_1_KEY_GEN, CKM_SHA224_KEY_GEN, CKM_SHA256_KEY_GEN, CKM_SHA384_KEY_GEN,
    CKM_SHA512_KEY_GEN, CKM_SHA512_224_KEY_GEN, CKM_SHA512_256_KEY_GEN, CKM_HKDF_DERIVE, CKM_HKDF_DATA,
    CKM_HKDF_KEY_GEN,
});

constexpr auto kSorted = [] {
  auto a = kApproved;
  std::sort(a.begin(), a.end());
  return a;
}();

// Every approved mechanism below kBitmapLimit (all but vendor-defined ones) as one bit: the
// service indicator of every C_*Init asks, so the answer is a load and a mask, not a search.
constexpr CK_MECHANISM_TYPE kBitmapLimit = 0x8000;
constexpr auto kBitmap = [] {
  std::array<std::uint64_t, kBitmapLimit / 64> bits{};
  for (CK_MECHANISM_TYPE t : kApproved) {
    if (t < kBitmapLimit) bits[t / 64] |= std::uint64_t{1} << (t % 64);
  }
  return bits;
}();

bool is_rsa(CK_MECHANISM_TYPE t) {
  switch (t) {
    case CKM_RSA_PKCS_KEY_PAIR_GEN: case CKM_RSA_PKCS: case CKM_RSA_PKCS_OAEP: case CKM_RSA_PKCS_PSS:
    case CKM_SHA224_RSA_PKCS: case CKM_SHA256_RSA_PKCS: case CKM_SHA384_RSA_PKCS: case CKM_SHA512_RSA_PKCS:
    case CKM_SHA224_RSA_PKCS_PSS: case CKM_SHA256_RSA_PKCS_PSS: case CKM_SHA384_RSA_PKCS_PSS:
    case CKM_SHA512_RSA_PKCS_PSS: case CKM_SHA3_224_RSA_PKCS: case CKM_SHA3_256_RSA_PKCS:
    case CKM_SHA3_384_RSA_PKCS: case CKM_SHA3_512_RSA_PKCS: case CKM_SHA3_224_RSA_PKCS_PSS:
    case CKM_SHA3_256_RSA_PKCS_PSS: case CKM_SHA3_384_RSA_PKCS_PSS: case CKM_SHA3_512_RSA_PKCS_PSS:
      return true;
    default:
      return false;
  }
}

bool is_hmac(CK_MECHANISM_TYPE t) {
  switch (t) {
    case CKM_SHA_1_HMAC: case CKM_SHA_1_HMAC_GENERAL: case CKM_SHA224_HMAC: case CKM_SHA224_HMAC_GENERAL:
    case CKM_SHA256_HMAC: case CKM_SHA256_HMAC_GENERAL: case CKM_SHA384_HMAC: case CKM_SHA384_HMAC_GENERAL:
    case CKM_SHA512_HMAC: case CKM_SHA512_HMAC_GENERAL: case CKM_SHA512_224_HMAC: case CKM_SHA512_224_HMAC_GENERAL:
    case CKM_SHA512_256_HMAC: case CKM_SHA512_256_HMAC_GENERAL: case CKM_SHA3_224_HMAC:
    case CKM_SHA3_224_HMAC_GENERAL: case CKM_SHA3_256_HMAC: case CKM_SHA3_256_HMAC_GENERAL: case CKM_SHA3_384_HMAC:
    case CKM_SHA3_384_HMAC_GENERAL: case CKM_SHA3_512_HMAC: case CKM_SHA3_512_HMAC_GENERAL:
      return true;
    default:
      return false;
  }
}

bool is_ec(CK_MECHANISM_TYPE t) {
  switch (t) {
    case CKM_EC_KEY_PAIR_GEN: case CKM_ECDSA: case CKM_ECDSA_SHA224: case CKM_ECDSA_SHA256: case CKM_ECDSA_SHA384:
    case CKM_ECDSA_SHA512: case CKM_ECDSA_SHA3_224: case CKM_ECDSA_SHA3_256: case CKM_ECDSA_SHA3_384:
    case CKM_ECDSA_SHA3_512: case CKM_ECDH1_DERIVE: case CKM_ECDH1_COFACTOR_DERIVE:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool mechanism_approvable(CK_MECHANISM_TYPE type) {
  if (type < kBitmapLimit) return ((kBitmap[type / 64] >> (type % 64)) & 1U) != 0;
  return std::binary_search(kSorted.begin(), kSorted.end(), type);
}

bool mechanism_approved_for(CK_MECHANISM_TYPE type, KeyUse use) {
  if (!mechanism_approvable(type)) return false;
  // SP 800-131A: RSA PKCS#1 v1.5 encryption (and key transport) is no longer approved.
  if (type == CKM_RSA_PKCS) return use == KeyUse::kSign || use == KeyUse::kVerify;
  return true;
}

bool service_approved(CK_MECHANISM_TYPE type, KeyUse use, const KeyRef& key) {
  return mechanism_approved_for(type, use) && key.facts().parameters_approved;
}

CK_MECHANISM_INFO approved_mechanism_info(const Registration& r) {
  CK_MECHANISM_INFO info = r.info;
  if (r.type == CKM_RSA_PKCS) info.flags &= ~(CKF_ENCRYPT | CKF_DECRYPT | CKF_WRAP | CKF_UNWRAP);
  if (is_rsa(r.type)) info.ulMinKeySize = std::max<CK_ULONG>(info.ulMinKeySize, 2048);
  if (is_ec(r.type)) info.ulMinKeySize = std::max<CK_ULONG>(info.ulMinKeySize, 256);
  if (is_hmac(r.type)) info.ulMinKeySize = std::max<CK_ULONG>(info.ulMinKeySize, 14);
  return info;
}

Status require_approved_key(const object::AttributeSet& key) {
  if (object::key_parameters_approved(key)) return {};
  switch (key.get_ulong(CKA_KEY_TYPE).value_or(CKK_VENDOR_DEFINED)) {
    case CKK_RSA:
      return fail(CKR_KEY_SIZE_RANGE, "approved-only mode: RSA keys need at least 2048 bits");
    case CKK_EC:
    case CKK_EC_EDWARDS:
      return fail(CKR_CURVE_NOT_SUPPORTED, "approved-only mode: the key's curve is not approved");
    case CKK_CHACHA20:
      return fail(CKR_OPERATION_NOT_VALIDATED, "approved-only mode: ChaCha20 is not approved");
    default:
      // Generic, HKDF and HMAC secrets are approved from 112 bits on; other key types
      // (X25519/X448, hybrids) not at all.
      if (key.get_ulong(CKA_CLASS) == CKO_SECRET_KEY) {
        return fail(CKR_KEY_SIZE_RANGE, "approved-only mode: secret keys need at least 112 bits");
      }
      return fail(CKR_OPERATION_NOT_VALIDATED, "approved-only mode: this key type is not approved");
  }
}

}  // namespace craton::mech
