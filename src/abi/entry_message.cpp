// Message-based (3.0) entry points, key encapsulation (3.2) and authenticated wrapping.
//
// A message context (C_Message*Init) keeps the mechanism and key; each message builds a fresh
// operation from the mechanism's ordinary factory with the per-message parameters, so a family
// that implements C_Encrypt for AES-GCM gets C_EncryptMessage for free. The per-message IV is
// generated here (CKG_GENERATE_*), the tag is split off / handed in here, and a tag mismatch is
// reported as CKR_AEAD_DECRYPT_FAILED (the single-part API reports CKR_ENCRYPTED_DATA_INVALID).
#include <array>
#include <cstring>
#include <mutex>
#include <type_traits>

#include "abi/audit_hooks.h"
#include "abi/marshal.h"
#include "abi/op_helpers.h"
#include "abi/produced_key.h"
#include "crypto/ossl/random.h"

using namespace craton;
using craton::abi::in_ok;
using craton::abi::StepResult;
using craton::abi::with_operation;
using craton::mech::OpKind;

namespace craton::abi {
namespace {

class MessageContext final : public mech::Operation {
 public:
  static constexpr mech::OpFamily kFamily = mech::OpFamily::kMessage;
  using FamilyRoot = MessageContext;
  MessageContext(const mech::Registration& r, mech::Params p, mech::KeyRef k)
      : Operation(kFamily), reg(&r), init_params(std::move(p)), key(std::move(k)) {}
  const mech::Registration* reg;
  mech::Params init_params;
  mech::KeyRef key;
  std::uint64_t counter = 0;
  std::unique_ptr<mech::Operation> part;  // the message in progress (Begin/Next)
};

std::span<const std::uint8_t> bytes(const void* p, CK_ULONG n) {
  return p == nullptr ? std::span<const std::uint8_t>{}
                      : std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(p), n);
}

// Fills the IV the way the generator asks; the first iv_fixed_bits bits are the caller's.
Status generate_iv(MessageAeadParams& mp, std::uint64_t counter) {
  if (mp.generator == CKG_NO_GENERATE) return {};
  const std::size_t bits = mp.iv_len * 8;
  if (mp.iv_fixed_bits > bits) return fail(CKR_MECHANISM_PARAM_INVALID, "more fixed IV bits than the IV has");
  const std::size_t free_bits = bits - mp.iv_fixed_bits;
  std::vector<std::uint8_t> fresh(mp.iv_len, 0);
  switch (mp.generator) {
    case CKG_GENERATE_RANDOM:
      CRATON_TRY(crypto::random_bytes(fresh));
      break;
    case CKG_GENERATE:
    case CKG_GENERATE_COUNTER:
    case CKG_GENERATE_COUNTER_XOR:
      if (free_bits < 64 && (counter >> free_bits) != 0) return fail(CKR_DATA_LEN_RANGE, "IV counter exhausted");
      for (std::size_t i = 0; i < 8 && i < mp.iv_len; ++i) fresh[mp.iv_len - 1 - i] = static_cast<std::uint8_t>(counter >> (8 * i));
      break;
    default:
      return fail(CKR_MECHANISM_PARAM_INVALID, "unknown IV generator");
  }
  for (std::size_t bit = mp.iv_fixed_bits; bit < bits; ++bit) {
    const std::size_t byte = bit / 8;
    const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    const bool v = mp.generator == CKG_GENERATE_COUNTER_XOR ? (((mp.iv[byte] ^ fresh[byte]) & mask) != 0)
                                                           : ((fresh[byte] & mask) != 0);
    mp.iv[byte] = static_cast<std::uint8_t>(v ? (mp.iv[byte] | mask) : (mp.iv[byte] & ~mask));
  }
  return {};
}

// The ordinary mechanism parameter for one message.
Result<mech::Params> message_params(CK_MECHANISM_TYPE m, const MessageAeadParams& mp, std::span<const std::uint8_t> aad,
                                    std::size_t data_len) {
  const mech::Bytes iv(mp.iv, mp.iv + mp.iv_len);
  const mech::Bytes ad(aad.begin(), aad.end());
  switch (m) {
    case CKM_AES_GCM: return mech::Params(mech::GcmParams{SmallBytes<16>(mp.iv, mp.iv_len), ad, mp.tag_len * 8});
    case CKM_AES_CCM: return mech::Params(mech::CcmParams{mp.data_len != 0 ? mp.data_len : data_len, iv, ad, mp.tag_len});
    case CKM_CHACHA20_POLY1305: return mech::Params(mech::ChaCha20Poly1305Params{iv, ad});
    default: break;
  }
  return fail(CKR_MECHANISM_INVALID, "mechanism has no message-based encryption");
}

CK_RV aead_rv(CK_RV rv) { return rv == CKR_ENCRYPTED_DATA_INVALID ? CKR_AEAD_DECRYPT_FAILED : rv; }

// One whole message: encrypt (tag out) or decrypt (tag in).
StepResult aead_message(MessageContext& ctx, bool encrypt, const void* param, CK_ULONG param_len,
                        std::span<const std::uint8_t> aad, std::span<const std::uint8_t> in, CK_BYTE_PTR out,
                        CK_ULONG_PTR out_len) {
  if (ctx.part) return {CKR_OPERATION_ACTIVE, true};
  if (out == nullptr) {
    *out_len = static_cast<CK_ULONG>(in.size());
    return {CKR_OK, true};
  }
  if (*out_len < in.size()) {
    *out_len = static_cast<CK_ULONG>(in.size());
    return {CKR_BUFFER_TOO_SMALL, true};
  }
  auto mp = decode_message_params(ctx.reg->type, param, param_len);
  if (!mp.ok()) return {mp.rv(), true};
  if (encrypt) {
    if (auto st = generate_iv(*mp, ctx.counter); !st.ok()) return {st.rv(), true};
  }
  auto params = message_params(ctx.reg->type, *mp, aad, in.size());
  if (!params.ok()) return {params.rv(), true};
  auto op = encrypt ? ctx.reg->impl->encrypt(*params, ctx.key) : ctx.reg->impl->decrypt(*params, ctx.key);
  if (!op.ok()) return {op.rv(), true};
  // The text goes straight between the caller's buffers and the tag straight to / from the
  // parameter's tag buffer (ciphertext and tag are apart in this API).
  const std::span<std::uint8_t> text(out, in.size());
  if (encrypt) {
    // The tag is written only if the whole message succeeded (a failure leaves the caller's tag as it was).
    std::array<std::uint8_t, 16> tag{};
    if (mp->tag_len > tag.size()) return {CKR_MECHANISM_PARAM_INVALID, true};
    const auto tag_out = std::span<std::uint8_t>(tag).first(mp->tag_len);
    if (auto st = (*op)->seal_detached(in, text, tag_out); !st.ok()) return {st.rv(), true};
    if (!tag_out.empty()) std::memcpy(mp->tag, tag_out.data(), tag_out.size());
    ++ctx.counter;
    *out_len = static_cast<CK_ULONG>(in.size());
    return {CKR_OK, true};
  }
  auto n = (*op)->open_detached(in, std::span<const std::uint8_t>(mp->tag, mp->tag_len), text);
  if (!n.ok()) return {aead_rv(n.rv()), true};
  *out_len = static_cast<CK_ULONG>(*n);
  return {CKR_OK, true};
}

}  // namespace

