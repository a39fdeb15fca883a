// Session management entry points (spec 5.6).
#include <mutex>

#include "abi/guard.h"
#include "abi/marshal.h"

using namespace craton;
using craton::abi::to_rv;
using craton::abi::with_library;
using craton::abi::with_session;

CRATON_EXPORT CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                                  CK_SESSION_HANDLE_PTR phSession) {
  (void)pApplication;
  (void)Notify;  // no callbacks are ever made: the module has no surrender points
  return with_library([&](token::Library& lib) -> CK_RV {
    if (phSession == nullptr) return CKR_ARGUMENTS_BAD;
    if ((flags & CKF_SERIAL_SESSION) == 0) return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    if ((flags & CKF_ASYNC_SESSION) != 0) return CKR_SESSION_ASYNC_NOT_SUPPORTED;
    auto h = lib.open_session(slotID, (flags & CKF_RW_SESSION) != 0);
    if (!h.ok()) return to_rv(h, "C_OpenSession");
    *phSession = *h;
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_CloseSession(CK_SESSION_HANDLE hSession) {
  return with_library([&](token::Library& lib) { return to_rv(lib.close_session(hSession), "C_CloseSession"); });
}

CRATON_EXPORT CK_RV C_CloseAllSessions(CK_SLOT_ID slotID) {
  return with_library([&](token::Library& lib) { return to_rv(lib.close_all_sessions(slotID), "C_CloseAllSessions"); });
}

CRATON_EXPORT CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    pInfo->slotID = s.slot();
    pInfo->state = s.state();
    pInfo->flags = CKF_SERIAL_SESSION | (s.rw() ? CKF_RW_SESSION : 0);
    pInfo->ulDeviceError = 0;
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    s.cancel(flags);
    return CKR_OK;
  });
}

namespace {
CK_RV login_common(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                   const char* fn) {
  return with_session(hSession, [&](token::Library& lib, token::Session& s) -> CK_RV {
    auto pin = abi::in_secret(pPin, ulPinLen);
    if (!pin.ok()) return pin.rv();
    if (pPin == nullptr) return CKR_ARGUMENTS_BAD;  // no protected authentication path
    return to_rv(lib.login(s, userType, *pin), fn);
  });
}
}  // namespace

CRATON_EXPORT CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen) {
  return login_common(hSession, userType, pPin, ulPinLen, "C_Login");
}

CRATON_EXPORT CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
                                CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen) {
  // The token has one user per role; the user name is validated as a buffer and otherwise ignored.
  if (pUsername == nullptr && ulUsernameLen != 0) {
    return abi::guard([&]() -> CK_RV {
      auto lib = abi::acquire();
      return lib.ok() ? CKR_ARGUMENTS_BAD : lib.rv();
    });
  }
  return login_common(hSession, userType, pPin, ulPinLen, "C_LoginUser");
}

CRATON_EXPORT CK_RV C_Logout(CK_SESSION_HANDLE hSession) {
  return with_session(hSession, [&](token::Library& lib, token::Session& s) -> CK_RV {
    return to_rv(lib.logout(s), "C_Logout");
  });
}

CRATON_EXPORT CK_RV C_GetSessionValidationFlags(CK_SESSION_HANDLE hSession, CK_SESSION_VALIDATION_FLAGS_TYPE type,
                                                CK_FLAGS_PTR pFlags) {
  return with_session(hSession, [&](token::Library&, token::Session& s) -> CK_RV {
    if (pFlags == nullptr || type != CKS_LAST_VALIDATION_OK) return CKR_ARGUMENTS_BAD;
    *pFlags = s.last_validation_flags.load(std::memory_order_relaxed);
    return CKR_OK;
  });
}

// Asynchronous sessions are not offered (C_OpenSession refuses CKF_ASYNC_SESSION), so the
// asynchronous completion functions are unsupported, as the spec allows.
CRATON_EXPORT CK_RV C_AsyncComplete(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ASYNC_DATA_PTR pResult) {
  (void)pFunctionName;
  (void)pResult;
  return with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_FUNCTION_NOT_SUPPORTED; });
}

CRATON_EXPORT CK_RV C_AsyncGetID(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG_PTR pulID) {
  (void)pFunctionName;
  (void)pulID;
  return with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_FUNCTION_NOT_SUPPORTED; });
}

CRATON_EXPORT CK_RV C_AsyncJoin(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG ulID,
                                CK_BYTE_PTR pData, CK_ULONG ulData) {
  (void)pFunctionName;
  (void)ulID;
  (void)pData;
  (void)ulData;
  return with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_FUNCTION_NOT_SUPPORTED; });
}
