// FIPS 205 SLH-DSA against the NIST ACVP vector sets in ../shared/vectors/acvp and the
// supplementary sets beside them. A missing file fails. What the folders hold (2026-11):
//
//   SLH-DSA-keyGen-FIPS205   prompt + expectedResults (+ internalProjection): 120 cases, all 12
//                            sets. Every case is checked byte for byte.
//   SLH-DSA-sigGen-FIPS205   prompt only (624 cases, 72 groups: 12 sets × external pure / external
//                            preHash / internal × deterministic / randomized) and NO expected
//                            results. Every case is signed; the signature must have the right size
//                            and verify (through the same interface), and signing must succeed
//                            (which also proves each key's PK.root belongs to its SK.seed, see
//                            slh_dsa.h). Deterministic cases carry no addrnd, randomized ones do;
//                            tests/unit/slh_dsa_test.cpp checks reproducibility. Byte-exact expected signatures
//                            for 28 of these cases (SHA2-128s groups 19/31/55/67: external pure
//                            with contexts, internal; deterministic and randomized) come from the
//                            fastcrypto supplementary subset, whose inputs are checked to be the
//                            same as the prompt's before its signature is compared.
//   SLH-DSA-sigVer-FIPS205   expectedResults only (504 verdicts) and NO prompt, so pk/message/
//                            signature are missing. The fastcrypto subset supplies the inputs of 28
//                            of them (SHA2-128s groups 19 and 31); those are verified and their
//                            verdict is compared with both files.
//   SLH-DSA-supplementary/circl-acvp-2024-08-sigGen-internal    88 internal sigGen cases with
//                            expected signatures (SHA2-192s, SHA2-256f, SHAKE-128f/192s/256f,
//                            deterministic and randomized, messages up to 8 KiB): byte for byte.
//   SLH-DSA-supplementary/circl-acvp-v1.1.0.37-sigVer-internal  108 internal sigVer cases, all 12
//                            sets, with verdicts.
//   SLH-DSA-supplementary/fastcrypto-acvp-SHA2-128s-subset      see above; its keygen file repeats
//                            keyGen group 1 and is not run again.
//
// Signing with SHAKE or with an 's' parameter set is slow (0.05-2 s a signature); those cases,
// and the SHAKE 's' key generations, are in the suites SlhDsaAcvpSlow*, which
// tests/vectors/CMakeLists.txt labels `slow` (as well as `vectors`), one ctest test per parameter
// set so that `ctest -j` spreads them. The fast part covers every interface and both hash
// families byte for byte (keyGen, CIRCL SHAKE-128f / SHA2-256f sigGen, sigVer).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/pqc/slh_dsa.h"

