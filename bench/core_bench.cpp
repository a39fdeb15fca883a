// Core-module benchmarks through the PKCS#11 API of any module (default: the one just built;
// CRATON_BENCH_MODULE=/path/to/libsofthsm2.so compares another module on the same workload).
//
//   FindByLabel/N     : C_FindObjectsInit+C_FindObjects+Final for one label among N token objects
//   CreateTokenObject : one durable token data object (C_CreateObject, committed to disk)
//   InitializeWithN/N : C_Initialize + C_GetSlotList + C_OpenSession + first search, N token objects present
//   LoginLogout       : C_Login(user) + C_Logout (dominated by the PIN KDF; cost from the config)
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace {

CK_FUNCTION_LIST* load() {
  const char* path = std::getenv("CRATON_BENCH_MODULE");
  void* h = dlopen(path != nullptr ? path : CRATON_MODULE_PATH, RTLD_NOW);
  if (h == nullptr) throw std::runtime_error(dlerror());
  auto gfl = reinterpret_cast<CK_C_GetFunctionList>(dlsym(h, "C_GetFunctionList"));
  CK_FUNCTION_LIST* f = nullptr;
  if (gfl == nullptr || gfl(&f) != CKR_OK) throw std::runtime_error("C_GetFunctionList failed");
  return f;
}

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(rv));
}

// A token directory with a token holding N labelled data objects; built once per N.
struct Fixture {
  CK_FUNCTION_LIST* f = load();
  std::string dir;
  CK_SLOT_ID slot = 0;
  std::string pin = "1234";

  explicit Fixture(int n) {
    char tmpl[] = "/tmp/craton-bench-XXXXXX";
    dir = mkdtemp(tmpl);
    std::ofstream(dir + "/c.conf") << "directories.tokendir = " << dir << "/tokens\n"
                                   << "pin.kdf_iterations = 10000\nlog.level = ERROR\n";
    std::filesystem::create_directories(dir + "/tokens");
    setenv("CRATON_HSM_CONF", (dir + "/c.conf").c_str(), 1);
    setenv("SOFTHSM2_CONF", (dir + "/c.conf").c_str(), 1);
    check(f->C_Initialize(nullptr), "C_Initialize");
    CK_ULONG count = 0;
    check(f->C_GetSlotList(CK_FALSE, nullptr, &count), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(count);
    check(f->C_GetSlotList(CK_FALSE, slots.data(), &count), "C_GetSlotList");
    slot = slots.back();
    std::string so = "12345678";
    std::vector<CK_UTF8CHAR> label(32, ' ');
    check(f->C_InitToken(slot, reinterpret_cast<CK_UTF8CHAR_PTR>(so.data()), so.size(), label.data()), "C_InitToken");
    find_slot();
    CK_SESSION_HANDLE h = session();
    check(f->C_Login(h, CKU_SO, reinterpret_cast<CK_UTF8CHAR_PTR>(so.data()), so.size()), "C_Login SO");
    check(f->C_InitPIN(h, reinterpret_cast<CK_UTF8CHAR_PTR>(pin.data()), pin.size()), "C_InitPIN");
    check(f->C_Logout(h), "C_Logout");
    for (int i = 0; i < n; ++i) create(h, "object-" + std::to_string(i));
    f->C_CloseSession(h);
  }
  ~Fixture() {
    f->C_Finalize(nullptr);
    std::filesystem::remove_all(dir);
  }
  // The token's slot: the first initialised one (SoftHSMv2 renumbers it after C_InitToken).
  void find_slot() {
    CK_ULONG count = 0;
    check(f->C_GetSlotList(CK_TRUE, nullptr, &count), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(count);
    check(f->C_GetSlotList(CK_TRUE, slots.data(), &count), "C_GetSlotList");
    for (CK_SLOT_ID s : slots) {
      CK_TOKEN_INFO ti;
      if (f->C_GetTokenInfo(s, &ti) == CKR_OK && (ti.flags & CKF_TOKEN_INITIALIZED)) {
        slot = s;
        return;
      }
    }
    throw std::runtime_error("no initialised token");
  }
  CK_SESSION_HANDLE session() {
    CK_SESSION_HANDLE h = 0;
    check(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), "C_OpenSession");
    return h;
  }
  void create(CK_SESSION_HANDLE h, const std::string& label) {
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    std::string value = "benchmark payload";
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls},
                        {CKA_TOKEN, &yes, sizeof yes},
                        {CKA_PRIVATE, &no, sizeof no},  // SoftHSMv2 defaults to private
                        {CKA_LABEL, const_cast<char*>(label.data()), label.size()},
                        {CKA_VALUE, value.data(), value.size()}};
    CK_OBJECT_HANDLE o = 0;
    check(f->C_CreateObject(h, t, 5, &o), "C_CreateObject");
  }
  CK_ULONG find(CK_SESSION_HANDLE h, const std::string& label) {
    CK_ATTRIBUTE t[] = {{CKA_LABEL, const_cast<char*>(label.data()), label.size()}};
    check(f->C_FindObjectsInit(h, t, 1), "C_FindObjectsInit");
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;
    check(f->C_FindObjects(h, found, 2, &n), "C_FindObjects");
    check(f->C_FindObjectsFinal(h), "C_FindObjectsFinal");
    return n;
  }
};

Fixture& fixture(int n) {
  static std::map<int, std::unique_ptr<Fixture>> all;
  auto& slot = all[n];
  if (!slot) {
    all.clear();  // one module state at a time
    all[n] = std::make_unique<Fixture>(n);
    return *all[n];
  }
  return *slot;
}

void FindByLabel(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Fixture& fx = fixture(n);
  CK_SESSION_HANDLE h = fx.session();
  const std::string label = "object-" + std::to_string(n / 2);
  for (auto _ : state) {
    if (fx.find(h, label) != 1) state.SkipWithError("object not found");
  }
  fx.f->C_CloseSession(h);
}
BENCHMARK(FindByLabel)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);

void CreateTokenObject(benchmark::State& state) {
  Fixture& fx = fixture(0);
  CK_SESSION_HANDLE h = fx.session();
  int i = 0;
  for (auto _ : state) fx.create(h, "new-" + std::to_string(i++));
  fx.f->C_CloseSession(h);
}
BENCHMARK(CreateTokenObject)->Unit(benchmark::kMicrosecond);

void InitializeWithN(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  Fixture& fx = fixture(n);
  for (auto _ : state) {
    check(fx.f->C_Finalize(nullptr), "C_Finalize");
    check(fx.f->C_Initialize(nullptr), "C_Initialize");
    fx.find_slot();  // as every client does after C_Initialize
    CK_SESSION_HANDLE h = fx.session();
    if (fx.find(h, "object-0") != 1) state.SkipWithError("object not found");
    fx.f->C_CloseSession(h);
  }
}
BENCHMARK(InitializeWithN)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void LoginLogout(benchmark::State& state) {
  Fixture& fx = fixture(0);
  CK_SESSION_HANDLE h = fx.session();
  for (auto _ : state) {
    check(fx.f->C_Login(h, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(fx.pin.data()), fx.pin.size()), "C_Login");
    check(fx.f->C_Logout(h), "C_Logout");
  }
  fx.f->C_CloseSession(h);
}
BENCHMARK(LoginLogout)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
