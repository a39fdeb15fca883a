#include "abi/op_helpers.h"

#include <mutex>

#include "abi/marshal.h"
#include "mech/registry.h"

namespace craton::abi {

CK_RV check_mechanism(const token::Library& lib, CK_MECHANISM_TYPE type) {
  if (!mech::mechanism_info(type) || !lib.config().mechanisms.allows(type)) return CKR_MECHANISM_INVALID;
  return CKR_OK;
}

namespace {
CK_RV check_mechanism_struct(const CK_MECHANISM& m) {
  if (m.pParameter == nullptr && m.ulParameterLen != 0) return CKR_MECHANISM_PARAM_INVALID;
  return CKR_OK;
}
}  // namespace

CK_RV init_operation(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key, mech::OpKind kind,
                     const char* fn) {
  return with_session(h, [&](token::Library& lib, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    if (mechanism == nullptr) {
      if (!s.ops.active(kind)) return CKR_ARGUMENTS_BAD;
      s.ops.end(kind);
      return CKR_OK;
    }
    if (s.ops.active(kind)) return CKR_OPERATION_ACTIVE;
    if (const CK_RV rv = check_mechanism_struct(*mechanism); rv != CKR_OK) return rv;
    if (const CK_RV rv = check_mechanism(lib, mechanism->mechanism); rv != CKR_OK) return rv;
    auto attrs = s.token()->attributes(s.caller(), key);
    if (!attrs.ok()) {
      return attrs.rv() == CKR_OBJECT_HANDLE_INVALID ? CKR_KEY_HANDLE_INVALID : to_rv(attrs, fn);
    }
    // Mechanism families plug in through the registry; none offered here accepts this call.
    return CKR_MECHANISM_INVALID;
  });
}

CK_RV continue_operation(CK_SESSION_HANDLE h, mech::OpKind kind, bool args_ok) {
  return with_session(h, [&](token::Library&, token::Session& s) -> CK_RV {
    std::unique_lock lock(s.mutex());
    if (!s.ops.active(kind)) return CKR_OPERATION_NOT_INITIALIZED;
    s.ops.end(kind);  // bad arguments, or a mechanism without this step: the operation ends
    return args_ok ? CKR_FUNCTION_FAILED : CKR_ARGUMENTS_BAD;
  });
}

CK_RV key_operation(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mechanism, const CK_ATTRIBUTE* tmpl, CK_ULONG count,
                    const char* fn) {
  return with_session(h, [&](token::Library& lib, token::Session&) -> CK_RV {
    if (mechanism == nullptr) return CKR_ARGUMENTS_BAD;
    if (const CK_RV rv = check_mechanism_struct(*mechanism); rv != CKR_OK) return rv;
    auto t = in_template(tmpl, count);
    if (!t.ok()) return to_rv(t, fn);
    if (const CK_RV rv = check_mechanism(lib, mechanism->mechanism); rv != CKR_OK) return rv;
    // Mechanism families plug in through the registry; none offered here produces keys this way.
    return CKR_MECHANISM_INVALID;
  });
}

}  // namespace craton::abi