Result<std::unique_ptr<mech::Operation>> make_message_context(OpKind kind, const mech::Registration& reg,
                                                              mech::Params params, mech::KeyRef key) {
  (void)kind;
  return std::unique_ptr<mech::Operation>(std::make_unique<MessageContext>(reg, std::move(params), std::move(key)));
}

}  // namespace craton::abi

using craton::abi::MessageContext;

CRATON_EXPORT CK_RV C_EncryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                     CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                                     CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen) {
  const bool ok = pParameter != nullptr && in_ok(pAssociatedData, ulAssociatedDataLen) &&
                  in_ok(pPlaintext, ulPlaintextLen) && pulCiphertextLen != nullptr;
  return with_operation<MessageContext>(hSession, OpKind::kMessageEncrypt, ok, "C_EncryptMessage",
                                        [&](token::Session&, MessageContext& ctx) {
                                          return abi::aead_message(ctx, true, pParameter, ulParameterLen,
                                                                   abi::bytes(pAssociatedData, ulAssociatedDataLen),
                                                                   abi::bytes(pPlaintext, ulPlaintextLen), pCiphertext,
                                                                   pulCiphertextLen);
                                        });
}

CRATON_EXPORT CK_RV C_DecryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                     CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext, CK_ULONG_PTR pulPlaintextLen) {
  const bool ok = pParameter != nullptr && in_ok(pAssociatedData, ulAssociatedDataLen) &&
                  in_ok(pCiphertext, ulCiphertextLen) && pulPlaintextLen != nullptr;
  return with_operation<MessageContext>(hSession, OpKind::kMessageDecrypt, ok, "C_DecryptMessage",
                                        [&](token::Session&, MessageContext& ctx) {
                                          return abi::aead_message(ctx, false, pParameter, ulParameterLen,
                                                                   abi::bytes(pAssociatedData, ulAssociatedDataLen),
                                                                   abi::bytes(pCiphertext, ulCiphertextLen), pPlaintext,
                                                                   pulPlaintextLen);
                                        });
}

