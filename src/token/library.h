// Library: the state of one C_Initialize..C_Finalize lifetime — configuration, the store backend,
// the slot table (one slot per token plus one free slot) and the session table.
//
// Slots: every token directory records the slot id it was created in, so ids survive restarts and
// the creation or deletion of other tokens. The free slot (for C_InitToken) always takes the next
// id after the highest one in use. The slot table is rescanned from the store on C_GetSlotList,
// so tokens created by other processes appear.
//
// Thread safety: all members are thread-safe. Lock order: Library -> session table shard ->
// Session -> Token. session() takes only the session table's shard lock (token/session_table.h).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/record.h"
#include "audit/writer.h"
#include "common/mutex.h"
#include "common/result.h"
#include "config/config.h"
#include "storage/store.h"
#include "token/session.h"
#include "token/session_table.h"
#include "token/token.h"

namespace craton::token {

class Library {
  struct PassKey {};

 public:
  Library(PassKey, config::Config cfg);
  static Result<std::unique_ptr<Library>> create(config::Config cfg);
  ~Library();

  const config::Config& config() const noexcept { return cfg_; }

  // Slots and tokens.
  Result<std::vector<CK_SLOT_ID>> slot_list();
  Result<CK_SLOT_INFO> slot_info(CK_SLOT_ID slot);
  Result<CK_TOKEN_INFO> token_info(CK_SLOT_ID slot);
  Status init_token(CK_SLOT_ID slot, const SecureBytes& so_pin, std::span<const std::uint8_t> label32);
  Status check_slot(CK_SLOT_ID slot);

  // Sessions.
  Result<CK_SESSION_HANDLE> open_session(CK_SLOT_ID slot, bool rw);
  Status close_session(CK_SESSION_HANDLE h);
  Status close_all_sessions(CK_SLOT_ID slot);
  Result<std::shared_ptr<Session>> session(CK_SESSION_HANDLE h);
  Status login(Session& s, CK_USER_TYPE user, const SecureBytes& pin);
  Status logout(Session& s);

  // The audit log (docs/AUDIT.md). audit() queues one record (nothing when auditing is off);
  // session_event() fills in a session's slot, handle and current user.
  void audit(audit::Event ev) const;
  // As audit(), for a caller that reuses `ev`: copied only if the writer queues a new record.
  void audit_copy(const audit::Event& ev) const;
  // An operation record of session `s` that audit_count_open() did not take, with s.mutex() held,
  // when audit_counts(): queued, or counted into a waiting record through the queue; the
  // session's open record (audit/burst.h) is then the one it went into.
  void audit_operation(const audit::Event& ev, Session& s) const;
  // Whether operation records are counted (auditing on, a writer thread, not syncing every record).
  bool audit_counts() const noexcept { return audit_ != nullptr && audit_->counts(); }
  // One more call counted into session `s`'s open record (s.mutex() held; the caller checked that
  // the record is of this very call); false when that cannot be (audit::Writer::count_open).
  bool audit_count_open(Session& s) const { return audit_ != nullptr && audit_->count_open(s.audit_burst); }
  // The user a record of session `s` names (its token's login state).
  static audit::User session_user(const Session& s);
  static audit::Event session_event(std::string_view name, const Session& s);
  // Sets name, slot, session and user of `ev` (a reused event) for session `s`.
  static void fill_session_event(audit::Event& ev, std::string_view name, const Session& s);
  audit::Writer* audit_writer() const noexcept { return audit_.get(); }

 private:
  Status login_unaudited(Session& s, CK_USER_TYPE user, const SecureBytes& pin);
  Status logout_unaudited(Session& s);
  Status init_token_unaudited(CK_SLOT_ID slot, const SecureBytes& so_pin, std::span<const std::uint8_t> label32);
  Status rescan_locked();
  std::shared_ptr<Token> token_locked(CK_SLOT_ID slot) const;
  CK_SLOT_ID free_slot_locked() const;
  bool has_sessions_locked(const Token& t, bool ro_only) const;
  Status create_token_locked(CK_SLOT_ID slot, const SecureBytes& so_pin, std::span<const std::uint8_t> label32);
  void close_session_locked(std::shared_ptr<Session> s);  // REQUIRES: mu_ held exclusively, `s` already erased

  const config::Config cfg_;
  const TokenPolicy policy_;
  std::unique_ptr<storage::StoreBackend> backend_;
  std::unique_ptr<audit::Writer> audit_;  // null when audit.enabled = false

  mutable Mutex mu_;
  std::map<CK_SLOT_ID, std::shared_ptr<Token>> tokens_;  // by slot id
  SessionTable sessions_;  // changed only with mu_ held exclusively (see session_table.h)
};

}  // namespace craton::token
