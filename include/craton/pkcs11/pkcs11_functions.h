/*
 * Craton HSM - PKCS#11 3.2 interface, part 3 of 6: functions.
 *
 * Written for Craton HSM from the OASIS PKCS#11 3.2 specification text. Do not include this file
 * directly; include <craton/pkcs11/pkcs11.h>.
 *
 * For every Cryptoki function C_Xxx this file provides
 *   - the prototype `CK_RV C_Xxx(...)`, exported by a module that implements it, and
 *   - the pointer type `CK_C_Xxx`, used by callers that load a module dynamically.
 * The three function tables follow. Each is a prefix of the next, so one set of pointers can fill all
 * three: CK_FUNCTION_LIST (2.40, 68 entries), CK_FUNCTION_LIST_3_0 (92), CK_FUNCTION_LIST_3_2 (104).
 * A table's `version` member must describe the layout it actually has.
 *
 * Unless stated otherwise, an output buffer follows the size-query convention: a NULL buffer returns
 * the required length in the length argument; a buffer that is too small returns CKR_BUFFER_TOO_SMALL
 * together with the required length.
 */
#ifndef CRATON_PKCS11_PKCS11_FUNCTIONS_H
#define CRATON_PKCS11_PKCS11_FUNCTIONS_H

#include "pkcs11_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------------
 * Function prototypes
 * ---------------------------------------------------------------------------------------------- */

/* General-purpose functions */
CK_RV C_Initialize(CK_VOID_PTR pInitArgs);
CK_RV C_Finalize(CK_VOID_PTR pReserved);
CK_RV C_GetInfo(CK_INFO_PTR pInfo);
CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList);

/* Slot and token management */
CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount);
CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo);
CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo);
CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList, CK_ULONG_PTR pulCount);
CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo);
CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel);
CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen);
CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
               CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen);

/* Session management */
CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                    CK_SESSION_HANDLE_PTR phSession);
CK_RV C_CloseSession(CK_SESSION_HANDLE hSession);
CK_RV C_CloseAllSessions(CK_SLOT_ID slotID);
CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo);
CK_RV C_GetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                          CK_ULONG_PTR pulOperationStateLen);
CK_RV C_SetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                          CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,
                          CK_OBJECT_HANDLE hAuthenticationKey);
CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen);
CK_RV C_Logout(CK_SESSION_HANDLE hSession);

/* Object management */
CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                     CK_OBJECT_HANDLE_PTR phObject);
CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject);
CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject);
CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize);
CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount);
CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount);
CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount);
CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject, CK_ULONG ulMaxObjectCount,
                    CK_ULONG_PTR pulObjectCount);
CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession);

/* Encryption */
CK_RV C_EncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                CK_BYTE_PTR pEncryptedData, CK_ULONG_PTR pulEncryptedDataLen);
CK_RV C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                      CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen);
CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastEncryptedPart,
                     CK_ULONG_PTR pulLastEncryptedPartLen);

/* Decryption */
CK_RV C_DecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_Decrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData, CK_ULONG ulEncryptedDataLen,
                CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen);
CK_RV C_DecryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart, CK_ULONG ulEncryptedPartLen,
                      CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen);
CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart, CK_ULONG_PTR pulLastPartLen);

/* Message digesting */
CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism);
CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
               CK_ULONG_PTR pulDigestLen);
CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey);
CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen);

/* Signing and MACing */
CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
             CK_ULONG_PTR pulSignatureLen);
CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);
CK_RV C_SignRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_SignRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                    CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);

/* Verifying signatures and MACs */
CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
               CK_ULONG ulSignatureLen);
CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_VerifyRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen,
                      CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen);

/* Dual-function cryptographic operations */
CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                            CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen);
CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                            CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen);
CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                          CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen);
CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                            CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen);

/* Key management */
CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pTemplate,
                    CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey);
CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                        CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
                        CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
                        CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey);
CK_RV C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hWrappingKey,
                CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen);
CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hUnwrappingKey,
                  CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                  CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey);
CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hBaseKey,
                  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey);

/* Random number generation */
CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen);
CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR RandomData, CK_ULONG ulRandomLen);

/* Legacy parallel-function management (always CKR_FUNCTION_NOT_PARALLEL) */
CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession);
CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession);

/* Slot events */
CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved);

/* ===== Added in PKCS#11 3.0 ===== */

/* Interfaces (3.0) */
CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount);
CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion,
                     CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags);

/* Login with user name, session cancel (3.0) */
CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
                  CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen);
CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags);

/* Message-based encryption (3.0) */
CK_RV C_MessageEncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_EncryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                       CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen);
CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                            CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen);
CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                           CK_BYTE_PTR pPlaintextPart, CK_ULONG ulPlaintextPartLen,
                           CK_BYTE_PTR pCiphertextPart, CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags);
