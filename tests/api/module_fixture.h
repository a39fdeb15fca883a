// Test fixture for the API tests: loads the built module with dlopen and calls it only through
// the CK_FUNCTION_LIST_3_2 it hands out, exactly as a client application would.
//
// Each test gets a fresh token directory and configuration file (CRATON_HSM_CONF), and a cheap
// PIN KDF so the suite stays fast. Nothing here links the module's internals.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"
#include "../common/hex.h"  // from_hex, shared with the unit tests

namespace craton::test {

inline const char* module_path() {
  const char* p = std::getenv("CRATON_MODULE");
  return p != nullptr ? p : CRATON_MODULE_PATH;
}

// The module, loaded once per test process.
class Module {
 public:
  static Module& get() {
    static Module m;
    return m;
  }
  CK_FUNCTION_LIST_3_2* fl() const { return fl_; }
  void* handle() const { return handle_; }
  template <class Fn>
  Fn symbol(const char* name) const {
    return reinterpret_cast<Fn>(dlsym(handle_, name));
  }

 private:
  Module() {
    handle_ = dlopen(module_path(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) throw std::runtime_error(std::string("dlopen failed: ") + dlerror());
    auto get_interface = reinterpret_cast<CK_C_GetInterface>(dlsym(handle_, "C_GetInterface"));
    if (get_interface == nullptr) throw std::runtime_error("C_GetInterface missing");
    CK_INTERFACE_PTR iface = nullptr;
    CK_UTF8CHAR name[] = "PKCS 11";
    CK_VERSION v{3, 2};
    if (get_interface(name, &v, &iface, 0) != CKR_OK) throw std::runtime_error("no PKCS 11 3.2 interface");
    fl_ = static_cast<CK_FUNCTION_LIST_3_2*>(iface->pFunctionList);
  }
  void* handle_ = nullptr;
  CK_FUNCTION_LIST_3_2* fl_ = nullptr;
};

// A scratch directory with a configuration file pointing the module at it.
class TempHome {
 public:
  explicit TempHome(const std::string& extra_config = "") {
    char tmpl[] = "/tmp/craton-api-XXXXXX";
    dir_ = mkdtemp(tmpl);
    write_config(extra_config);
  }
  ~TempHome() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void write_config(const std::string& extra) const {
    std::ofstream(conf()) << "directories.tokendir = " << tokendir() << "\n"
                          << "pin.kdf_iterations = 1000\n"
                          << "log.file = " << logfile() << "\n"
                          << extra;
    setenv("CRATON_HSM_CONF", conf().c_str(), 1);
  }
  std::string dir() const { return dir_; }
  std::string conf() const { return dir_ + "/craton.conf"; }
  std::string tokendir() const { return dir_ + "/tokens"; }
  std::string logfile() const { return dir_ + "/craton.log"; }

 private:
  std::string dir_;
};

inline std::vector<CK_UTF8CHAR> label32(const std::string& s) {
  std::vector<CK_UTF8CHAR> l(32, ' ');
  for (std::size_t i = 0; i < s.size() && i < 32; ++i) l[i] = static_cast<CK_UTF8CHAR>(s[i]);
  return l;
}

inline CK_UTF8CHAR_PTR utf8(std::string& s) { return reinterpret_cast<CK_UTF8CHAR_PTR>(s.data()); }

// Base fixture: module initialised on a fresh, empty token directory.
class ApiTest : public ::testing::Test {
 protected:
  static constexpr const char* kSoPin = "so-secret-1";
  static constexpr const char* kUserPin = "user-pin-1";

  void SetUp() override {
    home_ = std::make_unique<TempHome>(extra_config());
    f = Module::get().fl();
    ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  }
  void TearDown() override {
    if (f != nullptr) f->C_Finalize(nullptr);
    home_.reset();
  }
  virtual std::string extra_config() const { return ""; }

