// FIPS 140-3 self-tests through the PKCS#11 API (docs/SELF_TESTS.md):
//   * every power-on test is really checked: the test module (libcratonhsm_testhooks.so, built
//     with CRATON_SELFTEST_INJECTION) corrupts the one test named in CRATON_HSM_SELFTEST_INJECT,
//     and C_Initialize must fail with CKR_FIPS_SELF_TEST_FAILED and leave the module in the error
//     state (status functions answer with CKF_ERROR_STATE, everything else CKR_GENERAL_ERROR,
//     C_Finalize works, a new C_Initialize without the fault recovers);
//   * a modified copy of the shipped module, or one without its .hmac, refuses to start;
//   * a failed pairwise test makes C_GenerateKeyPair return CKR_FIPS_SELF_TEST_FAILED and store
//     nothing; a failed health test of the random source makes C_GenerateRandom return it.
//   * each deferred test (selftest/deferred.h) does not run in C_Initialize, runs before the first
//     use of its algorithm (every kind of use: key generation, sign, verify, encrypt, encapsulate,
//     hybrids), once also under concurrent first use, and again after re-initialisation; its
//     failure returns CKR_FIPS_SELF_TEST_FAILED to the triggering call and latches the error state.
// The test names come from selftest::post_tests() and deferred_tests() (linked in), so a new test
// is covered at once.
#include <dlfcn.h>
#include <elf.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../api/module_fixture.h"
#include "craton/pkcs11/craton_vendor.h"
#include "selftest/deferred.h"
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

// A deferred test is not run by C_Initialize: with its fault armed, C_Initialize still passes.
TEST(PostInjection, DeferredTestsDoNotRunInCInitialize) {
  CK_FUNCTION_LIST_3_2* f = test_module();
  ASSERT_NE(f, nullptr);
  TempHome home("log.level = DEBUG\n");
  for (const auto& t : selftest::deferred_tests()) {
    Inject fault(t.name);
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK) << t.name;
    EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
    EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  }
  const std::string log = read_file(home.logfile());
  for (const auto& t : selftest::deferred_tests()) {
    EXPECT_EQ(log.find(std::string("selftest: ") + t.name + ":"), std::string::npos) << t.name << " ran";
  }
  EXPECT_NE(log.find("selftest: kat.sha2:"), std::string::npos) << "the power-on tests did run";
}

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

// C_GenerateKeyPair of one family as token objects (handles in *hpub, *hpriv when given).
CK_RV generate_pair(CK_FUNCTION_LIST_3_2* f, CK_SESSION_HANDLE s, const PctCase& c,
                    CK_OBJECT_HANDLE* out_pub = nullptr, CK_OBJECT_HANDLE* out_priv = nullptr) {
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
  const CK_RV rv = f->C_GenerateKeyPair(s, &m, pub.data(), pub.size(), priv.data(), priv.size(), &hpub, &hpriv);
  if (out_pub != nullptr) *out_pub = hpub;
  if (out_priv != nullptr) *out_priv = hpriv;
  return rv;
}

