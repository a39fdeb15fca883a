// Every test case of the NIST ACVP ML-KEM vector sets (FIPS 203), read in place from
// ../shared/vectors/acvp (internalProjection.json: inputs and expected outputs together):
//   ML-KEM-keyGen-FIPS203      d, z -> ek, dk                        (Alg. 16)
//   ML-KEM-encapDecap-FIPS203  encapsulation ek, m -> c, k           (Alg. 17)
//                              decapsulation dk, c -> k              (Alg. 18, incl. implicit rejection)
//                              encapsulationKeyCheck ek -> pass/fail (§7.2)
//                              decapsulationKeyCheck dk -> pass/fail (§7.3)
// A missing or unreadable file fails the test (it must never look like a pass), and each test
// asserts that it ran every case of its kind in the file.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/pqc/ml_kem.h"

namespace craton::crypto::pqc {
namespace {

using Json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

const std::string kAcvpDir = std::string(CRATON_VECTORS_DIR) + "/acvp";

// Loads a vector file; a missing or malformed file is a test failure, reported by the caller.
bool load_json(const std::string& path, Json& out) {
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "vector file missing: " << path;
    return false;
  }
  try {
    out = Json::parse(in);
  } catch (const Json::exception& e) {
    ADD_FAILURE() << "vector file unreadable: " << path << ": " << e.what();
    return false;
  }
  return true;
}

int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Bytes unhex(const Json& v) {
  const std::string s = v.get<std::string>();
  Bytes out;
  if (s.size() % 2 != 0) {
    ADD_FAILURE() << "odd-length hex string";
    return out;
  }
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = hex_nibble(s[i]);
    const int lo = hex_nibble(s[i + 1]);
    if (hi < 0 || lo < 0) {
      ADD_FAILURE() << "bad hex digit";
      return {};
    }
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

Bytes to_bytes(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

const MlKemParams* params_named(const std::string& name) {
  static const MlKemParams kAll[] = {kMlKem512, kMlKem768, kMlKem1024};
  for (const auto& p : kAll) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

using CaseFn = std::function<void(const MlKemParams&, const Json& tc)>;

// Runs `fn` on every test case of every group whose "function" is `function` (or on all groups
// when `function` is empty), prints the count per group, and checks that it covered all of them.
std::size_t for_each_case(const std::string& dir, const std::string& function, const CaseFn& fn) {
  Json doc;
  if (!load_json(kAcvpDir + "/" + dir + "/internalProjection.json", doc)) return 0;
  std::size_t total = 0;
  std::size_t expected = 0;
  for (const Json& group : doc.at("testGroups")) {
    if (!function.empty() && group.value("function", "") != function) continue;
    const std::string set = group.at("parameterSet").get<std::string>();
    const MlKemParams* params = params_named(set);
    if (params == nullptr) {
      ADD_FAILURE() << "unknown parameter set " << set;
      continue;
    }
    std::size_t n = 0;
    expected += group.at("tests").size();
    for (const Json& tc : group.at("tests")) {
      SCOPED_TRACE("tgId " + std::to_string(group.at("tgId").get<int>()) + " tcId " +
                   std::to_string(tc.at("tcId").get<int>()) + " " + set);
      fn(*params, tc);
      ++n;
    }
    std::printf("[ ACVP     ] %s tgId %d %s %s: %zu cases\n", dir.c_str(), group.at("tgId").get<int>(),
                set.c_str(), function.empty() ? "keyGen" : function.c_str(), n);
    total += n;
  }
  EXPECT_EQ(total, expected);
  return total;
}

TEST(MlKemAcvp, KeyGen) {
  const std::size_t n =
      for_each_case("ML-KEM-keyGen-FIPS203", "", [](const MlKemParams& p, const Json& tc) {
        auto kp = ml_kem_keygen_internal(p, unhex(tc.at("d")), unhex(tc.at("z")));
        ASSERT_TRUE(kp.ok());
        EXPECT_EQ(kp->ek, unhex(tc.at("ek")));
        EXPECT_EQ(to_bytes(kp->dk.span()), unhex(tc.at("dk")));
      });
  std::printf("[ ACVP     ] ML-KEM keyGen: %zu cases\n", n);
  EXPECT_EQ(n, 75U);  // 3 groups x 25 in the pinned file; a shrunken file must not pass quietly
}

TEST(MlKemAcvp, Encapsulation) {
  const std::size_t n = for_each_case(
      "ML-KEM-encapDecap-FIPS203", "encapsulation", [](const MlKemParams& p, const Json& tc) {
        auto r = ml_kem_encaps_internal(p, unhex(tc.at("ek")), unhex(tc.at("m")));
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->ciphertext, unhex(tc.at("c")));
        EXPECT_EQ(to_bytes(r->shared_secret.span()), unhex(tc.at("k")));
        // The same through a prepared (checked and expanded) key.
        auto key = MlKemEncapsulationKey::prepare(p, unhex(tc.at("ek")));
        ASSERT_TRUE(key.ok());
        auto prepared = ml_kem_encaps_internal(*key, unhex(tc.at("m")));
        ASSERT_TRUE(prepared.ok());
        EXPECT_EQ(prepared->ciphertext, unhex(tc.at("c")));
        EXPECT_EQ(to_bytes(prepared->shared_secret.span()), unhex(tc.at("k")));
      });
  std::printf("[ ACVP     ] ML-KEM encapsulation: %zu cases\n", n);
  EXPECT_EQ(n, 75U);
}

TEST(MlKemAcvp, Decapsulation) {
  std::map<std::string, std::size_t> reasons;
  const std::size_t n = for_each_case(
      "ML-KEM-encapDecap-FIPS203", "decapsulation", [&](const MlKemParams& p, const Json& tc) {
        const Bytes dk = unhex(tc.at("dk"));
        const Bytes c = unhex(tc.at("c"));
        ++reasons[tc.value("reason", "")];
        auto checked = ml_kem_decaps(p, dk, c);
        ASSERT_TRUE(checked.ok());
        EXPECT_EQ(to_bytes(checked->span()), unhex(tc.at("k")));
        auto internal = ml_kem_decaps_internal(p, dk, c);
        ASSERT_TRUE(internal.ok());
        EXPECT_EQ(to_bytes(internal->span()), unhex(tc.at("k")));
        auto key = MlKemDecapsulationKey::prepare(p, dk);
        ASSERT_TRUE(key.ok());
        auto prepared = ml_kem_decaps(*key, c);
        ASSERT_TRUE(prepared.ok());
        EXPECT_EQ(to_bytes(prepared->span()), unhex(tc.at("k")));
      });
  for (const auto& [reason, count] : reasons) {
    std::printf("[ ACVP     ]   decapsulation \"%s\": %zu\n", reason.c_str(), count);
  }
  std::printf("[ ACVP     ] ML-KEM decapsulation: %zu cases\n", n);
  EXPECT_EQ(n, 30U);
  EXPECT_GT(reasons["modified ciphertext"], 0U);  // the implicit-rejection path was exercised
}

TEST(MlKemAcvp, EncapsulationKeyCheck) {
  const std::size_t n =
      for_each_case("ML-KEM-encapDecap-FIPS203", "encapsulationKeyCheck",
                    [](const MlKemParams& p, const Json& tc) {
                      const Status st = ml_kem_check_encapsulation_key(p, unhex(tc.at("ek")));
                      EXPECT_EQ(st.ok(), tc.at("testPassed").get<bool>()) << tc.value("reason", "");
                      EXPECT_EQ(MlKemEncapsulationKey::prepare(p, unhex(tc.at("ek"))).ok(), st.ok());
                      if (!st.ok()) {
                        EXPECT_EQ(st.rv(), CKR_PUBLIC_KEY_INVALID);
                        EXPECT_FALSE(ml_kem_encaps(p, unhex(tc.at("ek"))).ok());
                      }
                    });
  std::printf("[ ACVP     ] ML-KEM encapsulationKeyCheck: %zu cases\n", n);
  EXPECT_EQ(n, 30U);
}

TEST(MlKemAcvp, DecapsulationKeyCheck) {
  const std::size_t n =
      for_each_case("ML-KEM-encapDecap-FIPS203", "decapsulationKeyCheck",
                    [](const MlKemParams& p, const Json& tc) {
                      const Status st = ml_kem_check_decapsulation_key(p, unhex(tc.at("dk")));
                      EXPECT_EQ(st.ok(), tc.at("testPassed").get<bool>()) << tc.value("reason", "");
                      EXPECT_EQ(MlKemDecapsulationKey::prepare(p, unhex(tc.at("dk"))).ok(), st.ok());
                      if (!st.ok()) {
                        EXPECT_EQ(st.rv(), CKR_ATTRIBUTE_VALUE_INVALID);
                      }
                    });
  std::printf("[ ACVP     ] ML-KEM decapsulationKeyCheck: %zu cases\n", n);
  EXPECT_EQ(n, 30U);
}

// The projection must agree with the files NIST publishes separately (prompt + expectedResults),
// so a slip in the projection cannot hide a wrong answer.
TEST(MlKemAcvp, ProjectionMatchesPromptAndExpectedResults) {
  for (const std::string dir : {"ML-KEM-keyGen-FIPS203", "ML-KEM-encapDecap-FIPS203"}) {
    Json proj;
    Json prompt;
    Json expected;
    ASSERT_TRUE(load_json(kAcvpDir + "/" + dir + "/internalProjection.json", proj));
    ASSERT_TRUE(load_json(kAcvpDir + "/" + dir + "/prompt.json", prompt));
    ASSERT_TRUE(load_json(kAcvpDir + "/" + dir + "/expectedResults.json", expected));
    std::map<int, Json> joined;  // tcId -> prompt fields overlaid with expected fields
    for (const Json* part : {&prompt, &expected}) {
      for (const Json& g : part->at("testGroups")) {
        for (const Json& tc : g.at("tests")) joined[tc.at("tcId").get<int>()].update(tc);
      }
    }
    std::size_t compared = 0;
    for (const Json& g : proj.at("testGroups")) {
      for (const Json& tc : g.at("tests")) {
        const Json& j = joined[tc.at("tcId").get<int>()];
        for (const auto& [key, value] : j.items()) {
          EXPECT_EQ(tc.at(key), value) << dir << " tcId " << tc.at("tcId") << " field " << key;
        }
        ++compared;
      }
    }
    EXPECT_EQ(compared, joined.size()) << dir;
  }
}

}  // namespace
}  // namespace craton::crypto::pqc
