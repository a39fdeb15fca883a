// ModuleClient: the PKCS#11 module loaded with dlopen and driven only through its function list,
// exactly as any application would use it.
//
// Ownership: ModuleClient owns the dlopen handle and the C_Initialize..C_Finalize lifetime;
// Session owns one session handle and must not outlive its ModuleClient.
// Thread safety: none needed (the tool is single-threaded).
// Errors: every failing call throws ToolError naming the CKR_ code.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"
#include "options.h"

namespace craton::tool {

// Where the module is looked for when --module is not given: the libcratonhsm.so installed next to
// the tool (<exe dir>/../<libdir>/, then <exe dir>/../lib/), then the build tree's module.
std::string default_module_path();

class ModuleClient {
 public:
  // dlopens `path`, fetches the function list (C_GetInterface, else C_GetFunctionList) and calls
  // C_Initialize.
  explicit ModuleClient(const std::string& path);
  ~ModuleClient();
  ModuleClient(const ModuleClient&) = delete;
  ModuleClient& operator=(const ModuleClient&) = delete;

  // The PKCS#11 2.x part of the table, which every interface version starts with.
  const CK_FUNCTION_LIST& fn() const { return *fn_; }

  std::vector<CK_SLOT_ID> slots() const;
  CK_SLOT_INFO slot_info(CK_SLOT_ID slot) const;
  CK_TOKEN_INFO token_info(CK_SLOT_ID slot) const;
  // C_InitToken; `label` at most 32 bytes (blank padded here).
  void init_token(CK_SLOT_ID slot, const SecureBytes& so_pin, const std::string& label) const;

 private:
  void* handle_ = nullptr;
  CK_FUNCTION_LIST* fn_ = nullptr;
  bool initialized_ = false;
};

class Session {
 public:
  Session(const ModuleClient& module, CK_SLOT_ID slot, bool rw);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // `who` names the PIN in the error message ("SO", "user").
  void login(CK_USER_TYPE user, const SecureBytes& pin, const char* who);
  void logout();
  void init_pin(const SecureBytes& pin);
  std::vector<CK_OBJECT_HANDLE> find(std::span<CK_ATTRIBUTE> tmpl);
  CK_OBJECT_HANDLE create(std::span<CK_ATTRIBUTE> tmpl, const char* what);
  // C_CreateObject returning the module's answer instead of throwing, for callers that explain
  // particular codes; `object` is set on CKR_OK.
  CK_RV try_create(std::span<CK_ATTRIBUTE> tmpl, CK_OBJECT_HANDLE& object);
  void destroy(CK_OBJECT_HANDLE object);

 private:
  const CK_FUNCTION_LIST& fn_;
  CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
  bool logged_in_ = false;
};

// Blank-padded fixed-size PKCS#11 text field → string without the trailing blanks.
std::string trim_field(const CK_UTF8CHAR* field, std::size_t size);

template <std::size_t N>
std::string trim_field(const CK_UTF8CHAR (&field)[N]) {
  return trim_field(field, N);
}

}  // namespace craton::tool
