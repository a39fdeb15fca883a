// The module under benchmark, opened once per process: dlopen of CRATON_BENCH_MODULE (default: the
// module just built; /usr/lib/softhsm/libsofthsm2.so measures SoftHSMv2 on the same workload), a
// fresh token directory, a token with a user PIN, and one logged-in session. Used by the benchmark
// programs that go through the PKCS#11 API (pqc_api_bench.cpp).
#pragma once

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace craton::bench {

inline void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(rv));
}

inline CK_UTF8CHAR_PTR utf8(std::string& s) { return reinterpret_cast<CK_UTF8CHAR_PTR>(s.data()); }

class BenchModule {
 public:
  CK_FUNCTION_LIST* f = nullptr;
  CK_FUNCTION_LIST_3_0* f3 = nullptr;  // the 3.0 table (message API), when the module has one
  CK_FUNCTION_LIST_3_2* f32 = nullptr;  // the 3.2 table (encapsulation), when the module has one
  CK_SLOT_ID slot = 0;
  CK_SESSION_HANDLE login_session = 0;

  BenchModule() {
    const char* path = std::getenv("CRATON_BENCH_MODULE");
    void* h = dlopen(path != nullptr ? path : CRATON_MODULE_PATH, RTLD_NOW);
    if (h == nullptr) throw std::runtime_error(dlerror());
    auto gfl = reinterpret_cast<CK_C_GetFunctionList>(dlsym(h, "C_GetFunctionList"));
    if (gfl == nullptr || gfl(&f) != CKR_OK) throw std::runtime_error("C_GetFunctionList failed");
    if (auto gi = reinterpret_cast<CK_C_GetInterface>(dlsym(h, "C_GetInterface"))) {
      CK_UTF8CHAR_PTR name = reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>("PKCS 11"));
      CK_VERSION v30{3, 0};
      CK_VERSION v32{3, 2};
      CK_INTERFACE_PTR iface = nullptr;
      if (gi(name, &v30, &iface, 0) == CKR_OK) f3 = static_cast<CK_FUNCTION_LIST_3_0*>(iface->pFunctionList);
      if (gi(name, &v32, &iface, 0) == CKR_OK) f32 = static_cast<CK_FUNCTION_LIST_3_2*>(iface->pFunctionList);
    }
    char tmpl[] = "/tmp/craton-bench-XXXXXX";
    dir_ = mkdtemp(tmpl);
    // CRATON_BENCH_CONFIG: extra configuration lines, e.g. "audit.enabled = false" to measure
    // without the audit log (docs/PERFORMANCE.md shows both).
    const char* extra = std::getenv("CRATON_BENCH_CONFIG");
    std::ofstream(dir_ + "/c.conf") << "directories.tokendir = " << dir_ << "/tokens\n"
                                    << "pin.kdf_iterations = 10000\nlog.level = ERROR\n"
                                    << (extra != nullptr ? extra : "") << "\n";
    std::filesystem::create_directories(dir_ + "/tokens");
    setenv("CRATON_HSM_CONF", (dir_ + "/c.conf").c_str(), 1);
    setenv("SOFTHSM2_CONF", (dir_ + "/c.conf").c_str(), 1);
    check(f->C_Initialize(nullptr), "C_Initialize");
    slot = first_slot(CK_FALSE, true);
    std::string so = "12345678";
    std::vector<CK_UTF8CHAR> label(32, ' ');
    check(f->C_InitToken(slot, utf8(so), so.size(), label.data()), "C_InitToken");
    slot = first_slot(CK_TRUE, false);  // SoftHSMv2 renumbers the slot
    CK_SESSION_HANDLE s = session();
    check(f->C_Login(s, CKU_SO, utf8(so), so.size()), "C_Login SO");
    check(f->C_InitPIN(s, utf8(pin_), pin_.size()), "C_InitPIN");
    check(f->C_Logout(s), "C_Logout");
    check(f->C_Login(s, CKU_USER, utf8(pin_), pin_.size()), "C_Login");
    login_session = s;
  }
  ~BenchModule() {
    f->C_Finalize(nullptr);
    std::filesystem::remove_all(dir_);
  }
  BenchModule(const BenchModule&) = delete;
  BenchModule& operator=(const BenchModule&) = delete;

  CK_SESSION_HANDLE session() {
    CK_SESSION_HANDLE h = 0;
    check(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), "C_OpenSession");
    return h;
  }

 private:
  CK_SLOT_ID first_slot(CK_BBOOL present, bool last) {
    CK_ULONG n = 0;
    check(f->C_GetSlotList(present, nullptr, &n), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(n);
    check(f->C_GetSlotList(present, slots.data(), &n), "C_GetSlotList");
    if (slots.empty()) throw std::runtime_error("no slot");
    if (last) return slots.back();
    for (CK_SLOT_ID sl : slots) {
      CK_TOKEN_INFO ti;
      if (f->C_GetTokenInfo(sl, &ti) == CKR_OK && (ti.flags & CKF_TOKEN_INITIALIZED)) return sl;
    }
    throw std::runtime_error("no initialised token");
  }

  std::string dir_;
  std::string pin_ = "1234";
};

}  // namespace craton::bench
