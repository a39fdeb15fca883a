// Per-key-type consistency checks and computed attributes for keys entering the token through
// C_CreateObject (CKA_VALUE_LEN, CKA_MODULUS_BITS, CKA_CHECK_VALUE, value sizes, ...).
#pragma once

#include "common/result.h"
#include "object/attribute.h"
#include "object/object.h"

namespace craton::object {

// Validates the key material in `obj` (a complete object of any class) and fills in the attributes
// the token computes. Non-key objects pass unchanged. Material the token generated itself
// (`origin` kGenerated) has passed its pairwise test and skips the costlier import checks.
Status complete_key_material(AttributeSet& obj, Origin origin = Origin::kCreated);

}  // namespace craton::object