class PctInjection : public ConditionalTest, public ::testing::WithParamInterface<PctCase> {
 protected:
  CK_RV generate() { return generate_pair(f, s_, GetParam()); }
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

// ---- deferred self-tests (selftest/deferred.h): run before the first use of their algorithm ----

// One key-pair family per deferred test: its key generation is a first use of the algorithm.
PctCase first_use_case(const std::string& test) {
  if (test == "kat.rsa_sign" || test == "kat.rsa_oaep") return pct_cases()[0];
  if (test == "kat.ml_kem") return pct_cases()[4];
  if (test == "kat.ml_dsa") return pct_cases()[5];
  return pct_cases()[6];  // kat.slh_dsa
}

std::vector<std::string> deferred_test_names() {
  std::vector<std::string> names;
  for (const auto& t : selftest::deferred_tests()) names.emplace_back(t.name);
  return names;
}

std::string param_name(const ::testing::TestParamInfo<std::string>& i) {
  std::string n = i.param;
  for (char& c : n) {
    if (c == '.') c = '_';
  }
  return n;
}

class DeferredTest : public ConditionalTest {
 protected:
  void SetUp() override {
    ConditionalTest::SetUp();
    home_->write_config("log.level = INFO\n");  // the "passed before its first use" lines
  }
  // C_Finalize + C_Initialize (with whatever fault is armed), then a logged-in user session.
  void restart() {
    ASSERT_EQ(f->C_Finalize(nullptr), CKR_OK);
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK) << "a deferred test must not run in C_Initialize";
    EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
    ASSERT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s_), CKR_OK);
    std::string user = "user-pin-1";
    ASSERT_EQ(f->C_Login(s_, CKU_USER, utf8(user), user.size()), CKR_OK);
  }
  // The token's one object of `cls`.
  CK_OBJECT_HANDLE find(CK_OBJECT_CLASS cls) {
    CK_ATTRIBUTE t{CKA_CLASS, &cls, sizeof cls};
    EXPECT_EQ(f->C_FindObjectsInit(s_, &t, 1), CKR_OK);
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_FindObjects(s_, &h, 1, &n), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(s_), CKR_OK);
    EXPECT_EQ(n, 1U) << "class " << cls;
    return h;
  }
  // How often the log says the CASTs of `algorithm` ("ML-DSA", ...) passed.
  std::size_t passes_logged(const std::string& algorithm) {
    const std::string log = read_file(home_->logfile());
    const std::string needle = "self-tests of " + algorithm + " passed before its first use";
    std::size_t n = 0;
    for (auto at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++n;
    return n;
  }
};

class DeferredInjection : public DeferredTest, public ::testing::WithParamInterface<std::string> {};

// C_Initialize passes with the fault armed (the test is not run there); the first use of the
// algorithm runs it, fails with CKR_FIPS_SELF_TEST_FAILED and latches the error state, in which
// every other algorithm is refused; re-initialising without the fault re-arms and recovers.
TEST_P(DeferredInjection, FailureAtFirstUseIsCaughtAndLatched) {
  const PctCase use = first_use_case(GetParam());
  {
    Inject fault(GetParam());
    restart();
    EXPECT_EQ(read_file(home_->logfile()).find("self-test " + GetParam() + " failed"), std::string::npos);
    EXPECT_EQ(generate_pair(f, s_, use), CKR_FIPS_SELF_TEST_FAILED);
    expect_error_state(f, s_);
    EXPECT_EQ(generate_pair(f, s_, use), CKR_GENERAL_ERROR) << "later calls: the error state";
  }
  EXPECT_EQ(generate_pair(f, s_, use), CKR_GENERAL_ERROR) << "latched until re-initialised";
  EXPECT_NE(read_file(home_->logfile()).find("self-test " + GetParam() + " failed"), std::string::npos);
  EXPECT_EQ(objects_after_restart(), 0U) << "the refused generation left no object";
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
  EXPECT_EQ(generate_pair(f, s_, use), CKR_OK) << "re-armed, the test runs again and passes";
}

INSTANTIATE_TEST_SUITE_P(EveryDeferredTest, DeferredInjection, ::testing::ValuesIn(deferred_test_names()),
                         param_name);

// Every kind of use reaches the gate before computing: with the algorithm's test failing, each
// returns CKR_FIPS_SELF_TEST_FAILED and outputs nothing. Keys come from an earlier power-on.
struct UseCase {
  const char* name;
  const char* test;   // the deferred test that must run first
  PctCase keys;       // generated (no fault) before the restart; test == nullptr: none
  CK_MECHANISM_TYPE mech;
  enum Kind { kSign, kVerify, kEncrypt, kEncapsulate, kGenerate } kind;
};
void PrintTo(const UseCase& c, std::ostream* os) { *os << c.name; }