CK_RV C_MessageEncryptFinal(CK_SESSION_HANDLE hSession);

/* Message-based decryption (3.0) */
CK_RV C_MessageDecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_DecryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                       CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext, CK_ULONG_PTR pulPlaintextLen);
CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                            CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen);
CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                           CK_BYTE_PTR pCiphertextPart, CK_ULONG ulCiphertextPartLen,
                           CK_BYTE_PTR pPlaintextPart, CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags);
CK_RV C_MessageDecryptFinal(CK_SESSION_HANDLE hSession);

/* Message-based signing and MACing (3.0) */
CK_RV C_MessageSignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                    CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                    CK_ULONG_PTR pulSignatureLen);
CK_RV C_SignMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen);
CK_RV C_SignMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                        CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                        CK_ULONG_PTR pulSignatureLen);
CK_RV C_MessageSignFinal(CK_SESSION_HANDLE hSession);

/* Message-based verification (3.0) */
CK_RV C_MessageVerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_VerifyMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                      CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                      CK_ULONG ulSignatureLen);
CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen);
CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                          CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                          CK_ULONG ulSignatureLen);
CK_RV C_MessageVerifyFinal(CK_SESSION_HANDLE hSession);

/* ===== Added in PKCS#11 3.2 ===== */

/* Key encapsulation (3.2) */
CK_RV C_EncapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                       CK_OBJECT_HANDLE hPublicKey, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
                       CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey);
CK_RV C_DecapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                       CK_OBJECT_HANDLE hPrivateKey, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
                       CK_BYTE_PTR pCiphertext, CK_ULONG ulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey);

/* Verification with the signature supplied up front (3.2) */
CK_RV C_VerifySignatureInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey,
                            CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
CK_RV C_VerifySignature(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen);
CK_RV C_VerifySignatureUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
CK_RV C_VerifySignatureFinal(CK_SESSION_HANDLE hSession);

/* Validation status (3.2) */
CK_RV C_GetSessionValidationFlags(CK_SESSION_HANDLE hSession, CK_SESSION_VALIDATION_FLAGS_TYPE type,
                                  CK_FLAGS_PTR pFlags);

/* Asynchronous operations (3.2) */
CK_RV C_AsyncComplete(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ASYNC_DATA_PTR pResult);
CK_RV C_AsyncGetID(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG_PTR pulID);
CK_RV C_AsyncJoin(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG ulID,
                  CK_BYTE_PTR pData, CK_ULONG ulData);

/* Authenticated key wrapping (3.2) */
CK_RV C_WrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                             CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                             CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen,
                             CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen);
CK_RV C_UnwrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                               CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                               CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                               CK_ULONG ulAttributeCount, CK_BYTE_PTR pAssociatedData,
                               CK_ULONG ulAssociatedDataLen, CK_OBJECT_HANDLE_PTR phKey);

/* ------------------------------------------------------------------------------------------------
 * Function pointer types (CK_C_Xxx points at C_Xxx)
 * ---------------------------------------------------------------------------------------------- */

/* General-purpose functions */
typedef CK_RV (*CK_C_Initialize)(CK_VOID_PTR pInitArgs);
typedef CK_RV (*CK_C_Finalize)(CK_VOID_PTR pReserved);
typedef CK_RV (*CK_C_GetInfo)(CK_INFO_PTR pInfo);
typedef CK_RV (*CK_C_GetFunctionList)(CK_FUNCTION_LIST_PTR_PTR ppFunctionList);

/* Slot and token management */
typedef CK_RV (*CK_C_GetSlotList)(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount);
typedef CK_RV (*CK_C_GetSlotInfo)(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo);
typedef CK_RV (*CK_C_GetTokenInfo)(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo);
typedef CK_RV (*CK_C_GetMechanismList)(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList,
                                       CK_ULONG_PTR pulCount);
typedef CK_RV (*CK_C_GetMechanismInfo)(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type,
                                       CK_MECHANISM_INFO_PTR pInfo);
typedef CK_RV (*CK_C_InitToken)(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                                CK_UTF8CHAR_PTR pLabel);
typedef CK_RV (*CK_C_InitPIN)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen);
typedef CK_RV (*CK_C_SetPIN)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen,
                             CK_UTF8CHAR_PTR pNewPin, CK_ULONG ulNewLen);

/* Session management */
typedef CK_RV (*CK_C_OpenSession)(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication,
                                  CK_NOTIFY Notify, CK_SESSION_HANDLE_PTR phSession);
