#include "crypto/ossl/digest.h"
#include "crypto/ossl/libctx.h"

#include <openssl/err.h>

#include <array>

#include "crypto/ossl/error.h"
#include "crypto/ossl/scopers.h"

namespace craton::crypto {
namespace {

struct HashInfo {
  CK_MECHANISM_TYPE mech;
  CK_RSA_PKCS_MGF_TYPE mgf;  // 0: no MGF1 function names this hash
  const char* ossl_name;
  std::size_t size;
};

constexpr std::array<HashInfo, 11> kHashes{{
    {CKM_SHA_1, CKG_MGF1_SHA1, "SHA1", 20},
    {CKM_SHA224, CKG_MGF1_SHA224, "SHA224", 28},
    {CKM_SHA256, CKG_MGF1_SHA256, "SHA256", 32},
    {CKM_SHA384, CKG_MGF1_SHA384, "SHA384", 48},
    {CKM_SHA512, CKG_MGF1_SHA512, "SHA512", 64},
    {CKM_SHA512_224, 0, "SHA512-224", 28},
    {CKM_SHA512_256, 0, "SHA512-256", 32},
    {CKM_SHA3_224, CKG_MGF1_SHA3_224, "SHA3-224", 28},
    {CKM_SHA3_256, CKG_MGF1_SHA3_256, "SHA3-256", 32},
    {CKM_SHA3_384, CKG_MGF1_SHA3_384, "SHA3-384", 48},
    {CKM_SHA3_512, CKG_MGF1_SHA3_512, "SHA3-512", 64},
}};

// Fetched once (C++ guarantees thread-safe initialisation of the static); an algorithm the
// provider lacks stays null and leaves no error behind.
struct FetchedDigests {
  std::array<MdPtr, kHashes.size()> md;
  FetchedDigests() {
    for (std::size_t i = 0; i < kHashes.size(); ++i) {
      ERR_set_mark();
      md[i].reset(EVP_MD_fetch(libctx(), kHashes[i].ossl_name, nullptr));
      ERR_pop_to_mark();
    }
  }
};

const FetchedDigests& fetched() {
  static const FetchedDigests f;
  return f;
}

MdPtr fetch_shake256() {
  ERR_set_mark();
  MdPtr md(EVP_MD_fetch(libctx(), "SHAKE256", nullptr));
  ERR_pop_to_mark();
  return md;
}

// Index into kHashes, or kHashes.size() when unknown.
std::size_t index_of(CK_MECHANISM_TYPE mech) noexcept {
  std::size_t i = 0;
  while (i < kHashes.size() && kHashes[i].mech != mech) ++i;
  return i;
}

}  // namespace

const EVP_MD* md_for(CK_MECHANISM_TYPE hash_mech) noexcept {
  const std::size_t i = index_of(hash_mech);
  if (i == kHashes.size()) return nullptr;
  try {
    return fetched().md[i].get();
  } catch (...) {  // the first fetch could run out of memory
    return nullptr;
  }
}

std::size_t digest_size(CK_MECHANISM_TYPE hash_mech) noexcept {
  const std::size_t i = index_of(hash_mech);
  return i == kHashes.size() ? 0 : kHashes[i].size;
}

std::optional<CK_MECHANISM_TYPE> hash_for_mgf(CK_RSA_PKCS_MGF_TYPE mgf) noexcept {
  for (const HashInfo& h : kHashes) {
    if (h.mgf != 0 && h.mgf == mgf) return h.mech;
  }
  return std::nullopt;
}

const EVP_MD* md_for_mgf(CK_RSA_PKCS_MGF_TYPE mgf) noexcept {
  const auto mech = hash_for_mgf(mgf);
  return mech ? md_for(*mech) : nullptr;
}

Result<Bytes> digest(CK_MECHANISM_TYPE hash_mech, std::span<const std::uint8_t> data) {
  const EVP_MD* md = md_for(hash_mech);
  if (md == nullptr) return fail(CKR_MECHANISM_INVALID, "unknown hash mechanism");
  Bytes out(digest_size(hash_mech));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1 || len != out.size()) {
    return openssl_failure(CKR_FUNCTION_FAILED, "digest failed");
  }
  return out;
}

const EVP_MD* shake256_md() noexcept {
  static const MdPtr md = fetch_shake256();
  return md.get();
}

}  // namespace craton::crypto
