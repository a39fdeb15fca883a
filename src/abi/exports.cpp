// Function tables and the interface discovery entry points (spec 5.4).
//
// Three static tables share the same function pointers: {2,40} (68 entries), {3,0} (92) and
// {3,2} (104). Each table's version field describes its own layout, so a caller that trusts the
// label never reads past the end. C_GetFunctionList returns the 2.40 table; the default
// "PKCS 11" interface is 3.2, matching C_GetInfo's cryptokiVersion.
#include <cstring>

#include "abi/guard.h"

using namespace craton;

namespace {

// Entry-point order of the published pkcs11f.h (PKCS11-FACTS §2.2); each list extends the last.
#define CRATON_FUNCTIONS_2_40(X) \
  X(C_Initialize) \
  X(C_Finalize) \
  X(C_GetInfo) \
  X(C_GetFunctionList) \
  X(C_GetSlotList) \
  X(C_GetSlotInfo) \
  X(C_GetTokenInfo) \
  X(C_GetMechanismList) \
  X(C_GetMechanismInfo) \
  X(C_InitToken) \
  X(C_InitPIN) \
  X(C_SetPIN) \
  X(C_OpenSession) \
  X(C_CloseSession) \
  X(C_CloseAllSessions) \
  X(C_GetSessionInfo) \
  X(C_GetOperationState) \
  X(C_SetOperationState) \
  X(C_Login) \
  X(C_Logout) \
  X(C_CreateObject) \
  X(C_CopyObject) \
  X(C_DestroyObject) \
  X(C_GetObjectSize) \
  X(C_GetAttributeValue) \
  X(C_SetAttributeValue) \
  X(C_FindObjectsInit) \
  X(C_FindObjects) \
  X(C_FindObjectsFinal) \
  X(C_EncryptInit) \
  X(C_Encrypt) \
  X(C_EncryptUpdate) \
  X(C_EncryptFinal) \
  X(C_DecryptInit) \
  X(C_Decrypt) \
  X(C_DecryptUpdate) \
  X(C_DecryptFinal) \
  X(C_DigestInit) \
  X(C_Digest) \
  X(C_DigestUpdate) \
  X(C_DigestKey) \
  X(C_DigestFinal) \
  X(C_SignInit) \
  X(C_Sign) \
  X(C_SignUpdate) \
  X(C_SignFinal) \
  X(C_SignRecoverInit) \
  X(C_SignRecover) \
  X(C_VerifyInit) \
  X(C_Verify) \
  X(C_VerifyUpdate) \
  X(C_VerifyFinal) \
  X(C_VerifyRecoverInit) \
  X(C_VerifyRecover) \
  X(C_DigestEncryptUpdate) \
  X(C_DecryptDigestUpdate) \
  X(C_SignEncryptUpdate) \
  X(C_DecryptVerifyUpdate) \
  X(C_GenerateKey) \
  X(C_GenerateKeyPair) \
  X(C_WrapKey) \
  X(C_UnwrapKey) \
  X(C_DeriveKey) \
  X(C_SeedRandom) \
  X(C_GenerateRandom) \
  X(C_GetFunctionStatus) \
  X(C_CancelFunction) \
  X(C_WaitForSlotEvent)
#define CRATON_FUNCTIONS_3_0_ADDED(X) \
  X(C_GetInterfaceList) \
  X(C_GetInterface) \
  X(C_LoginUser) \
  X(C_SessionCancel) \
  X(C_MessageEncryptInit) \
  X(C_EncryptMessage) \
  X(C_EncryptMessageBegin) \
  X(C_EncryptMessageNext) \
  X(C_MessageEncryptFinal) \
  X(C_MessageDecryptInit) \
  X(C_DecryptMessage) \
  X(C_DecryptMessageBegin) \
  X(C_DecryptMessageNext) \
  X(C_MessageDecryptFinal) \
  X(C_MessageSignInit) \
  X(C_SignMessage) \
  X(C_SignMessageBegin) \
  X(C_SignMessageNext) \
  X(C_MessageSignFinal) \
  X(C_MessageVerifyInit) \
  X(C_VerifyMessage) \
  X(C_VerifyMessageBegin) \
  X(C_VerifyMessageNext) \
  X(C_MessageVerifyFinal)
#define CRATON_FUNCTIONS_3_2_ADDED(X) \
  X(C_EncapsulateKey) \
  X(C_DecapsulateKey) \
  X(C_VerifySignatureInit) \
  X(C_VerifySignature) \
  X(C_VerifySignatureUpdate) \
  X(C_VerifySignatureFinal) \
  X(C_GetSessionValidationFlags) \
  X(C_AsyncComplete) \
  X(C_AsyncGetID) \
  X(C_AsyncJoin) \
  X(C_WrapKeyAuthenticated) \
  X(C_UnwrapKeyAuthenticated)
#define CRATON_ENTRY(name) name,

constexpr CK_FUNCTION_LIST kList240 = {{2, 40}, CRATON_FUNCTIONS_2_40(CRATON_ENTRY)};
constexpr CK_FUNCTION_LIST_3_0 kList30 = {{3, 0}, CRATON_FUNCTIONS_2_40(CRATON_ENTRY) CRATON_FUNCTIONS_3_0_ADDED(CRATON_ENTRY)};
constexpr CK_FUNCTION_LIST_3_2 kList32 = {{3, 2},
                                         CRATON_FUNCTIONS_2_40(CRATON_ENTRY) CRATON_FUNCTIONS_3_0_ADDED(CRATON_ENTRY)
                                             CRATON_FUNCTIONS_3_2_ADDED(CRATON_ENTRY)};
#undef CRATON_ENTRY

CK_UTF8CHAR kInterfaceName[] = {'P', 'K', 'C', 'S', ' ', '1', '1', '\0'};

// Interfaces hand out non-const pointers (the C API has no const), but the tables are never written.
CK_INTERFACE kInterfaces[] = {
    {kInterfaceName, const_cast<CK_FUNCTION_LIST_3_2*>(&kList32), 0},
    {kInterfaceName, const_cast<CK_FUNCTION_LIST_3_0*>(&kList30), 0},
    {kInterfaceName, const_cast<CK_FUNCTION_LIST*>(&kList240), 0},
};
constexpr CK_ULONG kInterfaceCount = sizeof(kInterfaces) / sizeof(kInterfaces[0]);

const CK_VERSION& version_of(const CK_INTERFACE& i) { return *static_cast<const CK_VERSION*>(i.pFunctionList); }

bool name_matches(const CK_UTF8CHAR* wanted, const CK_INTERFACE& i) {
  if (wanted == nullptr) return true;  // NULL: the default interface
  const char* a = reinterpret_cast<const char*>(wanted);
  const char* b = reinterpret_cast<const char*>(i.pInterfaceName);
  return std::strcmp(a, b) == 0;
}

}  // namespace

