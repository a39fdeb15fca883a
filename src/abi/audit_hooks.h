// Audit records for the entry points (docs/AUDIT.md): one record per completed operation or
// failed call, written from a few central places —
//   * init_operation / with_operation_impl (op_helpers.cpp): a failed C_*Init, and every
//     operation when it ends (final call, single-part call or failure), not per C_*Update;
//   * audited(): the one-shot session calls (object lifecycle, key generation, wrap/unwrap,
//     derive, encapsulate/decapsulate, PIN changes);
//   * token::Library: C_Initialize/C_Finalize, C_InitToken, C_Login/C_Logout.
// Digests are not recorded (no key is involved). Only handles' CKA_UNIQUE_ID, mechanism and
// result names reach a record (audit::Event has no field for bytes).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "abi/guard.h"
#include "audit/record.h"
#include "common/small_string.h"
#include "mech/mechanism.h"
#include "token/session.h"

namespace craton::abi {

// CKA_UNIQUE_ID of a key (valid as long as `key`) / of an object the session can see ("" if none).
std::string_view key_uid(const mech::KeyRef& key);
UniqueIdText object_uid(token::Session& s, CK_OBJECT_HANDLE h);

// Queues one record for a call on session `s`. `approved`: the service indicator of the call when
// the caller knows it (an operation's own flag); otherwise a successful call with a mechanism takes
// the session's indicator, which that call has just set (C_GetSessionValidationFlags), and every
// other record is not approved. The event is built in a per-thread scratch record whose strings
// keep their capacity, and the writer copies it only when it queues a new record.
void audit_call(const token::Library& lib, const token::Session& s, std::string_view event,
                std::optional<CK_MECHANISM_TYPE> mechanism, CK_RV rv, std::string_view object_uid,
                std::optional<bool> approved = std::nullopt);
// The record of an operation's end or of a failed C_*Init on session `s`, whose lock `lock` holds
// (nothing when auditing is off). A counting writer (lib.audit_counts()) takes it under the lock:
// the same call as the session's open record (audit/burst.h) is counted there without an event
// being built, anything else is queued through Library::audit_operation. A writer that may wait
// for the disk gets it from this thread's scratch record, filled under the lock, after `lock` is
// released.
void record_operation(const token::Library& lib, token::Session& s, std::unique_lock<ExclusiveMutex>& lock,
                      std::string_view event, CK_MECHANISM_TYPE mechanism, CK_RV rv, std::string_view object_uid,
                      std::optional<bool> approved);

// What a one-shot call acted on: an object it produced (`out`, read after success) or an
// existing one (`in`, looked up before the call, so a destroyed object is still named).
// `length_query`: the call only reports a size (nothing happened, nothing is recorded).
// `made`: where the call's body puts the CKA_UNIQUE_ID of the object it produced, as the token
// returned it with the handle (token::NewObject); left empty, the handle is looked up.
struct AuditSubject {
  const CK_OBJECT_HANDLE* out = nullptr;
  CK_OBJECT_HANDLE in = CK_INVALID_HANDLE;
  bool length_query = false;
  const UniqueIdText* made = nullptr;

  static AuditSubject none() { return {}; }
  static AuditSubject produced(const CK_OBJECT_HANDLE* out, const UniqueIdText* made = nullptr, bool length_query = false) {
    return {out, CK_INVALID_HANDLE, length_query, made};
  }
  static AuditSubject existing(CK_OBJECT_HANDLE in, bool length_query = false) { return {nullptr, in, length_query}; }
};

// Wraps a with_session() body so that its outcome is recorded as `event`.
template <class F>
auto audited(std::string_view event, const CK_MECHANISM* m, AuditSubject subject, F&& body) {
  return [event, m, subject, &body](token::Library& lib, token::Session& s) -> CK_RV {
    if (lib.audit_writer() == nullptr) return body(lib, s);
    UniqueIdText uid = subject.in != CK_INVALID_HANDLE ? object_uid(s, subject.in) : UniqueIdText();
    const CK_RV rv = body(lib, s);
    if ((subject.length_query && rv == CKR_OK) || rv == CKR_BUFFER_TOO_SMALL) return rv;
    if (rv == CKR_OK && subject.out != nullptr) {
      uid = subject.made != nullptr && !subject.made->empty() ? *subject.made : object_uid(s, *subject.out);
    }
    audit_call(lib, s, event, m != nullptr ? std::optional<CK_MECHANISM_TYPE>(m->mechanism) : std::nullopt, rv, uid);
    return rv;
  };
}

}  // namespace craton::abi
