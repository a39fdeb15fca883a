// FIPS 140-3 self-tests through the PKCS#11 API (docs/SELF_TESTS.md):
//   * every power-on test is really checked: the test module (libcratonhsm_testhooks.so, built
//     with CRATON_SELFTEST_INJECTION) corrupts the one test named in CRATON_HSM_SELFTEST_INJECT,
//     and C_Initialize must fail with CKR_FIPS_SELF_TEST_FAILED and leave the module in the error
//     state (status functions answer with CKF_ERROR_STATE, everything else CKR_GENERAL_ERROR,
//     C_Finalize works, a new C_Initialize without the fault recovers);
//   * a modified copy of the shipped module, or one without its .hmac, refuses to start;
//   * a failed pairwise test makes C_GenerateKeyPair return CKR_FIPS_SELF_TEST_FAILED and store
//     nothing; a failed health test of the random source makes C_GenerateRandom return it.
// The test names come from selftest::post_tests() (linked in), so a new test is covered at once.
#include <dlfcn.h>
#include <elf.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../api/module_fixture.h"
#include "craton/pkcs11/craton_vendor.h"
#include "selftest/post.h"

namespace craton::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kInjectVar = "CRATON_HSM_SELFTEST_INJECT";

// A module loaded from `path` (never unloaded: each path is loaded once per process).
CK_FUNCTION_LIST_3_2* load(const std::string& path, std::string* error = nullptr) {
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    if (error != nullptr) *error = dlerror();
    return nullptr;
  }
  auto get_interface = reinterpret_cast<CK_C_GetInterface>(dlsym(h, "C_GetInterface"));
  if (get_interface == nullptr) return nullptr;
  CK_INTERFACE_PTR iface = nullptr;
  CK_UTF8CHAR name[] = "PKCS 11";
  CK_VERSION v{3, 2};
  if (get_interface(name, &v, &iface, 0) != CKR_OK) return nullptr;
  return static_cast<CK_FUNCTION_LIST_3_2*>(iface->pFunctionList);
}

CK_FUNCTION_LIST_3_2* test_module() {
  static CK_FUNCTION_LIST_3_2* f = load(CRATON_TESTHOOKS_MODULE);
  return f;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Inject {
 public:
  explicit Inject(const std::string& test) { setenv(kInjectVar, test.c_str(), 1); }
  ~Inject() { unsetenv(kInjectVar); }
  Inject(const Inject&) = delete;
  Inject& operator=(const Inject&) = delete;
};

CK_SLOT_ID first_slot(CK_FUNCTION_LIST_3_2* f) {
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_GetSlotList(CK_FALSE, nullptr, &n), CKR_OK);
  std::vector<CK_SLOT_ID> slots(n);
  EXPECT_EQ(f->C_GetSlotList(CK_FALSE, slots.data(), &n), CKR_OK);
  return slots.empty() ? 0 : slots.back();
}

CK_FLAGS token_flags(CK_FUNCTION_LIST_3_2* f) {
  CK_TOKEN_INFO info{};
  EXPECT_EQ(f->C_GetTokenInfo(first_slot(f), &info), CKR_OK);
  return info.flags;
}

// The module is in the error state: the status functions answer (with CKF_ERROR_STATE), the
// others are refused with CKR_GENERAL_ERROR.
void expect_error_state(CK_FUNCTION_LIST_3_2* f, CK_SESSION_HANDLE session = CK_INVALID_HANDLE) {
  CK_INFO info{};
  EXPECT_EQ(f->C_GetInfo(&info), CKR_OK);
  const CK_SLOT_ID slot = first_slot(f);
  CK_SLOT_INFO si{};
  EXPECT_EQ(f->C_GetSlotInfo(slot, &si), CKR_OK);
  EXPECT_NE(token_flags(f) & CKF_ERROR_STATE, 0U);
  CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_GENERAL_ERROR);
  CK_ULONG n = 0;
  EXPECT_EQ(f->C_GetMechanismList(slot, nullptr, &n), CKR_GENERAL_ERROR);
  std::vector<CK_BYTE> buf(16);
  EXPECT_EQ(f->C_GenerateRandom(session, buf.data(), buf.size()), CKR_GENERAL_ERROR);
  CK_MECHANISM mech{CKM_SHA256, nullptr, 0};
  EXPECT_EQ(f->C_DigestInit(session, &mech), CKR_GENERAL_ERROR);
  EXPECT_EQ(f->C_SignInit(session, &mech, 1), CKR_GENERAL_ERROR);
  EXPECT_EQ(f->C_DecryptInit(session, &mech, 1), CKR_GENERAL_ERROR);
  std::string pin = "user-pin-1";
  EXPECT_EQ(f->C_Login(session, CKU_USER, utf8(pin), pin.size()), CKR_GENERAL_ERROR);
  EXPECT_EQ(f->C_CloseAllSessions(slot), CKR_OK);
}

