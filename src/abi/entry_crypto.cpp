// Cryptographic entry points (spec 5.8 - 5.13): encryption, decryption, digests, signatures,
// recovery and the dual-function calls. Key management is in entry_keys.cpp.
#include <mutex>

#include "abi/marshal.h"
#include "abi/op_helpers.h"
#include "mech/approval.h"
#include "crypto/ossl/random.h"

using namespace craton;
using craton::abi::cipher_step;
using craton::abi::in_ok;
using craton::abi::init_operation;
using craton::abi::sized_step;
using craton::abi::StepResult;
using craton::abi::with_operation;
using craton::mech::CipherOp;
using craton::mech::DigestOp;
using craton::mech::OpKind;
using craton::mech::SignOp;
using craton::mech::VerifyOp;
using Step = craton::mech::CipherOp::Step;

namespace {

std::span<const std::uint8_t> bytes(const CK_BYTE* p, CK_ULONG n) {
  return p == nullptr ? std::span<const std::uint8_t>{} : std::span<const std::uint8_t>(p, n);
}

StepResult status_step(const Status& st, bool keep_on_success) {
  return st.ok() ? StepResult{CKR_OK, keep_on_success} : StepResult{st.rv(), false};
}

CK_RV cipher_call(CK_SESSION_HANDLE h, OpKind kind, Step step, const CK_BYTE* in, CK_ULONG in_len, CK_BYTE_PTR out,
                  CK_ULONG_PTR out_len, const char* fn) {
  const bool ok = in_ok(in, in_len) && out_len != nullptr;
  return with_operation<CipherOp>(h, kind, ok, fn, [&](token::Session&, CipherOp& op) {
    return cipher_step(op, step, bytes(in, in_len), out, out_len);
  });
}

}  // namespace

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

// ---- encryption, decryption, recovery ------------------------------------------------------------

#define CRATON_CIPHER_ENTRY(Name, Kind, StepKind)                                                              \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pIn, CK_ULONG ulInLen, CK_BYTE_PTR pOut,     \
                           CK_ULONG_PTR pulOutLen) {                                                          \
    return cipher_call(hSession, Kind, StepKind, pIn, ulInLen, pOut, pulOutLen, #Name);                        \
  }
CRATON_CIPHER_ENTRY(C_Encrypt, OpKind::kEncrypt, Step::kSingle)
CRATON_CIPHER_ENTRY(C_EncryptUpdate, OpKind::kEncrypt, Step::kUpdate)
CRATON_CIPHER_ENTRY(C_Decrypt, OpKind::kDecrypt, Step::kSingle)
CRATON_CIPHER_ENTRY(C_DecryptUpdate, OpKind::kDecrypt, Step::kUpdate)
CRATON_CIPHER_ENTRY(C_SignRecover, OpKind::kSignRecover, Step::kSingle)
CRATON_CIPHER_ENTRY(C_VerifyRecover, OpKind::kVerifyRecover, Step::kSingle)
#undef CRATON_CIPHER_ENTRY

CRATON_EXPORT CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOut, CK_ULONG_PTR pulOutLen) {
  return cipher_call(hSession, OpKind::kEncrypt, Step::kFinal, nullptr, 0, pOut, pulOutLen, "C_EncryptFinal");
}

CRATON_EXPORT CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOut, CK_ULONG_PTR pulOutLen) {
  return cipher_call(hSession, OpKind::kDecrypt, Step::kFinal, nullptr, 0, pOut, pulOutLen, "C_DecryptFinal");
}

// ---- digests -----------------------------------------------------------------------------------

CRATON_EXPORT CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism) {
  return craton::abi::with_session(hSession, [&](token::Library& lib, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    if (pMechanism == nullptr) {
      if (!s.ops.active(OpKind::kDigest)) return CKR_ARGUMENTS_BAD;
      abi::end_operation(s, OpKind::kDigest);
      return CKR_OK;
    }
    if (s.ops.active(OpKind::kDigest)) return CKR_OPERATION_ACTIVE;
    auto prepared = abi::prepare(lib, *pMechanism, CKF_DIGEST);
    if (!prepared.ok()) return abi::to_rv(prepared, "C_DigestInit");
    auto op = prepared->reg->impl->digest(prepared->decoded.params);
    if (!op.ok()) return abi::to_rv(op, "C_DigestInit");
    (*op)->mechanism = pMechanism->mechanism;
    (*op)->approved = mech::mechanism_approvable(pMechanism->mechanism);  // no key involved
    s.ops.start(OpKind::kDigest, std::move(*op));
    return CKR_OK;
  });
}