// Multi-part messages: Begin builds the message's operation, Next feeds it, CKF_END_OF_MESSAGE ends it.
namespace {

StepResult begin_aead(MessageContext& ctx, bool encrypt, const void* param, CK_ULONG param_len,
                      std::span<const std::uint8_t> aad) {
  if (ctx.part) return {CKR_OPERATION_ACTIVE, true};
  auto mp = abi::decode_message_params(ctx.reg->type, param, param_len);
  if (!mp.ok()) return {mp.rv(), true};
  if (ctx.reg->type == CKM_AES_CCM && mp->data_len == 0) return {CKR_MECHANISM_PARAM_INVALID, true};
  if (encrypt) {
    if (auto st = abi::generate_iv(*mp, ctx.counter); !st.ok()) return {st.rv(), true};
  }
  auto params = abi::message_params(ctx.reg->type, *mp, aad, mp->data_len);
  if (!params.ok()) return {params.rv(), true};
  auto op = encrypt ? ctx.reg->impl->encrypt(*params, ctx.key) : ctx.reg->impl->decrypt(*params, ctx.key);
  if (!op.ok()) return {op.rv(), true};
  ctx.part = std::move(*op);
  if (encrypt) ++ctx.counter;
  return {CKR_OK, true};
}

// One part of a multi-part message. On the last part of an encryption, the tag goes to the
// parameter's tag buffer; on the last part of a decryption, the tag is read from it.
StepResult next_aead(MessageContext& ctx, bool encrypt, const void* param, CK_ULONG param_len,
                     std::span<const std::uint8_t> in, CK_BYTE_PTR out, CK_ULONG_PTR out_len, CK_FLAGS flags) {
  auto* op = dynamic_cast<mech::CipherOp*>(ctx.part.get());
  if (op == nullptr) return {CKR_OPERATION_NOT_INITIALIZED, true};
  auto mp = abi::decode_message_params(ctx.reg->type, param, param_len);
  if (!mp.ok()) return {mp.rv(), true};
  const bool last = (flags & CKF_END_OF_MESSAGE) != 0;
  const std::size_t tag = last && encrypt ? mp->tag_len : 0;
  if (!op->pending) {
    if (out == nullptr) {
      std::size_t bound = op->max_output(mech::CipherOp::Step::kUpdate, in.size());
      if (last) bound += op->max_output(mech::CipherOp::Step::kFinal, in.size() + (encrypt ? 0 : mp->tag_len));
      *out_len = static_cast<CK_ULONG>(bound - std::min(bound, tag));
      return {CKR_OK, true};
    }
    auto r = op->update(in);
    if (!r.ok()) {
      ctx.part.reset();
      return {r.rv(), true};
    }
    SecureBytes all = std::move(*r);
    if (last) {
      if (!encrypt) {
        SecureBytes t(std::span<const std::uint8_t>(mp->tag, mp->tag_len));
        auto more = op->update(t.span());
        if (!more.ok()) {
          ctx.part.reset();
          return {abi::aead_rv(more.rv()), true};
        }
      }
      auto f = op->finish();
      if (!f.ok()) {
        ctx.part.reset();
        return {encrypt ? f.rv() : abi::aead_rv(f.rv()), true};
      }
      SecureBytes joined(all.size() + f->size());
      if (!all.empty()) std::memcpy(joined.data(), all.data(), all.size());
      if (!f->empty()) std::memcpy(joined.data() + all.size(), f->data(), f->size());
      all = std::move(joined);
    }
    op->pending = std::move(all);
  }
  const std::size_t body = op->pending->size() - std::min(op->pending->size(), tag);
  if (out == nullptr || *out_len < body) {
    *out_len = static_cast<CK_ULONG>(body);
    return {out == nullptr ? CKR_OK : CKR_BUFFER_TOO_SMALL, true};
  }
  if (body != 0) std::memcpy(out, op->pending->data(), body);
  if (tag != 0) std::memcpy(mp->tag, op->pending->data() + body, tag);
  *out_len = static_cast<CK_ULONG>(body);
  op->pending.reset();
  if (last) ctx.part.reset();
  return {CKR_OK, true};
}

}  // namespace