class PostInjection : public ::testing::TestWithParam<std::string> {};

TEST_P(PostInjection, FailureIsCaughtAndLatched) {
  CK_FUNCTION_LIST_3_2* f = test_module();
  ASSERT_NE(f, nullptr);
  TempHome home;
  {
    Inject fault(GetParam());
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);
    expect_error_state(f);
    // Calling C_Initialize again re-runs the tests: with the fault still there, the same result.
    EXPECT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);
  }
  // The reason is logged with the test's name.
  const std::string log = read_file(home.logfile());
  EXPECT_NE(log.find("self-test " + GetParam() + " failed"), std::string::npos) << log;
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  // Without the fault the module starts normally again (on-demand self-tests pass).
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

TEST(PostInjection, ErrorStateIsLeftByCInitializeWithoutCFinalize) {
  CK_FUNCTION_LIST_3_2* f = test_module();
  ASSERT_NE(f, nullptr);
  TempHome home;
  {
    Inject fault("kat.aes_gcm");
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);
  }
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
  EXPECT_EQ(f->C_Initialize(nullptr), CKR_CRYPTOKI_ALREADY_INITIALIZED);  // healthy: the usual rule
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

std::vector<std::string> post_test_names() {
  std::vector<std::string> names;
  for (const auto& t : selftest::post_tests()) names.emplace_back(t.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(EveryPowerOnTest, PostInjection, ::testing::ValuesIn(post_test_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param;
                           for (char& c : n) {
                             if (c == '.') c = '_';
                           }
                           return n;
                         });

// ---- software integrity --------------------------------------------------------------------

// A copy of the shipped module (and, if `with_hmac`, its integrity value) in a fresh directory.
class ModuleCopy {
 public:
  explicit ModuleCopy(bool with_hmac) {
    char tmpl[] = "/tmp/craton-selftest-XXXXXX";
    dir_ = mkdtemp(tmpl);
    const std::string real = fs::canonical(CRATON_MODULE_PATH).string();
    path_ = dir_ + "/libcratonhsm.so";
    fs::copy_file(real, path_);
    if (with_hmac) fs::copy_file(real + ".hmac", path_ + ".hmac");
  }
  ~ModuleCopy() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const std::string& path() const { return path_; }

  // Flips one bit in the module's .comment section: the loader never reads it, so the library
  // still loads, and only the integrity test can notice.
  void flip_comment_byte() const {
    std::fstream file(path_, std::ios::in | std::ios::out | std::ios::binary);
    Elf64_Ehdr eh{};
    file.read(reinterpret_cast<char*>(&eh), sizeof eh);
    std::vector<Elf64_Shdr> sh(eh.e_shnum);
    file.seekg(static_cast<std::streamoff>(eh.e_shoff));
    file.read(reinterpret_cast<char*>(sh.data()), static_cast<std::streamsize>(sh.size() * sizeof(Elf64_Shdr)));
    std::string names(sh[eh.e_shstrndx].sh_size, '\0');
    file.seekg(static_cast<std::streamoff>(sh[eh.e_shstrndx].sh_offset));
    file.read(names.data(), static_cast<std::streamsize>(names.size()));
    for (const auto& s : sh) {
      if (std::string(names.c_str() + s.sh_name) != ".comment" || s.sh_size == 0) continue;
      char c = 0;
      file.seekg(static_cast<std::streamoff>(s.sh_offset));
      file.read(&c, 1);
      c = static_cast<char>(c ^ 0x01);
      file.seekp(static_cast<std::streamoff>(s.sh_offset));
      file.write(&c, 1);
      ASSERT_TRUE(file.good());
      return;
    }
    FAIL() << "no .comment section in the module";
  }

 private:
  std::string dir_;
  std::string path_;
};

TEST(Integrity, UnmodifiedCopyStarts) {
  ModuleCopy copy(true);
  std::string err;
  CK_FUNCTION_LIST_3_2* f = load(copy.path(), &err);
  ASSERT_NE(f, nullptr) << err;
  TempHome home;
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

TEST(Integrity, ModifiedModuleRefusesToStart) {
  ModuleCopy copy(true);
  copy.flip_comment_byte();
  std::string err;
  CK_FUNCTION_LIST_3_2* f = load(copy.path(), &err);
  ASSERT_NE(f, nullptr) << err;
  TempHome home;
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);
  expect_error_state(f);
  EXPECT_NE(read_file(home.logfile()).find("self-test integrity failed"), std::string::npos);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  EXPECT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);  // still modified: still refused
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

TEST(Integrity, MissingIntegrityValueRefusesToStart) {
  ModuleCopy copy(false);
  CK_FUNCTION_LIST_3_2* f = load(copy.path());
  ASSERT_NE(f, nullptr);
  TempHome home;
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);
  expect_error_state(f);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

TEST(Integrity, MalformedIntegrityValueRefusesToStart) {
  ModuleCopy copy(true);
  std::ofstream(copy.path() + ".hmac", std::ios::trunc) << "not an HMAC\n";
  CK_FUNCTION_LIST_3_2* f = load(copy.path());
  ASSERT_NE(f, nullptr);
  TempHome home;
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_FIPS_SELF_TEST_FAILED);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
}

// ---- conditional tests through the test module ----------------------------------------------

class ConditionalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f = test_module();
    ASSERT_NE(f, nullptr);
    home_ = std::make_unique<TempHome>();
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
    slot_ = first_slot(f);
    std::string so = "so-secret-1";
    auto label = label32("selftest");
    ASSERT_EQ(f->C_InitToken(slot_, utf8(so), so.size(), label.data()), CKR_OK);
    ASSERT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s_), CKR_OK);
    ASSERT_EQ(f->C_Login(s_, CKU_SO, utf8(so), so.size()), CKR_OK);
    std::string user = "user-pin-1";
    ASSERT_EQ(f->C_InitPIN(s_, utf8(user), user.size()), CKR_OK);
    ASSERT_EQ(f->C_Logout(s_), CKR_OK);
    ASSERT_EQ(f->C_Login(s_, CKU_USER, utf8(user), user.size()), CKR_OK);
  }
  void TearDown() override {
    unsetenv(kInjectVar);
    if (f != nullptr) f->C_Finalize(nullptr);
    home_.reset();
  }

  // Number of objects a fresh session of a restarted module finds on the token.
  CK_ULONG objects_after_restart() {
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
    EXPECT_EQ(f->C_Initialize(nullptr), CKR_OK);
    EXPECT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s_), CKR_OK);
    std::string user = "user-pin-1";
    EXPECT_EQ(f->C_Login(s_, CKU_USER, utf8(user), user.size()), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsInit(s_, nullptr, 0), CKR_OK);
    std::vector<CK_OBJECT_HANDLE> found(16);
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjects(s_, found.data(), found.size(), &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(s_), CKR_OK);
    return n;
  }

  CK_FUNCTION_LIST_3_2* f = nullptr;
  std::unique_ptr<TempHome> home_;
  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE s_ = CK_INVALID_HANDLE;
};