  // The free slot: the last one in the slot list.
  CK_SLOT_ID free_slot() {
    CK_ULONG n = 0;
    EXPECT_EQ(f->C_GetSlotList(CK_FALSE, nullptr, &n), CKR_OK);
    std::vector<CK_SLOT_ID> slots(n);
    EXPECT_EQ(f->C_GetSlotList(CK_FALSE, slots.data(), &n), CKR_OK);
    return slots.back();
  }

  // Initialises the free slot's token with an SO PIN and a user PIN; returns its slot.
  CK_SLOT_ID make_token(const std::string& label = "test token", bool with_user_pin = true) {
    const CK_SLOT_ID slot = free_slot();
    std::string so = kSoPin;
    auto l = label32(label);
    EXPECT_EQ(f->C_InitToken(slot, utf8(so), so.size(), l.data()), CKR_OK);
    if (with_user_pin) {
      CK_SESSION_HANDLE s = open(slot, true);
      EXPECT_EQ(f->C_Login(s, CKU_SO, utf8(so), so.size()), CKR_OK);
      std::string user = kUserPin;
      EXPECT_EQ(f->C_InitPIN(s, utf8(user), user.size()), CKR_OK);
      EXPECT_EQ(f->C_CloseSession(s), CKR_OK);
    }
    return slot;
  }

  CK_SESSION_HANDLE open(CK_SLOT_ID slot, bool rw) {
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0), nullptr, nullptr, &h), CKR_OK);
    return h;
  }

  CK_RV login(CK_SESSION_HANDLE s, CK_USER_TYPE who, std::string pin) {
    return f->C_Login(s, who, utf8(pin), pin.size());
  }

  CK_FUNCTION_LIST_3_2* f = nullptr;
  std::unique_ptr<TempHome> home_;
};

// ApiTest with an initialised token (SO and user PIN set) and one R/W session on it.
class TokenTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    slot_ = make_token();
    rw_ = open(slot_, true);
  }

  // Attribute values read through the R/W session (the read must succeed).
  std::vector<std::uint8_t> attr(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ATTRIBUTE a{t, nullptr, 0};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    std::vector<std::uint8_t> v(a.ulValueLen);
    a.pValue = v.data();
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  CK_ULONG attr_ulong(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_ULONG v = 0;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v;
  }
  bool attr_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE a{t, &v, sizeof v};
    EXPECT_EQ(f->C_GetAttributeValue(rw_, h, &a, 1), CKR_OK);
    return v == CK_TRUE;
  }

  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE rw_ = CK_INVALID_HANDLE;
};

// Attribute-template builder that owns the values it points at.
class Template {
 public:
  Template& add(CK_ATTRIBUTE_TYPE t, const void* p, CK_ULONG n) {
    auto& buf = storage_.emplace_back(static_cast<const std::uint8_t*>(p), static_cast<const std::uint8_t*>(p) + n);
    attrs_.push_back({t, buf.empty() ? nullptr : buf.data(), n});
    return *this;
  }
  Template& ulong(CK_ATTRIBUTE_TYPE t, CK_ULONG v) { return add(t, &v, sizeof v); }
  Template& boolean(CK_ATTRIBUTE_TYPE t, bool v) {
    CK_BBOOL b = v ? CK_TRUE : CK_FALSE;
    return add(t, &b, sizeof b);
  }
  Template& str(CK_ATTRIBUTE_TYPE t, const std::string& s) { return add(t, s.data(), s.size()); }
  Template& bytes(CK_ATTRIBUTE_TYPE t, const std::vector<std::uint8_t>& v) { return add(t, v.data(), v.size()); }
  CK_ATTRIBUTE* data() { return attrs_.data(); }
  CK_ULONG size() const { return attrs_.size(); }

 private:
  std::vector<CK_ATTRIBUTE> attrs_;
  std::vector<std::vector<std::uint8_t>> storage_;
};

}  // namespace craton::test
