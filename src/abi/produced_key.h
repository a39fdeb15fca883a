// Storing keys that a mechanism produced (generate, unwrap, derive, decapsulate): template merging
// with the key's CKA_*_TEMPLATE, object building and storage, in one place.
#pragma once

#include "abi/op_helpers.h"
#include "object/object.h"

namespace craton::abi {

// A Production for a key generated in this session with `mechanism`.
object::Production generated(const token::Session& s, CK_MECHANISM_TYPE mechanism);

// The caller's template completed by a key's CKA_UNWRAP_TEMPLATE / CKA_DERIVE_TEMPLATE /
// CKA_DECAPSULATE_TEMPLATE (`which`); a conflicting value is CKR_TEMPLATE_INCONSISTENT. Takes the
// template over (a caller that keeps it passes a clone), so the usual case, a key without such a
// template, copies nothing.
Result<object::AttributeSet> merge_key_template(object::AttributeSet tmpl, const object::AttributeSet& key,
                                                CK_ATTRIBUTE_TYPE which);

// Approved-only mode (fips.approved_only) refuses a produced key whose indicator is not set: its
// parameters are not approved (mech::require_approved_key's codes) or the service that made it was
// not (CKR_OPERATION_NOT_VALIDATED). Called after building, before storing.
Status admit_produced(const token::Session& s, const object::AttributeSet& key);
// Whether a built key carries the FIPS bit in CKA_OBJECT_VALIDATION_FLAGS.
bool indicator_of(const object::AttributeSet& key);

// Builds (object::build_produced), admits and stores the key, and records the service indicator
// for C_GetSessionValidationFlags; returns its handle and unique id.
Result<token::NewObject> store_produced(token::Session& s, const object::AttributeSet& tmpl,
                                        object::AttributeSet material, const object::Production& how);

// The whole of C_DeriveKey after the checks: request from the template, derivation, storage of the
// key and of any additional keys (SP 800-108), handles written to the caller.
CK_RV derive_and_store(token::Session& s, const Prepared& prepared, const mech::KeyRef& base,
                       const object::AttributeSet& tmpl, CK_MECHANISM_TYPE mechanism, CK_OBJECT_HANDLE_PTR ph_key);

// Stores a shared secret made by C_EncapsulateKey / C_DecapsulateKey as a key of the template's
// type; `base` is the private key for decapsulation (its history is inherited), else null.
Result<token::NewObject> store_shared_secret(token::Session& s, const object::AttributeSet& tmpl,
                                             const SecureBytes& secret, const mech::KeyRef* base,
                                             CK_MECHANISM_TYPE mechanism);

}  // namespace craton::abi
