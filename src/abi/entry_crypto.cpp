// Cryptographic entry points (spec 5.8 - 5.15): encryption, decryption, digests, signatures,
// dual-function calls, key management and random numbers.
#include <mutex>

#include "abi/marshal.h"
#include "abi/op_helpers.h"
#include "crypto/ossl/random.h"

using namespace craton;
using craton::abi::continue_operation;
using craton::abi::init_operation;
using craton::abi::key_operation;
using craton::mech::OpKind;

using craton::abi::in_ok;

#define CRATON_INIT_ENTRY(Name, Kind)                                                               \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey) { \
    return init_operation(hSession, pMechanism, hKey, Kind, #Name);                                  \
  }

CRATON_INIT_ENTRY(C_EncryptInit, OpKind::kEncrypt)
CRATON_INIT_ENTRY(C_DecryptInit, OpKind::kDecrypt)
CRATON_INIT_ENTRY(C_SignInit, OpKind::kSign)
CRATON_INIT_ENTRY(C_VerifyInit, OpKind::kVerify)
CRATON_INIT_ENTRY(C_SignRecoverInit, OpKind::kSignRecover)
CRATON_INIT_ENTRY(C_VerifyRecoverInit, OpKind::kVerifyRecover)
CRATON_INIT_ENTRY(C_MessageEncryptInit, OpKind::kMessageEncrypt)
CRATON_INIT_ENTRY(C_MessageDecryptInit, OpKind::kMessageDecrypt)
CRATON_INIT_ENTRY(C_MessageSignInit, OpKind::kMessageSign)
CRATON_INIT_ENTRY(C_MessageVerifyInit, OpKind::kMessageVerify)
#undef CRATON_INIT_ENTRY

CRATON_EXPORT CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism) {
  return craton::abi::with_session(hSession, [&](token::Library& lib, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    if (pMechanism == nullptr) {
      if (!s.ops.active(OpKind::kDigest)) return CKR_ARGUMENTS_BAD;
      s.ops.end(OpKind::kDigest);
      return CKR_OK;
    }
    if (s.ops.active(OpKind::kDigest)) return CKR_OPERATION_ACTIVE;
    if (pMechanism->pParameter == nullptr && pMechanism->ulParameterLen != 0) return CKR_MECHANISM_PARAM_INVALID;
    if (const CK_RV rv = abi::check_mechanism(lib, pMechanism->mechanism); rv != CKR_OK) return rv;
    return CKR_MECHANISM_INVALID;  // no digest family registered
  });
}

// Single-part and update calls: (in, in_len) -> (out, *out_len).
#define CRATON_DATA_ENTRY(Name, Kind)                                                                           \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pIn, CK_ULONG ulInLen, CK_BYTE_PTR pOut,      \
                           CK_ULONG_PTR pulOutLen) {                                                           \
    (void)pOut;                                                                                                \
    return continue_operation(hSession, Kind, in_ok(pIn, ulInLen) && pulOutLen != nullptr);                    \
  }
CRATON_DATA_ENTRY(C_Encrypt, OpKind::kEncrypt)
CRATON_DATA_ENTRY(C_EncryptUpdate, OpKind::kEncrypt)
CRATON_DATA_ENTRY(C_Decrypt, OpKind::kDecrypt)
CRATON_DATA_ENTRY(C_DecryptUpdate, OpKind::kDecrypt)
CRATON_DATA_ENTRY(C_Digest, OpKind::kDigest)
CRATON_DATA_ENTRY(C_Sign, OpKind::kSign)
CRATON_DATA_ENTRY(C_SignRecover, OpKind::kSignRecover)
CRATON_DATA_ENTRY(C_VerifyRecover, OpKind::kVerifyRecover)
#undef CRATON_DATA_ENTRY

// Final calls: () -> (out, *out_len).
#define CRATON_FINAL_ENTRY(Name, Kind)                                                                 \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOut, CK_ULONG_PTR pulOutLen) {    \
    (void)pOut;                                                                                       \
    return continue_operation(hSession, Kind, pulOutLen != nullptr);                                  \
  }
CRATON_FINAL_ENTRY(C_EncryptFinal, OpKind::kEncrypt)
CRATON_FINAL_ENTRY(C_DecryptFinal, OpKind::kDecrypt)
CRATON_FINAL_ENTRY(C_DigestFinal, OpKind::kDigest)
CRATON_FINAL_ENTRY(C_SignFinal, OpKind::kSign)
#undef CRATON_FINAL_ENTRY

// Input-only update calls: (part, part_len).
#define CRATON_UPDATE_ENTRY(Name, Kind)                                                          \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) { \
    return continue_operation(hSession, Kind, in_ok(pPart, ulPartLen));                          \
  }
CRATON_UPDATE_ENTRY(C_DigestUpdate, OpKind::kDigest)
CRATON_UPDATE_ENTRY(C_SignUpdate, OpKind::kSign)
CRATON_UPDATE_ENTRY(C_VerifyUpdate, OpKind::kVerify)
CRATON_UPDATE_ENTRY(C_VerifySignature, OpKind::kVerifySignature)
CRATON_UPDATE_ENTRY(C_VerifySignatureUpdate, OpKind::kVerifySignature)
#undef CRATON_UPDATE_ENTRY

