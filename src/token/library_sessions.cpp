// Library: session table, login and logout.
#include <atomic>
#include <mutex>
#include <vector>

#include "common/log.h"
#include "token/library.h"

namespace craton::token {

bool Library::has_sessions_locked(const Token& t, bool ro_only) const {
  return sessions_.any_of([&](const std::shared_ptr<Session>& s) {
    return s->token().get() == &t && (!ro_only || !s->rw());
  });
}

Result<CK_SESSION_HANDLE> Library::open_session(CK_SLOT_ID slot, bool rw) {
  std::unique_lock lock(mu_);  // once: the slot check (as check_slot) and the insertion
  std::shared_ptr<Token> t = token_locked(slot);
  if (!t && slot != free_slot_locked()) {
    CRATON_TRY(rescan_locked());  // a token created by another process
    t = token_locked(slot);
    if (!t && slot != free_slot_locked()) return fail(CKR_SLOT_ID_INVALID, "no such slot");
  }
  if (!t) return fail(CKR_TOKEN_NOT_RECOGNIZED, "token not initialised");
  if (!rw && t->login_state() == LoginState::kSo) return fail(CKR_SESSION_READ_WRITE_SO_EXISTS, "SO is logged in");
  // Process-wide and monotonic, so a handle kept across C_Finalize/C_Initialize never names a new session.
  static std::atomic<CK_SESSION_HANDLE> next_session{1};
  const CK_SESSION_HANDLE h = next_session.fetch_add(1, std::memory_order_relaxed);
  sessions_.insert(h, std::make_shared<Session>(h, slot, t, rw));
  return h;
}

void Library::close_session_locked(std::shared_ptr<Session> s) {
  {
    std::unique_lock slock(s->mutex());
    s->closed = true;
    s->ops.clear();
    s->find.reset();
  }
  // Object creation holds the session lock and checks `closed`, so no session object can be
  // added after this point.
  s->token()->drop_session_objects(s->handle());
  // Closing the last session of a token logs the application out of it (spec C_CloseSession).
  if (!has_sessions_locked(*s->token(), false)) s->token()->forget_login();
}

Status Library::close_session(CK_SESSION_HANDLE h) {
  std::unique_lock lock(mu_);
  std::shared_ptr<Session> s = sessions_.erase(h);
  if (!s) return fail(CKR_SESSION_HANDLE_INVALID, "no such session");
  close_session_locked(std::move(s));
  return {};
}

Status Library::close_all_sessions(CK_SLOT_ID slot) {
  CRATON_TRY(check_slot(slot));
  std::unique_lock lock(mu_);
  std::vector<CK_SESSION_HANDLE> on_slot;
  sessions_.for_each([&](const std::shared_ptr<Session>& s) {
    if (s->slot() == slot) on_slot.push_back(s->handle());
  });
  for (CK_SESSION_HANDLE h : on_slot) close_session_locked(sessions_.erase(h));
  return {};
}

// No library lock: the session table's shard lock suffices (session_table.h).
Result<std::shared_ptr<Session>> Library::session(CK_SESSION_HANDLE h) {
  std::shared_ptr<Session> s = sessions_.find(h);
  if (!s) return fail(CKR_SESSION_HANDLE_INVALID, "no such session");
  return s;
}

namespace {

audit::User audit_user(CK_USER_TYPE user) {
  switch (user) {
    case CKU_SO: return audit::User::kSo;
    case CKU_USER: return audit::User::kUser;
    case CKU_CONTEXT_SPECIFIC: return audit::User::kContextSpecific;
    default: return audit::User::kNone;
  }
}

}  // namespace

// Every login attempt is recorded with its outcome (a wrong PIN as CKR_PIN_INCORRECT); never the PIN.
Status Library::login(Session& s, CK_USER_TYPE user, const SecureBytes& pin) {
  Status st = login_unaudited(s, user, pin);
  audit::Event ev = session_event("C_Login", s);
  ev.user = audit_user(user);
  ev.result = st.rv();
  audit(std::move(ev));
  return st;
}

Status Library::logout(Session& s) {
  audit::Event ev = session_event("C_Logout", s);  // the user who is logging out
  Status st = logout_unaudited(s);
  ev.result = st.rv();
  audit(std::move(ev));
  return st;
}

Status Library::login_unaudited(Session& s, CK_USER_TYPE user, const SecureBytes& pin) {
  Token& t = *s.token();
  switch (user) {
    case CKU_CONTEXT_SPECIFIC: {
      std::unique_lock slock(s.mutex());
      if (!s.context_login_pending) return fail(CKR_OPERATION_NOT_INITIALIZED, "no operation awaits a context login");
      CRATON_TRY(t.verify_context_pin(pin));
      s.context_login_pending = false;
      return {};
    }
    case CKU_SO: {
      bool ro_open = false;
      {
        std::shared_lock lock(mu_);
        ro_open = has_sessions_locked(t, true);
      }
      CRATON_TRY(t.login(LoginState::kSo, pin, ro_open));
      // The PIN check ran without the library lock; an R/O session opened meanwhile must not
      // coexist with the SO login, so re-check and undo.
      std::shared_lock lock(mu_);
      if (has_sessions_locked(t, true)) {
        t.forget_login();
        return fail(CKR_SESSION_READ_ONLY_EXISTS, "R/O session open");
      }
      return {};
    }
    case CKU_USER:
      return t.login(LoginState::kUser, pin, false);
    default:
      return fail(CKR_USER_TYPE_INVALID, "unknown user type");
  }
}

Status Library::logout_unaudited(Session& s) {
  CRATON_TRY(s.token()->logout());
  // Operations that used private keys must not outlive the login.
  std::shared_lock lock(mu_);
  sessions_.for_each([&](const std::shared_ptr<Session>& other) {
    if (other->token() != s.token()) return;
    std::unique_lock slock(other->mutex());
    other->ops.clear();
    other->find.reset();
    other->context_login_pending = false;
  });
  return {};
}

}  // namespace craton::token
