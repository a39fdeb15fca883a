#include "abi/audit_hooks.h"

#include "audit/audit.h"
#include "object/key_approval.h"

namespace craton::abi {

std::string_view key_uid(const mech::KeyRef& key) {
  const std::span<const std::uint8_t> v = key.facts().unique_id;
  return std::string_view(reinterpret_cast<const char*>(v.data()), v.size());
}

UniqueIdText object_uid(token::Session& s, CK_OBJECT_HANDLE h) { return s.token()->unique_id(s.caller(), h); }

namespace {

// This thread's scratch record. Out of line so that a call reaches the thread-local storage once
// (a dynamically loaded library resolves it through __tls_get_addr, and the compiler otherwise
// repeats that around every call that fills a field).
[[gnu::noinline]] audit::Event& scratch_event() {
  thread_local audit::Event ev;
  return ev;
}

// What the record of this call says. `approved` as in audit_call().
audit::CallFields call_fields(const token::Session& s, std::string_view event, std::optional<CK_MECHANISM_TYPE> mechanism,
                              CK_RV rv, std::string_view object_uid, std::optional<bool> approved) {
  if (!approved) {
    approved = rv == CKR_OK && mechanism.has_value() &&
               (s.last_validation_flags.load(std::memory_order_relaxed) & object::kFipsValidationFlag) != 0;
  }
  audit::CallFields f;
  f.name = event;
  f.slot = s.slot();
  f.session = s.handle();
  f.user = token::Library::session_user(s);
  f.object = object_uid;
  f.mechanism = mechanism;
  f.result = rv;
  f.approved = rv == CKR_OK && *approved;
  return f;
}

}  // namespace

void record_operation(const token::Library& lib, token::Session& s, std::unique_lock<ExclusiveMutex>& lock,
                      std::string_view event, CK_MECHANISM_TYPE mechanism, CK_RV rv, std::string_view object_uid,
                      std::optional<bool> approved) {
  if (lib.audit_writer() == nullptr) return;
  const audit::CallFields f = call_fields(s, event, mechanism, rv, object_uid, approved);
  // The usual case under load: the same call as the session's open record, counted there.
  if (lib.audit_counts() && audit::records_call(s.audit_burst.event, f) && lib.audit_count_open(s)) return;
  audit::Event& ev = scratch_event();
  audit::fill_call(ev, f);
  ev.countable = true;
  if (lib.audit_counts()) return lib.audit_operation(ev, s);
  lock.unlock();
  lib.audit_copy(ev);
}

void audit_call(const token::Library& lib, const token::Session& s, std::string_view event,
                std::optional<CK_MECHANISM_TYPE> mechanism, CK_RV rv, std::string_view object_uid,
                std::optional<bool> approved) {
  if (lib.audit_writer() == nullptr) return;
  audit::Event& ev = scratch_event();
  audit::fill_call(ev, call_fields(s, event, mechanism, rv, object_uid, approved));
  ev.countable = false;
  lib.audit_copy(ev);
}

}  // namespace craton::abi
