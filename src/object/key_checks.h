// Per-key-type consistency checks and computed attributes for keys entering the token through
// C_CreateObject (CKA_VALUE_LEN, CKA_MODULUS_BITS, CKA_CHECK_VALUE, value sizes, ...).
#pragma once

#include "common/result.h"
#include "object/attribute.h"

namespace craton::object {

// Validates the key material in `obj` (a complete object of any class) and fills in the attributes
// the token computes. Non-key objects pass unchanged.
Status complete_key_material(AttributeSet& obj);

}  // namespace craton::object
