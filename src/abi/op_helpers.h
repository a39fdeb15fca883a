// Shared shapes of the cryptographic entry points: the *Init family and the calls that continue
// an active operation. The PKCS#11 operation-state rules are applied here, once:
//   * Init with an operation of that kind active -> CKR_OPERATION_ACTIVE;
//   * Init with pMechanism = NULL ends the active operation of that kind (3.0 cancel form);
//   * a continuing call without an active operation -> CKR_OPERATION_NOT_INITIALIZED;
//   * a continuing call with bad arguments ends the operation (it "always terminates" unless it
//     is a length query or CKR_BUFFER_TOO_SMALL).
#pragma once

#include "abi/guard.h"
#include "mech/operation.h"

namespace craton::abi {

// CKR_MECHANISM_INVALID unless the slot offers `type` (registry + slots.mechanisms).
CK_RV check_mechanism(const token::Library& lib, CK_MECHANISM_TYPE type);

CK_RV init_operation(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mechanism, CK_OBJECT_HANDLE key, mech::OpKind kind,
                     const char* fn);

CK_RV continue_operation(CK_SESSION_HANDLE h, mech::OpKind kind, bool args_ok);

// Key-producing calls (C_GenerateKey, C_DeriveKey, C_EncapsulateKey, ...): argument checks done
// by the caller; validates the session, the template and the mechanism.
CK_RV key_operation(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mechanism, const CK_ATTRIBUTE* tmpl, CK_ULONG count,
                    const char* fn);

}  // namespace craton::abi