typedef CK_RV (*CK_C_CloseSession)(CK_SESSION_HANDLE hSession);
typedef CK_RV (*CK_C_CloseAllSessions)(CK_SLOT_ID slotID);
typedef CK_RV (*CK_C_GetSessionInfo)(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo);
typedef CK_RV (*CK_C_GetOperationState)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                                        CK_ULONG_PTR pulOperationStateLen);
typedef CK_RV (*CK_C_SetOperationState)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                                        CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,
                                        CK_OBJECT_HANDLE hAuthenticationKey);
typedef CK_RV (*CK_C_Login)(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
                            CK_ULONG ulPinLen);
typedef CK_RV (*CK_C_Logout)(CK_SESSION_HANDLE hSession);

/* Object management */
typedef CK_RV (*CK_C_CreateObject)(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate,
                                   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phObject);
typedef CK_RV (*CK_C_CopyObject)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                 CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                                 CK_OBJECT_HANDLE_PTR phNewObject);
typedef CK_RV (*CK_C_DestroyObject)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject);
typedef CK_RV (*CK_C_GetObjectSize)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                    CK_ULONG_PTR pulSize);
typedef CK_RV (*CK_C_GetAttributeValue)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                        CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount);
typedef CK_RV (*CK_C_SetAttributeValue)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                        CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount);
typedef CK_RV (*CK_C_FindObjectsInit)(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate,
                                      CK_ULONG ulCount);
typedef CK_RV (*CK_C_FindObjects)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject,
                                  CK_ULONG ulMaxObjectCount, CK_ULONG_PTR pulObjectCount);
typedef CK_RV (*CK_C_FindObjectsFinal)(CK_SESSION_HANDLE hSession);

/* Encryption */
typedef CK_RV (*CK_C_EncryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                  CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_Encrypt)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                              CK_BYTE_PTR pEncryptedData, CK_ULONG_PTR pulEncryptedDataLen);
typedef CK_RV (*CK_C_EncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                    CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen);
typedef CK_RV (*CK_C_EncryptFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastEncryptedPart,
                                   CK_ULONG_PTR pulLastEncryptedPartLen);

/* Decryption */
typedef CK_RV (*CK_C_DecryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                  CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_Decrypt)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData,
                              CK_ULONG ulEncryptedDataLen, CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen);
typedef CK_RV (*CK_C_DecryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                    CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                    CK_ULONG_PTR pulPartLen);
typedef CK_RV (*CK_C_DecryptFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart,
                                   CK_ULONG_PTR pulLastPartLen);

/* Message digesting */
typedef CK_RV (*CK_C_DigestInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism);
typedef CK_RV (*CK_C_Digest)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                             CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen);
typedef CK_RV (*CK_C_DigestUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
typedef CK_RV (*CK_C_DigestKey)(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_DigestFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest,
                                  CK_ULONG_PTR pulDigestLen);

/* Signing and MACing */
typedef CK_RV (*CK_C_SignInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                               CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_Sign)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                           CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);
typedef CK_RV (*CK_C_SignUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
typedef CK_RV (*CK_C_SignFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                CK_ULONG_PTR pulSignatureLen);
typedef CK_RV (*CK_C_SignRecoverInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_SignRecover)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                  CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);

/* Verifying signatures and MACs */
typedef CK_RV (*CK_C_VerifyInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                 CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_Verify)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                             CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
typedef CK_RV (*CK_C_VerifyUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen);
typedef CK_RV (*CK_C_VerifyFinal)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                  CK_ULONG ulSignatureLen);
typedef CK_RV (*CK_C_VerifyRecoverInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                        CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_VerifyRecover)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature,
                                    CK_ULONG ulSignatureLen, CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen);

/* Dual-function cryptographic operations */
typedef CK_RV (*CK_C_DigestEncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                          CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                                          CK_ULONG_PTR pulEncryptedPartLen);
typedef CK_RV (*CK_C_DecryptDigestUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                          CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                          CK_ULONG_PTR pulPartLen);
typedef CK_RV (*CK_C_SignEncryptUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                        CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen);
typedef CK_RV (*CK_C_DecryptVerifyUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                          CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart,
                                          CK_ULONG_PTR pulPartLen);

/* Key management */
typedef CK_RV (*CK_C_GenerateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey);
typedef CK_RV (*CK_C_GenerateKeyPair)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_ATTRIBUTE_PTR pPublicKeyTemplate,
                                      CK_ULONG ulPublicKeyAttributeCount,
                                      CK_ATTRIBUTE_PTR pPrivateKeyTemplate,
                                      CK_ULONG ulPrivateKeyAttributeCount,
                                      CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey);
