#include "module_client.h"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <filesystem>

#include "tool_error.h"

namespace craton::tool {
namespace {

// The C API takes non-const pointers for inputs it never writes (PINs, labels, templates).
CK_UTF8CHAR_PTR mutable_bytes(const SecureBytes& b) { return const_cast<CK_UTF8CHAR_PTR>(b.data()); }

std::filesystem::path exe_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

// Symbols come back from dlsym as void*; converting to a function pointer needs this cast.
template <class Fn>
Fn symbol(void* handle, const char* name) {
  return reinterpret_cast<Fn>(dlsym(handle, name));
}

}  // namespace

std::string default_module_path() {
  const auto dir = exe_dir();
  if (!dir.empty()) {
    for (const char* libdir : {CRATON_INSTALL_LIBDIR, "lib"}) {
      auto candidate = dir / ".." / libdir / "libcratonhsm.so";
      std::error_code ec;
      if (std::filesystem::exists(candidate, ec)) return candidate.lexically_normal().string();
    }
  }
  return CRATON_DEFAULT_MODULE;
}

ModuleClient::ModuleClient(const std::string& path) {
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = dlerror();  // NOLINT(concurrency-mt-unsafe): glibc keeps dlerror state per thread
    throw ToolError("Could not load the PKCS#11 module " + path + ": " + (why ? why : "unknown error"));
  }
  if (auto get_interface = symbol<CK_C_GetInterface>(handle_, "C_GetInterface")) {
    CK_INTERFACE_PTR iface = nullptr;
    std::array<CK_UTF8CHAR, 8> name{'P', 'K', 'C', 'S', ' ', '1', '1', '\0'};
    if (get_interface(name.data(), nullptr, &iface, 0) == CKR_OK && iface != nullptr) {
      // Every "PKCS 11" table starts with the 2.x layout, so it can be used as a CK_FUNCTION_LIST.
      fn_ = static_cast<CK_FUNCTION_LIST*>(iface->pFunctionList);
    }
  }
  if (fn_ == nullptr) {
    auto get_list = symbol<CK_C_GetFunctionList>(handle_, "C_GetFunctionList");
    if (get_list == nullptr) {
      dlclose(handle_);
      throw ToolError("Not a PKCS#11 module (no C_GetInterface or C_GetFunctionList): " + path);
    }
    const CK_RV rv = get_list(&fn_);
    if (rv != CKR_OK || fn_ == nullptr) {
      dlclose(handle_);
      check_rv(rv == CKR_OK ? CKR_GENERAL_ERROR : rv, "C_GetFunctionList failed");
    }
  }
  const CK_RV rv = fn_->C_Initialize(nullptr);
  if (rv != CKR_OK) {
    dlclose(handle_);
    check_rv(rv, "Could not initialize the PKCS#11 module");
  }
  initialized_ = true;
}

ModuleClient::~ModuleClient() {
  if (initialized_) (void)fn_->C_Finalize(nullptr);
  if (handle_ != nullptr) dlclose(handle_);
}

std::vector<CK_SLOT_ID> ModuleClient::slots() const {
  CK_ULONG n = 0;
  check_rv(fn_->C_GetSlotList(CK_FALSE, nullptr, &n), "Could not get the slot list");
  std::vector<CK_SLOT_ID> out(n);
  check_rv(fn_->C_GetSlotList(CK_FALSE, out.data(), &n), "Could not get the slot list");
  out.resize(n);
  return out;
}

CK_SLOT_INFO ModuleClient::slot_info(CK_SLOT_ID slot) const {
  CK_SLOT_INFO info{};
  check_rv(fn_->C_GetSlotInfo(slot, &info), "Could not get info about slot " + std::to_string(slot));
  return info;
}

CK_TOKEN_INFO ModuleClient::token_info(CK_SLOT_ID slot) const {
  CK_TOKEN_INFO info{};
  check_rv(fn_->C_GetTokenInfo(slot, &info), "Could not get info about the token in slot " + std::to_string(slot));
  return info;
}

void ModuleClient::init_token(CK_SLOT_ID slot, const SecureBytes& so_pin, const std::string& label) const {
  if (label.size() > 32) throw ToolError("The label is longer than 32 bytes");
  std::array<CK_UTF8CHAR, 32> label32{};
  label32.fill(' ');
  std::copy(label.begin(), label.end(), label32.begin());
  check_rv(fn_->C_InitToken(slot, mutable_bytes(so_pin), so_pin.size(), label32.data()),
           "Could not initialize the token in slot " + std::to_string(slot));
}

Session::Session(const ModuleClient& module, CK_SLOT_ID slot, bool rw) : fn_(module.fn()) {
  const CK_FLAGS flags = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);
  check_rv(fn_.C_OpenSession(slot, flags, nullptr, nullptr, &handle_),
           "Could not open a session on slot " + std::to_string(slot));
}

Session::~Session() {
  if (logged_in_) (void)fn_.C_Logout(handle_);
  (void)fn_.C_CloseSession(handle_);
}

void Session::login(CK_USER_TYPE user, const SecureBytes& pin, const char* who) {
  check_rv(fn_.C_Login(handle_, user, mutable_bytes(pin), pin.size()),
           std::string("Could not log in with the ") + who + " PIN");
  logged_in_ = true;
}

void Session::logout() {
  check_rv(fn_.C_Logout(handle_), "Could not log out");
  logged_in_ = false;
}

void Session::init_pin(const SecureBytes& pin) {
  check_rv(fn_.C_InitPIN(handle_, mutable_bytes(pin), pin.size()), "Could not set the user PIN");
}

std::vector<CK_OBJECT_HANDLE> Session::find(std::span<CK_ATTRIBUTE> tmpl) {
  check_rv(fn_.C_FindObjectsInit(handle_, tmpl.data(), tmpl.size()), "Could not search the token");
  std::vector<CK_OBJECT_HANDLE> found;
  std::array<CK_OBJECT_HANDLE, 32> batch{};
  for (;;) {
    CK_ULONG n = 0;
    const CK_RV rv = fn_.C_FindObjects(handle_, batch.data(), batch.size(), &n);
    if (rv != CKR_OK) {
      (void)fn_.C_FindObjectsFinal(handle_);
      check_rv(rv, "Could not search the token");
    }
    found.insert(found.end(), batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n));
    if (n < batch.size()) break;
  }
  check_rv(fn_.C_FindObjectsFinal(handle_), "Could not search the token");
  return found;
}

CK_OBJECT_HANDLE Session::create(std::span<CK_ATTRIBUTE> tmpl, const char* what) {
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  check_rv(try_create(tmpl, h), std::string("Could not create the ") + what);
  return h;
}

CK_RV Session::try_create(std::span<CK_ATTRIBUTE> tmpl, CK_OBJECT_HANDLE& object) {
  return fn_.C_CreateObject(handle_, tmpl.data(), tmpl.size(), &object);
}

void Session::destroy(CK_OBJECT_HANDLE object) {
  check_rv(fn_.C_DestroyObject(handle_, object), "Could not delete an object");
}

std::string trim_field(const CK_UTF8CHAR* field, std::size_t size) {
  std::string s(field, field + size);
  const auto end = s.find_last_not_of(std::string_view(" \0", 2));  // some modules pad with NUL
  s.erase(end == std::string::npos ? 0 : end + 1);
  return s;
}

}  // namespace craton::tool
