#include "module.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace craton::bench {

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: CKR 0x" + [rv] {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%lx", rv);
    return std::string(buf);
  }());
}

namespace {
CK_UTF8CHAR_PTR utf8(std::string& s) { return reinterpret_cast<CK_UTF8CHAR_PTR>(s.data()); }
std::string trimmed(const CK_UTF8CHAR* p, std::size_t n) {
  std::string s(reinterpret_cast<const char*>(p), n);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}
}  // namespace

Module::Module(std::string name, const std::string& path, std::string extra_config)
    : name_(std::move(name)), extra_config_(std::move(extra_config)) {
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) throw std::runtime_error(std::string("cannot load ") + path + ": " + dlerror());
  auto gfl = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle_, "C_GetFunctionList"));
  if (gfl == nullptr || gfl(&f) != CKR_OK) throw std::runtime_error(path + ": C_GetFunctionList failed");
  if (auto gi = reinterpret_cast<CK_C_GetInterface>(dlsym(handle_, "C_GetInterface"))) {
    auto* iface_name = reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>("PKCS 11"));
    CK_VERSION v30{3, 0};
    CK_VERSION v32{3, 2};
    CK_INTERFACE_PTR iface = nullptr;
    if (gi(iface_name, &v30, &iface, 0) == CKR_OK) f3 = static_cast<CK_FUNCTION_LIST_3_0*>(iface->pFunctionList);
    if (gi(iface_name, &v32, &iface, 0) == CKR_OK) f32 = static_cast<CK_FUNCTION_LIST_3_2*>(iface->pFunctionList);
  }
}

Module::~Module() {
  if (initialized_) f->C_Finalize(nullptr);
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
  // The module stays loaded: some modules leave threads or atexit handlers behind.
}

std::string Module::describe() {
  std::lock_guard lock(mu_);
  if (!initialized_) restart();
  CK_INFO info{};
  check(f->C_GetInfo(&info), "C_GetInfo");
  return trimmed(info.manufacturerID, sizeof info.manufacturerID) + " " +
         trimmed(info.libraryDescription, sizeof info.libraryDescription) + " " +
         std::to_string(info.libraryVersion.major) + "." + std::to_string(info.libraryVersion.minor);
}

void Module::write_config() {
  std::ofstream(dir_ + "/module.conf") << "directories.tokendir = " << dir_ << "/tokens\n"
                                       << "objectstore.backend = file\n"
                                       << "log.level = ERROR\n"
                                       << "pin.kdf_iterations = 10000\n"
                                       << extra_config_ << "\n";
}

void Module::point_env_at_config() {
  // Craton HSM reads CRATON_HSM_CONF, SoftHSMv2 SOFTHSM2_CONF; each module runs in its own
  // process (main.cpp), so setting both is safe.
  setenv("CRATON_HSM_CONF", (dir_ + "/module.conf").c_str(), 1);
  setenv("SOFTHSM2_CONF", (dir_ + "/module.conf").c_str(), 1);
}

void Module::finalize() {
  std::lock_guard lock(mu_);
  if (initialized_) check(f->C_Finalize(nullptr), "C_Finalize");
  initialized_ = false;
}

void Module::initialize() {
  std::lock_guard lock(mu_);
  point_env_at_config();
  // Threads share the module (the throughput rows): ask for the module's own locking, as every
  // multi-threaded client must (SoftHSMv2 takes no locks otherwise).
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  check(f->C_Initialize(&args), "C_Initialize");
  initialized_ = true;
  slot_ = find_token_slot();
}

