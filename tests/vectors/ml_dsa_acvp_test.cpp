// FIPS 204 ML-DSA against every test case of the NIST ACVP vector sets in
// ../shared/vectors/acvp (keyGen, sigGen, sigVer; internal and external interfaces, pure and
// pre-hash, external mu, deterministic and randomized with rnd injected). A missing file fails.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/pqc/ml_dsa.h"

namespace craton::crypto::pqc {
namespace {

using Json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

const std::string kDir = std::string(CRATON_VECTORS_DIR) + "/acvp/";

Json load(const std::string& rel) {
  std::ifstream in(kDir + rel);
  if (!in) {
    ADD_FAILURE() << "missing vector file " << kDir + rel;
    return Json::object();
  }
  return Json::parse(in);
}

Bytes hex(const std::string& s) {
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
  return out;
}

Bytes field(const Json& t, const char* name) {
  return t.contains(name) ? hex(t.at(name).get<std::string>()) : Bytes{};
}

const MlDsaParams& params(const std::string& name) {
  if (name == "ML-DSA-44") return kMlDsa44;
  if (name == "ML-DSA-65") return kMlDsa65;
  if (name == "ML-DSA-87") return kMlDsa87;
  throw std::runtime_error("unknown parameter set");
}

struct HashInfo {
  MlDsaPreHash ph;
  const EVP_MD* (*md)();
};

const std::map<std::string, HashInfo>& hashes() {
  static const std::map<std::string, HashInfo> kMap{
      {"SHA2-224", {MlDsaPreHash::kSha224, EVP_sha224}},
      {"SHA2-256", {MlDsaPreHash::kSha256, EVP_sha256}},
      {"SHA2-384", {MlDsaPreHash::kSha384, EVP_sha384}},
      {"SHA2-512", {MlDsaPreHash::kSha512, EVP_sha512}},
      {"SHA2-512/224", {MlDsaPreHash::kSha512_224, EVP_sha512_224}},
      {"SHA2-512/256", {MlDsaPreHash::kSha512_256, EVP_sha512_256}},
      {"SHA3-224", {MlDsaPreHash::kSha3_224, EVP_sha3_224}},
      {"SHA3-256", {MlDsaPreHash::kSha3_256, EVP_sha3_256}},
      {"SHA3-384", {MlDsaPreHash::kSha3_384, EVP_sha3_384}},
      {"SHA3-512", {MlDsaPreHash::kSha3_512, EVP_sha3_512}},
      {"SHAKE-128", {MlDsaPreHash::kShake128, EVP_shake128}},
      {"SHAKE-256", {MlDsaPreHash::kShake256, EVP_shake256}},
  };
  return kMap;
}

// PH(M), computed by the caller as HashML-DSA expects (SHAKE128 → 32 bytes, SHAKE256 → 64).
Bytes prehash(const HashInfo& h, const Bytes& msg) {
  Bytes out(ml_dsa_prehash_bytes(h.ph));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, h.md(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, msg.data(), msg.size()) == 1;
  if (ok && (EVP_MD_get_flags(h.md()) & EVP_MD_FLAG_XOF) != 0) {
    ok = EVP_DigestFinalXOF(ctx, out.data(), out.size()) == 1;
  } else if (ok) {
    unsigned int len = 0;
    ok = EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == out.size();
  }
  EVP_MD_CTX_free(ctx);
  EXPECT_TRUE(ok);
  return out;
}

std::string group_label(const Json& g) {
  std::string label = g.at("parameterSet").get<std::string>();
  if (g.contains("signatureInterface"))
    label += " " + g.at("signatureInterface").get<std::string>() + "/" +
             g.value("preHash", std::string("none"));
  if (g.value("externalMu", false)) label += "/externalMu";
  if (g.contains("deterministic")) label += g.at("deterministic").get<bool>() ? " det" : " rnd";
  return "tg" + std::to_string(g.at("tgId").get<int>()) + " " + label;
}

TEST(MlDsaAcvp, KeyGen) {
  const Json v = load("ML-DSA-keyGen-FIPS204/internalProjection.json");
  int total = 0;
  for (const Json& g : v.value("testGroups", Json::array())) {
    const MlDsaParams& p = params(g.at("parameterSet"));
    int n = 0;
    for (const Json& t : g.at("tests")) {
      auto kp = ml_dsa_keygen_internal(p, field(t, "seed"));
      ASSERT_TRUE(kp.ok()) << "tcId " << t.at("tcId");
      EXPECT_EQ(kp->pk, field(t, "pk")) << "tcId " << t.at("tcId");
      const Bytes sk = field(t, "sk");
      EXPECT_TRUE(std::equal(sk.begin(), sk.end(), kp->sk.data(), kp->sk.data() + kp->sk.size()) &&
                  sk.size() == kp->sk.size())
          << "tcId " << t.at("tcId");
      ++n;
    }
    std::printf("  keyGen %s: %d cases\n", group_label(g).c_str(), n);
    total += n;
  }
  std::printf("  keyGen total: %d cases\n", total);
  EXPECT_EQ(total, 75);
}

TEST(MlDsaAcvp, SigGen) {
  const Json prompt = load("ML-DSA-sigGen-FIPS204/prompt.json");
  const Json expected = load("ML-DSA-sigGen-FIPS204/expectedResults.json");
  std::map<std::pair<int, int>, Bytes> sigs;
  for (const Json& g : expected.value("testGroups", Json::array()))
    for (const Json& t : g.at("tests")) sigs[{g.at("tgId"), t.at("tcId")}] = field(t, "signature");
  int total = 0;
  for (const Json& g : prompt.value("testGroups", Json::array())) {
    const MlDsaParams& p = params(g.at("parameterSet"));
    const bool det = g.at("deterministic").get<bool>();
    const bool internal = g.at("signatureInterface") == "internal";
    const bool ext_mu = g.value("externalMu", false);
    const bool pre = g.value("preHash", std::string()) == "preHash";
    int n = 0;
    for (const Json& t : g.at("tests")) {
      const int tc = t.at("tcId");
      const Bytes sk = field(t, "sk");
      const Bytes rnd = det ? Bytes(32, 0) : field(t, "rnd");
      Result<Bytes> sig = fail(CKR_GENERAL_ERROR);
      if (internal && ext_mu) {
        sig = ml_dsa_sign_mu(p, sk, field(t, "mu"), rnd);
      } else if (internal) {
        sig = ml_dsa_sign_internal(p, sk, field(t, "message"), rnd);
      } else if (pre) {
        const HashInfo& h = hashes().at(t.at("hashAlg"));
        sig = hash_ml_dsa_sign(p, sk, prehash(h, field(t, "message")), field(t, "context"), h.ph, rnd);
      } else {
        sig = ml_dsa_sign(p, sk, field(t, "message"), field(t, "context"), rnd);
      }
      ASSERT_TRUE(sig.ok()) << "tcId " << tc;
      const auto it = sigs.find({g.at("tgId"), tc});
      ASSERT_NE(it, sigs.end()) << "no expected result for tcId " << tc;
      EXPECT_EQ(*sig, it->second) << "tcId " << tc;
      ++n;
    }
    std::printf("  sigGen %s: %d cases\n", group_label(g).c_str(), n);
    total += n;
  }
  std::printf("  sigGen total: %d cases\n", total);
  EXPECT_EQ(total, 360);
}

TEST(MlDsaAcvp, SigVer) {
  const Json v = load("ML-DSA-sigVer-FIPS204/internalProjection.json");
  int total = 0;
  for (const Json& g : v.value("testGroups", Json::array())) {
    const MlDsaParams& p = params(g.at("parameterSet"));
    const bool internal = g.at("signatureInterface") == "internal";
    const bool ext_mu = g.value("externalMu", false);
    const bool pre = g.value("preHash", std::string()) == "preHash";
    int n = 0, passed = 0;
    for (const Json& t : g.at("tests")) {
      const int tc = t.at("tcId");
      const Bytes pk = field(t, "pk");
      const Bytes sig = field(t, "signature");
      bool ok = false;
      if (internal && ext_mu) {
        ok = ml_dsa_verify_mu(p, pk, field(t, "mu"), sig);
      } else if (internal) {
        ok = ml_dsa_verify_internal(p, pk, field(t, "message"), sig);
      } else if (pre) {
        const HashInfo& h = hashes().at(t.at("hashAlg"));
        ok = hash_ml_dsa_verify(p, pk, prehash(h, field(t, "message")), field(t, "context"), h.ph, sig)
                 .ok();
      } else {
        ok = ml_dsa_verify(p, pk, field(t, "message"), field(t, "context"), sig).ok();
      }
      EXPECT_EQ(ok, t.at("testPassed").get<bool>())
          << "tcId " << tc << " reason " << t.value("reason", Json()).dump();
      passed += ok ? 1 : 0;
      ++n;
    }
    std::printf("  sigVer %s: %d cases (%d valid)\n", group_label(g).c_str(), n, passed);
    total += n;
  }
  std::printf("  sigVer total: %d cases\n", total);
  EXPECT_EQ(total, 180);
}

}  // namespace
}  // namespace craton::crypto::pqc