typedef CK_RV (*CK_C_WrapKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                              CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                              CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen);
typedef CK_RV (*CK_C_UnwrapKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey);
typedef CK_RV (*CK_C_DeriveKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                CK_OBJECT_HANDLE hBaseKey, CK_ATTRIBUTE_PTR pTemplate,
                                CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey);

/* Random number generation */
typedef CK_RV (*CK_C_SeedRandom)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen);
typedef CK_RV (*CK_C_GenerateRandom)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR RandomData,
                                     CK_ULONG ulRandomLen);

/* Legacy parallel-function management (always CKR_FUNCTION_NOT_PARALLEL) */
typedef CK_RV (*CK_C_GetFunctionStatus)(CK_SESSION_HANDLE hSession);
typedef CK_RV (*CK_C_CancelFunction)(CK_SESSION_HANDLE hSession);

/* Slot events */
typedef CK_RV (*CK_C_WaitForSlotEvent)(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved);

/* Interfaces (3.0) */
typedef CK_RV (*CK_C_GetInterfaceList)(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount);
typedef CK_RV (*CK_C_GetInterface)(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion,
                                   CK_INTERFACE_PTR_PTR ppInterface, CK_FLAGS flags);

/* Login with user name, session cancel (3.0) */
typedef CK_RV (*CK_C_LoginUser)(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin,
                                CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen);
typedef CK_RV (*CK_C_SessionCancel)(CK_SESSION_HANDLE hSession, CK_FLAGS flags);

/* Message-based encryption (3.0) */
typedef CK_RV (*CK_C_MessageEncryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_EncryptMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                     CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                     CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                                     CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG_PTR pulCiphertextLen);
typedef CK_RV (*CK_C_EncryptMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                          CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                          CK_ULONG ulAssociatedDataLen);
typedef CK_RV (*CK_C_EncryptMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                         CK_ULONG ulParameterLen, CK_BYTE_PTR pPlaintextPart,
                                         CK_ULONG ulPlaintextPartLen, CK_BYTE_PTR pCiphertextPart,
                                         CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags);
typedef CK_RV (*CK_C_MessageEncryptFinal)(CK_SESSION_HANDLE hSession);

/* Message-based decryption (3.0) */
typedef CK_RV (*CK_C_MessageDecryptInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_DecryptMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                     CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                     CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext,
                                     CK_ULONG_PTR pulPlaintextLen);
typedef CK_RV (*CK_C_DecryptMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                          CK_ULONG ulParameterLen, CK_BYTE_PTR pAssociatedData,
                                          CK_ULONG ulAssociatedDataLen);
typedef CK_RV (*CK_C_DecryptMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                         CK_ULONG ulParameterLen, CK_BYTE_PTR pCiphertextPart,
                                         CK_ULONG ulCiphertextPartLen, CK_BYTE_PTR pPlaintextPart,
                                         CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags);
typedef CK_RV (*CK_C_MessageDecryptFinal)(CK_SESSION_HANDLE hSession);

/* Message-based signing and MACing (3.0) */
typedef CK_RV (*CK_C_MessageSignInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_SignMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                  CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                  CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);
typedef CK_RV (*CK_C_SignMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                       CK_ULONG ulParameterLen);
typedef CK_RV (*CK_C_SignMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                      CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                      CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);
typedef CK_RV (*CK_C_MessageSignFinal)(CK_SESSION_HANDLE hSession);

/* Message-based verification (3.0) */
typedef CK_RV (*CK_C_MessageVerifyInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                        CK_OBJECT_HANDLE hKey);
typedef CK_RV (*CK_C_VerifyMessage)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                    CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                    CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
typedef CK_RV (*CK_C_VerifyMessageBegin)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                         CK_ULONG ulParameterLen);
typedef CK_RV (*CK_C_VerifyMessageNext)(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter,
                                        CK_ULONG ulParameterLen, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                                        CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
typedef CK_RV (*CK_C_MessageVerifyFinal)(CK_SESSION_HANDLE hSession);

/* Key encapsulation (3.2) */
typedef CK_RV (*CK_C_EncapsulateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                     CK_OBJECT_HANDLE hPublicKey, CK_ATTRIBUTE_PTR pTemplate,
                                     CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG_PTR pulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey);
typedef CK_RV (*CK_C_DecapsulateKey)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                     CK_OBJECT_HANDLE hPrivateKey, CK_ATTRIBUTE_PTR pTemplate,
                                     CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG ulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey);

/* Verification with the signature supplied up front (3.2) */
typedef CK_RV (*CK_C_VerifySignatureInit)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                          CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pSignature,
                                          CK_ULONG ulSignatureLen);
typedef CK_RV (*CK_C_VerifySignature)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen);
typedef CK_RV (*CK_C_VerifySignatureUpdate)(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart,
                                            CK_ULONG ulPartLen);