namespace craton::crypto::pqc {
namespace {

using Json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

const std::string kDir = std::string(CRATON_VECTORS_DIR) + "/acvp/";
const std::string kFastcrypto = "SLH-DSA-supplementary/fastcrypto-acvp-SHA2-128s-subset/";

Json load(const std::string& rel) {
  std::ifstream in(kDir + rel);
  if (!in) {
    ADD_FAILURE() << "missing vector file " << kDir + rel;
    return Json::object();
  }
  return Json::parse(in);
}

// The big sigGen prompt is parsed once per process.
const Json& siggen_prompt() {
  static const Json kPrompt = load("SLH-DSA-sigGen-FIPS205/prompt.json");
  return kPrompt;
}

Bytes hex(const std::string& s) {
  Bytes out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(std::stoul(s.substr(2 * i, 2), nullptr, 16));
  return out;
}

// A hex field; absent or null → empty.
Bytes field(const Json& t, const char* name) {
  return t.contains(name) && t.at(name).is_string() ? hex(t.at(name).get<std::string>()) : Bytes{};
}

const SlhDsaParams& params(const std::string& name) {
  for (const SlhDsaParams* p : slh_dsa_all_params())
    if (p->name == name) return *p;
  throw std::runtime_error("unknown parameter set " + name);
}

struct HashInfo {
  PreHash ph;
  const EVP_MD* (*md)();
};

const std::map<std::string, HashInfo>& hashes() {
  static const std::map<std::string, HashInfo> kMap{
      {"SHA2-224", {PreHash::kSha224, EVP_sha224}},
      {"SHA2-256", {PreHash::kSha256, EVP_sha256}},
      {"SHA2-384", {PreHash::kSha384, EVP_sha384}},
      {"SHA2-512", {PreHash::kSha512, EVP_sha512}},
      {"SHA2-512/224", {PreHash::kSha512_224, EVP_sha512_224}},
      {"SHA2-512/256", {PreHash::kSha512_256, EVP_sha512_256}},
      {"SHA3-224", {PreHash::kSha3_224, EVP_sha3_224}},
      {"SHA3-256", {PreHash::kSha3_256, EVP_sha3_256}},
      {"SHA3-384", {PreHash::kSha3_384, EVP_sha3_384}},
      {"SHA3-512", {PreHash::kSha3_512, EVP_sha3_512}},
      {"SHAKE-128", {PreHash::kShake128, EVP_shake128}},
      {"SHAKE-256", {PreHash::kShake256, EVP_shake256}},
  };
  return kMap;
}

// PH(M) as HashSLH-DSA expects it (SHAKE128 → 32 bytes, SHAKE256 → 64).
Bytes prehash(const HashInfo& h, const Bytes& msg) {
  Bytes out(prehash_bytes(h.ph));
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

// One signing case, whichever file it comes from.
struct SignCase {
  const SlhDsaParams* p = nullptr;
  bool internal = true;
  bool pre = false;
  bool det = true;
  Bytes sk, msg, ctx, addrnd;
  std::string hash_alg;
  Bytes pk() const { return Bytes(sk.end() - static_cast<std::ptrdiff_t>(p->pk_bytes()), sk.end()); }
};

Result<Bytes> sign(const SignCase& c) {
  const Bytes addrnd = c.det ? Bytes{} : c.addrnd;  // empty: opt_rand = PK.seed
  if (c.internal) return slh_dsa_sign_internal(*c.p, c.sk, c.msg, addrnd);
  if (c.pre) {
    const HashInfo& h = hashes().at(c.hash_alg);
    return hash_slh_dsa_sign(*c.p, c.sk, prehash(h, c.msg), c.ctx, h.ph, addrnd);
  }
  return slh_dsa_sign(*c.p, c.sk, c.msg, c.ctx, addrnd);
}

bool verify(const SignCase& c, const Bytes& pk, const Bytes& sig) {
  if (c.internal) return slh_dsa_verify_internal(*c.p, pk, c.msg, sig);
  if (c.pre) {
    const HashInfo& h = hashes().at(c.hash_alg);
    return hash_slh_dsa_verify(*c.p, pk, prehash(h, c.msg), c.ctx, h.ph, sig).ok();
  }
  return slh_dsa_verify(*c.p, pk, c.msg, c.ctx, sig).ok();
}

std::string group_label(const Json& g) {
  std::string label = g.at("parameterSet").get<std::string>();
  if (g.contains("signatureInterface"))
    label += " " + g.at("signatureInterface").get<std::string>() + "/" + g.value("preHash", std::string("-"));
  if (g.contains("deterministic")) label += g.at("deterministic").get<bool>() ? " det" : " rnd";
  return "tg" + std::to_string(g.at("tgId").get<int>()) + " " + label;
}

// Expected signatures for some cases of the main sigGen prompt, from the fastcrypto subset,
// keyed by tcId, with the inputs they were made from.
struct KnownSignature {
  Json inputs;
  Bytes signature;
};

const std::map<int, KnownSignature>& fastcrypto_signatures() {
  static const std::map<int, KnownSignature> kMap = [] {
    std::map<int, KnownSignature> m;
    for (const char* f : {"slh_dsa_sha2_128s_siggen_none.json", "slh_dsa_sha2_128s_siggen_pure.json"}) {
      const Json v = load(kFastcrypto + f);
      for (const Json& t : v.is_array() ? v : Json::array())
        m[t.at("tcId").get<int>()] = KnownSignature{t, field(t, "signature")};
    }
    return m;
  }();
  return kMap;
}

// One case of the main sigGen prompt (see the header comment for what is checked).
void check_siggen_case(const SignCase& c, int tc, int& exact) {
  const Result<Bytes> sig = sign(c);
  ASSERT_TRUE(sig.ok()) << "tcId " << tc << " rv " << sig.rv();
  EXPECT_EQ(sig->size(), c.p->sig_bytes()) << "tcId " << tc;
  EXPECT_TRUE(verify(c, c.pk(), *sig)) << "tcId " << tc;
  const auto known = fastcrypto_signatures().find(tc);
  if (known == fastcrypto_signatures().end()) return;
  const Json& in = known->second.inputs;
  ASSERT_EQ(field(in, "sk"), c.sk) << "tcId " << tc;
  ASSERT_EQ(field(in, "message"), c.msg) << "tcId " << tc;
  ASSERT_EQ(field(in, "context"), c.ctx) << "tcId " << tc;
  ASSERT_EQ(field(in, "additionalRandomness"), c.addrnd) << "tcId " << tc;
  ASSERT_EQ(field(in, "pk"), c.pk()) << "tcId " << tc;
  EXPECT_EQ(*sig, known->second.signature) << "tcId " << tc;
  ++exact;
}

// Signs every case of the main sigGen prompt whose parameter set satisfies `want`.
// Returns {cases, cases compared byte for byte}.
std::pair<int, int> run_siggen(const std::function<bool(const SlhDsaParams&)>& want) {
  int total = 0, exact = 0;
  for (const Json& g : siggen_prompt().value("testGroups", Json::array())) {
    const SlhDsaParams& p = params(g.at("parameterSet"));
    if (!want(p)) continue;
    SignCase c;
    c.p = &p;
    c.internal = g.at("signatureInterface") == "internal";
    c.pre = g.value("preHash", std::string()) == "preHash";
    c.det = g.at("deterministic").get<bool>();
    int n = 0;
    for (const Json& t : g.at("tests")) {
      const int tc = t.at("tcId");
      c.sk = field(t, "sk");
      c.msg = field(t, "message");
      c.ctx = field(t, "context");
      c.addrnd = field(t, "additionalRandomness");
      c.hash_alg = t.value("hashAlg", std::string());
      EXPECT_EQ(c.det, c.addrnd.empty()) << "tcId " << tc;
      check_siggen_case(c, tc, exact);
      ++n;
    }
    std::printf("  sigGen %s: %d cases\n", group_label(g).c_str(), n);
    total += n;
  }
  return {total, exact};
}

// Every keyGen case of the sets `want` selects; returns the number of cases.
int run_keygen(const std::function<bool(const SlhDsaParams&)>& want) {
  const Json prompt = load("SLH-DSA-keyGen-FIPS205/prompt.json");
  const Json expected = load("SLH-DSA-keyGen-FIPS205/expectedResults.json");
  std::map<int, Json> results;
  for (const Json& g : expected.value("testGroups", Json::array()))
    for (const Json& t : g.at("tests")) results[t.at("tcId").get<int>()] = t;
  int total = 0;
  for (const Json& g : prompt.value("testGroups", Json::array())) {
    const SlhDsaParams& p = params(g.at("parameterSet"));
    if (!want(p)) continue;
    int n = 0;
    for (const Json& t : g.at("tests")) {
      const int tc = t.at("tcId");
      const auto kp = slh_dsa_keygen_internal(p, field(t, "skSeed"), field(t, "skPrf"), field(t, "pkSeed"));
      EXPECT_TRUE(kp.ok()) << "tcId " << tc;
      EXPECT_TRUE(results.count(tc)) << "no expected result for tcId " << tc;
      if (kp.ok() && results.count(tc)) {
        EXPECT_EQ(kp->pk, field(results[tc], "pk")) << "tcId " << tc;
        const Bytes sk = field(results[tc], "sk");
        EXPECT_TRUE(sk.size() == kp->sk.size() && std::equal(sk.begin(), sk.end(), kp->sk.data()))
            << "tcId " << tc;
      }
      ++n;
    }
    std::printf("  keyGen %s: %d cases\n", group_label(g).c_str(), n);
    total += n;
  }
  return total;
}

bool shake_small(const SlhDsaParams& p) { return p.shake && p.name.back() == 's'; }

TEST(SlhDsaAcvp, KeyGen) { EXPECT_EQ(run_keygen([](const SlhDsaParams& p) { return !shake_small(p); }), 90); }
TEST(SlhDsaAcvpSlow, KeyGenShakeSmallSets) { EXPECT_EQ(run_keygen(shake_small), 30); }

std::string set_test_name(const SlhDsaParams& p) {
  std::string s(p.name.substr(8));  // "SHA2-128s"
  for (char& ch : s)
    if (ch == '-') ch = '_';
  return s;
}

// The SHA2 'f' sets sign in milliseconds; everything else is in the slow suite below.
TEST(SlhDsaAcvp, SigGenSha2FastSets) {
  const auto [total, exact] = run_siggen([](const SlhDsaParams& p) { return !p.shake && p.name.back() == 'f'; });
  EXPECT_EQ(total, 156);
  EXPECT_EQ(exact, 0);
}

// One ctest test per parameter set. SHA2-128s also compares the 28 fastcrypto signatures.
class SlhDsaAcvpSlowSigGen : public ::testing::TestWithParam<const SlhDsaParams*> {};

TEST_P(SlhDsaAcvpSlowSigGen, Prompt) {
  const SlhDsaParams* want = GetParam();
  const auto [total, exact] = run_siggen([want](const SlhDsaParams& p) { return &p == want; });
  EXPECT_EQ(total, 52);
  EXPECT_EQ(exact, want == &kSlhDsaSha2_128s ? 28 : 0);
}

INSTANTIATE_TEST_SUITE_P(Sets, SlhDsaAcvpSlowSigGen,
                         ::testing::Values(&kSlhDsaShake128f, &kSlhDsaShake192f, &kSlhDsaShake256f,
                                           &kSlhDsaSha2_128s, &kSlhDsaShake128s, &kSlhDsaSha2_192s,
                                           &kSlhDsaShake192s, &kSlhDsaSha2_256s, &kSlhDsaShake256s),
                         [](const auto& param_info) { return set_test_name(*param_info.param); });

// The ACVP sigVer verdicts whose inputs the fastcrypto subset supplies.
TEST(SlhDsaAcvp, SigVerFastcryptoSubset) {
  const Json expected = load("SLH-DSA-sigVer-FIPS205/expectedResults.json");
  std::map<int, bool> verdicts;
  for (const Json& g : expected.value("testGroups", Json::array()))
    for (const Json& t : g.at("tests")) verdicts[t.at("tcId").get<int>()] = t.at("testPassed").get<bool>();
  EXPECT_EQ(verdicts.size(), 504U);
  int total = 0, valid = 0;
  for (const char* f : {"slh_dsa_sha2_128s_sigver_none.json", "slh_dsa_sha2_128s_sigver_pure.json"}) {
    const bool internal = std::string(f).find("_none") != std::string::npos;
    const Json v = load(kFastcrypto + f);
    for (const Json& t : v.is_array() ? v : Json::array()) {
      const int tc = t.at("tcId");
      const Bytes pk = field(t, "pk"), msg = field(t, "message"), sig = field(t, "signature");
      const bool ok = internal ? slh_dsa_verify_internal(kSlhDsaSha2_128s, pk, msg, sig)
                               : slh_dsa_verify(kSlhDsaSha2_128s, pk, msg, field(t, "context"), sig).ok();
      EXPECT_EQ(ok, t.at("testPassed").get<bool>()) << "tcId " << tc << " " << t.value("reason", "");
      ASSERT_TRUE(verdicts.count(tc)) << "tcId " << tc << " not in the ACVP expected results";
      EXPECT_EQ(ok, verdicts[tc]) << "tcId " << tc;
      valid += ok ? 1 : 0;
      ++total;
    }
  }
  std::printf("  sigVer (ACVP verdicts with fastcrypto inputs): %d cases (%d valid) of %zu verdicts\n", total,
              valid, verdicts.size());
  EXPECT_EQ(total, 28);
  EXPECT_GT(valid, 0);
}

TEST(SlhDsaAcvp, SigVerCirclInternal) {
  const std::string dir = "SLH-DSA-supplementary/circl-acvp-v1.1.0.37-sigVer-internal/";
  const Json prompt = load(dir + "prompt.json");
  const Json expected = load(dir + "expectedResults.json");
  std::map<int, bool> verdicts;
  for (const Json& g : expected.value("testGroups", Json::array()))
    for (const Json& t : g.at("tests")) verdicts[t.at("tcId").get<int>()] = t.at("testPassed").get<bool>();
  int total = 0;
  for (const Json& g : prompt.value("testGroups", Json::array())) {
    const SlhDsaParams& p = params(g.at("parameterSet"));
    int n = 0, valid = 0;
    for (const Json& t : g.at("tests")) {
      const int tc = t.at("tcId");
      ASSERT_TRUE(verdicts.count(tc)) << "no expected result for tcId " << tc;
      const bool ok = slh_dsa_verify_internal(p, field(t, "pk"), field(t, "message"), field(t, "signature"));
      EXPECT_EQ(ok, verdicts[tc]) << "tcId " << tc;
      valid += ok ? 1 : 0;
      ++n;
    }
    std::printf("  sigVer %s: %d cases (%d valid)\n", group_label(g).c_str(), n, valid);
    total += n;
  }
  EXPECT_EQ(total, 108);
}

// CIRCL's internal sigGen cases with expected signatures, for the sets `want` selects.
// Returns {cases, groups}.
std::pair<int, int> run_circl_siggen(const std::function<bool(const SlhDsaParams&)>& want) {
  const std::string dir = "SLH-DSA-supplementary/circl-acvp-2024-08-sigGen-internal/";
  const Json prompt = load(dir + "prompt.json");
  const Json expected = load(dir + "expectedResults.json");
  std::map<int, Bytes> sigs;
  for (const Json& g : expected.value("testGroups", Json::array()))
    for (const Json& t : g.at("tests")) sigs[t.at("tcId").get<int>()] = field(t, "signature");
  int total = 0, groups = 0;
  for (const Json& g : prompt.value("testGroups", Json::array())) {
    const SlhDsaParams& p = params(g.at("parameterSet"));
    if (!want(p)) continue;
    SignCase c;
    c.p = &p;
    c.det = g.at("deterministic").get<bool>();
    int n = 0;
    for (const Json& t : g.at("tests")) {
      const int tc = t.at("tcId");
      c.sk = field(t, "sk");
      c.msg = field(t, "message");
      c.addrnd = field(t, "additionalRandomness");
      EXPECT_EQ(c.det, c.addrnd.empty()) << "tcId " << tc;
      const Result<Bytes> sig = sign(c);
      EXPECT_TRUE(sig.ok()) << "tcId " << tc;
      EXPECT_TRUE(sigs.count(tc)) << "no expected result for tcId " << tc;
      if (sig.ok() && sigs.count(tc)) {
        EXPECT_EQ(*sig, sigs[tc]) << "tcId " << tc;
      }
      ++n;
    }
    std::printf("  circl sigGen %s: %d cases\n", group_label(g).c_str(), n);
    total += n;
    ++groups;
  }
  return {total, groups};
}

// 20 cases each of SHA2-256f and SHAKE-128f (deterministic and randomized).
TEST(SlhDsaAcvp, SigGenCirclInternal) {
  const auto [total, groups] = run_circl_siggen(
      [](const SlhDsaParams& p) { return &p == &kSlhDsaSha2_256f || &p == &kSlhDsaShake128f; });
  EXPECT_EQ(total, 40);
  EXPECT_EQ(groups, 4);
}

// SHAKE-256f (20 cases), SHA2-192s and SHAKE-192s (14 each).
class SlhDsaAcvpSlowCircl : public ::testing::TestWithParam<const SlhDsaParams*> {};

TEST_P(SlhDsaAcvpSlowCircl, SigGenInternal) {
  const SlhDsaParams* want = GetParam();
  const auto [total, groups] = run_circl_siggen([want](const SlhDsaParams& p) { return &p == want; });
  EXPECT_EQ(total, want == &kSlhDsaShake256f ? 20 : 14);
  EXPECT_EQ(groups, 2);
}

INSTANTIATE_TEST_SUITE_P(Sets, SlhDsaAcvpSlowCircl,
                         ::testing::Values(&kSlhDsaShake256f, &kSlhDsaSha2_192s, &kSlhDsaShake192s),
                         [](const auto& param_info) { return set_test_name(*param_info.param); });

}  // namespace
}  // namespace craton::crypto::pqc