CRATON_EXPORT CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                          CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen) {
  const bool ok = pParameter != nullptr && in_ok(pAssociatedData, ulAssociatedDataLen);
  return with_operation<MessageContext>(hSession, OpKind::kMessageEncrypt, ok, "C_EncryptMessageBegin",
                                        [&](token::Session&, MessageContext& ctx) {
                                          return begin_aead(ctx, true, pParameter, ulParameterLen,
                                                            abi::bytes(pAssociatedData, ulAssociatedDataLen));
                                        });
}

CRATON_EXPORT CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                          CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen) {
  const bool ok = pParameter != nullptr && in_ok(pAssociatedData, ulAssociatedDataLen);
  return with_operation<MessageContext>(hSession, OpKind::kMessageDecrypt, ok, "C_DecryptMessageBegin",
                                        [&](token::Session&, MessageContext& ctx) {
                                          return begin_aead(ctx, false, pParameter, ulParameterLen,
                                                            abi::bytes(pAssociatedData, ulAssociatedDataLen));
                                        });
}

CRATON_EXPORT CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                         CK_BYTE_PTR pPlaintextPart, CK_ULONG ulPlaintextPartLen,
                                         CK_BYTE_PTR pCiphertextPart, CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags) {
  const bool ok = pParameter != nullptr && in_ok(pPlaintextPart, ulPlaintextPartLen) && pulCiphertextPartLen != nullptr;
  return with_operation<MessageContext>(hSession, OpKind::kMessageEncrypt, ok, "C_EncryptMessageNext",
                                        [&](token::Session&, MessageContext& ctx) {
                                          return next_aead(ctx, true, pParameter, ulParameterLen,
                                                           abi::bytes(pPlaintextPart, ulPlaintextPartLen),
                                                           pCiphertextPart, pulCiphertextPartLen, flags);
                                        });
}

CRATON_EXPORT CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                         CK_BYTE_PTR pCiphertextPart, CK_ULONG ulCiphertextPartLen,
                                         CK_BYTE_PTR pPlaintextPart, CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags) {
  const bool ok = pParameter != nullptr && in_ok(pCiphertextPart, ulCiphertextPartLen) && pulPlaintextPartLen != nullptr;
  return with_operation<MessageContext>(hSession, OpKind::kMessageDecrypt, ok, "C_DecryptMessageNext",
                                        [&](token::Session&, MessageContext& ctx) {
                                          return next_aead(ctx, false, pParameter, ulParameterLen,
                                                           abi::bytes(pCiphertextPart, ulCiphertextPartLen),
                                                           pPlaintextPart, pulPlaintextPartLen, flags);
                                        });
}

// ---- message-based signatures: one ordinary sign/verify operation per message -------------------

