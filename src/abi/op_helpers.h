// Shared shapes of the cryptographic entry points. The PKCS#11 operation-state rules are applied
// here, once:
//   * Init with an operation of that kind active -> CKR_OPERATION_ACTIVE;
//   * Init with pMechanism = NULL ends the active operation of that kind (3.0 cancel form);
//   * a continuing call without an active operation -> CKR_OPERATION_NOT_INITIALIZED;
//   * a call that fails ends the operation, except a length query and CKR_BUFFER_TOO_SMALL;
//   * an operation on a CKA_ALWAYS_AUTHENTICATE key waits for C_Login(CKU_CONTEXT_SPECIFIC).
// And the output-buffer rule for operations: NULL buffer -> the step's size bound; a result that
// does not fit -> CKR_BUFFER_TOO_SMALL with the exact length, kept for the repeated call.
#pragma once

#include <span>
#include <type_traits>
#include <utility>

#include "abi/guard.h"
#include "abi/mech_params.h"
#include "mech/mechanism.h"
#include "mech/policy.h"

namespace craton::abi {

// Whether the slots offer `type`: in the registry, allowed by slots.mechanisms and, in approved-only
// mode (fips.approved_only), approved for at least one function (mech/approval.h).
bool mechanism_offered(const token::Library& lib, CK_MECHANISM_TYPE type);
// Its CK_MECHANISM_INFO as offered (approved-only mode drops unapproved functions, raises minimum sizes).
CK_MECHANISM_INFO offered_info(const token::Library& lib, const mech::Registration& r);

// The registration of `type` if the slot offers it, else CKR_MECHANISM_INVALID.
Result<const mech::Registration*> offered_mechanism(const token::Library& lib, CK_MECHANISM_TYPE type);

// The service indicator of one use of a mechanism (mech/approval.h). In approved-only mode an
// unapproved use is refused here with its precise code (see mech::require_approved_key). The key
// part comes from the key's facts (read once per snapshot).
Result<bool> approve_use(const token::Library& lib, CK_MECHANISM_TYPE type, mech::KeyUse use, const mech::KeyRef& key);

// Records the indicator of a completed operation for C_GetSessionValidationFlags.
void record_validation(token::Session& s, bool approved);

// A key the session may use: CKR_KEY_HANDLE_INVALID for an unknown/invisible handle,
// CKR_USER_NOT_LOGGED_IN while its material is sealed.
Result<mech::KeyRef> session_key(token::Session& s, CK_OBJECT_HANDLE h);

// Checks a mechanism for `kind` (its CK_MECHANISM_INFO flag), decodes its parameter, and checks
// the key against the policy. Returns the registration and the decoded parameter.
struct Prepared {
  const mech::Registration* reg = nullptr;
  DecodedMechanism decoded;
};
Result<Prepared> prepare(const token::Library& lib, const CK_MECHANISM& m, CK_FLAGS needed_flag);
// As prepare(), filling `out` in place (the per-message Init path: no moves of the decoded parameter).
Status prepare_into(const token::Library& lib, const CK_MECHANISM& m, CK_FLAGS needed_flag, Prepared& out);

CK_RV init_operation(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key, mech::OpKind kind,
                     const char* fn, std::span<const std::uint8_t> signature = {});

// Ends the operation of `kind` (REQUIRES: session lock held).
void end_operation(token::Session& s, mech::OpKind kind);

// How a continuing call ended for its operation.
struct StepResult {
  CK_RV rv = CKR_OK;
  bool keep = false;  // the operation stays active
};

// A non-owning reference to a callable (std::function would allocate for every entry-point call
// whose lambda captures more than two pointers). The callable must outlive the call it is passed
// to; a default-constructed FnRef is empty (false) and must not be called.
template <class Sig>
class FnRef;
template <class R, class... A>
class FnRef<R(A...)> {
 public:
  constexpr FnRef() noexcept = default;
  // Implicit on purpose: it stands in for a function parameter that takes any callable.
  template <class F>
    requires(!std::is_same_v<std::decay_t<F>, FnRef>)
  // cppcheck-suppress noExplicitConstructor
  FnRef(F&& f) noexcept  // NOLINT(google-explicit-constructor,bugprone-forwarding-reference-overload): FnRef itself is excluded
      : obj_(static_cast<const void*>(&f)), call_([](const void* o, A... a) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(const_cast<void*>(o)))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }
  explicit operator bool() const noexcept { return call_ != nullptr; }

 private:
  const void* obj_ = nullptr;
  R (*call_)(const void*, A...) = nullptr;
};

// An operation interface whose objects are recognised by Operation::family() (see operation.h).
template <class Op>
concept FamilyRooted = requires { typename Op::FamilyRoot; } && std::is_same_v<typename Op::FamilyRoot, Op>;

// Runs `body` on the active operation of `kind` (as type Op) under the session lock, applying the
// state rules. `args_ok` false -> CKR_ARGUMENTS_BAD (the operation ends).
template <class Op, class F>
CK_RV with_operation(CK_SESSION_HANDLE h, mech::OpKind kind, bool args_ok, const char* fn, F&& body);

// The output rule over one cipher step. `delivered` (optional) sees the bytes handed out.
StepResult cipher_step(mech::CipherOp& op, mech::CipherOp::Step step, std::span<const std::uint8_t> in,
                       CK_BYTE_PTR out, CK_ULONG_PTR out_len,
                       FnRef<Status(std::span<const std::uint8_t>)> delivered = {});

// Output rule for a result whose exact size is known before it is computed (signatures, digests).
// `produce` runs only when the buffer is large enough.
StepResult sized_step(std::size_t size, CK_BYTE_PTR out, CK_ULONG_PTR out_len, bool final_step,
                      FnRef<Result<mech::Bytes>()> produce);

// Lookup of keys named inside parameters, bound to a session.
mech::KeyLookup key_lookup(token::Session& s);

// ---- implementation of the template -----------------------------------------------------------

CK_RV with_operation_impl(CK_SESSION_HANDLE h, mech::OpKind kind, bool args_ok, const char* fn,
                          FnRef<StepResult(token::Session&, mech::Operation&)> body);

template <class Op, class F>
CK_RV with_operation(CK_SESSION_HANDLE h, mech::OpKind kind, bool args_ok, const char* fn, F&& body) {
  auto typed = [&](token::Session& s, mech::Operation& base) -> StepResult {
    Op* op = nullptr;
    if constexpr (FamilyRooted<Op>) {
      // Op::kFamily is recorded only by Op's own constructor, so the object is an Op.
      if (base.family() == Op::kFamily) op = static_cast<Op*>(&base);
    } else {
      op = dynamic_cast<Op*>(&base);
    }
    if (op == nullptr) return {CKR_FUNCTION_NOT_SUPPORTED, false};
    return body(s, *op);
  };
  return with_operation_impl(h, kind, args_ok, fn, typed);
}

}  // namespace craton::abi
