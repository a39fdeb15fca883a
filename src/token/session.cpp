#include "token/session.h"

namespace craton::token {

CK_STATE Session::state() const {
  switch (token_->login_state()) {
    case LoginState::kSo:
      return CKS_RW_SO_FUNCTIONS;
    case LoginState::kUser:
      return rw_ ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
    case LoginState::kPublic:
      break;
  }
  return rw_ ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
}

void Session::cancel(CK_FLAGS flags) {
  if ((flags & CKF_FIND_OBJECTS) != 0) find.reset();
  ops.cancel(flags);
  if (!ops.any_active()) context_login_pending = false;
}

}  // namespace craton::token
