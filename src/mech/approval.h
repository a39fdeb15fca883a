// FIPS 140-3 approved services: the mechanism half of the service indicator (docs/FIPS.md).
//
// A service is approved when its mechanism is approved for the function it performs and every key
// it uses has approved parameters (object/key_approval.h). The table lives here, in one place, and
// every mechanism not in it is not approved: a new mechanism is never claimed approved by accident.
// Thread safety: pure functions over immutable tables.
#pragma once

#include "common/result.h"
#include "mech/mechanism.h"
#include "mech/policy.h"

namespace craton::mech {

// Whether `type` is approved for at least one function (false: hidden in approved-only mode).
bool mechanism_approvable(CK_MECHANISM_TYPE type);

// Whether `type` is approved for `use` (CKM_RSA_PKCS signs in approved mode but does not encrypt).
bool mechanism_approved_for(CK_MECHANISM_TYPE type, KeyUse use);

// The service indicator of one operation on `key`: mechanism approved for `use` and the key's
// parameters approved (object::key_parameters_approved, read once per snapshot).
bool service_approved(CK_MECHANISM_TYPE type, KeyUse use, const KeyRef& key);

// C_GetMechanismInfo in approved-only mode: the functions that stay approved and the minimum key
// sizes of approved use (RSA 2048 bits, EC 256 bits, HMAC 112 bits = 14 bytes).
CK_MECHANISM_INFO approved_mechanism_info(const Registration& r);

// Approved-only mode refuses a key with unapproved parameters, with the precise code: RSA and
// secret keys that are too short -> CKR_KEY_SIZE_RANGE, an EC key on another curve ->
// CKR_CURVE_NOT_SUPPORTED, any other unapproved key type -> CKR_OPERATION_NOT_VALIDATED.
Status require_approved_key(const object::AttributeSet& key);

}  // namespace craton::mech