typedef CK_RV (*CK_C_VerifySignatureFinal)(CK_SESSION_HANDLE hSession);

/* Validation status (3.2) */
typedef CK_RV (*CK_C_GetSessionValidationFlags)(CK_SESSION_HANDLE hSession,
                                                CK_SESSION_VALIDATION_FLAGS_TYPE type, CK_FLAGS_PTR pFlags);

/* Asynchronous operations (3.2) */
typedef CK_RV (*CK_C_AsyncComplete)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,
                                    CK_ASYNC_DATA_PTR pResult);
typedef CK_RV (*CK_C_AsyncGetID)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName,
                                 CK_ULONG_PTR pulID);
typedef CK_RV (*CK_C_AsyncJoin)(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG ulID,
                                CK_BYTE_PTR pData, CK_ULONG ulData);

/* Authenticated key wrapping (3.2) */
typedef CK_RV (*CK_C_WrapKeyAuthenticated)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                           CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                                           CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen,
                                           CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen);
typedef CK_RV (*CK_C_UnwrapKeyAuthenticated)(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                             CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                             CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                             CK_ULONG ulAttributeCount, CK_BYTE_PTR pAssociatedData,
                                             CK_ULONG ulAssociatedDataLen, CK_OBJECT_HANDLE_PTR phKey);

/* ------------------------------------------------------------------------------------------------
 * Function tables
 * ---------------------------------------------------------------------------------------------- */

/* Cryptoki 2.40 table: 68 function pointers. Returned by C_GetFunctionList;
 * version {2, 40}. */
struct CK_FUNCTION_LIST {
    CK_VERSION version;
    CK_C_Initialize                 C_Initialize;
    CK_C_Finalize                   C_Finalize;
    CK_C_GetInfo                    C_GetInfo;
    CK_C_GetFunctionList            C_GetFunctionList;
    CK_C_GetSlotList                C_GetSlotList;
    CK_C_GetSlotInfo                C_GetSlotInfo;
    CK_C_GetTokenInfo               C_GetTokenInfo;
    CK_C_GetMechanismList           C_GetMechanismList;
    CK_C_GetMechanismInfo           C_GetMechanismInfo;
    CK_C_InitToken                  C_InitToken;
    CK_C_InitPIN                    C_InitPIN;
    CK_C_SetPIN                     C_SetPIN;
    CK_C_OpenSession                C_OpenSession;
    CK_C_CloseSession               C_CloseSession;
    CK_C_CloseAllSessions           C_CloseAllSessions;
    CK_C_GetSessionInfo             C_GetSessionInfo;
    CK_C_GetOperationState          C_GetOperationState;
    CK_C_SetOperationState          C_SetOperationState;
    CK_C_Login                      C_Login;
    CK_C_Logout                     C_Logout;
    CK_C_CreateObject               C_CreateObject;
    CK_C_CopyObject                 C_CopyObject;
    CK_C_DestroyObject              C_DestroyObject;
    CK_C_GetObjectSize              C_GetObjectSize;
    CK_C_GetAttributeValue          C_GetAttributeValue;
    CK_C_SetAttributeValue          C_SetAttributeValue;
    CK_C_FindObjectsInit            C_FindObjectsInit;
    CK_C_FindObjects                C_FindObjects;
    CK_C_FindObjectsFinal           C_FindObjectsFinal;
    CK_C_EncryptInit                C_EncryptInit;
    CK_C_Encrypt                    C_Encrypt;
    CK_C_EncryptUpdate              C_EncryptUpdate;
    CK_C_EncryptFinal               C_EncryptFinal;
    CK_C_DecryptInit                C_DecryptInit;
    CK_C_Decrypt                    C_Decrypt;
    CK_C_DecryptUpdate              C_DecryptUpdate;
    CK_C_DecryptFinal               C_DecryptFinal;
    CK_C_DigestInit                 C_DigestInit;
    CK_C_Digest                     C_Digest;
    CK_C_DigestUpdate               C_DigestUpdate;
    CK_C_DigestKey                  C_DigestKey;
    CK_C_DigestFinal                C_DigestFinal;
    CK_C_SignInit                   C_SignInit;
    CK_C_Sign                       C_Sign;
    CK_C_SignUpdate                 C_SignUpdate;
    CK_C_SignFinal                  C_SignFinal;
    CK_C_SignRecoverInit            C_SignRecoverInit;
    CK_C_SignRecover                C_SignRecover;
    CK_C_VerifyInit                 C_VerifyInit;
    CK_C_Verify                     C_Verify;
    CK_C_VerifyUpdate               C_VerifyUpdate;
    CK_C_VerifyFinal                C_VerifyFinal;
    CK_C_VerifyRecoverInit          C_VerifyRecoverInit;
    CK_C_VerifyRecover              C_VerifyRecover;
    CK_C_DigestEncryptUpdate        C_DigestEncryptUpdate;
    CK_C_DecryptDigestUpdate        C_DecryptDigestUpdate;
    CK_C_SignEncryptUpdate          C_SignEncryptUpdate;
    CK_C_DecryptVerifyUpdate        C_DecryptVerifyUpdate;
    CK_C_GenerateKey                C_GenerateKey;
    CK_C_GenerateKeyPair            C_GenerateKeyPair;
    CK_C_WrapKey                    C_WrapKey;
    CK_C_UnwrapKey                  C_UnwrapKey;
    CK_C_DeriveKey                  C_DeriveKey;
    CK_C_SeedRandom                 C_SeedRandom;
    CK_C_GenerateRandom             C_GenerateRandom;
    CK_C_GetFunctionStatus          C_GetFunctionStatus;
    CK_C_CancelFunction             C_CancelFunction;
    CK_C_WaitForSlotEvent           C_WaitForSlotEvent;
};