namespace {

// The sign or verify operation of the current message, created on its first part.
template <class Op>
Result<Op*> message_part(MessageContext& ctx) {
  if (!ctx.part) {
    if constexpr (std::is_same_v<Op, mech::SignOp>) {
      CRATON_ASSIGN_OR_RETURN(auto op, ctx.reg->impl->sign(ctx.init_params, ctx.key));
      ctx.part = std::move(op);
    } else {
      CRATON_ASSIGN_OR_RETURN(auto op, ctx.reg->impl->verify(ctx.init_params, ctx.key));
      ctx.part = std::move(op);
    }
  }
  auto* op = dynamic_cast<Op*>(ctx.part.get());
  if (op == nullptr) return fail(CKR_GENERAL_ERROR, "message part of the wrong kind");
  return op;
}

// Message signatures take no per-message parameter for the mechanisms offered (HMAC).
bool no_param(const void* p, CK_ULONG len) { return p == nullptr && len == 0; }

StepResult sign_part(MessageContext& ctx, std::span<const std::uint8_t> data, bool whole, CK_BYTE_PTR sig,
                     CK_ULONG_PTR sig_len) {
  if (whole && ctx.part) return {CKR_OPERATION_ACTIVE, true};
  auto op = message_part<mech::SignOp>(ctx);
  if (!op.ok()) return {op.rv(), true};
  if (sig_len == nullptr) {  // C_SignMessageNext without a signature buffer: more parts follow
    auto st = (*op)->update(data);
    if (!st.ok()) ctx.part.reset();
    return {st.rv(), true};
  }
  StepResult r = abi::sized_step((*op)->signature_size(), sig, sig_len, true, [&]() -> Result<mech::Bytes> {
    CRATON_TRY((*op)->update(data));
    return (*op)->finish();
  });
  if (!r.keep || (whole && sig == nullptr)) ctx.part.reset();
  return {r.rv, true};
}

StepResult verify_part(MessageContext& ctx, std::span<const std::uint8_t> data, bool whole,
                       std::span<const std::uint8_t> sig, bool last) {
  if (whole && ctx.part) return {CKR_OPERATION_ACTIVE, true};
  auto op = message_part<mech::VerifyOp>(ctx);
  if (!op.ok()) return {op.rv(), true};
  Status st = (*op)->update(data);
  if (st.ok() && last) st = (*op)->finish(sig);
  if (!st.ok() || last) ctx.part.reset();
  return {st.rv(), true};
}

}  // namespace

CRATON_EXPORT CK_RV C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                  CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                  CK_ULONG_PTR pulSignatureLen) {
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen) && pulSignatureLen != nullptr;
  return with_operation<MessageContext>(hSession, OpKind::kMessageSign, ok, "C_SignMessage", [&](token::Session&, MessageContext& ctx) {
    if (!no_param(pParameter, ulParameterLen)) return StepResult{CKR_MECHANISM_PARAM_INVALID, true};
    return sign_part(ctx, abi::bytes(pData, ulDataLen), true, pSignature, pulSignatureLen);
  });
}

CRATON_EXPORT CK_RV C_SignMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen) {
  return with_operation<MessageContext>(hSession, OpKind::kMessageSign, in_ok(pParameter, ulParameterLen), "C_SignMessageBegin",
                                        [&](token::Session&, MessageContext& ctx) {
                                          if (!no_param(pParameter, ulParameterLen)) return StepResult{CKR_MECHANISM_PARAM_INVALID, true};
                                          if (ctx.part) return StepResult{CKR_OPERATION_ACTIVE, true};
                                          auto op = message_part<mech::SignOp>(ctx);
                                          return StepResult{op.rv(), true};
                                        });
}

CRATON_EXPORT CK_RV C_SignMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                      CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                      CK_ULONG_PTR pulSignatureLen) {
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen);
  return with_operation<MessageContext>(hSession, OpKind::kMessageSign, ok, "C_SignMessageNext", [&](token::Session&, MessageContext& ctx) {
    if (!ctx.part) return StepResult{CKR_OPERATION_NOT_INITIALIZED, true};
    return sign_part(ctx, abi::bytes(pData, ulDataLen), false, pSignature, pulSignatureLen);
  });
}

CRATON_EXPORT CK_RV C_VerifyMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                    CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                    CK_ULONG ulSignatureLen) {
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen) && in_ok(pSignature, ulSignatureLen);
  return with_operation<MessageContext>(hSession, OpKind::kMessageVerify, ok, "C_VerifyMessage", [&](token::Session&, MessageContext& ctx) {
    if (!no_param(pParameter, ulParameterLen)) return StepResult{CKR_MECHANISM_PARAM_INVALID, true};
    return verify_part(ctx, abi::bytes(pData, ulDataLen), true, abi::bytes(pSignature, ulSignatureLen), true);
  });
}

CRATON_EXPORT CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen) {
  return with_operation<MessageContext>(hSession, OpKind::kMessageVerify, in_ok(pParameter, ulParameterLen),
                                        "C_VerifyMessageBegin", [&](token::Session&, MessageContext& ctx) {
                                          if (!no_param(pParameter, ulParameterLen)) return StepResult{CKR_MECHANISM_PARAM_INVALID, true};
                                          if (ctx.part) return StepResult{CKR_OPERATION_ACTIVE, true};
                                          auto op = message_part<mech::VerifyOp>(ctx);
                                          return StepResult{op.rv(), true};
                                        });
}