struct PctCase {
  const char* test;
  CK_MECHANISM_TYPE mech;
  std::vector<std::uint8_t> ec_params;  // empty: none
  CK_ULONG parameter_set;               // 0: none
};

// Test names show the case by its name instead of its bytes.
void PrintTo(const PctCase& c, std::ostream* os) { *os << c.test; }

std::vector<PctCase> pct_cases() {
  return {
      {"pct.rsa", CKM_RSA_PKCS_KEY_PAIR_GEN, {}, 0},
      {"pct.ecdsa", CKM_EC_KEY_PAIR_GEN, from_hex("06082a8648ce3d030107"), 0},
      {"pct.eddsa", CKM_EC_EDWARDS_KEY_PAIR_GEN, from_hex("06032b6570"), 0},
      {"pct.ecdh", CKM_EC_MONTGOMERY_KEY_PAIR_GEN, from_hex("06032b656e"), 0},
      {"pct.ml_kem", CKM_ML_KEM_KEY_PAIR_GEN, {}, CKP_ML_KEM_768},
      {"pct.ml_dsa", CKM_ML_DSA_KEY_PAIR_GEN, {}, CKP_ML_DSA_44},
      {"pct.slh_dsa", CKM_SLH_DSA_KEY_PAIR_GEN, {}, CKP_SLH_DSA_SHA2_128F},
      {"pct.composite", CKM_CRATON_COMP_SIG_KEY_PAIR_GEN, {}, CKP_CRATON_COMP_SIG_MLDSA65_ECDSA_P256_SHA512},
      {"pct.xwing", CKM_CRATON_XWING_KEY_PAIR_GEN, {}, CKP_CRATON_XWING},
  };
}