/* Cryptoki 3.0 table: the 68 above, then the 24 functions added in 3.0 (92 pointers).
 * Served through the "PKCS 11" interface with version {3, 0} (3.1 added no functions, so a {3, 1}
 * interface uses this layout too). */
struct CK_FUNCTION_LIST_3_0 {
    CK_VERSION version;
    CK_C_Initialize                 C_Initialize;
    CK_C_Finalize                   C_Finalize;
    CK_C_GetInfo                    C_GetInfo;
    CK_C_GetFunctionList            C_GetFunctionList;
    CK_C_GetSlotList                C_GetSlotList;
    CK_C_GetSlotInfo                C_GetSlotInfo;
    CK_C_GetTokenInfo               C_GetTokenInfo;
    CK_C_GetMechanismList           C_GetMechanismList;
    CK_C_GetMechanismInfo           C_GetMechanismInfo;
    CK_C_InitToken                  C_InitToken;
    CK_C_InitPIN                    C_InitPIN;
    CK_C_SetPIN                     C_SetPIN;
    CK_C_OpenSession                C_OpenSession;
    CK_C_CloseSession               C_CloseSession;
    CK_C_CloseAllSessions           C_CloseAllSessions;
    CK_C_GetSessionInfo             C_GetSessionInfo;
    CK_C_GetOperationState          C_GetOperationState;
    CK_C_SetOperationState          C_SetOperationState;
    CK_C_Login                      C_Login;
    CK_C_Logout                     C_Logout;
    CK_C_CreateObject               C_CreateObject;
    CK_C_CopyObject                 C_CopyObject;
    CK_C_DestroyObject              C_DestroyObject;
    CK_C_GetObjectSize              C_GetObjectSize;
    CK_C_GetAttributeValue          C_GetAttributeValue;
    CK_C_SetAttributeValue          C_SetAttributeValue;
    CK_C_FindObjectsInit            C_FindObjectsInit;
    CK_C_FindObjects                C_FindObjects;
    CK_C_FindObjectsFinal           C_FindObjectsFinal;
    CK_C_EncryptInit                C_EncryptInit;
    CK_C_Encrypt                    C_Encrypt;
    CK_C_EncryptUpdate              C_EncryptUpdate;
    CK_C_EncryptFinal               C_EncryptFinal;
    CK_C_DecryptInit                C_DecryptInit;
    CK_C_Decrypt                    C_Decrypt;
    CK_C_DecryptUpdate              C_DecryptUpdate;
    CK_C_DecryptFinal               C_DecryptFinal;
    CK_C_DigestInit                 C_DigestInit;
    CK_C_Digest                     C_Digest;
    CK_C_DigestUpdate               C_DigestUpdate;
    CK_C_DigestKey                  C_DigestKey;
    CK_C_DigestFinal                C_DigestFinal;
    CK_C_SignInit                   C_SignInit;
    CK_C_Sign                       C_Sign;
    CK_C_SignUpdate                 C_SignUpdate;
    CK_C_SignFinal                  C_SignFinal;
    CK_C_SignRecoverInit            C_SignRecoverInit;
    CK_C_SignRecover                C_SignRecover;
    CK_C_VerifyInit                 C_VerifyInit;
    CK_C_Verify                     C_Verify;
    CK_C_VerifyUpdate               C_VerifyUpdate;
    CK_C_VerifyFinal                C_VerifyFinal;
    CK_C_VerifyRecoverInit          C_VerifyRecoverInit;
    CK_C_VerifyRecover              C_VerifyRecover;
    CK_C_DigestEncryptUpdate        C_DigestEncryptUpdate;
    CK_C_DecryptDigestUpdate        C_DecryptDigestUpdate;
    CK_C_SignEncryptUpdate          C_SignEncryptUpdate;
    CK_C_DecryptVerifyUpdate        C_DecryptVerifyUpdate;
    CK_C_GenerateKey                C_GenerateKey;
    CK_C_GenerateKeyPair            C_GenerateKeyPair;
    CK_C_WrapKey                    C_WrapKey;
    CK_C_UnwrapKey                  C_UnwrapKey;
    CK_C_DeriveKey                  C_DeriveKey;
    CK_C_SeedRandom                 C_SeedRandom;
    CK_C_GenerateRandom             C_GenerateRandom;
    CK_C_GetFunctionStatus          C_GetFunctionStatus;
    CK_C_CancelFunction             C_CancelFunction;
    CK_C_WaitForSlotEvent           C_WaitForSlotEvent;
    CK_C_GetInterfaceList           C_GetInterfaceList;
    CK_C_GetInterface               C_GetInterface;
    CK_C_LoginUser                  C_LoginUser;
    CK_C_SessionCancel              C_SessionCancel;
    CK_C_MessageEncryptInit         C_MessageEncryptInit;
    CK_C_EncryptMessage             C_EncryptMessage;
    CK_C_EncryptMessageBegin        C_EncryptMessageBegin;
    CK_C_EncryptMessageNext         C_EncryptMessageNext;
    CK_C_MessageEncryptFinal        C_MessageEncryptFinal;
    CK_C_MessageDecryptInit         C_MessageDecryptInit;
    CK_C_DecryptMessage             C_DecryptMessage;
    CK_C_DecryptMessageBegin        C_DecryptMessageBegin;
    CK_C_DecryptMessageNext         C_DecryptMessageNext;
    CK_C_MessageDecryptFinal        C_MessageDecryptFinal;
    CK_C_MessageSignInit            C_MessageSignInit;
    CK_C_SignMessage                C_SignMessage;
    CK_C_SignMessageBegin           C_SignMessageBegin;
    CK_C_SignMessageNext            C_SignMessageNext;
    CK_C_MessageSignFinal           C_MessageSignFinal;
    CK_C_MessageVerifyInit          C_MessageVerifyInit;
    CK_C_VerifyMessage              C_VerifyMessage;
    CK_C_VerifyMessageBegin         C_VerifyMessageBegin;
    CK_C_VerifyMessageNext          C_VerifyMessageNext;
    CK_C_MessageVerifyFinal         C_MessageVerifyFinal;
};

