#include "abi/op_helpers.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "abi/audit_hooks.h"
#include "abi/marshal.h"
#include "mech/approval.h"
#include "mech/registry.h"
#include "object/key_approval.h"

namespace craton::abi {

using mech::OpKind;

bool mechanism_offered(const token::Library& lib, CK_MECHANISM_TYPE type) {
  if (!lib.config().mechanisms.allows(type)) return false;
  return !lib.config().fips_approved_only || mech::mechanism_approvable(type);
}

CK_MECHANISM_INFO offered_info(const token::Library& lib, const mech::Registration& r) {
  return lib.config().fips_approved_only ? mech::approved_mechanism_info(r) : r.info;
}

Result<const mech::Registration*> offered_mechanism(const token::Library& lib, CK_MECHANISM_TYPE type) {
  const mech::Registration* r = mech::find_mechanism(type);
  if (r == nullptr || !mechanism_offered(lib, type)) return fail(CKR_MECHANISM_INVALID, "mechanism not offered");
  return r;
}

Result<bool> approve_use(const token::Library& lib, CK_MECHANISM_TYPE type, mech::KeyUse use, const mech::KeyRef& key) {
  const bool approved = mech::service_approved(type, use, key);
  if (approved || !lib.config().fips_approved_only) return approved;
  if (!mech::mechanism_approved_for(type, use)) {
    return fail(CKR_MECHANISM_INVALID, "approved-only mode: the mechanism is not approved for this function");
  }
  CRATON_TRY(mech::require_approved_key(key.attrs()));  // the mechanism part was approved
  return fail(CKR_OPERATION_NOT_VALIDATED, "approved-only mode: unapproved service");
}

void record_validation(token::Session& s, bool approved) {
  s.last_validation_flags.store(approved ? object::kFipsValidationFlag : 0, std::memory_order_relaxed);
}

Result<mech::KeyRef> session_key(token::Session& s, CK_OBJECT_HANDLE h) {
  auto v = s.token()->view(s.caller(), h);
  if (!v.ok()) {
    if (v.rv() == CKR_OBJECT_HANDLE_INVALID) return fail(CKR_KEY_HANDLE_INVALID, "no such key");
    return v.error();
  }
  if (v->second) return fail(CKR_USER_NOT_LOGGED_IN, "key material is sealed until a user logs in");
  return mech::KeyRef(h, std::move(v->first));
}

mech::KeyLookup key_lookup(token::Session& s) {
  return [&s](CK_OBJECT_HANDLE h) { return session_key(s, h); };
}

// mech_params.cpp: the CK_GCM_PARAMS decoder, filling `out` in place.
Status decode_gcm_into(const CK_MECHANISM& m, mech::Params& out);

Status prepare_into(const token::Library& lib, const CK_MECHANISM& m, CK_FLAGS needed_flag, Prepared& p) {
  if (m.pParameter == nullptr && m.ulParameterLen != 0) return fail(CKR_MECHANISM_PARAM_INVALID, "NULL parameter with a length");
  CRATON_ASSIGN_OR_RETURN(p.reg, offered_mechanism(lib, m.mechanism));
  if ((offered_info(lib, *p.reg).flags & needed_flag) == 0) return fail(CKR_MECHANISM_INVALID, "mechanism does not offer this function");
  // The message-based AEAD Inits take no parameter of their own: the IV, tag and AAD come with
  // each message. A per-message structure given here is checked for shape and otherwise unused.
  const bool aead_message_init = (needed_flag & (CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT)) != 0 &&
                                 (p.reg->params == mech::ParamKind::kGcm || p.reg->params == mech::ParamKind::kCcm ||
                                  p.reg->params == mech::ParamKind::kChaCha20Poly1305);
  if (aead_message_init) {
    if (m.ulParameterLen != 0) CRATON_TRY(decode_message_params(m.mechanism, m.pParameter, m.ulParameterLen));
    p.decoded.params = mech::NoParams{};
    return {};
  }
  if (p.reg->params == mech::ParamKind::kGcm) return decode_gcm_into(m, p.decoded.params);
  return decode_mechanism_into(m, p.reg->params, p.decoded);
}

Result<Prepared> prepare(const token::Library& lib, const CK_MECHANISM& m, CK_FLAGS needed_flag) {
  Prepared p;
  CRATON_TRY(prepare_into(lib, m, needed_flag, p));
  return p;
}

namespace {

// The mechanism-info flag an Init of `kind` needs.
CK_FLAGS init_flag(OpKind kind) { return kind == OpKind::kVerifySignature ? CKF_VERIFY : mech::cancel_flag(kind); }

bool needs_context_login(OpKind kind) {
  return kind == OpKind::kSign || kind == OpKind::kDecrypt || kind == OpKind::kSignRecover ||
         kind == OpKind::kMessageSign || kind == OpKind::kMessageDecrypt;
}

template <class T>
Result<std::unique_ptr<mech::Operation>> upcast(Result<std::unique_ptr<T>> r) {
  if (!r.ok()) return r.error();
  return std::unique_ptr<mech::Operation>(std::move(*r));
}

Result<std::unique_ptr<mech::Operation>> make_operation(OpKind kind, const mech::Mechanism& m, const mech::Params& p,
                                                        const mech::KeyRef& key) {
  switch (kind) {
    case OpKind::kEncrypt: return upcast(m.encrypt(p, key));
    case OpKind::kDecrypt: return upcast(m.decrypt(p, key));
    case OpKind::kSign: return upcast(m.sign(p, key));
    case OpKind::kVerify:
    case OpKind::kVerifySignature: return upcast(m.verify(p, key));
    case OpKind::kSignRecover: return upcast(m.sign_recover(p, key));
    case OpKind::kVerifyRecover: return upcast(m.verify_recover(p, key));
    default: break;
  }
  return fail(CKR_MECHANISM_INVALID, "no factory for this operation kind");
}

}  // namespace

// Message-based kinds are initialised in entry_message.cpp (they keep a per-message context).
Result<std::unique_ptr<mech::Operation>> make_message_context(OpKind kind, const mech::Registration& reg,
                                                              mech::Params params, mech::KeyRef key);

void end_operation(token::Session& s, OpKind kind) {
  s.ops.end(kind);
  if (s.context_login_pending && !s.ops.any_active()) s.context_login_pending = false;  // no operation waits for a context login
}

namespace {

// The checks and the start of an operation, under the session lock. When auditing, the key's
// CKA_UNIQUE_ID goes straight into the session's slot for the operation (read by its final record).
CK_RV init_checked(token::Library& lib, token::Session& s, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key,
                   OpKind kind, const char* fn, std::span<const std::uint8_t> signature) {
  Prepared prepared;
  if (auto st = prepare_into(lib, *mechanism, init_flag(kind), prepared); !st.ok()) return to_rv(st, fn);
  auto keyref = session_key(s, key);
  if (!keyref.ok()) return to_rv(keyref, fn);
  if (lib.audit_writer() != nullptr) s.op_key_uid[static_cast<std::size_t>(kind)].assign(key_uid(*keyref));
  const mech::Registration& reg = *prepared.reg;
  if (auto st = mech::check_key_use(reg, mech::key_use_of(kind), *keyref); !st.ok()) return to_rv(st, fn);
  const auto approved = approve_use(lib, reg.type, mech::key_use_of(kind), *keyref);
  if (!approved.ok()) return to_rv(approved, fn);
  const bool always_auth = keyref->facts().always_authenticate;
  Result<std::unique_ptr<mech::Operation>> op =
      (kind >= OpKind::kMessageEncrypt && kind <= OpKind::kMessageVerify)
          ? make_message_context(kind, reg, std::move(prepared.decoded.params), std::move(*keyref))
          : make_operation(kind, *reg.impl, prepared.decoded.params, *keyref);
  if (!op.ok()) return to_rv(op, fn);
  (*op)->mechanism = mechanism->mechanism;
  (*op)->approved = *approved;
  (*op)->signature.assign(signature.begin(), signature.end());
  s.ops.start(kind, std::move(*op));
  if (always_auth && needs_context_login(kind)) s.context_login_pending = true;
  return CKR_OK;
}

// The checks and start of an operation under the session lock `lock`; a failure is recorded
// (record_operation, which may release `lock`).
CK_RV init_locked(token::Library& lib, token::Session& s, std::unique_lock<ExclusiveMutex>& lock,
                  CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key, OpKind kind, const char* fn,
                  std::span<const std::uint8_t> signature) {
  if (mechanism == nullptr) {
    if (!s.ops.active(kind)) return CKR_ARGUMENTS_BAD;
    end_operation(s, kind);
    return CKR_OK;
  }
  if (s.ops.active(kind)) return CKR_OPERATION_ACTIVE;
  // The slot belongs to no running operation here (none of this kind is active).
  std::string& key_id = s.op_key_uid[static_cast<std::size_t>(kind)];
  key_id.clear();
  const CK_RV rv = init_checked(lib, s, mechanism, key, kind, fn, signature);
  if (rv != CKR_OK) record_operation(lib, s, lock, fn, mechanism->mechanism, rv, key_id, std::nullopt);
  return rv;
}

}  // namespace

// A successful Init is not recorded: the operation is, when it ends. A failed one is.
CK_RV init_operation(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key, OpKind kind,
                     const char* fn, std::span<const std::uint8_t> signature) {
  return with_session(h, [&](token::Library& lib, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    return init_locked(lib, s, lock, mechanism, key, kind, fn, signature);
  });
}

CK_RV with_operation_impl(CK_SESSION_HANDLE h, OpKind kind, bool args_ok, const char* fn,
                          FnRef<StepResult(token::Session&, mech::Operation&)> body) {
  return with_session(h, [&](token::Library& lib, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    mech::Operation* op = s.ops.get(kind);
    if (op == nullptr) return CKR_OPERATION_NOT_INITIALIZED;
    const CK_MECHANISM_TYPE mechanism = op->mechanism;
    const bool approved = op->approved;
    StepResult r{CKR_ARGUMENTS_BAD, false};
    if (args_ok) {
      if (s.context_login_pending && needs_context_login(kind)) return CKR_USER_NOT_LOGGED_IN;
      try {
        r = body(s, *op);
      } catch (...) {
        end_operation(s, kind);  // an operation never survives a failure it could not report
        throw;
      }
    }
    if (!r.keep) {
      if (r.rv == CKR_OK) record_validation(s, approved);  // the last *completed* operation
      end_operation(s, kind);
    }
    if (r.rv != CKR_OK && r.rv != CKR_BUFFER_TOO_SMALL) log::debug("abi", std::string_view(fn), " failed with ", r.rv);
    // One record per operation, when it ends (record_operation: the key's id copied once, no
    // allocation once the scratch record's buffers have grown).
    if (!r.keep && kind != OpKind::kDigest) {
      record_operation(lib, s, lock, fn, mechanism, r.rv, s.op_key_uid[static_cast<std::size_t>(kind)], approved);
    }
    return r.rv;
  });
}

namespace {

// Hands `value` to the caller's buffer; false when it does not fit (length reported).
CK_RV copy_out(std::span<const std::uint8_t> value, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  if (*out_len < value.size()) {
    *out_len = static_cast<CK_ULONG>(value.size());
    return CKR_BUFFER_TOO_SMALL;
  }
  if (!value.empty()) std::memcpy(out, value.data(), value.size());
  *out_len = static_cast<CK_ULONG>(value.size());
  return CKR_OK;
}

}  // namespace

StepResult cipher_step(mech::CipherOp& op, mech::CipherOp::Step step, std::span<const std::uint8_t> in,
                       CK_BYTE_PTR out, CK_ULONG_PTR out_len,
                       FnRef<Status(std::span<const std::uint8_t>)> delivered) {
  using Step = mech::CipherOp::Step;
  const bool last = step != Step::kUpdate;
  if (step == Step::kSingle && op.multipart) return {CKR_OPERATION_ACTIVE, true};
  if (!op.pending) {
    const std::size_t bound = op.max_output(step, in.size());
    if (out == nullptr) {
      *out_len = static_cast<CK_ULONG>(bound);
      return {CKR_OK, true};
    }
    // Fast path: a single-part result that surely fits is written straight to the caller.
    if (step == Step::kSingle && !delivered && *out_len >= bound) {
      Result<std::size_t> n = op.single_into(in, std::span<std::uint8_t>(out, *out_len));
      if (!n.ok()) return {n.rv(), false};
      *out_len = static_cast<CK_ULONG>(*n);
      return {CKR_OK, false};
    }
    Result<SecureBytes> r = step == Step::kSingle   ? op.single(in)
                            : step == Step::kUpdate ? op.update(in)
                                                    : op.finish();
    if (!r.ok()) return {r.rv(), false};
    if (step == Step::kUpdate) op.multipart = true;
    op.pending = std::move(*r);
  } else if (out == nullptr) {
    *out_len = static_cast<CK_ULONG>(op.pending->size());
    return {CKR_OK, true};
  }
  const CK_RV rv = copy_out(op.pending->span(), out, out_len);
  if (rv != CKR_OK) return {rv, true};
  if (delivered) {
    if (auto st = delivered(op.pending->span()); !st.ok()) return {st.rv(), false};
  }
  op.pending.reset();
  return {CKR_OK, !last};
}

StepResult sized_step(std::size_t size, CK_BYTE_PTR out, CK_ULONG_PTR out_len, bool final_step,
                      FnRef<Result<mech::Bytes>()> produce) {
  if (out == nullptr) {
    *out_len = static_cast<CK_ULONG>(size);
    return {CKR_OK, true};
  }
  if (*out_len < size) {
    *out_len = static_cast<CK_ULONG>(size);
    return {CKR_BUFFER_TOO_SMALL, true};
  }
  Result<mech::Bytes> r = produce();
  if (!r.ok()) return {r.rv(), false};
  const CK_RV rv = copy_out(*r, out, out_len);
  return {rv, !final_step};
}

}  // namespace craton::abi