std::vector<UseCase> use_cases() {
  const auto p = pct_cases();
  return {
      {"rsa_sign", "kat.rsa_sign", p[0], CKM_SHA256_RSA_PKCS, UseCase::kSign},
      {"rsa_verify", "kat.rsa_sign", p[0], CKM_SHA256_RSA_PKCS, UseCase::kVerify},
      {"rsa_oaep_encrypt", "kat.rsa_oaep", p[0], CKM_RSA_PKCS_OAEP, UseCase::kEncrypt},
      {"ml_kem_encapsulate", "kat.ml_kem", p[4], CKM_ML_KEM, UseCase::kEncapsulate},
      {"ml_dsa_sign", "kat.ml_dsa", p[5], CKM_ML_DSA, UseCase::kSign},
      {"ml_dsa_verify", "kat.ml_dsa", p[5], CKM_ML_DSA, UseCase::kVerify},
      {"slh_dsa_sign", "kat.slh_dsa", p[6], CKM_SLH_DSA, UseCase::kSign},
      {"slh_dsa_verify", "kat.slh_dsa", p[6], CKM_SLH_DSA, UseCase::kVerify},
      {"composite_keygen_uses_ml_dsa", "kat.ml_dsa", {}, 0, UseCase::kGenerate},
      {"xwing_keygen_uses_ml_kem", "kat.ml_kem", {}, 0, UseCase::kGenerate},
  };
}

class DeferredUse : public DeferredTest, public ::testing::WithParamInterface<UseCase> {
 protected:
  CK_RV use() {
    const UseCase& c = GetParam();
    CK_MECHANISM m{c.mech, nullptr, 0};
    CK_RSA_PKCS_OAEP_PARAMS oaep{CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, nullptr, 0};
    if (c.mech == CKM_RSA_PKCS_OAEP) {
      m.pParameter = &oaep;
      m.ulParameterLen = sizeof oaep;
    }
    std::vector<CK_BYTE> data(32, 0x5a), out(64 * 1024, 0);
    CK_ULONG out_len = out.size();
    switch (c.kind) {
      case UseCase::kSign: {
        CK_RV rv = f->C_SignInit(s_, &m, find(CKO_PRIVATE_KEY));
        if (rv == CKR_OK) rv = f->C_Sign(s_, data.data(), data.size(), out.data(), &out_len);
        if (rv != CKR_OK) {
          EXPECT_EQ(out, std::vector<CK_BYTE>(out.size(), 0)) << "nothing output";
        }
        return rv;
      }
      case UseCase::kVerify: {
        CK_RV rv = f->C_VerifyInit(s_, &m, find(CKO_PUBLIC_KEY));
        // A well-sized signature of zeros: the gate must answer before the verification would.
        CK_ULONG sig_len = c.mech == CKM_SHA256_RSA_PKCS ? 256 : c.mech == CKM_ML_DSA ? 2420 : 17088;
        if (rv == CKR_OK) rv = f->C_Verify(s_, data.data(), data.size(), out.data(), sig_len);
        return rv;
      }
      case UseCase::kEncrypt: {
        CK_RV rv = f->C_EncryptInit(s_, &m, find(CKO_PUBLIC_KEY));
        if (rv == CKR_OK) rv = f->C_Encrypt(s_, data.data(), data.size(), out.data(), &out_len);
        return rv;
      }
      case UseCase::kEncapsulate: {
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
        std::vector<CK_ATTRIBUTE> t = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        const CK_RV rv = f->C_EncapsulateKey(s_, &m, find(CKO_PUBLIC_KEY), t.data(), t.size(), out.data(), &out_len, &h);
        if (rv != CKR_OK) {
          EXPECT_EQ(h, CK_INVALID_HANDLE);
        }
        return rv;
      }
      case UseCase::kGenerate:
        return generate_pair(f, s_, std::string(c.name).rfind("composite", 0) == 0 ? pct_cases()[7] : pct_cases()[8]);
    }
    return CKR_GENERAL_ERROR;
  }
};