CRATON_EXPORT CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
                             CK_ULONG_PTR pulDigestLen) {
  const bool ok = in_ok(pData, ulDataLen) && pulDigestLen != nullptr;
  return with_operation<DigestOp>(hSession, OpKind::kDigest, ok, "C_Digest", [&](token::Session&, DigestOp& op) {
    if (op.multipart) return StepResult{CKR_OPERATION_ACTIVE, true};
    return sized_step(op.digest_size(), pDigest, pulDigestLen, true, [&]() -> Result<mech::Bytes> {
      CRATON_TRY(op.update(bytes(pData, ulDataLen)));
      return op.finish();
    });
  });
}

CRATON_EXPORT CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_operation<DigestOp>(hSession, OpKind::kDigest, in_ok(pPart, ulPartLen), "C_DigestUpdate",
                                  [&](token::Session&, DigestOp& op) {
                                    op.multipart = true;
                                    return status_step(op.update(bytes(pPart, ulPartLen)), true);
                                  });
}

CRATON_EXPORT CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey) {
  return with_operation<DigestOp>(hSession, OpKind::kDigest, true, "C_DigestKey", [&](token::Session& s, DigestOp& op) {
    auto key = abi::session_key(s, hKey);
    if (!key.ok()) return StepResult{key.rv(), false};
    if (key->object_class() != CKO_SECRET_KEY || !key->attrs().contains(CKA_VALUE)) {
      return StepResult{CKR_KEY_INDIGESTIBLE, false};
    }
    op.multipart = true;
    return status_step(op.update(key->value()), true);
  });
}

CRATON_EXPORT CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen) {
  return with_operation<DigestOp>(hSession, OpKind::kDigest, pulDigestLen != nullptr, "C_DigestFinal",
                                  [&](token::Session&, DigestOp& op) {
                                    return sized_step(op.digest_size(), pDigest, pulDigestLen, true,
                                                      [&] { return op.finish(); });
                                  });
}

// ---- signatures --------------------------------------------------------------------------------

CRATON_EXPORT CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                           CK_ULONG_PTR pulSignatureLen) {
  const bool ok = in_ok(pData, ulDataLen) && pulSignatureLen != nullptr;
  return with_operation<SignOp>(hSession, OpKind::kSign, ok, "C_Sign", [&](token::Session&, SignOp& op) {
    if (op.multipart) return StepResult{CKR_OPERATION_ACTIVE, true};
    return sized_step(op.signature_size(), pSignature, pulSignatureLen, true,
                      [&] { return op.sign(bytes(pData, ulDataLen)); });
  });
}

CRATON_EXPORT CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_operation<SignOp>(hSession, OpKind::kSign, in_ok(pPart, ulPartLen), "C_SignUpdate",
                                [&](token::Session&, SignOp& op) {
                                  op.multipart = true;
                                  return status_step(op.update(bytes(pPart, ulPartLen)), true);
                                });
}

CRATON_EXPORT CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen) {
  return with_operation<SignOp>(hSession, OpKind::kSign, pulSignatureLen != nullptr, "C_SignFinal",
                                [&](token::Session&, SignOp& op) {
                                  return sized_step(op.signature_size(), pSignature, pulSignatureLen, true,
                                                    [&] { return op.finish(); });
                                });
}

CRATON_EXPORT CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                             CK_ULONG ulSignatureLen) {
  const bool ok = in_ok(pData, ulDataLen) && in_ok(pSignature, ulSignatureLen);
  return with_operation<VerifyOp>(hSession, OpKind::kVerify, ok, "C_Verify", [&](token::Session&, VerifyOp& op) {
    if (op.multipart) return StepResult{CKR_OPERATION_ACTIVE, true};
    return status_step(op.verify(bytes(pData, ulDataLen), bytes(pSignature, ulSignatureLen)), false);
  });
}

CRATON_EXPORT CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_operation<VerifyOp>(hSession, OpKind::kVerify, in_ok(pPart, ulPartLen), "C_VerifyUpdate",
                                  [&](token::Session&, VerifyOp& op) {
                                    op.multipart = true;
                                    return status_step(op.update(bytes(pPart, ulPartLen)), true);
                                  });
}

CRATON_EXPORT CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen) {
  return with_operation<VerifyOp>(hSession, OpKind::kVerify, in_ok(pSignature, ulSignatureLen), "C_VerifyFinal",
                                  [&](token::Session&, VerifyOp& op) {
                                    return status_step(op.finish(bytes(pSignature, ulSignatureLen)), false);
                                  });
}

// 3.2: the signature is given at Init; the data follows.
CRATON_EXPORT CK_RV C_VerifySignatureInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey,
                                          CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen) {
  if (pMechanism != nullptr && !in_ok(pSignature, ulSignatureLen)) {
    return craton::abi::with_session(hSession, [](token::Library&, token::Session&) -> CK_RV { return CKR_ARGUMENTS_BAD; });
  }
  return init_operation(hSession, pMechanism, hKey, OpKind::kVerifySignature, "C_VerifySignatureInit",
                        pMechanism == nullptr ? std::span<const std::uint8_t>{} : bytes(pSignature, ulSignatureLen));
}

