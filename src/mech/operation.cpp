#include "mech/operation.h"

namespace craton::mech {

CK_FLAGS cancel_flag(OpKind k) {
  switch (k) {
    case OpKind::kEncrypt: return CKF_ENCRYPT;
    case OpKind::kDecrypt: return CKF_DECRYPT;
    case OpKind::kDigest: return CKF_DIGEST;
    case OpKind::kSign: return CKF_SIGN;
    case OpKind::kVerify: return CKF_VERIFY;
    case OpKind::kSignRecover: return CKF_SIGN_RECOVER;
    case OpKind::kVerifyRecover: return CKF_VERIFY_RECOVER;
    case OpKind::kMessageEncrypt: return CKF_MESSAGE_ENCRYPT;
    case OpKind::kMessageDecrypt: return CKF_MESSAGE_DECRYPT;
    case OpKind::kMessageSign: return CKF_MESSAGE_SIGN;
    case OpKind::kMessageVerify: return CKF_MESSAGE_VERIFY;
    case OpKind::kVerifySignature: return CKF_VERIFY;
    case OpKind::kCount: break;
  }
  return 0;
}

bool ActiveOperations::any_active() const {
  for (const auto& s : slots_) if (s) return true;
  return false;
}

void ActiveOperations::cancel(CK_FLAGS flags) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if ((cancel_flag(static_cast<OpKind>(i)) & flags) != 0) slots_[i].reset();
  }
}

void ActiveOperations::clear() {
  for (auto& s : slots_) s.reset();
}

}  // namespace craton::mech
