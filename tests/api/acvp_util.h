// NIST ACVP vector files for the API tests (mech_pqc_acvp_test.cpp, mech_slh_dsa_test.cpp): loading
// them from ../shared/vectors/acvp, reading hex fields, indexing expected results by tcId, and the
// ACVP pre-hash functions with their PKCS#11 mechanisms and OpenSSL names (the pre-hash PH(M) of
// FIPS 204 §5.4 / FIPS 205 §10.2 computed independently of the module).
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "module_fixture.h"

namespace craton::test::acvp {

using Json = nlohmann::json;

inline Json load(const std::string& rel) {
  const std::string path = std::string(CRATON_VECTORS_DIR) + "/acvp/" + rel;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "missing vector file " << path;
    return Json::object();
  }
  return Json::parse(in);
}

// A hex field of a test case; empty when the case has none.
inline std::vector<std::uint8_t> field(const Json& t, const char* name) {
  return t.contains(name) ? from_hex(t.at(name).get<std::string>()) : std::vector<std::uint8_t>{};
}

// tcId → expected-results entry.
inline std::map<int, Json> results_by_id(const Json& expected) {
  std::map<int, Json> out;
  for (const Json& g : expected.value("testGroups", Json::array())) {
    for (const Json& t : g.at("tests")) out[t.at("tcId").get<int>()] = t;
  }
  return out;
}

// An ACVP hash: the token-hash mechanisms of ML-DSA and SLH-DSA (0 where PKCS#11 has none), the
// digest mechanism named in CK_HASH_SIGN_ADDITIONAL_CONTEXT, the OpenSSL name and the XOF length.
struct Hash {
  CK_MECHANISM_TYPE ml_dsa;
  CK_MECHANISM_TYPE slh_dsa;
  CK_MECHANISM_TYPE digest;
  const char* ossl;
  std::size_t xof;
};

// ACVP hash name → Hash.
inline const std::map<std::string, Hash>& hashes() {
  static const std::map<std::string, Hash> m{
      {"SHA2-224", {CKM_HASH_ML_DSA_SHA224, CKM_HASH_SLH_DSA_SHA224, CKM_SHA224, "SHA224", 0}},
      {"SHA2-256", {CKM_HASH_ML_DSA_SHA256, CKM_HASH_SLH_DSA_SHA256, CKM_SHA256, "SHA256", 0}},
      {"SHA2-384", {CKM_HASH_ML_DSA_SHA384, CKM_HASH_SLH_DSA_SHA384, CKM_SHA384, "SHA384", 0}},
      {"SHA2-512", {CKM_HASH_ML_DSA_SHA512, CKM_HASH_SLH_DSA_SHA512, CKM_SHA512, "SHA512", 0}},
      {"SHA2-512/224", {0, 0, CKM_SHA512_224, "SHA512-224", 0}},
      {"SHA2-512/256", {0, 0, CKM_SHA512_256, "SHA512-256", 0}},
      {"SHA3-224", {CKM_HASH_ML_DSA_SHA3_224, CKM_HASH_SLH_DSA_SHA3_224, CKM_SHA3_224, "SHA3-224", 0}},
      {"SHA3-256", {CKM_HASH_ML_DSA_SHA3_256, CKM_HASH_SLH_DSA_SHA3_256, CKM_SHA3_256, "SHA3-256", 0}},
      {"SHA3-384", {CKM_HASH_ML_DSA_SHA3_384, CKM_HASH_SLH_DSA_SHA3_384, CKM_SHA3_384, "SHA3-384", 0}},
      {"SHA3-512", {CKM_HASH_ML_DSA_SHA3_512, CKM_HASH_SLH_DSA_SHA3_512, CKM_SHA3_512, "SHA3-512", 0}},
      {"SHAKE-128", {CKM_HASH_ML_DSA_SHAKE128, CKM_HASH_SLH_DSA_SHAKE128, CKM_SHAKE_128_KEY_DERIVATION, "SHAKE128", 32}},
      {"SHAKE-256", {CKM_HASH_ML_DSA_SHAKE256, CKM_HASH_SLH_DSA_SHAKE256, CKM_SHAKE_256_KEY_DERIVATION, "SHAKE256", 64}},
  };
  return m;
}

// PH(M) under `h`, computed by OpenSSL.
inline std::vector<std::uint8_t> prehash(const Hash& h, const std::vector<std::uint8_t>& m) {
  EVP_MD* md = EVP_MD_fetch(nullptr, h.ossl, nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::vector<std::uint8_t> out(h.xof != 0 ? h.xof : static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int n = 0;
  EVP_DigestInit_ex(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, m.data(), m.size());
  if (h.xof != 0) {
    EVP_DigestFinalXOF(ctx, out.data(), out.size());
  } else {
    EVP_DigestFinal_ex(ctx, out.data(), &n);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  return out;
}

}  // namespace craton::test::acvp
