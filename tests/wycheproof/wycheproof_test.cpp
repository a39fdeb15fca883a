// Wycheproof vectors through the PKCS#11 API of a module (label "wycheproof").
//
// One test per classical Wycheproof file in ../shared/vectors/wycheproof (read in place; override
// the folder with the environment variable CRATON_VECTORS_DIR). Each test imports the file's keys
// as session objects, runs every case through the module's function list and checks:
//   * valid cases are accepted with exactly the expected output;
//   * invalid cases are rejected with a CKR_* code from the documented set (docs/TESTING.md);
//   * acceptable cases may go either way, but an accepted one must give the expected output and a
//     rejected one a documented code;
//   * the number of cases run equals the number of cases in the file, minus any the API cannot
//     express (each excluded case is counted and justified) and, for a foreign module only, the
//     cases whose mechanism the module does not offer (reported as "mechanism not offered").
//
// The module is our own (the build's libcratonhsm.so) unless CRATON_WYCHEPROOF_MODULE names
// another, e.g. SoftHSMv2 to validate this driver. For our module every mechanism a file needs
// must be in C_GetMechanismList: a missing one fails the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "harness.h"

namespace craton::wycheproof {
namespace {

// The classical files of the collection (the ML-KEM and ML-DSA files are driven elsewhere).
const std::vector<std::string> kFiles = {
    "aes_gcm_test",
    "chacha20_poly1305_test",
    "aes_cmac_test",
    "hmac_sha256_test",
    "hmac_sha384_test",
    "hmac_sha512_test",
    "hmac_sha3_256_test",
    "hmac_sha3_384_test",
    "hmac_sha3_512_test",
    "aes_wrap_test",
    "aes_kwp_test",
    "ecdsa_secp256r1_sha256_p1363_test",
    "ecdsa_secp384r1_sha384_p1363_test",
    "ecdsa_secp521r1_sha512_p1363_test",
    "ecdsa_secp256r1_sha256_test",
    "ecdsa_secp384r1_sha384_test",
    "ecdsa_secp256r1_sha3_256_test",
    "ecdh_secp256r1_ecpoint_test",
    "ecdh_secp384r1_ecpoint_test",
    "ed25519_test",
    "ed448_test",
    "x25519_test",
    "x448_test",
    "rsa_signature_2048_sha256_test",
    "rsa_signature_3072_sha256_test",
    "rsa_signature_4096_sha512_test",
    "rsa_pkcs1_2048_sig_gen_test",
    "rsa_pss_2048_sha256_mgf1_32_test",
    "rsa_pss_2048_sha384_mgf1_48_test",
    "rsa_pss_3072_sha256_mgf1_32_test",
    "rsa_pss_4096_sha512_mgf1_64_test",
    "rsa_pss_misc_test",
    "rsa_oaep_2048_sha1_mgf1sha1_test",
    "rsa_oaep_2048_sha256_mgf1sha256_test",
    "rsa_oaep_2048_sha384_mgf1sha384_test",
    "rsa_oaep_2048_sha512_mgf1sha512_test",
    "rsa_oaep_3072_sha256_mgf1sha256_test",
    "rsa_oaep_4096_sha512_mgf1sha512_test",
    "rsa_pkcs1_2048_test",
    "hkdf_sha256_test",
    "hkdf_sha384_test",
    "hkdf_sha512_test",
};

// Files of the collection that are not classical and not this driver's: post-quantum ML-KEM and
// ML-DSA need the 3.2 KEM functions and CKA_PARAMETER_SET keys (their own drivers).
bool out_of_scope(const std::string& stem) { return stem.rfind("mlkem_", 0) == 0 || stem.rfind("mldsa_", 0) == 0; }

std::string vectors_dir() {
  const char* env = std::getenv("CRATON_VECTORS_DIR");
  return std::string(env != nullptr && *env != '\0' ? env : CRATON_VECTORS_DIR) + "/wycheproof";
}

class Environment : public ::testing::Environment {
 public:
  void TearDown() override { Token::shutdown(); }
};

class WycheproofFile : public ::testing::TestWithParam<std::string> {};

TEST_P(WycheproofFile, AllCasesThroughTheApi) {
  const std::string path = vectors_dir() + "/" + GetParam() + ".json";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "vector file missing: " << path << " (see ../shared/vectors/wycheproof/README.md)";
  const Json file = Json::parse(in);
  int in_file = 0;
  for (const Json& g : file.at("testGroups")) in_file += static_cast<int>(g.at("tests").size());
  ASSERT_EQ(in_file, file.at("numberOfTests").get<int>()) << "numberOfTests disagrees with the tests listed";

  Token* token = nullptr;
  try {
    token = &Token::get();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  token->new_session();
  FileRun run(GetParam());
  try {
    run_file(file, run);
  } catch (const std::exception& e) {
    FAIL() << "driver error after " << run.total() << " cases: " << e.what();
  }

  std::cout << "[wycheproof] " << run.summary() << std::endl;
  RecordProperty("summary", run.summary());
  for (const std::string& f : run.failures()) ADD_FAILURE() << f;
  if (run.failed() > static_cast<int>(run.failures().size())) {
    ADD_FAILURE() << (run.failed() - static_cast<int>(run.failures().size())) << " more failing cases not shown";
  }

  // Every case of the file is accounted for, and something was checked.
  EXPECT_EQ(run.total(), in_file);
  EXPECT_EQ(run.checked() + run.not_offered_cases() + run.excluded(), in_file);
  std::string missing;
  for (CK_MECHANISM_TYPE m : run.missing()) missing += (missing.empty() ? "" : ", ") + mech_name(m);
  if (token->ours()) {
    EXPECT_TRUE(missing.empty()) << "our module does not offer " << missing << " (C_GetMechanismList)";
    EXPECT_GT(run.checked(), 0);
  } else if (run.checked() == 0) {
    GTEST_SKIP() << "mechanism not offered by " << token->path() << ": " << missing;
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(Files, WycheproofFile, ::testing::ValuesIn(kFiles), test_name);

// Every classical file in the folder is driven (a new file cannot be skipped by omission), and
// every file the list names is there.
TEST(WycheproofCoverage, EveryClassicalFileIsDriven) {
  const std::filesystem::path dir = vectors_dir();
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  int classical = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    const std::string stem = entry.path().stem().string();
    if (out_of_scope(stem)) continue;
    ++classical;
    EXPECT_NE(std::find(kFiles.begin(), kFiles.end(), stem), kFiles.end()) << stem << ".json has no driver entry";
  }
  EXPECT_EQ(classical, static_cast<int>(kFiles.size()));
  for (const std::string& f : kFiles) EXPECT_TRUE(std::filesystem::exists(dir / (f + ".json"))) << f;
}

[[maybe_unused]] ::testing::Environment* const g_env = ::testing::AddGlobalTestEnvironment(new Environment);

}  // namespace
}  // namespace craton::wycheproof