CRATON_EXPORT CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey) {
  (void)hKey;
  return continue_operation(hSession, OpKind::kDigest, true);
}

CRATON_EXPORT CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                             CK_ULONG ulSignatureLen) {
  return continue_operation(hSession, OpKind::kVerify, in_ok(pData, ulDataLen) && in_ok(pSignature, ulSignatureLen));
}

CRATON_EXPORT CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen) {
  return continue_operation(hSession, OpKind::kVerify, in_ok(pSignature, ulSignatureLen));
}

CRATON_EXPORT CK_RV C_VerifySignatureFinal(CK_SESSION_HANDLE hSession) {
  return continue_operation(hSession, OpKind::kVerifySignature, true);
}

CRATON_EXPORT CK_RV C_VerifySignatureInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey,
                                          CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen) {
  if (pMechanism != nullptr && !in_ok(pSignature, ulSignatureLen)) {
    return craton::abi::with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_ARGUMENTS_BAD; });
  }
  return init_operation(hSession, pMechanism, hKey, OpKind::kVerifySignature, "C_VerifySignatureInit");
}

// Dual-function updates need both operations active.
#define CRATON_DUAL_ENTRY(Name, KindA, KindB)                                                                  \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pIn, CK_ULONG ulInLen, CK_BYTE_PTR pOut,     \
                           CK_ULONG_PTR pulOutLen) {                                                          \
    (void)pOut;                                                                                               \
    const CK_RV rv = continue_operation(hSession, KindA, in_ok(pIn, ulInLen) && pulOutLen != nullptr);        \
    if (rv != CKR_OPERATION_NOT_INITIALIZED) return rv;                                                       \
    return continue_operation(hSession, KindB, in_ok(pIn, ulInLen) && pulOutLen != nullptr);                  \
  }
CRATON_DUAL_ENTRY(C_DigestEncryptUpdate, OpKind::kEncrypt, OpKind::kDigest)
CRATON_DUAL_ENTRY(C_DecryptDigestUpdate, OpKind::kDecrypt, OpKind::kDigest)
CRATON_DUAL_ENTRY(C_SignEncryptUpdate, OpKind::kEncrypt, OpKind::kSign)
CRATON_DUAL_ENTRY(C_DecryptVerifyUpdate, OpKind::kDecrypt, OpKind::kVerify)
#undef CRATON_DUAL_ENTRY

CRATON_EXPORT CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pTemplate,
                                  CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey) {
  if (phKey == nullptr) pMechanism = nullptr;  // reported as CKR_ARGUMENTS_BAD after the session check
  return key_operation(hSession, pMechanism, pTemplate, ulCount, "C_GenerateKey");
}

CRATON_EXPORT CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                      CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
                                      CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
                                      CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey) {
  if (phPublicKey == nullptr || phPrivateKey == nullptr) pMechanism = nullptr;
  if (pPrivateKeyTemplate == nullptr && ulPrivateKeyAttributeCount != 0) pMechanism = nullptr;
  return key_operation(hSession, pMechanism, pPublicKeyTemplate, ulPublicKeyAttributeCount, "C_GenerateKeyPair");
}

CRATON_EXPORT CK_RV C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hWrappingKey,
                              CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen) {
  (void)hWrappingKey;
  (void)hKey;
  (void)pWrappedKey;
  if (pulWrappedKeyLen == nullptr) pMechanism = nullptr;
  return key_operation(hSession, pMechanism, nullptr, 0, "C_WrapKey");
}

CRATON_EXPORT CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hUnwrappingKey,
                                CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey) {
  (void)hUnwrappingKey;
  if (phKey == nullptr || !in_ok(pWrappedKey, ulWrappedKeyLen)) pMechanism = nullptr;
  return key_operation(hSession, pMechanism, pTemplate, ulAttributeCount, "C_UnwrapKey");
}

CRATON_EXPORT CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hBaseKey,
                                CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey) {
  (void)hBaseKey;
  (void)phKey;  // optional for some derivation mechanisms (e.g. TLS master key)
  return key_operation(hSession, pMechanism, pTemplate, ulAttributeCount, "C_DeriveKey");
}

CRATON_EXPORT CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen) {
  return craton::abi::with_session(hSession, [&](token::Library&, token::Session&) -> CK_RV {
    if (!in_ok(pSeed, ulSeedLen)) return CKR_ARGUMENTS_BAD;
    // The DRBG reseeds itself from the OS; caller seed material is mixed in as additional input.
    return craton::abi::to_rv(crypto::add_entropy(std::span<const std::uint8_t>(pSeed, ulSeedLen)), "C_SeedRandom");
  });
}

CRATON_EXPORT CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pRandomData, CK_ULONG ulRandomLen) {
  return craton::abi::with_session(hSession, [&](token::Library&, token::Session&) -> CK_RV {
    if (!in_ok(pRandomData, ulRandomLen)) return CKR_ARGUMENTS_BAD;
    return craton::abi::to_rv(crypto::random_bytes(std::span<std::uint8_t>(pRandomData, ulRandomLen)),
                              "C_GenerateRandom");
  });
}
