// Active cryptographic operations of a session.
//
// PKCS#11 allows one active operation per kind (encrypt, decrypt, digest, sign, verify, ...) per
// session, plus the message-based kinds. ActiveOperations holds them and implements the state
// rules once: an Init while one is active is CKR_OPERATION_ACTIVE; an error ends the operation; a
// length query or CKR_BUFFER_TOO_SMALL keeps it; the final call ends it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/secure_bytes.h"
#include "craton/pkcs11/pkcs11.h"

namespace craton::mech {

enum class OpKind : std::size_t {
  kEncrypt, kDecrypt, kDigest, kSign, kVerify, kSignRecover, kVerifyRecover,
  kMessageEncrypt, kMessageDecrypt, kMessageSign, kMessageVerify, kVerifySignature,
  kCount
};

// The interface an operation implements (mechanism.h), recorded by its base class so the abi can
// reach it with a static_cast after one comparison instead of a dynamic_cast on every call.
enum class OpFamily : std::uint8_t { kOther, kDigest, kCipher, kSign, kVerify, kMessage };

// Base of every mechanism's running state (cipher contexts, buffered data, ...). The fields are
// the abi layer's bookkeeping, the same for every mechanism.
class Operation {
 public:
  Operation() = default;
  explicit Operation(OpFamily family) noexcept : family_(family) {}
  virtual ~Operation() = default;
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;

  OpFamily family() const noexcept { return family_; }

  // Output of a step that did not fit the caller's buffer (CKR_BUFFER_TOO_SMALL); the repeated
  // call receives it instead of running the step again.
  CK_MECHANISM_TYPE mechanism = 0;      // for C_GetOperationState
  bool approved = false;                // FIPS service indicator, decided at Init (mech/approval.h)
  std::optional<SecureBytes> pending;
  bool multipart = false;              // an Update call happened: single-part calls are refused
  std::vector<std::uint8_t> signature;  // C_VerifySignatureInit: the signature to check at the end

 private:
  const OpFamily family_ = OpFamily::kOther;
};

class ActiveOperations {
 public:
  bool active(OpKind k) const { return slots_[index(k)] != nullptr; }
  bool any_active() const;
  Operation* get(OpKind k) const { return slots_[index(k)].get(); }
  void start(OpKind k, std::unique_ptr<Operation> op) { slots_[index(k)] = std::move(op); }
  void end(OpKind k) { slots_[index(k)].reset(); }
  // Ends the operations whose CK_MECHANISM_INFO flag is in `flags` (C_SessionCancel).
  void cancel(CK_FLAGS flags);
  void clear();

 private:
  static std::size_t index(OpKind k) { return static_cast<std::size_t>(k); }
  std::array<std::unique_ptr<Operation>, static_cast<std::size_t>(OpKind::kCount)> slots_;
};

// The CK_MECHANISM_INFO flag that names an operation kind in C_SessionCancel.
CK_FLAGS cancel_flag(OpKind k);

}  // namespace craton::mech