TEST_P(DeferredUse, RunsTheAlgorithmsTestFirst) {
  const UseCase& c = GetParam();
  if (c.keys.test != nullptr) {
    ASSERT_EQ(generate_pair(f, s_, c.keys), CKR_OK);
  }
  {
    Inject fault(c.test);
    restart();
    EXPECT_EQ(use(), CKR_FIPS_SELF_TEST_FAILED);
    EXPECT_NE(token_flags(f) & CKF_ERROR_STATE, 0U);
  }
  EXPECT_NE(read_file(home_->logfile()).find(std::string("self-test ") + c.test + " failed"), std::string::npos);
  // Without the fault, the same use passes the gate (and the test ran once for it).
  restart();
  const CK_RV rv = use();
  EXPECT_NE(rv, CKR_FIPS_SELF_TEST_FAILED);
  EXPECT_NE(rv, CKR_GENERAL_ERROR);
  EXPECT_EQ(token_flags(f) & CKF_ERROR_STATE, 0U);
}

INSTANTIATE_TEST_SUITE_P(EveryKindOfUse, DeferredUse, ::testing::ValuesIn(use_cases()),
                         [](const ::testing::TestParamInfo<UseCase>& i) { return std::string(i.param.name); });

// Concurrent first users: one runs the test, the others wait for its verdict. With the test
// failing, no thread gets a signature; without, all do and the test ran once (per the log).
TEST_F(DeferredTest, ConcurrentFirstUseRunsTheTestOnceAndNobodyOvertakesIt) {
  ASSERT_EQ(generate_pair(f, s_, pct_cases()[5]), CKR_OK);  // ML-DSA-44, token objects
  for (const bool faulty : {true, false}) {
    std::unique_ptr<Inject> fault;
    if (faulty) fault = std::make_unique<Inject>("kat.ml_dsa");
    restart();
    const std::size_t passes_before = passes_logged("ML-DSA");
    const CK_OBJECT_HANDLE key = find(CKO_PRIVATE_KEY);
    constexpr int kThreads = 6;
    std::vector<CK_SESSION_HANDLE> sessions(kThreads);
    for (auto& h : sessions) ASSERT_EQ(f->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &h), CKR_OK);
    std::atomic<int> ready{0};
    std::vector<CK_RV> results(kThreads, CKR_OK);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();  // start together
        CK_MECHANISM m{CKM_ML_DSA, nullptr, 0};
        std::vector<CK_BYTE> data(16, 1), sig(4096);
        CK_ULONG len = sig.size();
        CK_RV rv = f->C_SignInit(sessions[i], &m, key);
        if (rv == CKR_OK) rv = f->C_Sign(sessions[i], data.data(), data.size(), sig.data(), &len);
        results[i] = rv;
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kThreads; ++i) {
      if (faulty) {
        // Refused by the failed test itself, or (arriving after the latch) by the error state.
        EXPECT_TRUE(results[i] == CKR_FIPS_SELF_TEST_FAILED || results[i] == CKR_GENERAL_ERROR) << results[i];
      } else {
        EXPECT_EQ(results[i], CKR_OK);
      }
    }
    EXPECT_EQ(passes_logged("ML-DSA") - passes_before, faulty ? 0U : 1U);
  }
}

// C_Finalize + C_Initialize re-arms: the test runs again before the next use, once per power-on.
TEST_F(DeferredTest, ReinitialisationRearmsTheTests) {
  for (int power_on = 1; power_on <= 3; ++power_on) {
    restart();
    EXPECT_EQ(generate_pair(f, s_, pct_cases()[5]), CKR_OK);
    EXPECT_EQ(generate_pair(f, s_, pct_cases()[5]), CKR_OK);
    EXPECT_EQ(passes_logged("ML-DSA"), static_cast<std::size_t>(power_on));
  }
}

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
