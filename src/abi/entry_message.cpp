// Message-based (3.0) and 3.2 entry points whose operations continue an Init'd message context,
// plus key encapsulation and authenticated wrapping.
#include "abi/marshal.h"
#include "abi/op_helpers.h"

using namespace craton;
using craton::abi::continue_operation;
using craton::abi::key_operation;
using craton::mech::OpKind;

using craton::abi::in_ok;

CRATON_EXPORT CK_RV C_EncryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                     CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                                     CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen) {
  (void)pCiphertext;
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pAssociatedData, ulAssociatedDataLen) &&
                  in_ok(pPlaintext, ulPlaintextLen) && pulCiphertextLen != nullptr;
  return continue_operation(hSession, OpKind::kMessageEncrypt, ok);
}

CRATON_EXPORT CK_RV C_DecryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                     CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext, CK_ULONG_PTR pulPlaintextLen) {
  (void)pPlaintext;
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pAssociatedData, ulAssociatedDataLen) &&
                  in_ok(pCiphertext, ulCiphertextLen) && pulPlaintextLen != nullptr;
  return continue_operation(hSession, OpKind::kMessageDecrypt, ok);
}

CRATON_EXPORT CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                          CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen) {
  return continue_operation(hSession, OpKind::kMessageEncrypt,
                            in_ok(pParameter, ulParameterLen) && in_ok(pAssociatedData, ulAssociatedDataLen));
}

CRATON_EXPORT CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                          CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen) {
  return continue_operation(hSession, OpKind::kMessageDecrypt,
                            in_ok(pParameter, ulParameterLen) && in_ok(pAssociatedData, ulAssociatedDataLen));
}

CRATON_EXPORT CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                         CK_BYTE_PTR pPlaintextPart, CK_ULONG ulPlaintextPartLen,
                                         CK_BYTE_PTR pCiphertextPart, CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags) {
  (void)pCiphertextPart;
  (void)flags;
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pPlaintextPart, ulPlaintextPartLen) &&
                  pulCiphertextPartLen != nullptr;
  return continue_operation(hSession, OpKind::kMessageEncrypt, ok);
}

CRATON_EXPORT CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                         CK_BYTE_PTR pCiphertextPart, CK_ULONG ulCiphertextPartLen,
                                         CK_BYTE_PTR pPlaintextPart, CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags) {
  (void)pPlaintextPart;
  (void)flags;
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pCiphertextPart, ulCiphertextPartLen) &&
                  pulPlaintextPartLen != nullptr;
  return continue_operation(hSession, OpKind::kMessageDecrypt, ok);
}

CRATON_EXPORT CK_RV C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                  CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                  CK_ULONG_PTR pulSignatureLen) {
  (void)pSignature;
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen) && pulSignatureLen != nullptr;
  return continue_operation(hSession, OpKind::kMessageSign, ok);
}

CRATON_EXPORT CK_RV C_SignMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen) {
  return continue_operation(hSession, OpKind::kMessageSign, in_ok(pParameter, ulParameterLen));
}

CRATON_EXPORT CK_RV C_SignMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                      CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                      CK_ULONG_PTR pulSignatureLen) {
  (void)pSignature;
  (void)pulSignatureLen;  // NULL means "more parts follow"
  return continue_operation(hSession, OpKind::kMessageSign, in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen));
}

CRATON_EXPORT CK_RV C_VerifyMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                    CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                    CK_ULONG ulSignatureLen) {
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen) && in_ok(pSignature, ulSignatureLen);
  return continue_operation(hSession, OpKind::kMessageVerify, ok);
}

CRATON_EXPORT CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen) {
  return continue_operation(hSession, OpKind::kMessageVerify, in_ok(pParameter, ulParameterLen));
}

CRATON_EXPORT CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                        CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                        CK_ULONG ulSignatureLen) {
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen) && in_ok(pSignature, ulSignatureLen);
  return continue_operation(hSession, OpKind::kMessageVerify, ok);
}

#define CRATON_MESSAGE_FINAL(Name, Kind) \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession) { return continue_operation(hSession, Kind, true); }
CRATON_MESSAGE_FINAL(C_MessageEncryptFinal, OpKind::kMessageEncrypt)
CRATON_MESSAGE_FINAL(C_MessageDecryptFinal, OpKind::kMessageDecrypt)
CRATON_MESSAGE_FINAL(C_MessageSignFinal, OpKind::kMessageSign)
CRATON_MESSAGE_FINAL(C_MessageVerifyFinal, OpKind::kMessageVerify)
#undef CRATON_MESSAGE_FINAL

CRATON_EXPORT CK_RV C_EncapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hPublicKey,
                                     CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG_PTR pulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey) {
  (void)hPublicKey;
  (void)pCiphertext;
  if (pulCiphertextLen == nullptr || phKey == nullptr) pMechanism = nullptr;
  return key_operation(hSession, pMechanism, pTemplate, ulAttributeCount, "C_EncapsulateKey");
}

CRATON_EXPORT CK_RV C_DecapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hPrivateKey,
                                     CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG ulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey) {
  (void)hPrivateKey;
  if (phKey == nullptr || !in_ok(pCiphertext, ulCiphertextLen)) pMechanism = nullptr;
  return key_operation(hSession, pMechanism, pTemplate, ulAttributeCount, "C_DecapsulateKey");
}

CRATON_EXPORT CK_RV C_WrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                           CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                                           CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen,
                                           CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen) {
  (void)hWrappingKey;
  (void)hKey;
  (void)pWrappedKey;
  if (pulWrappedKeyLen == nullptr || !in_ok(pAssociatedData, ulAssociatedDataLen)) pMechanism = nullptr;
  return key_operation(hSession, pMechanism, nullptr, 0, "C_WrapKeyAuthenticated");
}

CRATON_EXPORT CK_RV C_UnwrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                             CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                             CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                             CK_ULONG ulAttributeCount, CK_BYTE_PTR pAssociatedData,
                                             CK_ULONG ulAssociatedDataLen, CK_OBJECT_HANDLE_PTR phKey) {
  (void)hUnwrappingKey;
  if (phKey == nullptr || !in_ok(pWrappedKey, ulWrappedKeyLen) || !in_ok(pAssociatedData, ulAssociatedDataLen)) {
    pMechanism = nullptr;
  }
  return key_operation(hSession, pMechanism, pTemplate, ulAttributeCount, "C_UnwrapKeyAuthenticated");
}
