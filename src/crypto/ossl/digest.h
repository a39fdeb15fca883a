// Message digests keyed by PKCS#11 hash mechanism (CKM_SHA_1 ... CKM_SHA3_512) and MGF1
// function (CKG_MGF1_*), for the RSA, ECDSA and KDF mechanism families.
//
// The EVP_MD objects are fetched once, on first use, and live for the rest of the process.
// Thread safety: everything here is safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include <openssl/evp.h>

#include "common/result.h"
#include "crypto/ossl/der.h"

namespace craton::crypto {

// The digest for a hash mechanism: CKM_SHA_1, CKM_SHA224, CKM_SHA256, CKM_SHA384, CKM_SHA512,
// CKM_SHA512_224, CKM_SHA512_256, CKM_SHA3_224/256/384/512. nullptr for any other mechanism (or
// if the provider lacks the algorithm). Not owned by the caller; never freed.
const EVP_MD* md_for(CK_MECHANISM_TYPE hash_mech) noexcept;

// SHAKE256 (Ed448's hash), from the module's library context; nullptr if unavailable.
const EVP_MD* shake256_md() noexcept;

// Output size in bytes of that digest; 0 for an unknown mechanism.
std::size_t digest_size(CK_MECHANISM_TYPE hash_mech) noexcept;

// The hash mechanism an MGF1 function (CKG_MGF1_SHA1 ... CKG_MGF1_SHA3_512) uses.
std::optional<CK_MECHANISM_TYPE> hash_for_mgf(CK_RSA_PKCS_MGF_TYPE mgf) noexcept;

// The digest an MGF1 function uses; nullptr if unknown.
const EVP_MD* md_for_mgf(CK_RSA_PKCS_MGF_TYPE mgf) noexcept;

// One-shot digest of `data`. Unknown mechanism → CKR_MECHANISM_INVALID.
Result<Bytes> digest(CK_MECHANISM_TYPE hash_mech, std::span<const std::uint8_t> data);

}  // namespace craton::crypto
