// General-purpose, slot and token management entry points (spec 5.4 - 5.6).
#include <vector>

#include "abi/audit_hooks.h"
#include "abi/guard.h"
#include "abi/marshal.h"
#include "abi/op_helpers.h"
#include "mech/registry.h"

using namespace craton;
using craton::abi::guard;
using craton::abi::to_rv;
using craton::abi::with_library;
using craton::abi::with_session;

CRATON_EXPORT CK_RV C_Initialize(CK_VOID_PTR pInitArgs) {
  return guard([&] { return abi::initialize(static_cast<const CK_C_INITIALIZE_ARGS*>(pInitArgs)); });
}

CRATON_EXPORT CK_RV C_Finalize(CK_VOID_PTR pReserved) {
  return guard([&]() -> CK_RV {
    if (pReserved != nullptr) return CKR_ARGUMENTS_BAD;
    return abi::finalize();
  });
}

CRATON_EXPORT CK_RV C_GetInfo(CK_INFO_PTR pInfo) {
  return with_library([&](token::Library&) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    *pInfo = CK_INFO{};
    pInfo->cryptokiVersion = CK_VERSION{3, 2};
    abi::blank_copy(pInfo->manufacturerID, "Craton HSM Project");
    abi::blank_copy(pInfo->libraryDescription, "Craton HSM PKCS#11 module");
    pInfo->flags = 0;
    pInfo->libraryVersion = CK_VERSION{CRATON_VERSION_MAJOR, CRATON_VERSION_MINOR};
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount) {
  (void)tokenPresent;  // every slot holds a token (the free slot an uninitialised one)
  return with_library([&](token::Library& lib) -> CK_RV {
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    auto slots = lib.slot_list();
    if (!slots.ok()) return to_rv(slots, "C_GetSlotList");
    return abi::out_ulongs(*slots, pSlotList, pulCount);
  });
}

CRATON_EXPORT CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo) {
  return with_library([&](token::Library& lib) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    auto info = lib.slot_info(slotID);
    if (!info.ok()) return to_rv(info, "C_GetSlotInfo");
    *pInfo = *info;
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo) {
  return with_library([&](token::Library& lib) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    auto info = lib.token_info(slotID);
    if (!info.ok()) return to_rv(info, "C_GetTokenInfo");
    *pInfo = *info;
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList, CK_ULONG_PTR pulCount) {
  return with_library([&](token::Library& lib) -> CK_RV {
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    if (auto s = lib.check_slot(slotID); !s.ok()) return to_rv(s, "C_GetMechanismList");
    std::vector<CK_MECHANISM_TYPE> list;
    for (const auto& m : mech::all_mechanisms()) {
      if (abi::mechanism_offered(lib, m.type)) list.push_back(m.type);
    }
    return abi::out_ulongs(list, pMechanismList, pulCount);
  });
}

CRATON_EXPORT CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo) {
  return with_library([&](token::Library& lib) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    if (auto s = lib.check_slot(slotID); !s.ok()) return to_rv(s, "C_GetMechanismInfo");
    const mech::Registration* m = mech::find_mechanism(type);
    if (m == nullptr || !abi::mechanism_offered(lib, type)) return CKR_MECHANISM_INVALID;
    *pInfo = abi::offered_info(lib, *m);
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel) {
  return with_library([&](token::Library& lib) -> CK_RV {
    if (pPin == nullptr || pLabel == nullptr) return CKR_ARGUMENTS_BAD;
    auto pin = abi::in_secret(pPin, ulPinLen);
    if (!pin.ok()) return pin.rv();
    const std::span<const std::uint8_t> label(pLabel, 32);  // spec: exactly 32 bytes, blank padded
    return to_rv(lib.init_token(slotID, *pin, label), "C_InitToken");
  });
}

CRATON_EXPORT CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen) {
  return with_session(hSession, abi::audited("C_InitPIN", nullptr, abi::AuditSubject::none(),
      [&](token::Library&, token::Session& s) -> CK_RV {
    auto pin = abi::in_secret(pPin, ulPinLen);
    if (!pin.ok()) return pin.rv();
    if (s.state() != CKS_RW_SO_FUNCTIONS) return CKR_USER_NOT_LOGGED_IN;
    return to_rv(s.token()->init_user_pin(*pin), "C_InitPIN");
  }));
}

CRATON_EXPORT CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
                             CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen) {
  return with_session(hSession, abi::audited("C_SetPIN", nullptr, abi::AuditSubject::none(),
      [&](token::Library&, token::Session& s) -> CK_RV {
    auto old_pin = abi::in_secret(pOldPin, ulOldLen);
    if (!old_pin.ok()) return old_pin.rv();
    auto new_pin = abi::in_secret(pNewPin, ulNewLen);
    if (!new_pin.ok()) return new_pin.rv();
    if (!s.rw()) return CKR_SESSION_READ_ONLY;
    return to_rv(s.token()->set_pin(*old_pin, *new_pin), "C_SetPIN");
  }));
}

CRATON_EXPORT CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved) {
  return with_library([&](token::Library&) -> CK_RV {
    if (pSlot == nullptr || pReserved != nullptr) return CKR_ARGUMENTS_BAD;
    // Slots never change state on their own (no removable hardware), so there is never an event.
    if ((flags & CKF_DONT_BLOCK) != 0) return CKR_NO_EVENT;
    return CKR_FUNCTION_NOT_SUPPORTED;
  });
}

CRATON_EXPORT CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession) {
  return with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_FUNCTION_NOT_PARALLEL; });
}

CRATON_EXPORT CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession) {
  return with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_FUNCTION_NOT_PARALLEL; });
}