CRATON_EXPORT CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                        CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                        CK_ULONG ulSignatureLen) {
  const bool ok = in_ok(pParameter, ulParameterLen) && in_ok(pData, ulDataLen) && in_ok(pSignature, ulSignatureLen);
  return with_operation<MessageContext>(hSession, OpKind::kMessageVerify, ok, "C_VerifyMessageNext", [&](token::Session&, MessageContext& ctx) {
    if (!ctx.part) return StepResult{CKR_OPERATION_NOT_INITIALIZED, true};
    return verify_part(ctx, abi::bytes(pData, ulDataLen), false, abi::bytes(pSignature, ulSignatureLen), pSignature != nullptr);
  });
}

#define CRATON_MESSAGE_FINAL(Name, Kind)                                                                   \
  CRATON_EXPORT CK_RV Name(CK_SESSION_HANDLE hSession) {                                                  \
    return with_operation<MessageContext>(hSession, Kind, true, #Name,                                    \
                                          [](token::Session&, MessageContext&) { return StepResult{CKR_OK, false}; }); \
  }
CRATON_MESSAGE_FINAL(C_MessageEncryptFinal, OpKind::kMessageEncrypt)
CRATON_MESSAGE_FINAL(C_MessageDecryptFinal, OpKind::kMessageDecrypt)
CRATON_MESSAGE_FINAL(C_MessageSignFinal, OpKind::kMessageSign)
CRATON_MESSAGE_FINAL(C_MessageVerifyFinal, OpKind::kMessageVerify)
#undef CRATON_MESSAGE_FINAL

// ---- key encapsulation (3.2) ---------------------------------------------------------------------

CRATON_EXPORT CK_RV C_EncapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hPublicKey,
                                     CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG_PTR pulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey) {
  UniqueIdText made;  // the new key's CKA_UNIQUE_ID, for the audit record
  return abi::with_session(hSession, abi::audited("C_EncapsulateKey", pMechanism, abi::AuditSubject::produced(phKey, &made, pCiphertext == nullptr),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || pulCiphertextLen == nullptr || phKey == nullptr) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulAttributeCount);
    if (!tmpl.ok()) return abi::to_rv(tmpl, "C_EncapsulateKey");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_ENCAPSULATE);
    if (!prepared.ok()) return abi::to_rv(prepared, "C_EncapsulateKey");
    auto key = abi::session_key(s, hPublicKey);
    if (!key.ok()) return abi::to_rv(key, "C_EncapsulateKey");
    if (auto st = mech::check_key_use(*prepared->reg, mech::KeyUse::kEncapsulate, *key); !st.ok()) {
      return abi::to_rv(st, "C_EncapsulateKey");
    }
    if (auto a = abi::approve_use(lib, pMechanism->mechanism, mech::KeyUse::kEncapsulate, *key); !a.ok()) {
      return abi::to_rv(a, "C_EncapsulateKey");
    }
    const mech::Mechanism& m = *prepared->reg->impl;
    auto size = m.ciphertext_size(prepared->decoded.params, *key);
    if (!size.ok()) return abi::to_rv(size, "C_EncapsulateKey");
    if (pCiphertext == nullptr || *pulCiphertextLen < *size) {
      *pulCiphertextLen = static_cast<CK_ULONG>(*size);
      return pCiphertext == nullptr ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    }
    auto merged = abi::merge_key_template(std::move(*tmpl), key->attrs(), CKA_ENCAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE);
    if (!merged.ok()) return abi::to_rv(merged, "C_EncapsulateKey");
    auto enc = m.encapsulate(prepared->decoded.params, *key);
    if (!enc.ok()) return abi::to_rv(enc, "C_EncapsulateKey");
    auto h = abi::store_shared_secret(s, *merged, enc->shared_secret, nullptr, pMechanism->mechanism);
    if (!h.ok()) return abi::to_rv(h, "C_EncapsulateKey");
    std::memcpy(pCiphertext, enc->ciphertext.data(), enc->ciphertext.size());
    *pulCiphertextLen = static_cast<CK_ULONG>(enc->ciphertext.size());
    *phKey = h->handle;
    made = h->uid;
    return CKR_OK;
  }));
}