CRATON_EXPORT CK_RV C_VerifySignature(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen) {
  return with_operation<VerifyOp>(hSession, OpKind::kVerifySignature, in_ok(pData, ulDataLen), "C_VerifySignature",
                                  [&](token::Session&, VerifyOp& op) {
                                    if (op.multipart) return StepResult{CKR_OPERATION_ACTIVE, true};
                                    return status_step(op.verify(bytes(pData, ulDataLen), op.signature), false);
                                  });
}

CRATON_EXPORT CK_RV C_VerifySignatureUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_operation<VerifyOp>(hSession, OpKind::kVerifySignature, in_ok(pPart, ulPartLen),
                                  "C_VerifySignatureUpdate", [&](token::Session&, VerifyOp& op) {
                                    op.multipart = true;
                                    return status_step(op.update(bytes(pPart, ulPartLen)), true);
                                  });
}

CRATON_EXPORT CK_RV C_VerifySignatureFinal(CK_SESSION_HANDLE hSession) {
  return with_operation<VerifyOp>(hSession, OpKind::kVerifySignature, true, "C_VerifySignatureFinal",
                                  [&](token::Session&, VerifyOp& op) { return status_step(op.finish(op.signature), false); });
}

// ---- dual-function calls (both operations must be active) ---------------------------------------

namespace {

// Runs the cipher step of `cipher_kind`, feeding the bytes that go in (`feed_input`) or come out
// (otherwise) to the companion operation `other_kind`.
template <class Other>
CK_RV dual_call(CK_SESSION_HANDLE h, OpKind cipher_kind, OpKind other_kind, bool feed_input, const CK_BYTE* in,
                CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len, const char* fn) {
  const bool ok = in_ok(in, in_len) && out_len != nullptr;
  return with_operation<CipherOp>(h, cipher_kind, ok, fn, [&](token::Session& s, CipherOp& op) {
    auto* other = dynamic_cast<Other*>(s.ops.get(other_kind));
    if (other == nullptr) return StepResult{CKR_OPERATION_NOT_INITIALIZED, true};
    const auto input = bytes(in, in_len);
    StepResult r = cipher_step(op, Step::kUpdate, input, out, out_len, [&](std::span<const std::uint8_t> produced) {
      other->multipart = true;
      return other->update(feed_input ? input : produced);
    });
    if (r.rv != CKR_OK && r.rv != CKR_BUFFER_TOO_SMALL) abi::end_operation(s, other_kind);
    return r;
  });
}

}  // namespace

CRATON_EXPORT CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                          CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen) {
  return dual_call<DigestOp>(hSession, OpKind::kEncrypt, OpKind::kDigest, true, pPart, ulPartLen, pEncryptedPart,
                             pulEncryptedPartLen, "C_DigestEncryptUpdate");
}

CRATON_EXPORT CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                          CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen) {
  return dual_call<DigestOp>(hSession, OpKind::kDecrypt, OpKind::kDigest, false, pEncryptedPart, ulEncryptedPartLen,
                             pPart, pulPartLen, "C_DecryptDigestUpdate");
}

CRATON_EXPORT CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                        CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen) {
  return dual_call<SignOp>(hSession, OpKind::kEncrypt, OpKind::kSign, true, pPart, ulPartLen, pEncryptedPart,
                           pulEncryptedPartLen, "C_SignEncryptUpdate");
}

CRATON_EXPORT CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                          CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen) {
  return dual_call<VerifyOp>(hSession, OpKind::kDecrypt, OpKind::kVerify, false, pEncryptedPart, ulEncryptedPartLen,
                             pPart, pulPartLen, "C_DecryptVerifyUpdate");
}

// ---- random numbers ----------------------------------------------------------------------------

CRATON_EXPORT CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen) {
  return craton::abi::with_session(hSession, [&](token::Library&, token::Session&) -> CK_RV {
    if (!in_ok(pSeed, ulSeedLen)) return CKR_ARGUMENTS_BAD;
    // The DRBG reseeds itself from the OS; caller seed material is mixed in as additional input.
    return craton::abi::to_rv(crypto::add_entropy(bytes(pSeed, ulSeedLen)), "C_SeedRandom");
  });
}

CRATON_EXPORT CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pRandomData, CK_ULONG ulRandomLen) {
  return craton::abi::with_session(hSession, [&](token::Library&, token::Session&) -> CK_RV {
    if (!in_ok(pRandomData, ulRandomLen)) return CKR_ARGUMENTS_BAD;
    if (ulRandomLen == 0) return CKR_OK;
    return craton::abi::to_rv(crypto::random_bytes(std::span<std::uint8_t>(pRandomData, ulRandomLen)),
                              "C_GenerateRandom");
  });
}