CK_SLOT_ID Module::find_token_slot() {
  CK_ULONG n = 0;
  check(f->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(n);
  check(f->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
  slots.resize(n);
  for (CK_SLOT_ID s : slots) {
    CK_TOKEN_INFO ti{};
    if (f->C_GetTokenInfo(s, &ti) == CKR_OK && (ti.flags & CKF_TOKEN_INITIALIZED) != 0) return s;
  }
  if (slots.empty()) throw std::runtime_error(name_ + ": no slot");
  return slots.back();  // only uninitialised tokens: the one to initialise
}

void Module::restart() {
  if (initialized_) finalize();
  keys_.clear();
  state_ = -2;
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
  char tmpl[] = "/tmp/craton-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::filesystem::create_directories(dir_ + "/tokens");
  write_config();
  initialize();
  std::string so = "12345678";
  std::vector<CK_UTF8CHAR> label(32, ' ');
  const char* text = "bench";
  std::copy(text, text + 5, label.begin());
  check(f->C_InitToken(slot_, utf8(so), so.size(), label.data()), "C_InitToken");
  slot_ = find_token_slot();  // SoftHSMv2 moves an initialised token to a new slot
  CK_SESSION_HANDLE s = open_session();
  check(f->C_Login(s, CKU_SO, utf8(so), so.size()), "C_Login(SO)");
  check(f->C_InitPIN(s, utf8(pin_), pin_.size()), "C_InitPIN");
  check(f->C_Logout(s), "C_Logout");
  check(f->C_CloseSession(s), "C_CloseSession");
  login_session_ = 0;
}

CK_SESSION_HANDLE Module::open_session() {
  CK_SESSION_HANDLE h = 0;
  check(f->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &h), "C_OpenSession");
  return h;
}

bool Module::offers(CK_MECHANISM_TYPE mech) {
  use_keys();
  CK_MECHANISM_INFO info{};
  return f->C_GetMechanismInfo(slot_, mech, &info) == CKR_OK;
}

void Module::use_keys() {
  std::lock_guard lock(mu_);
  if (state_ == -1) return;
  restart();
  login_session_ = open_session();
  check(f->C_Login(login_session_, CKU_USER, utf8(pin_), pin_.size()), "C_Login");
  state_ = -1;
}

void Module::create_data_object(CK_SESSION_HANDLE s, const std::string& label) {
  CK_OBJECT_CLASS cls = CKO_DATA;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  static const char value[] = "benchmark payload";
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls},
                      {CKA_TOKEN, &yes, sizeof yes},
                      {CKA_PRIVATE, &no, sizeof no},  // SoftHSMv2 would default to private
                      {CKA_LABEL, const_cast<char*>(label.data()), label.size()},
                      {CKA_VALUE, const_cast<char*>(value), sizeof value - 1}};
  CK_OBJECT_HANDLE o = 0;
  check(f->C_CreateObject(s, t, 5, &o), "C_CreateObject");
}

std::chrono::nanoseconds Module::use_objects(long n, bool fresh) {
  std::lock_guard lock(mu_);
  if (state_ == n && !fresh) return std::chrono::nanoseconds(0);
  restart();
  CK_SESSION_HANDLE s = open_session();
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) create_data_object(s, "object-" + std::to_string(i));
  const auto spent = std::chrono::steady_clock::now() - start;
  check(f->C_CloseSession(s), "C_CloseSession");
  state_ = n;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(spent);
}

KeyPair Module::key_pair(const std::string& name, CK_MECHANISM_TYPE mech, std::vector<CK_ATTRIBUTE> pub,
                         std::vector<CK_ATTRIBUTE> priv) {
  std::lock_guard lock(mu_);
  use_keys();
  if (auto it = keys_.find(name); it != keys_.end()) return it->second;
  CK_MECHANISM m{mech, nullptr, 0};
  KeyPair kp;
  check(f->C_GenerateKeyPair(login_session_, &m, pub.data(), pub.size(), priv.data(), priv.size(), &kp.pub,
                             &kp.priv),
        (name + " key pair").c_str());
  keys_[name] = kp;
  return kp;
}

CK_OBJECT_HANDLE Module::secret_key(const std::string& name, CK_MECHANISM_TYPE mech, std::vector<CK_ATTRIBUTE> tmpl) {
  std::lock_guard lock(mu_);
  use_keys();
  if (auto it = keys_.find(name); it != keys_.end()) return it->second.priv;
  CK_MECHANISM m{mech, nullptr, 0};
  KeyPair kp;
  check(f->C_GenerateKey(login_session_, &m, tmpl.data(), tmpl.size(), &kp.priv), (name + " key").c_str());
  keys_[name] = kp;
  return kp.priv;
}

}  // namespace craton::bench
