// Session: one PKCS#11 session — its token, R/W flag, search state and active operations.
//
// Thread safety: PKCS#11 lets an application call into one session from several threads; the
// session's mutex serialises those calls so state is never torn. Lock order: Library -> session
// table shard (session_table.h) -> Session -> Token.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <optional>
#include <vector>

#include "audit/burst.h"
#include "common/mutex.h"
#include "mech/operation.h"
#include "token/token.h"

namespace craton::token {

struct FindState {
  std::vector<CK_OBJECT_HANDLE> results;
  std::size_t next = 0;
};

class Session {
 public:
  Session(CK_SESSION_HANDLE handle, CK_SLOT_ID slot, std::shared_ptr<Token> token, bool rw)
      : handle_(handle), slot_(slot), token_(std::move(token)), rw_(rw) {}

  CK_SESSION_HANDLE handle() const noexcept { return handle_; }
  CK_SLOT_ID slot() const noexcept { return slot_; }
  const std::shared_ptr<Token>& token() const noexcept { return token_; }
  bool rw() const noexcept { return rw_; }
  Caller caller() const noexcept { return {handle_, rw_}; }
  CK_STATE state() const;

  ExclusiveMutex& mutex() noexcept { return mu_; }

  // REQUIRES: mutex() held for everything below.
  std::optional<FindState> find;
  mech::ActiveOperations ops;
  bool closed = false;  // set by C_CloseSession; late calls that already held the session stop here
  bool context_login_pending = false;  // an operation on a CKA_ALWAYS_AUTHENTICATE key waits for CKU_CONTEXT_SPECIFIC
  // CKA_UNIQUE_ID of each active operation's key, kept from Init for the audit record written
  // when the operation completes (abi/audit_hooks.h).
  std::array<std::string, static_cast<std::size_t>(mech::OpKind::kCount)> op_key_uid;
  // The record this session's latest operation call went into, while the audit writer still
  // counts into it (Library::audit_operation, audit/burst.h).
  audit::Burst audit_burst;

  // C_GetSessionValidationFlags(CKS_LAST_VALIDATION_OK): the indicator of the last completed
  // operation. Atomic, so key-producing calls that do not take the session lock may set it.
  std::atomic<CK_FLAGS> last_validation_flags{0};

  // C_SessionCancel: ends the operations named by `flags` (CK_MECHANISM_INFO flags, CKF_FIND_OBJECTS).
  void cancel(CK_FLAGS flags);

 private:
  const CK_SESSION_HANDLE handle_;
  const CK_SLOT_ID slot_;
  const std::shared_ptr<Token> token_;
  const bool rw_;
  ExclusiveMutex mu_;  // only ever taken exclusively: a std::mutex, cheaper than a reader/writer lock
};

}  // namespace craton::token