CRATON_EXPORT CK_RV C_DecapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hPrivateKey,
                                     CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_BYTE_PTR pCiphertext,
                                     CK_ULONG ulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey) {
  UniqueIdText made;  // the new key's CKA_UNIQUE_ID, for the audit record
  return abi::with_session(hSession, abi::audited("C_DecapsulateKey", pMechanism, abi::AuditSubject::produced(phKey, &made),
      [&](token::Library& lib, token::Session& s) -> CK_RV {
    if (pMechanism == nullptr || phKey == nullptr || !in_ok(pCiphertext, ulCiphertextLen)) return CKR_ARGUMENTS_BAD;
    auto tmpl = abi::in_template(pTemplate, ulAttributeCount);
    if (!tmpl.ok()) return abi::to_rv(tmpl, "C_DecapsulateKey");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_DECAPSULATE);
    if (!prepared.ok()) return abi::to_rv(prepared, "C_DecapsulateKey");
    auto key = abi::session_key(s, hPrivateKey);
    if (!key.ok()) return abi::to_rv(key, "C_DecapsulateKey");
    if (auto st = mech::check_key_use(*prepared->reg, mech::KeyUse::kDecapsulate, *key); !st.ok()) {
      return abi::to_rv(st, "C_DecapsulateKey");
    }
    if (auto a = abi::approve_use(lib, pMechanism->mechanism, mech::KeyUse::kDecapsulate, *key); !a.ok()) {
      return abi::to_rv(a, "C_DecapsulateKey");
    }
    auto merged = abi::merge_key_template(std::move(*tmpl), key->attrs(), CKA_DECAPSULATE_TEMPLATE | CKF_ARRAY_ATTRIBUTE);
    if (!merged.ok()) return abi::to_rv(merged, "C_DecapsulateKey");
    auto secret = prepared->reg->impl->decapsulate(prepared->decoded.params, *key, abi::bytes(pCiphertext, ulCiphertextLen));
    if (!secret.ok()) return abi::to_rv(secret, "C_DecapsulateKey");
    auto h = abi::store_shared_secret(s, *merged, *secret, &*key, pMechanism->mechanism);
    if (!h.ok()) return abi::to_rv(h, "C_DecapsulateKey");
    *phKey = h->handle;
    made = h->uid;
    return CKR_OK;
  }));
}

// ---- authenticated wrapping (3.2): no mechanism of this module offers it yet --------------------

CRATON_EXPORT CK_RV C_WrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                           CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                                           CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen,
                                           CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen) {
  (void)hWrappingKey;
  (void)hKey;
  (void)pWrappedKey;
  return abi::with_session(hSession, [&](token::Library& lib, token::Session&) -> CK_RV {
    if (pMechanism == nullptr || pulWrappedKeyLen == nullptr || !in_ok(pAssociatedData, ulAssociatedDataLen)) {
      return CKR_ARGUMENTS_BAD;
    }
    auto prepared = abi::prepare(lib, *pMechanism, CKF_WRAP);
    return prepared.ok() ? CKR_MECHANISM_INVALID : abi::to_rv(prepared, "C_WrapKeyAuthenticated");
  });
}

CRATON_EXPORT CK_RV C_UnwrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                             CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                             CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                             CK_ULONG ulAttributeCount, CK_BYTE_PTR pAssociatedData,
                                             CK_ULONG ulAssociatedDataLen, CK_OBJECT_HANDLE_PTR phKey) {
  (void)hUnwrappingKey;
  return abi::with_session(hSession, [&](token::Library& lib, token::Session&) -> CK_RV {
    if (pMechanism == nullptr || phKey == nullptr || !in_ok(pWrappedKey, ulWrappedKeyLen) ||
        !in_ok(pAssociatedData, ulAssociatedDataLen)) {
      return CKR_ARGUMENTS_BAD;
    }
    auto tmpl = abi::in_template(pTemplate, ulAttributeCount);
    if (!tmpl.ok()) return abi::to_rv(tmpl, "C_UnwrapKeyAuthenticated");
    auto prepared = abi::prepare(lib, *pMechanism, CKF_UNWRAP);
    return prepared.ok() ? CKR_MECHANISM_INVALID : abi::to_rv(prepared, "C_UnwrapKeyAuthenticated");
  });
}