class PctInjection : public ConditionalTest, public ::testing::WithParamInterface<PctCase> {
 protected:
  CK_RV generate() {
    const PctCase& c = GetParam();
    CK_MECHANISM m{c.mech, nullptr, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_ULONG bits = 2048;
    CK_ULONG set = c.parameter_set;
    std::vector<std::uint8_t> params = c.ec_params;
    std::vector<CK_ATTRIBUTE> pub = {{CKA_TOKEN, &yes, sizeof yes}};
    if (c.mech == CKM_RSA_PKCS_KEY_PAIR_GEN) pub.push_back({CKA_MODULUS_BITS, &bits, sizeof bits});
    if (!params.empty()) pub.push_back({CKA_EC_PARAMS, params.data(), params.size()});
    if (set != 0) pub.push_back({CKA_PARAMETER_SET, &set, sizeof set});
    std::vector<CK_ATTRIBUTE> priv = {{CKA_TOKEN, &yes, sizeof yes}, {CKA_PRIVATE, &yes, sizeof yes}};
    CK_OBJECT_HANDLE hpub = CK_INVALID_HANDLE, hpriv = CK_INVALID_HANDLE;
    return f->C_GenerateKeyPair(s_, &m, pub.data(), pub.size(), priv.data(), priv.size(), &hpub, &hpriv);
  }
};

TEST_P(PctInjection, FailedPairwiseTestReturnsSelfTestFailedAndStoresNothing) {
  ASSERT_EQ(generate(), CKR_OK) << "the pair generates without a fault";
  ASSERT_EQ(objects_after_restart(), 2U);
  {
    Inject fault(GetParam().test);
    EXPECT_EQ(generate(), CKR_FIPS_SELF_TEST_FAILED);
    expect_error_state(f, s_);
    EXPECT_EQ(generate(), CKR_GENERAL_ERROR);
  }
  EXPECT_NE(read_file(home_->logfile()).find(std::string("self-test ") + GetParam().test + " failed"),
            std::string::npos);
  EXPECT_EQ(objects_after_restart(), 2U) << "the refused pair left no object";
}

INSTANTIATE_TEST_SUITE_P(EveryKeyPairFamily, PctInjection, ::testing::ValuesIn(pct_cases()),
                         [](const ::testing::TestParamInfo<PctCase>& i) {
                           return std::string(i.param.test).substr(4);  // "pct.rsa" -> "rsa"
                         });

class RngInjection : public ConditionalTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(RngInjection, FailedHealthTestReturnsSelfTestFailed) {
  std::vector<CK_BYTE> out(8192, 0xEE);
  ASSERT_EQ(f->C_GenerateRandom(s_, out.data(), out.size()), CKR_OK);
  {
    Inject fault(GetParam());
    ASSERT_EQ(f->C_GenerateRandom(s_, out.data(), out.size()), CKR_FIPS_SELF_TEST_FAILED);
    EXPECT_EQ(out, std::vector<CK_BYTE>(out.size(), 0)) << "the faulty output was released";
    expect_error_state(f, s_);
  }
  // Still latched without the fault, until the module is re-initialised.
  EXPECT_EQ(f->C_GenerateRandom(s_, out.data(), out.size()), CKR_GENERAL_ERROR);
  EXPECT_NE(read_file(home_->logfile()).find("self-test " + GetParam() + " failed"), std::string::npos);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
}

INSTANTIATE_TEST_SUITE_P(EveryHealthTest, RngInjection, ::testing::Values("rng.rct", "rng.apt", "rng.repeat"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param.substr(4); });

// ---- the shipped module --------------------------------------------------------------------

TEST(ShippedModule, StartsWithoutErrorStateAndIgnoresTheInjectionVariable) {
  CK_FUNCTION_LIST_3_2* f = load(CRATON_MODULE_PATH);
  ASSERT_NE(f, nullptr);
  TempHome home("log.level = INFO\n");
  Inject fault("kat.sha2");  // no effect: the release module has no injection
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  const std::string log = read_file(home.logfile());
  const auto at = log.find("power-on self-tests passed");
  ASSERT_NE(at, std::string::npos) << log;
  std::printf("[ timing   ] C_Initialize (empty token directory) %lld us; %s", static_cast<long long>(us.count()),
              log.substr(at, log.find('\n', at) - at + 1).c_str());
}

}  // namespace
}  // namespace craton::test