CRATON_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList) {
  return abi::guard([&]() -> CK_RV {
    if (ppFunctionList == nullptr) return CKR_ARGUMENTS_BAD;
    *ppFunctionList = const_cast<CK_FUNCTION_LIST*>(&kList240);
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount) {
  return abi::guard([&]() -> CK_RV {
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    if (pInterfacesList == nullptr) {
      *pulCount = kInterfaceCount;
      return CKR_OK;
    }
    if (*pulCount < kInterfaceCount) {
      *pulCount = kInterfaceCount;
      return CKR_BUFFER_TOO_SMALL;
    }
    for (CK_ULONG i = 0; i < kInterfaceCount; ++i) pInterfacesList[i] = kInterfaces[i];
    *pulCount = kInterfaceCount;
    return CKR_OK;
  });
}

// Interfaces are listed default-first, so the first match is the answer. No match (unknown name,
// version or flags we cannot honour) is CKR_ARGUMENTS_BAD: NSS probes exactly that.
CRATON_EXPORT CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion,
                                   CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags) {
  return abi::guard([&]() -> CK_RV {
    if (ppInterface == nullptr) return CKR_ARGUMENTS_BAD;
    for (CK_INTERFACE& i : kInterfaces) {
      if (!name_matches(pInterfaceName, i)) continue;
      const CK_VERSION& v = version_of(i);
      if (pVersion != nullptr && (pVersion->major != v.major || pVersion->minor != v.minor)) continue;
      if ((i.flags & flags) != flags) continue;
      *ppInterface = &i;
      return CKR_OK;
    }
    return CKR_ARGUMENTS_BAD;
  });
}