/* Cryptoki 3.2 table: the 92 above, then the 12 functions added in 3.2 (104 pointers).
 * Served through the "PKCS 11" interface with version {3, 2}. */
struct CK_FUNCTION_LIST_3_2 {
    CK_VERSION version;
    CK_C_Initialize                 C_Initialize;
    CK_C_Finalize                   C_Finalize;
    CK_C_GetInfo                    C_GetInfo;
    CK_C_GetFunctionList            C_GetFunctionList;
    CK_C_GetSlotList                C_GetSlotList;
    CK_C_GetSlotInfo                C_GetSlotInfo;
    CK_C_GetTokenInfo               C_GetTokenInfo;
    CK_C_GetMechanismList           C_GetMechanismList;
    CK_C_GetMechanismInfo           C_GetMechanismInfo;
    CK_C_InitToken                  C_InitToken;
    CK_C_InitPIN                    C_InitPIN;
    CK_C_SetPIN                     C_SetPIN;
    CK_C_OpenSession                C_OpenSession;
    CK_C_CloseSession               C_CloseSession;
    CK_C_CloseAllSessions           C_CloseAllSessions;
    CK_C_GetSessionInfo             C_GetSessionInfo;
    CK_C_GetOperationState          C_GetOperationState;
    CK_C_SetOperationState          C_SetOperationState;
    CK_C_Login                      C_Login;
    CK_C_Logout                     C_Logout;
    CK_C_CreateObject               C_CreateObject;
    CK_C_CopyObject                 C_CopyObject;
    CK_C_DestroyObject              C_DestroyObject;
    CK_C_GetObjectSize              C_GetObjectSize;
    CK_C_GetAttributeValue          C_GetAttributeValue;
    CK_C_SetAttributeValue          C_SetAttributeValue;
    CK_C_FindObjectsInit            C_FindObjectsInit;
    CK_C_FindObjects                C_FindObjects;
    CK_C_FindObjectsFinal           C_FindObjectsFinal;
    CK_C_EncryptInit                C_EncryptInit;
    CK_C_Encrypt                    C_Encrypt;
    CK_C_EncryptUpdate              C_EncryptUpdate;
    CK_C_EncryptFinal               C_EncryptFinal;
    CK_C_DecryptInit                C_DecryptInit;
    CK_C_Decrypt                    C_Decrypt;
    CK_C_DecryptUpdate              C_DecryptUpdate;
    CK_C_DecryptFinal               C_DecryptFinal;
    CK_C_DigestInit                 C_DigestInit;
    CK_C_Digest                     C_Digest;
    CK_C_DigestUpdate               C_DigestUpdate;
    CK_C_DigestKey                  C_DigestKey;
    CK_C_DigestFinal                C_DigestFinal;
    CK_C_SignInit                   C_SignInit;
    CK_C_Sign                       C_Sign;
    CK_C_SignUpdate                 C_SignUpdate;
    CK_C_SignFinal                  C_SignFinal;
    CK_C_SignRecoverInit            C_SignRecoverInit;
    CK_C_SignRecover                C_SignRecover;
    CK_C_VerifyInit                 C_VerifyInit;
    CK_C_Verify                     C_Verify;
    CK_C_VerifyUpdate               C_VerifyUpdate;
    CK_C_VerifyFinal                C_VerifyFinal;
    CK_C_VerifyRecoverInit          C_VerifyRecoverInit;
    CK_C_VerifyRecover              C_VerifyRecover;
    CK_C_DigestEncryptUpdate        C_DigestEncryptUpdate;
    CK_C_DecryptDigestUpdate        C_DecryptDigestUpdate;
    CK_C_SignEncryptUpdate          C_SignEncryptUpdate;
    CK_C_DecryptVerifyUpdate        C_DecryptVerifyUpdate;
    CK_C_GenerateKey                C_GenerateKey;
    CK_C_GenerateKeyPair            C_GenerateKeyPair;
    CK_C_WrapKey                    C_WrapKey;
    CK_C_UnwrapKey                  C_UnwrapKey;
    CK_C_DeriveKey                  C_DeriveKey;
    CK_C_SeedRandom                 C_SeedRandom;
    CK_C_GenerateRandom             C_GenerateRandom;
    CK_C_GetFunctionStatus          C_GetFunctionStatus;
    CK_C_CancelFunction             C_CancelFunction;
    CK_C_WaitForSlotEvent           C_WaitForSlotEvent;
    CK_C_GetInterfaceList           C_GetInterfaceList;
    CK_C_GetInterface               C_GetInterface;
    CK_C_LoginUser                  C_LoginUser;
    CK_C_SessionCancel              C_SessionCancel;
    CK_C_MessageEncryptInit         C_MessageEncryptInit;
    CK_C_EncryptMessage             C_EncryptMessage;
    CK_C_EncryptMessageBegin        C_EncryptMessageBegin;
    CK_C_EncryptMessageNext         C_EncryptMessageNext;
    CK_C_MessageEncryptFinal        C_MessageEncryptFinal;
    CK_C_MessageDecryptInit         C_MessageDecryptInit;
    CK_C_DecryptMessage             C_DecryptMessage;
    CK_C_DecryptMessageBegin        C_DecryptMessageBegin;
    CK_C_DecryptMessageNext         C_DecryptMessageNext;
    CK_C_MessageDecryptFinal        C_MessageDecryptFinal;
    CK_C_MessageSignInit            C_MessageSignInit;
    CK_C_SignMessage                C_SignMessage;
    CK_C_SignMessageBegin           C_SignMessageBegin;
    CK_C_SignMessageNext            C_SignMessageNext;
    CK_C_MessageSignFinal           C_MessageSignFinal;
    CK_C_MessageVerifyInit          C_MessageVerifyInit;
    CK_C_VerifyMessage              C_VerifyMessage;
    CK_C_VerifyMessageBegin         C_VerifyMessageBegin;
    CK_C_VerifyMessageNext          C_VerifyMessageNext;
    CK_C_MessageVerifyFinal         C_MessageVerifyFinal;
    CK_C_EncapsulateKey             C_EncapsulateKey;
    CK_C_DecapsulateKey             C_DecapsulateKey;
    CK_C_VerifySignatureInit        C_VerifySignatureInit;
    CK_C_VerifySignature            C_VerifySignature;
    CK_C_VerifySignatureUpdate      C_VerifySignatureUpdate;
    CK_C_VerifySignatureFinal       C_VerifySignatureFinal;
    CK_C_GetSessionValidationFlags  C_GetSessionValidationFlags;
    CK_C_AsyncComplete              C_AsyncComplete;
    CK_C_AsyncGetID                 C_AsyncGetID;
    CK_C_AsyncJoin                  C_AsyncJoin;
    CK_C_WrapKeyAuthenticated       C_WrapKeyAuthenticated;
    CK_C_UnwrapKeyAuthenticated     C_UnwrapKeyAuthenticated;
};

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CRATON_PKCS11_PKCS11_FUNCTIONS_H */
