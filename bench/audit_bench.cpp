// Cost of the audit log on the crypto path (docs/AUDIT.md, "Performance"): C_SignInit + C_Sign
// with HMAC-SHA-256 (a ~2 us operation, so the audit share shows) and ECDSA P-256, with auditing
// off and with audit.sync = off / batch / every, from 1 and 4 concurrent sessions.
//
//   ./bench/craton_audit_bench --benchmark_min_time=0.5
//
// Each setting runs on a fresh token directory (the module is re-initialised with a new
// configuration when the setting changes).
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "craton/pkcs11/pkcs11.h"

namespace {

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: " + std::to_string(rv));
}

const char* const kSettings[] = {"audit.enabled = false", "audit.sync = off", "audit.sync = batch",
                                 "audit.sync = every"};

class Env {
 public:
  static Env& get() {
    static Env e;
    return e;
  }

  // Re-initialises the module for setting `s` unless it is already active.
  void use(int s) {
    std::lock_guard lock(mu_);
    if (s == current_) return;
    if (current_ >= 0) {
      check(f_->C_Finalize(nullptr), "C_Finalize");
      std::filesystem::remove_all(dir_);
    }
    char tmpl[] = "/tmp/craton-audit-bench-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    std::ofstream(dir_ + "/c.conf") << "directories.tokendir = " << dir_ << "/tokens\n"
                                    << "pin.kdf_iterations = 1000\nlog.level = ERROR\n"
                                    << kSettings[s] << "\n";
    ::setenv("CRATON_HSM_CONF", (dir_ + "/c.conf").c_str(), 1);
    check(f_->C_Initialize(nullptr), "C_Initialize");
    make_token();
    current_ = s;
  }

  CK_SESSION_HANDLE open() {
    CK_SESSION_HANDLE h = 0;
    check(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), "C_OpenSession");
    return h;
  }
  // Finalizes before exit: a static destructor would run after libcrypto's exit-time cleanup.
  void shutdown() {
    std::lock_guard lock(mu_);
    if (current_ >= 0) f_->C_Finalize(nullptr);
    current_ = -1;
    std::filesystem::remove_all(dir_);
  }
  CK_FUNCTION_LIST* f() const { return f_; }
  CK_OBJECT_HANDLE hmac_key() const { return hmac_; }
  CK_OBJECT_HANDLE ec_key() const { return ec_; }

 private:
  Env() {
    void* h = ::dlopen(CRATON_MODULE_PATH, RTLD_NOW);
    if (h == nullptr) throw std::runtime_error(::dlerror());
    auto gfl = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(h, "C_GetFunctionList"));
    check(gfl(&f_), "C_GetFunctionList");
  }

  void make_token() {
    CK_ULONG n = 0;
    check(f_->C_GetSlotList(CK_FALSE, nullptr, &n), "C_GetSlotList");
    std::vector<CK_SLOT_ID> slots(n);
    check(f_->C_GetSlotList(CK_FALSE, slots.data(), &n), "C_GetSlotList");
    slot_ = slots.back();
    std::string so = "so-pin-1", user = "user-pin";
    std::vector<CK_UTF8CHAR> label(32, ' ');
    check(f_->C_InitToken(slot_, pin(so), so.size(), label.data()), "C_InitToken");
    CK_SESSION_HANDLE s = open();
    check(f_->C_Login(s, CKU_SO, pin(so), so.size()), "C_Login SO");
    check(f_->C_InitPIN(s, pin(user), user.size()), "C_InitPIN");
    check(f_->C_Logout(s), "C_Logout");
    check(f_->C_Login(s, CKU_USER, pin(user), user.size()), "C_Login");  // stays open: keeps the login
    CK_MECHANISM gen{CKM_GENERIC_SECRET_KEY_GEN, nullptr, 0};
    CK_ULONG len = 32;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = {{CKA_VALUE_LEN, &len, sizeof len}, {CKA_SIGN, &yes, 1}};
    check(f_->C_GenerateKey(s, &gen, t, 2, &hmac_), "C_GenerateKey");
    CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    CK_ATTRIBUTE pub[] = {{CKA_EC_PARAMS, p256, sizeof p256}};
    CK_ATTRIBUTE priv[] = {{CKA_SIGN, &yes, 1}};
    CK_MECHANISM kp{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
    CK_OBJECT_HANDLE hpub = 0;
    check(f_->C_GenerateKeyPair(s, &kp, pub, 1, priv, 1, &hpub, &ec_), "C_GenerateKeyPair");
  }
  static CK_UTF8CHAR_PTR pin(std::string& s) { return reinterpret_cast<CK_UTF8CHAR_PTR>(s.data()); }

  std::mutex mu_;
  int current_ = -1;
  std::string dir_;
  CK_FUNCTION_LIST* f_ = nullptr;
  CK_SLOT_ID slot_ = 0;
  CK_OBJECT_HANDLE hmac_ = 0, ec_ = 0;
};

void sign_loop(benchmark::State& state, CK_MECHANISM_TYPE mech, bool ec) {
  Env& env = Env::get();
  env.use(static_cast<int>(state.range(0)));
  CK_FUNCTION_LIST* f = env.f();
  const CK_SESSION_HANDLE s = env.open();
  CK_MECHANISM m{mech, nullptr, 0};
  std::vector<CK_BYTE> data(32, 0x42), sig(128);
  for (auto _ : state) {
    CK_ULONG len = sig.size();
    if (f->C_SignInit(s, &m, ec ? env.ec_key() : env.hmac_key()) != CKR_OK ||
        f->C_Sign(s, data.data(), data.size(), sig.data(), &len) != CKR_OK) {
      state.SkipWithError("sign failed");
      break;
    }
  }
  f->C_CloseSession(s);
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(kSettings[state.range(0)]);
}

void BM_HmacSign(benchmark::State& state) { sign_loop(state, CKM_SHA256_HMAC, false); }
void BM_EcdsaSign(benchmark::State& state) { sign_loop(state, CKM_ECDSA, true); }

}  // namespace

BENCHMARK(BM_HmacSign)->DenseRange(0, 3)->Threads(1)->Threads(4)->UseRealTime();
BENCHMARK(BM_EcdsaSign)->DenseRange(0, 3)->Threads(1)->Threads(4)->UseRealTime();
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  Env::get().shutdown();
  return 0;
}
